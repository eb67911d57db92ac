"""Every endpoint states the roles it admits; every other role gets 403.

The test walks the application's routes, so a new endpoint is covered the day it is added: a
route with no role check must be listed in PUBLIC, or this test fails.
"""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nucmed.services.permissions import Permission, roles_for
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role, SiteKind
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
    "/api/sites/{code}/waste/containers": {"label": "W-T"},
    "/api/sites/{code}/waste/containers/{container_id}/items": {
        "nuclide": "F-18",
        "activity_bq": 1e6,
        "reference_time": "2026-11-20T08:00:00Z",
    },
    "/api/sites/{code}/waste/containers/{container_id}/seal": {},
    "/api/sites/{code}/waste/containers/{container_id}/surveys": {
        "measured_at": "2026-11-20T08:00:00Z",
        "dose_rate_sv_per_s": 1e-11,
        "background_sv_per_s": 1e-11,
    },
    "/api/me/preferences": {"language": "en", "activity_unit": "MBq"},
    "/api/me/password": {"current": "wrong password", "new": "a new long password"},
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


def _included(app: FastAPI) -> list[APIRouter]:
    """The routers the application includes (FastAPI keeps each behind a wrapper route)."""
    wrapped = (getattr(route, "original_router", None) for route in app.routes)
    return [router for router in wrapped if isinstance(router, APIRouter)]


def _routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every endpoint: the app's own and those of every included router, each once."""
    found = [r for r in app.routes if isinstance(r, APIRoute)]
    for router in (*_included(app), *routers()):
        found += [r for r in router.routes if isinstance(r, APIRoute)]
    walked: dict[tuple[str, str], APIRoute] = {}
    for route in found:
        for method in sorted(route.methods):
            walked.setdefault((method, route.path), route)
    return [(method, route) for (method, _path), route in walked.items()]


def test_the_walk_sees_the_routers(app: FastAPI) -> None:
    paths = {route.path for _, route in _routes(app)}
    assert {"/health", "/login", "/api/users", "/sites/{code}/stock"} <= paths
    assert {id(router) for router in _included(app)} == {id(router) for router in routers()}


def test_every_route_takes_its_roles_from_a_permission(app: FastAPI) -> None:
    granted = {roles_for(permission) for permission in Permission}
    loose = [
        (method, route.path, sorted(r.value for r in check.roles))
        for method, route in _routes(app)
        if (check := _role_check(route)) is not None and check.roles not in granted
    ]
    assert loose == []


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


OTHER = SiteSpec("T-BIS", "Other department", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")


def _site_routes(app: FastAPI) -> list[tuple[str, APIRoute, RoleCheck]]:
    """Endpoints that act at the site of their path (``{code}`` and no record id) and admit
    some roles only: reads, and the actions whose bodies this test knows."""
    found = []
    for method, route in _routes(app):
        check = _role_check(route)
        params = set(route.param_convertors)
        if check is None or check.roles == frozenset(Role) or params - {"code", "key"}:
            continue
        if "code" in params and (method == "GET" or route.path_format in BODIES):
            found.append((method, route, check))
    return found


def test_a_role_held_at_another_site_is_refused_by_the_service(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory
) -> None:
    """The route admits the role (held somewhere); the service refuses it at T-ALA, where the
    person holds no role that grants the permission."""
    with transaction(factory) as store:
        other = create_site(store, None, OTHER)
        for role in Role:
            if role is not Role.ADMIN:
                new = NewUser(f"{role.value}.bis", f"Other {role.value}", PASSWORD)
                create_user(store, None, new, [(role, other)])
    client = TestClient(app)
    tokens = {role: _token(client, f"{role.value}.bis") for role in Role if role is not Role.ADMIN}
    admitted = []
    routes = _site_routes(app)
    for method, route, check in routes:
        role = min(check.roles - {Role.ADMIN})
        status = _call(client, method, route, tokens[role])
        if status != 403:
            admitted.append((method, route.path, role.value, status))
    assert len(routes) > 5  # the walk is not vacuous
    assert admitted == []
