"""The one clock every use case reads "now" from.

A running installation uses :class:`SystemClock`; tests and the demo give a
:class:`FixedClock` so that what they record does not depend on the hour they run at (a dose
booked "in 30 minutes" must not fall on tomorrow's board because the suite ran at 23:50).
The clock travels with the unit of work (:class:`nucmed.services.uow.Database`), so a service
never calls ``datetime.now`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from nucmed.checks import aware
from nucmed.errors import N_

__all__ = ["Clock", "FixedClock", "SystemClock"]


class Clock(Protocol):
    """Something that tells the current moment."""

    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        return datetime.now(UTC)


@dataclass(slots=True)
class FixedClock:
    """A clock that stands at ``at`` until moved with :meth:`advance` or :meth:`set`.

    Examples
    --------
    >>> clock = FixedClock(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))
    >>> clock.advance(timedelta(minutes=30)).isoformat()
    '2026-12-01T04:30:00+00:00'
    """

    at: datetime

    def __post_init__(self) -> None:
        self.at = aware(N_("time"), self.at).astimezone(UTC)

    def now(self) -> datetime:
        """The moment the clock stands at (UTC)."""
        return self.at

    def advance(self, by: timedelta) -> datetime:
        """Move the clock on by ``by`` and return the new moment."""
        self.at += by
        return self.at

    def set(self, at: datetime) -> None:
        """Put the clock at ``at`` (timezone-aware)."""
        self.at = aware(N_("time"), at).astimezone(UTC)
