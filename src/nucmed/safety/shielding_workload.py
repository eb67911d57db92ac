"""Weekly dose at a point from a room's or a bench's workload (AAPM TG-108 method).

A source is a patient (or a vial on a bench) of a nuclide given ``activity_bq`` at
administration, present at the location ``per_week`` times a week for ``stay_s`` seconds,
starting ``delay_s`` after administration, ``distance_m`` from the point of interest. Its
unshielded weekly dose at the point is (TG-108, eqs. for the uptake and the imaging room)

    D = N · Γ_p · A0 · (1 − v) · F · t · R_t / d²

with Γ_p the point-source dose-rate constant of :mod:`nucmed.physics.exposure` times the body
transmission of a patient (0.64 for the PET nuclides, TG-108: the body absorbs 36 % of the
511 keV photons; so 0.143 × 0.64 = 0.092 µSv·m²/(MBq·h) for F-18), v the fraction voided before
the stay (TG-108's imaging-room example: 15 %), F = exp(−λ·delay) the decay before the stay
(TG-108's F_U) and R_t = (1 − exp(−λt)) / (λt) the mean fraction left during the stay (TG-108's
R_t = 1.443 (T½/t)(1 − exp(−0.693 t/T½))). Point source, inverse square, no scatter from walls.

References
----------
.. [1] M. T. Madsen et al., "AAPM Task Group 108: PET and PET/CT shielding requirements",
   Med. Phys. 33(1), 4-15 (2006): dose-rate constant of a patient 0.092 µSv·m²/(MBq·h) for
   F-18, the factors R_t and F_U, the examples of the uptake and the imaging room. Read in
   third-party transcriptions (littlegirlorange/ALARACAD, which applies 0.64 to F-18, C-11,
   N-13, O-15 and Ga-68; two public calculators that transcribe its equations): secondary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nucmed.errors import N_, refusal
from nucmed.physics import exposure
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "PATIENT_BODY_TRANSMISSION",
    "SourceDose",
    "Workload",
    "reduction_factor",
    "weekly_dose",
]

PATIENT_BODY_TRANSMISSION = 0.64
"""Fraction of the 511 keV dose rate that leaves a patient's body (TG-108: 36 % absorbed)."""

_BODY_ATTENUATED = frozenset({"F-18", "C-11", "N-13", "O-15", "Ga-68"})
"""PET nuclides to which TG-108's body factor is applied (as ALARACAD does); for the others
no body attenuation is assumed, which overestimates the dose (conservative)."""


@dataclass(frozen=True, slots=True)
class Workload:
    """One kind of source seen from the point of interest, every week.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling (``"F-18"``, ``"99mTc"``).
    activity_bq : float
        Activity administered to each patient (or held in the vial), in Bq, at time 0.
    per_week : float
        Patients (or handlings) per week.
    stay_s : float
        Time the source spends at the location each time, in s (uptake, imaging, handling).
    distance_m : float
        From the source to the point of interest, in m.
    delay_s : float
        From administration to the start of the stay, in s (the uptake time for the imaging
        room; 0 for the uptake room).
    patient : bool
        A patient (body attenuation applies to PET nuclides) or a vial/syringe (none).
    voided_fraction : float
        Fraction of the activity voided before the stay, 0 to < 1.
    """

    nuclide: str
    activity_bq: float
    per_week: float
    stay_s: float
    distance_m: float
    delay_s: float = 0.0
    patient: bool = True
    voided_fraction: float = 0.0


@dataclass(frozen=True, slots=True)
class SourceDose:
    """The unshielded weekly dose one workload gives at the point, with its factors.

    Parameters
    ----------
    workload : Workload
        The input.
    nuclide : str
        Canonical name.
    constant_sv_m2_per_bq_s : float
        Γ_p: the point-source constant times the body transmission, in Sv·m²/(Bq·s).
    body_transmission : float
        0.64 for a PET patient, else 1.
    decay_factor : float
        F = exp(−λ·delay).
    reduction_factor : float
        R_t over the stay.
    dose_sv_per_week : float
        Unshielded weekly effective dose at the point, in Sv.
    constant_source : str
        Source of the dose-rate constant.
    """

    workload: Workload
    nuclide: str
    constant_sv_m2_per_bq_s: float
    body_transmission: float
    decay_factor: float
    reduction_factor: float
    dose_sv_per_week: float
    constant_source: str


