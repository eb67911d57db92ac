"""Engines and sessions. Nothing is created at import: call :func:`make_engine`.

How the database waits (see :class:`EngineLimits`): a SQLite writer waits for the write lock
up to the busy timeout; on PostgreSQL a statement waits for a row or table lock up to
``lock_timeout`` (the same number of seconds) and, where a statement timeout is given, runs at
most that long; a thread waits for a free connection of the pool as long. What still fails
to get its lock is told apart from other errors by :func:`is_busy`.
"""

from __future__ import annotations

import fcntl
import os
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DataError, DBAPIError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from nucmed.store.turns import TurnLock

__all__ = [
    "EngineLimits",
    "SessionFactory",
    "WriterGate",
    "is_busy",
    "is_unstorable",
    "make_engine",
    "make_session_factory",
    "writer_gate",
]

SessionFactory = sessionmaker[Session]

BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014"})
"""PostgreSQL SQLSTATEs of a transaction that did not get its turn: serialization failure,
deadlock detected, lock not available (``lock_timeout``) and query cancelled
(``statement_timeout``) (PostgreSQL documentation, Appendix A, "Error Codes")."""

SQLITE_BUSY_CODES = frozenset({5, 6})
"""SQLite primary result codes SQLITE_BUSY and SQLITE_LOCKED ("Result and Error Codes")."""


@dataclass(frozen=True, slots=True)
class EngineLimits:
    """How long the database waits for a lock and how many connections it keeps.

    Parameters
    ----------
    busy_timeout_s
        Seconds a transaction waits for a lock before it fails as busy: SQLite's busy timeout,
        PostgreSQL's ``lock_timeout``, and the wait for a free connection of the pool.
    statement_timeout_s
        PostgreSQL's ``statement_timeout`` in seconds: the longest a statement may run; None
        for no limit (migrations and other commands run without one).
    pool_size
        Connections each process keeps open (PostgreSQL, SQLite file).
    max_overflow
        Connections opened beyond ``pool_size`` at a peak and closed after it.
    """

    busy_timeout_s: float = 10.0
    statement_timeout_s: float | None = None
    pool_size: int = 10
    max_overflow: int = 10


