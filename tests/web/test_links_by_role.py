"""Pages offer only what the reader's roles at the site allow (the same permission table the
services check): the order desk's site page links to no hot-lab page, a resident's board shows
no draw form and no dose-request form, a radiopharmacist's board shows both."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import sign_in
from tests.web.test_board_discard import _ready

HOTLAB_PAGES = ("hotlab", "stock", "receive", "calibrators", "waste", "quarantine")


def test_the_order_desk_sees_no_hot_lab_links(app: FastAPI, people: dict[Role, str]) -> None:
    desk = sign_in(TestClient(app), people[Role.ORDER_DESK])
    page = desk.get("/sites/T-ALA")
    assert page.status_code == 200
    for name in HOTLAB_PAGES:
        assert f'href="/sites/T-ALA/{name}"' not in page.text


def test_every_link_of_the_site_page_opens_for_each_role(
    app: FastAPI, people: dict[Role, str]
) -> None:
    for role in Role:
        reader = sign_in(TestClient(app), people[role])
        page = reader.get("/sites/T-ALA")
        links = [part.split('"')[0] for part in page.text.split('href="/sites/T-ALA/')[1:]]
        for link in links:
            answer = reader.get(f"/sites/T-ALA/{link}")
            assert answer.status_code == 200, (role, link, answer.status_code)


def test_the_board_shows_forms_only_to_those_who_may_use_them(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    _, _, request_id = _ready(factory, clock.now())
    draw_form = f'action="/dose-requests/{request_id}/draw?page=1#request-{request_id}"'
    ask_form = 'action="/sites/T-ALA/dose-requests"'
    resident = sign_in(TestClient(app), people[Role.RESIDENT]).get("/sites/T-ALA/hotlab")
    assert resident.status_code == 200
    assert draw_form not in resident.text and ask_form not in resident.text
    assert 'href="/sites/T-ALA/receive"' not in resident.text
    pharmacist = sign_in(TestClient(app), people[Role.RADIOPHARMACIST]).get("/sites/T-ALA/hotlab")
    assert draw_form in pharmacist.text and ask_form in pharmacist.text
    assert 'href="/patients/' in pharmacist.text
