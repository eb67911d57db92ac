"""Which dose requests the day board holds, in its order, and which page shows each.

The board can hold many requests (a big department's day, or a day of many typed in error);
reading and computing all of them for every look at the board made its cost grow with the day
(issue #10: about 1,500 lines under load, 0.1–0.3 ms of processor each). Reading only their
ids still did (about 20 ms at 8,000 requests). So the board counts its requests, which are
overdue, and where a request asked for stands, in the database (on the index of the site's
requests by planned time), then reads the ids of one page and computes its lines.

Its statements are built once per process, the day's bounds and the ids bound when they run
(:func:`_params`): building a statement and its cache key anew cost about as much as running
it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, func, or_, select

from nucmed.errors import N_, refusal
from nucmed.services.uow import Store
from nucmed.store.hotlab import DoseRequest, Draw, DrawDiscard, Patient
from nucmed.store.id_lists import IDS, among
from nucmed.store.models import Site

PAGE_LINES = 100
"""Lines on a page of the board: a department's whole day as a rule (the demo's has 12)."""
MOST_PAGE_LINES = 500
"""The most lines a page may be asked for (the API's ``per_page``)."""
OVERDUE_NAMED = 20
"""How many overdue requests the board names at its top (it counts them all)."""


@dataclass(frozen=True, slots=True)
class PageAsked:
    """Which page of the board a reader asks for: ``page`` (from 1) of ``per_page`` lines, or
    the one that shows the request ``showing`` when it is on the board."""

    page: int = 1
    per_page: int = PAGE_LINES
    showing: int | None = None


FIRST_PAGE = PageAsked()
"""The board's first page of :data:`PAGE_LINES` lines."""


@dataclass(frozen=True, slots=True)
class DayOrder:
    """Where the board's requests come from, and how many there are: first those not drawn
    that were planned from ``since`` to the day's start (``earlier``), then the day's
    (``today``), each by planned time, then id. The ids themselves are read a page at a time
    (:func:`page_ids`, :func:`overdue_named`), so that a look at the board costs the same
    however long the day grows."""

    site_id: int
    since: datetime
    start: datetime
    end: datetime
    now: datetime
    earlier: int
    """How many requests not drawn were planned from ``since`` to the day's start."""
    today: int
    """How many requests are planned on the day."""
    late_today: int
    """How many of the day's requests have no live draw and a planned time already past."""

    @property
    def total(self) -> int:
        """The lines of the whole board."""
        return self.earlier + self.today

    @property
    def overdue(self) -> int:
        """The requests with no live draw whose planned time has passed."""
        return self.earlier + self.late_today


@dataclass(frozen=True, slots=True)
class Paging:
    """Which page of the board is shown, of how many, and the lines it holds."""

    page: int
    pages: int
    per_page: int
    total: int

    def page_of(self, position: int) -> int:
        """The page (from 1) that shows the line at ``position`` (from 0) of the board."""
        return position // self.per_page + 1


def day_bounds(site: Site, day: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of the site's local ``day``."""
    zone = ZoneInfo(site.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _live_drawn() -> Select[int]:
    """The ids of requests with a live (not discarded) draw."""
    return select(Draw.request_id).where(Draw.id.not_in(select(DrawDiscard.draw_id)))


_BOARD_ORDER = (DoseRequest.planned_at, DoseRequest.id)


def _params(order: DayOrder, **more: object) -> dict[str, object]:
    """The values a board statement is run with: the day's bounds, and ``more``."""
    bounds = {"site_id": order.site_id, "since": order.since, "start": order.start}
    return {**bounds, "end": order.end, "now": order.now, **more}


def _earlier() -> list[ColumnElement[bool]]:
    return [
        DoseRequest.site_id == bindparam("site_id"),
        DoseRequest.planned_at >= bindparam("since"),
        DoseRequest.planned_at < bindparam("start"),
        DoseRequest.id.not_in(_live_drawn()),
    ]


def _today() -> list[ColumnElement[bool]]:
    return [
        DoseRequest.site_id == bindparam("site_id"),
        DoseRequest.planned_at >= bindparam("start"),
        DoseRequest.planned_at < bindparam("end"),
    ]


def _late_today() -> list[ColumnElement[bool]]:
    return [
        *_today(),
        DoseRequest.planned_at < bindparam("now"),
        DoseRequest.id.not_in(_live_drawn()),
    ]


_PARTS: dict[str, Callable[[], list[ColumnElement[bool]]]] = {
    "earlier": _earlier,
    "today": _today,
    "late_today": _late_today,
}
"""The parts of the board by name: the conditions of their requests."""


@cache
def _count_query(part: str) -> Select[int]:
    return select(func.count(DoseRequest.id)).where(*_PARTS[part]())


@cache
def _ids_query(part: str) -> Select[int]:
    return (
        select(DoseRequest.id)
        .where(*_PARTS[part]())
        .order_by(*_BOARD_ORDER)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


@cache
def _planned_query(part: str) -> Select[datetime]:
    return select(DoseRequest.planned_at).where(
        *_PARTS[part](), DoseRequest.id == bindparam("request_id")
    )


@cache
def _before_query(part: str) -> Select[int]:
    planned: BindParameter[datetime] = bindparam("planned")
    request_id: BindParameter[int] = bindparam("request_id")
    before = or_(
        DoseRequest.planned_at < planned,
        and_(DoseRequest.planned_at == planned, DoseRequest.id < request_id),
    )
    return select(func.count(DoseRequest.id)).where(*_PARTS[part](), before)


def _count(store: Store, order: DayOrder, part: str) -> int:
    return store.session.scalar(_count_query(part), _params(order)) or 0


def day_order(store: Store, site: Site, day: date, since: datetime, now: datetime) -> DayOrder:
    """The board of the site's ``day``: its bounds and how many requests it holds (three
    counts, whatever the length of the day)."""
    start, end = day_bounds(site, day)
    bounds = DayOrder(site.id, since, start, end, now, 0, 0, 0)
    return replace(
        bounds,
        earlier=_count(store, bounds, "earlier"),
        today=_count(store, bounds, "today"),
        late_today=_count(store, bounds, "late_today"),
    )


def _ids(store: Store, order: DayOrder, part: str, offset: int, limit: int) -> list[int]:
    if limit <= 0:
        return []
    given = _params(order, offset=offset, limit=limit)
    return list(store.session.scalars(_ids_query(part), given))


def _position(store: Store, order: DayOrder, request_id: int) -> int | None:
    """Where a request stands on the board (from 0), None when it is not on it."""
    for first, part in ((0, "earlier"), (order.earlier, "today")):
        given = _params(order, request_id=request_id)
        planned = store.session.scalar(_planned_query(part), given)
        if planned is not None:
            before = store.session.scalar(_before_query(part), {**given, "planned": planned})
            return first + (before or 0)
    return None


def paging(store: Store, order: DayOrder, asked: PageAsked) -> Paging:
    """The page of the board to show: the one with the request asked for, else the page asked
    for, or the last page when the board has shrunk below it since the link was made.

    Raises
    ------
    NucmedInputError
        ``page`` is below 1, or ``per_page`` outside 1–:data:`MOST_PAGE_LINES`.
    """
    page, per_page = asked.page, asked.per_page
    if page < 1:
        raise refusal(N_("the page must be 1 or more"))
    if not 1 <= per_page <= MOST_PAGE_LINES:
        raise refusal(N_("lines per page must be from 1 to {most}"), most=MOST_PAGE_LINES)
    position = None if asked.showing is None else _position(store, order, asked.showing)
    if position is not None:
        page = position // per_page + 1
    pages = max(1, math.ceil(order.total / per_page))
    return Paging(min(page, pages), pages, per_page, order.total)


def page_ids(store: Store, order: DayOrder, shown: Paging) -> tuple[int, ...]:
    """The ids of the requests on the shown page, in board order."""
    first = (shown.page - 1) * shown.per_page
    earlier = _ids(store, order, "earlier", first, min(shown.per_page, order.earlier - first))
    rest = shown.per_page - len(earlier)
    today = _ids(store, order, "today", max(first - order.earlier, 0), rest)
    return (*earlier, *today)


def overdue_named(store: Store, order: DayOrder, most: int) -> tuple[tuple[int, int], ...]:
    """The first ``most`` overdue requests of the board: (id, position from 0) of each.

    The earlier ones lead the board; a late request of the day stands after them, at its rank
    among the day's requests, all of which before it were planned earlier still (so the
    count of those before it is its rank).
    """
    earlier = _ids(store, order, "earlier", 0, min(most, order.earlier))
    named = [(ident, position) for position, ident in enumerate(earlier)]
    if len(named) < most:
        late = store.session.execute(_late_query(), _params(order, limit=most - len(named)))
        named += [(ident, order.earlier + int(rank) - 1) for ident, rank in late]
    return tuple(named)


@cache
def _late_query() -> Select[int, int]:
    """The day's requests planned before now and not drawn, each with its rank among all the
    day's requests."""
    rank = (
        func.row_number().over(order_by=_BOARD_ORDER).label("rank"),
        DoseRequest.id.in_(_live_drawn()).label("drawn"),
    )
    ranked = select(DoseRequest.id, *rank).where(
        *_today(), DoseRequest.planned_at < bindparam("now")
    )
    day = ranked.subquery()
    return (
        select(day.c.id, day.c.rank)
        .where(day.c.drawn.is_(False))
        .order_by(day.c.rank)
        .limit(bindparam("limit"))
    )


@cache
def _live_draws_query() -> Select[Draw]:
    return (
        select(Draw)
        .where(among(Draw.request_id), Draw.id.not_in(select(DrawDiscard.draw_id)))
        .order_by(Draw.attempt)
    )


@cache
def _requests_query() -> Select[DoseRequest]:
    return select(DoseRequest).where(among(DoseRequest.id))


@cache
def _patients_query() -> Select[Patient]:
    return select(Patient).where(among(Patient.id))


def live_draws(store: Store, request_ids: Sequence[int]) -> dict[int, Draw]:
    """The live (not discarded) draw of each request drawn, by request id."""
    rows = store.session.scalars(_live_draws_query(), {IDS: list(request_ids)})
    return {row.request_id: row for row in rows}


def requests_in_order(store: Store, ids: Sequence[int]) -> list[DoseRequest]:
    """The requests with these ids, in the order given."""
    rows = store.session.scalars(_requests_query(), {IDS: list(ids)})
    by_id = {row.id: row for row in rows}
    return [by_id[ident] for ident in ids]


def patients_of(store: Store, requests: Sequence[DoseRequest]) -> dict[int, Patient]:
    """The patients of these requests, by id."""
    ids = list({request.patient_id for request in requests})
    return {p.id: p for p in store.session.scalars(_patients_query(), {IDS: ids})}
