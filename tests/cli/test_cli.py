"""Command-line tests: readable tables, JSON keys with units, one-line errors with status 2."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from nucmed.cli.main import main

HOUR = 3600.0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


class TestDecay:
    def test_json_keys_and_one_half_life(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, "decay", "tc99m", "740 MBq", "--elapsed", "PT6H0M54S")
        assert data["nuclide"] == "Tc-99m"
        assert data["half_life_s"] == pytest.approx(6.015 * HOUR)
        assert data["activity_bq"] == pytest.approx(370e6, rel=1e-9)
        assert data["decay_factor"] == pytest.approx(0.5, rel=1e-9)

    def test_from_to_across_time_zones(self, capsys: pytest.CaptureFixture[str]) -> None:
        # 08:00 in Almaty (+05:00) to 09:00 in Bishkek (+06:00) is no time at all.
        data = run_json(
            capsys,
            "decay",
            "F-18",
            "400 MBq",
            "--from",
            "2026-11-22T08:00+05:00",
            "--to",
            "2026-11-22T09:00+06:00",
        )
        assert data["decay_factor"] == 1.0

    def test_backwards(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(capsys, "decay", "I-131", "20 mCi", "--elapsed=-8.0207 d")
        assert data["activity_bq"] == pytest.approx(2 * 740e6, rel=1e-9)

    def test_table_names_units(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(capsys, "decay", "Tc-99m", "740MBq", "--elapsed", "6 h")
        assert status == 0
        assert "Decay of Tc-99m" in out
        assert "MBq" in out and " h" in out

    def test_table_in_mci_on_request(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(
            capsys, "decay", "Tc-99m", "740 MBq", "--elapsed", "0 h", "--unit", "mCi"
        )
        assert status == 0
        assert "20 mCi" in out


class TestGenerator:
    def test_json_keys(self, capsys: pytest.CaptureFixture[str]) -> None:
        data = run_json(
            capsys,
            "generator",
            "--mo99",
            "20 GBq",
            "--since-elution",
            "24 h",
            "--efficiency",
            "90 %",
        )
        for key in (
            "mo99_bq",
            "tc99m_bq",
            "eluted_tc99m_bq",
            "time_of_max_s",
            "tc99m_atom_fraction",
        ):
            assert isinstance(data[key], float), key
        assert data["eluted_tc99m_bq"] == pytest.approx(0.9 * data["tc99m_bq"])
        assert data["time_of_max_s"] == pytest.approx(22.86 * HOUR, abs=0.005 * HOUR)
        assert data["mo99_bq"] == pytest.approx(20e9 * 2 ** (-24 / 65.94), rel=1e-9)

    def test_default_efficiency_is_the_theoretical_yield(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = run_json(capsys, "generator", "--mo99", "20 GBq", "--since-elution", "24 h")
        assert data["eluted_tc99m_bq"] == data["tc99m_bq"]


class TestBreakthrough:
    def test_passes_and_fails_over_time(self, capsys: pytest.CaptureFixture[str]) -> None:
        # 1 kBq Mo-99 in 10 GBq Tc-99m is 1e-4 kBq/MBq at elution: far below 0.15.
        data = run_json(
            capsys, "breakthrough", "--mo99", "1 kBq", "--tc99m", "10 GBq", "--elapsed", "0 h"
        )
        assert data["ratio_kbq_per_mbq"] == pytest.approx(1e-4)
        assert data["limit_kbq_per_mbq"] == pytest.approx(0.15)
        assert data["passes"] is True
        # 1.4 MBq in 10 GBq: 0.14 kBq/MBq at elution, over 0.15 within an hour or so.
        late = run_json(
            capsys, "breakthrough", "--mo99", "1.4 MBq", "--tc99m", "10 GBq", "--elapsed", "6 h"
        )
        assert late["passes"] is False
        growth = math.exp((math.log(2) / (6.015 * HOUR) - math.log(2) / (65.94 * HOUR)) * 6 * HOUR)
        assert late["ratio_kbq_per_mbq"] == pytest.approx(0.14 * growth, rel=1e-3)

    @pytest.mark.parametrize(
        ("limit", "expected"),
        [("ph-eur", 1.0), ("usp", 0.15), ("0.5 kBq/MBq", 0.5), ("0.1 %", 1.0)],
        ids=["Ph. Eur.", "USP", "custom kBq/MBq", "custom percent"],
    )
    def test_limits(self, capsys: pytest.CaptureFixture[str], limit: str, expected: float) -> None:
        data = run_json(
            capsys,
            "breakthrough",
            "--mo99",
            "1 kBq",
            "--tc99m",
            "10 GBq",
            "--elapsed",
            "1 h",
            "--limit",
            limit,
        )
        assert data["limit_kbq_per_mbq"] == pytest.approx(expected)


class TestDoseRate:
    def test_inverse_square_and_keys(self, capsys: pytest.CaptureFixture[str]) -> None:
        near = run_json(capsys, "doserate", "Tc-99m", "740 MBq", "--distance", "50 cm")
        far = run_json(capsys, "doserate", "Tc-99m", "740 MBq", "--distance", "1 m")
        assert near["dose_rate_sv_per_h"] == pytest.approx(4 * far["dose_rate_sv_per_h"])
        assert isinstance(far["quantity"], str)

    def test_lead_lowers_the_rate(self, capsys: pytest.CaptureFixture[str]) -> None:
        bare = run_json(capsys, "doserate", "Tc-99m", "740 MBq", "--distance", "1 m")
        shielded = run_json(
            capsys, "doserate", "Tc-99m", "740 MBq", "--distance", "1 m", "--lead", "1 mm"
        )
        assert 0 < shielded["dose_rate_sv_per_h"] < bare["dose_rate_sv_per_h"]


BAD_INPUT = [
    pytest.param(["decay", "Tc-99m", "740", "--elapsed", "6 h"], "has no unit", id="no unit"),
    pytest.param(["decay", "Tc-99m", "740 MBx", "--elapsed", "6 h"], "MBx", id="unknown unit"),
    pytest.param(
        ["decay", "--elapsed", "6 h", "--", "Tc-99m", "-740 MBq"],
        "negative",
        id="negative activity",
    ),
    pytest.param(
        ["decay", "Tc-99m", "inf MBq", "--elapsed", "6 h"], "finite", id="infinite activity"
    ),
    pytest.param(["decay", "Tc-99m", "nan MBq", "--elapsed", "6 h"], "finite", id="nan activity"),
    pytest.param(
        ["decay", "Tc-98m", "740 MBq", "--elapsed", "6 h"], "did you mean", id="unknown nuclide"
    ),
    pytest.param(["decay", "Tc-99m", "740 MBq"], "--elapsed", id="no time given"),
    pytest.param(
        [
            "decay",
            "Tc-99m",
            "740 MBq",
            "--elapsed",
            "6 h",
            "--from",
            "2026-11-22T08:00+05:00",
            "--to",
            "2026-11-22T09:00+05:00",
        ],
        "either",
        id="both time forms",
    ),
    pytest.param(
        [
            "decay",
            "Tc-99m",
            "740 MBq",
            "--from",
            "2026-11-22T08:00",
            "--to",
            "2026-11-22T09:00+05:00",
        ],
        "offset",
        id="date-time without offset",
    ),
    pytest.param(
        ["decay", "Tc-99m", "740 MBq", "--elapsed", "6 m"], "metre", id="m is not minutes"
    ),
    pytest.param(
        ["decay", "Tc-99m", "740 MBq", "--elapsed", "6 MBq"], "not a time", id="activity as time"
    ),
    pytest.param(["decay", "Tc-99m"], "Missing argument", id="missing argument"),
    pytest.param(
        ["decay", "Tc-99m", "740 MBq", "--elapsed", "6 h", "--bogus"],
        "No such option",
        id="unknown option",
    ),
    pytest.param(
        ["generator", "--mo99", "20 GBq", "--since-elution", "24 h", "--efficiency", "1.5"],
        "--efficiency: fraction",
        id="efficiency over 1",
    ),
    pytest.param(["generator", "--mo99", "20 GBq"], "--since-elution", id="missing option"),
    pytest.param(
        ["generator", "--mo99", "20 GBq", "--since-elution", "-2 h"],
        "negative",
        id="negative time since elution",
    ),
    pytest.param(
        [
            "breakthrough",
            "--mo99",
            "1 kBq",
            "--tc99m",
            "10 GBq",
            "--elapsed",
            "1 h",
            "--limit",
            "strict",
        ],
        "strict",
        id="unknown limit",
    ),
    pytest.param(
        ["doserate", "Tc-99m", "740 MBq", "--distance", "-1 m"], "distance", id="negative distance"
    ),
    pytest.param(
        [
            "doserate",
            "Tc-99m",
            "740 MBq",
            "--distance",
            "1 m",
            "--lead",
            "1 mm",
            "--concrete",
            "1 cm",
        ],
        "one shield",
        id="two shields",
    ),
    pytest.param(
        ["doserate", "Y-90", "1 GBq", "--distance", "1 m"], "bremsstrahlung", id="Y-90 not covered"
    ),
    pytest.param(["nosuchcommand"], "No such command", id="unknown command"),
]


@pytest.mark.parametrize(("argv", "fragment"), BAD_INPUT)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("nucmed: error: ")
    assert fragment.lower() in err.lower()
    assert "Traceback" not in err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for command in ("decay", "generator", "breakthrough", "doserate", "serve"):
        assert command in out


def test_console_script_exit_status_without_traceback() -> None:
    script = Path(sys.executable).with_name("nucmed")
    completed = subprocess.run(
        [str(script), "decay", "Tc-99m", "740", "--elapsed", "6h"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith("nucmed: error: ")
    assert "Traceback" not in completed.stderr


class TestDatabaseCommands:
    @pytest.fixture
    def fresh(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """An empty SQLite database file the commands are pointed at."""
        path = tmp_path / "nucmed.sqlite3"
        monkeypatch.setenv("NUCMED_DATABASE_URL", f"sqlite:///{path}")
        return path

    def test_status_then_upgrade(self, capsys: pytest.CaptureFixture[str], fresh: Path) -> None:
        before = run_json(capsys, "db", "status")
        assert before["revision"] is None and before["up_to_date"] is False
        assert str(fresh) in str(before["database"])
        migrated = run_json(capsys, "db", "upgrade")
        assert migrated["from_revision"] is None
        assert migrated["to_revision"] == before["head_revision"]
        after = run_json(capsys, "db", "status")
        assert after["up_to_date"] is True
        status, out, _ = run(capsys, "db", "status")
        assert status == 0 and "up to date" in out and "yes" in out

    def test_demo_loads_once(self, capsys: pytest.CaptureFixture[str], fresh: Path) -> None:
        first = run_json(capsys, "demo", "load")
        assert first["created"] is True and first["admin_password"]
        assert first["accounts"]
        again = run_json(capsys, "demo", "load")
        assert again["created"] is False and again["admin_password"] is None
        assert fresh.exists()
