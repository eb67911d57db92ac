"""A database that stays locked past its busy timeout answers 503 with ``Retry-After``, never
500: JSON for the API, a short page for pages; the next request is served normally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from nucmed.config import Settings
from nucmed.services import accounts
from nucmed.services.clock import FixedClock
from nucmed.services.uow import BUSY_MESSAGE, DatabaseBusyError, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from nucmed.web.app import create_app
from tests.web.conftest import PASSWORD

SHORT_S = 0.2


def _busy(*_args: object, **_kwargs: object) -> None:
    raise DatabaseBusyError


def test_the_api_answers_busy_with_503_and_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "my_account", _busy)
    response = client.get("/api/me")
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) == DatabaseBusyError.retry_after_s
    assert response.json() == {"detail": BUSY_MESSAGE}


def test_a_page_answers_busy_with_a_short_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "my_account", _busy)
    response = client.get("/me")
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(DatabaseBusyError.retry_after_s)
    assert response.headers["content-type"].startswith("text/html")
    assert "база данных занята" in response.text  # the reader's language (Russian by default)
    assert "Traceback" not in response.text


@pytest.fixture
def impatient_app(
    committing_factory: SessionFactory, clock: FixedClock, tmp_path: Path
) -> Iterator[FastAPI]:
    """The app on a database of its own (real commits) that waits only ``SHORT_S`` for a
    lock, with one user."""
    with transaction(committing_factory) as store:
        create_user(store, None, NewUser("busy.t", "Busy Test", PASSWORD), [(Role.ADMIN, None)])
    url = committing_factory.kw["bind"].url.render_as_string(hide_password=False)
    settings = Settings(
        data_dir=tmp_path, database_url=url, cookie_secure="never", db_busy_timeout_s=SHORT_S
    )
    application = create_app(settings, clock)
    yield application
    application.state.installation.engine.dispose()


def test_a_write_behind_a_held_lock_is_503_then_served(
    impatient_app: FastAPI, committing_factory: SessionFactory
) -> None:
    client = TestClient(impatient_app)
    credentials = {"username": "busy.t", "password": PASSWORD}
    with transaction(committing_factory) as holder:
        # SQLite: this transaction holds the write lock; PostgreSQL: every write is audited.
        if holder.session.get_bind().dialect.name == "postgresql":
            holder.session.execute(text("LOCK TABLE audit_entries IN EXCLUSIVE MODE"))
        refused = client.post("/api/auth/token", json=credentials)
    assert refused.status_code == 503, refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json() == {"detail": BUSY_MESSAGE}
    served = client.post("/api/auth/token", json=credentials)
    assert served.status_code == 200, served.text
    bearer = {"Authorization": f"Bearer {served.json()['access_token']}"}
    assert client.get("/api/me", headers=bearer).json()["username"] == "busy.t"
