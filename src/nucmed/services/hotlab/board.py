"""The hot lab's day board: today's patients and doses, what is ready, what is blocked, why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.services.hotlab.calibrators import constancy_problem
from nucmed.services.hotlab.doses import DrawPlan, draw_for, plan_draw
from nucmed.services.hotlab.materials import open_materials
from nucmed.services.uow import Store
from nucmed.store.hotlab import (
    Administration,
    DoseCalibrator,
    DoseRequest,
    Draw,
    Material,
    Patient,
)
from nucmed.store.models import Site

__all__ = ["BoardLine", "DayBoard", "day_board"]


@dataclass(frozen=True, slots=True)
class BoardLine:
    """A dose request of the day and its state: drawn, ready (with the vial) or blocked."""

    request: DoseRequest
    patient: Patient
    draw: Draw | None
    vial: Material | None
    plan: DrawPlan | None
    blocked: tuple[str, ...]
    administration: Administration | None = None

    @property
    def state(self) -> str:
        """``given``, ``drawn``, ``ready`` or ``blocked``."""
        if self.administration is not None:
            return "given"
        if self.draw is not None:
            return "drawn"
        return "blocked" if self.blocked else "ready"


@dataclass(frozen=True, slots=True)
class DayBoard:
    """The board of one local day at a site."""

    site: Site
    day: date
    lines: tuple[BoardLine, ...]
    calibrators: tuple[tuple[DoseCalibrator, str | None], ...]
    vials: tuple[Material, ...]


def _day_bounds(site: Site, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _line(
    store: Store, request: DoseRequest, vials: list[Material], at: datetime, calibrator_ok: bool
) -> BoardLine:
    patient = store.session.get(Patient, request.patient_id)
    assert patient is not None
    drawn = draw_for(store, request)
    if drawn is not None:
        vial = store.session.get(Material, drawn.material_id)
        given = store.session.scalars(
            select(Administration).where(Administration.draw_id == drawn.id)
        ).first()
        return BoardLine(request, patient, drawn, vial, None, (), given)
    calibrator = () if calibrator_ok else ("no dose calibrator with today's constancy",)
    vial_reasons: list[str] = []
    best: tuple[Material, DrawPlan] | None = None
    for vial in vials:
        plan = plan_draw(store, request, vial, at)
        if not plan.problems:
            best = (vial, plan)
            break
        if vial.nuclide == request.nuclide:
            vial_reasons.extend(f"#{vial.id}: {problem}" for problem in plan.problems)
    if best is None:
        missing = vial_reasons or [f"no vial of {request.radiopharmaceutical} on site"]
        return BoardLine(request, patient, None, None, None, (*calibrator, *missing))
    return BoardLine(request, patient, None, best[0], best[1], calibrator)


def day_board(store: Store, site: Site, day: date, at: datetime) -> DayBoard:
    """Today's requests (planned on the site's local ``day``) as seen at ``at``."""
    start, end = _day_bounds(site, day)
    requests = store.session.scalars(
        select(DoseRequest)
        .where(
            DoseRequest.site_id == site.id,
            DoseRequest.planned_at >= start,
            DoseRequest.planned_at < end,
        )
        .order_by(DoseRequest.planned_at)
    ).all()
    devices = store.session.scalars(
        select(DoseCalibrator).where(DoseCalibrator.site_id == site.id)
    ).all()
    checks = tuple((d, constancy_problem(store, site, d, at)) for d in devices)
    calibrator_ok = any(problem is None for _, problem in checks)
    vials = [m for m in open_materials(store, site) if m.kind in ("preparation", "vial", "eluate")]
    lines = tuple(_line(store, r, vials, at, calibrator_ok) for r in requests)
    return DayBoard(site, day, lines, checks, tuple(vials))
