"""``nucmed dose effective`` and ``nucmed dose paediatric``: JSON keys with units, errors."""

from __future__ import annotations

import json

import pytest
import typer

from nucmed.cli import dose as dose_cli
from nucmed.cli import main as cli_main

ORIGINAL_BUILD_APP = cli_main.build_app


def _build_app() -> typer.Typer:
    """The real application, with the dose commands registered once."""
    app = ORIGINAL_BUILD_APP()
    if not any(group.name == "dose" for group in app.registered_groups):
        dose_cli.register(app)
    return app


@pytest.fixture(autouse=True)
def _with_dose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_main, "build_app", _build_app)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    assert data["source"] and data["status"]
    return data


def test_register_on_a_fresh_app() -> None:
    app = typer.Typer()
    dose_cli.register(app)
    assert [group.name for group in app.registered_groups] == ["dose"]


def test_effective_adult(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "dose", "effective", "Tc-99m MDP", "740 MBq")
    assert data["effective_dose_sv"] == pytest.approx(0.0057e-3 * 740)
    assert data["coefficient_sv_per_bq"] == pytest.approx(0.0057e-9)
    assert data["critical_organ"] == "bone surfaces"
    assert data["critical_organ_dose_gy"] == pytest.approx(0.063e-3 * 740)
    assert data["age_model"] == "adult" and data["radiopharmaceutical"] == "tc99m-mdp"


def test_effective_child_and_condition(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "dose", "effective", "99mTc-MIBI", "300 MBq", "--age", "8,5",
                    "--condition", "exercise")  # fmt: skip
    assert data["age_model"] == "10y" and data["condition"] == "exercise"
    assert data["effective_dose_sv"] == pytest.approx(0.016e-3 * 300)
    assert data["critical_organ"] is None and data["critical_organ_dose_gy"] is None


def test_effective_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "dose", "effective", "F-18 FDG", "370 MBq")
    assert status == 0
    assert "7.03 mSv" in out and "urinary bladder wall, 48.1 mGy" in out and "ICRP 106" in out


def test_paediatric_eanm(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "dose", "paediatric", "Tc-99m MDP", "--weight", "3 kg")
    assert data["activity_bq"] == pytest.approx(40e6)
    assert data["guideline"] == "eanm"
    assert data["minimum_applied"] is True and data["maximum_applied"] is False
    assert data["weight_kg"] == pytest.approx(3.0)


def test_paediatric_na_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "dose", "paediatric", "Tc-99m MAG3", "--weight", "40 kg",
                    "--guideline", "NA", "--indication", "with flow study")  # fmt: skip
    assert data["activity_bq"] == pytest.approx(148e6)
    assert data["maximum_applied"] is True and data["guideline"] == "na"


def test_paediatric_table_in_mci(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "dose", "paediatric", "F-18 FDG", "--weight", "30 kg",
                         "--guideline", "na", "--unit", "mCi")  # fmt: skip
    assert status == 0 and "3 mCi to 4.216 mCi" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(("effective", "Tc-99m MPD", "740 MBq"), "near matches: tc99m-mdp",
                     id="unknown name"),
        pytest.param(("effective", "sodium iodide", "10 MBq"), "ambiguous", id="ambiguous name"),
        pytest.param(("effective", "mdp", "--", "-5 MBq"), "ACTIVITY:", id="negative activity"),
        pytest.param(("effective", "mdp", "740 MBq", "--age", "150"),
                     "age must be from 0 to 100 years", id="age over 100"),
        pytest.param(("effective", "mdp", "740 MBq", "--age", "-1"),
                     "age must be from 0 to 100 years", id="negative age"),
        pytest.param(("effective", "mdp", "740 MBq", "--age", "five"), "--age:", id="age text"),
        pytest.param(("effective", "Tc-99m MAA", "100 MBq", "--age", "5"),
                     "no 5y coefficient", id="age model missing"),
        pytest.param(("paediatric", "mdp", "--weight", "-3 kg"), "--weight:",
                     id="negative weight"),
        pytest.param(("paediatric", "mdp", "--weight", "0 kg"), "> 0 kg", id="zero weight"),
        pytest.param(("paediatric", "mdp", "--weight", "80 kg"), "covers 3 to 68 kg",
                     id="weight above card"),
        pytest.param(("paediatric", "mdp", "--weight", "2 kg"), "covers 3 to 68 kg",
                     id="weight below card"),
        pytest.param(("paediatric", "mdp", "--weight", "20 kg", "--guideline", "us"),
                     "--guideline: unknown guideline", id="unknown guideline"),
        pytest.param(("paediatric", "pertechnetate", "--weight", "20 kg", "--indication", "x"),
                     "allowed: 'thyroid'", id="unknown indication"),
        pytest.param(("paediatric", "thallium", "--weight", "20 kg"), "has no row",
                     id="not in guideline"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, "dose", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("nucmed: error: ")
    assert message in err
