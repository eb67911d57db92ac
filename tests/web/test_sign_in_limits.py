"""Sign-in limits: after five failures a growing delay (429 with Retry-After, a message on the
login page), after twenty a lockout that only an administrator lifts; per account and per
client address, kept in the database, on the installation's clock; every attempt audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from nucmed.services import accounts, sign_in
from nucmed.services.auth import AuthenticationError, Identity, identify
from nucmed.services.clock import FixedClock
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.uow import Database, transaction
from nucmed.store.models import AuditEntry
from nucmed.store.security import SignInAttempt, SignInUnlock
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of
from tests.web.conftest import sign_in as sign_in_page

WRONG = "not the password"
QUICK = sign_in.Limits(free_failures=2, base_delay_s=10.0, max_delay_s=60.0, lockout_failures=4)
"""Small limits for the service tests: two free failures, 10 s doubling, locked at four."""


def _try(
    database: Database, username: str, password: str, address: str = "10.0.0.1"
) -> str | Exception:
    given = sign_in.Credentials(username, password, address)
    try:
        return sign_in.attempt(database, given, "api", 1.0, QUICK)
    except (sign_in.SignInRefusedError, AuthenticationError) as error:
        return error


def _identity(database: Database, username: str) -> Identity:
    found = identify(database, accounts.sign_in(database, username, PASSWORD, "api", 1.0), None)
    assert found is not None
    return found


class TestTheService:
    def test_the_delay_grows_after_the_free_failures(
        self, database: Database, clock: FixedClock, people: dict[Role, str]
    ) -> None:
        rso = people[Role.RSO]
        assert isinstance(_try(database, rso, WRONG), AuthenticationError)
        assert isinstance(_try(database, rso, WRONG), AuthenticationError)
        refused = _try(database, rso, PASSWORD)  # the right password does not help now
        assert isinstance(refused, sign_in.SignInRefusedError)
        assert refused.retry_after_s == 10
        clock.advance(timedelta(seconds=10))
        assert isinstance(_try(database, rso, WRONG), AuthenticationError)  # third failure
        again = _try(database, rso, PASSWORD)
        assert isinstance(again, sign_in.SignInRefusedError) and again.retry_after_s == 20
        clock.advance(timedelta(seconds=20))
        assert isinstance(_try(database, rso, PASSWORD), str)  # a success resets the count
        assert isinstance(_try(database, rso, WRONG), AuthenticationError)
        assert isinstance(_try(database, rso, WRONG), AuthenticationError)

    def test_a_lockout_lasts_until_an_administrator_lifts_it(
        self, database: Database, clock: FixedClock, people: dict[Role, str]
    ) -> None:
        rso = people[Role.RSO]
        for i in range(QUICK.lockout_failures):  # from as many addresses: the account locks
            assert isinstance(_try(database, rso, WRONG, f"10.0.0.{i}"), AuthenticationError)
            clock.advance(timedelta(minutes=5))
        clock.advance(timedelta(days=30))
        locked = _try(database, rso, PASSWORD)
        assert isinstance(locked, sign_in.SignInRefusedError) and locked.retry_at is None
        admin = _identity(database, people[Role.ADMIN])
        (lockout,) = sign_in.lockouts(database, admin, QUICK)
        assert (lockout.username, lockout.address, lockout.failures) == (rso, None, 4)
        with pytest.raises(AccessDeniedError):
            sign_in.lift_lockout(
                database, _identity(database, people[Role.PHYSICIST]), rso, None, "x"
            )
        with pytest.raises(ValueError, match="say why"):
            sign_in.lift_lockout(database, admin, rso, None, " ")
        sign_in.lift_lockout(database, admin, rso, None, "she called from the ward")
        assert isinstance(_try(database, rso, PASSWORD), str)
        with transaction(database) as store:
            unlock = store.session.scalars(select(SignInUnlock)).one()
            assert unlock.reason == "she called from the ward"
            entry = store.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "sign_in.unlock")
            ).one()
            assert entry.reason == "she called from the ward"

    def test_an_address_is_limited_across_accounts(
        self, database: Database, people: dict[Role, str]
    ) -> None:
        assert isinstance(_try(database, "nobody.1", WRONG, "10.9.9.9"), AuthenticationError)
        assert isinstance(_try(database, "nobody.2", WRONG, "10.9.9.9"), AuthenticationError)
        from_there = _try(database, people[Role.RSO], PASSWORD, "10.9.9.9")
        assert isinstance(from_there, sign_in.SignInRefusedError)
        assert isinstance(_try(database, people[Role.RSO], PASSWORD, "10.1.1.1"), str)

    def test_every_attempt_is_recorded_and_audited_without_the_password(
        self, database: Database, people: dict[Role, str]
    ) -> None:
        rso = people[Role.RSO]
        _try(database, rso, WRONG)
        _try(database, rso, PASSWORD)
        with transaction(database) as store:
            attempts = store.session.scalars(
                select(SignInAttempt).where(SignInAttempt.username == rso)
            ).all()
            assert [a.succeeded for a in attempts] == [False, True]
            assert {a.address for a in attempts} == {"10.0.0.1"}
            entries = store.session.scalars(
                select(AuditEntry).where(AuditEntry.action.startswith("sign_in."))
            ).all()
        assert [e.action for e in entries] == ["sign_in.fail", "sign_in.succeed"]
        assert all(e.details == {"username": rso, "address": "10.0.0.1"} for e in entries)
        assert all(e.site_id is None for e in entries)
        assert WRONG not in repr([e.details for e in entries])


def _token(client: TestClient, username: str, password: str) -> int:
    answer = client.post("/api/auth/token", json={"username": username, "password": password})
    return answer.status_code


class TestTheInterfaces:
    def test_the_api_answers_429_with_retry_after(
        self, app: FastAPI, clock: FixedClock, people: dict[Role, str]
    ) -> None:
        client = TestClient(app)
        rso = people[Role.RSO]
        assert [_token(client, rso, WRONG) for _ in range(5)] == [401] * 5
        refused = client.post("/api/auth/token", json={"username": rso, "password": PASSWORD})
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert "too many failed sign-ins" in refused.json()["detail"]
        clock.advance(timedelta(seconds=1))
        assert _token(client, rso, PASSWORD) == 200

    def test_the_login_page_says_when_to_try_again(
        self, app: FastAPI, clock: FixedClock, people: dict[Role, str]
    ) -> None:
        client = TestClient(app)
        rso = people[Role.RSO]
        for _ in range(5):
            assert _token(client, rso, WRONG) == 401  # the page and the API share the count
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        page = client.post(
            "/login",
            data={"username": rso, "password": PASSWORD, "csrf_token": token, "next": "/"},
            headers={"Accept-Language": "en"},
        )
        assert page.status_code == 429 and page.headers["Retry-After"] == "1"
        assert "too many failed sign-ins: try again in 1 s" in page.text

    def test_an_administrator_lifts_a_lockout_on_the_users_page_and_by_the_api(
        self, app: FastAPI, clock: FixedClock, people: dict[Role, str]
    ) -> None:
        rso = people[Role.RSO]
        attacker, ward = TestClient(app, client=("203.0.113.9", 50000)), TestClient(app)
        for _ in range(20):
            _token(attacker, rso, WRONG)
            clock.advance(timedelta(hours=1))
        assert _token(ward, rso, PASSWORD) == 429  # the account is locked
        admin_client = sign_in_page(TestClient(app), people[Role.ADMIN])
        page = admin_client.get("/admin/users", headers={"Accept-Language": "en"}).text
        assert page.count('action="/admin/sign-in-unlocks"') == 2  # the account, the address
        assert rso in page and "203.0.113.9" in page
        unlocked = admin_client.post(
            "/admin/sign-in-unlocks",
            data={
                "username": rso,
                "address": "",
                "reason": "forgot the password",
                "csrf_token": csrf_of(admin_client),
            },
        )
        assert unlocked.status_code == 200
        assert unlocked.text.count('action="/admin/sign-in-unlocks"') == 1
        assert _token(ward, rso, PASSWORD) == 200
        assert _token(attacker, people[Role.PHYSICIAN], PASSWORD) == 429  # the address is not
        admin = {"Authorization": f"Bearer {_bearer(ward, people[Role.ADMIN])}"}
        (locked,) = ward.get("/api/sign-in/lockouts", headers=admin).json()
        assert locked == {
            "username": None,
            "address": "203.0.113.9",
            "failures": 20,
            "last_failure": locked["last_failure"],
        }
        body = {"address": "203.0.113.9", "reason": "the test is over"}
        assert ward.post("/api/sign-in/unlocks", json=body, headers=admin).status_code == 204
        neither = ward.post("/api/sign-in/unlocks", json={"reason": "x"}, headers=admin)
        assert neither.status_code == 422
        assert _token(attacker, people[Role.PHYSICIAN], PASSWORD) == 200
        assert ward.get("/api/sign-in/lockouts", headers=admin).json() == []


def _bearer(client: TestClient, username: str) -> str:
    answer = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    token: str = answer.json()["access_token"]
    return token
