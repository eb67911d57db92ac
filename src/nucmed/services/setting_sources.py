"""The default settings' sources in the reader's language.

A default setting's source (``site_setting_defaults.csv``) is English prose around a citation.
``site_setting_sources.csv`` gives that prose in Russian and Kazakh; the settings page shows
it in the reader's language above the original, which stays quoted as written. A source a
site typed when it changed a setting is its own words and is shown as typed.
"""

from __future__ import annotations

from functools import cache

from nucmed.data import read_rows

__all__ = ["TRANSLATED", "default_sources", "translated_source"]

TRANSLATED = ("ru", "kk")
"""The languages the sources are translated into (English is the original)."""


@cache
def default_sources() -> dict[str, frozenset[str]]:
    """For each setting key, the texts of its default sources (one per country variant)."""
    found: dict[str, set[str]] = {}
    for row in read_rows("site_setting_defaults.csv"):
        found.setdefault(row["key"], set()).add(row["source"])
    return {key: frozenset(texts) for key, texts in found.items()}


@cache
def _translations() -> dict[str, dict[str, str]]:
    return {
        row["key"]: {language: row[language] for language in TRANSLATED}
        for row in read_rows("site_setting_sources.csv")
    }


def translated_source(key: str, source: str, language: str) -> str | None:
    """The source of setting ``key`` in ``language`` (``ru``, ``kk``), when it is still the
    default's text and a translation exists; else None (show it as written).

    Examples
    --------
    >>> text = next(iter(default_sources()["eluate_expiry_h"]))
    >>> translated_source("eluate_expiry_h", text, "ru").startswith("Инструкция")
    True
    >>> translated_source("eluate_expiry_h", "Department SOP 12", "ru") is None
    True
    """
    if language not in TRANSLATED or source not in default_sources().get(key, frozenset()):
        return None
    return _translations().get(key, {}).get(language) or None
