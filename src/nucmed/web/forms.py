"""What every form of a site's pages does: read each field (keeping its error beside it), call
the service (which owns the transaction and the permission), then go on (303) or show the page
again with the errors (422)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from nucmed import units
from nucmed.errors import Message, NucmedInputError

__all__ = [
    "Again",
    "Done",
    "Errors",
    "Form",
    "Step",
    "act",
    "act_on_post",
    "local_time",
    "posted",
    "read",
]

T = TypeVar("T")
Errors = dict[str, str]
Form = dict[str, str]


def read(errors: Errors, name: str, parse: Callable[[str], T], text: str) -> T | None:
    """Parse one field; on bad input keep the message for that field and return None."""
    try:
        return parse(text)
    except NucmedInputError as error:
        errors[name] = Message.of(error)
        return None


async def posted(request: Request, names: Sequence[str]) -> Form:
    """The posted form's fields ``names`` as text (missing fields empty)."""
    data = await request.form()
    return {name: str(data.get(name, "")) for name in names}


def local_time(time_zone: str) -> Callable[[str], datetime]:
    """Parse a time typed at the site: ISO 8601; without an offset, the site's local time.

    ``time_zone``: the site's IANA time zone (``"Asia/Almaty"``)."""
    zone = ZoneInfo(time_zone)
    return lambda text: units.parse_datetime(text, default_tz=zone)


def typed_local(moment: datetime, time_zone: str) -> str:
    """A moment as a person types it at the site (what :func:`local_time` reads back), to
    fill a time field in advance.

    Examples
    --------
    >>> from datetime import UTC
    >>> typed_local(datetime(2026, 12, 1, 19, 5, tzinfo=UTC), "Asia/Almaty")
    '2026-12-02 00:05'
    """
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%d %H:%M")


Step = Callable[[Form, Errors], Any]
"""A form's action: parse its fields into ``Errors`` (one message per field) and, when all are
good, call the service, which opens its own transaction and checks the permission; it may
return what it made (for :data:`Done`). A refusal is a :class:`~nucmed.errors.NucmedInputError`;
the service's AccessDeniedError and NotFoundError pass through to the 403 and 404 handlers."""
Again = Callable[[tuple[str, Form, Errors]], Response]
"""Render the page again with ``(form key, values, errors)``, status 422."""
Done = str | Callable[[Any], str]
"""Where to go after the step: a path, or a function of what the step returned (the new
record's page)."""


def act(
    key: str, form: Form, step: Step, again: Again, done: Done, *, refusal_key: str = "form"
) -> Response:
    """Run a form's ``step``: 303 to ``done`` when it succeeds, else the page ``again`` with the
    errors beside the fields, a refusal of the whole form under ``refusal_key``."""
    errors: Errors = {}
    made = None
    try:
        made = step(form, errors)
    except NucmedInputError as error:
        errors[refusal_key] = Message.of(error)
    if errors:
        return again((key, form, errors))
    return RedirectResponse(done if isinstance(done, str) else done(made), status_code=303)


async def act_on_post(
    request: Request, names: Sequence[str], key: str, step: Step, again: Again, done: Done
) -> Response:
    """Read the posted fields ``names`` and :func:`act` on them off the event loop (the
    service's transaction is synchronous)."""
    form = await posted(request, names)
    return await run_in_threadpool(act, key, form, step, again, done)
