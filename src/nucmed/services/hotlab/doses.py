"""Patient doses: the request, the draw from a multi-dose vial, the measured activity check.

A draw is refused (hard stop) when the vial may not be used (QC, expiry), does not hold the
requested radiopharmaceutical, would be overdrawn, or when the dose calibrator has no passed
constancy check today. A measured activity outside the site's tolerance is refused unless a
physician, physicist or administrator at the site gives a reason: that override is audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.radiopharmacy import dispensing
from nucmed.services.audit import Event, now_utc, record
from nucmed.services.hotlab.calibrators import constancy_problem, get_calibrator
from nucmed.services.hotlab.materials import (
    blocking_reasons,
    get_material,
    parts_of,
    reason,
    remaining,
)
from nucmed.services.sites import setting_value
from nucmed.services.uow import Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.enums import Role
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ, FRACTION_PER_PERCENT, M3_PER_ML

__all__ = [
    "OVERRIDERS",
    "DoseRefusedError",
    "DrawInput",
    "DrawPlan",
    "PatientInput",
    "RequestInput",
    "draw_dose",
    "draw_for",
    "plan_draw",
    "register_patient",
    "request_dose",
]

OVERRIDERS = frozenset({Role.PHYSICIAN, Role.PHYSICIST, Role.ADMIN})
"""Who may accept a measured dose outside the tolerance, with a reason."""


class DoseRefusedError(NucmedInputError):
    """A draw that a safety rule forbids; the message says which rule."""


@dataclass(frozen=True, slots=True)
class PatientInput:
    """The minimum to identify a patient: the hospital's number and the name."""

    local_id: str
    full_name: str
    birth_date: date | None = None
    sex: str | None = None  # F, M or O, as HL7 v2 PID-8 (U: unknown, stored as None)


def register_patient(store: Store, actor: User, site: Site, given: PatientInput) -> Patient:
    """The patient with that local ID at the site, registered now if new (audited)."""
    local_id = given.local_id.strip()
    if not local_id or not given.full_name.strip():
        raise refusal(N_("a patient needs the hospital's patient number and a name"))
    sex = (given.sex or "").strip().upper()[:1] or None
    if sex not in (None, "F", "M", "O", "U"):
        raise refusal(N_("sex is F, M, O (other) or U (unknown)"))
    found = store.session.scalars(
        select(Patient).where(Patient.site_id == site.id, Patient.local_id == local_id)
    ).one_or_none()
    if found is not None:
        return found
    patient = Patient(
        site_id=site.id,
        local_id=local_id,
        full_name=given.full_name.strip(),
        birth_date=given.birth_date,
        sex=None if sex == "U" else sex,
        created_at=now_utc(),
    )
    store.session.add(patient)
    store.session.flush()
    record(store, actor, Event("patient.register", "patient", patient.id, site_id=site.id))
    return patient


@dataclass(frozen=True, slots=True)
class RequestInput:
    """A dose to prepare: radiopharmaceutical (kit code or product), nuclide, and the
    prescribed activity (Bq) at the planned administration time."""

    patient_id: int
    procedure: str
    radiopharmaceutical: str
    nuclide: str
    prescribed_bq: float
    planned_at: datetime


def request_dose(store: Store, actor: User, site: Site, given: RequestInput) -> DoseRequest:
    """Record a dose request (audited)."""
    patient = store.session.get(Patient, given.patient_id)
    if patient is None or patient.site_id != site.id:
        raise refusal(
            N_("no patient {patient} at {site}"), patient=given.patient_id, site=site.code
        )
    if not math.isfinite(given.prescribed_bq) or given.prescribed_bq <= 0:
        raise refusal(N_("the prescribed activity must be positive"))
    if not given.radiopharmaceutical.strip() or not given.procedure.strip():
        raise refusal(N_("name the procedure and the radiopharmaceutical"))
    request = DoseRequest(
        site_id=site.id,
        patient_id=patient.id,
        procedure=given.procedure.strip(),
        radiopharmaceutical=given.radiopharmaceutical.strip(),
        nuclide=get_nuclide(given.nuclide).name,
        prescribed_bq=given.prescribed_bq,
        planned_at=given.planned_at,
        requested_at=now_utc(),
        requested_by_id=actor.id,
    )
    store.session.add(request)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "dose.request",
            "dose_request",
            request.id,
            site_id=site.id,
            details={
                "patient": patient.local_id,
                "radiopharmaceutical": request.radiopharmaceutical,
                "prescribed_mbq": given.prescribed_bq / BQ_PER_MBQ,
            },
        ),
    )
    return request


def draw_for(store: Store, request: DoseRequest) -> Draw | None:
    """The draw made for a request, if any."""
    return store.session.scalars(select(Draw).where(Draw.request_id == request.id)).first()


def _matches(request: DoseRequest, vial: Material) -> bool:
    wanted = request.radiopharmaceutical.lower()
    names = {vial.product.lower(), (vial.kit_code or "").lower()}
    return vial.nuclide == request.nuclide and (wanted in names or wanted in vial.product.lower())


@dataclass(frozen=True, slots=True)
class DrawPlan:
    """What to draw for a request from a vial at a time, and what forbids it (if anything;
    each problem keeps its translatable parts)."""

    volume_m3: float
    expected_bq: float
    problems: tuple[str, ...]


