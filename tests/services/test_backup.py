"""Backup and restore round trips on SQLite and PostgreSQL, and the files restore refuses."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nucmed.errors import NucmedInputError
from nucmed.services import backup
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.migrate import head_revision
from nucmed.vocabulary import SiteKind

TOOLS = backup.Tools(pg_dump=shutil.which("pg_dump"), pg_restore=shutil.which("pg_restore"))


def _url(factory: SessionFactory) -> str:
    engine: Engine = factory.kw["bind"]
    return engine.url.render_as_string(hide_password=False)


def _add_site(factory: SessionFactory, code: str) -> None:
    spec = SiteSpec(code, f"Site {code}", SiteKind.DEPARTMENT, "Astana", "KZ", "Asia/Almaty")
    with transaction(factory) as store:
        create_site(store, None, spec)


def _codes(factory: SessionFactory) -> set[str]:
    with transaction(factory) as store:
        return {site.code for site in store.sites.all()}


def _stop(factory: SessionFactory) -> None:
    """What stopping the server does to its connections."""
    engine: Engine = factory.kw["bind"]
    engine.dispose()


def _backup(factory: SessionFactory, tmp_path: Path) -> backup.BackupView:
    kind = backup.kind_of(_url(factory))
    if kind == "postgresql" and TOOLS.pg_dump is None:
        pytest.skip("pg_dump is not installed")
    return backup.backup(_url(factory), tmp_path / f"nucmed.{kind}.backup", TOOLS)


class TestRoundTrip:
    def test_restore_brings_back_what_was_backed_up_and_drops_what_came_later(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        _add_site(committing_factory, "S-EARLY")
        written = _backup(committing_factory, tmp_path)
        _add_site(committing_factory, "S-LATER")
        assert {"S-EARLY", "S-LATER"} <= _codes(committing_factory)
        _stop(committing_factory)
        restored = backup.restore(_url(committing_factory), written.path, TOOLS)
        codes = _codes(committing_factory)
        assert "S-EARLY" in codes
        assert "S-LATER" not in codes
        assert restored.revision == written.revision == head_revision()
        assert restored.up_to_date

    def test_the_backup_is_taken_while_connections_are_open(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        with transaction(committing_factory) as store:  # a reader in the middle of its work
            store.sites.all()
            written = _backup(committing_factory, tmp_path)
        assert written.size_bytes > 0
        assert written.revision == head_revision()

    def test_restore_twice_is_the_same(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        _add_site(committing_factory, "S-ONCE")
        written = _backup(committing_factory, tmp_path)
        _stop(committing_factory)
        backup.restore(_url(committing_factory), written.path, TOOLS)
        backup.restore(_url(committing_factory), written.path, TOOLS)
        assert "S-ONCE" in _codes(committing_factory)


class TestRefusals:
    def test_an_existing_file_is_not_overwritten(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        target = tmp_path / "taken"
        target.write_bytes(b"keep me")
        with pytest.raises(NucmedInputError, match="exists already"):
            backup.backup(_url(committing_factory), target, TOOLS)
        assert target.read_bytes() == b"keep me"

    def test_a_file_that_is_not_a_backup_is_refused(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        _add_site(committing_factory, "S-STAYS")
        other = tmp_path / "notes.txt"
        other.write_text("not a database")
        with pytest.raises(NucmedInputError, match="is not a nucmed backup"):
            backup.restore(_url(committing_factory), other, TOOLS)
        assert "S-STAYS" in _codes(committing_factory)

    def test_a_missing_file_is_refused(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        with pytest.raises(NucmedInputError, match="cannot read"):
            backup.restore(_url(committing_factory), tmp_path / "none", TOOLS)

    def test_a_backup_of_the_other_kind_is_refused(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        kind = backup.kind_of(_url(committing_factory))
        other = tmp_path / "other.backup"
        if kind == "sqlite":
            other.write_bytes(backup.PG_DUMP_MAGIC + b"\x01\x0e\x00")
        else:
            other.write_bytes(backup.SQLITE_MAGIC + bytes(100))
        with pytest.raises(NucmedInputError, match=f"but the database is {kind}"):
            backup.restore(_url(committing_factory), other, TOOLS)

    def test_postgresql_without_its_client_programs_says_so(
        self, committing_factory: SessionFactory, tmp_path: Path
    ) -> None:
        if backup.kind_of(_url(committing_factory)) != "postgresql":
            pytest.skip("SQLite needs no client program")
        with pytest.raises(NucmedInputError, match="pg_dump was not found on PATH"):
            backup.backup(_url(committing_factory), tmp_path / "b", backup.Tools())
        assert not (tmp_path / "b").exists()


def _sqlite_backup(tmp_path: Path) -> Path:
    """A SQLite database migrated to the newest revision, backed up."""
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    from nucmed.services import database  # noqa: PLC0415

    installation = database.open_database(url)
    database.migrate(installation)
    database.close(installation)
    return backup.backup(url, tmp_path / "backup.sqlite3", backup.Tools()).path


def _change_database(path: Path, change: Callable[[Path], None]) -> None:
    """Rewrite the archive ``path`` with ``change`` applied to the database it holds."""
    with tarfile.open(path, "r:gz") as old:
        members = [(m, old.extractfile(m)) for m in old.getmembers()]
        contents = {m.name: stream.read() for m, stream in members if stream is not None}
    database = path.with_suffix(".db")
    database.write_bytes(contents["database.sqlite3"])
    change(database)
    contents["database.sqlite3"] = database.read_bytes()
    with tarfile.open(path, "w:gz") as new:
        for name, content in contents.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(content)
            new.addfile(entry, io.BytesIO(content))


def _set_revision(path: Path, revision: str) -> None:
    def change(database: Path) -> None:
        with contextlib.closing(sqlite3.connect(database)) as db, db:
            db.execute("UPDATE alembic_version SET version_num = ?", (revision,))

    _change_database(path, change)


class TestSchemaRevision:
    def test_a_backup_from_an_unknown_version_is_refused(self, tmp_path: Path) -> None:
        path = _sqlite_backup(tmp_path)
        _set_revision(path, "9999_from_the_future")
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        with pytest.raises(NucmedInputError, match="unknown to this version"):
            backup.restore(target, path, backup.Tools())
        assert not (tmp_path / "restored.sqlite3").exists()

    def test_an_older_backup_is_restored_and_reported_out_of_date(self, tmp_path: Path) -> None:
        path = _sqlite_backup(tmp_path)
        _set_revision(path, "0001_core")
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        restored = backup.restore(target, path, backup.Tools())
        assert restored.revision == "0001_core"
        assert not restored.up_to_date

    def test_a_damaged_sqlite_file_is_refused(self, tmp_path: Path) -> None:
        path = _sqlite_backup(tmp_path)

        def damage(database: Path) -> None:
            data = bytearray(database.read_bytes())
            data[4096:8192] = bytes(4096)
            database.write_bytes(bytes(data))

        _change_database(path, damage)
        with pytest.raises(NucmedInputError, match="is not a nucmed backup"):
            backup.restore(f"sqlite:///{tmp_path / 'r.sqlite3'}", path, backup.Tools())

    def test_a_cut_archive_is_refused(self, tmp_path: Path) -> None:
        path = _sqlite_backup(tmp_path)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        with pytest.raises(NucmedInputError, match="is not a nucmed backup"):
            backup.restore(f"sqlite:///{tmp_path / 'r.sqlite3'}", path, backup.Tools())
        assert not (tmp_path / "r.sqlite3").exists()

    def test_a_bare_database_file_of_an_earlier_version_is_still_restored(
        self, tmp_path: Path
    ) -> None:
        path = _sqlite_backup(tmp_path)
        with tarfile.open(path, "r:gz") as archive:
            stream = archive.extractfile("database.sqlite3")
            assert stream is not None
            bare = tmp_path / "nucmed-2026-11-30.sqlite3"
            bare.write_bytes(stream.read())
        restored = backup.restore(f"sqlite:///{tmp_path / 'r.sqlite3'}", bare, backup.Tools())
        assert restored.revision == head_revision()
        assert restored.files == 0
