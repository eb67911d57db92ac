"""``nucmed eln2022`` and ``nucmed eln2024``: the JSON object, the table, and bad input."""

from __future__ import annotations

import json
import re

import pytest

from nucmed.cli import main as cli_main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_eln2022_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "eln2022", "--karyotype", "46,XX[20]", "--mutation", "NPM1",
        "--mutation", "FLT3-ITD", "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["category"] == "intermediate"
    assert data["rule"] == "eln2022.intermediate.npm1-flt3-itd"
    assert data["reasons"] and data["source"].startswith("Döhner") and not data["review"]


def test_tp53_without_vaf_gives_review(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "eln2022", "--karyotype", "46,XY", "--mutation", "TP53", "--json")
    data = json.loads(out)
    assert status == 0 and data["category"] == "review" and data["review"]
    assert data["candidates"] == ["intermediate", "adverse"]


def test_fusion_option(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "eln2022", "--karyotype", "46,XY[20]", "--fusion", "PML::RARA", "--json"
    )
    assert status == 0 and json.loads(out)["category"] == "not-applicable"


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "eln2022", "--karyotype", "46,XY,t(8;21)(q22;q22.1)[20]")
    assert status == 0
    assert "favorable" in out and "Table 6" in out and "reason" in out


def test_eln2024_gives_the_applicability_conditions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "eln2024", "--karyotype", "46,XY", "--mutation", "IDH1", "--mutation", "NRAS",
        "--therapy", "aza-ivo", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert status == 0 and data["category"] == "favorable"
    assert "less-intensive" in data["reasons"][0]


def test_eln2024_after_hma(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "eln2024", "--karyotype", "46,XY", "--prior-hma", "--json")
    assert status == 0 and json.loads(out)["category"] == "not-applicable"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["--karyotype", "46,XY,t(8;21)(q22;q22.1"], "--karyotype: .* character 24", id="iscn"
        ),
        pytest.param(["--karyotype", "46,XY", "--mutation", "TP53@12"], "--mutation: ", id="vaf"),
        pytest.param(["--karyotype", "46,XY", "--mutation", "FLT3"], "FLT3-ITD or", id="flt3"),
        pytest.param(["--karyotype", "46,XY", "--fusion", "RUNX1"], "--fusion: ", id="fusion"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, "eln2022", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("nucmed: error: ")
    assert re.search(message, err)
