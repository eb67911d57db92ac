"""Training pages: the resident's logbook and progress, the supervisor's sign-offs and
assessments, the programme's cohort, and courses with their certificates (PDF).

Each handler calls one use case of :mod:`nucmed.services.training`, which opens its
transaction and checks the permission (reading: residents, supervisors, administrators;
logging: the resident; signing and assessing: a supervisor).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from nucmed.services import access
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.training import (
    assessments,
    certificates,
    courses,
    dashboards,
    enrolment,
    logbook,
)
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act
from nucmed.web.i18n import LANGUAGE_NAMES
from nucmed.web.labels import N_
from nucmed.web.templating import render
from nucmed.web.training_labels import (
    ASSESSMENT_LABELS,
    CASE_ROLE_LABELS,
    COURSE_KIND_LABELS,
    PROCEDURE_LABELS,
    RATING_LABELS,
    SIGN_OFF_LABELS,
)

__all__ = ["router"]

router = APIRouter()
Reader = Annotated[Identity, Depends(require(Permission.TRAINING_READ))]
Logger = Annotated[Identity, Depends(require(Permission.TRAINING_LOG))]
Signer = Annotated[Identity, Depends(require(Permission.TRAINING_SIGN))]
Director = Annotated[Identity, Depends(require(Permission.TRAINING_DIRECT))]

_BAD_DATE = N_("give the date as YYYY-MM-DD")
_BAD_NUMBER = N_("give the record's number, or leave it empty")


def _labels() -> dict[str, Any]:
    return {
        "minimum_items": enrolment.MINIMUM_ITEMS,
        "procedure_labels": PROCEDURE_LABELS,
        "role_labels": CASE_ROLE_LABELS,
        "status_labels": SIGN_OFF_LABELS,
        "assessment_labels": ASSESSMENT_LABELS,
        "rating_labels": RATING_LABELS,
    }


def _home_path(code: str) -> str:
    return f"/sites/{quote(code)}/training"


def _day(errors: Errors, name: str, text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = _BAD_DATE
        return None


def _optional_id(errors: Errors, name: str, text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 12:  # noqa: PLR2004 - id bound
        errors[name] = _BAD_NUMBER
        return None
    return int(text)


@router.get("/training", include_in_schema=False)
def training_index(request: Request, identity: Reader) -> Response:
    """The training page of the person's site (a list of sites when they read training at
    several)."""
    codes = dashboards.training_sites(database(request), identity)
    if len(codes) == 1:
        return _home(request, identity, codes[0])
    return render(request, "training_sites.html", {"codes": codes})


def _home(
    request: Request, identity: Identity, code: str, failed: tuple[str, Form, Errors] | None = None
) -> HTMLResponse:
    home = dashboards.training_home(database(request), identity, code)
    context = {
        "home": home,
        "may": access.permissions_at(database(request), identity, code),
        "form_key": failed[0] if failed else "",
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
        **_labels(),
    }
    return render(request, "training.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/training", response_class=HTMLResponse, include_in_schema=False)
def training_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """The site's training: one's logbook and progress, sign-offs waiting, the cohort."""
    return _home(request, identity, code)


_CASE_FIELDS = (
    "performed_on",
    "procedure_type",
    "role",
    "discipline_code",
    "administration_id",
    "therapy_course_id",
    "description",
    "paediatric",
)


def _log(
    request: Request, identity: Identity, code: str, form: Form, outcomes: tuple[str, ...]
) -> Response:
    def step(form: Form, errors: Errors) -> None:
        day = _day(errors, "performed_on", form["performed_on"])
        linked = _optional_id(errors, "administration_id", form["administration_id"])
        course = _optional_id(errors, "therapy_course_id", form["therapy_course_id"])
        if errors or day is None:
            return
        entry = logbook.CaseEntry(
            performed_on=day,
            procedure_type=form["procedure_type"],
            role=form["role"],
            discipline_code=form["discipline_code"],
            outcomes=outcomes,
            description=form["description"],
            paediatric=form["paediatric"] == "yes",
            administration_id=linked,
            therapy_course_id=course,
        )
        logbook.log_case(database(request), identity, code, entry)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _home(request, identity, code, shown)

    return act("case", form, step, again, _home_path(code))


@router.post("/sites/{code}/training/cases", include_in_schema=False)
async def log_case_post(request: Request, code: str, identity: Logger) -> Response:
    """Log a case in one's own logbook (a resident)."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _CASE_FIELDS}
    outcomes = tuple(str(value) for value in data.getlist("outcomes"))
    form["outcomes"] = " ".join(outcomes)
    return await run_in_threadpool(_log, request, identity, code, form, outcomes)


