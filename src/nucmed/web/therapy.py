"""Therapy course pages: the organ totals against the limits; each cycle's administration (from
the hot lab, or typed), the activities measured after it and an organ's dose from them (MIRD,
with the fitted curve); the organ doses of each cycle, refused past a limit unless a physician
gives a reason. The release page is :mod:`nucmed.web.therapy_release`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from nucmed import units
from nucmed.dosimetry.release_iodine import CONDITIONS
from nucmed.dosimetry.tac_plot import tac_svg
from nucmed.errors import N_, Message, NucmedInputError, Word, refusal
from nucmed.services.auth import Identity
from nucmed.services.sites import effective_settings
from nucmed.services.therapy import courses, cycles
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import Site
from nucmed.store.therapy import OrganDose, TherapyCourse, TherapyCycle, TherapyMeasurement
from nucmed.web.clinic import AUDITORS, THERAPISTS, patient_page_with
from nucmed.web.deps import at_site, factory, require
from nucmed.web.forms import Errors, Form, local_time, posted, read
from nucmed.web.i18n import LANGUAGES
from nucmed.web.templating import render

__all__ = [
    "Reader",
    "Shown",
    "course_at_site",
    "course_page_with",
    "parse_organ_doses",
    "router",
]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(*AUDITORS))]
Therapist = Annotated[Identity, Depends(require(*THERAPISTS))]

COURSE_FIELDS = ("indication", "agent", "planned_cycles")
ADMINISTRATION_FIELDS = ("number", "administration_id", "administered_at", "nuclide", "activity")
MEASUREMENT_FIELDS = ("cycle", "region", "mass", "model", "instrument", "points")
DOSE_FIELDS = ("cycle", "doses", "method", "reason")


@dataclass(frozen=True, slots=True)
class Shown:
    """What a course page shows besides the course: the forms' values and errors, results."""

    form: Form
    errors: Errors
    results: dict[str, Any]


def course_at_site(
    store: Store, identity: Identity, course_id: int, roles: frozenset[Role]
) -> tuple[Site, TherapyCourse]:
    """The course and its site, if the person holds one of ``roles`` there (else 403/404)."""
    return at_site(store, identity, (TherapyCourse, course_id), roles)


def _unlinked_administrations(store: Store, course: TherapyCourse) -> list[Administration]:
    linked = select(TherapyCycle.administration_id).where(
        TherapyCycle.administration_id.is_not(None)
    )
    return list(
        store.session.scalars(
            select(Administration)
            .where(
                Administration.patient_id == course.patient_id,
                Administration.id.not_in(linked),
            )
            .order_by(Administration.administered_at)
        )
    )


def _measured(store: Store, rows: list[TherapyCycle]) -> dict[int, dict[str, list[Any]]]:
    """Measurements per cycle id, then per region."""
    grouped: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    found = store.session.scalars(
        select(TherapyMeasurement)
        .where(TherapyMeasurement.cycle_id.in_([row.id for row in rows]))
        .order_by(TherapyMeasurement.measured_at, TherapyMeasurement.id)
    )
    for row in found:
        grouped[row.cycle_id][row.region].append(row)
    return grouped


def _context(
    store: Store, identity: Identity, site: Site, course: TherapyCourse
) -> dict[str, Any]:
    limits = courses.limits_for(store, site, course.agent)
    settings = effective_settings(store, site)
    given = cycles.cycles_of(store, course)
    doses = store.session.scalars(
        select(OrganDose)
        .where(OrganDose.course_id == course.id)
        .order_by(OrganDose.cycle, OrganDose.id)
    ).all()
    return {
        "site": site,
        "course": course,
        "patient": store.session.get(Patient, course.patient_id),
        "totals": courses.organ_totals(store, course),
        "limits": limits,
        "sources": {limit.setting: settings[limit.setting].source for limit in limits},
        "cycle_rows": given,
        "measured": _measured(store, given),
        "organ_doses": doses,
        "unlinked": _unlinked_administrations(store, course),
        "may_treat": bool(store.users.roles_at(identity.user.id, site.id) & THERAPISTS),
        "languages": LANGUAGES,
        "i131_conditions": CONDITIONS,
        "models": cycles.MODELS,
    }


def course_page_with(
    request: Request, identity: Identity, course_id: int, shown: Shown, status_code: int = 200
) -> HTMLResponse:
    """The course page with the forms' values, their errors and any results."""
    with transaction(factory(request)) as store:
        site, course = course_at_site(store, identity, course_id, AUDITORS)
        context = _context(store, identity, site, course)
    context |= {"form": shown.form, "errors": shown.errors, **shown.results}
    return render(request, "therapy_course.html", context, status_code=status_code)


