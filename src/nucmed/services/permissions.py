"""Who may do what, at which site: the one permission model.

Every use case names the :class:`Permission` it needs and checks it in the service with
:func:`site_for` (a site by its code) or :func:`row_at_site` (a stored record and its site);
a person holds a permission at a site when one of their roles there (or an administrator's
role anywhere) is among the roles of :data:`PERMISSIONS`. The interfaces read the same table
to hide what a person may not do (a link, a form) and to state each endpoint's roles; hiding is
a courtesy, the refusal is the service's.

A site's listeners (DICOM, HL7) act as a device account, not a person: it holds no role, only
the permissions :data:`DEVICE_PERMISSIONS` lists for its kind, at its own site, and the audit
trail names it like any user.

Refusals are :class:`AccessDeniedError` (the person may not) and :class:`NotFoundError` (no
such record); the web answers them 403 and 404, the command line with one line and status 2.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import select

from nucmed.errors import N_, MessagePart, english
from nucmed.services.auth import Identity
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.store.network import DeviceAccount
from nucmed.vocabulary import Role

__all__ = [
    "DEVICE_PERMISSIONS",
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
    RECONCILE = "exchange.reconcile"
    """Review the RRDSRs that did not become a record by themselves (a second SR of an
    administration on file) and close them with a reason: the physicist or physician."""
    THERAPY_READ = "therapy.read"
    """Read therapy courses, organ doses and release assessments."""
    THERAPY_WRITE = "therapy.write"
    """Plan courses, record cycles, measurements, organ doses and release."""
    WASTE_WORK = "waste.work"
    """Seal, store and release radioactive waste."""
    RELEASE_QUARANTINE = "quarantine.release"
    """Release a received package from quarantine, with a reason (the radiation safety
    officer's decision)."""
    SETTINGS_EDIT = "settings.edit"
    """Change a site's settings (limits, DRLs, action levels)."""
    AUDIT_READ = "audit.read"
    """Read the audit trail."""
    AUDIT_CORRECT = "audit.correct"
    """Append a correction to an audit entry."""
    USERS_ADMIN = "users.admin"
    """Create users, grant and withdraw roles."""
    HAEMATOLOGY = "haematology.classify"
    """Classify the genetic risk of AML (ELN 2022, ELN 2024): decision support for doctors."""
    TRAINING_READ = "training.read"
    """Read residents' logbooks, progress and assessments, the programme and courses."""
    TRAINING_LOG = "training.log"
    """Log one's own cases in the residency logbook (a resident)."""
    TRAINING_SIGN = "training.sign"
    """Sign off logbook cases, record assessments and credits (a supervisor of residents)."""
    TRAINING_DIRECT = "training.direct"
    """Enrol residents, set the programme's minimums, run courses and their attendance."""
    SAFETY_READ = "safety.read"
    """Read staff doses, dose alerts and the radiation safety dashboard."""
    SAFETY_WORK = "safety.work"
    """Register workers and dosimeters, import dose readings, set investigation levels and
    review dose alerts (the radiation safety officer)."""
    SUPPLY_ORDER = "supply.order"
    """Order radiopharmaceuticals from the producer for one's site, amend and cancel the orders,
    follow their shipments (a hospital's radiopharmacist)."""
    SUPPLY_DESK = "supply.desk"
    """See and handle every order addressed to the producer: plan, confirm, ship (the
    producer's order desk)."""
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
    Permission.RECONCILE: frozenset({Role.PHYSICIST, Role.PHYSICIAN, Role.ADMIN}),
    Permission.THERAPY_READ: _AUDITORS,
    Permission.THERAPY_WRITE: _THERAPISTS,
    Permission.WASTE_WORK: frozenset({Role.RADIOPHARMACIST, Role.RSO, Role.ADMIN}),
    Permission.RELEASE_QUARANTINE: frozenset({Role.RSO}),
    Permission.SETTINGS_EDIT: frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST}),
    Permission.AUDIT_READ: frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST, Role.SUPERVISOR}),
    Permission.AUDIT_CORRECT: frozenset({Role.ADMIN, Role.RSO}),
    Permission.USERS_ADMIN: frozenset({Role.ADMIN}),
    Permission.HAEMATOLOGY: frozenset({Role.PHYSICIAN, Role.RESIDENT, Role.SUPERVISOR}),
    Permission.PHYSICIAN_DECISION: frozenset({Role.PHYSICIAN}),
    Permission.SAFETY_READ: frozenset({Role.RSO, Role.PHYSICIST, Role.ADMIN}),
    Permission.SAFETY_WORK: frozenset({Role.RSO}),
    Permission.TRAINING_READ: frozenset({Role.RESIDENT, Role.SUPERVISOR, Role.ADMIN}),
    Permission.TRAINING_LOG: frozenset({Role.RESIDENT}),
    Permission.TRAINING_SIGN: frozenset({Role.SUPERVISOR}),
    Permission.TRAINING_DIRECT: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Permission.SUPPLY_ORDER: frozenset({Role.RADIOPHARMACIST, Role.ADMIN}),
    Permission.SUPPLY_DESK: frozenset({Role.ORDER_DESK, Role.ADMIN}),
}
"""The roles that grant each permission (at a site; an administrator's at every site)."""

DEVICE_PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    "dicom": frozenset({Permission.EXCHANGE, Permission.ADMINISTER, Permission.PATIENT_REGISTER}),
    "hl7": frozenset({Permission.EXCHANGE, Permission.PATIENT_REGISTER, Permission.DOSE_REQUEST}),
}
"""What a device account of each kind may do at its own site: the DICOM node stores objects
and records the administrations of RRDSRs (registering their patient); the HL7 node registers
and corrects patients and asks for ordered doses. Nothing else (no page, no settings)."""


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
    if held & PERMISSIONS[permission]:
        return True
    device = store.session.scalars(
        select(DeviceAccount).where(DeviceAccount.user_id == user_id)
    ).first()
    return (
        device is not None
        and device.site_id == site.id
        and (permission in DEVICE_PERMISSIONS.get(device.kind, frozenset()))
    )


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


def row_at_site(  # noqa: PLR0913 - the lock is keyword-only
    store: Store,
    identity: Identity,
    model: type[RowT],
    row_id: int,
    permission: Permission,
    *,
    lock: bool = False,
) -> tuple[Site, RowT]:
    """A stored record by its model and id, with its site, if the person holds ``permission``
    at that site; with ``lock``, the record's row is locked until the transaction ends
    (``SELECT ... FOR UPDATE`` on PostgreSQL; read once, locked).

    Raises
    ------
    NotFoundError
        There is no such record (the message names its kind: "no therapy course 7").
    AccessDeniedError
        The person's roles at the record's site do not grant ``permission``.
    """
    row = store.session.get(model, row_id, with_for_update=True if lock else None)
    site = store.sites.by_id(row.site_id) if row is not None else None
    if row is None or site is None:
        what = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
        raise NotFoundError(N_("no {what} {id}"), what=what, id=row_id)
    return site_for(store, identity, site.code, permission), row
