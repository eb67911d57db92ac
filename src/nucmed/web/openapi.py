"""The OpenAPI document with every answer an endpoint gives, not only its success.

FastAPI lists an operation's success and a 422 in pydantic's shape. The application answers
more, from its exception handlers and dependencies, and :func:`install` writes them in:

- 401 ``{"detail": str}`` with ``WWW-Authenticate: Bearer``: no valid token (under ``/api``);
  outside ``/api`` (downloads) the answer is a 303 redirect to the login page instead;
- 403: the person's role, at that site, does not allow it (or a form's CSRF token is stale);
- 404: no such record or site, where the path names one;
- 409 with ``Retry-After``: a create with an ``Idempotency-Key`` that is still being answered;
- 422 ``{"detail": [{"field": str | null, "message": str}]}`` (:data:`INPUT_PROBLEM`);
- 429 with ``Retry-After`` on the sign-in endpoints (too many failures);
- 503 with ``Retry-After``: the database stayed busy; try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from nucmed.services.idempotency import MAX_KEY_LENGTH
from nucmed.web.deps import RoleCheck

__all__ = ["INPUT_PROBLEM", "PROBLEM", "SIGN_IN_PATHS", "document", "install"]

JsonObject = dict[str, Any]

PROBLEM = "Problem"
"""Component name of the body ``{"detail": str}`` of 401, 403, 404, 409, 429 and 503."""
INPUT_PROBLEM = "InputProblem"
"""Component name of the 422 body ``{"detail": [{"field": str | null, "message": str}]}``."""
FIELD_PROBLEM = "FieldProblem"
SIGN_IN_PATHS = frozenset({"/api/auth/token"})
"""Paths that sign in with a password: they answer 401 to wrong credentials and 429 when the
account or the address has failed too often."""

_FASTAPI_422 = ("HTTPValidationError", "ValidationError")
_REF = "#/components/schemas/"
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
_COMPONENTS: dict[str, JsonObject] = {
    PROBLEM: {
        "title": PROBLEM,
        "type": "object",
        "properties": {"detail": {"type": "string", "title": "Detail"}},
        "required": ["detail"],
    },
    FIELD_PROBLEM: {
        "title": FIELD_PROBLEM,
        "type": "object",
        "properties": {
            "field": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "title": "Field",
                "description": "The input at fault (a body key, a parameter), or null.",
            },
            "message": {
                "type": "string",
                "title": "Message",
                "description": "What is wrong and what is allowed.",
            },
        },
        "required": ["field", "message"],
    },
    INPUT_PROBLEM: {
        "title": INPUT_PROBLEM,
        "type": "object",
        "properties": {
            "detail": {"type": "array", "items": {"$ref": _REF + FIELD_PROBLEM}},
        },
        "required": ["detail"],
    },
}


def install(app: FastAPI) -> FastAPI:
    """Make ``app`` serve :func:`document` at ``/openapi.json`` (built on first request)."""

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def document(app: FastAPI) -> JsonObject:
    """FastAPI's document of ``app`` with every operation's real answers and the 422 shape."""
    schema: JsonObject = FastAPI.openapi(app)
    components: JsonObject = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(_COMPONENTS)
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.include_in_schema and context.path_format:
            for method in context.methods or ():
                operation = schema["paths"][context.path_format][method.lower()]
                _answer(operation, route, context.path_format, method)
    for name in _FASTAPI_422:
        components.pop(name, None)
    return schema


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    for inner in dependant.dependencies:
        yield inner
        yield from _dependants(inner)


def _signed_in(route: APIRoute) -> bool:
    """Whether the route admits only signed-in people (a :class:`RoleCheck` dependency)."""
    return any(isinstance(d.call, RoleCheck) for d in _dependants(route.dependant))


def _problem(description: str, headers: JsonObject | None = None) -> JsonObject:
    answer: JsonObject = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF + PROBLEM}}},
    }
    if headers:
        answer["headers"] = headers
    return answer


def _input_problem() -> JsonObject:
    return {
        "description": "Input refused: each problem names its field (or null) and says what "
        "is allowed; nothing was written.",
        "content": {"application/json": {"schema": {"$ref": _REF + INPUT_PROBLEM}}},
    }


def _sign_in_answer(path: str) -> tuple[str, JsonObject]:
    if path.startswith("/api/"):
        headers = {"WWW-Authenticate": {"schema": {"type": "string", "const": "Bearer"}}}
        return "401", _problem("Sign in first: no valid bearer token or session.", headers)
    location = {"Location": {"description": "/login?next=...", "schema": {"type": "string"}}}
    return "303", {
        "description": "Not signed in: redirected to the login page.",
        "headers": location,
    }


def _answers(route: APIRoute, path: str, method: str) -> dict[str, JsonObject]:
    """The answers the application's handlers and dependencies give on ``route`` (served at
    ``path``)."""
    found: dict[str, JsonObject] = {}
    if path in SIGN_IN_PATHS:
        found["401"] = _problem("Wrong username or password.")
        found["429"] = _problem(
            "Too many failed sign-ins for this account or address: wait Retry-After seconds "
            "(no Retry-After: locked until an administrator lifts it).",
            _RETRY_AFTER,
        )
    if _signed_in(route):
        key, answer = _sign_in_answer(path)
        found[key] = answer
        found["403"] = _problem(
            "Not allowed: the person's role at this site does not allow it, or the form's "
            "CSRF token (X-CSRF-Token) does not match the session."
        )
        if method == "POST" and path.startswith("/api/"):
            found["409"] = _problem(
                "A request with this Idempotency-Key is still being answered: retry later.",
                _RETRY_AFTER,
            )
    if route.dependant.path_params:
        found["404"] = _problem("No such record or site.")
    found["503"] = _problem(
        "Busy: the database stayed locked past its timeout; nothing was written. "
        "Try again after Retry-After seconds.",
        _RETRY_AFTER,
    )
    return found


def _idempotency_key() -> JsonObject:
    return {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Any unique string per create: a retry with the same key and body "
        "gets the first answer again (Idempotent-Replayed: true) instead of a second record; "
        "the same key with another body is refused (422). Remembered for a day.",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    }


def _answer(operation: JsonObject, route: APIRoute, path: str, method: str) -> None:
    """Write the real answers of ``route``'s ``method`` (served at ``path``) into its
    ``operation``."""
    responses: JsonObject = operation.setdefault("responses", {})
    if "422" in responses or route.body_field is not None:
        responses["422"] = _input_problem()
    for status, answer in _answers(route, path, method).items():
        responses.setdefault(status, answer)
    if "409" in responses:
        parameters: list[JsonObject] = operation.setdefault("parameters", [])
        parameters.append(_idempotency_key())
