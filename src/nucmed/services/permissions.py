"""Who may do what, at which site: the one permission model.

Every use case names the :class:`Permission` it needs and checks it in the service with
:func:`site_for` (a site by its code) or :func:`row_at_site` (a stored record and its site);
a person holds a permission at a site when one of their roles there (or an administrator's
role anywhere) is among the roles of :data:`PERMISSIONS`. The interfaces read the same table
to hide what a person may not do (a link, a form) and to state each endpoint's roles; hiding is
a courtesy, the refusal is the service's.

Refusals are :class:`AccessDeniedError` (the person may not) and :class:`NotFoundError` (no
such record); the web answers them 403 and 404, the command line with one line and status 2.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from nucmed.errors import N_, MessagePart, english
from nucmed.services.auth import Identity
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.vocabulary import Role

__all__ = [
    "PERMISSIONS",
    "AccessDeniedError",
    "AtSite",
    "NotFoundError",
    "Permission",
    "Role",
    "may",
    "roles_for",
    "row_at_site",
    "site_for",
    "user_may",
]


class Permission(enum.StrEnum):
    """What a use case needs; :data:`PERMISSIONS` says which roles grant it."""

    ANY = "any"
    """Anything every signed-in person may do: their own account, the calculators."""
    HOTLAB_READ = "hotlab.read"
    """Look at the hot lab: stock, day board, materials, calibrators, waste."""
    HOTLAB_WORK = "hotlab.work"
    """Receive, elute, test, label and draw; calibrator QC."""
    LICENCE_EDIT = "licence.edit"
    """Set the site's licence limits."""
    DOSE_REQUEST = "dose.request"
    """Order a patient's dose."""
    DOSE_OVERRIDE = "dose.override"
    """Accept a measured dose outside the tolerance, with a reason."""
    PATIENT_READ = "patient.read"
    """Find patients and open their pages and records."""
    PATIENT_REGISTER = "patient.register"
    """Register a patient."""
    ADMINISTER = "administration.record"
    """Record an administration."""
    DRL_AUDIT = "drl.audit"
    """Read the DRL audit of administrations."""
    EXCHANGE = "exchange"
    """Import and export dose records (RRDSR, FHIR, HL7 v2)."""
    THERAPY_READ = "therapy.read"
    """Read therapy courses, organ doses and release assessments."""
    THERAPY_WRITE = "therapy.write"
    """Plan courses, record cycles, measurements, organ doses and release."""
    WASTE_WORK = "waste.work"
    """Seal, store and release radioactive waste."""
    SETTINGS_EDIT = "settings.edit"
    """Change a site's settings (limits, DRLs, action levels)."""
    AUDIT_READ = "audit.read"
    """Read the audit trail."""
    AUDIT_CORRECT = "audit.correct"
    """Append a correction to an audit entry."""
    USERS_ADMIN = "users.admin"
    """Create users, grant and withdraw roles."""
    PHYSICIAN_DECISION = "physician.decision"
    """Decide as the physician, with a written reason: go on with a therapy cycle past an organ
    limit, give a dose to a patient who is pregnant."""


_HOTLAB_WORKERS = frozenset({Role.RADIOPHARMACIST, Role.PHYSICIST, Role.ADMIN})
_HOTLAB_READERS = _HOTLAB_WORKERS | {Role.RSO, Role.PHYSICIAN, Role.SUPERVISOR, Role.RESIDENT}
_AUDITORS = frozenset({Role.PHYSICIST, Role.RSO, Role.PHYSICIAN, Role.SUPERVISOR, Role.ADMIN})
_GIVERS = _HOTLAB_WORKERS | {Role.PHYSICIAN}
_THERAPISTS = frozenset({Role.PHYSICIAN, Role.PHYSICIST, Role.ADMIN})

