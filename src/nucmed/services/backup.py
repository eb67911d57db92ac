"""Back up the installation's database while it runs, and restore it from such a backup.

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
    revision in the file and this version's newest (``head``), and the file's size."""

    path: Path
    kind: Kind
    database: str
    revision: str
    head: str
    size_bytes: int

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


def backup(url: str, target: Path, tools: Tools) -> BackupView:
    """Write a consistent copy of the database at ``url`` to ``target`` (a new file).

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
    with _written_atomically(target) as partial:
        if kind == "sqlite":
            _sqlite_copy(_sqlite_file(url), partial)
        else:
            _pg_dump(url, partial, tools)
    return BackupView(target, kind, found.url, found.current, found.head, target.stat().st_size)


def restore(url: str, source: Path, tools: Tools) -> BackupView:
    """Replace the database at ``url`` with the backup ``source``; the server must be stopped.

    The file must be a nucmed backup of the same kind (SQLite or PostgreSQL) whose schema
    revision this version knows. SQLite: the backup is checked on a private copy, then copied
    into the database through SQLite's lock in one transaction; PostgreSQL: ``pg_restore
    --clean --if-exists --single-transaction``.

    Raises
    ------
    NucmedInputError
        If the file is missing or not such a backup, or the restore fails.
    """
    kind = kind_of(url)
    found = _kind_of_file(source)
    if found != kind:
        raise refusal(
            N_("{path} is a {found} backup, but the database is {kind}"),
            path=str(source),
            found=found,
            kind=kind,
        )
    if kind == "sqlite":
        revision = _sqlite_restore(source, _sqlite_file(url))
    else:
        revision = _pg_restore(url, source, tools)
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
    return BackupView(source, kind, now.url, revision, now.head, source.stat().st_size)


def _kind_of_file(path: Path) -> Kind:
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


def _sqlite_restore(source: Path, target: Path) -> str:
    """Check a private copy of ``source``, then copy it into ``target`` in one transaction."""
    with tempfile.TemporaryDirectory(dir=target.parent if target.parent.exists() else None) as d:
        private = Path(d) / "restore.sqlite3"
        _sqlite_copy(source, private)
        revision = _known(_sqlite_revision(private), source)
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


def _pg_restore(url: str, source: Path, tools: Tools) -> str:
    program = _program(tools.pg_restore, "pg_restore")
    revision = _known(_pg_revision(source, program), source)
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
