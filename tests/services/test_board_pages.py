"""The day board a page at a time (issue #10: a look at the board costs the lines of one page,
not the whole day): the order across pages, the last page for a page past the end, the page
that shows a given request, the overdue requests of every page named and counted at the top,
and the refusals of pages and sizes that cannot be."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import board, doses
from nucmed.services.hotlab.board import PageAsked, read_board
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech
from tests.services.test_hotlab_doses import identity_of

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