def plan_draw(store: Store, request: DoseRequest, vial: Material, at: datetime) -> DrawPlan:
    """The volume to draw and the activity the syringe should hold at ``at``."""
    problems = list(blocking_reasons(store, vial, at))
    if not _matches(request, vial):
        problems.append(
            reason(
                N_("vial #{id} holds {product}, not {wanted}"),
                id=vial.id,
                product=vial.product,
                wanted=request.radiopharmaceutical,
            )
        )
    if draw_for(store, request) is not None:
        problems.append(reason(N_("this request has been drawn already")))
    left = remaining(store, vial, at)
    prescribed = Activity.of(request.nuclide, request.prescribed_bq, request.planned_at)
    try:
        expected_bq = dispensing.activity_at_draw_bq(prescribed, at)
    except dispensing.DispensingInputError as error:  # drawn after the planned time
        return DrawPlan(0.0, 0.0, (*problems, Message.of(error)))
    if left.volume_m3 is None or left.activity_bq <= 0:
        empty = reason(N_("the vial holds no solution to draw"))
        return DrawPlan(0.0, expected_bq, (*problems, empty))
    contents = Activity.of(vial.nuclide, left.activity_bq, at)
    try:
        volume = dispensing.volume_to_draw_m3(
            contents, left.volume_m3, request.prescribed_bq, request.planned_at
        )
    except dispensing.DrawExceedsVialError as error:
        short = reason(N_("not enough in the vial: {error}"), error=str(error))
        return DrawPlan(0.0, expected_bq, (*problems, short))
    return DrawPlan(volume, expected_bq, tuple(problems))


@dataclass(frozen=True, slots=True)
class DrawInput:
    """A draw: which request, vial and calibrator, when, and the activity measured (Bq)."""

    request_id: int
    vial_id: int
    calibrator_id: int
    drawn_at: datetime
    measured_bq: float
    override_reason: str | None = None


def _lock_vial(store: Store, site: Site, vial_id: int) -> Material:
    """The vial, locked against concurrent draws (PostgreSQL row lock; SQLite: the
    transaction holds the write lock already)."""
    get_material(store, site, vial_id)
    locked = store.session.scalars(
        select(Material).where(Material.id == vial_id).with_for_update()
    ).one()
    return locked


def _override(
    store: Store, actor: User, site: Site, given: DrawInput, check: dispensing.DoseCheck
) -> str:
    reason = (given.override_reason or "").strip()
    if not reason:
        template = N_(
            "the measured activity differs by {deviation} from the expected, beyond "
            "±{tolerance}; a physician, physicist or administrator may accept it with a reason"
        )
        values = {
            "deviation": f"{check.deviation_fraction:+.1%}",
            "tolerance": f"{check.tolerance_fraction:.0%}",
        }
        raise DoseRefusedError(parts=((template, values),))
    if not store.users.roles_at(actor.id, site.id) & OVERRIDERS:
        template = N_(
            "only a physician, physicist or administrator may accept a dose outside the tolerance"
        )
        raise DoseRefusedError(parts=((template, {}),))
    return reason


def draw_dose(factory: SessionFactory, actor_id: int, site_id: int, given: DrawInput) -> Draw:
    """Draw a patient dose in its own write-locked transaction (audited).

    Concurrent draws from one vial queue on the lock, so the vial is never overdrawn.
    """
    with transaction(factory, write_lock=True) as store:
        site, actor = store.sites.by_id(site_id), store.users.by_id(actor_id)
        if site is None or actor is None:
            raise refusal(N_("unknown site or user"))
        vial = _lock_vial(store, site, given.vial_id)
        request = store.session.get(DoseRequest, given.request_id)
        if request is None or request.site_id != site.id:
            raise refusal(
                N_("no dose request {id} at {site}"), id=given.request_id, site=site.code
            )
        device = get_calibrator(store, site, given.calibrator_id)
        plan = plan_draw(store, request, vial, given.drawn_at)
        problem = constancy_problem(store, site, device, given.drawn_at)
        refusals = [*plan.problems, *([problem] if problem else [])]
        if refusals:
            raise DoseRefusedError(parts=parts_of(refusals))
        tolerance = setting_value(store, site, "dispensing_tolerance_percent")
        check = dispensing.check_measured(
            given.measured_bq, plan.expected_bq, tolerance * FRACTION_PER_PERCENT
        )
        reason = None if check.within else _override(store, actor, site, given, check)
        draw = Draw(
            request_id=request.id,
            material_id=vial.id,
            calibrator_id=device.id,
            drawn_at=given.drawn_at,
            volume_m3=plan.volume_m3,
            expected_bq=plan.expected_bq,
            measured_bq=given.measured_bq,
            deviation=check.deviation_fraction,
            override_reason=reason,
            expires_at=vial.expires_at or given.drawn_at,
            drawn_by_id=actor.id,
        )
        store.session.add(draw)
        store.session.flush()
        action = "dose.draw_override" if reason else "dose.draw"
        record(
            store,
            actor,
            Event(
                action,
                "dose_request",
                request.id,
                site_id=site.id,
                reason=reason,
                details={
                    "vial": vial.id,
                    "volume_ml": plan.volume_m3 / M3_PER_ML,
                    "measured_mbq": given.measured_bq / BQ_PER_MBQ,
                    "expected_mbq": plan.expected_bq / BQ_PER_MBQ,
                    "deviation": check.deviation_fraction,
                },
            ),
        )
        return draw
