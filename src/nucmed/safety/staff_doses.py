"""Occupational doses of staff: annual and five-year totals against the dose limits, and the
alerts a new dosimeter reading raises for the radiation safety officer.

A reading belongs to the calendar year in which its monitoring period ends. The effective dose
limit is averaged over five years: the five-year total of a year is the sum over that year and
the four before it (a rolling window, so it moves on at each year end), against five times the
annual limit; no single year may exceed the single-year maximum. The lens of the eye follows
the same five-year rule (ICRP 118); the extremities and the skin have annual limits only.

A reading raises an alert when it passes the site's investigation level for its quantity, and
when it takes a total across a limit (the total before it was within the limit, the total with
it is not): a limit already passed does not alert again for every later reading.

Pure: SI inside (Sv); the limits come from the site's settings.

References
----------
.. [1] ICRP Publication 103 (2007), Table 6: occupational effective dose 20 mSv per year
   averaged over defined periods of 5 years, no more than 50 mSv in any single year; skin and
   extremities 500 mSv per year.
.. [2] ICRP Publication 118 (2012), statement on tissue reactions: lens of the eye 20 mSv per
   year averaged over defined periods of 5 years.
.. [3] IAEA GSR Part 3 (2014), Schedule III, III.1: the same limits; para. 3.100 and
   3.104-3.105 (investigation levels set by the registrant and acted upon).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from nucmed.errors import N_, refusal

__all__ = [
    "DOSIMETER_KINDS",
    "FIVE_YEARS",
    "QUANTITIES",
    "Alert",
    "Dose",
    "DoseLimits",
    "Quantity",
    "alerts_for",
    "five_year_total",
    "quantity_of",
    "year_total",
]

Quantity = Literal["effective", "lens", "extremity", "skin"]
QUANTITIES: tuple[str, ...] = get_args(Quantity)
DOSIMETER_KINDS: dict[str, str] = {
    N_("whole_body"): "effective",
    N_("eye"): "lens",
    N_("ring"): "extremity",
}
"""What each kind of dosimeter measures: a whole-body dosimeter Hp(10) (effective dose), an eye
dosimeter Hp(3) (lens), a ring Hp(0.07) (extremity)."""
FIVE_YEARS = 5
"""The averaging period of the effective and lens dose limits, in calendar years [1, 2]."""
_ICRP103 = N_("ICRP 103 Table 6")
_ICRP118 = N_("ICRP 118")
_SITE = N_("site investigation level")


@dataclass(frozen=True, slots=True)
class DoseLimits:
    """A site's occupational dose limits in Sv (annual ones per calendar year)."""

    effective_per_year_sv: float
    effective_single_year_sv: float
    lens_per_year_sv: float
    extremity_per_year_sv: float
    skin_per_year_sv: float


@dataclass(frozen=True, slots=True)
class Dose:
    """A dosimeter reading: the quantity, the last day of its monitoring period, the dose (Sv)."""

    quantity: str
    period_end: date
    dose_sv: float


@dataclass(frozen=True, slots=True)
class Alert:
    """What a reading passed: ``kind`` (``investigation_level``, ``annual_limit``,
    ``single_year_limit``, ``five_year_limit``), the quantity, the calendar year, the value
    reached and the limit (Sv), and where the limit is written."""

    kind: str
    quantity: str
    year: int
    value_sv: float
    limit_sv: float
    source: str


def quantity_of(kind: str) -> str:
    """The quantity a kind of dosimeter measures.

    Examples
    --------
    >>> quantity_of("ring")
    'extremity'
    """
    if kind not in DOSIMETER_KINDS:
        raise refusal(
            N_("the dosimeter must be one of {allowed}"), allowed=", ".join(DOSIMETER_KINDS)
        )
    return DOSIMETER_KINDS[kind]


