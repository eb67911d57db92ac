"""The audit trail as its page reads it: filtered (who, what, where, when, which record) and
in pages, newest first, each entry with its site's time zone.

A reader sees the entries of the sites where they hold :data:`Permission.AUDIT_READ` (an
administrator every entry), as :mod:`nucmed.services.administration` rules. The dates of the
"when" filter are days of the chosen site's calendar (no site chosen: the first site the
reader may read, by its code; an administrator of an installation without sites: UTC).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.services.administration import _readable_sites
from nucmed.services.auth import Identity
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import AuditEntry, Site

__all__ = ["PAGE_SIZE", "TrailEntry", "TrailPage", "TrailQuery", "search"]

PAGE_SIZE = 50
"""Entries shown on one page of the trail."""

_UTC = "UTC"


@dataclass(frozen=True, slots=True)
class TrailQuery:
    """What the reader asks for; empty texts and None dates filter nothing.

    Parameters
    ----------
    actor
        The username of who acted.
    action
        The action code (``material.receive``).
    site
        The site's code.
    entity, entity_id
        The record: its kind (``material``) and id.
    since, until
        The first and last day (inclusive) in the site's calendar.
    page
        Which page, from 1.
    """

    actor: str = ""
    action: str = ""
    site: str = ""
    entity: str = ""
    entity_id: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One entry: when (UTC, and the zone its site keeps), who (username and name; None: the
    system), where, what, to which record, why, its details and the entry it corrects."""

    id: int
    at: datetime
    time_zone: str
    actor: str | None
    actor_name: str | None
    site_code: str | None
    action: str
    entity: str
    entity_id: str
    reason: str | None
    details: Mapping[str, Any]
    corrects_id: int | None


@dataclass(frozen=True, slots=True)
class TrailPage:
    """A page of the trail, the choices of its filters and where it stands among the pages."""

    entries: tuple[TrailEntry, ...]
    total: int
    page: int
    pages: int
    time_zone: str
    people: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(username, full name) of everyone who acted in the entries the reader may read."""
    actions: tuple[str, ...] = ()
    """The action codes found in the entries the reader may read."""
    sites: tuple[SiteView, ...] = ()
    """The sites the reader may read (each with its names in the readers' languages)."""


def _check(query: TrailQuery) -> None:
    for name, day in ((N_("first day"), query.since), (N_("last day"), query.until)):
        if day is not None:
            bounds.check_date(name, day)
    if query.since and query.until and query.since > query.until:
        raise refusal(
            N_("the first day ({since}) is after the last day ({until}): swap them"),
            since=query.since.isoformat(),
            until=query.until.isoformat(),
        )
    if not 1 <= query.page <= bounds.ID_MAX:
        raise refusal(N_("the page must be a whole number from 1; got {page}"), page=query.page)


def _filtered(
    store: Store, query: TrailQuery, readable: frozenset[int] | None, zone: str
) -> Select[AuditEntry]:
    chosen = select(AuditEntry)
    if readable is not None:
        chosen = chosen.where(AuditEntry.site_id.in_(readable))
    if query.actor:
        person = store.users.by_username(query.actor)
        chosen = chosen.where(AuditEntry.actor_id == (person.id if person else -1))
    if query.site:
        site = store.sites.by_code(query.site)
        chosen = chosen.where(AuditEntry.site_id == (site.id if site else -1))
    for column, value in (
        (AuditEntry.action, query.action),
        (AuditEntry.entity, query.entity),
        (AuditEntry.entity_id, query.entity_id),
    ):
        if value:
            chosen = chosen.where(column == value)
    if query.since:
        chosen = chosen.where(AuditEntry.at >= _midnight(query.since, zone))
    if query.until:
        chosen = chosen.where(AuditEntry.at < _midnight(query.until + timedelta(days=1), zone))
    return chosen


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def _sites(store: Store, readable: frozenset[int] | None) -> list[Site]:
    return [site for site in store.sites.all() if readable is None or site.id in readable]


def search(database: Database, identity: Identity, query: TrailQuery) -> TrailPage:
    """The page of entries the reader asked for, newest first.

    Raises
    ------
    AccessDeniedError
        The person may not read the trail anywhere.
    NucmedInputError
        A day outside 1900-2100, the first day after the last, a page below 1.
    """
    _check(query)
    with transaction(database, read_only=True) as store:
        readable = _readable_sites(store, identity)
        sites = sorted(_sites(store, readable), key=lambda site: site.code)
        by_id = {site.id: site for site in sites}
        zone = next((s.time_zone for s in sites if s.code == query.site), None)
        zone = zone or (sites[0].time_zone if sites else _UTC)
        chosen = _filtered(store, query, readable, zone)
        total = store.session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
        rows = store.session.scalars(
            chosen.order_by(AuditEntry.id.desc())
            .offset((query.page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
        people = {user.id: user for user in store.users.all()}
        actions = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        actors = select(AuditEntry.actor_id).distinct()
        if readable is not None:
            actions = actions.where(AuditEntry.site_id.in_(readable))
            actors = actors.where(AuditEntry.site_id.in_(readable))
        acted = [people[i] for i in store.session.scalars(actors).all() if i in people]
        return TrailPage(
            entries=tuple(_entry(row, people, by_id, zone) for row in rows),
            total=total,
            page=query.page,
            pages=max(1, -(-total // PAGE_SIZE)),
            time_zone=zone,
            people=tuple(sorted((u.username, u.full_name) for u in acted)),
            actions=tuple(store.session.scalars(actions).all()),
            sites=tuple(view_of_site(site) for site in sites),
        )


def _entry(
    row: AuditEntry, people: Mapping[int, Any], sites: Mapping[int, Site], zone: str
) -> TrailEntry:
    person = people.get(row.actor_id) if row.actor_id else None
    site = sites.get(row.site_id) if row.site_id else None
    return TrailEntry(
        id=row.id,
        at=row.at,
        time_zone=site.time_zone if site else zone,
        actor=person.username if person else None,
        actor_name=person.full_name if person else None,
        site_code=site.code if site else None,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        reason=row.reason,
        details=dict(row.details or {}),
        corrects_id=row.corrects_id,
    )
