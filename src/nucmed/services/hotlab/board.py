"""The hot lab's day board: today's patients and doses, what is ready, what is blocked, why.

:func:`read_board` is the use case (its own unit of work, :attr:`Permission.HOTLAB_READ`); it
returns a :class:`BoardView` of plain values, "now" and the local day from the clock.

The board reads the ids of the day's requests, then, once for all the lines of the page it
shows (:mod:`~nucmed.services.hotlab.board_order`), the requests, their patients, live draws
and administrations, the open vials with what is left in them and why they may not be used,
and the calibrators' checks, and computes each line in memory: its time grows with the lines
of a page, not its queries nor the length of the day. A line whose stored numbers cannot be
computed or shown (out of any plausible range, an overflow) is flagged instead of failing the
board.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from nucmed.errors import N_, NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.hotlab.board_order import (
    FIRST_PAGE,
    OVERDUE_NAMED,
    DayOrder,
    PageAsked,
    Paging,
    day_order,
    live_draws,
    overdue_named,
    page_ids,
    paging,
    patients_of,
    requests_in_order,
)
from nucmed.services.hotlab.board_reasons import Groups, Tried, about, grouped, groups
from nucmed.services.hotlab.board_views import (
    BoardLine,
    BoardView,
    CalibratorCheck,
    DrawnDose,
    GivenDose,
    OverdueRef,
    PatientRef,
    RequestRef,
    State,
    VialRef,
)
from nucmed.services.hotlab.calibrators import constancy_problem
from nucmed.services.hotlab.doses import plan_with, serves
from nucmed.services.hotlab.materials import (
    Container,
    Facts,
    Remaining,
    blocking_reasons,
    facts_of,
    open_materials,
    reason,
    remaining,
)
from nucmed.services.hotlab.quarantine import quarantined_at_site
from nucmed.services.permissions import Permission, site_for
from nucmed.services.settings import site_settings
from nucmed.services.sites import view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import (
    Administration,
    DoseCalibrator,
    DoseRequest,
    Draw,
    Material,
    Patient,
)
from nucmed.store.id_lists import IDS, among
from nucmed.store.models import Site

__all__ = [
    "BoardLine",
    "BoardView",
    "CalibratorCheck",
    "DrawnDose",
    "GivenDose",
    "OverdueRef",
    "PageAsked",
    "PatientRef",
    "RequestRef",
    "VialRef",
    "read_board",
]

MOST_BQ = 1e15
"""The largest activity a board line shows (1 PBq, issue #10's plausible range); beyond it, or
not finite, the line is flagged."""
MOST_M3 = 1e-2
"""The largest volume a board line shows (10 L)."""

_CANNOT = N_("cannot be computed: a stored number is out of range")
_NO_VIAL = N_("no vial of {wanted} on site")
_ERRORS = (ArithmeticError, ValueError, NucmedInputError)
"""What computing a line from implausible stored numbers raises (overflow, out of range)."""


@dataclass(frozen=True, slots=True)
class _Vial:
    """An open vial as every line sees it now: what is left and why it may not be used
    (``left`` None: its numbers cannot be computed)."""

    row: Container
    left: Remaining | None
    blocked: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The vials that may serve a kind of request (with what is left), and those that hold
    it but may not be used, the most active first, with their reasons grouped once for every
    line of the kind: all of them, and all but the first."""

    usable: tuple[tuple[_Vial, Remaining], ...]
    refused: tuple[Tried, ...]
    refused_groups: Groups
    refused_after_first: Groups


@dataclass(frozen=True, slots=True)
class _Day:
    """What the board read of the store for the lines of the day."""

    patients: dict[int, Patient]
    draws: dict[int, Draw]
    """The live draw of each request drawn, by request id."""
    drawn_from: dict[int, Material]
    given: dict[int, Administration]
    """The administration of each draw given, by draw id."""
    vials: tuple[_Vial, ...]
    calibrator: tuple[str, ...]
    """Why no dose may be drawn now (no calibrator checked today), or nothing."""
    candidates: dict[tuple[str, str], _Candidates] = field(default_factory=dict)
    """The vials of each kind of request (nuclide, radiopharmaceutical), filled as lines ask."""


Refs = tuple[RequestRef, PatientRef]
"""A line's request and patient."""


def _refs(request: DoseRequest, patient: Patient) -> Refs:
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


def _drawn_line(refs: Refs, drawn: Draw, day: _Day) -> BoardLine:
    vial = day.drawn_from[drawn.material_id]
    given = day.given.get(drawn.id)
    administration = (
        None
        if given is None
        else GivenDose(given.net_activity_bq, given.administered_at, given.deviation_reason)
    )
    return BoardLine(
        *refs,
        state="drawn" if administration is None else "given",
        draw=DrawnDose(drawn.id, drawn.measured_bq, drawn.volume_m3, drawn.override_reason),
        vial=VialRef(vial.id, vial.product),
        administration=administration,
    )


def _waiting_line(refs: Refs, request: DoseRequest, day: _Day) -> BoardLine:
    """A request with no live draw: ready from the first vial that may serve it, else blocked
    with the reasons of the vials that hold its radiopharmaceutical (a vial of anything else
    never serves it, and is not listed)."""
    candidates = _candidates(request, day)
    tried: list[Tried] = []
    for vial, left in candidates.usable:
        plan = plan_with(request, vial.row, left, (), drawn=False)
        if not plan.problems:
            ready: State = "blocked" if day.calibrator else "ready"
            return BoardLine(
                *refs,
                state=ready,
                vial=VialRef(vial.row.id, vial.row.product),
                plan=plan,
                blocked=day.calibrator,
                why=day.calibrator,
            )
        tried.append((left.activity_bq, vial.row.id, tuple(plan.problems)))
    return _blocked(refs, request, day, _most_first(tried), candidates)


def _most_first(tried: Iterable[Tried]) -> list[Tried]:
    return sorted(tried, key=lambda vial: -vial[0])


def _blocked(
    refs: Refs,
    request: DoseRequest,
    day: _Day,
    tried: Sequence[Tried],
    candidates: _Candidates,
) -> BoardLine:
    """A blocked line: the site's reasons and the best vial's first (the vials that may be
    used come first, ``tried``, then those that may not, each kind by the activity it
    holds), the others' after."""
    refused = candidates.refused
    if not tried and not refused:
        missing = (*day.calibrator, reason(_NO_VIAL, wanted=request.radiopharmaceutical))
        return BoardLine(*refs, state="blocked", blocked=missing, why=missing)
    if tried:
        _, best, problems = tried[0]
        others = grouped(tried[1:], candidates.refused_groups)
    else:
        _, best, problems = refused[0]
        others = grouped((), candidates.refused_after_first)
    why = (*day.calibrator, *(about((best,), problem) for problem in problems))
    return BoardLine(
        *refs,
        state="blocked",
        blocked=(*why, *others),
        why=why,
        others=others,
        other_vials=len(tried) + len(refused) - 1,
    )


def _candidates(request: DoseRequest, day: _Day) -> _Candidates:
    """The vials that hold the request's radiopharmaceutical, read once per kind of request:
    those that may be used (with what is left), and the reasons of those that may not."""
    key = (request.nuclide, request.radiopharmaceutical)
    if key not in day.candidates:
        usable: list[tuple[_Vial, Remaining]] = []
        refused: list[Tried] = []
        for vial in (v for v in day.vials if serves(request, v.row)):
            if vial.left is None:
                refused.append((-1.0, vial.row.id, (reason(_CANNOT),)))
            elif vial.blocked:
                refused.append((vial.left.activity_bq, vial.row.id, vial.blocked))
            else:
                usable.append((vial, vial.left))
        ranked = _most_first(refused)
        day.candidates[key] = _Candidates(
            tuple(usable), tuple(ranked), groups(ranked), groups(ranked[1:])
        )
    return day.candidates[key]


def _shown(activities_bq: Iterable[float], volumes_m3: Iterable[float]) -> bool:
    """Whether every number is finite and within the range a line shows."""
    return all(math.isfinite(a) and 0 <= a <= MOST_BQ for a in activities_bq) and all(
        math.isfinite(v) and 0 <= v <= MOST_M3 for v in volumes_m3
    )


def _computable(line: BoardLine) -> bool:
    activities = [line.request.prescribed_bq]
    volumes = []
    if line.draw is not None:
        activities.append(line.draw.measured_bq)
        volumes.append(line.draw.volume_m3)
    if line.administration is not None:
        activities.append(line.administration.net_activity_bq)
    if line.plan is not None:
        activities.append(line.plan.expected_bq)
        volumes.append(line.plan.volume_m3)
    return _shown(activities, volumes)


def _flagged(refs: Refs, drawn: Draw | None, day: _Day) -> BoardLine:
    """The line of a request whose numbers cannot be computed: its draw kept (to discard it)."""
    if drawn is None:
        return BoardLine(*refs, state="blocked", blocked=(reason(_CANNOT),), flagged=True)
    given = day.given.get(drawn.id)
    return BoardLine(
        *refs,
        state="drawn" if given is None else "given",
        draw=DrawnDose(drawn.id, drawn.measured_bq, drawn.volume_m3, drawn.override_reason),
        blocked=(reason(_CANNOT),),
        flagged=True,
    )


def _line(request: DoseRequest, day: _Day) -> BoardLine:
    refs = _refs(request, day.patients[request.patient_id])
    drawn = day.draws.get(request.id)
    try:
        line = (
            _waiting_line(refs, request, day) if drawn is None else _drawn_line(refs, drawn, day)
        )
    except _ERRORS:
        return _flagged(refs, drawn, day)
    return line if _computable(line) else _flagged(refs, drawn, day)


def _overdue(line: BoardLine, now: datetime) -> BoardLine:
    """The line marked overdue when its planned time has passed and nothing is drawn."""
    waiting = line.state in ("ready", "blocked") and line.draw is None
    return replace(line, overdue=True) if waiting and line.request.planned_at < now else line


def _calibrators(store: Store, site: Site, at: datetime) -> tuple[CalibratorCheck, ...]:
    devices = store.session.scalars(
        select(DoseCalibrator).where(DoseCalibrator.site_id == site.id)
    ).all()
    return tuple(
        CalibratorCheck(d.id, d.name, constancy_problem(store, site, d, at)) for d in devices
    )


def _open_vial(store: Store, vial: Container, at: datetime, facts: Facts) -> _Vial:
    """An open vial, read once for every line: what is left at ``at`` and why it is blocked
    (nothing left to use when its numbers cannot be computed or are out of range)."""
    try:
        left = remaining(store, vial, at, facts)
        blocked = tuple(blocking_reasons(store, vial, at, facts))
    except _ERRORS:
        return _Vial(vial, None, ())
    if not _shown([left.activity_bq], [left.volume_m3 or 0.0]):
        return _Vial(vial, None, ())
    return _Vial(vial, left, blocked)


def _vials(store: Store, site: Site, at: datetime) -> tuple[_Vial, ...]:
    vials = open_materials(store, site, ("preparation", "vial", "eluate"))
    facts = facts_of(store, vials)
    return tuple(_open_vial(store, m, at, facts) for m in vials)


@cache
def _drawn_from_query() -> Select[Material]:
    return select(Material).where(among(Material.id))


@cache
def _given_query() -> Select[Administration]:
    return select(Administration).where(among(Administration.draw_id))


def _read_day(
    store: Store, requests: Sequence[DoseRequest], vials: tuple[_Vial, ...], calibrator_ok: bool
) -> _Day:
    draws = live_draws(store, [r.id for r in requests])
    vial_ids = list({d.material_id for d in draws.values()})
    drawn_from = store.session.scalars(_drawn_from_query(), {IDS: vial_ids})
    given = store.session.scalars(_given_query(), {IDS: [d.id for d in draws.values()]})
    return _Day(
        patients=patients_of(store, requests),
        draws=draws,
        drawn_from={m.id: m for m in drawn_from},
        given={g.draw_id: g for g in given if g.draw_id is not None},
        vials=vials,
        calibrator=() if calibrator_ok else ("no dose calibrator with today's constancy",),
    )


def _overdue_refs(store: Store, order: DayOrder, shown: Paging) -> tuple[OverdueRef, ...]:
    """The first :data:`OVERDUE_NAMED` overdue requests of the board, with their pages."""
    named = overdue_named(store, order, OVERDUE_NAMED)
    requests = requests_in_order(store, [ident for ident, _ in named])
    patients = patients_of(store, requests)
    return tuple(
        OverdueRef(*_refs(r, patients[r.patient_id]), shown.page_of(position))
        for r, (_, position) in zip(requests, named, strict=True)
    )


def read_board(
    database: Database, identity: Identity, code: str, asked: PageAsked = FIRST_PAGE
) -> BoardView:
    """One page of the board of the site's local day now (``asked``: the first by default):
    the requests planned that day, after those not drawn planned up to the site's late-entry
    limit before it (overdue), each with its state as seen now; the overdue requests of every
    page named at its top.

    Only the page's lines are read and computed, so a look at the board costs the same
    however long the day grows (:mod:`nucmed.services.hotlab.board_order`).

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not look at the hot lab there.
    NucmedInputError
        A page below 1, or lines per page outside 1–500.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        now = store.now()
        day = now.astimezone(ZoneInfo(site.time_zone)).date()
        checks = _calibrators(store, site, now)
        calibrator_ok = any(check.problem is None for check in checks)
        since = now - timedelta(seconds=site_settings(store, site).late_entry_after_s)
        order = day_order(store, site, day, since, now)
        shown = paging(store, order, asked)
        requests = requests_in_order(store, page_ids(store, order, shown))
        read = _read_day(store, requests, _vials(store, site, now), calibrator_ok)
        return BoardView(
            view_of_site(site),
            day,
            now,
            tuple(_overdue(_line(r, read), now) for r in requests),
            checks,
            quarantined=quarantined_at_site(store, site),
            page=shown.page,
            pages=shown.pages,
            total=shown.total,
            overdue=_overdue_refs(store, order, shown),
            overdue_total=order.overdue,
        )