def _dose_from_measurements(
    store: Store, course: TherapyCourse, query: Form, errors: Errors
) -> dict[str, Any]:
    """The organ's dose in a cycle from its stored measurements, for the page and the form."""
    number = read(errors, "cycle", _cycle_number, query["cycle"])
    mass = read(errors, "mass", units.parse_mass, query["mass"]) if query["mass"] else None
    cycle = cycles.cycle_by_number(store, course, number) if number is not None else None
    if cycle is None:
        errors.setdefault("measurement_form", Message.of(_no_cycle(query["cycle"])))
    if cycle is None or "mass" in errors:
        return {}
    try:
        fit_as = (query["model"] or "mono", mass)
        found = cycles.measured_dose(store, cycle, query["region"], fit_as)
    except NucmedInputError as error:
        errors["measurement_form"] = Message.of(error)
        return {}
    svg = tac_svg(found.fit, (found.times_s, found.activities_bq), title=query["region"])
    return {"curve": Markup(svg), "mird": found, "mird_cycle": cycle}


@router.get("/therapy-courses/{course_id}", response_class=HTMLResponse, include_in_schema=False)
def course_page(
    request: Request,
    course_id: int,
    identity: Reader,
    cycle: str = "",
    region: str = "",
    mass: str = "",
    model: str = "mono",
) -> HTMLResponse:
    """A course; with ``cycle`` and ``region``, that region's dose from its measurements, its
    curve, and the organ-dose form filled in with it."""
    if not (cycle and region):
        return course_page_with(request, identity, course_id, Shown({}, {}, {}))
    query = {"cycle": cycle, "region": region, "mass": mass.strip(), "model": model}
    errors: Errors = {}
    with transaction(factory(request)) as store:
        _, course = course_at_site(store, identity, course_id, AUDITORS)
        results = _dose_from_measurements(store, course, query, errors)
    form = dict(query)
    if "mird" in results:
        dose = results["mird"].absorbed_dose_gy
        method = f"MIRD, {results['mird'].fit.model} fit, S-value {results['mird'].s_value.method}"
        form |= {"doses": f"{region}: {dose:.3g} Gy", "method": method[:200]}
    shown = Shown(form, errors, results)
    return course_page_with(request, identity, course_id, shown, 422 if errors else 200)


@router.post("/patients/{patient_id}/therapy-courses", include_in_schema=False)
async def open_course(request: Request, patient_id: int, identity: Therapist) -> Response:
    """Open a course for the patient; bad input shows the patient's page again (422)."""
    form = await posted(request, COURSE_FIELDS)
    errors: Errors = {}
    planned = read(errors, "planned_cycles", _planned_cycles, form["planned_cycles"])
    if planned is not None:
        try:
            with transaction(factory(request)) as store:
                site = at_site(store, identity, (Patient, patient_id), THERAPISTS)[0]
                given = courses.CourseInput(
                    patient_id, form["indication"], form["agent"], planned, datetime.now(UTC)
                )
                actor = store.session.merge(identity.user)
                course_id = courses.create_course(store, actor, site, given).id
            return RedirectResponse(f"/therapy-courses/{course_id}", status_code=303)
        except NucmedInputError as error:
            errors["course_form"] = Message.of(error)
    return patient_page_with(request, identity, patient_id, (form, errors))


