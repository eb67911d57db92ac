"""The day board a page at a time (issue #10: a look at the board costs the lines of one page,
not the whole day): the order across pages, the last page for a page past the end, the page
that shows a given request, the overdue requests of every page named and counted at the top,
and the refusals of pages and sizes that cannot be."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from nucmed.errors import NucmedInputError
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import board, doses
from nucmed.services.hotlab.board import PageAsked, read_board
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")

NOW = T0 + timedelta(hours=3)  # 10:00 in Almaty
HOURS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5)
"""When the seven requests are planned, in hours from now: the first four are overdue."""


@pytest.fixture
def day(factory: SessionFactory, clock: FixedClock) -> tuple[Database, list[int], int]:
    """Seven requests planned at :data:`HOURS`; the database, their ids and the tech's id."""
    clock.set(NOW)
    ids = []
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        for number, hours in enumerate(HOURS):
            patient = doses.register_patient(
                store,
                tech,
                site,
                doses.PatientInput(f"P-{number}", f"Patient {number}", None, "M"),
            )
            planned = NOW + timedelta(hours=hours)
            given = doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, planned)
            ids.append(doses.request_dose(store, tech, site, given).id)
        tech_id = tech.id
    return Database(factory, clock), ids, tech_id


def _page(
    factory: SessionFactory, day: tuple[Database, list[int], int], **asked: int
) -> board.BoardView:
    database, _, tech_id = day
    return read_board(database, identity_of(factory, tech_id), SITE.code, PageAsked(**asked))


def test_pages_split_the_board_in_its_order(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    seen = [_page(factory, day, page=page, per_page=3) for page in (1, 2, 3)]
    assert [[line.request.id for line in view.lines] for view in seen] == [
        ids[0:3],
        ids[3:6],
        ids[6:7],
    ]
    assert {(view.pages, view.total) for view in seen} == {(3, 7)}
    assert [view.page for view in seen] == [1, 2, 3]


def test_a_page_past_the_end_shows_the_last(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    view = _page(factory, day, page=40, per_page=3)
    assert view.page == 3
    assert [line.request.id for line in view.lines] == [ids[6]]


def test_the_page_of_a_request_is_shown_when_asked_for(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    view = _page(factory, day, page=1, per_page=3, showing=ids[4])
    assert view.page == 2
    assert ids[4] in [line.request.id for line in view.lines]


def test_overdue_requests_of_every_page_are_named_with_their_page(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    view = _page(factory, day, page=3, per_page=3)
    assert view.overdue_total == 4
    assert [(ref.request.id, ref.page) for ref in view.overdue] == [
        (ids[0], 1),
        (ids[1], 1),
        (ids[2], 1),
        (ids[3], 2),
    ]
    assert [line.overdue for line in view.lines] == [False]


def test_the_top_names_only_the_first_overdue_but_counts_them_all(
    factory: SessionFactory, day: tuple[Database, list[int], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, ids, _ = day
    monkeypatch.setattr(board, "OVERDUE_NAMED", 2)
    view = _page(factory, day)
    assert [ref.request.id for ref in view.overdue] == ids[:2]
    assert view.overdue_total == 4


def test_the_default_page_holds_a_departments_day(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    view = _page(factory, day)
    assert (view.page, view.pages, view.total, len(view.lines)) == (1, 1, 7, 7)


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"page": 0}, "the page must be 1 or more"),
        ({"per_page": 0}, "lines per page must be from 1 to 500"),
        ({"per_page": 501}, "lines per page must be from 1 to 500"),
    ],
)
def test_pages_and_sizes_that_cannot_be_are_refused(
    factory: SessionFactory,
    day: tuple[Database, list[int], int],
    asked: dict[str, int],
    message: str,
) -> None:
    with pytest.raises(NucmedInputError, match=message):
        _page(factory, day, **asked)


def _add_request(factory: SessionFactory, number: str, planned_hours: float) -> int:
    with transaction(factory) as store:
        site, tech = store.sites.by_code(SITE.code), store.users.by_username("tech.h")
        assert site is not None and tech is not None
        patient = doses.register_patient(store, tech, site, doses.PatientInput(number, "X"))
        planned = NOW + timedelta(hours=planned_hours)
        given = doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, planned)
        return doses.request_dose(store, tech, site, given).id


def _draw(factory: SessionFactory, day: tuple[Database, list[int], int], request_id: int) -> None:
    database, _, tech_id = day
    with transaction(factory) as store:
        site, tech = store.sites.by_code(SITE.code), store.users.by_username("tech.h")
        assert site is not None and tech is not None
        vial, device = _mdp(store, site, tech).id, _calibrator(store, site, tech).id
        request = store.session.get(DoseRequest, request_id)
        assert request is not None
        drawn_at = request.planned_at - timedelta(minutes=30)  # drawn ahead, then given
    given = doses.DrawInput(request_id, vial, device, drawn_at, 740e6 * 2 ** (0.5 / 6.015))
    doses.draw_dose(database, identity_of(factory, tech_id), given)


def test_requests_left_waiting_from_the_day_before_lead_the_board(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    late = [_add_request(factory, f"Y-{n}", hours) for n, hours in enumerate((-11.0, -12.0))]
    view = _page(factory, day, page=2, per_page=4, showing=late[0])
    assert view.page == 1  # the request asked for is second on the board, on page 1
    board_ids = [
        line.request.id
        for page in (1, 2, 3)
        for line in _page(factory, day, page=page, per_page=4).lines
    ]
    assert board_ids == [late[1], late[0], *ids]
    assert view.overdue_total == 6
    assert [(ref.request.id, ref.page) for ref in view.overdue] == [
        (late[1], 1),
        (late[0], 1),
        (ids[0], 1),
        (ids[1], 1),
        (ids[2], 2),
        (ids[3], 2),
    ]


def test_a_drawn_request_is_not_overdue_but_keeps_its_place(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    _draw(factory, day, ids[1])
    view = _page(factory, day, per_page=2)
    assert view.overdue_total == 3
    assert [(ref.request.id, ref.page) for ref in view.overdue] == [
        (ids[0], 1),
        (ids[2], 2),
        (ids[3], 2),
    ]
    assert [line.request.id for line in view.lines] == ids[:2]


def test_requests_planned_at_one_time_stand_in_the_order_they_came(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    _, ids, _ = day
    twins = [_add_request(factory, f"T-{n}", 0.5) for n in range(3)]
    lines = [line.request.id for line in _page(factory, day, per_page=20).lines]
    assert lines == [*ids[:5], *twins, *ids[5:]]
    assert _page(factory, day, per_page=3, showing=twins[2]).page == 3  # the 8th line


def test_a_look_at_the_board_reads_as_many_statements_however_long_the_day(
    factory: SessionFactory, day: tuple[Database, list[int], int]
) -> None:
    def statements() -> int:
        seen: list[str] = []
        engine = factory.kw["bind"]
        listen = lambda *args: seen.append(args[2])  # noqa: E731 (before_cursor_execute)
        event.listen(engine, "before_cursor_execute", listen)
        try:
            _page(factory, day, page=2, per_page=3, showing=day[1][4])
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    short_day = statements()
    for n in range(30):
        _add_request(factory, f"L-{n}", -1.0 + n / 60)
    assert statements() == short_day