def reduction_factor(half_life_s: float, duration_s: float) -> float:
    """Return R_t, the mean fraction of the initial activity present over a time t.

    R_t = (1 − exp(−λt)) / (λt), λ = ln 2 / T½ (TG-108: 1.443 (T½/t)(1 − exp(−0.693 t/T½))).

    Parameters
    ----------
    half_life_s : float
        Half-life, in s (> 0; infinite for a stable source).
    duration_s : float
        The time t, in s (>= 0).

    Returns
    -------
    float
        R_t in (0, 1]; 1 for t = 0 or an infinite half-life.

    Examples
    --------
    >>> round(reduction_factor(109.77 * 60, 3600), 2)  # TG-108: 0.83 for F-18, 1 h
    0.83
    >>> round(reduction_factor(109.77 * 60, 1800), 2)  # TG-108: 0.91 for 30 min
    0.91
    """
    x = math.log(2.0) * duration_s / half_life_s
    if x == 0.0:
        return 1.0
    return -math.expm1(-x) / x


def _check(workload: Workload) -> None:
    values = (workload.activity_bq, workload.per_week, workload.stay_s, workload.delay_s)
    if not all(math.isfinite(v) and v >= 0.0 for v in values):
        raise refusal(
            N_(
                "activity, patients per week, time in the room and delay must be finite "
                "numbers of 0 or more"
            )
        )
    if not (math.isfinite(workload.distance_m) and workload.distance_m > 0.0):
        raise refusal(N_("the distance to the point must be more than 0 m"))
    if not (0.0 <= workload.voided_fraction < 1.0):
        raise refusal(N_("the voided fraction must be from 0 to less than 1 (0 % to 99 %)"))


def _constant(nuclide: str) -> exposure.DoseRateConstant:
    if nuclide not in exposure.covered_nuclides():
        raise refusal(
            N_("{nuclide} has no point-source dose-rate constant; covered: {covered}"),
            nuclide=nuclide,
            covered=", ".join(exposure.covered_nuclides()),
        )
    constant = exposure.dose_rate_constant(nuclide)
    if constant.quantity is exposure.DoseQuantity.AIR_KERMA:
        raise refusal(
            N_(
                "the dose-rate constant of {nuclide} is air kerma, not effective dose; nucmed "
                "does not convert it for a design goal in sieverts"
            ),
            nuclide=nuclide,
        )
    return constant


def weekly_dose(workload: Workload) -> SourceDose:
    """Return the unshielded weekly dose of one workload at the point of interest.

    Parameters
    ----------
    workload : Workload
        The source, its activity, frequency, stay and distance.

    Returns
    -------
    SourceDose
        The weekly effective dose in Sv and the factors behind it.

    Raises
    ------
    NucmedInputError
        For a negative or non-finite number, a distance <= 0, a voided fraction outside
        [0, 1), a nuclide without a dose-rate constant or with an air-kerma constant.

    References
    ----------
    .. [1] Madsen et al., Med. Phys. 33(1), 4-15 (2006), uptake room: D = 0.092 A0 tU R_tU / d²
       per patient (µSv, MBq, h, m).

    Examples
    --------
    >>> d = weekly_dose(Workload("F-18", 555e6, 40, 3600.0, 4.0))  # TG-108 uptake room
    >>> round(d.dose_sv_per_week * 1e6, 1)  # µSv per week, unshielded
    105.7
    """
    _check(workload)
    data = get_nuclide(workload.nuclide)
    constant = _constant(data.name)
    body = PATIENT_BODY_TRANSMISSION if workload.patient and data.name in _BODY_ATTENUATED else 1.0
    decay = math.exp(-math.log(2.0) * workload.delay_s / data.half_life_s)
    reduction = reduction_factor(data.half_life_s, workload.stay_s)
    gamma = constant.value_si * body
    dose = (
        workload.per_week * gamma * workload.activity_bq * (1.0 - workload.voided_fraction)
        * decay * workload.stay_s * reduction / workload.distance_m**2
    )  # fmt: skip
    return SourceDose(workload, data.name, gamma, body, decay, reduction, dose, constant.source)
