"""An audit entry as people read it: the action's name and the details as rows of a table.

The details are stored as the service wrote them (JSON, names at the edges carrying their
unit: ``prescribed_mbq``, ``volume_ml``, ``entered_at``). Each row is the key's label in the
reader's language and the value formatted by the localizer: quantities with their unit in the
reader's script and 3 or 4 significant figures, moments in the site's time zone, codes by their
label, names as they were written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from nucmed import units
from nucmed.errors import N_, Word, refusal
from nucmed.services.audit_trail import TrailEntry, TrailPage, TrailQuery
from nucmed.web.i18n import Localizer
from nucmed.web.labels import AUDIT_ACTION_LABELS, AUDIT_DETAIL_LABELS, AUDIT_RECORD_LABELS
from nucmed.web.training_labels import (
    MINIMUM_ITEM_LABELS,
    TRAINING_DETAIL_LABELS,
    discipline_name,
)

__all__ = [
    "DetailRow",
    "ShownEntry",
    "action_label",
    "detail_rows",
    "page_link",
    "shown_entries",
    "trail_query",
]

_Format = Callable[[Localizer, float], str]

_BY_SUFFIX: tuple[tuple[str, _Format], ...] = (
    ("_mbq", lambda loc, v: loc.activity(v * units.BQ_PER_MBQ)),
    ("_bq", lambda loc, v: loc.activity(v)),
    ("_ml", lambda loc, v: loc.volume(v * units.M3_PER_ML)),
    ("_m3", lambda loc, v: loc.volume(v)),
    ("_h", lambda loc, v: loc.duration(v * units.SECONDS_PER_HOUR)),
    ("_s", lambda loc, v: loc.duration(v)),
    ("_gy", lambda loc, v: loc.dose(v, "Gy")),
    ("_kg", lambda loc, v: loc.mass(v)),
)
"""How a number is shown, by the unit its key ends with."""

_FRACTIONS = frozenset({"yield", "deviation"})
"""Keys whose numbers are fractions (shown as percentages)."""

_YIELD_SIDES = {
    "below": N_("below the warning level"),
    "above": N_("above the warning level"),
}
"""The side of an elution yield's warning (``nucmed.services.hotlab.yields``)."""

_VALUE_LABELS: Mapping[str, Mapping[str, str]] = {**TRAINING_DETAIL_LABELS, "side": _YIELD_SIDES}
"""For a detail key, the labels of the codes it holds (a code without one: by its own message)."""

_DISCIPLINE_KEYS = frozenset({"discipline", "elective"})
"""Keys whose codes are a programme's disciplines, named by the programme's data."""

_NONE = "—"


@dataclass(frozen=True, slots=True)
class DetailRow:
    """One row of an entry's details: its label and its value, both ready to show."""

    label: str
    value: str


def action_label(loc: Localizer, action: str) -> str:
    """The action's name in the reader's language (the code itself if it has no label)."""
    label = AUDIT_ACTION_LABELS.get(action)
    return loc.gettext(label) if label else action


def detail_rows(loc: Localizer, details: Mapping[str, Any], time_zone: str) -> list[DetailRow]:
    """The details of an entry as labelled rows, in the order they were written.

    Examples
    --------
    >>> from nucmed.web.i18n import localizer
    >>> [(r.label, r.value) for r in detail_rows(localizer("en"), {"volume_ml": 0.5}, "UTC")]
    [('Volume', '0.5 mL')]
    """
    return [
        DetailRow(_key_label(loc, key), _value(loc, key, value, time_zone))
        for key, value in details.items()
    ]


def _key_label(loc: Localizer, key: str) -> str:
    label = AUDIT_DETAIL_LABELS.get(key)
    return loc.gettext(label) if label else key


def _value(loc: Localizer, key: str, value: object, time_zone: str) -> str:
    if value is None or value in ([], {}, ""):
        return _NONE
    if isinstance(value, bool):
        return loc.gettext("yes") if value else loc.gettext("no")
    if isinstance(value, int | float):
        return _number(loc, key, float(value))
    if isinstance(value, str):
        return _text(loc, key, value, time_zone)
    return _nested(loc, key, value, time_zone)


def _nested(loc: Localizer, key: str, value: object, time_zone: str) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_value(loc, key, item, time_zone) for item in value)
    if isinstance(value, Mapping):
        return _mapping(loc, key, value, time_zone)
    return str(value)


