"""Idempotency keys on API creates: a retry with the same key and body gets the first answer
and makes nothing new; another body with the key is refused; keys last a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nucmed.services.clock import FixedClock
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest
from nucmed.store.security import IdempotencyKey
from nucmed.vocabulary import Role
from nucmed.web.security import protect
from tests.web.conftest import PASSWORD


@pytest.fixture
def protected(app: FastAPI) -> FastAPI:
    """The app with its middlewares (until create_app adds them itself)."""
    return protect(app)


def _signed_in(client: TestClient, username: str) -> TestClient:
    got = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {got.json()['access_token']}"
    return client


@pytest.fixture
def api(protected: FastAPI, people: dict[Role, str]) -> Iterator[TestClient]:
    yield _signed_in(TestClient(protected), people[Role.PHYSICIAN])


def _request(clock: FixedClock, activity_bq: float = 740e6) -> dict[str, Any]:
    return {
        "patient_local_id": "P-1",
        "patient_name": "Patient",
        "procedure": "Bone scan",
        "radiopharmaceutical": "mdp",
        "nuclide": "Tc-99m",
        "prescribed_bq": activity_bq,
        "planned_at": (clock.now() + timedelta(hours=1)).isoformat(),
    }


def _requests(factory: SessionFactory) -> int:
    with transaction(factory) as store:
        return int(store.session.scalar(select(func.count()).select_from(DoseRequest)) or 0)


def _post(api: TestClient, body: dict[str, Any], key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post("/api/sites/T-ALA/dose-requests", json=body, headers=headers)


def test_a_dose_request_posted_twice_with_one_key_makes_one_request(
    api: TestClient, clock: FixedClock, factory: SessionFactory
) -> None:
    body = _request(clock)
    first = _post(api, body, "order-77")
    again = _post(api, body, "order-77")
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _requests(factory) == 1


def test_without_a_key_each_post_makes_a_request(
    api: TestClient, clock: FixedClock, factory: SessionFactory
) -> None:
    _post(api, _request(clock), None)
    _post(api, _request(clock), None)
    assert _requests(factory) == 2


def test_the_same_key_with_another_body_is_refused(
    api: TestClient, clock: FixedClock, factory: SessionFactory
) -> None:
    assert _post(api, _request(clock), "k-1").status_code == 201
    other = _post(api, _request(clock, 500e6), "k-1")
    assert other.status_code == 422
    assert other.json()["detail"][0]["field"] == "Idempotency-Key"
    assert _requests(factory) == 1


@pytest.mark.parametrize(
    ("key", "status"),
    [pytest.param("k" * 200, 201, id="200-characters"), pytest.param("k" * 201, 422, id="201")],
)
def test_a_key_has_at_most_200_characters(
    api: TestClient, clock: FixedClock, key: str, status: int
) -> None:
    assert _post(api, _request(clock), key).status_code == status


def test_a_key_lasts_a_day(
    api: TestClient, clock: FixedClock, factory: SessionFactory, people: dict[Role, str]
) -> None:
    _post(api, _request(clock), "daily")
    clock.advance(timedelta(hours=23))
    _signed_in(api, people[Role.PHYSICIAN])  # the first token has expired
    assert _post(api, _request(clock) | {"planned_at": None}, "daily").status_code == 422
    assert _requests(factory) == 1
    clock.advance(timedelta(hours=2))
    _signed_in(api, people[Role.PHYSICIAN])
    fresh = _post(api, _request(clock), "daily")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert _requests(factory) == 2


def test_a_refusal_is_replayed_too_and_a_key_is_per_person(
    protected: FastAPI, api: TestClient, clock: FixedClock, people: dict[Role, str]
) -> None:
    bad = _request(clock, -1.0)
    assert _post(api, bad, "same").status_code == 422
    replayed = _post(api, bad, "same")
    assert replayed.status_code == 422 and replayed.headers["Idempotent-Replayed"] == "true"
    tech = _signed_in(TestClient(protected), people[Role.RADIOPHARMACIST])
    assert _post(tech, _request(clock), "same").status_code == 201


def test_a_key_being_answered_is_refused_with_409(
    api: TestClient, clock: FixedClock, factory: SessionFactory, people: dict[Role, str]
) -> None:
    body = _request(clock)
    assert _post(api, body, "busy").status_code == 201
    with transaction(factory) as store:  # as if the first request were still running
        row = store.session.scalars(select(IdempotencyKey)).one()
        row.status_code = 0
    assert _post(api, body, "busy").status_code == 409
    clock.advance(timedelta(minutes=6))  # abandoned: the retry runs
    assert _post(api, body, "busy").status_code == 201
    assert _requests(factory) == 2


def test_a_key_from_no_one_signed_in_changes_nothing(
    protected: FastAPI, clock: FixedClock
) -> None:
    anonymous = TestClient(protected)
    answer = anonymous.post(
        "/api/sites/T-ALA/dose-requests", json=_request(clock), headers={"Idempotency-Key": "x"}
    )
    assert answer.status_code == 401
