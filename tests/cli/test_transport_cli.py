"""``nucmed transport``: the JSON keys of issue 14, a mixture, and refusals that say why."""

from __future__ import annotations

import json

import pytest

from nucmed.cli import main as cli_main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(["transport", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_of_a_type_a_mixture(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys,
        "--content", "Tc-99m:1 TBq",
        "--content", "I-131:100 GBq",
        "--surface-dose-rate", "0.3 mSv/h",
        "--dose-rate-1m", "8 µSv/h",
        "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["package_type"] == "Type A"
    assert data["a2_mixture_bq"] == pytest.approx(1.1e12 / (1 / 4 + 0.1 / 0.7), rel=1e-9)
    assert data["limit_fraction"] == pytest.approx(1 / 4 + 0.1 / 0.7, rel=1e-9)
    assert (data["limit_basis"], data["transport_index"], data["label"]) == (
        "A2",
        0.8,
        "II-YELLOW",
    )
    assert (data["exclusive_use"], data["un_number"]) == (False, "UN 2915")
    assert data["proper_shipping_name"].startswith("RADIOACTIVE MATERIAL, TYPE A PACKAGE")


def test_excepted_special_form_solid(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "--content", "Co-57:5 MBq", "--special-form", "--solid",
        "--surface-dose-rate", "1 µSv/h", "--dose-rate-1m", "0.01 µSv/h", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert status == 0
    assert (data["package_type"], data["label"], data["limit_basis"]) == ("Excepted", None, "A1")
    assert data["transport_index"] is None and data["un_number"] == "UN 2910"


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "--content", "I-131:1 TBq",
        "--surface-dose-rate", "1 mSv/h", "--dose-rate-1m", "20 µSv/h",
    )  # fmt: skip
    assert status == 0
    assert "Type B(U)" in out and "UN 2916" in out and "III-YELLOW" in out


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["--surface-dose-rate", "11 mSv/h", "--dose-rate-1m", "50 µSv/h"], "above 10 mSv/h"),
        (
            [
                "--surface-dose-rate",
                "1 mSv/h",
                "--dose-rate-1m",
                "150 µSv/h",
                "--no-exclusive-use",
            ],
            "needs exclusive use",
        ),
    ],
)
def test_packages_that_may_not_travel(
    capsys: pytest.CaptureFixture[str], argv: list[str], why: str
) -> None:
    status, _, err = run(capsys, "--content", "I-131:10 GBq", *argv)
    assert status == 2
    assert why in err and "SSR-6" in err


def test_bad_content(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys, "--content", "I-131 10 GBq", "--surface-dose-rate", "1 µSv/h",
        "--dose-rate-1m", "0 µSv/h",
    )  # fmt: skip
    assert status == 2 and "NUCLIDE:ACTIVITY" in err