def _number(loc: Localizer, key: str, value: float) -> str:
    if key in _FRACTIONS:
        return loc.percent(value)
    for suffix, shown in _BY_SUFFIX:
        if key.endswith(suffix):
            return shown(loc, value)
    return loc.number(value) if not value.is_integer() else f"{int(value)}"


def _text(loc: Localizer, key: str, value: str, time_zone: str) -> str:
    if key.endswith("_at"):
        try:
            return loc.moment(datetime.fromisoformat(value), time_zone)
        except ValueError:
            return value
    return _code(loc, key, value) if _is_code(value) else value


def _code(loc: Localizer, key: str, value: str) -> str:
    label = _VALUE_LABELS.get(key, {}).get(value)
    if label:
        return loc.gettext(label)
    named = discipline_name(value, loc.language) if key in _DISCIPLINE_KEYS else None
    return named or loc.gettext(value)


def _is_code(value: str) -> bool:
    """A stored code (``mo99_breakthrough``, ``approved``), translated by its label; names and
    free text are shown as written."""
    return value.isascii() and value.replace("_", "").replace("-", "").isalnum()


def _mapping(loc: Localizer, key: str, value: Mapping[str, Any], time_zone: str) -> str:
    """A nested value: organ doses (``{"kidneys": 4.2}`` under ``doses_gy``) keep the unit of
    their key; other keys are labelled like the entry's own."""
    unit_key = key if key.endswith(tuple(s for s, _ in _BY_SUFFIX)) else None
    parts = []
    for inner, item in value.items():
        label = loc.gettext(inner) if unit_key else _key_label(loc, inner)
        parts.append(f"{label}: {_value(loc, unit_key or inner, item, time_zone)}")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class ShownEntry:
    """An entry ready for the page: the action's and the record's names, the details' rows,
    the link to the record's whole trail and the record's number (or its code, named)."""

    entry: TrailEntry
    action: str
    entity: str
    details: list[DetailRow]
    record_link: str
    record_id: str


def shown_entries(loc: Localizer, page: TrailPage) -> list[ShownEntry]:
    """The entries of a page of the trail, named and formatted for the reader."""
    return [
        ShownEntry(
            entry,
            action_label(loc, entry.action),
            _record_label(loc, entry.entity),
            detail_rows(loc, entry.details, entry.time_zone),
            "/audit?" + urlencode({"entity": entry.entity, "entity_id": entry.entity_id}),
            _record_id(loc, entry.entity, entry.entity_id),
        )
        for entry in page.entries
    ]


_RECORD_CODES: Mapping[str, Mapping[str, str]] = {"training_requirement": MINIMUM_ITEM_LABELS}
"""Kinds of record whose trail is kept by a code (a programme minimum by its item), named."""


def _record_id(loc: Localizer, entity: str, entity_id: str) -> str:
    label = _RECORD_CODES.get(entity, {}).get(entity_id)
    return loc.gettext(label) if label else entity_id


def _record_label(loc: Localizer, entity: str) -> str:
    label = AUDIT_RECORD_LABELS.get(entity)
    return loc.gettext(label) if label else entity


def _day(name: str, text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(
            N_("the {name} must be a date like 2026-11-23; got {value}"),
            name=Word(name),
            value=text[:20],
        ) from None


def trail_query(params: Mapping[str, str]) -> TrailQuery:
    """The filters of the trail page from its query string (empty fields filter nothing).

    Raises
    ------
    NucmedInputError
        A day that is not a date, a page that is not a whole number.
    """
    page = params.get("page", "1").strip() or "1"
    if not page.isdigit():
        raise refusal(N_("the page must be a whole number from 1; got {page}"), page=page[:20])
    return TrailQuery(
        actor=params.get("actor", "").strip(),
        action=params.get("action", "").strip(),
        site=params.get("site", "").strip(),
        entity=params.get("entity", "").strip(),
        entity_id=params.get("entity_id", "").strip(),
        since=_day(N_("first day"), params.get("since", "")),
        until=_day(N_("last day"), params.get("until", "")),
        page=int(page[:12]),
    )


def page_link(params: Mapping[str, str], page: int) -> str:
    """The address of another page of the same filters."""
    kept = {key: value for key, value in params.items() if value and key != "page"}
    return "/audit?" + urlencode({**kept, "page": str(page)})
