"""No query parameter of any route answers 5xx (issue 11, item 5): a property test.

The routes are walked from the application (every router's ``APIRoute`` and the query
parameters FastAPI reads for it, its dependencies' included) and from the templates (links and
GET forms that pass a query string to a route, such as the calculators' fields, which that page
reads from the raw query). Each route is called, with a bearer token of a role it admits, on the
records of the demo's Almaty department, with hypothesis choosing the values: integers of any
size, negative numbers, floats, empty text, NUL, lone surrogates, other scripts, ISO-like dates
and quantities with units, in each interface language. Any answer below 500 passes (a page, a
redirect, a refusal). Routes that declare no query parameter get a few examples of the names
other routes use (``year``, ``at``, ``q``, paging), so a handler that reads the raw query is
caught too.

Runtime: a fixed number of examples per route (:data:`EXAMPLES`), derandomized so that CI sees
the same examples on every run, without a deadline (a page's first request renders its
template) and without hypothesis's example database (nothing is written beside the tests).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone
from importlib import resources
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nucmed.services.demo import load_demo
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import (
    Administration,
    DoseCalibrator,
    DoseRequest,
    Draw,
    Material,
    Patient,
    WasteContainer,
)
from nucmed.store.models import AuditEntry
from nucmed.store.therapy import TherapyCourse
from nucmed.vocabulary import Role
from nucmed.web.app import routers
from nucmed.web.deps import RoleCheck
from nucmed.web.i18n import LANGUAGES

EXAMPLES = 15
"""Examples per route that takes query parameters (about 20 routes)."""
EXAMPLES_UNDECLARED = 3
"""Examples per route that declares none (about 90 routes), with the names others use."""
COMMON_NAMES = ("year", "at", "q", "date", "page", "limit", "offset", "cycle", "next")
"""Query names of the application's routes and of paging, sent where no route declares them."""

PASSWORD = "correct horse battery"
SITE = "NM-ALA"

SPECIAL = (
    "",
    " ",
    "0",
    "-0",
    "1",
    "-1",
    "-5",
    "1899",
    "1900",
    "2100",
    "2101",
    "9999",
    "10000",
    "99999",
    str(2**31),
    str(2**63),
    str(-(2**64)),
    "9" * 400,
    "1e308",
    "1e309",
    "-1e309",
    "nan",
    "-inf",
    "0x10",
    "١٢٣",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "x\udc80y",
    "Иванов Иван",
    "Қазақстан",
    "😀",
    "2026-12-01",
    "2026-12-01T10:00",
    "2026-12-01T10:00:00+05:00",
    "2026-12-01T10:00:00Z",
    "2026-13-45",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "-2026-01-01",
    "2026-12-01T25:61:00+99:00",
    "1 GBq",
    "1e300 TBq",
    "-740 MBq",
    "3 d",
    "true",
    "'; DROP TABLE patients; --",
    "%",
    "%00",
    "../../etc/passwd",
    "x" * 5000,
)
"""Values people and robots send: edges of years and ids, overflows, NaN, NUL, lone
surrogates, other scripts, dates that are no dates, quantities with units, long text."""

_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5)), timezone(timedelta(hours=-12))])
_HARD = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff", "\u202e", "\ufeff"])

VALUES = st.one_of(
    st.sampled_from(SPECIAL),
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(repr),
    st.text(st.one_of(st.characters(), _HARD), max_size=24),
    st.dates().map(lambda day: day.isoformat()),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.datetimes(timezones=_ZONES).map(lambda moment: moment.isoformat()),
)


# --------------------------------------------------------------------------- the routes


def _endpoints() -> list[tuple[str, APIRoute]]:
    """Every (method, route) of the application's routers, each once."""
    walked: dict[tuple[str, str], APIRoute] = {}
    for router in routers():
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods or ()):
                    walked.setdefault((method, route.path), route)
    return [(method, route) for (method, _), route in sorted(walked.items())]