def _whole_number(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise refusal(
            N_("{what}: give a whole number, not '{text}'"), what=Word(what), text=text
        ) from None


def _no_cycle(number: str) -> NucmedInputError:
    return refusal(N_("record cycle {number}'s administration first"), number=number)


def _planned_cycles(text: str) -> int:
    return _whole_number(text, N_("planned cycles"))


def _cycle_number(text: str) -> int:
    return _whole_number(text, N_("cycle"))


def _administration_id(text: str) -> int:
    return _whole_number(text, N_("administration"))


def parse_organ_doses(text: str) -> dict[str, float]:
    """Lines (or ``;``-separated parts) ``organ: dose``, e.g. ``kidneys: 6.5 Gy``, in Gy."""
    doses: dict[str, float] = {}
    for part in (p.strip() for p in text.replace(";", "\n").splitlines()):
        if not part:
            continue
        organ, _, value = part.partition(":")
        if not value.strip() or not organ.strip():
            raise refusal(N_("write each organ as 'kidneys: 6.5 Gy', not '{part}'"), part=part)
        doses[organ.strip().lower().replace(" ", "_")] = units.parse_absorbed_dose(value)
    if not doses:
        raise refusal(N_("give at least one organ dose, e.g. kidneys: 6.5 Gy"))
    return doses


def _administration_input(site: Site, form: Form, errors: Errors) -> cycles.CycleAdministration:
    number = read(errors, "number", _cycle_number, form["number"])
    if form["administration_id"]:
        linked = read(errors, "administration_id", _administration_id, form["administration_id"])
        return cycles.CycleAdministration(number or 0, administration_id=linked)
    when = read(errors, "administered_at", local_time(site), form["administered_at"])
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    return cycles.CycleAdministration(
        number or 0, administered_at=when, nuclide=form["nuclide"], activity_bq=activity
    )


@router.post("/therapy-courses/{course_id}/administrations", include_in_schema=False)
async def administration_post(request: Request, course_id: int, identity: Therapist) -> Response:
    """Record a cycle's administration: the hot lab's, or typed (time, nuclide, activity)."""
    form = await posted(request, ADMINISTRATION_FIELDS)
    errors: Errors = {}
    try:
        with transaction(factory(request)) as store:
            site, course = course_at_site(store, identity, course_id, THERAPISTS)
            given = _administration_input(site, form, errors)
            if not errors:
                actor = store.session.merge(identity.user)
                cycles.record_administration(store, actor, site, course, given)
    except NucmedInputError as error:
        errors["administration_form"] = Message.of(error)
    if not errors:
        return RedirectResponse(f"/therapy-courses/{course_id}", status_code=303)
    return course_page_with(request, identity, course_id, Shown(form, errors, {}), 422)


def _points(site: Site, text: str) -> tuple[list[datetime], list[float]]:
    """Lines ``time; activity`` (times typed at the site)."""
    when = local_time(site)
    lines = [line.split(";") for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 3 or any(len(line) != 2 for line in lines):  # noqa: PLR2004 - MIRD needs 3
        raise refusal(
            N_("give 3 or more lines 'time; activity', e.g. '2026-11-23 14:00; 2.1 GBq'")
        )
    moments = [when(line[0].strip()) for line in lines]
    return moments, [units.parse_activity(line[1]) for line in lines]


@router.post("/therapy-courses/{course_id}/measurements", include_in_schema=False)
async def measurements_post(request: Request, course_id: int, identity: Therapist) -> Response:
    """Store a region's measurements after a cycle, then show its dose (MIRD) and curve.

    The measurements and the fit are checked together: measurements from which no dose can be
    computed (fewer than 3, not falling, no S-value) are not stored."""
    form = await posted(request, MEASUREMENT_FIELDS)
    errors: Errors = {}
    try:
        with transaction(factory(request)) as store:
            site, course = course_at_site(store, identity, course_id, THERAPISTS)
            number = read(errors, "cycle", _cycle_number, form["cycle"])
            points = read(errors, "points", lambda text: _points(site, text), form["points"])
            cycle = cycles.cycle_by_number(store, course, number) if number else None
            if cycle is None:
                errors.setdefault("cycle", Message.of(_no_cycle(form["cycle"])))
            if points is not None and cycle is not None and not errors:
                given = cycles.Measurements(form["region"], *points, form["instrument"])
                actor = store.session.merge(identity.user)
                region = cycles.record_measurements(store, actor, site, cycle, given)[0].region
                mass = units.parse_mass(form["mass"]) if form["mass"].strip() else None
                fit_as = (form["model"] or "mono", mass)
                cycles.measured_dose(store, cycle, region, fit_as)  # refuses before commit
                query = urlencode(
                    {
                        "cycle": cycle.number,
                        "region": region,
                        "mass": form["mass"].strip(),
                        "model": form["model"] or "mono",
                    }
                )
                return RedirectResponse(f"/therapy-courses/{course_id}?{query}", 303)
    except NucmedInputError as error:
        errors["measurement_form"] = Message.of(error)
    return course_page_with(request, identity, course_id, Shown(form, errors, {}), 422)


@router.post("/therapy-courses/{course_id}/organ-doses", include_in_schema=False)
async def organ_doses_post(request: Request, course_id: int, identity: Therapist) -> Response:
    """Record a cycle's organ doses; a refusal (a limit passed) is shown with the input kept."""
    form = await posted(request, DOSE_FIELDS)
    errors: Errors = {}
    doses = read(errors, "doses", parse_organ_doses, form["doses"])
    number = read(errors, "cycle", _cycle_number, form["cycle"])
    if doses is not None and number is not None:
        try:
            with transaction(factory(request)) as store:
                site, course = course_at_site(store, identity, course_id, THERAPISTS)
                cycle = cycles.cycle_by_number(store, course, number)
                given = courses.CycleDoses(
                    number,
                    doses,
                    form["method"].strip() or "entered",
                    administration_id=cycle.administration_id if cycle else None,
                    override_reason=form["reason"].strip() or None,
                )
                actor = store.session.merge(identity.user)
                courses.record_cycle(store, actor, site, course, given)
            return RedirectResponse(f"/therapy-courses/{course_id}", status_code=303)
        except NucmedInputError as error:
            errors["dose_form"] = Message.of(error)
    return course_page_with(request, identity, course_id, Shown(form, errors, {}), 422)
