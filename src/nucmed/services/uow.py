"""Unit of work: one transaction per use case, with the repositories it needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from nucmed.store.db import SessionFactory
from nucmed.store.repositories import (
    AuditRepository,
    SiteRepository,
    TokenRepository,
    UserRepository,
)

__all__ = ["Store", "transaction"]


@dataclass(frozen=True, slots=True)
class Store:
    """The repositories of one transaction."""

    session: Session
    sites: SiteRepository
    users: UserRepository
    tokens: TokenRepository
    audit: AuditRepository


@contextmanager
def transaction(factory: SessionFactory, *, write_lock: bool = False) -> Iterator[Store]:
    """Open a transaction; commit if the block ends normally, roll back if it raises.

    ``write_lock=True`` is for use cases that read a balance and then write against it (a
    draw from a multi-dose vial): on SQLite the transaction takes the write lock at once, so
    concurrent ones queue; on PostgreSQL the use case locks its rows (``SELECT ... FOR
    UPDATE``).

    Examples
    --------
    ``with transaction(factory) as store: store.users.add(...)`` writes all or nothing.
    """
    with factory.begin() as session:
        if write_lock:
            session.connection(execution_options={"nucmed_write_lock": True})
        yield Store(
            session=session,
            sites=SiteRepository(session),
            users=UserRepository(session),
            tokens=TokenRepository(session),
            audit=AuditRepository(session),
        )
