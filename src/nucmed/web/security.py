"""What guards every answer: security headers, idempotency keys on API creates, and an access
log without query strings.

:func:`protect` adds the two middlewares to an application; :func:`log_config` is uvicorn's
logging configuration with :class:`QueryScrubber` on the access log (search terms such as
``?q=`` may be patient names or hospital numbers).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nucmed.errors import NucmedInputError
from nucmed.services import idempotency
from nucmed.services.auth import Identity
from nucmed.services.uow import DatabaseBusyError
from nucmed.web.deps import database, identity_or_none

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DOCS_POLICY",
    "protect",
]

CallNext = Callable[[Request], Awaitable[Response]]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""The pages load their script (htmx) and style sheet from this server only. Inline styles
are allowed: templates and charts use ``style`` attributes and htmx adds its indicator
style. No inline script runs."""
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
"""The API's documentation page (Swagger UI) loads from its CDN and starts inline."""
_DOCS = frozenset({"/api/docs", "/api/docs/oauth2-redirect"})
_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STATIC = "/static/"
_SERVER_ERROR = 500
"""uvicorn's access record: client, method, path with query, HTTP version, status."""
_IDEMPOTENCY_KEY = "idempotency-key"


def _with_security_headers(path: str, headers: MutableHeaders) -> None:
    """Frame, content-type, referrer and content-security headers on every answer, and
    ``Cache-Control: no-store`` on every answer but static files (pages and the API may carry
    patient data)."""
    for name, value in _HEADERS.items():
        headers.setdefault(name, value)
    policy = DOCS_POLICY if path in _DOCS else CONTENT_SECURITY_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    if not path.startswith(_STATIC):
        headers["Cache-Control"] = "no-store"


class SecurityHeaders:
    """ASGI middleware: :func:`_with_security_headers` on the start of every HTTP answer (a
    plain ASGI wrapper, not ``BaseHTTPMiddleware``: no task and stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _with_security_headers(path, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _keyed(request: Request) -> str | None:
    if request.method != "POST" or not request.url.path.startswith("/api/"):
        return None
    return request.headers.get(_IDEMPOTENCY_KEY)


def _replayed(answer: idempotency.Answer) -> Response:
    kind = "application/json" if answer.body else None
    return Response(
        answer.body,
        status_code=answer.status_code,
        media_type=kind,
        headers={"Idempotent-Replayed": "true"},
    )


async def _settle(
    request: Request, identity: Identity, key: str, answer: idempotency.Answer | None
) -> None:
    """Keep the answer for the key, or release the key (None). A busy database leaves the
    key pending: the client's answer is not lost for it, and a retry after
    :data:`~nucmed.services.idempotency.ABANDONED` runs again."""
    try:
        if answer is None:
            await run_in_threadpool(idempotency.release, database(request), identity, key)
        else:
            await run_in_threadpool(idempotency.remember, database(request), identity, key, answer)
    except DatabaseBusyError:
        return


async def _answer_and_keep(
    request: Request, call_next: CallNext, identity: Identity, key: str
) -> Response:
    """Run the request; keep its answer for the key (a server error: release the key)."""
    try:
        response = await call_next(request)
    except BaseException:
        await _settle(request, identity, key, None)
        raise
    content = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    try:
        text: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    answer = None
    if text is not None and response.status_code < _SERVER_ERROR:
        answer = idempotency.Answer(response.status_code, text)
    await _settle(request, identity, key, answer)
    return Response(content, status_code=response.status_code, headers=dict(response.headers))


async def _claim(
    request: Request, identity: Identity, keyed: idempotency.Keyed
) -> idempotency.Answer | Response | None:
    """The stored answer, a refusal, or None when the key is claimed for this request."""
    try:
        return await run_in_threadpool(idempotency.claim, database(request), identity, keyed)
    except NucmedInputError as error:
        problem = [{"field": "Idempotency-Key", "message": str(error)}]
        return JSONResponse({"detail": problem}, status_code=422)
    except idempotency.KeyInUseError:
        detail = "a request with this Idempotency-Key is being answered: retry later"
        return JSONResponse({"detail": detail}, status_code=409, headers={"Retry-After": "1"})
    except DatabaseBusyError as busy:
        headers = {"Retry-After": str(busy.retry_after_s)}
        return JSONResponse({"detail": str(busy)}, status_code=503, headers=headers)


async def _idempotent(request: Request, call_next: CallNext) -> Response:
    """An API create (POST under ``/api``) with an ``Idempotency-Key`` from a signed-in
    client: a retry with the same key and body gets the first answer again (with
    ``Idempotent-Replayed: true``) and does not run; the same key with another body: 422; the
    same key while the first request runs: 409."""
    key = _keyed(request)
    if key is None:
        return await call_next(request)
    try:
        identity = await run_in_threadpool(identity_or_none, request)
    except DatabaseBusyError:
        identity = None  # the route asks again and answers 503 itself
    if identity is None:
        return await call_next(request)
    keyed = idempotency.Keyed(key, request.method, request.url.path, await request.body())
    claimed = await _claim(request, identity, keyed)
    if isinstance(claimed, idempotency.Answer):
        return _replayed(claimed)
    if claimed is not None:
        return claimed
    return await _answer_and_keep(request, call_next, identity, key)


class Idempotency:
    """ASGI middleware: an API create that carries an ``Idempotency-Key`` goes through
    :func:`_idempotent`; every other request passes straight on (no task, no buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.keyed = BaseHTTPMiddleware(app, dispatch=_idempotent)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send a keyed API create through the idempotency check, anything else on."""
        keyed = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].startswith("/api/")
            and any(name == _IDEMPOTENCY_KEY.encode() for name, _ in scope["headers"])
        )
        await (self.keyed if keyed else self.app)(scope, receive, send)


def protect(app: FastAPI) -> FastAPI:
    """Add the idempotency middleware and, outside it, the security headers (once: a second
    call changes nothing); the app."""
    if not getattr(app.state, "protected", False):
        app.add_middleware(Idempotency)
        app.add_middleware(SecurityHeaders)
        app.state.protected = True
    return app
