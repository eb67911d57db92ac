"""Occupational dose totals and alerts (ICRP 103 Table 6, ICRP 118): analytic sums over
calendar years, the five-year window rolling over year ends, alerts once per crossing."""

from __future__ import annotations

from datetime import date

import pytest

from nucmed.errors import NucmedInputError
from nucmed.safety.staff_doses import (
    Dose,
    DoseLimits,
    alerts_for,
    five_year_total,
    quantity_of,
    year_total,
)

MSV = 1e-3
LIMITS = DoseLimits(20 * MSV, 50 * MSV, 20 * MSV, 500 * MSV, 500 * MSV)
"""The site defaults (ICRP 103 Table 6; lens ICRP 118)."""


def effective(on: date, msv: float) -> Dose:
    return Dose("effective", on, msv * MSV)


def test_year_total_counts_the_year_the_period_ends_in() -> None:
    doses = [effective(date(2025, 12, 31), 2), effective(date(2026, 1, 1), 3)]
    assert year_total(doses, "effective", 2025) == pytest.approx(2 * MSV)
    assert year_total(doses, "effective", 2026) == pytest.approx(3 * MSV)
    assert year_total(doses, "lens", 2026) == 0.0


def test_five_year_sum_rolls_over_year_ends() -> None:
    """The window of year Y is Y-4..Y: a dose of 31 Dec 2021 counts up to 2025, not in 2026;
    one of 1 Jan 2022 counts up to 2026, not in 2027."""
    doses = [effective(date(2021, 12, 31), 10), effective(date(2022, 1, 1), 1)]
    assert five_year_total(doses, "effective", 2021) == pytest.approx(10 * MSV)
    assert five_year_total(doses, "effective", 2025) == pytest.approx(11 * MSV)
    assert five_year_total(doses, "effective", 2026) == pytest.approx(1 * MSV)
    assert five_year_total(doses, "effective", 2027) == 0.0


def test_five_year_limit_alerts_when_crossed() -> None:
    """100 mSv over five years (5 x 20): 4 years of 20 mSv then 20.5 mSv crosses it."""
    earlier = [effective(date(year, 6, 30), 20) for year in range(2022, 2026)]
    alerts = alerts_for(effective(date(2026, 6, 30), 20.5), earlier, LIMITS)
    assert [(a.kind, a.year) for a in alerts] == [("five_year_limit", 2026)]
    assert alerts[0].value_sv == pytest.approx(100.5 * MSV)
    assert alerts[0].limit_sv == pytest.approx(100 * MSV)


def test_year_end_lets_the_oldest_year_drop_out() -> None:
    """The same 20.5 mSv in 2027: 2022 has left the window (sum 80.5 mSv), no alert."""
    earlier = [effective(date(year, 6, 30), 20) for year in range(2022, 2026)]
    assert alerts_for(effective(date(2027, 1, 31), 20.5), earlier, LIMITS) == []


def test_limit_alerts_once_per_crossing() -> None:
    earlier = [effective(date(2026, 1, 31), 51)]
    assert alerts_for(effective(date(2026, 2, 28), 1), earlier, LIMITS) == []


def test_exactly_at_a_limit_is_within_it() -> None:
    earlier = [effective(date(2026, 1, 31), 49)]
    assert alerts_for(effective(date(2026, 2, 28), 1), earlier, LIMITS) == []
    assert alerts_for(effective(date(2026, 2, 28), 1.001), earlier, LIMITS)


def test_investigation_level_is_per_reading() -> None:
    new = effective(date(2026, 3, 31), 1.5)
    (alert,) = alerts_for(new, [], LIMITS, investigation_level_sv=1 * MSV)
    assert (alert.kind, alert.source) == ("investigation_level", "site investigation level")
    assert alerts_for(effective(date(2026, 3, 31), 1), [], LIMITS, 1 * MSV) == []


def test_lens_and_extremity_limits() -> None:
    lens = [Dose("lens", date(year, 6, 30), 20 * MSV) for year in range(2022, 2026)]
    (alert,) = alerts_for(Dose("lens", date(2026, 6, 30), 21 * MSV), lens, LIMITS)
    assert (alert.kind, alert.source) == ("five_year_limit", "ICRP 118")
    ring = [Dose("extremity", date(2026, 1, 31), 499 * MSV)]
    (alert,) = alerts_for(Dose("extremity", date(2026, 2, 28), 2 * MSV), ring, LIMITS)
    assert (alert.kind, alert.limit_sv) == ("annual_limit", pytest.approx(0.5))


def test_dosimeter_kinds_and_bad_input() -> None:
    assert [quantity_of(k) for k in ("whole_body", "eye", "ring")] == [
        "effective",
        "lens",
        "extremity",
    ]
    with pytest.raises(NucmedInputError):
        quantity_of("wrist")
    with pytest.raises(NucmedInputError):
        alerts_for(Dose("effective", date(2026, 1, 1), -1.0), [], LIMITS)
    with pytest.raises(NucmedInputError):
        alerts_for(Dose("thyroid", date(2026, 1, 1), 1.0), [], LIMITS)
