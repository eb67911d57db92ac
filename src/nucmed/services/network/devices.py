"""The device accounts a site's listeners act as, and the calling AE titles a site accepts.

A listener (``nucmed dicom listen``, ``nucmed hl7 listen``) is not a person: it acts as its
site's device account of its kind, made on first start (audited as ``device.create``), whose
permissions are the device's own (:data:`nucmed.services.permissions.DEVICE_PERMISSIONS`),
never a person's role. Every record it makes names that account in the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.network import DeviceAccount, DicomNode
from nucmed.vocabulary import SiteKind

__all__ = [
    "Device", "DeviceKind", "add_node", "allow_calling_ae", "check_calling", "open_device",
    "site_zone",
]  # fmt: skip

DeviceKind = Literal["dicom", "hl7"]
_AE_TITLE: Final = re.compile(r"[\x20-\x5b\x5d-\x7e]{1,16}")  # PS3.5 6.2 AE: no backslash
_UNUSABLE_PASSWORD: Final = "!device"  # not an Argon2 hash: no password signs it in


@dataclass(frozen=True, slots=True)
class Device:
    """A site's listener as the services see it: its account, site and time zone."""

    user_id: int
    username: str
    kind: DeviceKind
    site_code: str
    site_name: str
    time_zone: str
    calling_ae_titles: tuple[str, ...]


def _site(store: Store, code: str | None) -> Site:
    """The site with that code; None: the installation's first hospital department."""
    if code is not None:
        site = store.sites.by_code(code)
        if site is None:
            raise NotFoundError(N_("no site {code}"), code=code)
        return site
    departments = [s for s in store.sites.all() if s.kind == SiteKind.DEPARTMENT]
    if not departments:
        raise NotFoundError(N_("no hospital department in this installation"))
    return min(departments, key=lambda s: s.id)


def _account(store: Store, site: Site, kind: DeviceKind) -> User:
    """The site's device account of that kind, made (and audited) if it is not there."""
    found = store.session.scalars(
        select(DeviceAccount).where(DeviceAccount.site_id == site.id, DeviceAccount.kind == kind)
    ).first()
    if found is not None:
        user = store.users.by_id(found.user_id)
        assert user is not None  # a foreign key
        return user
    user = User(username=f"device.{kind}.{site.code}".lower(), full_name=f"{kind.upper()} "
                f"node {site.code}", password_hash=_UNUSABLE_PASSWORD, language=None,
                activity_unit="MBq", home_site_id=site.id, is_active=False,
                created_at=store.now())  # fmt: skip
    store.session.add(user)
    store.session.flush()
    store.session.add(DeviceAccount(user_id=user.id, site_id=site.id, kind=kind,
                                    created_at=store.now()))  # fmt: skip
    record(store, None, Event("device.create", "user", user.id, site_id=site.id,
                              details={"kind": kind, "username": user.username}))  # fmt: skip
    return user


def _nodes(store: Store, site: Site) -> tuple[str, ...]:
    rows = store.session.scalars(select(DicomNode.ae_title).where(DicomNode.site_id == site.id))
    return tuple(sorted(rows))


def open_device(database: Database, kind: DeviceKind, code: str | None = None) -> Device:
    """The device account a listener of ``kind`` acts as at site ``code`` (the installation's
    first hospital department if None), made on first use.

    Raises
    ------
    NotFoundError
        No site has that code, or (no code) the installation has no hospital department.
    """
    with transaction(database) as store:
        site = _site(store, code)
        user = _account(store, site, kind)
        return Device(user.id, user.username, kind, site.code, site.name, site.time_zone,
                      _nodes(store, site))  # fmt: skip


def check_calling(store: Store, site: Site, calling_ae_title: str) -> None:
    """Refuse a calling AE title the site has not configured.

    Raises
    ------
    AccessDeniedError
        The site does not accept objects from that AE title.
    """
    if calling_ae_title.strip() not in _nodes(store, site):
        raise AccessDeniedError(
            N_("calling AE title {ae} is not configured at {site}"),
            ae=calling_ae_title.strip(), site=site.code,
        )  # fmt: skip


def add_node(
    store: Store, actor: User | None, site: Site, ae_title: str, description: str
) -> DicomNode:
    """Accept a calling AE title at a site (audited as ``dicom_node.add``).

    Raises
    ------
    NucmedInputError
        The AE title is not 1 to 16 printable characters without a backslash.
    """
    title = ae_title.strip()
    if not _AE_TITLE.fullmatch(title):
        raise refusal(N_("AE title {ae}: 1 to 16 printable characters, no backslash"),
                      ae=ae_title)  # fmt: skip
    node = DicomNode(site_id=site.id, ae_title=title, description=description,
                     added_at=store.now(), added_by_id=actor.id if actor else None)  # fmt: skip
    store.session.add(node)
    store.session.flush()
    record(store, actor, Event("dicom_node.add", "dicom_node", node.id, site_id=site.id,
                               details={"ae_title": title}))  # fmt: skip
    return node


def allow_calling_ae(database: Database, code: str, ae_title: str, description: str) -> str:
    """Accept a calling AE title at site ``code`` (the installation's operator, on the command
    line; audited without a person). A title already accepted is left as it is.

    Raises
    ------
    NotFoundError
        No site has that code.
    NucmedInputError
        The AE title is not 1 to 16 printable characters without a backslash.
    """
    with transaction(database) as store:
        site = _site(store, code)
        if ae_title.strip() not in _nodes(store, site):
            add_node(store, None, site, ae_title, description)
        return ae_title.strip()


def site_zone(database: Database, code: str | None = None) -> ZoneInfo:
    """The time zone of site ``code`` (the installation's first hospital department if None),
    in which an SR's date-times without offset are read.

    Raises
    ------
    NotFoundError
        No such site, or no hospital department.
    """
    with transaction(database, read_only=True) as store:
        return ZoneInfo(_site(store, code).time_zone)