PERMISSIONS: Mapping[Permission, frozenset[Role]] = {
    Permission.ANY: frozenset(Role),
    Permission.HOTLAB_READ: _HOTLAB_READERS,
    Permission.HOTLAB_WORK: _HOTLAB_WORKERS,
    Permission.LICENCE_EDIT: frozenset({Role.RSO, Role.ADMIN}),
    Permission.DOSE_REQUEST: frozenset({Role.PHYSICIAN, Role.RADIOPHARMACIST, Role.ADMIN}),
    Permission.DOSE_OVERRIDE: frozenset({Role.PHYSICIAN, Role.PHYSICIST, Role.ADMIN}),
    Permission.PATIENT_READ: _AUDITORS | _GIVERS,
    Permission.PATIENT_REGISTER: _GIVERS,
    Permission.ADMINISTER: _GIVERS,
    Permission.DRL_AUDIT: _AUDITORS,
    Permission.EXCHANGE: _AUDITORS | _GIVERS,
    Permission.THERAPY_READ: _AUDITORS,
    Permission.THERAPY_WRITE: _THERAPISTS,
    Permission.WASTE_WORK: frozenset({Role.RADIOPHARMACIST, Role.RSO, Role.ADMIN}),
    Permission.SETTINGS_EDIT: frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST}),
    Permission.AUDIT_READ: frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST, Role.SUPERVISOR}),
    Permission.AUDIT_CORRECT: frozenset({Role.ADMIN, Role.RSO}),
    Permission.USERS_ADMIN: frozenset({Role.ADMIN}),
    Permission.PHYSICIAN_DECISION: frozenset({Role.PHYSICIAN}),
}
"""The roles that grant each permission (at a site; an administrator's at every site)."""


@dataclass(frozen=True, slots=True)
class AtSite:
    """A record as the site's pages address it: the site's code and the record's id
    (``/sites/NM-ALA/calibrators/3`` is ``AtSite("NM-ALA", 3)``)."""

    code: str
    id: int


class _Refused(Exception):
    """A refusal that is not about the input: its English line and translatable parts."""

    def __init__(self, template: str, **values: object) -> None:
        self.parts: tuple[MessagePart, ...] = ((template, values),)
        super().__init__(english(self.parts))


class AccessDeniedError(_Refused):
    """The person's roles at the site do not grant what they asked to do (HTTP 403)."""


class NotFoundError(_Refused):
    """No such site or record (HTTP 404)."""


def roles_for(permission: Permission) -> frozenset[Role]:
    """The roles that grant ``permission``."""
    return PERMISSIONS[permission]


def may(store: Store, identity: Identity, site: Site, permission: Permission) -> bool:
    """Whether the person holds ``permission`` at ``site`` (administrators everywhere)."""
    return user_may(store, identity.user.id, site, permission)


def user_may(store: Store, user_id: int, site: Site, permission: Permission) -> bool:
    """Whether the user ``user_id`` holds ``permission`` at ``site`` (by a role held there or
    everywhere)."""
    held = store.users.roles_at(user_id, site.id)
    return bool(held & PERMISSIONS[permission])


def site_for(store: Store, identity: Identity, code: str, permission: Permission) -> Site:
    """The site with that code, if the person holds ``permission`` there.

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person's roles there do not grant ``permission``.
    """
    site = store.sites.by_code(code)
    if site is None:
        raise NotFoundError(N_("no site {code}"), code=code)
    if not may(store, identity, site, permission):
        raise AccessDeniedError(N_("your role at this site does not allow this"))
    return site


class _SiteRow(Protocol):
    site_id: int


RowT = TypeVar("RowT", bound=_SiteRow)


def row_at_site(
    store: Store, identity: Identity, model: type[RowT], row_id: int, permission: Permission
) -> tuple[Site, RowT]:
    """A stored record by its model and id, with its site, if the person holds ``permission``
    at that site.

    Raises
    ------
    NotFoundError
        There is no such record (the message names its kind: "no therapy course 7").
    AccessDeniedError
        The person's roles at the record's site do not grant ``permission``.
    """
    row = store.session.get(model, row_id)
    site = store.sites.by_id(row.site_id) if row is not None else None
    if row is None or site is None:
        what = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
        raise NotFoundError(N_("no {what} {id}"), what=what, id=row_id)
    return site_for(store, identity, site.code, permission), row
