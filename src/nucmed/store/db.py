"""Engines and sessions. Nothing is created at import: call :func:`make_engine`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["SessionFactory", "make_engine", "make_session_factory"]

SessionFactory = sessionmaker[Session]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal (readers do not block the writer), foreign keys enforced, wait on locks.

    The driver's own transaction handling is switched off (``isolation_level = None``) and
    SQLAlchemy emits BEGIN itself, so that SAVEPOINTs work (SQLAlchemy documentation,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Start the transaction explicitly (see :func:`_sqlite_pragmas`).

    With the execution option ``nucmed_write_lock=True`` the transaction takes SQLite's write
    lock at once (``BEGIN IMMEDIATE``), so that two writers queue instead of both reading and
    then one failing; see :func:`nucmed.services.uow.transaction`.
    """
    immediate = connection.get_execution_options().get("nucmed_write_lock", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its folder and set pragmas.

    Parameters
    ----------
    url
        SQLAlchemy URL, ``sqlite:///path/to/file.sqlite3`` or
        ``postgresql+psycopg://user@host/db``.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> SessionFactory:
    """A session factory; sessions do not expire objects on commit."""
    return sessionmaker(engine, expire_on_commit=False)
