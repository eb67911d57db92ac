"""A site's settings as one typed value in SI, read through one function.

The settings table stays as it is: append-only, one row per change, each value in the unit that
ends its key (``eluate_expiry_h``, ``receipt_wipe_limit_bq_per_cm2``) so that people read and
type it as they know it. :func:`site_settings` converts every value to SI once, on read, through
the named constants of :mod:`nucmed.units`, so no service converts a setting by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from nucmed.services.site_defaults import effective_values
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.units import (
    BQ_PER_MBQ,
    FRACTION_PER_PERCENT,
    KG_PER_UG,
    M3_PER_ML,
    M_PER_CM,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    SV_PER_MSV,
    SV_PER_USV,
)

__all__ = ["SiteSettings", "site_settings"]

_PER_YEAR = 1.0
"""Annual limits stay per year: a year of work is the regulatory period, not 3.15e7 s."""
_SV_PER_H = SV_PER_USV / SECONDS_PER_HOUR
"""A stored µSv/h, as Sv/s."""


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Every setting of a site, in SI (Sv, Sv/s, Bq, s, Gy, m), with real booleans.

    Annual dose limits are in Sv per year and ages in years: the year is the period the rules
    are written in.
    """

    worker_effective_dose_limit_sv_per_y: float
    worker_effective_dose_single_year_max_sv: float
    worker_lens_dose_limit_sv_per_y: float
    worker_skin_dose_limit_sv_per_y: float
    worker_extremity_dose_limit_sv_per_y: float
    public_effective_dose_limit_sv_per_y: float
    pregnant_worker_embryo_dose_sv: float
    mo99_breakthrough_limit: float
    """Mo-99 activity per Tc-99m activity (Bq/Bq); 0.15 kBq/MBq is 1.5e-4."""
    eluate_aluminium_limit_kg_per_m3: float
    eluate_expiry_s: float
    dispensing_tolerance: float
    """Largest relative deviation of a measured dose from its prescription (0.10 = 10 %)."""
    receipt_surface_dose_rate_limit_sv_per_s: float
    receipt_one_metre_dose_rate_limit_sv_per_s: float
    receipt_wipe_limit_bq_per_m2: float
    waste_release_half_lives: float
    waste_release_by_clearance: bool
    waste_release_margin_sv_per_s: float
    pregnancy_question_until_age_y: float
    therapy_kidney_limit_gy: float
    therapy_lung_limit_per_treatment_gy: float
    therapy_lung_limit_cumulative_gy: float
    therapy_red_marrow_limit_gy: float
    release_dose_rate_1m_sv_per_s: float
    event_time_future_tolerance_s: float
    """How far after the site's clock an event time may lie (clocks a few minutes apart)."""
    late_entry_after_s: float
    """An event entered later than this after it happened needs a reason (late entry)."""
    elution_yield_warn_below: float
    """Elution yield (fraction of theoretical) below which a warning is shown."""
    elution_yield_warn_above: float
    """Elution yield (fraction of theoretical) above which a warning is shown."""
    supply_discrepancy: float
    """Largest relative difference between a received shipment's measured activity and its
    declared one decayed to the measurement before the receipt is flagged (0.10 = 10 %)."""
    supply_receiving_margin_s: float
    """Time the site needs between a delivery's arrival and its order's calibration (s)."""
    drl_bq: Mapping[str, float]
    """Diagnostic reference level per procedure code, in Bq (set by each site)."""


_Convert = Callable[[float], float | bool]


def _times(factor: float) -> _Convert:
    return lambda value: value * factor


