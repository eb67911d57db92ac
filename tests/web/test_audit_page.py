"""The audit trail page: action names and details in the reader's language (quantities with
their unit, names in their script, no JSON), site time with its zone, filters and paging."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services import audit
from nucmed.services.clock import FixedClock
from nucmed.services.uow import Database, transaction
from nucmed.vocabulary import Role
from tests.web.conftest import sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
DETAILS = {
    "patient": "A-0001",
    "prescribed_mbq": 740.0,
    "volume_ml": 0.42857142857142855,
    "radiopharmaceutical": "mdp",
    "product": "Медронат технеция",
    "entered_at": "2026-12-01T04:00:00+00:00",
}


@pytest.fixture
def trail(database: Database, people: dict[Role, str]) -> Database:
    """At T-ALA: one dose request with details, then 60 waste additions by the RSO."""
    with transaction(database) as store:
        site = store.sites.by_code("T-ALA")
        doctor = store.users.by_username(people[Role.PHYSICIAN])
        rso = store.users.by_username(people[Role.RSO])
        assert site is not None and doctor is not None and rso is not None
        event = audit.Event("dose.request", "dose_request", 7, site.id, details=DETAILS)
        audit.record(store, doctor, event)
        for number in range(60):
            waste = audit.Event("waste.add", "waste_container", 1, site.id, details={"n": number})
            audit.record(store, rso, waste)
    return database


def _reader(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.PHYSICIST])


def test_an_entry_reads_in_russian(app: FastAPI, people: dict[Role, str], trail: Database) -> None:
    page = _reader(app, people).get("/audit", params={"action": "dose.request"}, headers=RU)
    assert page.status_code == 200, page.text
    text = page.text
    for shown in (
        "Доза запрошена",  # the action's name
        "Запрос дозы 7",  # the record's name
        "Назначенная активность</th><td>740 МБк",
        "Объём</th><td>0,429 мл",
        "Медронат технеция",  # a name in its script, not escaped
        "Asia/Almaty",  # the site's zone beside the site's time
        "Test physician",  # who, by name
    ):
        assert shown in text, shown
    table = text.split('<table class="grid audit">')[1]
    assert "\\u04" not in table and '{"' not in table and "dose.request" not in table
    # 04:00 UTC is 09:00 in Almaty (UTC+5), written day.month.year hours:minutes
    assert re.search(r"\b\d\d\.\d\d\.\d{4} 09:00\b", text)


def test_filters_and_paging(app: FastAPI, people: dict[Role, str], trail: Database) -> None:
    reader = _reader(app, people)
    first = reader.get("/audit", params={"actor": people[Role.RSO]}, headers=KK)
    assert first.status_code == 200
    assert first.text.count('<tr id="entry-') == 50
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = reader.get("/audit", params={"actor": people[Role.RSO], "page": "2"}, headers=KK)
    assert second.text.count('<tr id="entry-') == 10
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    record = reader.get("/audit/dose_request/7", headers=KK)
    assert record.text.count('<tr id="entry-') == 1
    assert 'href="/audit?entity=dose_request&amp;entity_id=7"' in record.text


def test_days_filter_in_the_sites_calendar(
    app: FastAPI, people: dict[Role, str], trail: Database, clock: FixedClock
) -> None:
    reader = _reader(app, people)
    today = clock.now().astimezone(ZoneInfo("Asia/Almaty")).date()
    for since, count in ((today, 50), (today + timedelta(days=1), 0)):
        day = since.isoformat()
        params = {"since": day, "until": day, "actor": people[Role.RSO]}
        page = reader.get("/audit", params=params, headers=RU)
        assert page.text.count('<tr id="entry-') == count, since


def test_a_filter_it_cannot_take_is_said_in_the_readers_language(
    app: FastAPI, people: dict[Role, str], trail: Database
) -> None:
    reader = _reader(app, people)
    page = reader.get("/audit", params={"since": "yesterday"}, headers=RU)
    assert page.status_code == 422
    assert "первый день" in page.text and "2026-11-23" in page.text
    swapped = reader.get("/audit", params={"since": "2026-12-02", "until": "2026-12-01"})
    assert swapped.status_code == 422
