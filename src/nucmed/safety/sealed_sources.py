"""Sealed sources: when the next leak test is due, and whether a leak test passes.

A sealed source is leak-tested at intervals of at most six months; the first interval runs from
its reference date. A test that finds 185 Bq (0.005 µCi) or more of removable contamination
fails: the source is withdrawn from use. The dashboard lists a test from
:data:`DUE_AHEAD_DAYS` before its date, so that it is planned before it is late.

Pure: activities in Bq, dates as calendar days.

References
----------
.. [1] US NRC, 10 CFR 35.67(b)(2) (leak tests at intervals not to exceed 6 months) and
   35.67(e) (185 Bq or more of removable contamination: withdraw the source), recalled, not
   re-read (status ``recalled``); the same 185 Bq is the usual limit of ISO 9978 wipe tests.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from nucmed.data import Status
from nucmed.errors import N_, refusal

__all__ = [
    "DUE_AHEAD_DAYS",
    "LEAK_LIMIT_BQ",
    "MAX_INTERVAL_DAYS",
    "STATUS",
    "check_interval",
    "leak_test_passes",
    "next_due",
    "shown_as_due",
]

LEAK_LIMIT_BQ = 185.0
"""Removable activity at or above which a leak test fails (10 CFR 35.67(e))."""
MAX_INTERVAL_DAYS = 183
"""Six months, the longest leak-test interval (10 CFR 35.67(b)(2)), in days (half of 366)."""
DUE_AHEAD_DAYS = 30
"""How long before its date a leak test is listed as due: nucmed's choice (a month to plan it),
not a rule."""
STATUS = Status.RECALLED


def check_interval(days: int) -> int:
    """A leak-test interval in days, 1 to :data:`MAX_INTERVAL_DAYS`.

    Raises
    ------
    NucmedInputError
        Outside that range.
    """
    if not 1 <= days <= MAX_INTERVAL_DAYS:
        raise refusal(
            N_("the leak-test interval must be 1 to {most} days (six months)"),
            most=MAX_INTERVAL_DAYS,
        )
    return days


def leak_test_passes(removable_bq: float) -> bool:
    """Whether a leak test passes: less than 185 Bq removable.

    Raises
    ------
    NucmedInputError
        A negative or infinite activity.

    Examples
    --------
    >>> leak_test_passes(184.9), leak_test_passes(185.0)
    (True, False)
    """
    if not math.isfinite(removable_bq) or removable_bq < 0:
        raise refusal(N_("the removable activity must be a finite number of 0 or more"))
    return removable_bq < LEAK_LIMIT_BQ


def next_due(reference_date: date, interval_days: int, last_test: date | None) -> date:
    """The day the next leak test is due: an interval after the last test, or after the
    reference date when the source has not been tested.

    Examples
    --------
    >>> next_due(date(2026, 1, 1), 183, None), next_due(date(2026, 1, 1), 183, date(2026, 5, 1))
    (datetime.date(2026, 7, 3), datetime.date(2026, 10, 31))
    """
    return (last_test or reference_date) + timedelta(days=interval_days)


def shown_as_due(due: date, today: date) -> bool:
    """Whether a test due on ``due`` is listed today (from :data:`DUE_AHEAD_DAYS` before it).

    Examples
    --------
    >>> today = date(2026, 7, 1)
    >>> shown_as_due(date(2026, 7, 31), today), shown_as_due(date(2026, 8, 1), today)
    (True, False)
    """
    return (due - today).days <= DUE_AHEAD_DAYS
