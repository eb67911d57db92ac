"""Error pages: a page request that fails gets a page in the reader's language, the API its JSON.

:func:`register` wraps the application's exception handlers (call it last in ``create_app``):
a request under ``/api/`` (or with a bearer token, or asking for JSON only) still gets the
answer of the handler registered before (the JSON shapes the API documents); any other gets
``error.html``, with the signed-in layout and its navigation, one plain sentence and a link
back, and the same status code (401, 403, 404, 409, 422, 500, ...). A page request without a
session is still redirected to the sign-in page when it is a plain ``GET``; any other such
request gets the 401 page with a link to sign in.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from html import escape
from http import HTTPStatus
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from nucmed.errors import N_, Message, NucmedInputError
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.web.deps import SignInRequiredError
from nucmed.web.i18n import choose_language, localizer
from nucmed.web.templating import render

__all__ = ["bare_page", "is_api", "register"]

_log = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

TITLES = {
    401: N_("Sign in first"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Changed at the same time"),
    422: N_("This cannot be accepted"),
    500: N_("Something went wrong"),
}
"""The heading of each error page (other 4xx codes use 422's, other 5xx codes 500's)."""

SENTENCES = {
    401: N_("Your session has ended or you have not signed in yet. Sign in to go on."),
    403: N_("Your role does not allow this page or action."),
    404: N_("There is no such page or record. It may have been mistyped or never existed."),
    409: N_("Someone else changed this at the same moment. Reload the page and try again."),
    422: N_("The request holds a value this page cannot take. Go back and correct it."),
    500: N_(
        "Something went wrong on the server; nothing was saved by this request. Try again, "
        "and if it happens again, tell the administrator."
    ),
}
"""The plain sentence of each page when the error carries no translatable message."""

_DETAILS = frozenset(
    {N_("your role does not allow this"), N_("the form has expired: reload the page")}
)
"""The details of the application's own ``HTTPException`` answers, shown translated."""

_WRAPPED = (
    AccessDeniedError,
    NotFoundError,
    NucmedInputError,
    RequestValidationError,
    OverflowError,
    HTTPException,
)


def is_api(request: Request) -> bool:
    """Whether the request is a program's (answers stay JSON): under ``/api``, with a bearer
    token (a client posting to a page's address), or asking for JSON and not for HTML."""
    if (
        str(request.scope.get("path", "")).startswith("/api/")
        or "authorization" in request.headers
    ):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _kind(status: int) -> int:
    """The page kind of a status code: itself if it has its own page, else 422 or 500."""
    if status in TITLES:
        return status
    return HTTPStatus.INTERNAL_SERVER_ERROR if status >= HTTPStatus.INTERNAL_SERVER_ERROR else 422


def _sentence(status: int, error: Exception) -> str:
    """The error's own message if it is translatable (refusals and the application's own
    details), else the status's sentence (a record's kind in "no therapy course 7" is
    English, so a 404 says it plainly)."""
    detail = getattr(error, "detail", None)
    if isinstance(detail, str) and detail in _DETAILS:
        return detail
    parts = getattr(error, "parts", ())
    if parts and status in (403, 422):
        message = Message(str(error))
        message.parts = tuple(parts)
        return message
    return SENTENCES[_kind(status)]


def _back(request: Request) -> str:
    """Where the "back" link goes: the page the reader came from on this server, else the
    dashboard."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        if referer.path != request.url.path:
            return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def _page(request: Request, status: int, error: Exception) -> Response:
    """The error page for a page request, in the reader's language."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    context = {
        "status": status,
        "heading": TITLES[_kind(status)],
        "sentence": _sentence(status, error),
        "back": _back(request),
        "sign_in": f"/login?next={quote(target)}" if status == HTTPStatus.UNAUTHORIZED else "",
    }
    headers = getattr(error, "headers", None)
    response = render(request, "error.html", context, status_code=status)
    if headers:
        response.headers.update(headers)
    return response


def bare_page(request: Request, status: int) -> Response:
    """A page that needs neither the database nor the templates (when they are what broke):
    the browser's language, one sentence and a link to the dashboard."""
    language = choose_language(None, request.headers.get("accept-language"))
    loc = localizer(language)
    text = escape(loc.gettext(SENTENCES[_kind(status)]))
    link = escape(loc.gettext("Back to the dashboard"))
    page = (
        f'<!doctype html><html lang="{language}"><title>nucmed</title>'
        f'<p>{text}</p><p><a href="/">{link}</a></p></html>'
    )
    return HTMLResponse(page, status_code=status)


def _status(error: Exception) -> int:
    if isinstance(error, HTTPException):
        return error.status_code
    if isinstance(error, AccessDeniedError):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    return 422


async def _answer(original: Handler, request: Request, error: Exception) -> Response:
    """What the handler registered before answers (the API's JSON)."""
    if inspect.iscoroutinefunction(original):
        return await original(request, error)  # type: ignore[no-any-return]
    answered = await run_in_threadpool(original, request, error)
    return await answered if inspect.isawaitable(answered) else answered


def _wrap(original: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await _answer(original, request, error)
        return await run_in_threadpool(_page, request, _status(error), error)

    return handle


async def _sign_in(request: Request, error: Exception, original: Handler) -> Response:
    """API and plain page GETs as before (401 JSON, redirect to sign in); otherwise the 401
    page (a form posted after the session ended, an HTMX request)."""
    if is_api(request) or (request.method == "GET" and "hx-request" not in request.headers):
        return await _answer(original, request, error)
    return await run_in_threadpool(_page, request, 401, error)


def _crash_page(request: Request) -> Response:
    try:
        return _page(request, 500, RuntimeError())
    except Exception:  # the templates or the database are what broke
        _log.exception("the error page itself failed")
        return bare_page(request, 500)


async def _crashed(request: Request, _error: Exception) -> Response:
    """500: Starlette's plain answer under /api (as before), the error page elsewhere (the
    server still logs the exception)."""
    if is_api(request):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return await run_in_threadpool(_crash_page, request)


def register(app: FastAPI) -> None:
    """Answer page requests that fail with error pages; API answers stay as registered."""
    for kind in _WRAPPED:
        original = app.exception_handlers.get(kind)
        if original is not None:
            app.add_exception_handler(kind, _wrap(original))
    signed_out = app.exception_handlers.get(SignInRequiredError)
    if signed_out is not None:
        kept: Handler = signed_out

        async def sign_in(request: Request, error: Exception) -> Response:
            return await _sign_in(request, error, kept)

        app.add_exception_handler(SignInRequiredError, sign_in)
    app.add_exception_handler(Exception, _crashed)
