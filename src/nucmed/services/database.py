"""The installation's database as the interfaces see it: open it, migrate it, ask whether it
answers, and report its revision. The web app factory and ``nucmed db`` go through here, so
neither holds an engine or a session of its own. :class:`EngineLimits` sets how long the
database waits for a lock and how many connections each process keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from nucmed.services.clock import Clock, SystemClock
from nucmed.services.uow import Database
from nucmed.store.db import EngineLimits, make_engine, make_session_factory
from nucmed.store.migrate import current_revision, head_revision, upgrade

__all__ = [
    "EngineLimits",
    "Installation",
    "Revision",
    "answers",
    "close",
    "migrate",
    "open_database",
    "revision",
]


@dataclass(frozen=True, slots=True)
class Installation:
    """An open database: what services are given (``database``) and its engine's address."""

    database: Database
    engine: Engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)


@dataclass(frozen=True, slots=True)
class Revision:
    """Where the schema stands: the revision applied (None before any) and the newest."""

    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        """Whether the schema is at the newest revision."""
        return self.current == self.head


def open_database(
    url: str, clock: Clock | None = None, limits: EngineLimits | None = None
) -> Installation:
    """Open the database at ``url`` (no connection is made yet) with ``clock`` (the system's
    when not given) and ``limits`` (timeouts and pool size; the defaults of
    :class:`EngineLimits` when not given, with no statement timeout)."""
    engine = make_engine(url, limits)
    factory = make_session_factory(engine)
    return Installation(Database(factory, clock or SystemClock()), engine)


def close(installation: Installation) -> None:
    """Close every connection of the installation's pool."""
    installation.engine.dispose()


def answers(installation: Installation) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with installation.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def revision(installation: Installation) -> Revision:
    """The schema revision applied and the newest this version knows."""
    return Revision(installation.url, current_revision(installation.engine), head_revision())


def migrate(installation: Installation) -> tuple[Revision, Revision]:
    """Migrate the schema to the newest revision; the revisions before and after."""
    before = revision(installation)
    upgrade(installation.engine)
    return before, revision(installation)
