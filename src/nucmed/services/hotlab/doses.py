"""Patient doses: the request, the draw from a multi-dose vial, the measured activity check.

A draw is refused (hard stop) when the vial may not be used (QC, expiry), does not hold the
requested radiopharmaceutical, would be overdrawn, or when the dose calibrator has no passed
constancy check today. A measured activity outside the site's tolerance is refused unless a
person holding :attr:`~nucmed.services.permissions.Permission.DOSE_OVERRIDE` at the site (a
physician, physicist or administrator) gives a reason: that override is audited.

The use cases :func:`ask_for_dose`, :func:`draw_dose` and :func:`request_site` open their own
unit of work and check the permission; :func:`register_patient` and :func:`request_dose` are
their steps inside a caller's transaction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.radiopharmacy import dispensing
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.clinic.administrations import ROUTES
from nucmed.services.event_times import (
    check_event_time,
    check_planned_time,
    record_late_entry,
)
from nucmed.services.hotlab.calibrators import constancy_problem, get_calibrator
from nucmed.services.hotlab.materials import (
    Container,
    Remaining,
    blocking_reasons,
    facts_of,
    get_material,
    parts_of,
    reason,
    remaining,
)
from nucmed.services.patient_identity import PatientInput, register_patient
from nucmed.services.permissions import (
    AccessDeniedError,
    Permission,
    may,
    row_at_site,
    site_for,
)
from nucmed.services.settings import site_settings
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import DoseRequest, Draw, DrawDiscard, Material, Patient
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ, M3_PER_ML

__all__ = [
    "DoseAsked",
    "DoseOrder",
    "DoseRefusedError",
    "DrawInput",
    "DrawMade",
    "DrawPlan",
    "PatientInput",
    "RequestInput",
    "ask_for_dose",
    "draw_dose",
    "live_draw",
    "plan_draw",
    "plan_with",
    "register_patient",
    "request_dose",
    "request_site",
    "serves",
]


class DoseRefusedError(NucmedInputError):
    """A draw that a safety rule forbids; the message says which rule."""


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
    route: str | None = None  # one of ROUTES; None: not stated (printed so on the label)
    accession_number: str | None = None  # the worklist's (0008,0050), up to 16 characters
    station_ae_title: str | None = None  # the camera that does the study (0040,0001)


def _worklist_text(text: str | None) -> str | None:
    """An accession number or AE title: 1 to 16 characters without a backslash, or None."""
    if text is None or not text.strip():
        return None
    if len(text.strip()) > 16 or "\\" in text:  # noqa: PLR2004 - DICOM SH and AE (PS3.5 6.2)
        raise refusal(N_("{text}: up to 16 characters, no backslash"), text=text)
    return text.strip()


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
    if given.route is not None and given.route not in ROUTES:
        raise refusal(N_("the route must be one of {allowed}"), allowed=", ".join(ROUTES))
    check_planned_time(store, site, given.planned_at)
    request = DoseRequest(
        site_id=site.id,
        patient_id=patient.id,
        procedure=given.procedure.strip(),
        radiopharmaceutical=given.radiopharmaceutical.strip(),
        nuclide=get_nuclide(given.nuclide).name,
        prescribed_bq=given.prescribed_bq,
        planned_at=given.planned_at,
        route=given.route,
        requested_at=store.now(),
        requested_by_id=actor.id,
        accession_number=_worklist_text(given.accession_number),
        station_ae_title=_worklist_text(given.station_ae_title),
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


def live_draw(store: Store, request: DoseRequest) -> Draw | None:
    """The request's draw that has not been discarded, if any (a request has one at most)."""
    discarded = select(DrawDiscard.draw_id)
    return store.session.scalars(
        select(Draw)
        .where(Draw.request_id == request.id, Draw.id.not_in(discarded))
        .order_by(Draw.attempt.desc())
    ).first()


def serves(request: DoseRequest, vial: Container) -> bool:
    """Whether the vial holds the request's radiopharmaceutical (its product or kit named as
    the request names it) of the request's nuclide."""
    if vial.nuclide != request.nuclide:
        return False
    wanted = request.radiopharmaceutical.lower()
    return wanted == (vial.kit_code or "").lower() or wanted in vial.product.lower()


@dataclass(frozen=True, slots=True)
class DrawPlan:
    """What to draw for a request from a vial at a time, and what forbids it (if anything;
    each problem keeps its translatable parts)."""

    volume_m3: float
    expected_bq: float
    problems: tuple[str, ...]


def plan_draw(store: Store, request: DoseRequest, vial: Material, at: datetime) -> DrawPlan:
    """The volume to draw and the activity the syringe should hold at ``at``."""
    facts = facts_of(store, [vial])
    blocked = blocking_reasons(store, vial, at, facts)
    drawn = live_draw(store, request) is not None
    return plan_with(request, vial, remaining(store, vial, at, facts), blocked, drawn=drawn)


