"""Y-90 selective internal radiation therapy (SIRT): activities, compartment doses, lung rules.

- :func:`du_bois_bsa`: body surface area (Du Bois and Du Bois 1916);
- :func:`resin_bsa_activity`: resin microspheres (SIR-Spheres) by the BSA method, with the
  lung-shunt reductions;
- :func:`partition_doses`: tumour, normal-liver and lung doses of the partition model;
- :func:`glass_activity`: glass microspheres (TheraSphere) by the MIRD single-compartment model;
- :func:`lung_dose`, :func:`lung_shunt_reduction`, :func:`lung_dose_reasons`: the lung rules.

Absorbed dose from Y-90 that decays completely in a mass M is D = k · A / M. The constant k is
the energy released per unit activity over full decay; the manufacturers' documents round it:
50 Gy·kg/GBq (J/GBq) for TheraSphere, 49.67 for the SIR-Spheres partition model (the values and
how sure each is are in ``docs/dosimetry/sirt.md``). A contraindication (lung shunt above 20 %
for resin, lung dose above 30 Gy, or 50 Gy cumulative) is a result with reasons, not an error.

References
----------
.. [1] D. Du Bois and E. F. Du Bois, "A formula to estimate the approximate surface area if
   height and weight be known", Arch. Intern. Med. 17(6), 863-871 (1916).
.. [2] SIR-Spheres microspheres, Instructions for Use (Sirtex Medical): BSA method and lung
   shunt reductions; Y. H. Kao et al., Ann. Nucl. Med. 25, 455-461 (2011).
.. [3] TheraSphere Yttrium-90 Glass Microspheres, Package Insert (BTG/Boston Scientific).
.. [4] Y. H. Kao et al., "Post-radioembolization yttrium-90 PET/CT - part 2: dose-response and
   tumor predictive dosimetry ...", CardioVasc. Interv. Radiol. (2013), the partition model
   and "50 is the approximate absorbed dose coefficient".
"""

from __future__ import annotations

from dataclasses import dataclass

from nucmed import units
from nucmed.dosimetry.therapy import TherapyInputError, fraction, positive
from nucmed.errors import N_

__all__ = [
    "GLASS_COEFFICIENT_J_PER_BQ",
    "LUNG_MASS_KG",
    "RESIN_COEFFICIENT_J_PER_BQ",
    "PartitionDoses",
    "SirtPrescription",
    "du_bois_bsa",
    "glass_activity",
    "lung_dose",
    "lung_dose_reasons",
    "lung_shunt_reduction",
    "partition_doses",
    "resin_bsa_activity",
]

GLASS_COEFFICIENT_J_PER_BQ = 50.0 / units.BQ_PER_GBQ
"""k of the TheraSphere package insert: D [Gy] = 50 · A [GBq] (1 − F) / M [kg] (secondary)."""

RESIN_COEFFICIENT_J_PER_BQ = 49.67 / units.BQ_PER_GBQ
"""k of the SIR-Spheres partition model, 49.67 Gy·kg/GBq (secondary; docs/dosimetry/sirt.md)."""

LUNG_MASS_KG = 1.0
"""Conventional lung mass of the lung-dose formula (both manufacturers), kg."""

SINGLE_LUNG_DOSE_LIMIT_GY = 30.0
CUMULATIVE_LUNG_DOSE_LIMIT_GY = 50.0
_RESIN_SHUNT_LIMIT = 0.20
_RESIN_REDUCTIONS = ((0.15, 0.40), (0.10, 0.20))  # (lowest shunt of the band, reduction)
_BSA_OFFSET_GBQ = 0.2
_DU_BOIS = 0.007184  # m² from kg^0.425 and cm^0.725
_RESIN_SOURCE = (
    "SIR-Spheres IFU (Sirtex) BSA method: A[GBq] = BSA[m2] - 0.2 + tumour fraction; lung shunt "
    "10-15 % -> -20 %, 15-20 % -> -40 %, > 20 % contraindicated; BSA by Du Bois 1916"
)
_PARTITION_SOURCE = (
    "Partition model (SIR-Spheres; Kao et al. CVIR 2013): D = 49.67 A(1-L) TNR/(TNR M_T + M_N), "
    "D_N = 49.67 A(1-L)/(TNR M_T + M_N), D_lung = 49.67 A L / 1 kg (Gy, GBq, kg)"
)
_GLASS_SOURCE = (
    "TheraSphere package insert, MIRD single compartment: D[Gy] = 50 A[GBq] (1-F)(1-R) / M[kg]; "
    "lung dose 50 A F (1-R) / 1 kg, limits 30 Gy single, 50 Gy cumulative"
)


