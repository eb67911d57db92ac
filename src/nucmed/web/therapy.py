"""Therapy pages: a course with its organ totals against the limits, the cycles (entered, or
computed from serial measurements by the MIRD scheme with the fitted curve), and the patient's
release with written instructions in Russian, Kazakh or English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from nucmed import units
from nucmed.dosimetry.release_iodine import CONDITIONS
from nucmed.dosimetry.tac_plot import tac_svg
from nucmed.errors import Message, NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.sites import effective_settings
from nucmed.services.therapy import courses, release
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import OrganDose, Patient, TherapyCourse
from nucmed.store.models import Site
from nucmed.web.clinic import AUDITORS, THERAPISTS, patient_page_with
from nucmed.web.deps import at_site, factory, require
from nucmed.web.forms import Errors, Form, local_time, posted, read
from nucmed.web.i18n import LANGUAGES, localizer
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["parse_organ_doses", "router"]

router = APIRouter()


Reader = Annotated[Identity, Depends(require(*AUDITORS))]
Therapist = Annotated[Identity, Depends(require(*THERAPISTS))]

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

CYCLE_FIELDS = ("cycle", "doses", "method", "reason")
COURSE_FIELDS = ("indication", "agent", "planned_cycles")
MIRD_FIELDS = ("organ", "nuclide", "mass", "points")
RELEASE_FIELDS = ("nuclide", "activity", "effective_half_life", "language")


@dataclass(frozen=True, slots=True)
class Shown:
    """What a course page shows besides the course: the forms' values and errors, results."""

    form: Form
    errors: Errors
    results: dict[str, Any]


def _course(
    store: Store, identity: Identity, course_id: int, roles: frozenset[Role]
) -> tuple[Site, TherapyCourse]:
    return at_site(store, identity, (TherapyCourse, course_id), roles)


def _page(
    request: Request, identity: Identity, course_id: int, shown: Shown, status_code: int = 200
) -> HTMLResponse:
    with transaction(factory(request)) as store:
        site, course = _course(store, identity, course_id, AUDITORS)
        cycles = store.session.scalars(
            select(OrganDose)
            .where(OrganDose.course_id == course.id)
            .order_by(OrganDose.cycle, OrganDose.id)
        ).all()
        limits = courses.limits_for(store, site, course.agent)
        settings = effective_settings(store, site)
        context = {
            "site": site,
            "course": course,
            "patient": store.session.get(Patient, course.patient_id),
            "totals": courses.organ_totals(store, course),
            "limits": limits,
            "sources": {limit.setting: settings[limit.setting].source for limit in limits},
            "cycles": cycles,
            "may_treat": bool(store.users.roles_at(identity.user.id, site.id) & THERAPISTS),
            "languages": LANGUAGES,
            "i131_conditions": CONDITIONS,
            "form": shown.form,
            "errors": shown.errors,
            **shown.results,
        }
    return render(request, "therapy_course.html", context, status_code=status_code)


@router.get("/therapy-courses/{course_id}", response_class=HTMLResponse, include_in_schema=False)
def course_page(request: Request, course_id: int, identity: Reader) -> HTMLResponse:
    """A course: organ totals against their limits, the cycles, and the forms."""
    return _page(request, identity, course_id, Shown({}, {}, {}))


@router.post("/patients/{patient_id}/therapy-courses", include_in_schema=False)
async def open_course(request: Request, patient_id: int, identity: Therapist) -> Response:
    """Open a course for the patient; bad input shows the patient's page again (422)."""
    form = await posted(request, COURSE_FIELDS)
    errors: Errors = {}
    planned = read(errors, "planned_cycles", _planned_cycles, form["planned_cycles"])
    if planned is not None:
        try:
            with transaction(factory(request)) as store:
                site = _patient_site(store, identity, patient_id)
                made = courses.create_course(
                    store,
                    store.session.merge(identity.user),
                    site,
                    courses.CourseInput(
                        patient_id, form["indication"], form["agent"], planned, datetime.now(UTC)
                    ),
                )
                course_id = made.id
            return RedirectResponse(f"/therapy-courses/{course_id}", status_code=303)
        except NucmedInputError as error:
            errors["course_form"] = Message.of(error)
    return patient_page_with(request, identity, patient_id, (form, errors))


def _patient_site(store: Store, identity: Identity, patient_id: int) -> Site:
    return at_site(store, identity, (Patient, patient_id), THERAPISTS)[0]


def _planned_cycles(text: str) -> int:
    return _whole_number(text, "planned cycles")


