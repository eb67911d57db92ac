"""Sites (producers and departments) and their settings.

Every site is created with the default settings of ``nucmed/data/site_setting_defaults.csv``
(regulatory limits, eluate limits), each with its source. A change is a new, audited row with a
reason; the old value stays in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import (
    AccessDeniedError,
    NotFoundError,
    Permission,
    may,
    site_for,
)
from nucmed.services.setting_ranges import SettingRange, is_drl_key, setting_range
from nucmed.services.site_defaults import effective_settings, setting_defaults
from nucmed.services.site_names import SiteName, local_name, stored_names
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, SiteSetting, User
from nucmed.vocabulary import SiteKind

__all__ = [
    "SettingChange",
    "SettingView",
    "SettingsPage",
    "SiteSpec",
    "SiteView",
    "change_setting",
    "change_site_setting",
    "create_site",
    "read_settings",
    "setting_history",
    "setting_view",
    "site_view",
    "view_of_site",
    "visible_site",
]


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """What is needed to create a site."""

    code: str
    name: str
    kind: SiteKind
    city: str
    country_code: str
    time_zone: str
    address: str = ""
    """Postal address printed on leaflets and documents."""
    phone: str = ""
    """Telephone printed on leaflets and documents."""
    names: tuple[tuple[str, SiteName], ...] = ()
    """The name and city in the readers' languages (``("ru", SiteName(...))``); ``name`` and
    ``city`` stand for a language not given."""


def _check_spec(spec: SiteSpec) -> None:
    try:
        ZoneInfo(spec.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            N_("unknown time zone '{zone}'; use an IANA name such as Asia/Almaty"),
            zone=spec.time_zone,
        ) from None
    if len(spec.country_code) != 2 or not spec.country_code.isalpha():  # noqa: PLR2004
        raise refusal(N_("country code must be two letters (ISO 3166-1), e.g. KZ or KG"))


def create_site(store: Store, actor: User | None, spec: SiteSpec) -> Site:
    """Create a site with its default settings, in the caller's transaction (audited)."""
    _check_spec(spec)
    if store.sites.by_code(spec.code) is not None:
        raise refusal(N_("a site with code '{code}' exists already"), code=spec.code)
    now = store.now()
    site = store.sites.add(
        Site(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            city=spec.city,
            country_code=spec.country_code.upper(),
            time_zone=spec.time_zone,
            created_at=now,
            address=spec.address.strip(),
            phone=spec.phone.strip(),
            names={
                language: {"name": local.name.strip(), "city": local.city.strip()}
                for language, local in spec.names
            },
        )
    )
    for default in setting_defaults(site.country_code):
        store.sites.add_setting(
            SiteSetting(
                site_id=site.id,
                key=default.key,
                value=default.value,
                source=default.source,
                set_at=now,
                set_by_id=None,
                reason=N_("default at creation"),  # shown translated on the settings page
                supersedes_id=None,
            )
        )
    record(
        store,
        actor,
        Event(
            "site.create",
            "site",
            site.id,
            site_id=site.id,
            details={"code": site.code, "name": site.name, "kind": site.kind.value},
        ),
    )
    return site


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A new value for a site setting, where it comes from, and why it changes."""

    key: str
    value: float
    source: str
    reason: str


def change_setting(store: Store, actor: User, site: Site, change: SettingChange) -> SiteSetting:
    """Set a new value of a site setting; the old row stays, the new one supersedes it.

    Raises
    ------
    NucmedInputError
        Unknown key, or no source.
    nucmed.services.setting_ranges.SettingRangeError
        A value outside the setting's range (:mod:`nucmed.services.setting_ranges`); the
        message gives the range and the unit.
    nucmed.services.audit.ReasonRequiredError
        Without a reason.
    """
    key, value, source, reason = change.key, change.value, change.source, change.reason
    current = effective_settings(store, site)
    allowed = setting_range(key)
    if (key not in current and not is_drl_key(key)) or allowed is None:
        raise refusal(
            N_("unknown setting {key}; settings: {known}"),
            key=key,
            known=", ".join(sorted(current)),
        )
    allowed.check(value)
    if not source.strip():
        raise refusal(N_("say where the new value comes from"))
    previous = current.get(key)
    entry = record(
        store,
        actor,
        Event(
            "site_setting.change",
            "site_setting",
            f"{site.id}:{key}",
            site_id=site.id,
            reason=reason,
            details={
                "key": key,
                "from": previous.value if previous else None,
                "to": value,
                "source": source,
            },
        ),
    )
    return store.sites.add_setting(
        SiteSetting(
            site_id=site.id,
            key=key,
            value=value,
            source=source.strip(),
            set_at=entry.at,
            set_by_id=actor.id,
            reason=entry.reason,
            supersedes_id=previous.id if previous else None,
        )
    )


# --------------------------------------------------------------------------- use cases


@dataclass(frozen=True, slots=True)
class SiteView:
    """A site as the interfaces show it."""

    id: int
    code: str
    name: str
    kind: SiteKind
    city: str
    country_code: str
    time_zone: str
    """IANA time zone, e.g. ``Asia/Almaty``: times typed at the site are read in it."""
    address: str = ""
    """Postal address as printed on leaflets ('' until an administrator sets it)."""
    phone: str = ""
    """Telephone as printed on leaflets ('' until set)."""
    names: tuple[tuple[str, SiteName], ...] = ()
    """The name and city in the readers' languages; ``name`` and ``city`` for the others."""

    def name_in(self, language: str) -> str:
        """The site's name in ``language`` (``ru``, ``kk``, ``en``), else its ``name``.

        Examples
        --------
        >>> site = SiteView(1, "NM-X", "Department X", SiteKind.DEPARTMENT, "Almaty", "KZ",
        ...                 "Asia/Almaty", names=(("ru", SiteName("Отделение X", "Алматы")),))
        >>> site.name_in("ru"), site.name_in("kk")
        ('Отделение X', 'Department X')
        """
        return local_name(self.name, self.city, self.names, language).name

    def city_in(self, language: str) -> str:
        """The site's city in ``language``, else its ``city``."""
        return local_name(self.name, self.city, self.names, language).city


