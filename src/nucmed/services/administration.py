"""Administration as the interfaces use it: the people and their roles, and the audit trail.

Accounts are not kept per site, so their use cases ask for their permission anywhere
(:func:`granted_anywhere`). The trail is read per site: a reader sees the entries of the sites
where they hold :data:`Permission.AUDIT_READ` (an administrator every entry; an entry of no
site, such as a sign-in, only an administrator). A correction is asked for at the site of the
entry it corrects (an entry of no site: by a role held everywhere, an administrator's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.services import audit
from nucmed.services.accounts import RoleAt, roles_of
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import (
    PERMISSIONS,
    AccessDeniedError,
    NotFoundError,
    Permission,
    site_for,
)
from nucmed.services.sign_in import Lockout, current_lockouts
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.models import AuditEntry, Site
from nucmed.vocabulary import Role

__all__ = [
    "EntryView",
    "PeoplePage",
    "PersonView",
    "correct_entry",
    "create_person",
    "granted_anywhere",
    "people",
    "recent_entries",
    "record_trail",
]

RECENT_ENTRIES = 100
"""How many of the newest audit entries the trail page shows."""


def _everywhere(store: Store, identity: Identity, permission: Permission) -> bool:
    """Whether a role the person holds at every site (an administrator's) grants it."""
    return any(
        m.site_id is None and m.role in PERMISSIONS[permission]
        for m in store.users.memberships(identity.user.id)
    )


def _readable_sites(store: Store, identity: Identity) -> frozenset[int] | None:
    """The sites whose entries the person may read (None: every entry, of a site or none).

    Raises
    ------
    AccessDeniedError
        No role of theirs, anywhere, grants :data:`Permission.AUDIT_READ`.
    """
    granted_anywhere(store, identity, Permission.AUDIT_READ)
    if _everywhere(store, identity, Permission.AUDIT_READ):
        return None
    return frozenset(
        m.site_id
        for m in store.users.memberships(identity.user.id)
        if m.site_id is not None and m.role in PERMISSIONS[Permission.AUDIT_READ]
    )


def granted_anywhere(store: Store, identity: Identity, permission: Permission) -> None:
    """Refuse unless one of the person's roles, at any site, grants ``permission``.

    Raises
    ------
    AccessDeniedError
        None of their roles grants it.
    """
    held = {m.role for m in store.users.memberships(identity.user.id)}
    if not held & PERMISSIONS[permission]:
        raise AccessDeniedError(N_("your role at this site does not allow this"))


@dataclass(frozen=True, slots=True)
class PersonView:
    """An account and its roles."""

    id: int
    username: str
    full_name: str
    is_active: bool
    roles: tuple[RoleAt, ...]


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """Every account, the sites a role may be given at, the roles there are, and the
    accounts and client addresses locked out of signing in."""

    people: tuple[PersonView, ...]
    sites: tuple[SiteView, ...]
    all_roles: tuple[str, ...]
    lockouts: tuple[Lockout, ...]


def people(database: Database, identity: Identity) -> PeoplePage:
    """Everyone with an account and their roles (:data:`Permission.USERS_ADMIN`).

    Raises
    ------
    AccessDeniedError
        The person may not administer accounts.
    """
    with transaction(database, read_only=True) as store:
        granted_anywhere(store, identity, Permission.USERS_ADMIN)
        found = tuple(
            PersonView(u.id, u.username, u.full_name, u.is_active, roles_of(store, u.id))
            for u in store.users.all()
        )
        sites = tuple(view_of_site(site) for site in store.sites.all())
        roles = tuple(role.value for role in Role)
        return PeoplePage(found, sites, roles, current_lockouts(store))


def create_person(
    database: Database, identity: Identity, new: NewUser, role: str, site_code: str
) -> str:
    """Create an account with one role at one site (``site_code`` empty: everywhere), audited;
    the new username.

    Raises
    ------
    AccessDeniedError
        The person may not administer accounts.
    NucmedInputError
        Unknown role or site, a username taken or malformed, a short password.
    """
    try:
        chosen = Role(role)
    except ValueError:
        raise refusal(N_("unknown role '{role}'"), role=role) from None
    with transaction(database) as store:
        granted_anywhere(store, identity, Permission.USERS_ADMIN)
        site: Site | None = store.sites.by_code(site_code) if site_code else None
        if site_code and site is None:
            raise refusal(N_("unknown site '{code}'"), code=site_code)
        return create_user(store, actor(store, identity), new, [(chosen, site)]).username


@dataclass(frozen=True, slots=True)
class EntryView:
    """An audit entry: who (username; None: the system), when (UTC), what, to which record,
    why, and the entry it corrects."""

    id: int
    at: datetime
    actor: str | None
    site_id: int | None
    action: str
    entity: str
    entity_id: str
    reason: str | None
    details: Mapping[str, Any]
    corrects_id: int | None


def _views(store: Store, entries: Sequence[AuditEntry]) -> tuple[EntryView, ...]:
    names = {user.id: user.username for user in store.users.all()}
    return tuple(
        EntryView(
            e.id,
            e.at,
            names.get(e.actor_id) if e.actor_id else None,
            e.site_id,
            e.action,
            e.entity,
            e.entity_id,
            e.reason,
            dict(e.details),
            e.corrects_id,
        )
        for e in entries
    )


def recent_entries(database: Database, identity: Identity) -> tuple[EntryView, ...]:
    """The newest entries of the trail that the person may read, newest first: those of the
    sites where they hold :data:`Permission.AUDIT_READ` (an administrator: all).

    Raises
    ------
    AccessDeniedError
        The person may not read the trail anywhere.
    """
    with transaction(database, read_only=True) as store:
        sites = _readable_sites(store, identity)
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(RECENT_ENTRIES)
        if sites is not None:
            query = query.where(AuditEntry.site_id.in_(sites))
        return _views(store, store.session.scalars(query).all())


def record_trail(
    database: Database, identity: Identity, entity: str, entity_id: str
) -> tuple[EntryView, ...]:
    """The trail of one record, oldest first: the entries the person may read (see
    :func:`recent_entries`); empty when none.

    Raises
    ------
    AccessDeniedError
        The person may not read the trail anywhere.
    """
    with transaction(database, read_only=True) as store:
        sites = _readable_sites(store, identity)
        entries = store.audit.trail(entity, entity_id)
        if sites is not None:
            entries = [entry for entry in entries if entry.site_id in sites]
        return _views(store, entries)


def correct_entry(
    database: Database, identity: Identity, entry_id: int, reason: str, details: Mapping[str, Any]
) -> EntryView:
    """Append a correction to an entry; the original stays as it was
    (:data:`Permission.AUDIT_CORRECT` at the entry's site; for an entry of no site, by a role
    held at every site).

    Raises
    ------
    NotFoundError
        No such entry.
    AccessDeniedError
        The person may not correct the trail there.
    nucmed.services.audit.ReasonRequiredError
        Without a reason.
    """
    with transaction(database) as store:
        original = store.audit.by_id(entry_id)
        if original is None:
            raise NotFoundError(N_("no {what} {id}"), what="audit entry", id=entry_id)
        site = store.sites.by_id(original.site_id) if original.site_id else None
        if site is None:
            if not _everywhere(store, identity, Permission.AUDIT_CORRECT):
                raise AccessDeniedError(N_("your role at this site does not allow this"))
        else:
            site_for(store, identity, site.code, Permission.AUDIT_CORRECT)
        entry = audit.correct(store, actor(store, identity), original, reason, details)
        return _views(store, [entry])[0]