def _whole_number(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise NucmedInputError(f"{what}: give a whole number, not {text!r}") from None


def parse_organ_doses(text: str) -> dict[str, float]:
    """Lines (or ``;``-separated parts) ``organ: dose``, e.g. ``kidneys: 6.5 Gy``, in Gy."""
    doses: dict[str, float] = {}
    for part in (p.strip() for p in text.replace(";", "\n").splitlines()):
        if not part:
            continue
        organ, _, value = part.partition(":")
        if not value.strip() or not organ.strip():
            raise NucmedInputError(f"write each organ as 'kidneys: 6.5 Gy', not {part!r}")
        doses[organ.strip().lower().replace(" ", "_")] = units.parse_absorbed_dose(value)
    if not doses:
        raise NucmedInputError("give at least one organ dose, e.g. kidneys: 6.5 Gy")
    return doses


@router.post("/therapy-courses/{course_id}/cycles", include_in_schema=False)
async def cycle_post(request: Request, course_id: int, identity: Therapist) -> Response:
    """Record a cycle's organ doses; a refusal (a limit passed) is shown with the input kept."""
    form = await posted(request, CYCLE_FIELDS)
    errors: Errors = {}
    doses = read(errors, "doses", parse_organ_doses, form["doses"])
    cycle = read(errors, "cycle", lambda text: _whole_number(text, "cycle"), form["cycle"])
    if doses is not None and cycle is not None:
        try:
            with transaction(factory(request)) as store:
                site, course = _course(store, identity, course_id, THERAPISTS)
                given = courses.CycleDoses(
                    cycle,
                    doses,
                    form["method"].strip() or "entered",
                    override_reason=form["reason"].strip() or None,
                )
                actor = store.session.merge(identity.user)
                courses.record_cycle(store, actor, site, course, given)
            return RedirectResponse(f"/therapy-courses/{course_id}", status_code=303)
        except NucmedInputError as error:
            errors["cycle_form"] = Message.of(error)
    return _page(request, identity, course_id, Shown(form, errors, {}), status_code=422)


def _measurements(site: Site) -> Callable[[str], tuple[list[float], list[float]]]:
    """Lines ``time; activity``: times typed at the site (from the first), activities."""
    when = local_time(site)

    def parse(text: str) -> tuple[list[float], list[float]]:
        lines = [line.split(";") for line in text.strip().splitlines() if line.strip()]
        if len(lines) < 3 or any(len(line) != 2 for line in lines):  # noqa: PLR2004 - MIRD needs 3
            raise NucmedInputError(
                "give 3 or more lines 'time; activity', e.g. '2026-11-23 10:00; 2.1 GBq'"
            )
        moments = [when(line[0].strip()) for line in lines]
        times = [(moment - moments[0]).total_seconds() for moment in moments]
        return times, [units.parse_activity(line[1]) for line in lines]

    return parse


@router.post("/therapy-courses/{course_id}/mird", include_in_schema=False)
async def mird_post(request: Request, course_id: int, identity: Therapist) -> Response:
    """An organ's dose from serial measurements (fit, TIA, S-value), shown with its curve;
    the result fills the cycle form, ready to be checked and recorded."""
    form = await posted(request, MIRD_FIELDS)
    errors: Errors = {}
    results: dict[str, Any] = {}
    with transaction(factory(request)) as store:
        site, _ = _course(store, identity, course_id, THERAPISTS)
    points = read(errors, "points", _measurements(site), form["points"])
    mass = read(errors, "mass", units.parse_mass, form["mass"]) if form["mass"].strip() else None
    if points is not None and "mass" not in errors:
        try:
            organ = form["organ"].strip().lower().replace(" ", "_")
            dose_gy, fit = courses.mird_cycle_dose(
                points[0], points[1], form["nuclide"], organ, mass
            )
            svg = tac_svg(fit, points, title=organ)
            results = {"curve": Markup(svg), "mird_dose_gy": dose_gy, "mird_fit": fit}
            doses = f"{organ}: {dose_gy:.3g} Gy"
            form |= {"doses": doses, "method": "MIRD, mono-exponential fit"}
        except NucmedInputError as error:
            errors["mird_form"] = Message.of(error)
    status = 422 if errors else 200
    return _page(request, identity, course_id, Shown(form, errors, results), status_code=status)


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
        site, _ = _course(store, identity, course_id, AUDITORS)
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
    return _page(request, identity, course_id, Shown(form, errors, results), status_code=status)
