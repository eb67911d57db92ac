"""The patients of a site: find one by name or hospital number, register a new one, open the
patient's page (administrations and therapy courses) and open a therapy course there; and the
same use cases as JSON under ``/api``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from nucmed.services import patients
from nucmed.services.auth import Identity
from nucmed.services.patient_identity import (
    PatientIdentityError,
    PatientInput,
    birth_date_from,
)
from nucmed.services.permissions import Permission
from nucmed.services.therapy import courses
from nucmed.web.api_types import Code, Date, LongText, Name, RecordId, ShortText
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, posted, read
from nucmed.web.templating import render
from nucmed.web.therapy_forms import act_on_form, planned_cycles

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.PATIENT_READ))]
Registrar = Annotated[Identity, Depends(require(Permission.PATIENT_REGISTER))]
Therapist = Annotated[Identity, Depends(require(Permission.THERAPY_WRITE))]

FIELDS = ("local_id", "full_name", "birth_date", "sex", "corrected", "correction_reason")
COURSE_FIELDS = ("indication", "agent", "planned_cycles")


def _page(
    request: Request,
    identity: Identity,
    code: str,
    query: str,
    failed: tuple[Form, Errors, PatientIdentityError | None],
) -> HTMLResponse:
    found = patients.find_patients(database(request), identity, code, query)
    form, errors, conflict = failed
    context: dict[str, Any] = {
        "conflict": conflict,
        "site": found.site,
        "patients": found.patients,
        "query": query,
        "at_most": found.at_most,
        "cut_short": found.cut_short,
        "may_register": found.may_register,
        "form": form,
        "errors": errors,
    }
    return render(request, "patients.html", context, status_code=422 if errors else 200)


@router.get("/sites/{code}/patients", response_class=HTMLResponse, include_in_schema=False)
def patients_page(request: Request, code: str, identity: Reader, q: Name = "") -> HTMLResponse:
    """The site's patients whose name or hospital number contains ``q`` (50 at most)."""
    return _page(request, identity, code, q, ({}, {}, None))


@router.post("/sites/{code}/patients", include_in_schema=False)
async def register_post(request: Request, code: str, identity: Registrar) -> Response:
    """Register a patient (or find the one with that hospital number) and open their page; a
    number on file with another identity shows both, and the choice to correct it."""
    form = await posted(request, FIELDS)
    conflicts: list[PatientIdentityError] = []

    def step(form: Form, errors: Errors) -> str | None:
        born = read(errors, "birth_date", birth_date_from, form["birth_date"])
        if errors:
            return None
        given = PatientInput(
            form["local_id"],
            form["full_name"],
            born,
            form["sex"],
            corrected=form["corrected"] == "yes",
            reason=form["correction_reason"] or None,
        )
        try:
            found = patients.register(database(request), identity, code, given)
        except PatientIdentityError as conflict:
            conflicts.append(conflict)
            raise
        return f"/patients/{found.id}"

    def again(form: Form, errors: Errors) -> Response:
        shown = conflicts[0] if conflicts else None
        return _page(request, identity, code, "", (form, errors, shown))

    return await run_in_threadpool(act_on_form, form, step, "register_form", again)


def patient_page_with(
    request: Request,
    identity: Identity,
    patient_id: RecordId,
    failed: tuple[Form, Errors] | None = None,
) -> HTMLResponse:
    """The patient's page; with ``failed`` (values, errors), the course form shown again."""
    record = patients.patient_record(database(request), identity, patient_id)
    form, errors = failed or ({}, {})
    context = {
        "patient": record.patient,
        "site": record.site,
        "administrations": record.administrations,
        "courses": record.courses,
        "corrections": record.corrections,
        "agents": record.agents,
        "may_treat": record.may_treat,
        "form": form,
        "errors": errors,
    }
    return render(request, "patient.html", context, status_code=422 if failed else 200)


@router.get("/patients/{patient_id}", response_class=HTMLResponse, include_in_schema=False)
def patient_page(request: Request, patient_id: RecordId, identity: Reader) -> HTMLResponse:
    """A patient's administrations with activities and dose estimates, and therapy courses."""
    return patient_page_with(request, identity, patient_id)


@router.post("/patients/{patient_id}/therapy-courses", include_in_schema=False)
async def open_course(request: Request, patient_id: RecordId, identity: Therapist) -> Response:
    """Open a course for the patient; bad input shows the patient's page again (422)."""
    form = await posted(request, COURSE_FIELDS)

    def step(form: Form, errors: Errors) -> str | None:
        planned = read(errors, "planned_cycles", planned_cycles, form["planned_cycles"])
        if planned is None:
            return None
        plan = courses.CoursePlan(form["indication"], form["agent"], planned)
        course_id = courses.open_course(database(request), identity, patient_id, plan)
        return f"/therapy-courses/{course_id}"

    def again(form: Form, errors: Errors) -> Response:
        return patient_page_with(request, identity, patient_id, (form, errors))

    return await run_in_threadpool(act_on_form, form, step, "course_form", again)


# --------------------------------------------------------------------------- JSON API


class PatientBody(BaseModel):
    """A patient to register (or find, by the hospital number)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "local_id": "KZ-0042",
                    "full_name": "Seitkali Aigerim",
                    "birth_date": "1971-05-02",
                    "sex": "F",
                }
            ]
        }
    )

    local_id: ShortText = Field(description="The hospital's patient number.")
    full_name: Name = Field(description="As in the hospital's records.")
    birth_date: Date | None = None
    sex: Code | None = Field(None, description="F, M, O (other) or U (unknown), as HL7 v2 PID-8.")
    corrected: bool = Field(
        False,
        description="The number is on file with another name, birth date or sex, and this is "
        "the same person whose identity was corrected (needs correction_reason).",
    )
    correction_reason: LongText | None = Field(None, description="Why the identity changed.")


@router.get("/api/sites/{code}/patients", tags=["patients"])
def search_patients(request: Request, code: str, identity: Reader, q: Name = "") -> JSONResponse:
    """The site's patients whose name or hospital number contains ``q`` (50 at most), with the
    number of their therapy courses."""
    found = patients.find_patients(database(request), identity, code, q)
    return JSONResponse(jsonable_encoder(asdict(found)))


@router.post("/api/sites/{code}/patients", tags=["patients"], status_code=201)
def register_patient(
    request: Request, code: str, body: PatientBody, identity: Registrar
) -> JSONResponse:
    """Register a patient at the site; a hospital number already known with the same name gives
    that patient, with another name, birth date or sex a 422 unless ``corrected``."""
    given = PatientInput(
        body.local_id,
        body.full_name,
        body.birth_date,
        body.sex,
        corrected=body.corrected,
        reason=body.correction_reason,
    )
    found = patients.register(database(request), identity, code, given)
    return JSONResponse(jsonable_encoder(asdict(found)), status_code=201)


@router.get("/api/patients/{patient_id}", tags=["patients"])
def patient_json(request: Request, patient_id: RecordId, identity: Reader) -> JSONResponse:
    """The patient's record: administrations (activities in Bq, effective doses in Sv) and
    therapy courses."""
    record = patients.patient_record(database(request), identity, patient_id)
    return JSONResponse(jsonable_encoder(asdict(record)))
