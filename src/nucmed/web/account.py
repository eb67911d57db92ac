"""Signing in and out (pages and API tokens), and a person's own settings."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.services import accounts, sign_in
from nucmed.services.auth import AuthenticationError, Identity, TokenKind
from nucmed.web.api_types import Code, LongText, ShortText
from nucmed.web.deps import SESSION_COOKIE, database, require, settings
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Anyone = Annotated[Identity, Depends(require())]

LOGIN_CSRF_COOKIE = "nucmed_login_csrf"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_SECONDS_PER_HOUR = 3600


def _secure(request: Request) -> bool:
    mode = settings(request).cookie_secure
    if mode == "auto":
        return request.url.hostname not in _LOOPBACK
    return mode == "always"


def _client_address(request: Request) -> str:
    """The address the request came from, as the server saw it (``request.client``). Behind
    a reverse proxy this is the proxy's, unless the server is told to trust its
    ``X-Forwarded-For`` (uvicorn ``--forwarded-allow-ips``); nucmed itself never reads it."""
    return request.client.host if request.client is not None else "unknown"


def _attempt(
    request: Request, username: str, password: str, kind: TokenKind, lifetime_h: float
) -> str:
    given = sign_in.Credentials(username, password, _client_address(request))
    return sign_in.attempt(database(request), given, kind, lifetime_h)


def _refusal(refused: sign_in.SignInRefusedError) -> Message:
    if refused.retry_at is None:
        return Message.of(
            refusal(N_("too many failed sign-ins: ask an administrator to lift the lockout"))
        )
    return Message.of(
        refusal(
            N_("too many failed sign-ins: try again in {seconds} s"),
            seconds=refused.retry_after_s,
        )
    )


def _retry_headers(refused: sign_in.SignInRefusedError) -> dict[str, str]:
    return {"Retry-After": str(refused.retry_after_s)} if refused.retry_at is not None else {}


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no host) may follow the login."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _login_page(
    request: Request,
    next_path: str,
    error: str | Message | None,
    username: str,
    status_code: int = 200,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    context = {"next": next_path, "error": error, "username": username, "login_csrf": token}
    response = render(request, "login.html", context, status_code=status_code)
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
        secret = _attempt(request, username, password, "session", lifetime_h)
    except sign_in.SignInRefusedError as refused:
        page = _login_page(request, _safe_next(next), _refusal(refused), username, 429)
        page.headers.update(_retry_headers(refused))
        return page
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
def logout(request: Request, identity: Anyone) -> Response:
    """End the session."""
    accounts.sign_out(database(request), identity)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class TokenRequest(BaseModel):
    """Credentials for an API token."""

    username: ShortText
    password: LongText


@router.post("/api/auth/token", tags=["auth"])
def api_token(request: Request, body: TokenRequest) -> JSONResponse:
    """Exchange a username and password for a bearer token (``Authorization: Bearer ...``).

    Wrong credentials: 401. After five failures of the account or of the client's address
    since its last success, attempts are refused with 429 and ``Retry-After`` (seconds) for a
    delay that doubles with each further failure; after twenty, with 429 and no
    ``Retry-After``, until an administrator lifts the lockout."""
    lifetime_h = settings(request).session_hours
    try:
        secret = _attempt(request, body.username, body.password, "api", lifetime_h)
    except sign_in.SignInRefusedError as refused:
        return JSONResponse(
            {"detail": str(_refusal(refused))}, status_code=429, headers=_retry_headers(refused)
        )
    except AuthenticationError as error:
        return JSONResponse({"detail": str(error)}, status_code=401)
    return JSONResponse(
        {
            "access_token": secret,
            "token_type": "bearer",
            "expires_in_s": int(lifetime_h * _SECONDS_PER_HOUR),
        }
    )


def _me_json(me: accounts.AccountView) -> dict[str, Any]:
    return {
        "username": me.username,
        "full_name": me.full_name,
        "language": me.language,
        "activity_unit": me.activity_unit,
        "roles": [{"role": r.role, "site": r.site} for r in me.roles],
    }


@router.get("/api/me", tags=["auth"])
def api_me(request: Request, identity: Anyone) -> JSONResponse:
    """Who the token belongs to, and their roles at each site."""
    return JSONResponse(_me_json(accounts.my_account(database(request), identity)))


@router.get("/me", response_class=HTMLResponse, include_in_schema=False)
def my_settings(request: Request, identity: Anyone) -> HTMLResponse:
    """A person's own settings: language and how activities are shown."""
    me = accounts.my_account(database(request), identity)
    return render(request, "me.html", {"me": me, "saved": False, "error": None})


@router.post("/me", response_class=HTMLResponse, include_in_schema=False)
def save_my_settings(
    request: Request,
    identity: Anyone,
    language: Annotated[str, Form()] = "",
    activity_unit: Annotated[str, Form()] = "MBq",
) -> HTMLResponse:
    """Save the language (empty: follow the browser) and the activity unit."""
    error = None
    try:
        accounts.save_preferences(database(request), identity, language or None, activity_unit)
        request.state.identity = None  # read again: the page shows in the new language
    except NucmedInputError as problem:
        error = Message.of(problem)
    me = accounts.my_account(database(request), identity)
    context = {"me": me, "saved": error is None, "error": error}
    return render(request, "me.html", context, status_code=422 if error else 200)


@router.post("/me/password", response_class=HTMLResponse, include_in_schema=False)
def change_my_password(
    request: Request,
    identity: Anyone,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Change one's own password (the current one is asked again)."""
    error = None
    try:
        accounts.change_my_password(database(request), identity, current, new)
    except NucmedInputError as problem:
        error = Message.of(problem)
    context = {
        "me": accounts.my_account(database(request), identity),
        "saved": False,
        "error": error,
        "password_changed": error is None,
    }
    return render(request, "me.html", context, status_code=422 if error else 200)


class PreferencesBody(BaseModel):
    """How a person wants nucmed shown: a language (None: as the browser asks) and the unit
    of activities (``MBq`` or ``mCi``)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"language": "kk", "activity_unit": "MBq"}]}
    )

    language: Code | None = None
    activity_unit: Code = "MBq"


@router.put("/api/me/preferences", tags=["auth"])
def api_preferences(request: Request, body: PreferencesBody, identity: Anyone) -> JSONResponse:
    """Set one's language and activity unit (the same service as the My settings page); a
    language or unit nucmed does not offer is refused (422)."""
    me = accounts.save_preferences(
        database(request), identity, body.language or None, body.activity_unit
    )
    return JSONResponse(_me_json(me))


class PasswordBody(BaseModel):
    """The current password (asked again) and the new one (at least ten characters)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"current": "correct horse battery", "new": "a new long password"}]
        }
    )

    current: LongText
    new: LongText


@router.post("/api/me/password", tags=["auth"], status_code=204)
def api_password(request: Request, body: PasswordBody, identity: Anyone) -> Response:
    """Change one's own password; a wrong current password or a short new one is refused
    (422). Tokens already issued stay valid until they expire."""
    accounts.change_my_password(database(request), identity, body.current, body.new)
    return Response(status_code=204)
