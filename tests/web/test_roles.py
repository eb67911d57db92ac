"""Every endpoint states the roles it admits; every other role gets 403.

The test walks the application's routes, so a new endpoint is covered the day it is added: a
route with no role check must be listed in PUBLIC, or this test fails.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nucmed.store.enums import Role
from nucmed.web.app import routers
from nucmed.web.deps import RoleCheck
from tests.web.conftest import PASSWORD

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/auth/token"),
}
"""Routes anyone may call: nothing behind them needs a role."""

PATH_VALUES = {
    "code": "T-ALA",
    "key": "eluate_expiry_h",
    "entity": "user",
    "entity_id": "1",
    "entry_id": "1",
    "material_id": "1",
    "request_id": "1",
    "draw_id": "1",
    "calibrator_id": "1",
    "container_id": "1",
    "patient_id": "1",
    "administration_id": "1",
    "course_id": "1",
}
BODIES = {
    "/api/sites/{code}/settings/{key}": {"value": 10, "source": "test", "reason": "test"},
    "/api/users": {
        "username": "x.y",
        "full_name": "X Y",
        "password": PASSWORD,
        "role": "resident",
    },
    "/api/audit/entries/{entry_id}/corrections": {"reason": "test", "details": {}},
}
QUERIES = {
    "/api/physics/decay": {"nuclide": "F-18", "activity": "1 GBq", "elapsed": "1 h"},
    "/api/physics/generator": {"mo99": "1 GBq", "since_elution": "1 h"},
}


def _role_check(route: APIRoute) -> RoleCheck | None:
    for dependency in route.dependant.dependencies:
        if isinstance(dependency.call, RoleCheck):
            return dependency.call
    return None


def _routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every endpoint: the app's own and those of every included router."""
    found = [r for r in app.routes if isinstance(r, APIRoute)]
    found += [r for router in routers() for r in router.routes if isinstance(r, APIRoute)]
    return [(method, route) for route in found for method in sorted(route.methods)]


def test_the_walk_sees_the_routers(app: FastAPI) -> None:
    paths = {route.path for _, route in _routes(app)}
    assert {"/health", "/login", "/api/users", "/sites/{code}/stock"} <= paths


def _call(client: TestClient, method: str, route: APIRoute, token: str) -> int:
    path = route.path_format.format(**PATH_VALUES)
    response = client.request(
        method,
        path,
        json=BODIES.get(route.path_format),
        params=QUERIES.get(route.path_format),
        headers={"Authorization": f"Bearer {token}"},
        follow_redirects=False,
    )
    return response.status_code


def _token(client: TestClient, username: str) -> str:
    response = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    token: str = response.json()["access_token"]
    return token


def test_every_route_states_its_roles_or_is_public(app: FastAPI) -> None:
    unstated = [
        (method, route.path)
        for method, route in _routes(app)
        if _role_check(route) is None and (method, route.path) not in PUBLIC
    ]
    assert unstated == []


def test_other_roles_get_403(app: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(app)
    tokens = {role: _token(client, username) for role, username in people.items()}
    refused_wrongly, admitted_wrongly, refusals_seen = [], [], 0
    for method, route in _routes(app):
        check = _role_check(route)
        if check is None or check.roles == frozenset(Role):
            continue  # public, or open to every role: no role to refuse
        for role in Role:
            status = _call(client, method, route, tokens[role])
            if role in check.roles and status == 403:
                refused_wrongly.append((method, route.path, role.value))
            if role not in check.roles and status != 403:
                admitted_wrongly.append((method, route.path, role.value, status))
            refusals_seen += role not in check.roles and status == 403
    assert refusals_seen > 100  # the walk is not vacuous
    assert admitted_wrongly == []
    assert refused_wrongly == []


@pytest.mark.parametrize("path", ["/admin/users", "/audit", "/api/users"])
def test_pages_refuse_a_technologist(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 403
