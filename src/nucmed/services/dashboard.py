"""What a person sees first: the sites they work at, and a site's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nucmed.services.auth import Identity
from nucmed.services.hotlab.quarantine import quarantined_at_site
from nucmed.services.permissions import Permission, may
from nucmed.services.site_defaults import effective_settings
from nucmed.services.sites import (
    SettingView,
    SiteView,
    setting_view,
    view_of_site,
    visible_site,
)
from nucmed.services.uow import Database, transaction
from nucmed.vocabulary import Role

__all__ = ["RecentEvent", "SiteDashboard", "site_dashboard", "visible_sites"]

RECENT_SHOWN = 10
"""How many of the site's newest audit entries the dashboard shows."""
_RECENT_SCANNED = 200
"""How many of the newest entries of every site are looked through for them."""


def visible_sites(database: Database, identity: Identity) -> tuple[SiteView, ...]:
    """The sites this person works at (an administrator, or a role held everywhere: all)."""
    with transaction(database, read_only=True) as store:
        everything = store.sites.all()
        memberships = store.users.memberships(identity.user.id)
        if any(m.site_id is None or m.role is Role.ADMIN for m in memberships):
            return tuple(view_of_site(site) for site in everything)
        mine = {m.site_id for m in memberships}
        return tuple(view_of_site(site) for site in everything if site.id in mine)


@dataclass(frozen=True, slots=True)
class RecentEvent:
    """An audit entry at the site: when (UTC) and what was done."""

    at: datetime
    action: str


@dataclass(frozen=True, slots=True)
class SiteDashboard:
    """A site's dashboard: the moment it was read, the reader's roles there, the settings at
    a glance (in their stored units) and the newest activity."""

    site: SiteView
    now: datetime
    my_roles: tuple[str, ...]
    settings: tuple[SettingView, ...]
    recent: tuple[RecentEvent, ...]
    quarantined: int = 0
    """Packages in quarantine at the site (0 for a person who may not read its hot lab)."""


def site_dashboard(database: Database, identity: Identity, code: str) -> SiteDashboard:
    """The dashboard of a site the person works at.

    Raises
    ------
    NotFoundError
        No such site, or the person holds no role there.
    """
    with transaction(database, read_only=True) as store:
        site = visible_site(store, identity, code)
        roles = sorted(role.value for role in store.users.roles_at(identity.user.id, site.id))
        recent = [e for e in store.audit.recent(_RECENT_SCANNED) if e.site_id == site.id]
        return SiteDashboard(
            site=view_of_site(site),
            now=store.now(),
            my_roles=tuple(roles),
            settings=tuple(setting_view(row) for row in effective_settings(store, site).values()),
            recent=tuple(RecentEvent(e.at, e.action) for e in recent[:RECENT_SHOWN]),
            quarantined=len(quarantined_at_site(store, site))
            if may(store, identity, site, Permission.HOTLAB_READ)
            else 0,
        )
