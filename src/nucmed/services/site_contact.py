"""A site's postal address and telephone, as printed on leaflets and documents.

An administrator (or whoever may change the site's settings) sets them on the settings page;
each change is audited as ``site.contact`` with the old and the new values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, transaction

__all__ = ["ADDRESS_MAX", "SiteContact", "change_site_contact"]

ADDRESS_MAX = 500
"""Longest address accepted (characters): a few printed lines."""

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,38}$")
"""Digits with spaces, brackets and dashes, an optional leading + (e.g. +7 727 123 45 67)."""


@dataclass(frozen=True, slots=True)
class SiteContact:
    """A site's postal address and telephone, as typed."""

    address: str
    phone: str


def _checked(contact: SiteContact) -> SiteContact:
    address = "\n".join(line.strip() for line in contact.address.strip().splitlines())
    phone = " ".join(contact.phone.split())
    if len(address) > ADDRESS_MAX:
        raise refusal(
            N_("the address is {length} characters long; at most {most}"),
            length=len(address),
            most=ADDRESS_MAX,
        )
    if phone and not _PHONE.match(phone):
        raise refusal(
            N_("{phone} is not a telephone number; write digits, e.g. +7 727 123 45 67"),
            phone=phone,
        )
    return SiteContact(address, phone)


def change_site_contact(
    database: Database, identity: Identity, code: str, contact: SiteContact
) -> SiteView:
    """Set the site's address and telephone (:data:`Permission.SETTINGS_EDIT` there), audited
    with the old and new values.

    Raises
    ------
    AccessDeniedError, NotFoundError
        The person may not change the site's settings; no such site.
    NucmedInputError
        An address longer than :data:`ADDRESS_MAX`, or a telephone with letters in it.
    """
    cleaned = _checked(contact)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SETTINGS_EDIT)
        details = {
            "postal_address": cleaned.address,
            "phone": cleaned.phone,
            "previous_postal_address": site.address,
            "previous_phone": site.phone,
        }
        site.address, site.phone = cleaned.address, cleaned.phone
        record(
            store,
            actor(store, identity),
            Event(
                "site.contact",
                "site",
                site.id,
                site_id=site.id,
                details=details,
            ),
        )
        return view_of_site(site)
