"""A site's settings as stored and as defaulted: the shipped defaults (with their sources) for
a country, and the effective value of every setting (the newest stored row, else the
default)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from nucmed.data import read_rows
from nucmed.services.uow import Store
from nucmed.store.models import Site, SiteSetting

__all__ = ["SettingDefault", "effective_settings", "effective_values", "setting_defaults"]


@dataclass(frozen=True, slots=True)
class SettingDefault:
    """A default site setting with its source (a row of the defaults file)."""

    key: str
    value: float
    countries: str
    source: str
    status: str


@cache
def _all_defaults() -> tuple[SettingDefault, ...]:
    return tuple(
        SettingDefault(r["key"], float(r["value"]), r["countries"], r["source"], r["status"])
        for r in read_rows("site_setting_defaults.csv")
    )


def setting_defaults(country_code: str) -> list[SettingDefault]:
    """The default settings for a site in that country (ISO 3166-1 alpha-2)."""
    code = country_code.upper()
    return [d for d in _all_defaults() if d.countries == "*" or code in d.countries.split()]


def effective_settings(store: Store, site: Site) -> dict[str, SiteSetting]:
    """Every setting of a site: its newest stored value, else the default (not yet stored).

    A default added to nucmed after the site was created appears here with its source and
    no ``id``; changing it stores the first row for that key.
    """
    stored = store.sites.current_settings(site.id)
    merged = dict(stored)
    for default in setting_defaults(site.country_code):
        if default.key not in merged:
            merged[default.key] = SiteSetting(
                site_id=site.id,
                key=default.key,
                value=default.value,
                source=default.source,
                set_at=site.created_at,
                set_by_id=None,
                reason="default",
                supersedes_id=None,
            )
    return dict(sorted(merged.items()))


def effective_values(store: Store, site: Site) -> dict[str, Any]:
    """The value of every setting of a site, as :func:`effective_settings` gives it, without
    its record (what a use case reads on every request)."""
    values: dict[str, Any] = {d.key: d.value for d in setting_defaults(site.country_code)}
    values.update(store.sites.current_values(site.id))
    return values
