"""A site's name and city in the readers' languages (issue 12, item 8).

A site is stored with its ``name`` and ``city`` as registered and, in ``Site.names``, the same
in other languages (``{"ru": {"name": ..., "city": ...}}``). Pages show the reader's; documents
the language they are printed in; a language the site has no name in shows ``name``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nucmed.store.models import Site

__all__ = ["SiteName", "local_name", "site_city_in", "site_name_in", "stored_names"]


@dataclass(frozen=True, slots=True)
class SiteName:
    """A site's name and city in one language."""

    name: str
    city: str


def local_name(
    name: str, city: str, names: tuple[tuple[str, SiteName], ...], language: str
) -> SiteName:
    """A site's name and city in ``language``: the one given for it, else ``name`` and ``city``.

    Examples
    --------
    >>> names = (("ru", SiteName("Отделение", "Алматы")),)
    >>> local_name("Department", "Almaty", names, "ru").name
    'Отделение'
    >>> local_name("Department", "Almaty", names, "kk").city
    'Almaty'
    """
    return dict(names).get(language, SiteName(name, city))


def stored_names(site: Site) -> tuple[tuple[str, SiteName], ...]:
    """A stored site's names in the readers' languages, sorted by language."""
    return tuple(
        (language, SiteName(str(local.get("name", site.name)), str(local.get("city", site.city))))
        for language, local in sorted((site.names or {}).items())
    )


def site_name_in(site: Site, language: str) -> str:
    """A stored site's name in ``language`` (a document printed in a chosen language)."""
    return local_name(site.name, site.city, stored_names(site), language).name


def site_city_in(site: Site, language: str) -> str:
    """A stored site's city in ``language``."""
    return local_name(site.name, site.city, stored_names(site), language).city
