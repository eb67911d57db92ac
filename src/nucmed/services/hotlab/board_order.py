"""Which dose requests the day board holds, in its order, and which page shows each.

The board can hold many requests (a big department's day, or a day of many typed in error);
reading and computing all of them for every look at the board made its cost grow with the day
(issue #10: about 1,500 lines under load, 0.1–0.3 ms of processor each). So the board first
reads only the ids of its requests (and, from the same queries, which are waiting past their
planned time), then reads and computes the lines of one page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from nucmed.errors import N_, refusal
from nucmed.services.uow import Store
from nucmed.store.hotlab import DoseRequest, Draw, DrawDiscard, Patient
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
    """The board's requests in its order: first those not drawn that were planned before the
    day (from the late-entry limit on), then the day's, each by planned time."""

    ids: tuple[int, ...]
    overdue: tuple[int, ...]
    """The ids of requests with no live draw whose planned time has passed, in board order."""


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


def day_order(store: Store, site: Site, day: date, since: datetime, now: datetime) -> DayOrder:
    """The ids of the requests planned on ``day``, after those not drawn that were planned
    from ``since`` to the day's start (overdue: typed after their time, or left waiting)."""
    start, end = day_bounds(site, day)
    earlier = store.session.scalars(
        select(DoseRequest.id)
        .where(
            DoseRequest.site_id == site.id,
            DoseRequest.planned_at >= since,
            DoseRequest.planned_at < start,
            DoseRequest.id.not_in(_live_drawn()),
        )
        .order_by(DoseRequest.planned_at, DoseRequest.id)
    ).all()
    today = store.session.execute(
        select(DoseRequest.id, DoseRequest.planned_at, DoseRequest.id.in_(_live_drawn()))
        .where(
            DoseRequest.site_id == site.id,
            DoseRequest.planned_at >= start,
            DoseRequest.planned_at < end,
        )
        .order_by(DoseRequest.planned_at, DoseRequest.id)
    ).all()
    late_today = [ident for ident, planned, drawn in today if not drawn and planned < now]
    return DayOrder(
        ids=(*earlier, *(ident for ident, _, _ in today)),
        overdue=(*earlier, *late_today),
    )


def paging(order: DayOrder, asked: PageAsked) -> Paging:
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
    if asked.showing in order.ids:
        page = order.ids.index(asked.showing) // per_page + 1
    total = len(order.ids)
    pages = max(1, math.ceil(total / per_page))
    return Paging(min(page, pages), pages, per_page, total)


def page_ids(order: DayOrder, shown: Paging) -> tuple[int, ...]:
    """The ids of the requests on the shown page, in board order."""
    first = (shown.page - 1) * shown.per_page
    return order.ids[first : first + shown.per_page]


def live_draws(store: Store, request_ids: Sequence[int]) -> dict[int, Draw]:
    """The live (not discarded) draw of each request drawn, by request id."""
    rows = store.session.scalars(
        select(Draw)
        .where(Draw.request_id.in_(request_ids), Draw.id.not_in(select(DrawDiscard.draw_id)))
        .order_by(Draw.attempt)
    )
    return {row.request_id: row for row in rows}


def requests_in_order(store: Store, ids: Sequence[int]) -> list[DoseRequest]:
    """The requests with these ids, in the order given."""
    rows = store.session.scalars(select(DoseRequest).where(DoseRequest.id.in_(ids)))
    by_id = {row.id: row for row in rows}
    return [by_id[ident] for ident in ids]


def patients_of(store: Store, requests: Sequence[DoseRequest]) -> dict[int, Patient]:
    """The patients of these requests, by id."""
    ids = {request.patient_id for request in requests}
    return {p.id: p for p in store.session.scalars(select(Patient).where(Patient.id.in_(ids)))}
