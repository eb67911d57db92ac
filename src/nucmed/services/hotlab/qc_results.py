"""QC results of materials in the units people read them in, and the eluate's Mo-99 limit time.

Results are stored in SI (Mo-99 breakthrough: Bq Mo-99 per Bq Tc-99m; aluminium: kg/m³;
radiochemical purity: a fraction) and shown in the units of the limits that set them:

- Mo-99 breakthrough in kBq/MBq (10 CFR 35.204(a)(1) and USP: at most 0.15 kBq Mo-99 per MBq
  Tc-99m at administration [1]_);
- aluminium in µg/mL (USP and the generator's leaflet: at most 10 µg/mL [2]_);
- radiochemical purity in % (the kit's leaflet).

Because Tc-99m (T½ 6.015 h) decays faster than Mo-99 (65.94 h), an eluate's Mo-99/Tc-99m
ratio grows as ``R(t) = R(0) exp((λ_Tc − λ_Mo) t)``; the eluate passes its breakthrough limit
at ``t = ln(limit / R(0)) / (λ_Tc − λ_Mo)`` after the measurement
(:func:`nucmed.physics.generator.time_until_breakthrough_limit_s`), which is when a passed
result stops allowing use.

References
----------
.. [1] US NRC, 10 CFR 35.204(a)(1), Permissible molybdenum-99 concentration.
.. [2] USP, Sodium Pertechnetate Tc 99m Injection; TechneLite (Lantheus) package insert.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from nucmed.errors import N_, Message, Word, refusal
from nucmed.physics import generator
from nucmed.store.hotlab import QcResult
from nucmed.units import FRACTION_PER_PERCENT, KG_PER_UG, M3_PER_ML, RATIO_UNITS

__all__ = ["QC_UNITS", "QcUnit", "breakthrough_over_by", "failed", "limit_reached_at"]


@dataclass(frozen=True, slots=True)
class QcUnit:
    """The unit a QC result is shown in: its symbol and its size in the stored SI unit."""

    symbol: str
    size: float

    def of(self, value: float) -> float:
        """The stored SI value in this unit."""
        return value / self.size


QC_UNITS: dict[str, QcUnit] = {
    "mo99_breakthrough": QcUnit(N_("kBq/MBq"), RATIO_UNITS["kBq/MBq"]),
    "aluminium": QcUnit(N_("µg/mL"), KG_PER_UG / M3_PER_ML),
    "rcp": QcUnit(N_("%"), FRACTION_PER_PERCENT),
}
"""The unit each QC test of a material is shown in (the unit of its limit); the symbols are
translated where shown (кБк/МБк, мкг/мл)."""


def _shown(test: str, value: float) -> str:
    """The value in the test's unit, 3 significant digits without an exponent (0.00022)."""
    return format(Decimal(f"{QC_UNITS[test].of(value):.3g}"), "f")


def failed(result: QcResult) -> Message:
    """Why a failed result blocks the material: the test, value and limit with their unit."""
    return Message.of(
        refusal(
            N_("{test} QC failed: {value} {unit} (limit {limit} {unit})"),
            test=Word(result.test),
            value=_shown(result.test, result.value),
            limit=_shown(result.test, result.limit),
            unit=Word(QC_UNITS[result.test].symbol),
        )
    )


def _limit_of(result: QcResult) -> generator.BreakthroughLimit:
    return generator.BreakthroughLimit(result.limit, "site", "site setting")


def limit_reached_at(result: QcResult) -> datetime | None:
    """When a Mo-99 breakthrough result's ratio reaches its limit (None: other tests, or no
    Mo-99 measured, so never); the measurement itself when it is already over."""
    if result.test != "mo99_breakthrough":
        return None
    after_s = generator.time_until_breakthrough_limit_s(result.value, 1.0, _limit_of(result))
    if math.isinf(after_s):
        return None
    return result.measured_at + timedelta(seconds=after_s)


def breakthrough_over_by(result: QcResult, at: datetime) -> list[str]:
    """A passed Mo-99 result whose ratio has grown over the limit by ``at``: why it blocks."""
    elapsed_s = max((at - result.measured_at).total_seconds(), 0.0)
    check = generator.check_breakthrough(result.value, 1.0, elapsed_s, _limit_of(result))
    if check.passes:
        return []
    return [
        Message.of(
            refusal(
                N_("Mo-99 breakthrough {ratio} {unit} over the limit {limit} {unit} by now"),
                ratio=_shown(result.test, check.ratio),
                limit=_shown(result.test, result.limit),
                unit=Word(QC_UNITS[result.test].symbol),
            )
        )
    ]
