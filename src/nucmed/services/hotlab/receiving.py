"""Receipt of radioactive material: the record of the package and its survey."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nucmed.errors import N_, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.safety import transport_limits
from nucmed.safety.transport_limits import CATEGORIES, Declaration
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.hotlab.lots import note_duplicate_lot
from nucmed.services.hotlab.materials import MaterialView, material_view
from nucmed.services.hotlab.quarantine import quarantine_at_receipt
from nucmed.services.permissions import Permission, site_for
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material, ReceiptSurvey
from nucmed.store.models import Site, User

__all__ = [
    "CATEGORIES",
    "Declaration",
    "Delivery",
    "Receipt",
    "Survey",
    "receive",
    "record_receipt",
]

_RECEIVED_KINDS = ("generator", "vial", "capsule", "check_source")


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the supplier declares: the material and its calibration, and the package's label
    category, transport index and exclusive use (``package``, IAEA SSR-6)."""

    kind: str
    nuclide: str
    product: str
    activity_bq: float
    calibration_time: datetime
    lot: str | None = None
    supplier: str | None = None
    volume_m3: float | None = None
    expires_at: datetime | None = None
    package: Declaration = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class Survey:
    """What was measured at receipt (dose rates in Sv/s, wipe in Bq/m², activity in Bq)."""

    measured_at: datetime
    surface_dose_rate_sv_per_s: float
    one_metre_dose_rate_sv_per_s: float
    wipe_bq_per_m2: float
    measured_activity_bq: float | None = None
    late_entry_reason: str | None = None
    """Why the survey is entered more than the site's late-entry limit after it was made."""


def _check(delivery: Delivery) -> None:
    if delivery.kind not in _RECEIVED_KINDS:
        raise refusal(N_("kind must be one of {allowed}"), allowed=", ".join(_RECEIVED_KINDS))
    get_nuclide(delivery.nuclide)
    if not math.isfinite(delivery.activity_bq) or delivery.activity_bq <= 0:
        raise refusal(N_("the declared activity must be a positive number"))
    if delivery.volume_m3 is not None and delivery.volume_m3 <= 0:
        raise refusal(N_("the volume must be positive"))


def _package_findings(
    store: Store, site: Site, delivery: Delivery, survey: Survey
) -> list[dict[str, Any]]:
    """The limits of IAEA SSR-6 (or the site's lower action levels) the package exceeds, each
    with its value and limit in the SI ``unit``, the ``rule`` and its ``source``; any of them
    quarantines the package (:mod:`nucmed.safety.transport_limits`)."""
    limits = site_settings(store, site)
    site_levels = transport_limits.ActionLevels(
        limits.receipt_surface_dose_rate_limit_sv_per_s,
        limits.receipt_one_metre_dose_rate_limit_sv_per_s,
        limits.receipt_wipe_limit_bq_per_m2,
    )
    measured = transport_limits.Survey(
        survey.surface_dose_rate_sv_per_s,
        survey.one_metre_dose_rate_sv_per_s,
        survey.wipe_bq_per_m2,
    )
    checked = transport_limits.check_package(
        delivery.nuclide, delivery.package, measured, site_levels
    )
    return [
        {
            "check": f.check,
            "value": f.value,
            "limit": f.limit,
            "unit": f.unit,
            "rule": str(f.rule),
            "source": f.source,
        }
        for f in checked.findings
    ]


def _activity_finding(
    store: Store, site: Site, survey: Survey, expected_bq: float
) -> list[dict[str, Any]]:
    """The measured activity's relative deviation from the declared one, when beyond the
    site's tolerance (a finding that does not quarantine the package)."""
    if survey.measured_activity_bq is None:
        return []
    tolerance = site_settings(store, site).dispensing_tolerance
    deviation = (survey.measured_activity_bq - expected_bq) / expected_bq
    if abs(deviation) <= tolerance:
        return []
    return [
        {
            "check": "activity",
            "value": deviation,
            "limit": tolerance,
            "unit": "1",
            "measured_bq": survey.measured_activity_bq,
            "expected_bq": expected_bq,
        }
    ]


def receive(
    store: Store, actor: User, site: Site, delivery: Delivery, survey: Survey
) -> tuple[Material, ReceiptSurvey]:
    """Record a delivered package and its survey (audited).

    The declared activity is decay-corrected to the measurement time and compared with the
    measured activity. Dose rates and wipe are checked against the package's declaration
    (IAEA SSR-6) and the site's lower action levels: a package over any limit is recorded and
    put in quarantine (not usable until the radiation safety officer releases it); an activity
    beyond the tolerance is a finding that does not quarantine it.
    """
    _check(delivery)
    package_findings = _package_findings(store, site, delivery, survey)
    late = check_event_time(store, site, survey.measured_at, survey.late_entry_reason)
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
    note_duplicate_lot(store, actor, site, material)
    declared = Activity.of(material.nuclide, delivery.activity_bq, delivery.calibration_time)
    expected_bq = declared.activity_at(survey.measured_at)
    findings = package_findings + _activity_finding(store, site, survey, expected_bq)
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
        label_category=delivery.package.category,
        transport_index=delivery.package.transport_index,
        exclusive_use=delivery.package.exclusive_use,
    )
    store.session.add(receipt)
    store.session.flush()
    if package_findings:
        quarantine_at_receipt(store, actor, site, material, package_findings)
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
    record_late_entry(store, actor, late, "material", material.id)
    return material, receipt


@dataclass(frozen=True, slots=True)
class Receipt:
    """A recorded delivery: the material at the survey's time, the limits exceeded
    (``check``, ``value`` and ``limit`` in the SI ``unit``, the ``rule`` and its ``source``)
    and whether the package is in quarantine."""

    material: MaterialView
    findings: tuple[dict[str, Any], ...]
    quarantined: bool


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
        return Receipt(view, tuple(receipt.findings), view.quarantine is not None)
