"""The site's postal address and telephone (issue 12, item 6): set by the administrator on the
settings page, audited, shown in the API; a telephone with letters is refused in the reader's
language beside the form."""

from __future__ import annotations

import html

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from nucmed.services.demo import DEMO_SITES
from nucmed.services.uow import Database, transaction
from nucmed.store.models import AuditEntry
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of

SETTINGS = "/sites/T-ALA/settings"
ADDRESS = "050032, г. Алматы, ул. Ибрагимова, 1"


def _post(client: TestClient, language: str, address: str, phone: str) -> tuple[int, str]:
    token = csrf_of(client, SETTINGS)
    answer = client.post(
        "/sites/T-ALA/contact",
        headers={"Accept-Language": language},
        data={"address": address, "phone": phone, "csrf_token": token},
        follow_redirects=False,
    )
    return answer.status_code, html.unescape(answer.text)


def test_the_administrator_sets_the_address_and_it_is_audited(
    admin_client: TestClient, database: Database, people: dict[Role, str]
) -> None:
    status, _ = _post(admin_client, "ru", ADDRESS, "+7 727 123-45-67")
    assert status == 303
    page = html.unescape(admin_client.get(SETTINGS).text)
    assert ADDRESS in page
    assert "+7 727 123-45-67" in page
    with transaction(database, read_only=True) as store:
        entry = store.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "site.contact")
        ).one()
    assert entry.details["postal_address"] == ADDRESS
    assert entry.details["previous_postal_address"] == ""
    api = admin_client.get("/api/sites").json()
    assert {"address": ADDRESS, "phone": "+7 727 123-45-67"}.items() <= api[0].items()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param("ru", "не номер телефона", id="ru"),
        pytest.param("kk", "телефон нөмірі емес", id="kk"),
    ],
)
def test_a_telephone_with_letters_is_refused_in_the_readers_language(
    admin_client: TestClient, language: str, expected: str
) -> None:
    status, page = _post(admin_client, language, ADDRESS, "call the desk")
    assert status == 422
    assert expected in page
    assert "is not a telephone" not in page
    assert ADDRESS in page  # the typed address is kept in the form


def test_a_technologist_may_not_change_it(
    app: FastAPI, client: TestClient, people: dict[Role, str]
) -> None:
    token = csrf_of(client)
    answer = client.post(
        "/sites/T-ALA/contact",
        data={"address": "x", "phone": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 403


def test_the_demo_producer_is_at_the_institute_of_nuclear_physics() -> None:
    producer = next(spec for spec in DEMO_SITES if spec.code == "INP-ALA")
    assert "Ибрагимова, 1" in producer.address
    departments = [spec for spec in DEMO_SITES if spec.code != "INP-ALA"]
    assert all("демо" in spec.address and spec.phone for spec in departments)


def test_the_api_sets_and_refuses_like_the_page(app: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(app)
    token = client.post(
        "/api/auth/token", json={"username": people[Role.ADMIN], "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"address": ADDRESS, "phone": "+7 727 000 00 20"}
    answer = client.put("/api/sites/T-ALA/contact", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["address"] == ADDRESS
    bad = {"address": "", "phone": "ask at the desk"}
    assert client.put("/api/sites/T-ALA/contact", json=bad, headers=headers).status_code == 422
