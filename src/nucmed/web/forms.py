"""What every form of a site's pages does: read each field (keeping its error beside it), run
the action in one transaction, then go back to the page (303) or show it again (422)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.models import Site
from nucmed.web.deps import factory, site_for

__all__ = [
    "Action",
    "Errors",
    "Form",
    "PageAgain",
    "local_time",
    "posted",
    "read",
    "run",
    "submit",
]

T = TypeVar("T")
Errors = dict[str, str]
Form = dict[str, str]
Action = Callable[[Store, Identity, Site, Form, Errors], None]
PageAgain = Callable[[Request, Identity, str, tuple[str, Form, Errors]], Response]
"""Render the page again with ``(form key, values, errors)``, status 422."""


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


def local_time(site: Site) -> Callable[[str], datetime]:
    """Parse a time typed at the site: ISO 8601; without an offset, the site's local time."""
    zone = ZoneInfo(site.time_zone)
    return lambda text: units.parse_datetime(text, default_tz=zone)


def run(
    request: Request,
    identity: Identity,
    where: tuple[str, frozenset[Role], str],
    key: str,
    form: Form,
    act: Action,
    page: PageAgain,
) -> Response:
    """Run a form's action at site ``where[0]`` for ``where[1]`` roles; 303 to ``where[2]``."""
    code, roles, done = where
    errors: Errors = {}
    try:
        with transaction(factory(request)) as store:
            site = site_for(store, identity, code, roles)
            act(store, identity, site, form, errors)
    except NucmedInputError as error:
        errors["form"] = Message.of(error)
    if not errors:
        return RedirectResponse(done, status_code=303)
    return page(request, identity, code, (key, form, errors))


async def submit(
    request: Request,
    identity: Identity,
    where: tuple[str, frozenset[Role], str],
    names: Sequence[str],
    step: tuple[str, Action, PageAgain],
) -> Response:
    """Read the posted fields ``names`` and :func:`run` the action (off the event loop)."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in names}
    key, act, page = step
    return await run_in_threadpool(run, request, identity, where, key, form, act, page)
