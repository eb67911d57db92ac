"""What the therapy pages share (not a router): the course page with the forms' values, errors
and results, and the parsing of the course forms' fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.catalogue import translations
from nucmed.dosimetry.svalues import ORGANS
from nucmed.errors import N_, Word, refusal
from nucmed.services.auth import Identity
from nucmed.services.therapy.course_view import read_course
from nucmed.services.therapy.release_records import release_records
from nucmed.web.deps import database
from nucmed.web.forms import Errors, Form, act, local_time
from nucmed.web.i18n import LANGUAGES
from nucmed.web.labels import ORGAN_LABELS
from nucmed.web.templating import render

__all__ = [
    "TUMOUR",
    "Shown",
    "Step",
    "act_on_form",
    "administration_id",
    "course_page_with",
    "cycle_number",
    "measured_region",
    "optional_mass",
    "organ_key",
    "parse_organ_doses",
    "planned_cycles",
    "points_at",
]


FORMS = ("administration", "measurement", "dose", "release")
"""The course page's forms, by the prefix of their fields' ids. Several share field names
(``nuclide``, ``activity``, ``cycle``, ``late_entry_reason``), so each form is shown with the
values and errors of its own post only."""


@dataclass(frozen=True, slots=True)
class Shown:
    """What a course page shows besides the course: values and errors, shown in the forms
    named in ``forms`` (of :data:`FORMS`; the others are shown empty), and results."""

    form: Form
    errors: Errors
    results: dict[str, Any]
    forms: tuple[str, ...]


def course_page_with(
    request: Request, identity: Identity, course_id: int, shown: Shown, status_code: int = 200
) -> HTMLResponse:
    """The course page with the values and errors in the forms they belong to, and any
    results."""
    view = read_course(database(request), identity, course_id)
    values = {name: shown.form if name in shown.forms else {} for name in FORMS}
    problems = {name: shown.errors if name in shown.forms else {} for name in FORMS}
    context: dict[str, Any] = {
        "view": view,
        "site": view.site,
        "course": view.course,
        "patient": view.patient,
        "languages": LANGUAGES,
        "forms": values,
        "form_errors": problems,
        "release_records": release_records(database(request), identity, course_id),
        **shown.results,
    }
    return render(request, "therapy_course.html", context, status_code=status_code)


Step = Callable[[Form, Errors], str | None]
"""A form's action: parse the fields into ``Errors`` and, when all are good, call the service;
return where to go next (None when a field was bad)."""


def act_on_form(
    form: Form, step: Step, error_key: str, again: Callable[[Form, Errors], Response]
) -> Response:
    """Run ``step`` (:func:`~nucmed.web.forms.act`): 303 to where it says, else the page
    ``again`` with the errors beside the fields, or under ``error_key`` for a refusal of the
    whole form (status 422)."""
    return act(
        error_key,
        form,
        step,
        lambda shown: again(shown[1], shown[2]),
        str,
        refusal_key=error_key,
    )


def _whole_number(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise refusal(
            N_("{what}: give a whole number, not '{text}'"), what=Word(what), text=text
        ) from None


def planned_cycles(text: str) -> int:
    """The number of cycles planned, a whole number."""
    return _whole_number(text, N_("planned cycles"))


def cycle_number(text: str) -> int:
    """A cycle's number in its course."""
    return _whole_number(text, N_("cycle"))


def administration_id(text: str) -> int:
    """A hot-lab administration's id."""
    return _whole_number(text, N_("administration"))


def optional_mass(text: str) -> float | None:
    """A region's mass in kg; blank for none."""
    return units.parse_mass(text) if text.strip() else None


@cache
def _organ_keys() -> dict[str, str]:
    """Each organ of the limits and S-values by its key and by its label in every language
    (case aside): ``red marrow``, ``красный костный мозг``, ``қызыл сүйек кемігі``."""
    keys: dict[str, str] = {}
    for organ in ORGAN_LABELS:
        names = {organ, organ.replace("_", " ")}
        names |= {translations(language).gettext(organ) for language in LANGUAGES}
        keys |= {name.casefold(): organ for name in names}
    return keys


def organ_key(name: str) -> str:
    """An organ by its key (``red_marrow``) whether given by key or by label in any language;
    any other name (a tumour's) as typed, ends trimmed.

    Examples
    --------
    >>> organ_key("Красный костный мозг "), organ_key("очаг в печени 1")
    ('red_marrow', 'очаг в печени 1')
    """
    typed = " ".join(name.split())
    return _organ_keys().get(typed.casefold(), typed)


def parse_organ_doses(text: str) -> dict[str, float]:
    """Lines (or ``;``-separated parts) ``organ: dose``, e.g. ``kidneys: 6.5 Gy``, in Gy; an
    organ by its key or its label in any language (:func:`organ_key`)."""
    doses: dict[str, float] = {}
    for part in (p.strip() for p in text.replace(";", "\n").splitlines()):
        if not part:
            continue
        organ, _, value = part.partition(":")
        if not value.strip() or not organ.strip():
            raise refusal(
                N_("write each organ as '{organ}: 6.5 Gy', not '{part}'"),
                organ=Word(N_("kidneys")),
                part=part,
            )
        doses[organ_key(organ)] = units.parse_absorbed_dose(value)
    if not doses:
        raise refusal(
            N_("give at least one organ dose, e.g. {organ}: 6.5 Gy"), organ=Word(N_("kidneys"))
        )
    return doses


def points_at(time_zone: str) -> Callable[[str], tuple[list[datetime], list[float]]]:
    """Parse lines ``time; activity`` typed at a site in ``time_zone`` (3 or more)."""
    when = local_time(time_zone)

    def parse(text: str) -> tuple[list[datetime], list[float]]:
        lines = [line.split(";") for line in text.strip().splitlines() if line.strip()]
        if len(lines) < 3 or any(len(line) != 2 for line in lines):  # noqa: PLR2004 - MIRD: 3
            raise refusal(
                N_("give 3 or more lines 'time; activity', e.g. '2026-11-23 14:00; 2.1 GBq'")
            )
        moments = [when(line[0].strip()) for line in lines]
        return moments, [units.parse_activity(line[1]) for line in lines]

    return parse


TUMOUR = "tumour"
"""The measurement form's choice of a tumour (named in its own field) rather than an organ."""


def measured_region(tumour: str) -> Callable[[str], str]:
    """Read the measurement form's region: an organ of the S-value table chosen from the list,
    or, with :data:`TUMOUR`, the tumour's name typed in ``tumour``."""

    def parse(choice: str) -> str:
        if not choice:
            raise refusal(N_("choose the organ or tumour measured"))
        if choice in ORGANS:
            return choice
        if choice == TUMOUR:
            if not tumour.strip():
                raise refusal(N_("name the tumour measured"))
            return tumour.strip()
        raise refusal(
            N_("'{region}' is not in the list: choose an organ, or a tumour and give its name"),
            region=choice[:40],
        )

    return parse
