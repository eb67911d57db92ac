"""Waste held for decay as the interfaces use it: read a site's containers under its release
rule, open a container, put waste in, seal it, survey it for release. Each function is one unit
of work that checks its permission at the site and returns what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nucmed.errors import N_
from nucmed.services.auth import Identity, actor
from nucmed.services.hotlab import waste
from nucmed.services.permissions import (
    AtSite,
    NotFoundError,
    Permission,
    may,
    row_at_site,
    site_for,
)
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import WasteContainer
from nucmed.store.models import Site

__all__ = [
    "ContainerView",
    "ItemView",
    "SurveyView",
    "WasteBook",
    "add_waste",
    "open_container",
    "read_waste",
    "seal_container",
    "survey_container",
]


@dataclass(frozen=True, slots=True)
class ItemView:
    """Waste put in a container: a nuclide and its activity (Bq) at a time."""

    nuclide: str
    activity_bq: float
    reference_time: datetime
    material_id: int | None


@dataclass(frozen=True, slots=True)
class SurveyView:
    """A release survey: the dose rates (Sv/s) at the container and of the background, and
    whether it passed (and so released the container)."""

    measured_at: datetime
    dose_rate_sv_per_s: float
    background_sv_per_s: float
    passes: bool
    disposed: bool


@dataclass(frozen=True, slots=True)
class ContainerView:
    """A container, its contents and surveys, and where it stands under the site's rule.

    ``releasable``: its release date has come; ``due``: it has and the container is not
    disposed of yet, so the release survey is due.
    """

    id: int
    label: str
    mass_kg: float | None
    created_at: datetime
    items: tuple[ItemView, ...]
    sealed_at: datetime | None
    release_at: datetime | None
    release_basis: str
    surveys: tuple[SurveyView, ...]
    problem: str | None
    """Why the release date is unknown although the container is sealed (translatable)."""
    disposed: bool
    releasable: bool
    due: bool


@dataclass(frozen=True, slots=True)
class WasteBook:
    """A site's waste: the moment it was read, the release rule, the containers (newest
    first), and whether the reader may work on them."""

    site: SiteView
    at: datetime
    rule: waste.ReleaseRule
    containers: tuple[ContainerView, ...]
    may_work: bool


def _view(status: waste.ContainerStatus, now: datetime) -> ContainerView:
    box = status.container
    releasable = status.release_at is not None and status.release_at <= now
    return ContainerView(
        id=box.id,
        label=box.label,
        mass_kg=box.mass_kg,
        created_at=box.created_at,
        items=tuple(
            ItemView(i.nuclide, i.activity_bq, i.reference_time, i.material_id)
            for i in status.items
        ),
        sealed_at=status.sealed_at,
        release_at=status.release_at,
        release_basis=status.release_basis,
        surveys=tuple(
            SurveyView(
                s.measured_at, s.dose_rate_sv_per_s, s.background_sv_per_s, s.passes, s.disposed
            )
            for s in status.surveys
        ),
        problem=status.problem,
        disposed=status.disposed,
        releasable=releasable,
        due=releasable and not status.disposed,
    )


def read_waste(database: Database, identity: Identity, code: str) -> WasteBook:
    """The site's release rule and containers (:data:`Permission.HOTLAB_READ` there).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not look at its hot lab.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        now = store.now()
        return WasteBook(
            site=view_of_site(site),
            at=now,
            rule=waste.release_rule(store, site),
            containers=tuple(_view(status, now) for status in waste.containers(store, site)),
            may_work=may(store, identity, site, Permission.WASTE_WORK),
        )


def _container(
    store: Store, identity: Identity, code: str, container_id: int
) -> tuple[Site, WasteContainer]:
    """The container of that site, if the person may work on waste there."""
    site, row = row_at_site(store, identity, WasteContainer, container_id, Permission.WASTE_WORK)
    if site.code != code:
        raise NotFoundError(N_("no {what} {id}"), what="waste container", id=container_id)
    return site, row


def _status(store: Store, site: Site, row: WasteContainer) -> ContainerView:
    return _view(waste.container_status(store, site, row), store.now())


def open_container(
    database: Database, identity: Identity, code: str, label: str, mass_kg: float | None
) -> ContainerView:
    """Open a waste container at the site (:data:`Permission.WASTE_WORK`), audited.

    Raises
    ------
    NucmedInputError
        No label, or a mass that is not positive.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.WASTE_WORK)
        row = waste.create_container(store, actor(store, identity), site, label, mass_kg)
        return _status(store, site, row)


def add_waste(
    database: Database,
    identity: Identity,
    where: AtSite,
    given: waste.WasteItemInput,
) -> ContainerView:
    """Put waste in open container ``where``, audited.

    Raises
    ------
    NotFoundError
        No such container at that site.
    NucmedInputError
        The container is sealed; a negative activity; an unknown nuclide.
    """
    code, container_id = where.code, where.id
    with transaction(database) as store:
        site, row = _container(store, identity, code, container_id)
        waste.add_item(store, actor(store, identity), row, given)
        return _status(store, site, row)


def seal_container(
    database: Database,
    identity: Identity,
    where: AtSite,
    at: datetime | None,
    late_entry_reason: str | None = None,
) -> ContainerView:
    """Seal container ``where`` at ``at`` (None: now), audited;
    its decay clock starts.

    Raises
    ------
    NotFoundError
        No such container at that site.
    NucmedInputError
        It is sealed already, or empty; ``at`` in the future, or a late entry without its
        reason (:mod:`nucmed.services.event_times`).
    """
    code, container_id = where.code, where.id
    with transaction(database) as store:
        site, row = _container(store, identity, code, container_id)
        when = at or store.now()
        waste.seal(store, actor(store, identity), row, when, late_entry_reason)
        return _status(store, site, row)


def survey_container(
    database: Database, identity: Identity, where: AtSite, given: waste.SurveyInput
) -> ContainerView:
    """Record the release survey of container ``where``; a passed
    survey on or after the release date disposes of it (audited).

    Raises
    ------
    NotFoundError
        No such container at that site.
    NucmedInputError
        Not sealed, disposed of already, or surveyed before its release date.
    """
    code, container_id = where.code, where.id
    with transaction(database) as store:
        site, row = _container(store, identity, code, container_id)
        waste.survey(store, actor(store, identity), site, row, given)
        return _status(store, site, row)
