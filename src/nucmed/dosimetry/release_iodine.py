"""Release of a patient given I-131: the patient-specific Eq. U-2 of NUREG-1556 Vol. 9 App. U.

Eq. U-1 (:mod:`nucmed.dosimetry.release`) treats the patient as a point source decaying with
one half-life. For I-131 Appendix U refines it with the patient's biokinetics: for the first
8 hours (0.33 d) the patient is assumed not to void and a person stays close (E₁ = 0.75), with
the activity decaying physically (the factor 0.8 allows for what the patient excretes in those
hours); from then on an extrathyroidal fraction F₁ leaves with T₁eff and a thyroidal fraction F₂
with T₂eff, at occupancy E₂ = 0.25:

    D(∞) = (34.6 Γ Q₀ / r²) · { E₁ T_p (0.8) (1 − e^(−0.693·0.33/T_p))
                                + e^(−0.693·0.33/T_p) E₂ (F₁ T₁eff + F₂ T₂eff) }

(rem; Γ in R·cm²/(mCi·h), Q₀ in mCi, times in d, r in cm). 34.6 = 24 h/d × 1/ln 2, so in SI
D = Γ · Q₀ / r² · {…} / ln 2 with the times in s. With E₁ = E₂, no voiding factor, F₁ = 1 and
T₁eff = T_p, Eq. U-2 is Eq. U-1.

References
----------
.. [1] US NRC, NUREG-1556 Vol. 9 Rev. 3 (2019), Appendix U, Eq. U-2 and its table of I-131
   uptake fractions and effective half-lives; RG 8.39 (1997) Appendix B, Eq. B-5. The form with
   the 0.8 factor is corroborated by a third-party reproduction of RG 8.39 Appendix B (nucmed
   reference notes, dosimetry.md 4.1, C*); the constants E₁, E₂, 0.33 d and the default
   fractions are recalled (R) and kept as data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from nucmed import units
from nucmed.data import Status, read_rows
from nucmed.dosimetry.release import (
    INSTRUCTIONS_SV,
    ReleaseAssessment,
    dose_check,
    reasons_and_basis,
    table_u1,
    threshold_check,
)
from nucmed.dosimetry.therapy import TherapyInputError, fraction, positive
from nucmed.errors import N_, MessagePart, Word

__all__ = [
    "CONDITIONS",
    "IodineKinetics",
    "eq_u2_dose",
    "i131_kinetics",
    "release_i131",
]

_DATA_FILE = "nureg1556_i131_kinetics.csv"
_SOURCE = (
    "NUREG-1556 Vol. 9 Rev. 3, Appendix U: Eq. U-2 (I-131 with uptake fractions and effective "
    "half-lives; RG 8.39 Eq. B-5)"
)
E1_FIRST_HOURS = 0.75
"""Occupancy factor for the first 0.33 d (recalled, Appendix U)."""
E2_AFTER = 0.25
"""Occupancy factor after the first 0.33 d (recalled, Appendix U)."""
FIRST_PERIOD_D = 0.33
"""The first period without voiding, in days as printed (8 h)."""
NOT_EXCRETED_FIRST_PERIOD = 0.8
"""Factor of the first-period term (activity not yet excreted), as printed."""


@dataclass(frozen=True, slots=True)
class IodineKinetics:
    """Extrathyroidal and thyroidal fractions of I-131 and their effective half-lives (s)."""

    condition: str
    extrathyroidal_fraction: float
    extrathyroidal_half_life_s: float
    thyroidal_fraction: float
    thyroidal_half_life_s: float
    source: str
    status: Status


@cache
def _kinetics() -> dict[str, IodineKinetics]:
    return {
        row["condition"]: IodineKinetics(
            row["condition"],
            float(row["extrathyroidal_fraction"]),
            float(row["extrathyroidal_half_life_d"]) * units.SECONDS_PER_DAY,
            float(row["thyroidal_fraction"]),
            float(row["thyroidal_half_life_d"]) * units.SECONDS_PER_DAY,
            row["source"],
            Status(row["status"]),
        )
        for row in read_rows(_DATA_FILE)
    }


CONDITIONS = ("hyperthyroid", "thyroid_cancer")
"""Conditions with default kinetics in ``nureg1556_i131_kinetics.csv``."""


def i131_kinetics(condition: str) -> IodineKinetics:
    """Return Appendix U's default I-131 kinetics for ``hyperthyroid`` or ``thyroid_cancer``.

    Examples
    --------
    >>> k = i131_kinetics("hyperthyroid")
    >>> k.thyroidal_fraction, round(k.thyroidal_half_life_s / 86400, 1)
    (0.8, 5.2)
    """
    table = _kinetics()
    if condition not in table:
        raise TherapyInputError(
            parts=(
                (
                    N_("the I-131 condition is one of {allowed}, not '{condition}'"),
                    {"allowed": ", ".join(sorted(table)), "condition": condition},
                ),
            )
        )
    return table[condition]


def _checked(kinetics: IodineKinetics) -> IodineKinetics:
    f1 = fraction(N_("extrathyroidal fraction"), kinetics.extrathyroidal_fraction)
    f2 = fraction(N_("thyroidal fraction"), kinetics.thyroidal_fraction)
    if f1 + f2 > 1.0 + 1e-9:
        raise TherapyInputError(
            parts=(
                (
                    N_("the two fractions add up to {total}, more than 1"),
                    {"total": f"{f1 + f2:g}"},
                ),
            )
        )
    positive(N_("extrathyroidal effective half-life"), kinetics.extrathyroidal_half_life_s, "s")
    positive(N_("thyroidal effective half-life"), kinetics.thyroidal_half_life_s, "s")
    return kinetics


def eq_u2_dose(
    gamma_si: float,
    activity_bq: float,
    physical_half_life_s: float,
    kinetics: IodineKinetics,
    distance_m: float = 1.0,
) -> float:
    """Return D(∞) of Eq. U-2 in SI, in Sv.

    Parameters
    ----------
    gamma_si
        Dose-rate constant, in Sv·m²/(Bq·s) (the NRC's Γ of Table U.1 for I-131).
    activity_bq
        Activity administered (Q₀), in Bq.
    physical_half_life_s
        T_p, in s.
    kinetics
        F₁, T₁eff, F₂, T₂eff.
    distance_m
        Distance, in m.

    Returns
    -------
    float
        Dose to the most exposed other person, in Sv.

    Examples
    --------
    >>> row = table_u1("I-131")
    >>> k = i131_kinetics("thyroid_cancer")
    >>> round(eq_u2_dose(row.gamma_si, 7.4e9, row.half_life_s, k) * 1e3, 2)  # mSv, 200 mCi
    4.54
    """
    first_s = FIRST_PERIOD_D * units.SECONDS_PER_DAY
    remaining = math.exp(-math.log(2.0) * first_s / physical_half_life_s)
    first = E1_FIRST_HOURS * physical_half_life_s * NOT_EXCRETED_FIRST_PERIOD * (1 - remaining)
    later = (
        remaining
        * E2_AFTER
        * (
            kinetics.extrathyroidal_fraction * kinetics.extrathyroidal_half_life_s
            + kinetics.thyroidal_fraction * kinetics.thyroidal_half_life_s
        )
    )
    return gamma_si * activity_bq * (first + later) / math.log(2.0) / distance_m**2


def release_i131(
    activity_bq: float,
    kinetics: IodineKinetics,
    *,
    max_dose_rate_1m_sv_per_s: float | None = None,
) -> ReleaseAssessment:
    """Assess the release of a patient given ``activity_bq`` of I-131 by Eq. U-2.

    The criterion is D(∞) <= 5 mSv (10 CFR 35.75); a site's dose-rate rule at 1 m, if given,
    must hold too. ``half_life_s`` of the result is the longer effective half-life (the one
    that decides how long the dose to others lasts) and ``occupancy`` is E₂.

    Parameters
    ----------
    activity_bq
        Activity administered, in Bq (> 0).
    kinetics
        The patient's I-131 kinetics (:func:`i131_kinetics` or measured).
    max_dose_rate_1m_sv_per_s
        Site (national) rule: highest dose rate at 1 m allowed at release, in Sv/s.

    Examples
    --------
    >>> r = release_i131(5.55e9, i131_kinetics("thyroid_cancer"))
    >>> r.releasable, round(r.dose_to_others_sv * 1e3, 2)
    (True, 3.4)
    """
    positive(N_("activity"), activity_bq, "Bq")
    kinetics = _checked(kinetics)
    row = table_u1("I-131")
    if row is None:  # pragma: no cover - I-131 is a row of the shipped table
        raise TherapyInputError(parts=((N_("Table U.1 has no I-131 row"), {}),))
    dose = eq_u2_dose(row.gamma_si, activity_bq, row.half_life_s, kinetics)
    rate = row.gamma_si * activity_bq
    checks = [dose_check("U-2", dose), *threshold_check(rate, max_dose_rate_1m_sv_per_s)]
    checks.append((True, _kinetics_part(kinetics)))
    reasons, basis = reasons_and_basis(checks)
    longer = max(kinetics.extrathyroidal_half_life_s, kinetics.thyroidal_half_life_s)
    return ReleaseAssessment(
        "I-131", not reasons, dose, rate, dose > INSTRUCTIONS_SV, longer, E2_AFTER, reasons,
        basis, _SOURCE,
    )  # fmt: skip


def _kinetics_part(k: IodineKinetics) -> MessagePart:
    day = units.SECONDS_PER_DAY
    return (
        N_(
            "{condition}: F1 = {f1}, T1eff = {t1} d, F2 = {f2}, T2eff = {t2} d; E1 = {e1} for "
            "{first} d, then E2 = {e2}"
        ),
        {
            "condition": Word(k.condition),
            "f1": k.extrathyroidal_fraction,
            "t1": float(f"{k.extrathyroidal_half_life_s / day:.3g}"),
            "f2": k.thyroidal_fraction,
            "t2": float(f"{k.thyroidal_half_life_s / day:.3g}"),
            "e1": E1_FIRST_HOURS,
            "first": FIRST_PERIOD_D,
            "e2": E2_AFTER,
        },
    )