def _sign(request: Request, identity: Identity, code: str, case_id: int, form: Form) -> Response:
    def step(form: Form, errors: Errors) -> None:
        logbook.sign_off(database(request), identity, case_id, form["decision"], form["comment"])

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _home(request, identity, code, (f"sign-{case_id}", shown[1], shown[2]))

    return act("sign", form, step, again, _home_path(code), refusal_key="comment")


@router.post("/sites/{code}/training/cases/{case_id}/sign-off", include_in_schema=False)
async def sign_off_post(
    request: Request, code: str, case_id: RecordId, identity: Signer
) -> Response:
    """Approve a case, or return it with a comment (a supervisor at the case's site)."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in ("decision", "comment")}
    return await run_in_threadpool(_sign, request, identity, code, case_id, form)


def _resident(
    request: Request,
    identity: Identity,
    code: str,
    resident_id: int,
    failed: tuple[str, Form, Errors] | None = None,
) -> HTMLResponse:
    view = dashboards.resident_dashboard(database(request), identity, code, resident_id)
    context = {
        "own": view,
        "may": access.permissions_at(database(request), identity, code),
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
        **_labels(),
    }
    return render(request, "training_resident.html", context, status_code=422 if failed else 200)


@router.get(
    "/sites/{code}/training/residents/{resident_id}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def resident_page(
    request: Request, code: str, resident_id: RecordId, identity: Director
) -> HTMLResponse:
    """A resident's progress, for their supervisor, with the assessment form."""
    return _resident(request, identity, code, resident_id)


_ASSESSMENT_FIELDS = ("kind", "assessed_on", "subject", "rating", "feedback")


def _assess(
    request: Request, identity: Identity, code: str, resident_id: int, form: Form
) -> Response:
    def step(form: Form, errors: Errors) -> None:
        day = _day(errors, "assessed_on", form["assessed_on"])
        if errors or day is None:
            return
        entry = assessments.AssessmentEntry(
            resident_id, form["kind"], day, form["subject"], form["rating"], form["feedback"]
        )
        assessments.record_assessment(database(request), identity, code, entry)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _resident(request, identity, code, resident_id, shown)

    done = f"{_home_path(code)}/residents/{resident_id}"
    return act("assessment", form, step, again, done)


@router.post("/sites/{code}/training/residents/{resident_id}/assessments", include_in_schema=False)
async def assessment_post(
    request: Request, code: str, resident_id: RecordId, identity: Signer
) -> Response:
    """Record a DOPS, mini-CEX or case-based discussion of the resident (a supervisor)."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _ASSESSMENT_FIELDS}
    return await run_in_threadpool(_assess, request, identity, code, resident_id, form)


_MINIMUM_FIELDS = ("programme", "item", "minimum", "reason")
_BAD_MINIMUM = N_("give a whole number of 0 or more")


def _minimum(request: Request, identity: Identity, code: str, form: Form) -> Response:
    def step(form: Form, errors: Errors) -> None:
        kind, _, item = form["item"].partition(":")
        text = form["minimum"].strip()
        if not text.isdigit() or len(text) > 6:  # noqa: PLR2004 - a bound on input
            errors["minimum"] = _BAD_MINIMUM
            return
        given = enrolment.MinimumSetting(form["programme"], kind, item, int(text), form["reason"])
        enrolment.set_minimum(database(request), identity, code, given)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _home(request, identity, code, shown)

    return act("minimum", form, step, again, _home_path(code))


@router.post("/sites/{code}/training/minimums", include_in_schema=False)
async def minimum_post(request: Request, code: str, identity: Director) -> Response:
    """Set a minimum the programme enforces at the site (the programme director), with a
    reason; 0 removes it."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _MINIMUM_FIELDS}
    return await run_in_threadpool(_minimum, request, identity, code, form)


@router.get("/training/institutions", response_class=HTMLResponse, include_in_schema=False)
def institutions_page(request: Request, identity: Reader) -> HTMLResponse:
    """Per centre: the courses held, the people who took part, the specialists trained."""
    rows = certificates.institutions(database(request), identity)
    return render(request, "training_institutions.html", {"rows": rows})


@router.get("/training/courses/{course}", response_class=HTMLResponse, include_in_schema=False)
def course_page(request: Request, course: str, identity: Reader) -> HTMLResponse:
    """A course: its days and sessions, participants, attendance and certificates."""
    view = courses.course_view(database(request), identity, course)
    context = {"course": view, "kind_labels": COURSE_KIND_LABELS, "language_names": LANGUAGE_NAMES}
    return render(request, "training_course.html", context)


@router.get("/training/participants/{participant_id}/certificate.pdf", tags=["training"])
def certificate(request: Request, participant_id: RecordId, identity: Reader) -> Response:
    """A participant's certificate (PDF, in the participant's language); 422 unless they
    attended every day of the course."""
    pdf = certificates.certificate_pdf(database(request), identity, participant_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{participant_id}.pdf"'},
    )