def _declared(dependant: Dependant) -> set[str]:
    """The query parameters FastAPI reads for a route, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _declared(dependency)
    return names


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
_ATTRIBUTE = re.compile(r'\b(action|hx-get|href)="([^"]*)"')
_NAME = re.compile(r'\bname="([^"{]+)"|\bfield\([^"]*?"(\w+)"')
"""A field's name: an element's ``name=""``, or the name given to the ``field`` macro."""
_JINJA = re.compile(r"{{.*?}}")
_PARAMETER = re.compile(r"{[^}]+}")


def _shape(path: str) -> str:
    """A path with each variable part as ``{}``: a template's and a route's compare equal."""
    return _PARAMETER.sub("{}", _JINJA.sub("{}", path.split("#", maxsplit=1)[0]))


def _template_queries() -> dict[str, set[str]]:
    """Query names that the templates send, by the shape of the path they send them to: the
    fields of GET forms and the names in links with a query string."""
    found: dict[str, set[str]] = {}
    folder = resources.files("nucmed.web").joinpath("templates")
    for template in folder.iterdir():
        text = template.read_text(encoding="utf-8")
        for attributes, body in _FORM.findall(text):
            if 'method="get"' in attributes:
                for _kind, target in _ATTRIBUTE.findall(attributes):
                    fields = {"".join(name) for name in _NAME.findall(body)}
                    found.setdefault(_shape(target), set()).update(fields)
        for _kind, target in _ATTRIBUTE.findall(text):
            path, _, query = html.unescape(target).partition("?")
            names = {pair.split("=")[0] for pair in query.split("&") if "=" in pair}
            if names:
                found.setdefault(_shape(path), set()).update(names)
    return found


def _query_names() -> list[tuple[str, APIRoute, frozenset[str]]]:
    """Every GET route with the query names it takes (declared or sent by a template)."""
    sent = _template_queries()
    return [
        (
            method,
            route,
            frozenset(_declared(route.dependant) | sent.get(_shape(route.path), set())),
        )
        for method, route in _endpoints()
        if method == "GET"
    ]


def test_the_walk_sees_the_query_parameters() -> None:
    """The walk finds the declared parameters and those only a template sends."""
    names = {route.path: found for _, route, found in _query_names()}
    assert {"year"} <= names["/sites/{code}/drl"]
    assert {"at"} <= names["/api/materials/{material_id}"]
    assert {"q"} <= names["/sites/{code}/patients"]
    assert {"nuclide", "activity", "elapsed"} <= names["/calculators"]  # the form's fields
    assert {"cycle", "region"} <= names["/therapy-courses/{course_id}"]
    assert sum(1 for found in names.values() if found) >= 15  # the walk is not vacuous


# --------------------------------------------------------------------------- the calls


@dataclass(frozen=True, slots=True)
class Caller:
    """A client of the app, a bearer token per role, and a record of the site per path
    parameter."""

    client: TestClient
    tokens: Mapping[Role, str]
    path_values: Mapping[str, str]

    def headers(self, route: APIRoute) -> dict[str, str]:
        """The Authorization header of a role the route admits (none for a public route)."""
        check = next(
            (d.call for d in route.dependant.dependencies if isinstance(d.call, RoleCheck)), None
        )
        if check is None:
            return {}
        role = Role.ADMIN if Role.ADMIN in check.roles else min(check.roles)
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def path(self, route: APIRoute) -> str:
        """The route's path on records of the site."""
        names = route.param_convertors
        return route.path_format.format(
            **{name: self.path_values.get(name, "1") for name in names}
        )


_MODELS: dict[str, Any] = {
    "material_id": Material,
    "request_id": DoseRequest,
    "calibrator_id": DoseCalibrator,
    "container_id": WasteContainer,
    "patient_id": Patient,
    "administration_id": Administration,
    "course_id": TherapyCourse,
}


def _path_values(database: Database) -> dict[str, str]:
    """For each path parameter, the first record of the demo's Almaty department."""
    values = {"code": SITE, "key": "eluate_expiry_h", "entity": "patient"}
    with transaction(database, read_only=True) as store:
        site = store.sites.by_code(SITE)
        assert site is not None
        for name, model in _MODELS.items():
            first = store.session.scalar(
                select(func.min(model.id)).where(model.site_id == site.id)
            )
            values[name] = str(first or 1)
        draw = store.session.scalar(
            select(func.min(Draw.id)).join(DoseRequest).where(DoseRequest.site_id == site.id)
        )
        entry = store.session.scalar(
            select(func.min(AuditEntry.id)).where(AuditEntry.site_id == site.id)
        )
    values.update(draw_id=str(draw or 1), entry_id=str(entry or 1))
    values["entity_id"] = values["patient_id"]
    return values


@pytest.fixture
def caller(app: FastAPI, database: Database) -> Caller:
    """The demo network, a person of each role at its Almaty department, and their tokens."""
    load_demo(database)
    with transaction(database) as store:
        site = store.sites.by_code(SITE)
        for role in Role:
            where = None if role is Role.ADMIN else site
            user = NewUser(f"{role.value}.q", f"Query {role.value}", PASSWORD)
            create_user(store, None, user, [(role, where)])
    client = TestClient(app)
    tokens = {}
    for role in Role:
        body = {"username": f"{role.value}.q", "password": PASSWORD}
        tokens[role] = client.post("/api/auth/token", json=body).json()["access_token"]
    return Caller(client, tokens, _path_values(database))


def _encoded(query: Mapping[str, str]) -> str:
    """A query string as a browser or a robot sends it: UTF-8, percent-encoded; a lone
    surrogate as the bytes a careless encoder writes for it."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in query.items()
    )


def _probe(caller: Caller, route: APIRoute, names: frozenset[str], examples: int) -> None:
    """Call the route with hypothesis's query strings over ``names``; fail on any 5xx."""
    path, headers = caller.path(route), caller.headers(route)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        query=st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(names), VALUES)),
        language=st.sampled_from(LANGUAGES),
    )
    def probe(query: dict[str, str], language: str) -> None:
        url = f"{path}?{_encoded(query)}"
        answer = caller.client.get(
            url, headers={**headers, "Accept-Language": language}, follow_redirects=False
        )
        assert answer.status_code < 500, (url[:300], answer.status_code, answer.text[:300])

    probe()


def _failures(caller: Caller, declared: bool) -> list[str]:
    """Probe each route that declares query names (or each that declares none, with
    :data:`COMMON_NAMES`); return one line per route that answered 5xx or raised."""
    failed = []
    for _method, route, names in _query_names():
        if bool(names) != declared:
            continue
        try:
            if declared:
                _probe(caller, route, names, EXAMPLES)
            else:
                _probe(caller, route, frozenset(COMMON_NAMES), EXAMPLES_UNDECLARED)
        except Exception as error:  # every route is probed, then all failures are told
            failed.append(f"GET {route.path}: {type(error).__name__}: {str(error)[:400]}")
    return failed


def test_no_query_parameter_of_any_route_answers_5xx(caller: Caller) -> None:
    assert _failures(caller, declared=True) == []


def test_routes_without_query_parameters_ignore_any(caller: Caller) -> None:
    assert _failures(caller, declared=False) == []
