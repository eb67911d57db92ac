"""Patient release after radionuclide therapy: the method of NUREG-1556 Vol. 9, Appendix U.

A patient may be released when the dose to the most exposed other person is likely to be at
most 5 mSv (10 CFR 35.75). Appendix U estimates it with Eq. U-1, a point source decaying with
half-life T, integrated to infinity at 1 m with an occupancy factor E:

    D(∞) = 34.6 · Γ · Q₀ · T_p · E / r²  (rem; Γ in R·cm²/(mCi·h), Q₀ in mCi, T_p in d, r in cm)

34.6 is 24 h/d × 1.44 d (the mean life per half-life, 1/ln 2); nucmed computes the same in SI,
D = Γ · A · (T / ln 2) · E / r². Table U.1 lists, per nuclide, the activity and the dose rate at
1 m at or below which the patient may be released; a patient-specific calculation replaces the
physical half-life with an effective one. A national rule (e.g. a dose-rate threshold at 1 m)
is a parameter, ``max_dose_rate_1m_sv_per_s``, set per site.

Γ is the NRC's exposure-rate constant for the nuclides of Table U.1 (1 R taken as 1 rem, as the
NRC does) and nucmed's preferred dose-rate constant (:mod:`nucmed.physics.exposure`) for others,
such as Lu-177. Written instructions to the patient are not made here.

References
----------
.. [1] US NRC, NUREG-1556 Vol. 9 Rev. 3, "Program-Specific Guidance About Medical Use
   Licenses" (2019), Appendix U, Eq. U-1 and Table U.1; the same method as Regulatory Guide
   8.39 (1997; Rev. 1 2020), after NCRP Report No. 37.
.. [2] 10 CFR 35.75, release of individuals containing unsealed byproduct material.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from nucmed import units
from nucmed.data import Status, read_rows
from nucmed.data.citations import citation
from nucmed.dosimetry.therapy import positive
from nucmed.errors import N_, Amount, Message, MessagePart, Word
from nucmed.physics.exposure import NotCoveredError, dose_rate_constant
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "DOSE_LIMIT_SV",
    "INSTRUCTIONS_SV",
    "NOT_APPLICABLE_NOTES",
    "Check",
    "ReleaseAssessment",
    "TableU1Row",
    "dose_check",
    "eq_u1_dose",
    "occupancy_factor",
    "reasons_and_basis",
    "release_by_activity",
    "release_by_dose_rate",
    "table_u1",
    "threshold_check",
]

DOSE_LIMIT_SV = 5e-3
"""Release criterion of 10 CFR 35.75(a): 5 mSv (0.5 rem) to any other individual."""

INSTRUCTIONS_SV = 1e-3
"""Above 1 mSv (0.1 rem), 10 CFR 35.75(b) requires written instructions."""

_DATA_FILE = "nureg1556_table_u1.csv"
NOT_APPLICABLE_NOTES = (
    N_(
        "Pure beta emitter: Table U.1 gives no release activity; not covered by the Eq. U-1 "
        "method."
    ),
)
"""The notes of Table U.1's not-applicable rows, marked for translation (a refusal quotes
them as words)."""
_GAMMA_NRC_TO_SI = (
    units.SV_PER_REM * units.M_PER_CM**2 / (units.BQ_PER_MCI * units.SECONDS_PER_HOUR)
)
_SOURCE = "NUREG-1556 Vol. 9 Rev. 3, Appendix U: Eq. U-1 D = 34.6 Gamma Q0 T E / r^2, Table U.1"


@dataclass(frozen=True, slots=True)
class TableU1Row:
    """One nuclide of Table U.1, in SI units.

    Parameters
    ----------
    nuclide
        Canonical name.
    half_life_s
        Physical half-life used by the NRC, in s.
    gamma_si
        Exposure-rate constant, in Sv·m²/(Bq·s) (1 R = 1 rem).
    release_activity_bq
        Release activity (GBq column), in Bq.
    release_dose_rate_sv_per_s
        Dose rate at 1 m at release, in Sv/s.
    source, status
        Provenance of the row.
    """

    nuclide: str
    half_life_s: float
    gamma_si: float
    release_activity_bq: float
    release_dose_rate_sv_per_s: float
    source: str
    status: Status


@dataclass(frozen=True, slots=True)
class ReleaseAssessment:
    """Whether a patient may be released, with the dose to others and the basis.

    Parameters
    ----------
    nuclide
        Canonical name.
    releasable
        True when every criterion applied holds.
    dose_to_others_sv
        D(∞) at 1 m by Eq. U-1 (or its dose-rate form), in Sv.
    dose_rate_1m_sv_per_s
        Dose rate at 1 m (computed from the activity, or as measured), in Sv/s.
    instructions_required
        True when the dose exceeds 1 mSv.
    half_life_s
        Half-life integrated (physical, or effective when given), in s.
    occupancy
        Occupancy factor E used.
    reasons
        Why the patient may not be released (empty when releasable).
    basis
        The criteria applied and their values, in words (an English line that keeps its
        translatable parts: pages show it in the reader's language).
    source
        Citation of the method.
    """

    nuclide: str
    releasable: bool
    dose_to_others_sv: float
    dose_rate_1m_sv_per_s: float
    instructions_required: bool
    half_life_s: float
    occupancy: float
    reasons: tuple[Message, ...]
    basis: Message
    source: str


@cache
def _table() -> dict[str, TableU1Row | str]:
    """Table U.1 by nuclide; a not-applicable row maps to its note."""
    table: dict[str, TableU1Row | str] = {}
    for row in read_rows(_DATA_FILE):
        if not row["release_activity_gbq"].strip():
            table[row["nuclide"]] = row["note"]
            continue
        table[row["nuclide"]] = TableU1Row(
            nuclide=row["nuclide"],
            half_life_s=units.parse_duration(f"{row['half_life_d']} d"),
            gamma_si=float(row["gamma_r_cm2_per_mci_h"]) * _GAMMA_NRC_TO_SI,
            release_activity_bq=units.parse_activity(f"{row['release_activity_gbq']} GBq"),
            release_dose_rate_sv_per_s=units.parse_dose_rate(
                f"{row['release_dose_rate_msv_per_h']} mSv/h"
            ),
            source=row["source"],
            status=Status(row["status"]),
        )
    return table


def table_u1(nuclide: str) -> TableU1Row | None:
    """Return the Table U.1 row of a nuclide, or None if the table does not list it.

    Parameters
    ----------
    nuclide
        Any accepted spelling.

    Returns
    -------
    TableU1Row or None
        The row in SI units.

    Raises
    ------
    NotCoveredError
        For a pure beta emitter that the table lists as not applicable (P-32, Sr-89, Y-90).

    Examples
    --------
    >>> round(table_u1("131I").release_activity_bq / 1e9, 2)
    1.2
    """
    name = get_nuclide(nuclide).name
    entry = _table().get(name)
    if isinstance(entry, str):
        raise NotCoveredError(
            parts=((N_("{nuclide}: {note}"), {"nuclide": name, "note": Word(entry)}),)
        )
    return entry


def occupancy_factor(half_life_s: float) -> float:
    """Return Appendix U's occupancy factor at 1 m: 0.25 for T > 1 d, 1 for shorter T.

    Parameters
    ----------
    half_life_s
        Half-life integrated, in s.

    Returns
    -------
    float
        E (dimensionless).

    Examples
    --------
    >>> occupancy_factor(6 * 3600.0), occupancy_factor(8 * 86400.0)
    (1.0, 0.25)
    """
    return 0.25 if half_life_s > units.SECONDS_PER_DAY else 1.0


def eq_u1_dose(
    gamma_si: float,
    activity_bq: float,
    half_life_s: float,
    occupancy: float,
    distance_m: float = 1.0,
) -> float:
    """Return D(∞) of Eq. U-1 in SI: Γ · A · (T / ln 2) · E / r².

    Parameters
    ----------
    gamma_si
        Dose-rate constant, in Sv·m²/(Bq·s).
    activity_bq
        Activity in the patient at release, in Bq.
    half_life_s
        Half-life, in s.
    occupancy
        Occupancy factor E.
    distance_m
        Distance, in m.

    Returns
    -------
    float
        Dose to the other person, in Sv.

    Examples
    --------
    >>> row = table_u1("I-131")
    >>> round(eq_u1_dose(row.gamma_si, 1.2e9, row.half_life_s, 0.25) * 1e3, 2)  # mSv
    4.97
    """
    return gamma_si * activity_bq * (half_life_s / math.log(2.0)) * occupancy / distance_m**2


Check = tuple[bool, MessagePart]
"""One criterion of a release: whether it holds, and what it says (a translatable part)."""


def dose_check(equation: str, dose_sv: float) -> Check:
    """The 5 mSv criterion of 10 CFR 35.75(a) on the dose of ``equation`` (``U-1``, ``U-2``)."""
    dose_msv = float(f"{dose_sv / units.SV_PER_MSV:.3g}")
    part = (
        N_("Eq. {equation} dose {dose} mSv vs 5 mSv"),
        {"equation": equation, "dose": dose_msv},
    )
    return dose_sv <= DOSE_LIMIT_SV, part


def _gamma(name: str, row: TableU1Row | None) -> tuple[float, MessagePart]:
    if row is not None:
        return row.gamma_si, (N_("NRC exposure-rate constant of Table U.1"), {})
    constant = dose_rate_constant(name)
    return constant.value_si, (
        N_("nucmed dose-rate constant ({source})"),
        {"source": citation(constant.source)},
    )


def _t_and_e(half_life_s: float, occupancy: float) -> MessagePart:
    days = float(f"{half_life_s / units.SECONDS_PER_DAY:.4g}")
    return N_("T = {half_life} d, E = {occupancy}"), {"half_life": days, "occupancy": occupancy}


def _half_life(name: str, row: TableU1Row | None, effective_s: float | None) -> float:
    if effective_s is not None:
        return positive(N_("effective half-life"), effective_s, "s")
    return row.half_life_s if row is not None else get_nuclide(name).half_life_s


def reasons_and_basis(checks: list[Check]) -> tuple[tuple[Message, ...], Message]:
    """The failed criteria (each its own message) and every criterion (one message), each an
    English line that pages show in the reader's language."""
    reasons = tuple(Message.of_parts(part) for ok, part in checks if not ok)
    return reasons, Message.of_parts(*(part for _, part in checks))


def _assess(
    name: str, dose_sv: float, rate: float, checks: list[Check], half_life_s: float
) -> ReleaseAssessment:
    occupancy = occupancy_factor(half_life_s)
    reasons, basis = reasons_and_basis(checks)
    return ReleaseAssessment(
        name, not reasons, dose_sv, rate, dose_sv > INSTRUCTIONS_SV, half_life_s, occupancy,
        reasons, basis, _SOURCE,
    )  # fmt: skip


def threshold_check(rate: float, threshold: float | None) -> list[Check]:
    """The site's own rule on the dose rate at 1 m (Sv/s), if it has one."""
    if threshold is None:
        return []
    positive(N_("dose-rate threshold"), threshold, "Sv/s")
    part = (
        N_("dose rate at 1 m {rate} vs site rule {limit}"),
        {"rate": units.format_dose_rate(rate), "limit": units.format_dose_rate(threshold)},
    )
    return [(rate <= threshold, part)]


def release_by_activity(
    nuclide: str,
    activity_bq: float,
    *,
    effective_half_life_s: float | None = None,
    max_dose_rate_1m_sv_per_s: float | None = None,
) -> ReleaseAssessment:
    """Assess release from the activity in the patient (Table U.1, or Eq. U-1 patient-specific).

    Without an effective half-life and for a nuclide of Table U.1 the criterion is the table's
    release activity; otherwise D(∞) of Eq. U-1 <= 5 mSv. Dose and dose rate are always given.

    Parameters
    ----------
    nuclide
        Any accepted spelling.
    activity_bq
        Activity administered or retained at release, in Bq (> 0).
    effective_half_life_s
        Effective half-life, in s, for a patient-specific calculation (Appendix U).
    max_dose_rate_1m_sv_per_s
        Site (national) rule: highest dose rate at 1 m allowed at release, in Sv/s.

    Returns
    -------
    ReleaseAssessment
        With ``reasons`` when not releasable.

    Raises
    ------
    NotCoveredError
        For a pure beta emitter, or a nuclide with no dose-rate constant.
    TherapyInputError
        For a non-positive activity, half-life or threshold.

    Examples
    --------
    >>> r = release_by_activity("I-131", 1.1e9)
    >>> r.releasable, round(r.dose_to_others_sv * 1e3, 2), r.instructions_required
    (True, 4.55, True)
    """
    positive(N_("activity"), activity_bq, "Bq")
    row = table_u1(nuclide)
    name = get_nuclide(nuclide).name
    gamma, gamma_text = _gamma(name, row)
    half_life = _half_life(name, row, effective_half_life_s)
    occupancy = occupancy_factor(half_life)
    dose = eq_u1_dose(gamma, activity_bq, half_life, occupancy)
    rate = gamma * activity_bq
    if row is not None and effective_half_life_s is None:
        limit: MessagePart = (
            N_("Table U.1 activity {activity}"),
            {"activity": Amount(row.release_activity_bq, "Bq")},
        )
        check: Check = (activity_bq <= row.release_activity_bq, limit)
    else:
        check = dose_check("U-1", dose)
    checks = [check, *threshold_check(rate, max_dose_rate_1m_sv_per_s)]
    checks += [(True, gamma_text), (True, _t_and_e(half_life, occupancy))]
    return _assess(name, dose, rate, checks, half_life)


def release_by_dose_rate(
    nuclide: str,
    dose_rate_1m_sv_per_s: float,
    *,
    effective_half_life_s: float | None = None,
    max_dose_rate_1m_sv_per_s: float | None = None,
) -> ReleaseAssessment:
    """Assess release from the dose rate measured at 1 m from the patient.

    D(∞) = Ḣ(1 m) · (T / ln 2) · E, the dose-rate form of Eq. U-1. Without an effective
    half-life and for a nuclide of Table U.1 the criterion is the table's dose rate at 1 m.

    Parameters
    ----------
    nuclide
        Any accepted spelling.
    dose_rate_1m_sv_per_s
        Measured dose rate at 1 m, in Sv/s (> 0).
    effective_half_life_s
        Effective half-life, in s, for a patient-specific calculation.
    max_dose_rate_1m_sv_per_s
        Site (national) rule: highest dose rate at 1 m allowed at release, in Sv/s.

    Returns
    -------
    ReleaseAssessment
        With ``reasons`` when not releasable.

    Examples
    --------
    >>> r = release_by_dose_rate("I-131", 0.07e-3 / 3600, max_dose_rate_1m_sv_per_s=20e-6 / 3600)
    >>> r.releasable, r.reasons[0].startswith("dose rate at 1 m")
    (False, True)
    """
    positive(N_("dose rate at 1 m"), dose_rate_1m_sv_per_s, "Sv/s")
    row = table_u1(nuclide)
    name = get_nuclide(nuclide).name
    half_life = _half_life(name, row, effective_half_life_s)
    occupancy = occupancy_factor(half_life)
    dose = dose_rate_1m_sv_per_s * (half_life / math.log(2.0)) * occupancy
    if row is not None and effective_half_life_s is None:
        limit = row.release_dose_rate_sv_per_s
        part: MessagePart = (
            N_("Table U.1 dose rate at 1 m {limit}"),
            {"limit": units.format_dose_rate(limit)},
        )
        check: Check = (dose_rate_1m_sv_per_s <= limit, part)
    else:
        check = dose_check("U-1", dose)
    checks = [check, *threshold_check(dose_rate_1m_sv_per_s, max_dose_rate_1m_sv_per_s)]
    checks.append((True, _t_and_e(half_life, occupancy)))
    return _assess(name, dose, dose_rate_1m_sv_per_s, checks, half_life)
