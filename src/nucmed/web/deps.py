"""Request dependencies: the database, who is signed in, what they may do, their language.

Every endpoint that is not public declares the roles it admits with :func:`require`; the
dependency it returns carries them (``.roles``), so a test can walk every route and prove that
other roles get 403.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Protocol, TypeVar

from fastapi import HTTPException, Request

from nucmed.config import Settings
from nucmed.services.auth import Identity, resolve_token
from nucmed.services.uow import Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.enums import Role
from nucmed.store.models import Site
from nucmed.web.i18n import Localizer, choose_language, localizer

__all__ = [
    "ALL_ROLES",
    "SESSION_COOKIE",
    "RoleCheck",
    "SignInRequiredError",
    "at_site",
    "factory",
    "identity_or_none",
    "request_localizer",
    "require",
    "settings",
    "site_for",
    "verify_csrf",
]

SESSION_COOKIE = "nucmed_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_ROLES = frozenset(Role)


class SignInRequiredError(Exception):
    """No valid session or token; pages redirect to the login page, the API answers 401."""


def factory(request: Request) -> SessionFactory:
    """The session factory of the application."""
    result: SessionFactory = request.app.state.session_factory
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
    with transaction(factory(request)) as store:
        if bearer is not None:
            found = resolve_token(store, bearer, "api")
        elif cookie:
            found = resolve_token(store, cookie, "session")
        else:
            found = None
    request.state.identity = found
    request.state.by_cookie = found is not None and bearer is None
    return found


@dataclass(frozen=True, slots=True)
class RoleCheck:
    """A dependency admitting the given roles (held at any site) and refusing others with 403."""

    roles: frozenset[Role]

    async def __call__(self, request: Request) -> Identity:
        identity = identity_or_none(request)
        if identity is None:
            raise SignInRequiredError
        if not identity.roles & self.roles:
            raise HTTPException(status_code=403, detail="your role does not allow this")
        if request.method not in SAFE_METHODS and request.state.by_cookie:
            await verify_csrf(request, identity)
        return identity


def require(*roles: Role) -> RoleCheck:
    """The dependency for an endpoint that admits ``roles`` (none given: every role)."""
    return RoleCheck(frozenset(roles) if roles else ALL_ROLES)


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


class _SiteRow(Protocol):
    site_id: int


RowT = TypeVar("RowT", bound=_SiteRow)


def at_site(
    store: Store, identity: Identity, found: tuple[type[RowT], int], roles: frozenset[Role]
) -> tuple[Site, RowT]:
    """A stored row by (model, id) and its site, if the person holds one of ``roles`` there;
    404 when there is no such row."""
    model, row_id = found
    row = store.session.get(model, row_id)
    site = store.sites.by_id(row.site_id) if row is not None else None
    if row is None or site is None:
        what = re.sub(
            r"(?<!^)(?=[A-Z])", " ", model.__name__
        ).lower()  # TherapyCourse: therapy course
        raise HTTPException(status_code=404, detail=f"no {what} {row_id}")
    return site_for(store, identity, site.code, roles), row


def site_for(store: Store, identity: Identity, code: str, roles: frozenset[Role]) -> Site:
    """The site, if the person holds one of ``roles`` there (administrators everywhere)."""
    site = store.sites.by_code(code)
    if site is None:
        raise HTTPException(status_code=404, detail=f"no site {code}")
    if not store.users.roles_at(identity.user.id, site.id) & roles:
        raise HTTPException(status_code=403, detail="your role at this site does not allow this")
    return site
