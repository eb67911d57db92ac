"""The clock every use case reads "now" from (nucmed.services.clock): the system's, and the
fixed one tests and the demo use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.clock import Clock, FixedClock, SystemClock

ALMATY_0900 = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
UTC_0400 = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # the same moment (Almaty is UTC+5)


@pytest.mark.real_clock
def test_system_clock_tells_the_current_moment_in_utc() -> None:
    before = datetime.now(UTC)
    told = SystemClock().now()
    after = datetime.now(UTC)
    assert told.tzinfo is UTC
    assert before <= told <= after


def test_fixed_clock_stands_still_and_keeps_the_moment_in_utc() -> None:
    clock = FixedClock(ALMATY_0900)
    assert clock.now() == UTC_0400
    assert clock.now().tzinfo is UTC
    assert clock.now() == clock.now()


def test_advance_moves_the_clock_on_and_returns_the_new_moment() -> None:
    clock = FixedClock(UTC_0400)
    moved = clock.advance(timedelta(minutes=30))
    assert moved == clock.now() == UTC_0400 + timedelta(minutes=30)
    clock.advance(timedelta(hours=-1))  # a negative step goes back
    assert clock.now() == UTC_0400 - timedelta(minutes=30)


def test_set_puts_the_clock_at_a_moment_given_in_any_offset() -> None:
    clock = FixedClock(UTC_0400)
    bishkek_2350 = datetime(2026, 12, 1, 23, 50, tzinfo=timezone(timedelta(hours=6)))
    clock.set(bishkek_2350)
    assert clock.now() == datetime(2026, 12, 1, 17, 50, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_a_moment_without_time_zone_is_refused() -> None:
    naive = datetime(2026, 12, 1, 9, 0)
    with pytest.raises(NucmedInputError, match="has no time zone"):
        FixedClock(naive)
    clock = FixedClock(UTC_0400)
    with pytest.raises(NucmedInputError, match="has no time zone"):
        clock.set(naive)
    assert clock.now() == UTC_0400  # a refused moment leaves the clock where it was


@pytest.mark.real_clock
def test_both_clocks_are_clocks() -> None:
    clocks: list[Clock] = [SystemClock(), FixedClock(UTC_0400)]
    assert all(clock.now().utcoffset() == timedelta(0) for clock in clocks)