def year_total(doses: Sequence[Dose], quantity: str, year: int) -> float:
    """The dose of one quantity in one calendar year (Sv).

    Examples
    --------
    >>> doses = [
    ...     Dose("effective", date(2026, 1, 31), 1e-3),
    ...     Dose("effective", date(2025, 12, 31), 2e-3),
    ... ]
    >>> year_total(doses, "effective", 2026)
    0.001
    """
    return math.fsum(
        d.dose_sv for d in doses if d.quantity == quantity and d.period_end.year == year
    )


def five_year_total(doses: Sequence[Dose], quantity: str, year: int) -> float:
    """The dose of one quantity over ``year`` and the four calendar years before it (Sv).

    Examples
    --------
    >>> doses = [
    ...     Dose("effective", date(2021, 12, 31), 5e-3),
    ...     Dose("effective", date(2022, 1, 1), 1e-3),
    ... ]
    >>> five_year_total(doses, "effective", 2025), five_year_total(doses, "effective", 2026)
    (0.006, 0.001)
    """
    first = year - FIVE_YEARS + 1
    return math.fsum(
        d.dose_sv for d in doses if d.quantity == quantity and first <= d.period_end.year <= year
    )


def _limits(limits: DoseLimits, quantity: str) -> list[tuple[str, float, str]]:
    """(kind, limit in Sv, source) of each limit of a quantity; a five-year limit is five times
    the annual average."""
    if quantity == "effective":
        return [
            ("single_year_limit", limits.effective_single_year_sv, _ICRP103),
            ("five_year_limit", FIVE_YEARS * limits.effective_per_year_sv, _ICRP103),
        ]
    if quantity == "lens":
        return [("five_year_limit", FIVE_YEARS * limits.lens_per_year_sv, _ICRP118)]
    per_year = limits.extremity_per_year_sv if quantity == "extremity" else limits.skin_per_year_sv
    return [("annual_limit", per_year, _ICRP103)]


def _total(doses: Sequence[Dose], kind: str, quantity: str, year: int) -> float:
    if kind == "five_year_limit":
        return five_year_total(doses, quantity, year)
    return year_total(doses, quantity, year)


def alerts_for(
    new: Dose,
    earlier: Sequence[Dose],
    limits: DoseLimits,
    investigation_level_sv: float | None = None,
) -> list[Alert]:
    """The alerts a new reading raises, given the worker's earlier readings.

    Parameters
    ----------
    new
        The reading just received.
    earlier
        The worker's readings before it (every quantity; only ``new``'s counts).
    limits
        The site's dose limits.
    investigation_level_sv
        The site's investigation level for one reading of ``new``'s quantity (None: none set).

    Returns
    -------
    list of Alert
        The investigation level passed by the reading itself, and each limit whose total the
        reading takes from within to above.

    Examples
    --------
    >>> limits = DoseLimits(20e-3, 50e-3, 20e-3, 500e-3, 500e-3)
    >>> before = [Dose("effective", date(2026, 5, 31), 49e-3)]
    >>> new = Dose("effective", date(2026, 6, 30), 2e-3)
    >>> [a.kind for a in alerts_for(new, before, limits, 1e-3)]
    ['investigation_level', 'single_year_limit']
    """
    if new.quantity not in QUANTITIES:
        raise refusal(N_("the quantity must be one of {allowed}"), allowed=", ".join(QUANTITIES))
    if not math.isfinite(new.dose_sv) or new.dose_sv < 0:
        raise refusal(N_("a dose must be a finite number of 0 or more"))
    year = new.period_end.year
    alerts = []
    if investigation_level_sv is not None and new.dose_sv > investigation_level_sv:
        alerts.append(
            Alert(
                "investigation_level",
                new.quantity,
                year,
                new.dose_sv,
                investigation_level_sv,
                _SITE,
            )
        )
    with_new = [*earlier, new]
    for kind, limit, source in _limits(limits, new.quantity):
        before = _total(earlier, kind, new.quantity, year)
        after = _total(with_new, kind, new.quantity, year)
        if before <= limit < after:
            alerts.append(Alert(kind, new.quantity, year, after, limit, source))
    return alerts
