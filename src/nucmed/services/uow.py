"""Unit of work: one transaction per use case, with the repositories it needs and the clock.

An interface holds a :class:`Database` (the session factory and the clock of the running
installation) and passes it to a service function; the service opens its own transaction
with :func:`transaction` and reads "now" from ``store.now()``. Nothing above the services
touches a session. A transaction that cannot get its lock in time raises
:class:`DatabaseBusyError` (the web answers 503, the command line exits with status 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from nucmed.errors import N_, NucmedInputError
from nucmed.services.clock import Clock, SystemClock
from nucmed.store.db import SessionFactory, is_busy, is_unstorable, writer_gate
from nucmed.store.repositories import (
    AuditRepository,
    SiteRepository,
    TokenRepository,
    UserRepository,
)

__all__ = [
    "BUSY_MESSAGE",
    "Database",
    "DatabaseBusyError",
    "ReadOnlyTransactionError",
    "SessionFactory",
    "Store",
    "StoredValueError",
    "transaction",
]

BUSY_MESSAGE = N_("the database is busy: try again in a few seconds")
"""What a person is told when the database stayed locked past its busy timeout."""


class DatabaseBusyError(Exception):
    """The database stayed locked (or had no free connection) past its timeout, or a deadlock
    or serialization failure ended the transaction; nothing was written, and trying again in
    ``retry_after_s`` seconds may succeed (HTTP 503 with ``Retry-After``).
    """

    retry_after_s = 5
    """Seconds a client is asked to wait before it tries again."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


@dataclass(frozen=True, slots=True)
class Database:
    """What a service needs to open a unit of work: the session factory and the clock.

    Parameters
    ----------
    factory
        Makes the sessions of the installation's database.
    clock
        Tells "now" to every use case (a :class:`~nucmed.services.clock.FixedClock` in tests
        and for a demo placed at a given moment).
    """

    factory: SessionFactory
    clock: Clock = field(default_factory=SystemClock)


@dataclass(frozen=True, slots=True)
class Store:
    """The repositories of one transaction, and the clock it reads "now" from."""

    session: Session
    sites: SiteRepository
    users: UserRepository
    tokens: TokenRepository
    audit: AuditRepository
    clock: Clock

    def now(self) -> datetime:
        """The current moment by the installation's clock, timezone-aware UTC."""
        return self.clock.now()


class StoredValueError(NucmedInputError):
    """A value the database cannot store as given (too long for its column, out of the
    column's range, a NUL character): bad input that slipped past the edge's checks (HTTP
    422); nothing was written."""


class ReadOnlyTransactionError(RuntimeError):
    """A transaction opened read-only was about to write (a bug in the use case)."""


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    """Stop the flush of a read-only transaction that holds changes."""
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyTransactionError("a read-only transaction was about to write")


@contextmanager
def transaction(
    database: Database | SessionFactory, *, write_lock: bool = False, read_only: bool = False
) -> Iterator[Store]:
    """Open a transaction; commit if the block ends normally, roll back if it raises.

    ``database`` is a :class:`Database`, or a bare session factory (the system clock).

    A transaction writes unless it is opened with ``read_only=True``. On SQLite one that may
    write takes the write lock at its start (``BEGIN IMMEDIATE``), so concurrent writers
    queue for up to the busy timeout instead of failing at once when a deferred transaction
    would upgrade its read lock (inside one process they queue in turn at the engine's
    :class:`~nucmed.store.db.WriterGate` first); a read-only one stays deferred and, in WAL
    mode, never waits. On PostgreSQL both begin alike. A read-only transaction that is about
    to write a record through the session is stopped (a bug in its use case, found by any
    test that runs it).

    ``write_lock=True`` is for use cases that read a balance and then write against it (a
    draw from a multi-dose vial): on SQLite the write lock taken at the start already
    serializes them; on PostgreSQL the use case must also lock the rows it reads
    (``SELECT ... FOR UPDATE``).

    Raises
    ------
    DatabaseBusyError
        The lock was not had within the busy timeout (or a deadlock or serialization failure
        on PostgreSQL); the transaction was rolled back and its connection returned clean.
    ValueError
        Both ``write_lock`` and ``read_only`` were asked for.
    ReadOnlyTransactionError
        A read-only transaction was about to write.

    Examples
    --------
    ``with transaction(database) as store: store.users.add(...)`` writes all or nothing;
    ``with transaction(database, read_only=True) as store: ...`` only reads.
    """
    if write_lock and read_only:
        raise ValueError("a write-locked transaction cannot be read-only")
    if isinstance(database, Database):
        factory, clock = database.factory, database.clock
    else:
        factory, clock = database, SystemClock()
    gate = None if read_only else writer_gate(factory)
    if gate is not None and not gate.enter():
        raise DatabaseBusyError
    try:
        with factory.begin() as session:
            if read_only:
                event.listen(session, "before_flush", _refuse_writes)
            else:
                session.connection(execution_options={"nucmed_write_lock": True})
            yield Store(
                session=session,
                sites=SiteRepository(session),
                users=UserRepository(session),
                tokens=TokenRepository(session),
                audit=AuditRepository(session),
                clock=clock,
            )
    except SQLAlchemyError as error:
        if is_busy(error):
            raise DatabaseBusyError from error
        if is_unstorable(error):
            raise StoredValueError(
                parts=(
                    (
                        N_(
                            "a value is outside what the database can store (too long, too "
                            "large or holding a NUL character)"
                        ),
                        {},
                    ),
                )
            ) from error
        raise
    finally:
        if gate is not None:
            gate.leave()
