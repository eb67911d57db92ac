"""Web fixtures: the app on the test database, one person per role, signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.config import Settings
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role, SiteKind
from nucmed.web.app import create_app

PASSWORD = "correct horse battery"
SITE = SiteSpec("T-ALA", "Test department", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")


@pytest.fixture
def app(database: Database, database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path, database_url=database_url, cookie_secure="never")
    application = create_app(settings, database.clock)
    application.state.database = database
    yield application
    application.state.installation.engine.dispose()


@pytest.fixture
def people(factory: SessionFactory) -> dict[Role, str]:
    """One user per role at the test site (the administrator everywhere); username by role."""
    with transaction(factory) as store:
        site = create_site(store, None, SITE)
        for role in Role:
            where = None if role is Role.ADMIN else site
            create_user(
                store,
                None,
                NewUser(f"{role.value}.t", f"Test {role.value}", PASSWORD),
                [(role, where)],
            )
    return {role: f"{role.value}.t" for role in Role}


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Sign in through the login form, as a browser does; return the client."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient, path: str = "/me") -> str:
    """The CSRF token of the signed-in session, read from a page's form."""
    page = client.get(path)
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.fixture
def admin_client(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.ADMIN])


@pytest.fixture
def client(app: FastAPI, people: dict[Role, str]) -> TestClient:
    """A technologist's browser."""
    return sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
