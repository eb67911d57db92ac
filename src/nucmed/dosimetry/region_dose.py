"""A region's absorbed dose in a therapy cycle: which curve, which S-value, then D = Ã·S.

From the activities measured in one region (an organ or a named tumour) after a cycle's
administration, :func:`region_dose` chooses:

- the curve, one of :data:`MODELS` (:func:`fit_curve`): a mono-exponential, a bi-exponential
  with uptake and washout (3 parameters) or with two clearances (4), or trapezoids with an
  uptake from zero and a physical-decay tail (:mod:`nucmed.dosimetry.mird`);
- the S-value (:func:`region_s_value`): an organ of :data:`~nucmed.dosimetry.svalues.ORGANS`
  takes the self-dose S-value of the reference adult of the patient's sex (ICRP 89), scaled to
  its mass when given; the sex must be known (a missing sex is asked for, never assumed);
  any other region with a mass is a tumour, a unit-density sphere of that mass;

and the self-dose D = Ã · S(region ← region) of the MIRD schema.

References
----------
.. [1] W. E. Bolch et al., MIRD Pamphlet No. 21, J. Nucl. Med. 50, 477-484 (2009).
.. [2] ICRP Publication 89, Basic anatomical and physiological data for use in radiological
   protection: reference values, Ann. ICRP 32(3-4) (2002): reference male and female.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nucmed.dosimetry.mird import (
    TacFit,
    absorbed_dose_gy,
    fit_bi_exponential,
    fit_mono_exponential,
    trapezoid_with_tail,
)
from nucmed.dosimetry.svalues import ORGANS, SEXES, SValue, organ_self_s_value, sphere_s_value
from nucmed.errors import N_, refusal

__all__ = ["MODELS", "RegionDose", "fit_curve", "region_dose", "region_s_value"]

MODELS = ("mono", "bi_uptake", "bi_clearance", "trapezoid")
"""Time-activity models: mono-exponential; bi-exponential uptake and washout (3 parameters) or
two clearances (4); trapezoids with an uptake from zero and a physical-decay tail."""


@dataclass(frozen=True, slots=True)
class RegionDose:
    """A region's absorbed dose in a cycle, with the fit, the points and the S-value.

    Parameters
    ----------
    absorbed_dose_gy
        D = Ã · S, in Gy.
    fit
        The fitted time-activity curve and its time-integrated activity Ã (Bq·s).
    times_s, activities_bq
        The measured points: s from the administration, and Bq.
    s_value
        The S-value used, in Gy/(Bq·s), with its method and source.
    """

    absorbed_dose_gy: float
    fit: TacFit
    times_s: Sequence[float]
    activities_bq: Sequence[float]
    s_value: SValue


def fit_curve(
    model: str, times_s: Sequence[float], activities_bq: Sequence[float], nuclide: str
) -> TacFit:
    """Fit the time-activity curve ``model`` to the measured points.

    Parameters
    ----------
    model
        One of :data:`MODELS`.
    times_s
        Times of measurement, in s from the administration.
    activities_bq
        Activities measured (not decay-corrected), in Bq.
    nuclide
        The nuclide administered (its physical decay bounds the fit and makes the tail).

    Returns
    -------
    TacFit
        The curve and Ã, in Bq·s.

    Raises
    ------
    NucmedInputError
        For an unknown model, or points the model cannot fit (fewer than 3, not falling).

    Examples
    --------
    >>> import math
    >>> hours = [4.0, 24.0, 96.0]
    >>> points = [1e9 * math.exp(-math.log(2) * h / 60) for h in hours]
    >>> fit = fit_curve("mono", [h * 3600 for h in hours], points, "Lu-177")
    >>> round(fit.tia_bq_s / (1e9 * 60 * 3600 / math.log(2)), 6)
    1.0
    """
    times = np.asarray(times_s, dtype=np.float64)
    if model == "mono":
        return fit_mono_exponential(times, activities_bq, nuclide=nuclide)
    if model == "bi_uptake":
        return fit_bi_exponential(times, activities_bq, form="uptake", nuclide=nuclide)
    if model == "bi_clearance":
        return fit_bi_exponential(times, activities_bq, form="clearance", nuclide=nuclide)
    if model == "trapezoid":
        return trapezoid_with_tail(times, activities_bq, nuclide, origin="zero")
    raise refusal(N_("the curve is one of {models}"), models=", ".join(MODELS))


def region_s_value(nuclide: str, region: str, mass_kg: float | None, sex: str | None) -> SValue:
    """Choose the self-dose S-value of a region: an organ's by sex and mass, or a tumour's.

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide.
    region
        An organ of :data:`~nucmed.dosimetry.svalues.ORGANS`, or a tumour's name.
    mass_kg
        The region's mass, in kg: scales an organ's S-value (None: the reference organ);
        needed for a tumour (a unit-density sphere of that mass).
    sex
        ``female`` or ``male`` (the ICRP-89 reference adult); needed for an organ, unused for
        a tumour. None when the patient's sex is not known.

    Returns
    -------
    SValue
        In Gy/(Bq·s), with its method, source and status.

    Raises
    ------
    NucmedInputError
        For an organ without a sex (the patient's sex is asked for: no default), a tumour
        without a mass, or a nuclide, organ or mass with no S-value.

    Examples
    --------
    >>> region_s_value("Lu-177", "kidneys", None, "female").mass_kg
    0.275
    >>> region_s_value("Lu-177", "lesion", 0.02, None).region
    'sphere'
    """
    if region in ORGANS:
        if sex not in SEXES:
            raise refusal(
                N_(
                    "the S-value of {region} depends on the patient's sex, which is not "
                    "recorded: give the sex (F or M)"
                ),
                region=region,
            )
        return organ_self_s_value(nuclide, region, sex=str(sex), mass_kg=mass_kg)
    if mass_kg is None:
        raise refusal(
            N_(
                "{region} is not an organ of the S-value table: give its mass to treat it as a "
                "tumour (sphere)"
            ),
            region=region,
        )
    return sphere_s_value(nuclide, mass_kg)


def region_dose(
    nuclide: str,
    region: str,
    points: tuple[Sequence[float], Sequence[float]],
    fit_as: tuple[str, float | None],
    sex: str | None,
) -> RegionDose:
    """Return a region's self-dose in a cycle: D = Ã · S(region ← region).

    Parameters
    ----------
    nuclide
        The nuclide administered.
    region
        An organ of :data:`~nucmed.dosimetry.svalues.ORGANS`, or a tumour's name.
    points
        ``(times_s, activities_bq)``: s from the administration, and Bq as measured.
    fit_as
        ``(model, mass_kg)``: the curve (:data:`MODELS`) and the region's mass in kg (None: the
        reference organ).
    sex
        ``female`` or ``male`` for an organ's S-value; None when not known.

    Returns
    -------
    RegionDose
        The dose in Gy, with the fit, the points and the S-value.

    Raises
    ------
    NucmedInputError
        See :func:`fit_curve` and :func:`region_s_value`.

    Examples
    --------
    >>> import math
    >>> hours = [4.0, 24.0, 96.0]
    >>> points = [1e9 * math.exp(-math.log(2) * h / 60) for h in hours]
    >>> found = region_dose(
    ...     "Lu-177", "kidneys", ([h * 3600 for h in hours], points), ("mono", None), "male"
    ... )
    >>> round(found.absorbed_dose_gy, 2)
    24.18
    """
    model, mass_kg = fit_as
    times_s, activities_bq = points
    fit = fit_curve(model, times_s, activities_bq, nuclide)
    s_value = region_s_value(nuclide, region, mass_kg, sex)
    dose = absorbed_dose_gy(fit.tia_bq_s, s_value.s_gy_per_bq_s)
    return RegionDose(dose, fit, [float(t) for t in times_s], list(activities_bq), s_value)
