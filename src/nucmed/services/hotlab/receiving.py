"""Receipt of radioactive material: the record of the package and its survey."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nucmed.errors import N_, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.hotlab.materials import MaterialView, material_view
from nucmed.services.permissions import Permission, site_for
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material, ReceiptSurvey
from nucmed.store.models import Site, User

__all__ = ["Delivery", "Receipt", "Survey", "receive", "record_receipt"]

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
    """Action levels exceeded (site settings), each with its measured value and limit in SI
    and the SI unit; the activity as its relative deviation from the declared one."""
    limits = site_settings(store, site)
    checks = [
        (
            "surface dose rate",
            survey.surface_dose_rate_sv_per_s,
            limits.receipt_surface_dose_rate_limit_sv_per_s,
            "Sv/s",
        ),
        (
            "dose rate at 1 m",
            survey.one_metre_dose_rate_sv_per_s,
            limits.receipt_one_metre_dose_rate_limit_sv_per_s,
            "Sv/s",
        ),
        ("wipe test", survey.wipe_bq_per_m2, limits.receipt_wipe_limit_bq_per_m2, "Bq/m2"),
    ]
    found = [
        {"check": name, "value": value, "limit": limit, "unit": unit}
        for name, value, limit, unit in checks
        if value > limit
    ]
    if survey.measured_activity_bq is not None:
        deviation = (survey.measured_activity_bq - expected_bq) / expected_bq
        if abs(deviation) > limits.dispensing_tolerance:
            found.append(
                {
                    "check": "activity",
                    "value": deviation,
                    "limit": limits.dispensing_tolerance,
                    "unit": "1",
                    "measured_bq": survey.measured_activity_bq,
                    "expected_bq": expected_bq,
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
        created_at=store.now(),
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


@dataclass(frozen=True, slots=True)
class Receipt:
    """A recorded delivery: the material at the survey's time and the action levels exceeded
    (``check``, ``value`` and ``limit`` in the SI ``unit``)."""

    material: MaterialView
    findings: tuple[dict[str, Any], ...]


def record_receipt(
    database: Database, identity: Identity, code: str, delivery: Delivery, survey: Survey
) -> Receipt:
    """Record a delivered package and its survey at site ``code`` (hot-lab work; audited).

    Raises
    ------
    NucmedInputError
        The delivery is not valid (kind, nuclide, activity, volume).
    NotFoundError, AccessDeniedError
        No such site, or the person may not work in its hot lab.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_WORK)
        material, receipt = receive(store, actor(store, identity), site, delivery, survey)
        view = material_view(store, site, material, survey.measured_at)
        return Receipt(view, tuple(receipt.findings))
