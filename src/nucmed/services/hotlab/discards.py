"""Discarding a drawn syringe (dropped, contaminated, the wrong activity): the request waits
again and may be drawn anew.

A discard is a record of its own (``draw_discards``, append-only) with the reason; the draw
stays, and what it took from its vial stays taken. :func:`discard_draw` is the use case
(:attr:`~nucmed.services.permissions.Permission.HOTLAB_WORK` at the request's site; audited);
:func:`is_discarded` tells the other use cases (label, administration) whether a draw is
still live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import NotFoundError, Permission, row_at_site
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, DoseRequest, Draw, DrawDiscard
from nucmed.store.models import Site

__all__ = ["DiscardMade", "discard_draw", "draw_site", "is_discarded"]


@dataclass(frozen=True, slots=True)
class DiscardMade:
    """A recorded discard: the draw, its request and site, when, and why."""

    draw_id: int
    request_id: int
    site_code: str
    discarded_at: datetime
    reason: str


def is_discarded(store: Store, draw_id: int) -> bool:
    """Whether the draw has been discarded (its request waits for a new draw)."""
    found = store.session.scalar(select(DrawDiscard.id).where(DrawDiscard.draw_id == draw_id))
    return found is not None


def _given(store: Store, draw_id: int) -> bool:
    found = store.session.scalar(
        select(Administration.id).where(Administration.draw_id == draw_id)
    )
    return found is not None


_ALREADY = N_("this draw has been discarded already")


def _check(store: Store, draw: Draw, reason: str) -> None:
    if not reason:
        raise refusal(N_("say why the syringe is discarded"))
    if is_discarded(store, draw.id):
        raise refusal(_ALREADY)
    if _given(store, draw.id):
        raise refusal(N_("this dose has been given: it cannot be discarded"))


def _draw_at_site(
    store: Store, identity: Identity, draw_id: int
) -> tuple[Site, DoseRequest, Draw]:
    draw = store.session.get(Draw, draw_id)
    if draw is None:
        raise NotFoundError(N_("no {what} {id}"), what="draw", id=draw_id)
    site, request = row_at_site(
        store, identity, DoseRequest, draw.request_id, Permission.HOTLAB_WORK
    )
    return site, request, draw


def draw_site(database: Database, identity: Identity, draw_id: int) -> SiteView:
    """The site of a draw, if the person may work in its hot lab (the page that discards the
    draw shows that site's board again).

    Raises
    ------
    NotFoundError
        No such draw.
    AccessDeniedError
        The person may not work in the hot lab of the draw's site.
    """
    with transaction(database, read_only=True) as store:
        site, _, _ = _draw_at_site(store, identity, draw_id)
        return view_of_site(site)


def discard_draw(database: Database, identity: Identity, draw_id: int, reason: str) -> DiscardMade:
    """Discard a drawn syringe, with the reason (hot-lab work at its site; write-locked, the
    request's row locked as for a draw; audited). The request is waiting again.

    Raises
    ------
    NotFoundError
        No such draw.
    AccessDeniedError
        The person may not work in the hot lab of the draw's site.
    NucmedInputError
        No reason; the draw has been discarded already or the dose has been given.
    """
    with transaction(database, write_lock=True) as store:
        site, request, draw = _draw_at_site(store, identity, draw_id)
        store.session.refresh(request, with_for_update=True)
        why = reason.strip()
        _check(store, draw, why)
        person = actor(store, identity)
        row = DrawDiscard(
            draw_id=draw.id, discarded_at=store.now(), discarded_by_id=person.id, reason=why
        )
        try:
            with store.session.begin_nested():
                store.session.add(row)
        except IntegrityError:  # discarded at the same moment by another transaction
            raise refusal(_ALREADY) from None
        details = {"draw": draw.id, "attempt": draw.attempt, "vial": draw.material_id}
        event = Event(
            "dose.discard",
            "dose_request",
            request.id,
            site_id=site.id,
            reason=why,
            details=details,
        )
        record(store, person, event)
        return DiscardMade(draw.id, request.id, site.code, row.discarded_at, why)
