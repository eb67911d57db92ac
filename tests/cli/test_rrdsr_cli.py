"""``nucmed rrdsr read`` and ``write``: JSON keys with SI units, round trips, one-line errors.

Kinds of expected value: **analytic** (the fields printed are those of the record written).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydicom
import pytest
import typer
from sqlalchemy.orm import sessionmaker

from nucmed.cli import main as cli_main
from nucmed.cli import rrdsr as rrdsr_cli
from nucmed.interop.rrdsr import AdministrationRecord, lookup_code, write_rrdsr
from nucmed.interop.rrdsr_reading import read_rrdsr
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.store.db import make_engine
from nucmed.store.migrate import upgrade
from nucmed.vocabulary import SiteKind
from tests.interop.dicom_tools import assert_valid_sr, needs_tools

ORIGINAL_BUILD_APP = cli_main.build_app


def _build_app() -> typer.Typer:
    """The real application, with the rrdsr commands registered once."""
    app = ORIGINAL_BUILD_APP()
    if not any(group.name == "rrdsr" for group in app.registered_groups):
        rrdsr_cli.register(app)
    return app


@pytest.fixture(autouse=True)
def _with_rrdsr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_main, "build_app", _build_app)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


RECORD = AdministrationRecord(
    event_uid="2.25.424242",
    radiopharmaceutical=lookup_code("radiopharmaceutical", "MDP"),
    radionuclide=lookup_code("radionuclide", "Tc-99m"),
    administered_activity_bq=7.4e8,
    start_datetime=datetime(2026, 11, 22, 4, 30, tzinfo=UTC),
    route=lookup_code("route", "IV"),
    patient_id="P-1",
    patient_name="Иванов^Иван",
    patient_weight_kg=80.0,
    patient_height_m=1.75,
    effective_dose_sv=4.2e-3,
    study_instance_uid="2.25.7",
)


@pytest.fixture
def sr_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.dcm"
    write_rrdsr(RECORD).save_as(path, enforce_file_format=True)
    return path


def test_read_json(capsys: pytest.CaptureFixture[str], sr_file: Path) -> None:
    data = run_json(capsys, "rrdsr", "read", str(sr_file))
    assert data["radiopharmaceutical"] == "Tc-99m medronate (MDP)"
    assert data["radionuclide"] == "Tc-99m"
    assert data["administered_activity_bq"] == 7.4e8
    assert data["start_datetime"] == "2026-11-22T04:30+00:00"
    assert data["route"] == "intravenous"
    assert data["route_code"] == {"code": "47625008", "scheme": "SCT",
                                  "meaning": "Intravenous route"}  # fmt: skip
    assert data["event_uid"] == "2.25.424242"
    assert (data["patient_weight_kg"], data["patient_height_m"]) == (80.0, 1.75)
    assert data["effective_dose_sv"] == 4.2e-3
    assert data["end_datetime"] is None and data["patient_birth_date"] is None
    numeric = [key for key, value in data.items() if isinstance(value, float)]
    assert all(key.endswith(("_bq", "_kg", "_m", "_sv")) for key in numeric)


def test_read_table(capsys: pytest.CaptureFixture[str], sr_file: Path) -> None:
    status, out, _ = run(capsys, "rrdsr", "read", str(sr_file))
    assert status == 0
    assert "Radiopharmaceutical Radiation Dose SR" in out
    assert "740 MBq" in out and "4.2 mSv" in out and "1.75 m" in out and "80 kg" in out


def test_write_then_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    record = {
        "event_uid": "2.25.99", "radiopharmaceutical": "FDG", "radionuclide": "F-18",
        "route": "IV", "administered_activity_bq": 3.7e8,
        "start_datetime": "2026-11-22T09:30+05:00", "patient_id": "P-2",
        "patient_birth_date": "1970-05-01", "patient_sex": "M",
    }  # fmt: skip
    source, out = tmp_path / "record.json", tmp_path / "out.dcm"
    source.write_text(json.dumps(record), encoding="utf-8")
    data = run_json(capsys, "rrdsr", "write", str(out), "--json-record", str(source))
    assert data["path"] == str(out) and data["event_uid"] == "2.25.99"
    back = read_rrdsr(out)
    assert back.radiopharmaceutical == lookup_code("radiopharmaceutical", "FDG")
    assert back.start_datetime == datetime(2026, 11, 22, 4, 30, tzinfo=UTC)
    assert back.patient_birth_date.isoformat() == "1970-05-01"  # type: ignore[union-attr]


def test_read_json_is_a_record_write_accepts(
    capsys: pytest.CaptureFixture[str], sr_file: Path, tmp_path: Path
) -> None:
    source, out = tmp_path / "record.json", tmp_path / "again.dcm"
    source.write_text(json.dumps(run_json(capsys, "rrdsr", "read", str(sr_file))), "utf-8")
    status, _, err = run(capsys, "rrdsr", "write", str(out), "--json-record", str(source))
    assert status == 0, err
    assert read_rrdsr(out) == RECORD


@pytest.mark.parametrize(
    ("record", "message"),
    [
        pytest.param({"event_uid": "2.25.1"}, "needs radiopharmaceutical", id="missing"),
        pytest.param({"colour": "red"}, "unknown keys colour", id="unknown-key"),
        pytest.param({"administered_activity_bq": "740 MBq"}, "must be a number",
                     id="text-activity"),
        pytest.param({"radiopharmaceutical": "unobtainium"}, "unknown radiopharmaceutical",
                     id="unknown-agent"),
        pytest.param({"start_datetime": "2026-11-22T09:30"}, "no UTC offset", id="naive"),
        pytest.param({"radionuclide_code": {"code": "1"}}, "needs code, scheme and meaning",
                     id="bad-code"),
    ],
)  # fmt: skip
def test_write_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, record: dict[str, Any], message: str
) -> None:
    full = {"event_uid": "2.25.1", "radiopharmaceutical": "FDG", "radionuclide": "F-18",
            "route": "IV", "administered_activity_bq": 1e8,
            "start_datetime": "2026-11-22T09:30+05:00"}  # fmt: skip
    if set(record) == {"event_uid"}:
        full = dict(record)
    else:
        full |= record
    source = tmp_path / "record.json"
    source.write_text(json.dumps(full), encoding="utf-8")
    status, out, err = run(capsys, "rrdsr", "write", str(tmp_path / "x.dcm"),
                           "--json-record", str(source))  # fmt: skip
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(None, "cannot read", id="missing"),
     pytest.param("{not json", "is not JSON", id="bad-json"),
     pytest.param("[1, 2]", "one JSON object", id="list")],
)  # fmt: skip
def test_write_bad_record_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None, message: str
) -> None:
    source = tmp_path / "record.json"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    status, _, err = run(capsys, "rrdsr", "write", str(tmp_path / "x.dcm"), "--json-record",
                         str(source))  # fmt: skip
    assert status == 2 and message in err and err.count("\n") == 1


def test_read_not_dicom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hello", encoding="utf-8")
    status, out, err = run(capsys, "rrdsr", "read", str(path))
    assert (status, out) == (2, "")
    assert err == f"nucmed: error: {path} is not a DICOM file\n"


def test_read_bad_time_zone(capsys: pytest.CaptureFixture[str], sr_file: Path) -> None:
    status, _, err = run(capsys, "rrdsr", "read", str(sr_file), "--tz", "Mars/Olympus")
    assert status == 2 and "unknown time zone 'Mars/Olympus'" in err


def _without_offset(tmp_path: Path) -> Path:
    """RECORD's SR as most vendors write it: local date-times and no offset anywhere."""
    sr = write_rrdsr(RECORD)
    del sr.TimezoneOffsetFromUTC
    sr.ContentSequence[1].ContentSequence[2].DateTime = "20261122093000"  # local, no offset
    path = tmp_path / "local.dcm"
    sr.save_as(path, enforce_file_format=True)
    return path


