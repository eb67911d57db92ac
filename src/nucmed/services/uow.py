"""Unit of work: one transaction per use case, with the repositories it needs and the clock.

An interface holds a :class:`Database` (the session factory and the clock of the running
installation) and passes it to a service function; the service opens its own transaction
with :func:`transaction` and reads "now" from ``store.now()``. Nothing above the services
touches a session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from nucmed.services.clock import Clock, SystemClock
from nucmed.store.db import SessionFactory
from nucmed.store.repositories import (
    AuditRepository,
    SiteRepository,
    TokenRepository,
    UserRepository,
)

__all__ = ["Database", "SessionFactory", "Store", "transaction"]


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


@contextmanager
def transaction(
    database: Database | SessionFactory, *, write_lock: bool = False
) -> Iterator[Store]:
    """Open a transaction; commit if the block ends normally, roll back if it raises.

    ``database`` is a :class:`Database`, or a bare session factory (the system clock).
    ``write_lock=True`` is for use cases that read a balance and then write against it (a
    draw from a multi-dose vial): on SQLite the transaction takes the write lock at once, so
    concurrent ones queue; on PostgreSQL the use case locks its rows (``SELECT ... FOR
    UPDATE``).

    Examples
    --------
    ``with transaction(database) as store: store.users.add(...)`` writes all or nothing.
    """
    if isinstance(database, Database):
        factory, clock = database.factory, database.clock
    else:
        factory, clock = database, SystemClock()
    with factory.begin() as session:
        if write_lock:
            session.connection(execution_options={"nucmed_write_lock": True})
        yield Store(
            session=session,
            sites=SiteRepository(session),
            users=UserRepository(session),
            tokens=TokenRepository(session),
            audit=AuditRepository(session),
            clock=clock,
        )
