"""Request dependencies: the database, who is signed in, what they may do, their language.

Every endpoint that is not public declares the roles it admits with :func:`require`; the
dependency it returns carries them (``.roles``), so a test can walk every route and prove that
other roles get 403.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from nucmed.config import Settings
from nucmed.services.auth import Identity, identify
from nucmed.services.permissions import Permission, roles_for
from nucmed.services.uow import Database
from nucmed.vocabulary import Role
from nucmed.web.i18n import Localizer, choose_language, localizer

__all__ = [
    "SESSION_COOKIE",
    "RoleCheck",
    "SignInRequiredError",
    "database",
    "identity_or_none",
    "request_localizer",
    "require",
    "settings",
    "verify_csrf",
]

SESSION_COOKIE = "nucmed_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequiredError(Exception):
    """No valid session or token; pages redirect to the login page, the API answers 401."""


def database(request: Request) -> Database:
    """The installation's database and clock, for the services."""
    result: Database = request.app.state.database
    return result


def settings(request: Request) -> Settings:
    """The settings of the application."""
    result: Settings = request.app.state.settings
    return result


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def identity_or_none(request: Request) -> Identity | None:
    """Who is signed in: by bearer token (API) or session cookie (pages), else None."""
    cached: Identity | None = getattr(request.state, "identity", None)
    if cached is not None:
        return cached
    bearer = _bearer(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    found = identify(database(request), bearer, cookie)
    request.state.identity = found
    request.state.by_cookie = found is not None and bearer is None
    return found


@dataclass(frozen=True, slots=True)
class RoleCheck:
    """A dependency admitting the given roles (held at any site) and refusing others with 403."""

    roles: frozenset[Role]

    async def __call__(self, request: Request) -> Identity:
        identity = await run_in_threadpool(identity_or_none, request)
        if identity is None:
            raise SignInRequiredError
        if not identity.roles & self.roles:
            raise HTTPException(status_code=403, detail="your role does not allow this")
        if request.method not in SAFE_METHODS and request.state.by_cookie:
            await verify_csrf(request, identity)
        return identity


def require(permission: Permission = Permission.ANY) -> RoleCheck:
    """The dependency for an endpoint that needs ``permission``: it admits the roles that grant
    it (held at any site) and refuses others with 403; the service then checks the same
    permission at the site the request is about."""
    return RoleCheck(roles_for(permission))


async def verify_csrf(request: Request, identity: Identity) -> None:
    """Refuse a state-changing request by cookie whose CSRF token does not match the session.

    The token comes in the ``X-CSRF-Token`` header (API, HTMX) or the ``csrf_token`` field of
    a form (pages).
    """
    expected = identity.token.csrf_token or ""
    given = request.headers.get("x-csrf-token")
    if given is None:
        field = (await request.form()).get("csrf_token")
        given = field if isinstance(field, str) else ""
    if not expected or not hmac.compare_digest(expected, given):
        raise HTTPException(status_code=403, detail="the form has expired: reload the page")


def request_localizer(request: Request) -> Localizer:
    """The language and display preferences for this request."""
    identity = identity_or_none(request)
    user_language = identity.user.language if identity else None
    unit = identity.user.activity_unit if identity else "MBq"
    language = choose_language(user_language, request.headers.get("accept-language"))
    return localizer(language, unit)
