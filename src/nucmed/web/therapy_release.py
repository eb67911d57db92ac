"""The release page of a therapy course: may the patient go home, and the written instructions
with the days of restriction, in Russian, Kazakh or English (the patient's language, which may
differ from the reader's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.services.therapy import release
from nucmed.services.uow import transaction
from nucmed.store.models import Site
from nucmed.web.clinic import AUDITORS
from nucmed.web.deps import factory
from nucmed.web.forms import Errors, read
from nucmed.web.i18n import LANGUAGES, localizer
from nucmed.web.labels import N_
from nucmed.web.therapy import Reader, Shown, course_at_site, course_page_with

__all__ = ["router"]

router = APIRouter()

INTRO = N_(
    "You were treated with {nuclide}. For some days your body gives off radiation; keeping "
    "these rules protects the people around you."
)
RULES = {
    "partner": N_(
        "Partner: sleep in a separate bed and keep at least 1 metre apart for {days} days "
        "(until {date})."
    ),
    "children": N_(
        "Children: do not hold children or keep them closer than 1 metre for {days} days "
        "(until {date})."
    ),
    "pregnant_women": N_(
        "Pregnant women: keep at least 1 metre away from pregnant women for {days} days "
        "(until {date})."
    ),
}
FREE = {
    "partner": N_("Partner: no special restriction."),
    "children": N_("Children: no special restriction."),
    "pregnant_women": N_("Pregnant women: no special restriction."),
}
HYGIENE = N_("Drink plenty of fluids, flush the toilet twice after use and wash your hands.")
CONTACT = N_("Questions: the nuclear medicine department, {site}.")


def _instructions(
    site: Site, result: release.Instructions, language: str
) -> tuple[str, list[str]]:
    """The patient's sheet in ``language``: the introduction, then one line per rule."""
    text = localizer(language).gettext
    today = datetime.now(UTC).astimezone(ZoneInfo(site.time_zone)).date()
    lines = []
    for group, days in result.restriction_days.items():
        if days:
            until = (today + timedelta(days=days)).isoformat()
            lines.append(text(RULES[group]).format(days=days, date=until))
        else:
            lines.append(text(FREE[group]))
    lines += [text(HYGIENE), text(CONTACT).format(site=site.name)]
    return text(INTRO).format(nuclide=result.assessment.nuclide), lines


@router.get(
    "/therapy-courses/{course_id}/release", response_class=HTMLResponse, include_in_schema=False
)
def release_page(
    request: Request,
    course_id: int,
    identity: Reader,
    nuclide: str = "",
    activity: str = "",
    effective_half_life: str = "",
    i131_condition: str = "",
    language: str = "ru",
) -> HTMLResponse:
    """May the patient go home; the written instructions in the patient's language."""
    form = {
        "nuclide": nuclide,
        "activity": activity,
        "effective_half_life": effective_half_life,
        "i131_condition": i131_condition,
        "language": language if language in LANGUAGES else "ru",
    }
    errors: Errors = {}
    activity_bq = read(errors, "activity", units.parse_activity, activity)
    half_life_s = (
        read(errors, "effective_half_life", units.parse_duration, effective_half_life)
        if effective_half_life.strip()
        else None
    )
    results: dict[str, Any] = {}
    with transaction(factory(request)) as store:
        site, _ = course_at_site(store, identity, course_id, AUDITORS)
        if activity_bq is not None and not errors:
            try:
                given = release.ReleaseInput(
                    nuclide, activity_bq, half_life_s, i131_condition or None
                )
                result = release.release_instructions(store, site, given)
                intro, lines = _instructions(site, result, form["language"])
                results = {"release": result, "sheet_intro": intro, "sheet_lines": lines}
            except NucmedInputError as error:
                errors["release_form"] = Message.of(error)
    status = 422 if errors and activity.strip() else 200
    shown = Shown(form, errors, results)
    return course_page_with(request, identity, course_id, shown, status_code=status)
