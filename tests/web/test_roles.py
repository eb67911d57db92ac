"""Every endpoint states the roles it admits; every other role gets 403; a role held at
another site gets 403 or 404 (or a list filtered down to its own sites), never this site's data.

The tests walk the application's routes, so a new endpoint is covered the day it is added: a
route with no role check must be listed in PUBLIC, or this test fails.
"""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nucmed.services.demo import load_demo
from nucmed.services.permissions import Permission, roles_for
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import (
    Administration,
    DoseCalibrator,
    DoseRequest,
    Draw,
    Material,
    Patient,
    WasteContainer,
)
from nucmed.store.imaging_maps import DoseMap
from nucmed.store.models import AuditEntry
from nucmed.store.safety import DoseAlert
from nucmed.store.therapy import ReleaseRecord, TherapyCourse
from nucmed.store.training import TrainingCase
from nucmed.vocabulary import Role, SiteKind
from nucmed.web.app import routers
from nucmed.web.deps import RoleCheck
from tests.services.test_clinic_exchange import ORM
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
    "case_id": "1",
    "resident_id": "1",
    "course": "1",
    "participant_id": "1",
    "programme": "7R01108",
    "item_id": "1",
    "alert_id": "1",
    "number": "1",
    "shipment_id": "1",
    "map_id": "1",
    "release_record_id": "1",
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
ACTIONS = {
    ("POST", "/api/sites/{code}/rrdsr"): Permission.ADMINISTER,
    ("POST", "/api/sites/{code}/hl7"): Permission.PATIENT_REGISTER,
}
"""Imports need, besides the route's permission (exchange), the permission of what they do:
recording an administration, registering a patient (and, for an order, asking for a dose)."""
QUERIES = {
    "/api/therapy-courses/{course_id}/region-dose": {"cycle": 1, "region": "kidneys"},
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
        action = ACTIONS.get((method, route.path_format))
        admitted = check.roles & roles_for(action) if action else check.roles
        for role in Role:
            status = _call(client, method, route, tokens[role])
            if role in admitted and status == 403:
                refused_wrongly.append((method, route.path, role.value))
            if role not in admitted and status != 403:
                admitted_wrongly.append((method, route.path, role.value, status))
            refusals_seen += role not in admitted and status == 403
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


ALA_MODELS = {
    "material_id": Material,
    "request_id": DoseRequest,
    "calibrator_id": DoseCalibrator,
    "container_id": WasteContainer,
    "patient_id": Patient,
    "administration_id": Administration,
    "course_id": TherapyCourse,
    "case_id": TrainingCase,
    "alert_id": DoseAlert,
    "map_id": DoseMap,
    "release_record_id": ReleaseRecord,
}
FILTERED = {
    ("GET", "/audit"),
    ("GET", "/audit/{entity}/{entity_id}"),
    ("GET", "/api/audit/{entity}/{entity_id}"),
    ("GET", "/training"),
    ("GET", "/training/institutions"),
    ("GET", "/radiation-safety"),
}
"""Routes that answer a reader of any site with what they may see of it (a filtered list)."""
SITELESS = {
    ("GET", "/haematology"),
    ("GET", "/api/haematology/eln2022"),
    ("GET", "/api/haematology/eln2024"),
    ("GET", "/api/training/programmes/{programme}"),
}
"""Routes that read no site's records (advice computed from what is typed): nothing to leak."""
MARK = "Демо-пациент"
"""Every demo patient's name begins so: it must never reach a person of another site."""


def _demo_records(factory: SessionFactory) -> tuple[str, dict[str, str]]:
    """Load the demo; its password and, for each path parameter, a record of NM-ALA (the
    audit entry of a patient registered there, a draw when there is one)."""
    password = load_demo(factory).password
    assert password is not None
    values = dict(PATH_VALUES, code="NM-ALA")
    with transaction(factory) as store:
        site = store.sites.by_code("NM-ALA")
        assert site is not None
        for name, model in ALA_MODELS.items():
            found = store.session.scalar(
                select(func.min(model.id)).where(model.site_id == site.id)
            )
            values[name] = str(found or 10**6)
        draw = store.session.scalar(
            select(func.min(Draw.id)).join(DoseRequest).where(DoseRequest.site_id == site.id)
        )
        values["draw_id"] = str(draw or 10**6)
        entry = store.session.scalar(
            select(func.min(AuditEntry.id)).where(
                AuditEntry.site_id == site.id, AuditEntry.action == "patient.register"
            )
        )
        values.update(entry_id=str(entry), entity="patient", entity_id=values["patient_id"])
    return password, values


def _examples(app: FastAPI) -> dict[str, object]:
    """The first example body of each JSON endpoint, from the OpenAPI document."""
    document = app.openapi()
    schemas = document["components"]["schemas"]
    found = {}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            examples = schemas.get(ref.rpartition("/")[2], {}).get("examples")
            if examples:
                found[path] = examples[0]
    return found


def _cross_call(
    client: TestClient, method: str, route: APIRoute, values: dict[str, str], token: str
) -> tuple[int, str]:
    path = route.path_format.format(**values)
    body = BODIES.get(route.path_format, _examples(client.app).get(route.path_format))  # type: ignore[arg-type]
    kwargs: dict[str, object] = {"json": body}
    if route.path_format in RAW_BODIES:
        kwargs = {"content": RAW_BODIES[route.path_format]}
    response = client.request(
        method,
        path,
        params=QUERIES.get(route.path_format),
        headers={"Authorization": f"Bearer {token}"},
        follow_redirects=False,
        **kwargs,  # type: ignore[arg-type]
    )
    return response.status_code, response.text


RAW_BODIES = {
    "/api/sites/{code}/hl7": ORM.encode(),
    "/api/sites/{code}/rrdsr": b"DICM",
}


def test_every_endpoint_refuses_every_role_of_another_site(
    app: FastAPI, factory: SessionFactory
) -> None:
    """Each role of the Bishkek demo department, at every endpoint its role admits, on the
    records of the Almaty one, with a valid body (the API's own example, the imports' real
    messages): 403 or 404, or a filtered list without Almaty's patients."""
    password, values = _demo_records(factory)
    client = TestClient(app)
    staff = {
        role: _demo_token(client, username, password) for role, username in BISHKEK_STAFF.items()
    }
    leaks, refused = [], 0
    for method, route in _routes(app):
        check = _role_check(route)
        if check is None or check.roles == frozenset(Role) or (method, route.path) in SITELESS:
            continue
        for role in check.roles & set(staff):
            status, text = _cross_call(client, method, route, values, staff[role])
            key = (method, route.path_format)
            if status in {403, 404}:
                refused += 1
            elif key in FILTERED and status == 200 and MARK not in text:
                continue
            else:
                leaks.append((method, route.path, role.value, status))
    assert refused > 150  # the walk is not vacuous
    assert leaks == []


BISHKEK_STAFF = {
    Role.RADIOPHARMACIST: "tech.bis",
    Role.PHYSICIAN: "doctor.bis",
    Role.PHYSICIST: "physicist.bis",
    Role.RSO: "rso.bis",
    Role.RESIDENT: "resident.bis",
    Role.SUPERVISOR: "supervisor.bis",
}


def _demo_token(client: TestClient, username: str, password: str) -> str:
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def test_the_audit_trail_of_a_record_is_empty_for_another_site(
    app: FastAPI, factory: SessionFactory
) -> None:
    password, values = _demo_records(factory)
    client = TestClient(app)
    for role in (Role.PHYSICIST, Role.RSO, Role.SUPERVISOR):
        token = _demo_token(client, BISHKEK_STAFF[role], password)
        mine = _demo_token(client, BISHKEK_STAFF[role].replace(".bis", ".ala"), password)
        path = f"/api/audit/patient/{values['patient_id']}"
        assert client.get(path, headers={"Authorization": f"Bearer {token}"}).json() == []
        theirs = client.get(path, headers={"Authorization": f"Bearer {mine}"}).json()
        assert [entry["action"] for entry in theirs][:1] == ["patient.register"]
        correction = client.post(
            f"/api/audit/entries/{values['entry_id']}/corrections",
            json={"reason": "test", "details": {}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert correction.status_code == 403
