"""``nucmed supply``: JSON keys of issue 15, human output in ru/kk, refusals without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nucmed.cli import main as cli_main
from nucmed.physics.nuclides import get_nuclide
from tests.supply.scenarios import scenario

DEMO = Path("src/nucmed/data/supply_demo_week.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(["supply", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario()), encoding="utf-8")
    return path


def test_dispatch_json(capsys: pytest.CaptureFixture[str]) -> None:
    """6 h of Tc-99m with a 10 % margin: 740 MBq · 2^(6/6.015) · 1.10 (analytic)."""
    status, out, err = run(
        capsys, "dispatch", "Tc-99m", "--activity", "740 MBq",
        "--calibration", "2026-12-08T12:00+05:00", "--depart", "2026-12-08T06:00+05:00",
        "--margin", "10", "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    factor = 2 ** (6 * 3600 / get_nuclide("Tc-99m").half_life_s)
    assert data == {
        "dispatched_bq": pytest.approx(740e6 * factor * 1.10, rel=1e-12),
        "decay_factor": pytest.approx(factor, rel=1e-12),
    }


def test_dispatch_table_in_russian(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "dispatch", "I-131", "--activity", "3.7 GBq", "--lang", "ru",
        "--calibration", "2026-12-08T12:00+05:00", "--depart", "2026-12-07T12:00+05:00",
    )  # fmt: skip
    assert status == 0
    assert "Отпуск I-131" in out and "GBq" in out


def test_calibration_before_departure_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "dispatch", "Tc-99m", "--activity", "740 MBq",
        "--calibration", "2026-12-08T05:00+05:00", "--depart", "2026-12-08T06:00+05:00",
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert "before the departure" in err and "Traceback" not in err


def test_bad_margin_names_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys, "dispatch", "Tc-99m", "--activity", "740 MBq", "--margin", "150",
        "--calibration", "2026-12-08T12:00+05:00", "--depart", "2026-12-08T06:00+05:00",
    )  # fmt: skip
    assert status == 2 and "--margin" in err and "0 to 100 %" in err


def test_plan_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "plan", "--scenario", str(_file(tmp_path)), "--json")
    assert status == 0, err
    data = json.loads(out)
    assert [(a["order"], a["departure"]) for a in data["assignments"]] == [("A", "AIR-TUE-AM")]
    assert (data["unserved"], data["reasons"]) == ([], {})
    assert data["total_dispatched_bq"] == pytest.approx(data["assignments"][0]["dispatched_bq"])


def test_plan_of_the_demo_week_in_kazakh(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "plan", "--scenario", str(DEMO), "--lang", "kk")
    assert status == 0, err
    assert "O053" in out and "shelf life" not in out
    assert "68 / 69" in out


def test_a_scenario_error_names_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = scenario()
    data["orders"][0]["calibration"] = "tomorrow"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    status, _, err = run(capsys, "plan", "--scenario", str(path))
    assert status == 2 and "orders[0].calibration" in err


@pytest.mark.parametrize("content", ["{not json", None])
def test_unreadable_scenario_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "x.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    status, _, err = run(capsys, "plan", "--scenario", str(path))
    assert status == 2 and "scenario" in err and "Traceback" not in err


def test_whatif_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(
        capsys, "whatif", "--scenario", str(_file(tmp_path)), "--cancel", "AIR-TUE-AM",
        "--known", "2026-12-07T00:00+05:00", "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["failed"] == [
        {"order": "A", "departure": "AIR-TUE-AM", "reason": "departure_cancelled"}
    ]
    assert [a["departure"] for a in data["repair"]] == ["ROAD-MON"]
    assert data["repair_cost"] == 600.0


def test_whatif_delay_in_russian(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(
        capsys, "whatif", "--scenario", str(_file(tmp_path)), "--delay", "AIR-TUE-AM:120",
        "--lang", "ru",
    )  # fmt: skip
    assert status == 0, err
    assert "AIR-TUE-AM" in out and "arrives" not in out


def test_whatif_bad_delay(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(
        capsys, "whatif", "--scenario", str(_file(tmp_path)), "--delay", "AIR-TUE-AM"
    )
    assert status == 2 and "--delay" in err and "DEPARTURE_ID:MINUTES" in err
