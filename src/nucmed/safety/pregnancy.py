"""The dose to the embryo or fetus of a worker who has declared her pregnancy, for the rest of
the pregnancy, against 1 mSv.

Once a worker declares her pregnancy, her working conditions must keep the additional dose to
the embryo or fetus below about 1 mSv for the remainder of the pregnancy [1]_, the protection
of a member of the public [2]_. The estimate here:

- **Quantity.** The personal dose equivalent Hp(10) of her whole-body dosimeter (the effective
  dose readings, ``quantity == "effective"``) is taken as the dose to the embryo or fetus. For
  the photon energies of nuclear medicine (140-511 keV) the mother's tissues in front of the
  embryo attenuate the radiation, so Hp(10) worn on the trunk overestimates it [3]_: the
  estimate is cautious. Intakes of radionuclides are not counted (no bioassay is recorded
  here).
- **Period.** Every reading whose monitoring period overlaps the pregnancy after the
  declaration (ends after the declaration day and starts on or before the expected date) is
  counted whole, also when the period straddles the declaration day: cautious again.

Pure: doses in Sv.

References
----------
.. [1] ICRP Publication 103 (2007), para. 186: after declaration of pregnancy, the additional
   dose to the embryo/fetus should not exceed about 1 mSv during the remainder of the
   pregnancy. Recalled, not re-read (status ``recalled``).
.. [2] IAEA GSR Part 3 (2014), para. 3.114: the employer adapts the working conditions of a
   female worker who has notified her pregnancy so that the embryo or fetus is afforded the
   same broad level of protection as members of the public. Recalled (``recalled``).
.. [3] ICRP Publication 84 (2000), Pregnancy and medical radiation: the dose to the embryo is
   lower than the dose at the surface of the abdomen for external photon exposure. Recalled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from nucmed.errors import N_, refusal

__all__ = [
    "EMBRYO_LIMIT_SOURCE",
    "EMBRYO_LIMIT_STATUS",
    "EMBRYO_LIMIT_SV",
    "LONGEST_PREGNANCY",
    "Pregnancy",
    "Reading",
    "check_pregnancy",
    "crosses_limit",
    "embryo_dose_sv",
]

EMBRYO_LIMIT_SV: Final = 1e-3
"""Dose to the embryo or fetus for the rest of the pregnancy after its declaration (Sv) [1]_."""
EMBRYO_LIMIT_SOURCE: Final = N_("ICRP 103 para. 186; IAEA GSR Part 3 para. 3.114")
EMBRYO_LIMIT_STATUS: Final = "recalled"
LONGEST_PREGNANCY: Final = timedelta(weeks=44)
"""The longest time from declaration to expected date accepted: 40 weeks of gestation and a
margin of 4 (a date further off is a typing error)."""


@dataclass(frozen=True, slots=True)
class Pregnancy:
    """A declared pregnancy: the day it was declared and the expected date of delivery."""

    declared_on: date
    expected_on: date


@dataclass(frozen=True, slots=True)
class Reading:
    """A whole-body dosimeter reading: its monitoring period and Hp(10) (Sv)."""

    period_start: date
    period_end: date
    dose_sv: float


def check_pregnancy(pregnancy: Pregnancy, today: date) -> None:
    """Refuse a declaration in the future, an expected date not after it, or more than 44
    weeks after it.

    Examples
    --------
    >>> check_pregnancy(Pregnancy(date(2026, 12, 1), date(2027, 6, 1)), date(2026, 12, 2))
    """
    if pregnancy.declared_on > today:
        raise refusal(
            N_("the pregnancy cannot be declared after today ({today})"), today=today.isoformat()
        )
    if pregnancy.expected_on <= pregnancy.declared_on:
        raise refusal(N_("the expected date must come after the day of the declaration"))
    if pregnancy.expected_on - pregnancy.declared_on > LONGEST_PREGNANCY:
        raise refusal(
            N_("the expected date is more than 44 weeks after the declaration; check the dates")
        )


def _counted(reading: Reading, pregnancy: Pregnancy) -> bool:
    return reading.period_end > pregnancy.declared_on and (
        reading.period_start <= pregnancy.expected_on
    )


def embryo_dose_sv(readings: Sequence[Reading], pregnancy: Pregnancy) -> float:
    """The estimated dose to the embryo or fetus since the declaration (Sv): the sum of the
    Hp(10) readings whose period overlaps the rest of the pregnancy (see the module docstring).

    Examples
    --------
    >>> p = Pregnancy(date(2026, 3, 10), date(2026, 10, 1))
    >>> readings = [
    ...     Reading(date(2026, 2, 1), date(2026, 2, 28), 0.5e-3),  # before: not counted
    ...     Reading(date(2026, 3, 1), date(2026, 3, 31), 0.2e-3),  # straddles: counted whole
    ...     Reading(date(2026, 4, 1), date(2026, 4, 30), 0.3e-3),
    ... ]
    >>> round(embryo_dose_sv(readings, p), 6)
    0.0005
    """
    for reading in readings:
        if not math.isfinite(reading.dose_sv) or reading.dose_sv < 0:
            raise refusal(N_("a dose must be a finite number of 0 or more"))
    return math.fsum(r.dose_sv for r in readings if _counted(r, pregnancy))


def crosses_limit(earlier: Sequence[Reading], new: Reading, pregnancy: Pregnancy) -> bool:
    """Whether ``new`` takes the embryo dose from at most 1 mSv to above it (it alerts once).

    Examples
    --------
    >>> p = Pregnancy(date(2026, 3, 10), date(2026, 10, 1))
    >>> before = [Reading(date(2026, 4, 1), date(2026, 4, 30), 0.9e-3)]
    >>> crosses_limit(before, Reading(date(2026, 5, 1), date(2026, 5, 31), 0.1e-3), p)
    False
    >>> crosses_limit(before, Reading(date(2026, 5, 1), date(2026, 5, 31), 0.2e-3), p)
    True
    """
    before = embryo_dose_sv(earlier, pregnancy)
    after = embryo_dose_sv([*earlier, new], pregnancy)
    return before <= EMBRYO_LIMIT_SV * (1 + 1e-9) < after