def view_of_site(site: Site) -> SiteView:
    """The view of a stored site."""
    return SiteView(
        site.id,
        site.code,
        site.name,
        site.kind,
        site.city,
        site.country_code,
        site.time_zone,
        site.address or "",
        site.phone or "",
        stored_names(site),
    )


@dataclass(frozen=True, slots=True)
class SettingView:
    """A setting's value in its stored unit (the one that ends its key), with its source."""

    key: str
    value: float
    source: str
    set_at: datetime
    set_by_id: int | None
    reason: str | None
    supersedes_id: int | None
    id: int | None
    """None for a default not yet stored."""
    allowed: SettingRange | None = None
    """The values a change may set (with the unit); None for a key nucmed no longer knows."""

    @property
    def in_range(self) -> bool:
        """False for a value stored before its range existed (the settings page flags it)."""
        return self.allowed is None or self.allowed.holds(self.value)


def setting_view(row: SiteSetting) -> SettingView:
    """The view of a setting row (stored or default), with its allowed range."""
    return SettingView(
        row.key,
        float(row.value),
        row.source,
        row.set_at,
        row.set_by_id,
        row.reason,
        row.supersedes_id,
        row.id,
        setting_range(row.key),
    )


@dataclass(frozen=True, slots=True)
class SettingsPage:
    """A site's settings, and whether the reader may change them."""

    site: SiteView
    settings: tuple[SettingView, ...]
    editable: bool


def visible_site(store: Store, identity: Identity, code: str) -> Site:
    """The site, if the person holds any role there; a site they have no part in is not
    shown to them (404, as if there were none).

    Raises
    ------
    NotFoundError
        No such site, or none of the person's roles is there.
    """
    try:
        return site_for(store, identity, code, Permission.ANY)
    except AccessDeniedError:
        raise NotFoundError(N_("no site {code}"), code=code) from None


def site_view(
    database: Database, identity: Identity, code: str, permission: Permission = Permission.ANY
) -> SiteView:
    """The site, if the person holds ``permission`` there (an interface reads its time zone
    before it parses the times typed at it).

    Raises
    ------
    NotFoundError
        No such site.
    AccessDeniedError
        The person's roles there do not grant ``permission``.
    """
    with transaction(database, read_only=True) as store:
        return view_of_site(site_for(store, identity, code, permission))


def read_settings(database: Database, identity: Identity, code: str) -> SettingsPage:
    """Every setting of a site with its source; ``editable`` when the reader may change them.

    Raises
    ------
    NotFoundError
        No such site, or the person holds no role there.
    """
    with transaction(database, read_only=True) as store:
        site = visible_site(store, identity, code)
        rows = effective_settings(store, site).values()
        editable = may(store, identity, site, Permission.SETTINGS_EDIT)
        return SettingsPage(view_of_site(site), tuple(setting_view(row) for row in rows), editable)


def setting_history(
    database: Database, identity: Identity, code: str, key: str
) -> tuple[SettingView, ...]:
    """Every value a setting of the site has had, newest first.

    Raises
    ------
    NotFoundError
        No such site, or the person holds no role there.
    """
    with transaction(database, read_only=True) as store:
        site = visible_site(store, identity, code)
        return tuple(setting_view(row) for row in store.sites.setting_history(site.id, key))


def change_site_setting(
    database: Database, identity: Identity, code: str, change: SettingChange
) -> SettingView:
    """Change a setting of the site (:data:`Permission.SETTINGS_EDIT` there), audited with its
    reason; the old value stays in the history.

    Raises
    ------
    AccessDeniedError, NotFoundError
        The person may not change settings there; no such site.
    NucmedInputError
        See :func:`change_setting`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SETTINGS_EDIT)
        return setting_view(change_setting(store, actor(store, identity), site, change))
