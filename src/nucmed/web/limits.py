"""The application's guard against input no route can take, and the last net for overflows.

:func:`register` adds two things to the application:

- a guard in front of routing (:class:`InputGuard`): a request whose path segments or query
  names and values hold a NUL character, a lone surrogate or bytes that are not UTF-8, or whose
  all-digit path segments exceed the largest id (:data:`nucmed.bounds.ID_MAX`), is answered
  422 in the API's shape ``{"detail": [{"field": "path" | "query", "message": ...}]}`` before
  any route runs (a page request: a short page in the browser's language, see
  :mod:`nucmed.web.errors`);
- a handler of FastAPI's validation errors that answers the same shape, each problem as its
  field (``body.activity_bq``) and message, without echoing the input (a NaN, a lone surrogate
  or 50 MB of text cannot make the answer itself fail);
- an exception handler that turns an ``OverflowError`` still escaping a calculation into the
  same 422 instead of a 500 (values the database refuses are turned into an input error by the
  unit of work, see :mod:`nucmed.services.uow`).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from nucmed import bounds
from nucmed.errors import N_, NucmedInputError

__all__ = ["InputGuard", "register"]

_MAX_URL_TEXT = 65536
"""Characters allowed in one path segment or query value (far more than any form sends)."""

_OVERFLOW = N_("a number is too large to compute with; give a value within its range")


def _text(raw: bytes) -> str:
    """Percent-decoded bytes as text; bytes that are not UTF-8 become lone surrogates."""
    data = unquote_to_bytes(raw)
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape")


def _check_path(raw_path: bytes) -> None:
    """Refuse a path with a NUL, a lone surrogate or an all-digit segment beyond 64 bits."""
    for segment in raw_path.split(b"/"):
        text = bounds.check_text(N_("path"), _text(segment), _MAX_URL_TEXT)
        if text.isascii() and text.isdigit():
            bounds.check_id(N_("record"), text)


def _check_query(query: bytes) -> None:
    """Refuse a query whose names or values hold a NUL or a lone surrogate."""
    for pair in query.split(b"&"):
        for part in pair.replace(b"+", b" ").split(b"=", 1):
            bounds.check_text(N_("query"), _text(part), _MAX_URL_TEXT)


def _refused(field: str | None, error: NucmedInputError | str) -> JSONResponse:
    return JSONResponse({"detail": [{"field": field, "message": str(error)}]}, status_code=422)


def _guarded(scope: Scope, field: str, error: NucmedInputError) -> Response:
    """The API's 422, or for a page the short error page in the browser's language (the
    request is not routed: no session is read)."""
    from nucmed.web import errors  # noqa: PLC0415 - errors imports the templates, after us

    request = Request(scope)
    return _refused(field, error) if errors.is_api(request) else errors.bare_page(request, 422)


class InputGuard:
    """ASGI middleware: answers 422 to a request whose path or query no route can take."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the path and the query of an HTTP request, then pass it on."""
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
            for field, check, raw in (
                ("path", _check_path, raw_path.split(b"?", 1)[0]),
                ("query", _check_query, scope.get("query_string", b"")),
            ):
                try:
                    check(raw)
                except NucmedInputError as error:
                    await _guarded(scope, field, error)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _overflow(_request: Request, _error: Exception) -> Response:
    return _refused(None, _OVERFLOW)


def _invalid(_request: Request, error: Exception) -> Response:
    """422 with each problem's field and message (the input is not echoed)."""
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [
        {
            "field": ".".join(str(part) for part in problem["loc"]),
            "message": str(problem["msg"]).removeprefix("Value error, "),
        }
        for problem in problems
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def register(app: FastAPI) -> None:
    """Add the input guard and the handlers of invalid input and overflows to ``app`` (call
    from ``create_app``)."""
    app.add_middleware(InputGuard)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(OverflowError, _overflow)