@dataclass(frozen=True, slots=True)
class SirtPrescription:
    """A Y-90 microsphere activity with its lung dose.

    Parameters
    ----------
    activity_bq
        Activity to order for the vial, in Bq (after any lung-shunt reduction).
    lung_dose_gy
        Mean absorbed dose to the lungs, in Gy (1 kg of lung).
    contraindicated
        True when a lung rule forbids the treatment; ``reasons`` says which.
    reasons
        Contraindications and reductions applied.
    source
        The formula's citation.
    bsa_m2
        Body surface area used, in m² (BSA method only).
    reduction
        Fraction by which the activity was reduced for lung shunting (0 if none).

    Examples
    --------
    >>> p = glass_activity(120.0, 1.5)
    >>> round(p.activity_bq / 1e9, 2), p.contraindicated
    (3.6, False)
    """

    activity_bq: float
    lung_dose_gy: float
    contraindicated: bool
    reasons: tuple[str, ...]
    source: str
    bsa_m2: float | None = None
    reduction: float = 0.0


@dataclass(frozen=True, slots=True)
class PartitionDoses:
    """Mean absorbed doses of the partition model.

    Parameters
    ----------
    tumour_dose_gy
        Tumour, in Gy.
    normal_liver_dose_gy
        Perfused normal liver, in Gy.
    lung_dose_gy
        Lungs (1 kg), in Gy.
    contraindicated
        True when a lung rule forbids the treatment.
    reasons
        The rules broken.
    source
        The formula's citation.
    """

    tumour_dose_gy: float
    normal_liver_dose_gy: float
    lung_dose_gy: float
    contraindicated: bool
    reasons: tuple[str, ...]
    source: str


def du_bois_bsa(height_m: float, weight_kg: float) -> float:
    """Return the body surface area of Du Bois and Du Bois, 0.007184 · W^0.425 · H^0.725.

    Parameters
    ----------
    height_m
        Height, in m (> 0).
    weight_kg
        Body weight, in kg (> 0).

    Returns
    -------
    float
        Body surface area, in m² (the formula takes W in kg and H in cm).

    Examples
    --------
    >>> round(du_bois_bsa(1.80, 80.0), 3)
    1.996
    """
    positive(N_("height"), height_m, "m")
    positive(N_("body weight"), weight_kg, "kg")
    return float(_DU_BOIS * weight_kg**0.425 * (height_m / units.M_PER_CM) ** 0.725)


def lung_dose(
    activity_bq: float,
    lung_shunt: float,
    *,
    coefficient_j_per_bq: float = GLASS_COEFFICIENT_J_PER_BQ,
    lung_mass_kg: float = LUNG_MASS_KG,
) -> float:
    """Return the lung absorbed dose k · A · L / M_lung, in Gy.

    Parameters
    ----------
    activity_bq
        Activity delivered to the patient, in Bq (>= 0).
    lung_shunt
        Lung shunt fraction (0..<1).
    coefficient_j_per_bq
        k, in J/Bq (Gy·kg/Bq).
    lung_mass_kg
        Lung mass, in kg (1 kg by convention).

    Returns
    -------
    float
        Mean lung dose, in Gy.

    Examples
    --------
    >>> round(lung_dose(0.61e9, 1.0 - 1e-12), 1)  # the IFU's 0.61 GBq to the lungs
    30.5
    """
    if activity_bq < 0.0:
        raise TherapyInputError(
            parts=((N_("activity must be >= 0 Bq, got {value}"), {"value": repr(activity_bq)}),)
        )
    fraction(N_("lung shunt fraction"), lung_shunt, allow_one=False)
    positive(N_("lung mass"), lung_mass_kg, "kg")
    return coefficient_j_per_bq * activity_bq * lung_shunt / lung_mass_kg


