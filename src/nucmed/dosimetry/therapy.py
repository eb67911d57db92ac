"""Therapy prescriptions: I-131 for benign thyroid disease, fixed and weight-based activities.

Each calculator is a pure function that returns a :class:`Prescription`: the activity in Bq,
whether the treatment is contraindicated (a result, with reasons, not an error) and the source
of the formula. Bad input (a negative mass, an uptake over 100 %) raises
:class:`TherapyInputError`.

- :func:`i131_benign_activity`: the EANM 2010 form of the Marinelli formula;
- :func:`dtc_activity`: fixed I-131 activities for differentiated thyroid cancer by risk (ATA);
- :func:`sm153_activity`, :func:`sr89_activity`, :func:`ra223_activity`: bone-seeking agents;
- :func:`lu177_regimen`: the Pluvicto (PSMA-617) and Lutathera (DOTATATE) regimens;
- :func:`zevalin_activity`: Y-90 ibritumomab tiuxetan by weight and platelet count.

The label numbers live in ``nucmed/data/therapy_regimens.csv``, each row with its source and
status; Y-90 microspheres are in :mod:`nucmed.dosimetry.sirt`. See ``docs/dosimetry/therapy.md``.

References
----------
.. [1] M. P. M. Stokkel et al., "EANM procedure guidelines for therapy of benign thyroid
   disease", Eur. J. Nucl. Med. Mol. Imaging 37, 2218-2228 (2010).
.. [2] B. R. Haugen et al., "2015 American Thyroid Association management guidelines ...",
   Thyroid 26(1), 1-133 (2016); and the ATA 2025 update, Table 10.
.. [3] US prescribing information of Quadramet, Metastron, Xofigo, Pluvicto, Lutathera and
   Zevalin (rows of ``therapy_regimens.csv``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from nucmed import checks, units
from nucmed.data import Status, read_rows
from nucmed.errors import N_, NucmedInputError, Word
from nucmed.physics.nuclides import get_nuclide
from nucmed.units import FRACTION_PER_PERCENT

__all__ = [
    "DTC_RISKS",
    "LU177_REGIMENS",
    "MARINELLI_K_MBQ_D_PERCENT_PER_GY_ML",
    "Prescription",
    "TherapyInputError",
    "dtc_activity",
    "i131_benign_activity",
    "lu177_regimen",
    "ra223_activity",
    "sm153_activity",
    "sr89_activity",
    "zevalin_activity",
]

MARINELLI_K_MBQ_D_PERCENT_PER_GY_ML = 24.67
"""EANM 2010 constant of the Marinelli formula, MBq·d·%/(Gy·ml) (recalled; see the module docs)."""

DTC_RISKS = ("low", "intermediate", "high", "distant")
"""Risk groups of :func:`dtc_activity` (ATA)."""

LU177_REGIMENS = {"psma617": "lu177_psma617", "dotatate": "lu177_dotatate"}
"""Names accepted by :func:`lu177_regimen` and their rows in ``therapy_regimens.csv``."""

_DATA_FILE = "therapy_regimens.csv"
_THYROID_DENSITY_KG_PER_M3 = units.KG_PER_G / units.M3_PER_ML  # 1 g/ml: EANM equates g and ml
_ZEVALIN_FULL_MIN_1E9_PER_L = 150.0
_ZEVALIN_MIN_1E9_PER_L = 100.0
_MARINELLI_SOURCE = (
    "EANM 2010 benign thyroid guideline (Stokkel et al., EJNMMI 37:2218), Marinelli formula "
    "A[MBq] = 24.67 x D[Gy] x V[ml] / (RIU_max[%] x T_eff[d])"
)


class TherapyInputError(NucmedInputError):
    """A dose, mass, fraction, half-life, weight or count that a calculator cannot use."""


@dataclass(frozen=True, slots=True)
class Prescription:
    """An activity to administer, or the reasons not to.

    Parameters
    ----------
    activity_bq
        Activity per administration, in Bq (the lower end of a range; 0 when contraindicated
        and no activity applies).
    contraindicated
        True when the source says not to treat; ``reasons`` says why.
    reasons
        Why the treatment is contraindicated or the activity was reduced or capped.
    source
        The formula's or the label's citation.
    status
        How sure the numbers are: ``confirmed``, ``secondary``, ``recalled`` or ``derived``.
    activity_max_bq
        Upper end of a range of activities, in Bq; None for a single value.
    administrations
        Number of administrations of the regimen.
    interval_s
        Time between administrations, in s; None for a single administration.

    Examples
    --------
    >>> p = sm153_activity(70.0)
    >>> round(p.activity_bq / 1e6), p.contraindicated
    (2590, False)
    """

    activity_bq: float
    contraindicated: bool
    reasons: tuple[str, ...]
    source: str
    status: Status
    activity_max_bq: float | None = None
    administrations: int = 1
    interval_s: float | None = None


@dataclass(frozen=True, slots=True)
class _Row:
    activity_bq: float
    activity_max_bq: float | None
    per_kg: bool
    administrations: int
    interval_s: float | None
    source: str
    status: Status


@cache
def _rows() -> dict[str, _Row]:
    """Read ``therapy_regimens.csv`` once per process."""
    return {
        row["key"]: _Row(
            activity_bq=units.parse_activity(row["activity"]),
            activity_max_bq=units.parse_activity(row["activity_max"])
            if row["activity_max"]
            else None,
            per_kg=row["per_kg"] == "yes",
            administrations=int(row["administrations"]),
            interval_s=units.parse_duration(row["interval"]) if row["interval"] else None,
            source=row["source"],
            status=Status(row["status"]),
        )
        for row in read_rows(_DATA_FILE)
    }


def positive(name: str, value: float, unit: str) -> float:
    """Return ``value`` if it is a finite number > 0, else raise :class:`TherapyInputError`."""
    return checks.positive(name, value, unit, error=TherapyInputError)


def fraction(name: str, value: float, *, allow_one: bool = True) -> float:
    """Return ``value`` if it is a fraction 0..1 (or 0..<1), else raise an input error."""
    top_ok = value <= 1.0 if allow_one else value < 1.0
    if not (math.isfinite(value) and value >= 0.0 and top_ok):
        template = (
            N_("{name} must be a fraction from 0 to 1 (0 % to 100 %), got {value}")
            if allow_one
            else N_("{name} must be a fraction from 0 to below 1 (below 100 %), got {value}")
        )
        raise TherapyInputError(parts=((template, {"name": Word(name), "value": repr(value)}),))
    return value


def _weighted(key: str, weight_kg: float | None) -> Prescription:
    row = _rows()[key]
    scale = 1.0
    if row.per_kg:
        if weight_kg is None:
            raise TherapyInputError(
                parts=(
                    (
                        N_("{key}: the activity is per kg; give the body weight in kg"),
                        {"key": key},
                    ),
                )
            )
        scale = positive(N_("body weight"), weight_kg, "kg")
    top = None if row.activity_max_bq is None else row.activity_max_bq * scale
    return Prescription(
        activity_bq=row.activity_bq * scale, contraindicated=False, reasons=(),
        source=row.source, status=row.status, activity_max_bq=top,
        administrations=row.administrations, interval_s=row.interval_s,
    )  # fmt: skip


def _thyroid_volume_m3(mass_kg: float | None, volume_m3: float | None) -> float:
    if (mass_kg is None) == (volume_m3 is None):
        raise TherapyInputError(
            parts=((N_("give either the thyroid mass or the thyroid volume, not both"), {}),)
        )
    if volume_m3 is not None:
        return positive(N_("thyroid volume"), volume_m3, "m³")
    return positive(N_("thyroid mass"), mass_kg or 0.0, "kg") / _THYROID_DENSITY_KG_PER_M3


def i131_benign_activity(
    target_dose_gy: float,
    max_uptake: float,
    effective_half_life_s: float,
    *,
    thyroid_mass_kg: float | None = None,
    thyroid_volume_m3: float | None = None,
) -> Prescription:
    """Return the I-131 activity for a target absorbed dose to the thyroid (Marinelli, EANM).

    A [MBq] = 24.67 · D [Gy] · V [ml] / (RIU_max [%] · T_eff [d]), the form of the EANM 2010
    guideline; a mass is read as a volume at 1 g/ml, as the guideline does.

    Parameters
    ----------
    target_dose_gy
        Target absorbed dose to the thyroid (or nodule), in Gy (> 0).
    max_uptake
        Maximum thyroid uptake of I-131, as a fraction (0 < U <= 1).
    effective_half_life_s
        Effective half-life of I-131 in the thyroid, in s (> 0, at most the physical
        half-life of I-131).
    thyroid_mass_kg
        Mass of the target, in kg (give this or the volume).
    thyroid_volume_m3
        Volume of the target, in m³.

    Returns
    -------
    Prescription
        The activity in Bq; never contraindicated by the formula itself.

    Raises
    ------
    TherapyInputError
        For a non-positive dose, mass, volume or half-life, an uptake outside (0, 1], an
        effective half-life longer than the physical one, or both or neither of mass and volume.

    References
    ----------
    .. [1] Stokkel et al., EJNMMI 37:2218 (2010), section on activity calculation.

    Examples
    --------
    >>> p = i131_benign_activity(150.0, 0.5, 5 * 86400.0, thyroid_mass_kg=0.030)
    >>> round(p.activity_bq / 1e6, 1)  # 24.67 * 150 * 30 / (50 * 5)
    444.1
    """
    volume_m3 = _thyroid_volume_m3(thyroid_mass_kg, thyroid_volume_m3)
    positive(N_("target dose"), target_dose_gy, "Gy")
    if not (math.isfinite(max_uptake) and 0.0 < max_uptake <= 1.0):
        raise TherapyInputError(
            parts=(
                (
                    N_("maximum uptake must be above 0 and at most 100 %, got {value}"),
                    {"value": max_uptake},
                ),
            )
        )
    positive(N_("effective half-life"), effective_half_life_s, "s")
    physical_s = get_nuclide("I-131").half_life_s
    if effective_half_life_s > physical_s:
        raise TherapyInputError(
            parts=(
                (
                    N_(
                        "effective half-life {effective} d is longer than the physical "
                        "half-life of I-131 ({physical} d)"
                    ),
                    {
                        "effective": float(f"{effective_half_life_s / units.SECONDS_PER_DAY:.3g}"),
                        "physical": float(f"{physical_s / units.SECONDS_PER_DAY:.4g}"),
                    },
                ),
            )
        )
    k_si = (
        MARINELLI_K_MBQ_D_PERCENT_PER_GY_ML * units.BQ_PER_MBQ * units.SECONDS_PER_DAY
        * FRACTION_PER_PERCENT / units.M3_PER_ML
    )  # fmt: skip
    activity = k_si * target_dose_gy * volume_m3 / (max_uptake * effective_half_life_s)
    return Prescription(activity, False, (), _MARINELLI_SOURCE, Status.RECALLED)


def dtc_activity(risk: str) -> Prescription:
    """Return the range of I-131 activities for differentiated thyroid cancer by ATA risk.

    Parameters
    ----------
    risk
        One of ``low``, ``intermediate``, ``high``, ``distant`` (distant metastases).

    Returns
    -------
    Prescription
        ``activity_bq`` to ``activity_max_bq``, one administration.

    Raises
    ------
    TherapyInputError
        For an unknown risk group.

    Examples
    --------
    >>> p = dtc_activity("low")
    >>> p.activity_bq / 1e9, p.activity_max_bq / 1e9
    (1.1, 1.85)
    """
    if risk not in DTC_RISKS:
        raise TherapyInputError(
            parts=((N_("unknown risk '{risk}'; allowed: {allowed}"),
                    {"risk": risk[:40], "allowed": ", ".join(DTC_RISKS)}),)
        )  # fmt: skip
    return _weighted(f"dtc_{risk}", None)


def sm153_activity(weight_kg: float) -> Prescription:
    """Return the Sm-153 lexidronam (EDTMP) activity: 37 MBq/kg (1.0 mCi/kg), Quadramet label.

    Parameters
    ----------
    weight_kg
        Body weight, in kg (> 0).

    Returns
    -------
    Prescription
        One administration.

    Examples
    --------
    >>> sm153_activity(80.0).activity_bq == 80 * 37e6
    True
    """
    return _weighted("sm153_edtmp", positive(N_("body weight"), weight_kg, "kg"))


def sr89_activity(weight_kg: float | None = None) -> Prescription:
    """Return the Sr-89 chloride activity: 148 MBq, or 1.5-2.2 MBq/kg (Metastron label).

    Parameters
    ----------
    weight_kg
        Body weight, in kg; with it the weight-based range is returned instead of 148 MBq.

    Returns
    -------
    Prescription
        One administration; repeat no sooner than 90 days (label).

    Examples
    --------
    >>> sr89_activity().activity_bq, sr89_activity(100.0).activity_max_bq
    (148000000.0, 220000000.0)
    """
    if weight_kg is None:
        return _weighted("sr89_fixed", None)
    return _weighted("sr89_per_kg", positive(N_("body weight"), weight_kg, "kg"))


def ra223_activity(weight_kg: float, *, nist_2015: bool = True) -> Prescription:
    """Return the Ra-223 dichloride activity per injection: 55 kBq/kg, 6 injections 4 weeks apart.

    Parameters
    ----------
    weight_kg
        Body weight, in kg (> 0).
    nist_2015
        True (default) for activities on the 2015 NIST Ra-223 standard (label 55 kBq/kg);
        False for a dose calibrator still set to the former standard (50 kBq/kg, the same
        physical activity).

    Returns
    -------
    Prescription
        Per-injection activity, 6 administrations, 4-week interval.

    Examples
    --------
    >>> round(ra223_activity(80.0).activity_bq / 1e6, 2), ra223_activity(80.0).administrations
    (4.4, 6)
    """
    return _weighted(
        "ra223" if nist_2015 else "ra223_pre2015", positive(N_("body weight"), weight_kg, "kg")
    )


def lu177_regimen(name: str) -> Prescription:
    """Return a standard Lu-177 regimen: ``psma617`` (Pluvicto) or ``dotatate`` (Lutathera).

    Parameters
    ----------
    name
        ``psma617`` (7.4 GBq every 6 weeks, up to 6) or ``dotatate`` (7.4 GBq every 8 weeks, 4).

    Returns
    -------
    Prescription
        Activity per cycle, number of cycles and interval.

    Raises
    ------
    TherapyInputError
        For another name.

    Examples
    --------
    >>> r = lu177_regimen("dotatate")
    >>> r.activity_bq / 1e9, r.administrations, r.interval_s / 86400
    (7.4, 4, 56.0)
    """
    key = LU177_REGIMENS.get(name.strip().lower())
    if key is None:
        raise TherapyInputError(
            parts=((N_("unknown regimen '{name}'; allowed: {allowed}"),
                    {"name": name[:40], "allowed": ", ".join(LU177_REGIMENS)}),)
        )  # fmt: skip
    return _weighted(key, None)


def zevalin_activity(weight_kg: float, platelets_1e9_per_l: float) -> Prescription:
    """Return the Y-90 ibritumomab tiuxetan (Zevalin) activity from weight and platelets.

    14.8 MBq/kg for platelets >= 150 × 10⁹/L, 11.1 MBq/kg for 100-149 × 10⁹/L, at most
    1184 MBq; contraindicated below 100 × 10⁹/L (a result, not an error).

    Parameters
    ----------
    weight_kg
        Actual body weight, in kg (> 0).
    platelets_1e9_per_l
        Platelet count, in 10⁹ per litre (> 0).

    Returns
    -------
    Prescription
        Activity in Bq (0 when contraindicated), with the reasons for a reduction or the cap.

    Raises
    ------
    TherapyInputError
        For a weight or platelet count that is not a finite number > 0.

    Examples
    --------
    >>> round(zevalin_activity(70.0, 200.0).activity_bq / 1e6, 1)
    1036.0
    >>> zevalin_activity(70.0, 90.0).contraindicated
    True
    """
    positive(N_("body weight"), weight_kg, "kg")
    positive(N_("platelet count"), platelets_1e9_per_l, "x 10^9/L")
    rows = _rows()
    source, status = rows["zevalin_full"].source, rows["zevalin_full"].status
    if platelets_1e9_per_l < _ZEVALIN_MIN_1E9_PER_L:
        reason = f"platelets {platelets_1e9_per_l:g} x 10^9/L are below 100 x 10^9/L: do not treat"
        return Prescription(0.0, True, (reason,), source, status)
    reasons: list[str] = []
    key = "zevalin_full"
    if platelets_1e9_per_l < _ZEVALIN_FULL_MIN_1E9_PER_L:
        key = "zevalin_reduced"
        reasons.append("platelets 100-149 x 10^9/L: reduced to 11.1 MBq/kg")
    activity = rows[key].activity_bq * weight_kg
    cap = rows["zevalin_cap"].activity_bq
    if activity > cap:
        activity = cap
        reasons.append("capped at 1184 MBq (32 mCi) whatever the weight")
    return Prescription(activity, False, tuple(reasons), source, status)