def _lower(value: object) -> object:
    """SQL ``lower()`` for every script: SQLite's own folds ASCII letters only, so that a
    search for a Cyrillic name (``Досанов``) found nothing (PostgreSQL's folds them all)."""
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal (readers do not block the writer), foreign keys enforced and ``lower()``
    for every script (:func:`_lower`).

    The driver's own transaction handling is switched off (``isolation_level = None``) and
    SQLAlchemy emits BEGIN itself, so that SAVEPOINTs work (SQLAlchemy documentation,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite). The busy timeout
    is the driver's ``timeout`` (see :func:`make_engine`).
    """
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Start the transaction explicitly (see :func:`_sqlite_pragmas`).

    With the execution option ``nucmed_write_lock=True`` the transaction takes SQLite's write
    lock at once (``BEGIN IMMEDIATE``), waiting up to the busy timeout for it, so that two
    writers queue instead of both reading and then one failing; without it the transaction
    is deferred (a reader, which never waits in WAL mode); see
    :func:`nucmed.services.uow.transaction`.
    """
    immediate = connection.get_execution_options().get("nucmed_write_lock", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _pool_options(limits: EngineLimits) -> dict[str, Any]:
    return {
        "pool_size": limits.pool_size,
        "max_overflow": limits.max_overflow,
        "pool_timeout": limits.busy_timeout_s,
    }


def _postgres_options(limits: EngineLimits) -> str:
    """The server settings every connection starts with (``-c name=value``, milliseconds)."""
    options = [f"-c lock_timeout={round(limits.busy_timeout_s * 1000)}"]
    if limits.statement_timeout_s is not None:
        options.append(f"-c statement_timeout={round(limits.statement_timeout_s * 1000)}")
    return " ".join(options)


@dataclass(slots=True)
class WriterGate:
    """The queue of a SQLite database's writers: a writer :meth:`enter` s (waiting at most
    ``timeout_s``) before ``BEGIN IMMEDIATE`` and :meth:`leave` s when its transaction ends.

    SQLite's own busy handler retries with growing sleeps, so under load one writer can starve
    for the whole busy timeout while later ones get through. Here the threads of one process
    wait in turn on a lock that serves them in the order they came (:class:`TurnLock`), and
    the one at the head of each process's queue then takes an
    exclusive ``flock`` on a file beside the database (``lock_path``), so that the worker
    processes of ``nucmed serve --workers N`` and the commands run beside them queue too. An
    in-memory database (``lock_path`` None) has only the first queue.
    """

    lock: TurnLock
    timeout_s: float
    lock_path: Path | None = None
    _depth: int = 0
    _file: tuple[int, int] | None = None
    """(process id, descriptor) of the open lock file: opened again after a fork, because
    an inherited descriptor would share its ``flock`` with the parent."""

    def enter(self) -> bool:
        """Wait for the turn to write; False if it did not come within ``timeout_s``."""
        deadline = time.monotonic() + self.timeout_s
        if not self.lock.acquire(timeout=self.timeout_s):
            return False
        if self._depth == 0 and not self._lock_file(deadline):
            self.lock.release()
            return False
        self._depth += 1
        return True

    def leave(self) -> None:
        """End the turn taken by :meth:`enter`."""
        self._depth -= 1
        if self._depth == 0 and self._file is not None:
            fcntl.flock(self._file[1], fcntl.LOCK_UN)
        self.lock.release()

    def _lock_file(self, deadline: float) -> bool:
        if self.lock_path is None:
            return True
        if self._file is None or self._file[0] != os.getpid():
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._file = (os.getpid(), descriptor)
        pause_s = _FIRST_PAUSE_S
        while True:
            try:
                fcntl.flock(self._file[1], fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() + pause_s > deadline:
                    return False
                time.sleep(pause_s)
                pause_s = min(pause_s * 2, _LAST_PAUSE_S)
            else:
                return True


_FIRST_PAUSE_S, _LAST_PAUSE_S = 0.0001, 0.001
"""How long the head of a process's queue sleeps between tries of the file lock: short,
because at most one thread per process tries, and the file lock stays unused while it sleeps
(with 0.5-4 ms, about a tenth of the time under the load of ``make reliability``)."""


_GATES: weakref.WeakKeyDictionary[Engine, WriterGate] = weakref.WeakKeyDictionary()


def writer_gate(factory: SessionFactory) -> WriterGate | None:
    """The writers' queue of the SQLite engine the sessions of ``factory`` use (None for
    PostgreSQL, whose row locks queue writers themselves)."""
    bind = factory.kw.get("bind")
    engine = bind.engine if isinstance(bind, Connection) else bind
    return _GATES.get(engine) if isinstance(engine, Engine) else None


def _sqlite_engine(url: str, database: str | None, limits: EngineLimits) -> Engine:
    in_memory = not database or database == ":memory:"
    if not in_memory:
        Path(str(database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": limits.busy_timeout_s},
        hide_parameters=True,
        **({} if in_memory else _pool_options(limits)),
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    lock_path = None if in_memory else Path(f"{database}-writer.lock")
    _GATES[engine] = WriterGate(TurnLock(), limits.busy_timeout_s, lock_path)
    return engine


def make_engine(url: str, limits: EngineLimits | None = None) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its folder and set pragmas.

    SQL parameters (patient names, hospital numbers) are never shown in error messages or
    logs (``hide_parameters``).

    Parameters
    ----------
    url
        SQLAlchemy URL, ``sqlite:///path/to/file.sqlite3`` or
        ``postgresql+psycopg://user@host/db``.
    limits
        Timeouts and pool size (:class:`EngineLimits`'s defaults when not given). On
        PostgreSQL they are sent as connection options, which replace any ``options`` in
        the URL.
    """
    chosen = limits or EngineLimits()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, chosen)
    return create_engine(
        url,
        connect_args={"options": _postgres_options(chosen)},
        hide_parameters=True,
        pool_pre_ping=True,
        **_pool_options(chosen),
    )


def _sqlstate(original: object) -> str | None:
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state if isinstance(state, str) else None


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means "the database was busy": a lock, or a connection of the pool,
    not had within its timeout, a deadlock or a serialization failure; trying again later
    may succeed.

    Examples
    --------
    >>> is_busy(ValueError("database is locked"))
    False
    """
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    state = _sqlstate(error.orig)
    if state is not None:
        return state in BUSY_SQLSTATES
    code = getattr(error.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in SQLITE_BUSY_CODES


DATA_EXCEPTION_CLASS = "22"
"""PostgreSQL SQLSTATE class 22, "data exception": a value too long for its column (22001),
a number out of range (22003), a date-time out of range (22008), a character the encoding
cannot hold (22P05, 22021) (PostgreSQL documentation, Appendix A, "Error Codes")."""


def is_unstorable(error: BaseException) -> bool:
    """Whether ``error`` means "a value cannot be stored as given": PostgreSQL's data
    exceptions, or a value the driver refused to send (an integer beyond 64 bits on SQLite,
    a NUL character for psycopg). The input was wrong, not the database.

    Examples
    --------
    >>> is_unstorable(ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    False
    """
    if isinstance(error, DataError):  # the DB-API's own category for bad data
        return True
    if isinstance(error, DBAPIError):
        state = _sqlstate(error.orig)
        return state is not None and state.startswith(DATA_EXCEPTION_CLASS)
    return isinstance(error, StatementError) and isinstance(error.orig, OverflowError | ValueError)


def make_session_factory(engine: Engine) -> SessionFactory:
    """A session factory; sessions do not expire objects on commit."""
    return sessionmaker(engine, expire_on_commit=False)
