"""Therapy and release commands: JSON keys with units and source, contraindications, errors."""

from __future__ import annotations

import json

import pytest
import typer

from nucmed.cli import main as cli_main
from nucmed.cli import therapy as therapy_cli

GBQ = 1e9


def _build_app() -> typer.Typer:
    """The real application, with the therapy commands registered once."""
    app = ORIGINAL_BUILD_APP()
    if not any(group.name == "therapy" for group in app.registered_groups):
        therapy_cli.register(app)
    return app


ORIGINAL_BUILD_APP = cli_main.build_app


@pytest.fixture(autouse=True)
def _with_therapy(monkeypatch: pytest.MonkeyPatch) -> None:
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
    assert data["source"]
    return data


def test_i131_graves(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "therapy", "i131-graves", "--target-dose", "150 Gy", "--thyroid-mass", "30 g",
        "--uptake", "50 %", "--effective-half-life", "5 d",
    )  # fmt: skip
    assert data["activity_bq"] == pytest.approx(24.67 * 150 * 30 / (50 * 5) * 1e6)
    assert data["contraindicated"] is False and data["reasons"] == []


def test_i131_graves_by_volume_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "therapy", "i131-graves", "--target-dose", "150 Gy", "--thyroid-volume", "30 ml",
        "--uptake", "0.5", "--effective-half-life", "5 d",
    )  # fmt: skip
    assert status == 0 and "444.1 MBq" in out and "24.67" in out


def test_sirt_resin_reduction_and_contraindication(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("therapy", "sirt-resin", "--height", "180 cm", "--weight", "80 kg")
    data = run_json(capsys, *args, "--tumour-fraction", "30 %", "--lung-shunt", "12 %")
    assert set(data) >= {"activity_bq", "lung_dose_gy", "contraindicated", "reasons", "bsa_m2"}
    assert data["reduction"] == 0.2 and data["contraindicated"] is False
    data = run_json(capsys, *args, "--tumour-fraction", "30 %", "--lung-shunt", "25 %")
    assert data["contraindicated"] is True and data["activity_bq"] == 0.0
    assert "above 20 %" in str(data["reasons"])


def test_sirt_partition(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "therapy", "sirt-partition", "--activity", "2 GBq", "--lung-shunt", "5 %",
        "--tnr", "3", "--tumour-mass", "200 g", "--normal-liver-mass", "1.3 kg",
    )  # fmt: skip
    assert data["tumour_dose_gy"] == pytest.approx(3 * float(str(data["normal_liver_dose_gy"])))
    assert data["lung_dose_gy"] == pytest.approx(49.67 * 2 * 0.05)


def test_sirt_glass(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys, "therapy", "sirt-glass", "--target-dose", "120 Gy", "--perfused-mass", "1.5 kg",
        "--lung-shunt", "10 %", "--residual", "5 %",
    )  # fmt: skip
    assert data["activity_bq"] == pytest.approx(120 * 1.5 / (50 * 0.9 * 0.95) * GBQ)
    assert data["lung_dose_gy"] == pytest.approx(20.0)


def test_sm153_and_zevalin(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "therapy", "sm153", "--weight", "70 kg")["activity_bq"] == 2590e6
    data = run_json(capsys, "therapy", "zevalin", "--weight", "70 kg", "--platelets", "90")
    assert data["contraindicated"] is True and data["activity_bq"] == 0.0
    data = run_json(capsys, "therapy", "zevalin", "--weight", "70 kg", "--platelets", "120,5")
    assert data["activity_bq"] == pytest.approx(70 * 11.1e6)


def test_other_regimens(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "therapy", "lu177", "psma617")["administrations"] == 6
    assert run_json(capsys, "therapy", "dtc", "high")["activity_max_bq"] == 5.55e9
    assert run_json(capsys, "therapy", "sr89")["activity_bq"] == 148e6
    data = run_json(capsys, "therapy", "ra223", "--weight", "80 kg")
    assert data["activity_bq"] == pytest.approx(4.4e6) and data["interval_s"] == 28 * 86400


def test_release(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "release", "I-131", "--activity", "1.1 GBq")
    assert data["releasable"] is True and data["basis"]
    assert data["dose_to_others_sv"] == pytest.approx(4.55e-3, rel=1e-2)
    data = run_json(
        capsys, "release", "I-131", "--dose-rate-1m", "30 µSv/h", "--max-dose-rate-1m", "20 µSv/h"
    )
    assert data["releasable"] is False and data["dose_rate_1m_sv_per_h"] == pytest.approx(30e-6)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ("therapy", "i131-graves", "--target-dose", "150 Gy", "--thyroid-mass", "-30 g",
             "--uptake", "50 %", "--effective-half-life", "5 d"),
            "--thyroid-mass", id="negative-mass",
        ),
        pytest.param(
            ("therapy", "i131-graves", "--target-dose", "150 Gy", "--thyroid-mass", "30 g",
             "--uptake", "120 %", "--effective-half-life", "5 d"),
            "--uptake", id="uptake-over-100",
        ),
        pytest.param(
            ("therapy", "zevalin", "--weight", "70 kg", "--platelets", "many"),
            "--platelets", id="platelets-not-a-number",
        ),
        pytest.param(("release", "I-131"), "either --activity", id="release-no-quantity"),
        pytest.param(("release", "Y-90", "--activity", "2 GBq"), "Pure beta", id="pure-beta"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_status_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1
