"""Receipt of radioactive material: the record of the package and its survey."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nucmed.errors import N_, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, now_utc, record
from nucmed.services.sites import setting_value
from nucmed.services.uow import Store
from nucmed.store.hotlab import Material, ReceiptSurvey
from nucmed.store.models import Site, User
from nucmed.units import (
    BQ_PER_MBQ,
    FRACTION_PER_PERCENT,
    M_PER_CM,
    SECONDS_PER_HOUR,
    SV_PER_USV,
)

__all__ = ["Delivery", "Survey", "receive"]

_RECEIVED_KINDS = ("generator", "vial", "capsule", "check_source")


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the supplier declares: the material and its calibration."""

    kind: str
    nuclide: str
    product: str
    activity_bq: float
    calibration_time: datetime
    lot: str | None = None
    supplier: str | None = None
    volume_m3: float | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Survey:
    """What was measured at receipt (dose rates in Sv/s, wipe in Bq/m², activity in Bq)."""

    measured_at: datetime
    surface_dose_rate_sv_per_s: float
    one_metre_dose_rate_sv_per_s: float
    wipe_bq_per_m2: float
    measured_activity_bq: float | None = None


def _check(delivery: Delivery) -> None:
    if delivery.kind not in _RECEIVED_KINDS:
        raise refusal(N_("kind must be one of {allowed}"), allowed=", ".join(_RECEIVED_KINDS))
    get_nuclide(delivery.nuclide)
    if not math.isfinite(delivery.activity_bq) or delivery.activity_bq <= 0:
        raise refusal(N_("the declared activity must be a positive number"))
    if delivery.volume_m3 is not None and delivery.volume_m3 <= 0:
        raise refusal(N_("the volume must be positive"))


def _findings(
    store: Store, site: Site, survey: Survey, expected_bq: float
) -> list[dict[str, Any]]:
    """Action levels exceeded, each with its measured value and limit (site settings)."""
    checks = [
        (
            "surface dose rate",
            survey.surface_dose_rate_sv_per_s * SECONDS_PER_HOUR / SV_PER_USV,
            setting_value(store, site, "receipt_surface_dose_rate_limit_usv_per_h"),
            "µSv/h",
        ),
        (
            "dose rate at 1 m",
            survey.one_metre_dose_rate_sv_per_s * SECONDS_PER_HOUR / SV_PER_USV,
            setting_value(store, site, "receipt_one_metre_dose_rate_limit_usv_per_h"),
            "µSv/h",
        ),
        (
            "wipe test",
            survey.wipe_bq_per_m2 * M_PER_CM**2,
            setting_value(store, site, "receipt_wipe_limit_bq_per_cm2"),
            "Bq/cm²",
        ),
    ]
    found = [
        {"check": name, "value": value, "limit": limit, "unit": unit}
        for name, value, limit, unit in checks
        if value > limit
    ]
    if survey.measured_activity_bq is not None:
        tolerance = (
            setting_value(store, site, "dispensing_tolerance_percent") * FRACTION_PER_PERCENT
        )
        deviation = (survey.measured_activity_bq - expected_bq) / expected_bq
        if abs(deviation) > tolerance:
            found.append(
                {
                    "check": "activity",
                    "value": deviation * 100,
                    "limit": tolerance * 100,
                    "unit": "%",
                    "measured_mbq": survey.measured_activity_bq / BQ_PER_MBQ,
                    "expected_mbq": expected_bq / BQ_PER_MBQ,
                }
            )
    return found


def receive(
    store: Store, actor: User, site: Site, delivery: Delivery, survey: Survey
) -> tuple[Material, ReceiptSurvey]:
    """Record a delivered package and its survey (audited).

    The declared activity is decay-corrected to the measurement time and compared with the
    measured activity; dose rates, wipe and activity beyond the site's action levels are
    recorded as findings (for the RSO), not refused: the material is on site either way.
    """
    _check(delivery)
    material = Material(
        site_id=site.id,
        kind=delivery.kind,
        nuclide=get_nuclide(delivery.nuclide).name,
        product=delivery.product.strip(),
        lot=delivery.lot,
        supplier=delivery.supplier,
        activity_bq=delivery.activity_bq,
        reference_time=delivery.calibration_time,
        volume_m3=delivery.volume_m3,
        expires_at=delivery.expires_at,
        parent_id=None,
        kit_code=None,
        details={},
        created_at=now_utc(),
        created_by_id=actor.id,
    )
    store.session.add(material)
    store.session.flush()
    declared = Activity.of(material.nuclide, delivery.activity_bq, delivery.calibration_time)
    expected_bq = declared.activity_at(survey.measured_at)
    findings = _findings(store, site, survey, expected_bq)
    receipt = ReceiptSurvey(
        material_id=material.id,
        measured_at=survey.measured_at,
        surface_dose_rate_sv_per_s=survey.surface_dose_rate_sv_per_s,
        one_metre_dose_rate_sv_per_s=survey.one_metre_dose_rate_sv_per_s,
        wipe_bq_per_m2=survey.wipe_bq_per_m2,
        measured_activity_bq=survey.measured_activity_bq,
        expected_activity_bq=expected_bq,
        findings=findings,
        surveyed_by_id=actor.id,
    )
    store.session.add(receipt)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "material.receive",
            "material",
            material.id,
            site_id=site.id,
            details={
                "kind": material.kind,
                "nuclide": material.nuclide,
                "product": material.product,
                "findings": findings,
            },
        ),
    )
    return material, receipt
