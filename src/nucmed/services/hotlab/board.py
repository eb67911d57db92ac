"""The hot lab's day board: today's patients and doses, what is ready, what is blocked, why.

:func:`read_board` is the use case (its own unit of work, :attr:`Permission.HOTLAB_READ`); it
returns a :class:`BoardView` of plain values, "now" and the local day from the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.services.auth import Identity
from nucmed.services.clinic.administrations import ROUTES
from nucmed.services.hotlab.calibrators import constancy_problem
from nucmed.services.hotlab.doses import DrawPlan, draw_for, plan_draw
from nucmed.services.hotlab.materials import open_materials
from nucmed.services.permissions import Permission, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import (
    Administration,
    DoseCalibrator,
    DoseRequest,
    Draw,
    Material,
    Patient,
)
from nucmed.store.models import Site

__all__ = [
    "BoardLine",
    "BoardView",
    "CalibratorCheck",
    "DrawnDose",
    "GivenDose",
    "PatientRef",
    "RequestRef",
    "VialRef",
    "read_board",
]

State = Literal["given", "drawn", "ready", "blocked"]


@dataclass(frozen=True, slots=True)
class RequestRef:
    """A dose request as the board shows it (prescribed activity in Bq at ``planned_at``)."""

    id: int
    procedure: str
    radiopharmaceutical: str
    prescribed_bq: float
    planned_at: datetime


@dataclass(frozen=True, slots=True)
class PatientRef:
    """A patient as a line names them."""

    id: int
    local_id: str
    full_name: str


@dataclass(frozen=True, slots=True)
class DrawnDose:
    """The draw of a request: measured activity (Bq) and volume drawn (m³)."""

    id: int
    measured_bq: float
    volume_m3: float
    override_reason: str | None


@dataclass(frozen=True, slots=True)
class GivenDose:
    """The administration of a drawn dose: net activity (Bq), when, and any reason."""

    net_activity_bq: float
    administered_at: datetime
    deviation_reason: str | None


@dataclass(frozen=True, slots=True)
class VialRef:
    """The vial a dose is (or would be) drawn from."""

    id: int
    product: str


@dataclass(frozen=True, slots=True)
class CalibratorCheck:
    """A dose calibrator of the site and why it may not be used now (None: it may)."""

    id: int
    name: str
    problem: str | None


@dataclass(frozen=True, slots=True)
class BoardLine:
    """A dose request of the day and its state: given, drawn, ready (with the vial and what
    to draw) or blocked (with the reasons, each keeping its translatable parts)."""

    request: RequestRef
    patient: PatientRef
    state: State
    draw: DrawnDose | None = None
    vial: VialRef | None = None
    plan: DrawPlan | None = None
    blocked: tuple[str, ...] = ()
    administration: GivenDose | None = None


@dataclass(frozen=True, slots=True)
class BoardView:
    """The board of one local day at a site, as seen at ``now``; ``routes`` are the routes an
    administration may name."""

    site: SiteView
    day: date
    now: datetime
    lines: tuple[BoardLine, ...]
    calibrators: tuple[CalibratorCheck, ...]
    routes: tuple[str, ...] = ROUTES


def _day_bounds(site: Site, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _refs(store: Store, request: DoseRequest) -> tuple[RequestRef, PatientRef]:
    patient = store.session.get(Patient, request.patient_id)
    assert patient is not None
    return (
        RequestRef(
            request.id,
            request.procedure,
            request.radiopharmaceutical,
            request.prescribed_bq,
            request.planned_at,
        ),
        PatientRef(patient.id, patient.local_id, patient.full_name),
    )


def _drawn_line(store: Store, request: DoseRequest, drawn: Draw) -> BoardLine:
    vial = store.session.get(Material, drawn.material_id)
    assert vial is not None
    given = store.session.scalars(
        select(Administration).where(Administration.draw_id == drawn.id)
    ).first()
    administration = (
        None
        if given is None
        else GivenDose(given.net_activity_bq, given.administered_at, given.deviation_reason)
    )
    return BoardLine(
        *_refs(store, request),
        state="drawn" if administration is None else "given",
        draw=DrawnDose(drawn.id, drawn.measured_bq, drawn.volume_m3, drawn.override_reason),
        vial=VialRef(vial.id, vial.product),
        administration=administration,
    )


def _line(
    store: Store,
    request: DoseRequest,
    vials: Sequence[Material],
    at: datetime,
    calibrator_ok: bool,
) -> BoardLine:
    drawn = draw_for(store, request)
    if drawn is not None:
        return _drawn_line(store, request, drawn)
    calibrator = () if calibrator_ok else ("no dose calibrator with today's constancy",)
    vial_reasons: list[str] = []
    for vial in vials:
        plan = plan_draw(store, request, vial, at)
        if not plan.problems:
            ready: State = "blocked" if calibrator else "ready"
            return BoardLine(
                *_refs(store, request),
                state=ready,
                vial=VialRef(vial.id, vial.product),
                plan=plan,
                blocked=calibrator,
            )
        if vial.nuclide == request.nuclide:
            vial_reasons.extend(f"#{vial.id}: {problem}" for problem in plan.problems)
    missing = vial_reasons or [f"no vial of {request.radiopharmaceutical} on site"]
    return BoardLine(*_refs(store, request), state="blocked", blocked=(*calibrator, *missing))


def _requests(store: Store, site: Site, day: date) -> Sequence[DoseRequest]:
    start, end = _day_bounds(site, day)
    return store.session.scalars(
        select(DoseRequest)
        .where(
            DoseRequest.site_id == site.id,
            DoseRequest.planned_at >= start,
            DoseRequest.planned_at < end,
        )
        .order_by(DoseRequest.planned_at)
    ).all()


def _calibrators(store: Store, site: Site, at: datetime) -> tuple[CalibratorCheck, ...]:
    devices = store.session.scalars(
        select(DoseCalibrator).where(DoseCalibrator.site_id == site.id)
    ).all()
    return tuple(
        CalibratorCheck(d.id, d.name, constancy_problem(store, site, d, at)) for d in devices
    )


def read_board(database: Database, identity: Identity, code: str) -> BoardView:
    """The board of the site's local day now: the requests planned that day, each with its
    state as seen now.

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not look at the hot lab there.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        now = store.now()
        day = now.astimezone(ZoneInfo(site.time_zone)).date()
        checks = _calibrators(store, site, now)
        calibrator_ok = any(check.problem is None for check in checks)
        vials = [
            m for m in open_materials(store, site) if m.kind in ("preparation", "vial", "eluate")
        ]
        lines = tuple(
            _line(store, r, vials, now, calibrator_ok) for r in _requests(store, site, day)
        )
        return BoardView(view_of_site(site), day, now, lines, checks)
