"""``nucmed backup`` and ``nucmed restore``: JSON output, a round trip, one-line refusals."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from nucmed.cli.main import main
from nucmed.store.migrate import head_revision


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite database as the configured one; its data folder."""
    monkeypatch.setenv("NUCMED_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NUCMED_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    return tmp_path / "var"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    capsys.readouterr()
    status = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    data = json.loads(captured.out)
    assert isinstance(data, dict)
    return data


def test_backup_then_restore_in_json(
    installation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nightly" / "nucmed.sqlite3"
    written = run_json(capsys, "backup", str(target))
    assert written["kind"] == "sqlite"
    assert written["path"] == str(target)
    assert written["revision"] == written["head_revision"] == head_revision()
    assert isinstance(written["size_bytes"], int)
    assert written["size_bytes"] == target.stat().st_size > 0
    assert written["files"] == 0  # no dose map stored yet
    restored = run_json(capsys, "restore", str(target))
    assert restored["up_to_date"] is True
    assert restored["database"] == f"sqlite:///{installation / 'nucmed.sqlite3'}"


def test_the_table_says_what_was_written(
    installation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "b.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Backup written")
    assert "up to date  yes" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"hello", "is not a nucmed backup", id="not-a-backup"),
        pytest.param(
            b"PGDMP\x01\x0e", "is a postgresql backup, but the database is sqlite", id="other-kind"
        ),
    ],
)
def test_restore_refuses_in_one_line_with_status_2(
    installation: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    given = tmp_path / "given"
    given.write_bytes(content)
    capsys.readouterr()
    assert main(["restore", str(given)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


def test_backup_refuses_to_overwrite(
    installation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x")
    capsys.readouterr()
    assert main(["backup", str(taken)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_the_data_folders_dose_maps_go_with_the_backup(
    installation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = b"a stored dose map"
    folder = installation / "dose-maps"
    folder.mkdir()
    stored = folder / f"{hashlib.sha256(content).hexdigest()}.nii.gz"
    stored.write_bytes(content)
    (folder / "notes.txt").write_text("not a stored map")  # not carried
    target = tmp_path / "nightly.backup"
    assert run_json(capsys, "backup", str(target))["files"] == 1
    shutil.rmtree(folder)
    assert run_json(capsys, "restore", str(target))["files"] == 1
    assert stored.read_bytes() == content
    assert not (folder / "notes.txt").exists()
