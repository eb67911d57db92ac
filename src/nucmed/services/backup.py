"""Back up the installation's database and stored files while it runs, and restore them.

A backup is one archive (:mod:`nucmed.services.backup_archive`): the database copy and the
files under the data folder that records point at (the dose maps). Backups made by earlier
versions (the bare database file) are still restored; they carry no files.

SQLite is copied with SQLite's online backup API (:meth:`sqlite3.Connection.backup`): one
read transaction, so the copy is consistent even while the server writes (WAL lets it go on).
PostgreSQL is dumped with ``pg_dump -Fc`` (one snapshot) and restored with ``pg_restore
--clean --if-exists --single-transaction`` (all or nothing). A restore first checks that the
file is a nucmed backup of the configured database's kind and that its schema revision is one
this version knows; it then reports the revision, so that ``nucmed db upgrade`` is run when
the backup is older than the code.

The command line finds ``pg_dump`` and ``pg_restore`` and passes them here (:class:`Tools`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from alembic.script import ScriptDirectory
from sqlalchemy import URL, make_url

from nucmed.errors import N_, refusal
from nucmed.services import backup_archive as archive
from nucmed.services import database as database_service
from nucmed.store.migrate import alembic_config

__all__ = ["BackupView", "Tools", "backup", "kind_of", "restore"]

Kind = Literal["sqlite", "postgresql"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
_COPY_VERSION = re.compile(
    r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n([^\n]+)\n", re.M
)
_TIMEOUT_S = 3600


@dataclass(frozen=True, slots=True)
class Tools:
    """The PostgreSQL client programs (None: not found); SQLite needs neither."""

    pg_dump: str | None = None
    pg_restore: str | None = None


@dataclass(frozen=True, slots=True)
class BackupView:
    """A backup written or restored: its file, the database's kind and address, the schema
    revision in the file and this version's newest (``head``), the file's size and the number of
    data files (dose maps) it carries or brought back."""

    path: Path
    kind: Kind
    database: str
    revision: str
    head: str
    size_bytes: int
    files: int = 0

    @property
    def up_to_date(self) -> bool:
        """Whether the schema in the backup is this version's newest."""
        return self.revision == self.head


def kind_of(url: str) -> Kind:
    """The kind of database at ``url``: ``sqlite`` or ``postgresql``.

    Examples
    --------
    >>> kind_of("postgresql+psycopg://nucmed@db/nucmed")
    'postgresql'
    """
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise refusal(N_("nucmed backs up SQLite and PostgreSQL, not {backend}"), backend=backend)
    return "sqlite" if backend == "sqlite" else "postgresql"


def backup(url: str, target: Path, tools: Tools, data_dir: Path | None = None) -> BackupView:
    """Write a consistent copy of the database at ``url``, and the stored files under
    ``data_dir`` (none when None), to the new archive ``target``.

    The database is copied first, then the files: files are written before the records that
    name them, so every file the copy's records name is in the archive.

    Raises
    ------
    NucmedInputError
        If ``target`` exists, the database is not migrated, or ``pg_dump`` is missing or
        fails (its message is given).
    """
    if target.exists():
        raise refusal(N_("{path} exists already: choose a new file name"), path=str(target))
    installation = database_service.open_database(url)
    try:
        found = database_service.revision(installation)
    finally:
        database_service.close(installation)
    if found.current is None:
        raise refusal(N_("the database is not migrated: there is nothing to back up"))
    kind = kind_of(url)
    with _written_atomically(target) as partial, _scratch(target.parent) as scratch:
        copy = scratch / "database"
        if kind == "sqlite":
            _sqlite_copy(_sqlite_file(url), copy)
        else:
            _pg_dump(url, copy, tools)
        files = archive.pack(partial, kind, found.current, copy, data_dir)
    size = target.stat().st_size
    return BackupView(target, kind, found.url, found.current, found.head, size, files)


def restore(url: str, source: Path, tools: Tools, data_dir: Path | None = None) -> BackupView:
    """Replace the database at ``url`` with the backup ``source`` and put the files it carries
    back under ``data_dir`` (not when None); the server must be stopped.

    The file must be a nucmed backup of the same kind (SQLite or PostgreSQL) whose schema
    revision this version knows. The files are put back first (each checked against the
    SHA-256 in its name; files already there stay), then the database. SQLite: the backup is
    checked on a private copy, then copied into the database through SQLite's lock in one
    transaction; PostgreSQL: ``pg_restore --clean --if-exists --single-transaction``.

    Raises
    ------
    NucmedInputError
        If the file is missing or not such a backup, or the restore fails.
    """
    kind = kind_of(url)
    with _scratch(_sqlite_file(url).parent if kind == "sqlite" else None) as scratch:
        found, database, files = _opened(source, scratch)
        if found != kind:
            raise refusal(
                N_("{path} is a {found} backup, but the database is {kind}"),
                path=str(source),
                found=found,
                kind=kind,
            )
        restored = 0
        if files and data_dir is not None:
            restored = archive.restore_files(source, files, data_dir)
        if kind == "sqlite":
            revision = _sqlite_restore(database, _sqlite_file(url), source)
        else:
            revision = _pg_restore(url, database, tools, source)
    installation = database_service.open_database(url)
    try:
        now = database_service.revision(installation)
    finally:
        database_service.close(installation)
    if now.current != revision:
        raise refusal(
            N_("the restored database is at revision {now}, not {revision}"),
            now=str(now.current),
            revision=revision,
        )
    size = source.stat().st_size
    return BackupView(source, kind, now.url, revision, now.head, size, restored)