_FIELDS: Mapping[str, tuple[str, _Convert]] = {
    "worker_effective_dose_limit_msv_per_y": (
        "worker_effective_dose_limit_sv_per_y",
        _times(SV_PER_MSV / _PER_YEAR),
    ),
    "worker_effective_dose_single_year_max_msv": (
        "worker_effective_dose_single_year_max_sv",
        _times(SV_PER_MSV),
    ),
    "worker_lens_dose_limit_msv_per_y": ("worker_lens_dose_limit_sv_per_y", _times(SV_PER_MSV)),
    "worker_skin_dose_limit_msv_per_y": ("worker_skin_dose_limit_sv_per_y", _times(SV_PER_MSV)),
    "worker_extremity_dose_limit_msv_per_y": (
        "worker_extremity_dose_limit_sv_per_y",
        _times(SV_PER_MSV),
    ),
    "public_effective_dose_limit_msv_per_y": (
        "public_effective_dose_limit_sv_per_y",
        _times(SV_PER_MSV),
    ),
    "pregnant_worker_embryo_dose_msv": ("pregnant_worker_embryo_dose_sv", _times(SV_PER_MSV)),
    "mo99_breakthrough_limit_kbq_per_mbq": (
        "mo99_breakthrough_limit",
        _times(1e3 / BQ_PER_MBQ),  # kBq per MBq: 1e3 Bq per 1e6 Bq
    ),
    "eluate_aluminium_limit_ug_per_ml": (
        "eluate_aluminium_limit_kg_per_m3",
        _times(KG_PER_UG / M3_PER_ML),
    ),
    "eluate_expiry_h": ("eluate_expiry_s", _times(SECONDS_PER_HOUR)),
    "dispensing_tolerance_percent": ("dispensing_tolerance", _times(FRACTION_PER_PERCENT)),
    "receipt_surface_dose_rate_limit_usv_per_h": (
        "receipt_surface_dose_rate_limit_sv_per_s",
        _times(_SV_PER_H),
    ),
    "receipt_one_metre_dose_rate_limit_usv_per_h": (
        "receipt_one_metre_dose_rate_limit_sv_per_s",
        _times(_SV_PER_H),
    ),
    "receipt_wipe_limit_bq_per_cm2": ("receipt_wipe_limit_bq_per_m2", _times(1 / M_PER_CM**2)),
    "waste_release_half_lives": ("waste_release_half_lives", _times(1.0)),
    "waste_release_by_clearance": ("waste_release_by_clearance", lambda value: value >= 1),
    "waste_release_margin_usv_per_h": ("waste_release_margin_sv_per_s", _times(_SV_PER_H)),
    "pregnancy_question_until_age_y": ("pregnancy_question_until_age_y", _times(1.0)),
    "therapy_kidney_limit_gy": ("therapy_kidney_limit_gy", _times(1.0)),
    "therapy_lung_limit_per_treatment_gy": ("therapy_lung_limit_per_treatment_gy", _times(1.0)),
    "therapy_lung_limit_cumulative_gy": ("therapy_lung_limit_cumulative_gy", _times(1.0)),
    "therapy_red_marrow_limit_gy": ("therapy_red_marrow_limit_gy", _times(1.0)),
    "release_dose_rate_1m_usv_per_h": ("release_dose_rate_1m_sv_per_s", _times(_SV_PER_H)),
    "event_time_future_tolerance_min": (
        "event_time_future_tolerance_s",
        _times(SECONDS_PER_MINUTE),
    ),
    "late_entry_after_h": ("late_entry_after_s", _times(SECONDS_PER_HOUR)),
    "elution_yield_warn_below_percent": (
        "elution_yield_warn_below",
        _times(FRACTION_PER_PERCENT),
    ),
    "elution_yield_warn_above_percent": (
        "elution_yield_warn_above",
        _times(FRACTION_PER_PERCENT),
    ),
    "supply_discrepancy_percent": ("supply_discrepancy", _times(FRACTION_PER_PERCENT)),
    "supply_receiving_margin_min": ("supply_receiving_margin_s", _times(SECONDS_PER_MINUTE)),
}
"""Stored key -> (field of :class:`SiteSettings`, conversion of the stored value to SI)."""

_DRL_PREFIX, _DRL_SUFFIX = "drl_", "_mbq"


def site_settings(store: Store, site: Site) -> SiteSettings:
    """The site's settings now (its newest stored values, else the defaults), in SI.

    Raises
    ------
    KeyError
        If a default named in :data:`_FIELDS` is missing from the shipped defaults (a packaging
        fault: ``tests/services/test_settings.py`` checks every key).
    """
    values: dict[str, Any] = {}  # field name -> float or bool, checked by the dataclass
    drl: dict[str, float] = {}
    for key, value in sorted(effective_values(store, site).items()):
        if key in _FIELDS:
            name, convert = _FIELDS[key]
            values[name] = convert(float(value))
        elif key.startswith(_DRL_PREFIX) and key.endswith(_DRL_SUFFIX):
            drl[key.removeprefix(_DRL_PREFIX).removesuffix(_DRL_SUFFIX)] = (
                float(value) * BQ_PER_MBQ
            )
    return SiteSettings(**values, drl_bq=MappingProxyType(drl))