def test_read_with_time_zone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _without_offset(tmp_path)
    monkeypatch.setenv("NUCMED_DATA_DIR", str(tmp_path / "no-such-folder"))
    monkeypatch.delenv("NUCMED_DATABASE_URL", raising=False)
    status, _, err = run(capsys, "rrdsr", "read", str(path))
    assert status == 2 and "--tz" in err
    data = run_json(capsys, "rrdsr", "read", str(path), "--tz", "Asia/Almaty")
    assert data["start_datetime"] == "2026-11-22T04:30+00:00"
    assert data["timezone_assumed"] == "Asia/Almaty"


def test_read_without_offset_in_the_installations_zone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(sessionmaker(engine)) as store:
        create_site(store, None, SiteSpec("NM-BIS", "Bishkek NM", SiteKind.DEPARTMENT,
                                          "Bishkek", "KG", "Asia/Bishkek"))  # fmt: skip
    engine.dispose()
    monkeypatch.setenv("NUCMED_DATABASE_URL", url)
    path = _without_offset(tmp_path)
    data = run_json(capsys, "rrdsr", "read", str(path))  # 09:30 in Bishkek (UTC+6)
    assert (data["start_datetime"], data["timezone_assumed"]) == (
        "2026-11-22T03:30+00:00", "Asia/Bishkek"
    )  # fmt: skip
    status, _, err = run(capsys, "rrdsr", "read", str(path), "--site", "NM-XX")
    assert status == 2 and "no site NM-XX" in err and "--tz" in err


@needs_tools("dciodvfy", "dsrdump")
def test_write_in_the_sites_zone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text(json.dumps(run_json(capsys, "rrdsr", "read", str(_sr(tmp_path)))))
    out = tmp_path / "local.dcm"
    run_json(capsys, "rrdsr", "write", str(out), "--json-record", str(record),
             "--tz", "Asia/Almaty")  # fmt: skip
    written = pydicom.dcmread(out)
    assert written.TimezoneOffsetFromUTC == "+0500"
    assert str(written.ContentSequence[1].ContentSequence[2].DateTime) == "20261122093000+0500"
    assert read_rrdsr(out).start_datetime == RECORD.start_datetime
    assert_valid_sr(out, tmp_path)


def _sr(tmp_path: Path) -> Path:
    path = tmp_path / "utc.dcm"
    write_rrdsr(RECORD).save_as(path, enforce_file_format=True)
    return path