@contextlib.contextmanager
def _scratch(near: Path | None) -> Iterator[Path]:
    """A private temporary folder (in ``near`` when it exists), removed afterwards."""
    place = near if near is not None and near.is_dir() else None
    with tempfile.TemporaryDirectory(prefix=".nucmed-backup.", dir=place) as folder:
        yield Path(folder)


def _opened(source: Path, scratch: Path) -> tuple[Kind, Path, tuple[str, ...]]:
    """The backup's kind, its database file and the data files it carries: an archive's
    database is extracted into ``scratch`` (its revision checked); a bare database file (made
    by an earlier version) is used as it is and carries no files."""
    found = _kind_of_file(source)
    if found != "archive":
        return found, source, ()
    opened = archive.unpacked(source, scratch)
    if _kind_of_file(opened.database) != opened.kind:
        raise _not_a_backup(source)
    _known(opened.revision, source)
    return opened.kind, opened.database, opened.files


def _kind_of_file(path: Path) -> Kind | Literal["archive"]:
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise refusal(N_("cannot read {path}: {reason}"), path=str(path), reason=reason) from None
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    if start.startswith(archive.GZIP_MAGIC):
        return "archive"
    raise _not_a_backup(path)


def _not_a_backup(path: Path) -> Exception:
    return refusal(N_("{path} is not a nucmed backup (made by nucmed backup)"), path=str(path))


def _known(revision: str | None, path: Path) -> str:
    """``revision`` if this version of nucmed knows it; a refusal otherwise."""
    if revision is None:
        raise _not_a_backup(path)
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    if revision not in {step.revision for step in script.walk_revisions()}:
        raise refusal(
            N_(
                "{path} has schema revision {revision}, unknown to this version of nucmed: "
                "restore it with the version that made it"
            ),
            path=str(path),
            revision=revision,
        )
    return revision


@contextlib.contextmanager
def _written_atomically(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` that becomes ``target`` only when the block ends
    normally (a rename, atomic on one file system); removed otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


# SQLite


def _sqlite_file(url: str) -> Path:
    name = make_url(url).database
    if not name or name == ":memory:":
        raise refusal(N_("an in-memory SQLite database cannot be backed up or restored"))
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` into the new file ``target`` with SQLite's backup API (one
    step, so one consistent snapshot), as one self-contained file (no ``-wal`` beside it)."""
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _sqlite_revision(path: Path) -> str | None:
    """The schema revision of the SQLite file ``path`` (a private copy) after an integrity
    check; None if it is not a sound nucmed database."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                return None
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _sqlite_restore(source: Path, target: Path, named: Path) -> str:
    """Check a private copy of ``source``, then copy it into ``target`` in one transaction;
    ``named`` is the backup as given (for messages)."""
    with tempfile.TemporaryDirectory(dir=target.parent if target.parent.exists() else None) as d:
        private = Path(d) / "restore.sqlite3"
        _sqlite_copy(source, private)
        revision = _known(_sqlite_revision(private), named)
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            contextlib.closing(sqlite3.connect(private)) as src,
            contextlib.closing(sqlite3.connect(target, timeout=30)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return revision


# PostgreSQL


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL for the PostgreSQL client programs and their environment (the password goes
    in ``PGPASSWORD``, never on the command line)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _program(path: str | None, name: str) -> str:
    if path is None:
        raise refusal(
            N_("{program} was not found on PATH: install the PostgreSQL client programs"),
            program=name,
        )
    return path


def _run(command: list[str], env: dict[str, str], program: str) -> str:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=_TIMEOUT_S
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise refusal(
            N_("{program} failed: {reason}"),
            program=program,
            reason=lines[-1] if lines else f"status {done.returncode}",
        )
    return done.stdout


def _pg_dump(url: str, target: Path, tools: Tools) -> None:
    program = _program(tools.pg_dump, "pg_dump")
    address, env = _libpq(url)
    _run([program, "--format=custom", f"--file={target}", f"--dbname={address}"], env, "pg_dump")


def _pg_revision(source: Path, program: str) -> str | None:
    """The schema revision stored in the dump ``source`` (its ``alembic_version`` row)."""
    command = [program, "--data-only", "--table=alembic_version", "--file=-", str(source)]
    try:
        text = _run(command, dict(os.environ), "pg_restore")
    except ValueError:
        return None
    found = _COPY_VERSION.search(text)
    return found.group(1) if found else None


def _pg_restore(url: str, source: Path, tools: Tools, named: Path) -> str:
    program = _program(tools.pg_restore, "pg_restore")
    revision = _known(_pg_revision(source, program), named)
    address, env = _libpq(url)
    _run(
        [
            program,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={address}",
            str(source),
        ],
        env,
        "pg_restore",
    )
    return revision