def lung_shunt_reduction(lung_shunt: float) -> float | None:
    """Return the SIR-Spheres activity reduction for a lung shunt, or None if contraindicated.

    Parameters
    ----------
    lung_shunt
        Lung shunt fraction (0..<1).

    Returns
    -------
    float or None
        0 below 10 %, 0.20 from 10 % to below 15 %, 0.40 from 15 % to 20 %; None above 20 %.

    Examples
    --------
    >>> [lung_shunt_reduction(x) for x in (0.05, 0.12, 0.18, 0.25)]
    [0.0, 0.2, 0.4, None]
    """
    fraction(N_("lung shunt fraction"), lung_shunt, allow_one=False)
    if lung_shunt > _RESIN_SHUNT_LIMIT:
        return None
    return next((cut for low, cut in _RESIN_REDUCTIONS if lung_shunt >= low), 0.0)


def lung_dose_reasons(lung_dose_gy: float, previous_lung_dose_gy: float = 0.0) -> tuple[str, ...]:
    """Return the lung-dose limits broken: 30 Gy per treatment, 50 Gy cumulative.

    Parameters
    ----------
    lung_dose_gy
        Lung dose of this treatment, in Gy.
    previous_lung_dose_gy
        Lung dose of earlier treatments, in Gy (>= 0).

    Returns
    -------
    tuple of str
        Empty when both limits hold.

    Examples
    --------
    >>> lung_dose_reasons(20.0), len(lung_dose_reasons(20.0, 35.0))
    ((), 1)
    """
    if previous_lung_dose_gy < 0.0:
        raise TherapyInputError(
            parts=(
                (
                    N_("previous lung dose must be >= 0 Gy, got {value}"),
                    {"value": previous_lung_dose_gy},
                ),
            )
        )
    reasons = []
    if lung_dose_gy > SINGLE_LUNG_DOSE_LIMIT_GY:
        reasons.append(f"lung dose {lung_dose_gy:.1f} Gy exceeds 30 Gy per treatment")
    total = lung_dose_gy + previous_lung_dose_gy
    if previous_lung_dose_gy and total > CUMULATIVE_LUNG_DOSE_LIMIT_GY:
        reasons.append(f"cumulative lung dose {total:.1f} Gy exceeds 50 Gy")
    return tuple(reasons)


def resin_bsa_activity(
    height_m: float,
    weight_kg: float,
    tumour_fraction: float,
    lung_shunt: float,
    *,
    previous_lung_dose_gy: float = 0.0,
) -> SirtPrescription:
    """Return the SIR-Spheres activity by the BSA method, reduced for lung shunting.

    A [GBq] = BSA [m²] − 0.2 + f, then reduced by 20 % (shunt 10-15 %) or 40 % (15-20 %);
    contraindicated above 20 % or when the lung dose would exceed its limits.

    Parameters
    ----------
    height_m
        Height, in m.
    weight_kg
        Body weight, in kg.
    tumour_fraction
        Tumour involvement of the liver, V_tumour / (V_tumour + V_liver) (0..<1).
    lung_shunt
        Lung shunt fraction from Tc-99m MAA (0..<1).
    previous_lung_dose_gy
        Lung dose of earlier treatments, in Gy.

    Returns
    -------
    SirtPrescription
        Activity (0 when the shunt contraindicates), lung dose, BSA and reduction.

    Examples
    --------
    >>> p = resin_bsa_activity(1.80, 80.0, 0.30, 0.12)
    >>> round(p.bsa_m2, 3), p.reduction, round(p.activity_bq / 1e9, 3)
    (1.996, 0.2, 1.677)
    """
    fraction(N_("tumour share of the liver"), tumour_fraction, allow_one=False)
    bsa = du_bois_bsa(height_m, weight_kg)
    base_gbq = bsa - _BSA_OFFSET_GBQ + tumour_fraction
    if base_gbq <= 0.0:
        raise TherapyInputError(
            parts=((N_("BSA {bsa} m² is too small for the BSA method"), {"bsa": f"{bsa:.2f}"}),)
        )
    reduction = lung_shunt_reduction(lung_shunt)
    if reduction is None:
        reason = f"lung shunt {lung_shunt:.1%} is above 20 %: resin microspheres contraindicated"
        return SirtPrescription(0.0, 0.0, True, (reason,), _RESIN_SOURCE, bsa, 0.0)
    activity = base_gbq * (1.0 - reduction) * units.BQ_PER_GBQ
    dose = lung_dose(activity, lung_shunt, coefficient_j_per_bq=RESIN_COEFFICIENT_J_PER_BQ)
    broken = lung_dose_reasons(dose, previous_lung_dose_gy)
    reasons = broken
    if reduction:
        reasons = (f"lung shunt {lung_shunt:.1%}: activity reduced by {reduction:.0%}", *broken)
    return SirtPrescription(activity, dose, bool(broken), reasons, _RESIN_SOURCE, bsa, reduction)


