"""Every answer carries the frame, content-type, referrer and content-security headers, and
nothing but static files may be cached; the access log keeps no query string."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from nucmed.web.security import (
    CONTENT_SECURITY_POLICY,
    DOCS_POLICY,
    protect,
)
from tests.web.conftest import sign_in


@pytest.fixture
def browser(app: FastAPI, people: dict[Role, str]) -> TestClient:
    """A technologist's browser on the app with its middlewares."""
    return sign_in(TestClient(protect(app)), people[Role.RADIOPHARMACIST])


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="dashboard"),
        pytest.param("/sites/T-ALA/patients?q=Ivanov", id="patient-search"),
        pytest.param("/login", id="login"),
        pytest.param("/api/me", id="api"),
        pytest.param("/api/sites/T-ALA/nowhere", id="api-404"),
        pytest.param("/health", id="health"),
    ],
)
def test_pages_and_the_api_are_guarded_and_never_cached(browser: TestClient, path: str) -> None:
    answer = browser.get(path, follow_redirects=False)
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(browser: TestClient) -> None:
    answer = browser.get("/static/nucmed.css")
    assert answer.status_code == 200
    assert answer.headers.get("Cache-Control") != "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_pages_need_no_inline_script(browser: TestClient) -> None:
    """The policy allows scripts from this server only: the pages load htmx from /static and
    carry no inline script or event handler attribute."""
    page = browser.get("/").text
    assert '<script src="/static/htmx.min.js"' in page
    assert "<script>" not in page and " onclick=" not in page and " onload=" not in page


def test_the_api_documentation_gets_its_own_policy(browser: TestClient) -> None:
    answer = browser.get("/api/docs")
    assert answer.status_code == 200
    assert answer.headers["Content-Security-Policy"] == DOCS_POLICY


def test_protecting_twice_adds_nothing(app: FastAPI) -> None:
    count = len(protect(app).user_middleware)
    assert len(protect(app).user_middleware) == count >= 2
