"""Therapy course pages: the organ totals against the limits; each cycle's administration (from
the hot lab, or typed), the activities measured after it and an organ's dose from them (MIRD,
with the fitted curve); the organ doses of each cycle, refused past a limit unless a physician
gives a reason; and the JSON API of the same use cases under ``/api``. The release page and
its API are :mod:`nucmed.web.therapy_release`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from nucmed import units
from nucmed.dosimetry.svalues import ORGANS
from nucmed.errors import N_, Message, NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.therapy import courses, cycles
from nucmed.services.therapy.course_view import course_site, read_course
from nucmed.web.api_types import (
    AbsorbedDoseGy,
    ActivityBq,
    ActivityOrZeroBq,
    Code,
    Count,
    LongText,
    MassKg,
    Moment,
    Name,
    RecordId,
    ShortText,
    Text32,
)
from nucmed.web.charts import tac_svg
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Errors, Form, local_time, posted, read
from nucmed.web.therapy_forms import (
    TUMOUR,
    Shown,
    act_on_form,
    administration_id,
    course_page_with,
    cycle_number,
    measured_region,
    optional_mass,
    parse_organ_doses,
    points_at,
)

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.THERAPY_READ))]
Therapist = Annotated[Identity, Depends(require(Permission.THERAPY_WRITE))]

ADMINISTRATION_FIELDS = (
    "number",
    "administration_id",
    "administered_at",
    "nuclide",
    "activity",
    "late_entry_reason",
)
MEASUREMENT_FIELDS = (
    "cycle",
    "region",
    "tumour",
    "mass",
    "model",
    "sex",
    "instrument",
    "points",
    "late_entry_reason",
)
DOSE_FIELDS = ("cycle", "doses", "method", "reason")


def _dose_query(form: Form, errors: Errors) -> cycles.DoseQuery | None:
    """The region's dose asked for by the measurement form's (or the page query's) fields."""
    number = read(errors, "cycle", cycle_number, form["cycle"])
    mass = read(errors, "mass", optional_mass, form["mass"])
    if errors or number is None:
        return None
    sex = form["sex"].strip() or None
    return cycles.DoseQuery(number, form["region"], form["model"] or "mono", mass, sex)


def _region_results(
    found: cycles.MeasuredDose, label: str, say: Callable[[str], str]
) -> dict[str, Any]:
    points = (found.dose.times_s, found.dose.activities_bq)
    axes = (say(N_("time (h)")), say(N_("activity (MBq)")))
    svg = tac_svg(found.dose.fit, points, title=label, axes=axes)
    return {"curve": Markup(svg), "mird": found.dose, "mird_cycle": found.cycle}


def _with_dose(request: Request, identity: Identity, course_id: RecordId, form: Form) -> Shown:
    errors: Errors = {}
    query = _dose_query(form, errors)
    if query is None:
        return Shown(form, errors, {}, ("measurement",))
    try:
        found = cycles.region_dose_of(database(request), identity, course_id, query)
    except NucmedInputError as error:
        errors["measurement_form"] = Message.of(error)
        return Shown(form, errors, {}, ("measurement",))
    dose = found.dose
    loc = request_localizer(request)
    say = loc.gettext
    method = say(N_("MIRD, {model} fit, S-value {method}")).format(
        model=say(dose.fit.model), method=say(dose.s_value.method)
    )
    label = say(found.region) if found.region in ORGANS else found.region  # a tumour as typed
    filled = {"doses": f"{label}: {loc.dose(dose.absorbed_dose_gy)}", "method": method[:200]}
    # the organ-dose form is filled in with the dose found, for the same cycle
    results = _region_results(found, label, say)
    return Shown(form | filled, errors, results, ("measurement", "dose"))


@router.get("/therapy-courses/{course_id}", response_class=HTMLResponse, include_in_schema=False)
def course_page(
    request: Request,
    course_id: RecordId,
    identity: Reader,
    cycle: str = "",
    region: str = "",
    mass: str = "",
    model: str = "mono",
    sex: str = "",
) -> HTMLResponse:
    """A course; with ``cycle`` and ``region``, that region's dose from its measurements, its
    curve, and the organ-dose form filled in with it."""
    if not (cycle and region):
        return course_page_with(request, identity, course_id, Shown({}, {}, {}, ()))
    form = {"cycle": cycle, "region": region, "mass": mass.strip(), "model": model, "sex": sex}
    shown = _with_dose(request, identity, course_id, form)
    return course_page_with(request, identity, course_id, shown, 422 if shown.errors else 200)


def _again(
    request: Request, identity: Identity, course_id: RecordId, posted_form: str
) -> Callable[[Form, Errors], Response]:
    """The course page again (422) with the values and errors in the form ``posted_form``."""

    def page(form: Form, errors: Errors) -> Response:
        shown = Shown(form, errors, {}, (posted_form,))
        return course_page_with(request, identity, course_id, shown, 422)

    return page


def _administration_input(
    time_zone: str, form: Form, errors: Errors
) -> cycles.CycleAdministration:
    number = read(errors, "number", cycle_number, form["number"])
    if form["administration_id"]:
        linked = read(errors, "administration_id", administration_id, form["administration_id"])
        return cycles.CycleAdministration(number or 0, administration_id=linked)
    when = read(errors, "administered_at", local_time(time_zone), form["administered_at"])
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    return cycles.CycleAdministration(
        number or 0,
        administered_at=when,
        nuclide=form["nuclide"],
        activity_bq=activity,
        late_entry_reason=form["late_entry_reason"] or None,
    )


@router.post("/therapy-courses/{course_id}/administrations", include_in_schema=False)
async def administration_post(
    request: Request, course_id: RecordId, identity: Therapist
) -> Response:
    """Record a cycle's administration: the hot lab's, or typed (time, nuclide, activity)."""
    form = await posted(request, ADMINISTRATION_FIELDS)

    def step(form: Form, errors: Errors) -> str | None:
        site = course_site(database(request), identity, course_id)
        given = _administration_input(site.time_zone, form, errors)
        if errors:
            return None
        cycles.record_cycle_administration(database(request), identity, course_id, given)
        return f"/therapy-courses/{course_id}#cycles"

    again = _again(request, identity, course_id, "administration")
    return await run_in_threadpool(act_on_form, form, step, "administration_form", again)


@router.post("/therapy-courses/{course_id}/measurements", include_in_schema=False)
async def measurements_post(
    request: Request, course_id: RecordId, identity: Therapist
) -> Response:
    """Store a region's measurements after a cycle, then show its dose (MIRD) and curve.

    The measurements and the fit are checked together: measurements from which no dose can be
    computed (fewer than 3, not falling, no S-value, no sex for an organ) are not stored."""
    form = await posted(request, MEASUREMENT_FIELDS)

    def step(form: Form, errors: Errors) -> str | None:
        site = course_site(database(request), identity, course_id)
        points = read(errors, "points", points_at(site.time_zone), form["points"])
        field = "tumour" if form["region"] == TUMOUR else "region"  # beside what is missing
        region = read(errors, field, measured_region(form["tumour"]), form["region"])
        query = _dose_query({**form, "region": region or ""}, errors)
        if points is None or region is None or query is None or errors:
            return None
        late = form["late_entry_reason"] or None
        given = cycles.Measurements(region, *points, form["instrument"], late)
        found = cycles.record_region_measurements(
            database(request), identity, course_id, given, query
        )
        shown = {
            "cycle": found.cycle.number,
            "region": found.region,
            "mass": form["mass"].strip(),
            "model": query.model,
        }
        if query.sex:
            shown["sex"] = query.sex
        return f"/therapy-courses/{course_id}?{urlencode(shown)}#tac"

    again = _again(request, identity, course_id, "measurement")
    return await run_in_threadpool(act_on_form, form, step, "measurement_form", again)


@router.post("/therapy-courses/{course_id}/organ-doses", include_in_schema=False)
async def organ_doses_post(request: Request, course_id: RecordId, identity: Therapist) -> Response:
    """Record a cycle's organ doses; a refusal (a limit passed) is shown with the input kept."""
    form = await posted(request, DOSE_FIELDS)

    def step(form: Form, errors: Errors) -> str | None:
        doses = read(errors, "doses", parse_organ_doses, form["doses"])
        number = read(errors, "cycle", cycle_number, form["cycle"])
        if doses is None or number is None:
            return None
        given = courses.CycleDoses(
            number,
            doses,
            form["method"].strip() or "entered",
            override_reason=form["reason"].strip() or None,
        )
        courses.record_organ_doses(database(request), identity, course_id, given)
        return f"/therapy-courses/{course_id}#organ-doses"

    again = _again(request, identity, course_id, "dose")
    return await run_in_threadpool(act_on_form, form, step, "dose_form", again)


# --------------------------------------------------------------------------- JSON API


class CourseBody(BaseModel):
    """A therapy course to open for a patient."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"indication": "Metastatic NET", "agent": "lu177-dotatate", "planned_cycles": 4}
            ]
        }
    )

    indication: Name
    agent: ShortText = Field(description="One of " + ", ".join(courses.AGENTS) + ".")
    planned_cycles: Count


@router.post("/api/patients/{patient_id}/therapy-courses", tags=["therapy"], status_code=201)
def create_course(
    request: Request, patient_id: RecordId, body: CourseBody, identity: Therapist
) -> JSONResponse:
    """Open a therapy course for the patient, started now."""
    plan = courses.CoursePlan(body.indication, body.agent, body.planned_cycles)
    course_id = courses.open_course(database(request), identity, patient_id, plan)
    return JSONResponse({"id": course_id}, status_code=201)


@router.get("/api/therapy-courses/{course_id}", tags=["therapy"])
def read_course_json(request: Request, course_id: RecordId, identity: Reader) -> JSONResponse:
    """The course: organ totals against the limits (Gy, with ``over_limit``), cycles with the
    regions measured, organ doses and the patient's administrations not yet in a cycle."""
    view = read_course(database(request), identity, course_id)
    return JSONResponse(jsonable_encoder(asdict(view)))


class AdministrationBody(BaseModel):
    """A cycle's administration: the hot lab's (``administration_id``), or typed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"number": 1, "administration_id": 42},
                {
                    "number": 2,
                    "administered_at": "2026-11-23T10:00:00+05:00",
                    "nuclide": "Lu-177",
                    "activity_bq": 7.4e9,
                },
            ]
        }
    )

    number: Count = Field(description="The cycle's number in the course.")
    administration_id: RecordId | None = None
    administered_at: Moment | None = None
    nuclide: Code | None = None
    activity_bq: ActivityBq | None = None
    late_entry_reason: LongText | None = Field(
        None, description="Needed for a typed time long past (a late entry)."
    )


@router.post("/api/therapy-courses/{course_id}/administrations", tags=["therapy"], status_code=201)
def administration_json(
    request: Request, course_id: RecordId, body: AdministrationBody, identity: Therapist
) -> JSONResponse:
    """Record a cycle's administration (audited)."""
    given = cycles.CycleAdministration(
        body.number,
        body.administration_id,
        body.administered_at,
        body.nuclide,
        body.activity_bq,
        body.late_entry_reason,
    )
    found = cycles.record_cycle_administration(database(request), identity, course_id, given)
    return JSONResponse(jsonable_encoder(asdict(found)), status_code=201)


def _measured_json(found: cycles.MeasuredDose) -> dict[str, Any]:
    fit, s_value = found.dose.fit, found.dose.s_value
    return {
        "cycle": found.cycle.number,
        "region": found.region,
        "absorbed_dose_gy": found.dose.absorbed_dose_gy,
        "fit": {
            "model": fit.model,
            "parameters": dict(fit.parameters),
            "tia_bq_s": fit.tia_bq_s,
            "tia_uncertainty_bq_s": fit.tia_uncertainty_bq_s,
            "notes": [str(note) for note in fit.notes],  # English, as the API speaks
        },
        "times_s": list(found.dose.times_s),
        "activities_bq": list(found.dose.activities_bq),
        "s_value": asdict(s_value),
    }


class MeasurementsBody(BaseModel):
    """Activities measured in one region after a cycle, and how to compute its dose."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cycle": 1,
                    "region": "kidneys",
                    "measured_at": [
                        "2026-11-23T14:00:00+05:00",
                        "2026-11-24T10:00:00+05:00",
                        "2026-11-27T10:00:00+05:00",
                    ],
                    "activities_bq": [2.8e8, 2.1e8, 8.0e7],
                    "method": "SPECT/CT",
                }
            ]
        }
    )

    cycle: Count
    region: ShortText = Field(description="An organ (kidneys, liver, ...) or a tumour's name.")
    measured_at: list[Moment]
    activities_bq: list[ActivityOrZeroBq]
    method: Name = ""
    model: Code = Field("mono", description="mono, bi_uptake, bi_clearance or trapezoid.")
    mass_kg: MassKg | None = Field(None, description="The region's mass; needed for a tumour.")
    sex: Code | None = Field(None, description="F or M; None: the patient's recorded sex.")
    late_entry_reason: LongText | None = Field(
        None, description="Needed when the last measurement is long past (a late entry)."
    )


@router.post("/api/therapy-courses/{course_id}/measurements", tags=["therapy"], status_code=201)
def measurements_json(
    request: Request, course_id: RecordId, body: MeasurementsBody, identity: Therapist
) -> JSONResponse:
    """Store a region's measurements after a cycle and return its dose (MIRD fit); nothing is
    stored when no dose can be computed from them."""
    given = cycles.Measurements(
        body.region, body.measured_at, body.activities_bq, body.method, body.late_entry_reason
    )
    query = cycles.DoseQuery(body.cycle, body.region, body.model, body.mass_kg, body.sex)
    found = cycles.record_region_measurements(database(request), identity, course_id, given, query)
    return JSONResponse(jsonable_encoder(_measured_json(found)), status_code=201)


@router.get("/api/therapy-courses/{course_id}/region-dose", tags=["therapy"])
def region_dose_json(
    request: Request,
    course_id: RecordId,
    identity: Reader,
    cycle: Count,
    region: ShortText,
    model: Code = "mono",
    mass_kg: MassKg | None = None,
    sex: Code | None = None,
) -> JSONResponse:
    """A region's dose from its stored measurements after a cycle (MIRD fit, S-value)."""
    query = cycles.DoseQuery(cycle, region, model, mass_kg, sex)
    found = cycles.region_dose_of(database(request), identity, course_id, query)
    return JSONResponse(jsonable_encoder(_measured_json(found)))


class OrganDosesBody(BaseModel):
    """A cycle's organ doses; passing a limit needs a physician's written reason."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"cycle": 1, "doses_gy": {"kidneys": 4.1, "red_marrow": 0.3}, "method": "MIRD"}
            ]
        }
    )

    cycle: Count
    doses_gy: dict[Text32, AbsorbedDoseGy]
    method: Name = "entered"
    override_reason: LongText | None = None


@router.post("/api/therapy-courses/{course_id}/organ-doses", tags=["therapy"], status_code=201)
def organ_doses_json(
    request: Request, course_id: RecordId, body: OrganDosesBody, identity: Therapist
) -> JSONResponse:
    """Record a cycle's organ doses; returns each limit's total after it (422 past a limit
    without a physician's reason)."""
    given = courses.CycleDoses(
        body.cycle, body.doses_gy, body.method or "entered", override_reason=body.override_reason
    )
    checks = courses.record_organ_doses(database(request), identity, course_id, given)
    data = [
        {
            "organ": c.limit.organ,
            "after_gy": c.after_gy,
            "limit_gy": c.limit.limit_gy,
            "cumulative": c.limit.cumulative,
            "setting": c.limit.setting,
            "passes": c.passes,
        }
        for c in checks
    ]
    return JSONResponse({"checks": data}, status_code=201)