def partition_doses(
    activity_bq: float,
    lung_shunt: float,
    tnr: float,
    tumour_mass_kg: float,
    normal_liver_mass_kg: float,
) -> PartitionDoses:
    """Return the tumour, normal-liver and lung doses of the partition model.

    Parameters
    ----------
    activity_bq
        Activity delivered, in Bq (> 0).
    lung_shunt
        Lung shunt fraction (0..<1).
    tnr
        Tumour-to-normal-liver ratio of activity concentration (> 0).
    tumour_mass_kg, normal_liver_mass_kg
        Masses of the perfused tumour and normal liver, in kg (> 0).

    Returns
    -------
    PartitionDoses
        Doses in Gy; the energy k·A is shared: D_T·M_T + D_N·M_N + D_L·M_L = k·A.

    Examples
    --------
    >>> d = partition_doses(2e9, 0.05, 3.0, 0.2, 1.3)
    >>> round(d.tumour_dose_gy, 1), round(d.normal_liver_dose_gy, 1), round(d.lung_dose_gy, 2)
    (149.0, 49.7, 4.97)
    """
    positive(N_("activity"), activity_bq, "Bq")
    fraction(N_("lung shunt fraction"), lung_shunt, allow_one=False)
    positive(N_("tumour-to-normal ratio"), tnr, "")
    positive(N_("tumour mass"), tumour_mass_kg, "kg")
    positive(N_("normal liver mass"), normal_liver_mass_kg, "kg")
    liver_energy = RESIN_COEFFICIENT_J_PER_BQ * activity_bq * (1.0 - lung_shunt)
    normal = liver_energy / (tnr * tumour_mass_kg + normal_liver_mass_kg)
    lungs = lung_dose(activity_bq, lung_shunt, coefficient_j_per_bq=RESIN_COEFFICIENT_J_PER_BQ)
    reasons = lung_dose_reasons(lungs)
    return PartitionDoses(tnr * normal, normal, lungs, bool(reasons), reasons, _PARTITION_SOURCE)


def glass_activity(
    target_dose_gy: float,
    perfused_mass_kg: float,
    lung_shunt: float = 0.0,
    residual: float = 0.0,
    *,
    previous_lung_dose_gy: float = 0.0,
) -> SirtPrescription:
    """Return the TheraSphere activity for a target dose: A = D · M / (50 (1 − F)(1 − R)).

    Parameters
    ----------
    target_dose_gy
        Mean absorbed dose wanted in the perfused liver, in Gy (> 0).
    perfused_mass_kg
        Mass of the perfused liver (target), in kg (> 0).
    lung_shunt
        Lung shunt fraction F (0..<1).
    residual
        Fraction R of the activity left in the vial and lines (0..<1).
    previous_lung_dose_gy
        Lung dose of earlier treatments, in Gy.

    Returns
    -------
    SirtPrescription
        Activity in the vial, lung dose 50 · A · F (1 − R) / 1 kg, contraindicated when the lung
        dose exceeds 30 Gy (or 50 Gy cumulative).

    Examples
    --------
    >>> p = glass_activity(120.0, 1.5, 0.10, 0.05)
    >>> round(p.activity_bq / 1e9, 3), round(p.lung_dose_gy, 1)
    (4.211, 20.0)
    """
    positive(N_("target dose"), target_dose_gy, "Gy")
    positive(N_("perfused mass"), perfused_mass_kg, "kg")
    fraction(N_("lung shunt fraction"), lung_shunt, allow_one=False)
    fraction(N_("residual fraction in the vial"), residual, allow_one=False)
    delivered = target_dose_gy * perfused_mass_kg / (GLASS_COEFFICIENT_J_PER_BQ * (1 - lung_shunt))
    activity = delivered / (1.0 - residual)
    dose = lung_dose(delivered, lung_shunt)
    reasons = lung_dose_reasons(dose, previous_lung_dose_gy)
    return SirtPrescription(activity, dose, bool(reasons), reasons, _GLASS_SOURCE)
