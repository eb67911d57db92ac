"""Signing in and out (pages and API tokens), and a person's own settings."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from nucmed.errors import Message, NucmedInputError
from nucmed.services import users as user_service
from nucmed.services.auth import AuthenticationError, Identity, authenticate, issue_token
from nucmed.services.auth import revoke_token as revoke
from nucmed.services.uow import transaction
from nucmed.web.deps import SESSION_COOKIE, factory, require, settings
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

LOGIN_CSRF_COOKIE = "nucmed_login_csrf"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_SECONDS_PER_HOUR = 3600


def _secure(request: Request) -> bool:
    mode = settings(request).cookie_secure
    if mode == "auto":
        return request.url.hostname not in _LOOPBACK
    return mode == "always"


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no host) may follow the login."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _login_page(
    request: Request, next_path: str, error: str | None, username: str, status_code: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {
            "next": next_path,
            "error": error,
            "username": username,
            "login_csrf": token,
        },
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in page."""
    return _login_page(request, _safe_next(next), None, "")


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Check the password; open a session (secure, HTTP-only cookie) and go on."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, _safe_next(next), "expired", username, 403)
    lifetime_h = settings(request).session_hours
    try:
        with transaction(factory(request)) as store:
            user = authenticate(store, username, password)
            secret = issue_token(store, user, "session", lifetime_h)
    except AuthenticationError:
        return _login_page(request, _safe_next(next), "wrong", username, 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=int(lifetime_h * _SECONDS_PER_HOUR),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, identity: Annotated[Identity, Depends(require())]) -> Response:
    """End the session."""
    with transaction(factory(request)) as store:
        token = store.session.merge(identity.token)
        revoke(
            store,
            Identity(user=store.session.merge(identity.user), token=token, roles=identity.roles),
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class TokenRequest(BaseModel):
    """Credentials for an API token."""

    username: str
    password: str


@router.post("/api/auth/token", tags=["auth"])
def api_token(request: Request, body: TokenRequest) -> JSONResponse:
    """Exchange a username and password for a bearer token (``Authorization: Bearer ...``)."""
    lifetime_h = settings(request).session_hours
    try:
        with transaction(factory(request)) as store:
            user = authenticate(store, body.username, body.password)
            secret = issue_token(store, user, "api", lifetime_h)
    except AuthenticationError as error:
        return JSONResponse({"detail": str(error)}, status_code=401)
    return JSONResponse(
        {
            "access_token": secret,
            "token_type": "bearer",
            "expires_in_s": int(lifetime_h * _SECONDS_PER_HOUR),
        }
    )


def _me(identity: Identity, request: Request) -> dict[str, Any]:
    with transaction(factory(request)) as store:
        memberships = store.users.memberships(identity.user.id)
        codes = {site.id: site.code for site in store.sites.all()}
    return {
        "username": identity.user.username,
        "full_name": identity.user.full_name,
        "language": identity.user.language,
        "activity_unit": identity.user.activity_unit,
        "roles": [
            {"role": m.role.value, "site": codes.get(m.site_id) if m.site_id else None}
            for m in memberships
        ],
    }


@router.get("/api/me", tags=["auth"])
def api_me(request: Request, identity: Annotated[Identity, Depends(require())]) -> JSONResponse:
    """Who the token belongs to, and their roles at each site."""
    return JSONResponse(_me(identity, request))


@router.get("/me", response_class=HTMLResponse, include_in_schema=False)
def my_settings(
    request: Request, identity: Annotated[Identity, Depends(require())]
) -> HTMLResponse:
    """A person's own settings: language and how activities are shown."""
    return render(
        request, "me.html", {"me": _me(identity, request), "saved": False, "error": None}
    )


@router.post("/me", response_class=HTMLResponse, include_in_schema=False)
def save_my_settings(
    request: Request,
    identity: Annotated[Identity, Depends(require())],
    language: Annotated[str, Form()] = "",
    activity_unit: Annotated[str, Form()] = "MBq",
) -> HTMLResponse:
    """Save the language (empty: follow the browser) and the activity unit."""
    error = None
    try:
        with transaction(factory(request)) as store:
            user = store.session.merge(identity.user)
            user_service.set_preferences(store, user, language or None, activity_unit)
        request.state.identity = Identity(user=user, token=identity.token, roles=identity.roles)
    except NucmedInputError as problem:
        error = Message.of(problem)
    refreshed = request.state.identity
    return render(
        request,
        "me.html",
        {"me": _me(refreshed, request), "saved": error is None, "error": error},
        status_code=422 if error else 200,
    )


@router.post("/me/password", response_class=HTMLResponse, include_in_schema=False)
def change_my_password(
    request: Request,
    identity: Annotated[Identity, Depends(require())],
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Change one's own password (the current one is asked again)."""
    error = None
    try:
        with transaction(factory(request)) as store:
            user = store.session.merge(identity.user)
            user_service.change_password(store, user, current, new)
    except NucmedInputError as problem:
        error = Message.of(problem)
    context = {
        "me": _me(identity, request),
        "saved": False,
        "error": error,
        "password_changed": error is None,
    }
    return render(request, "me.html", context, status_code=422 if error else 200)