def plan_with(
    request: DoseRequest,
    vial: Container,
    left: Remaining,
    blocked: Sequence[str],
    *,
    drawn: bool,
) -> DrawPlan:
    """:func:`plan_draw` from what was read of the store: what the vial holds at the time of
    the draw (``left``), why it may not be used (``blocked``, its blocking reasons) and
    whether the request has a live draw (``drawn``). Reads nothing more."""
    problems = list(blocked)
    if not serves(request, vial):
        problems.append(
            reason(
                N_("vial #{id} holds {product}, not {wanted}"),
                id=vial.id,
                product=vial.product,
                wanted=request.radiopharmaceutical,
            )
        )
    if drawn:
        problems.append(reason(N_("this request has been drawn already")))
    prescribed = Activity.of(request.nuclide, request.prescribed_bq, request.planned_at)
    try:
        expected_bq = dispensing.activity_at_draw_bq(prescribed, left.at)
    except dispensing.DispensingInputError as error:  # drawn after the planned time
        return DrawPlan(0.0, 0.0, (*problems, Message.of(error)))
    if left.volume_m3 is None or left.activity_bq <= 0:
        empty = reason(N_("the vial holds no solution to draw"))
        return DrawPlan(0.0, expected_bq, (*problems, empty))
    contents = Activity.of(vial.nuclide, left.activity_bq, left.at)
    try:
        volume = dispensing.volume_to_draw_m3(
            contents, left.volume_m3, request.prescribed_bq, request.planned_at
        )
    except dispensing.DrawExceedsVialError as error:
        short = reason(N_("not enough in the vial: {error}"), error=Message.of(error))
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
    late_entry_reason: str | None = None
    """Why the draw is entered more than the site's late-entry limit after it was made."""


def _lock_vial(store: Store, site: Site, vial_id: int) -> Material:
    """The vial, locked against concurrent draws (PostgreSQL row lock; SQLite: the
    transaction holds the write lock already)."""
    return get_material(store, site, vial_id, lock=True)


def _next_attempt(store: Store, request: DoseRequest) -> int:
    """The attempt number of a new draw of the request: 1, or one more than its draws
    discarded (the unique index on request and attempt refuses a second live draw)."""
    discarded = store.session.scalar(
        select(func.count())
        .select_from(DrawDiscard)
        .join(Draw, Draw.id == DrawDiscard.draw_id)
        .where(Draw.request_id == request.id)
    )
    return int(discarded or 0) + 1


def _save_draw(store: Store, draw: Draw) -> None:
    """Insert the draw; a second draw of the same attempt (two clients at once) is refused."""
    try:
        with store.session.begin_nested():
            store.session.add(draw)
    except IntegrityError:
        raise DoseRefusedError(parts=((N_("this request has been drawn already"), {}),)) from None


def _override(site_may_override: bool, given: DrawInput, check: dispensing.DoseCheck) -> str:
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
    if not site_may_override:
        template = N_(
            "only a physician, physicist or administrator may accept a dose outside the tolerance"
        )
        raise DoseRefusedError(parts=((template, {}),))
    return reason


@dataclass(frozen=True, slots=True)
class DrawMade:
    """A recorded draw as the interfaces show it (activities in Bq, volume in m³)."""

    id: int
    request_id: int
    site_code: str
    volume_m3: float
    expected_bq: float
    measured_bq: float
    deviation: float
    """Relative deviation of the measured activity from the expected (0.05 = 5 %)."""
    override_reason: str | None
    expires_at: datetime


def _draw_made(draw: Draw, site: Site) -> DrawMade:
    return DrawMade(
        draw.id,
        draw.request_id,
        site.code,
        draw.volume_m3,
        draw.expected_bq,
        draw.measured_bq,
        draw.deviation,
        draw.override_reason,
        draw.expires_at,
    )


def _audit_draw(store: Store, actor: User, draw: Draw, plan: DrawPlan, site: Site) -> None:
    action = "dose.draw_override" if draw.override_reason else "dose.draw"
    details = {
        "vial": draw.material_id,
        "volume_ml": plan.volume_m3 / M3_PER_ML,
        "measured_mbq": draw.measured_bq / BQ_PER_MBQ,
        "expected_mbq": plan.expected_bq / BQ_PER_MBQ,
        "deviation": draw.deviation,
    }
    event = Event(
        action,
        "dose_request",
        draw.request_id,
        site_id=site.id,
        reason=draw.override_reason,
        details=details,
    )
    record(store, actor, event)


@dataclass(frozen=True, slots=True)
class _Drawer:
    """A request, its site, and what the person may do there: draw (hot-lab work) and
    accept a dose outside the tolerance."""

    site: Site
    request: DoseRequest
    works: bool
    overrides: bool


