"""The day board's pages on the web (issue #10): a day of 103 requests shows 100 on the first
page and 3 on the second, with links between them; the overdue requests of the whole day are
named at the top with the page of each; a new request leads to the page that shows it; a form
posted from a page leads back to that page; the API pages the same way and refuses a page or a
size that cannot be."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_dispensary_pages import EN, _lead, _local, _post

OVERDUE = 3
LATER = 100


@pytest.fixture
def long_day(factory: SessionFactory, clock: FixedClock) -> list[int]:
    """Three requests planned minutes ago (overdue), then a hundred planned later today, at
    T-ALA; their ids in board order."""
    now = clock.now()
    ids = []
    with transaction(Database(factory, clock)) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        step = _lead(now, timedelta(hours=2)) / (LATER + 1)
        planned: list[datetime] = [now - timedelta(minutes=OVERDUE - n) for n in range(OVERDUE)]
        planned += [now + step * (n + 1) for n in range(LATER)]
        for number, at in enumerate(planned):
            patient = doses.register_patient(
                store, tech, site, doses.PatientInput(f"L-{number}", f"Long {number}", None, "F")
            )
            given = doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, at)
            ids.append(doses.request_dose(store, tech, site, given).id)
    return ids


def _rows(html: str) -> list[int]:
    return [int(part.split('"')[0]) for part in html.split('<tr id="request-')[1:]]


def test_the_board_shows_a_hundred_lines_a_page_with_links_between_pages(
    app: FastAPI, people: dict[Role, str], long_day: list[int]
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    first = client.get("/sites/T-ALA/hotlab", headers=EN)
    assert first.status_code == 200
    assert _rows(first.text) == long_day[:100]
    assert "Page 1 of 2 (103 doses on the board)" in first.text
    assert 'href="/sites/T-ALA/hotlab?page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = client.get("/sites/T-ALA/hotlab?page=2", headers=EN)
    assert _rows(second.text) == long_day[100:]
    assert 'href="/sites/T-ALA/hotlab?page=1" rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    for ident in long_day[:OVERDUE]:  # overdue ones are on page 1, named on every page
        assert f'href="/sites/T-ALA/hotlab?page=1#request-{ident}"' in second.text


def test_the_page_of_a_request_is_shown_for_its_link(
    app: FastAPI, people: dict[Role, str], long_day: list[int]
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    shown = client.get(f"/sites/T-ALA/hotlab?request={long_day[-1]}", headers=EN)
    assert "Page 2 of 2" in shown.text and long_day[-1] in _rows(shown.text)
    for wrong in ("?page=0", "?page=x", f"?request={2**63}"):
        refused = client.get(f"/sites/T-ALA/hotlab{wrong}", headers=EN)
        assert refused.status_code == 422 and "<html" in refused.text


def test_a_new_request_leads_to_its_page_and_a_form_back_to_its_own(
    app: FastAPI, people: dict[Role, str], long_day: list[int], clock: FixedClock
) -> None:
    client = sign_in(TestClient(app), people[Role.PHYSICIAN])
    token = csrf_of(client, "/sites/T-ALA/hotlab")
    now = clock.now()
    asked = {
        "patient_id": "L-NEW",
        "patient_name": "Long New",
        "procedure": "Bone scan",
        "radiopharmaceutical": "mdp",
        "nuclide": "Tc-99m",
        "activity": "740 MBq",
        "planned_at": _local(now + _lead(now, timedelta(hours=3))),
    }
    location = _post(client, "/sites/T-ALA/dose-requests", asked, token)
    request_id = int(location.split("?request=")[1].split("#")[0])
    assert location == f"/sites/T-ALA/hotlab?request={request_id}#request-{request_id}"
    page = client.get(location, headers=EN)
    assert request_id in _rows(page.text) and "Page 2 of 2 (104 doses" in page.text
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    tech_token = csrf_of(tech, "/sites/T-ALA/hotlab?page=2")
    refused = tech.post(
        f"/dose-requests/{request_id}/draw?page=2",
        headers=EN,
        data={"measured": "a lot", "drawn_at": _local(now), "csrf_token": tech_token},
    )
    assert refused.status_code == 422
    assert "Page 2 of 2" in refused.text and request_id in _rows(refused.text)


def test_the_api_pages_the_board(
    app: FastAPI, people: dict[Role, str], long_day: list[int]
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    board = client.get("/api/sites/T-ALA/hotlab/board?page=2&per_page=50").json()
    assert (board["page"], board["pages"], board["total"], board["overdue"]) == (2, 3, 103, 3)
    assert [line["request_id"] for line in board["lines"]] == long_day[50:100]
    whole = client.get("/api/sites/T-ALA/hotlab/board?per_page=500").json()
    assert [line["request_id"] for line in whole["lines"]] == long_day
    for wrong in ("page=0", "per_page=0", "per_page=501"):
        refused = client.get(f"/api/sites/T-ALA/hotlab/board?{wrong}")
        assert refused.status_code == 422, wrong