def _drawer(store: Store, identity: Identity, request_id: int) -> _Drawer:
    """Refused unless the person may draw at the request's site or accept a dose there; the
    request's row is locked until the transaction ends (one draw of a request at a time)."""
    site, request = row_at_site(
        store, identity, DoseRequest, request_id, Permission.HOTLAB_READ, lock=True
    )
    works = may(store, identity, site, Permission.HOTLAB_WORK)
    overrides = may(store, identity, site, Permission.DOSE_OVERRIDE)
    if not works and not overrides:
        raise AccessDeniedError(N_("your role at this site does not allow this"))
    return _Drawer(site, request, works, overrides)


def draw_dose(database: Database, identity: Identity, given: DrawInput) -> DrawMade:
    """Draw a patient dose in its own write-locked transaction (audited).

    Concurrent draws from one vial queue on the vial's lock, so the vial is never overdrawn;
    concurrent draws for one request queue on the request's lock, so a request has one live
    draw (a redraw follows a recorded discard: see
    :func:`~nucmed.services.hotlab.discards.discard_draw`).

    Raises
    ------
    NotFoundError
        No such dose request.
    AccessDeniedError
        The person may not work in the hot lab of the request's site (one who may only
        accept a dose outside the tolerance, a physician, draws only such a dose).
    DoseRefusedError
        A safety rule forbids the draw (the message says which).
    """
    with transaction(database, write_lock=True) as store:
        who = _drawer(store, identity, given.request_id)
        site, request = who.site, who.request
        late = check_event_time(store, site, given.drawn_at, given.late_entry_reason)
        vial = _lock_vial(store, site, given.vial_id)
        device = get_calibrator(store, site, given.calibrator_id)
        plan = plan_draw(store, request, vial, given.drawn_at)
        problem = constancy_problem(store, site, device, given.drawn_at)
        refusals = [*plan.problems, *([problem] if problem else [])]
        if refusals:
            raise DoseRefusedError(parts=parts_of(refusals))
        tolerance = site_settings(store, site).dispensing_tolerance
        check = dispensing.check_measured(given.measured_bq, plan.expected_bq, tolerance)
        reason = None if check.within else _override(who.overrides, given, check)
        if reason is None and not who.works:  # may only accept a dose outside the tolerance
            raise AccessDeniedError(N_("your role at this site does not allow this"))
        person = actor(store, identity)
        draw = Draw(
            request_id=request.id,
            attempt=_next_attempt(store, request),
            material_id=vial.id,
            calibrator_id=device.id,
            drawn_at=given.drawn_at,
            volume_m3=plan.volume_m3,
            expected_bq=plan.expected_bq,
            measured_bq=given.measured_bq,
            deviation=check.deviation_fraction,
            override_reason=reason,
            expires_at=vial.expires_at or given.drawn_at,
            drawn_by_id=person.id,
        )
        _save_draw(store, draw)
        _audit_draw(store, person, draw, plan, site)
        record_late_entry(store, person, late, "draw", draw.id)
        return _draw_made(draw, site)


def request_site(database: Database, identity: Identity, request_id: int) -> SiteView:
    """The site of a dose request, if the person may work in its hot lab (the page reads
    the times typed for a draw in its time zone).

    Raises
    ------
    NotFoundError
        No such dose request.
    AccessDeniedError
        The person may not work in the hot lab there.
    """
    with transaction(database, read_only=True) as store:
        site, _ = row_at_site(store, identity, DoseRequest, request_id, Permission.HOTLAB_WORK)
        return view_of_site(site)


@dataclass(frozen=True, slots=True)
class DoseOrder:
    """A dose asked for: procedure, radiopharmaceutical (kit code or product), nuclide, and
    the prescribed activity (Bq) at the planned administration time (aware)."""

    procedure: str
    radiopharmaceutical: str
    nuclide: str
    prescribed_bq: float
    planned_at: datetime
    route: str | None = None  # one of ROUTES; None: not stated
    accession_number: str | None = None  # the modality worklist's (0008,0050)
    station_ae_title: str | None = None  # the camera that does the study (0040,0001)


@dataclass(frozen=True, slots=True)
class DoseAsked:
    """The dose request made, and its patient."""

    id: int
    patient_id: int


def ask_for_dose(
    database: Database, identity: Identity, code: str, patient: PatientInput, order: DoseOrder
) -> DoseAsked:
    """Ask for a patient's dose at site ``code``, registering the patient if new (audited;
    write-locked, so that requests for one new patient at once register one patient).

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not ask for doses there.
    NucmedInputError
        The patient or the order is incomplete or out of range.
    """
    with transaction(database, write_lock=True) as store:
        site = site_for(store, identity, code, Permission.DOSE_REQUEST)
        person = actor(store, identity)
        found = register_patient(store, person, site, patient)
        made = request_dose(
            store,
            person,
            site,
            RequestInput(
                found.id,
                order.procedure,
                order.radiopharmaceutical,
                order.nuclide,
                order.prescribed_bq,
                order.planned_at,
                order.route,
                order.accession_number,
                order.station_ae_title,
            ),
        )
        return DoseAsked(made.id, found.id)
