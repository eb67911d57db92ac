"""The training JSON API: a programme's curriculum (the same object as ``nucmed training
curriculum CODE --json``), a site's enrolments (list, enrol), a resident's progress (the
dashboard's numbers) and logbook cases (list, log, sign off), and a course with its
attendance (read, mark). The same services as the training pages answer, with the same
refusals (422 with the message, 403, 404).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.training import attendance, dashboards, enrolment, logbook, roster
from nucmed.services.training.curriculum import curriculum
from nucmed.services.training.dashboards import CohortRow, ResidentDashboard
from nucmed.services.training.views import CaseView
from nucmed.web.api_types import Date, LongText, Name, RecordId, Text32, examples
from nucmed.web.deps import database, require

__all__ = ["router"]

router = APIRouter(tags=["training"])
Reader = Annotated[Identity, Depends(require(Permission.TRAINING_READ))]
Logger = Annotated[Identity, Depends(require(Permission.TRAINING_LOG))]
Signer = Annotated[Identity, Depends(require(Permission.TRAINING_SIGN))]
Director = Annotated[Identity, Depends(require(Permission.TRAINING_DIRECT))]
Language = Annotated[
    Literal["kk", "ru", "en"], Query(description="Language of the texts: kk, ru or en.")
]


@router.get("/api/training/programmes/{programme}")
def curriculum_api(programme: Text32, identity: Reader, language: Language = "en") -> JSONResponse:
    """A programme's curriculum: ``code``, ``title``, ``total_credits``, ``hours_per_credit``,
    ``disciplines``, ``electives`` and ``learning_outcomes`` (as the command line's
    ``--json``); 404 for an unknown code."""
    return JSONResponse(curriculum(programme, language))


def _enrolled_json(row: CohortRow) -> dict[str, Any]:
    return {
        "resident_id": row.resident_id,
        "resident": row.resident,
        "supervisor": row.supervisor,
        "programme": row.programme_code,
        "elective": row.elective.en if row.elective else None,
        "started_on": row.started_on.isoformat(),
        "credits_done": row.credits_done,
        "total_credits": row.total_credits,
        "approved_cases": row.approved_cases,
        "waiting_cases": row.waiting_cases,
        "attestation_open": row.gate_open,
    }


@router.get("/api/sites/{code}/training/enrolments")
def enrolments_api(request: Request, code: str, identity: Director) -> JSONResponse:
    """The residents enrolled at the site, each with their progress (programme director)."""
    found = roster.roster(database(request), identity, code)
    return JSONResponse([_enrolled_json(row) for row in found.enrolled])


class EnrolmentBody(BaseModel):
    """A resident to enrol with their supervisor, programme, chosen elective and start date
    (a resident enrolled already: the new enrolment corrects the current one)."""

    model_config = examples(
        {
            "resident_id": 2,
            "supervisor_id": 3,
            "programme": "7R01108",
            "elective": "thyroid-therapy",
            "started_on": "2026-09-01",
        }
    )

    resident_id: RecordId
    supervisor_id: RecordId
    programme: Text32
    elective: Annotated[str, Field(max_length=64)]
    started_on: Date


@router.post("/api/sites/{code}/training/enrolments", status_code=201)
def enrol_api(
    request: Request, code: str, body: EnrolmentBody, identity: Director
) -> JSONResponse:
    """Enrol a resident (programme director); 422 names what is wrong (no elective, not a
    resident or supervisor at the site, a start date out of range)."""
    given = enrolment.Enrolment(
        body.resident_id, body.supervisor_id, body.programme, body.elective, body.started_on
    )
    made = enrolment.enrol_resident(database(request), identity, code, given)
    return JSONResponse({"id": made, "resident_id": body.resident_id}, status_code=201)


def _progress_json(view: ResidentDashboard) -> dict[str, Any]:
    return {
        "resident_id": view.resident_id,
        "resident": view.resident,
        "supervisor": view.supervisor,
        "programme": view.programme_code,
        "elective": view.elective.en if view.elective else None,
        "started_on": view.started_on.isoformat(),
        "credits_done": view.credits_done,
        "total_credits": view.total_credits,
        "disciplines": [
            {"code": d.code, "component": d.component, "credits": d.credits, "done": d.done}
            for d in view.disciplines
        ],
        "minimums": [
            {
                "kind": m.kind,
                "item": m.item,
                "required": m.required,
                "done": m.done,
                "met": m.met,
                "reference": m.reference,
            }
            for m in view.minimums
        ],
        "outcomes": [{"code": o.code, "evidence": o.evidence} for o in view.outcomes],
        "approved_cases": sum(1 for case in view.cases if case.counts),
        "attestation": {
            "open": view.gate_open,
            "credits_done": view.gate_credits_done,
            "credits_needed": view.gate_credits_needed,
            "credit_gaps": [
                {"discipline": g.discipline, "done": g.done, "needed": g.needed}
                for g in view.gate_gaps
            ],
            "unmet": [
                {"kind": u.kind, "item": u.item, "required": u.required, "done": u.done}
                for u in view.gate_unmet
            ],
        },
    }


@router.get("/api/sites/{code}/training/progress")
def own_progress_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """One's own progress as a resident enrolled at the site: credits per discipline,
    minimums, learning outcomes with evidence, and the final attestation's gate."""
    view = dashboards.resident_dashboard(database(request), identity, code)
    return JSONResponse(_progress_json(view))


@router.get("/api/sites/{code}/training/residents/{resident_id}/progress")
def progress_api(
    request: Request, code: str, resident_id: RecordId, identity: Director
) -> JSONResponse:
    """A resident's progress (see the own progress), for a supervisor or the programme
    director at the site."""
    view = dashboards.resident_dashboard(database(request), identity, code, resident_id)
    return JSONResponse(_progress_json(view))


def _case_json(case: CaseView) -> dict[str, Any]:
    return {
        "id": case.id,
        "resident_id": case.resident_id,
        "performed_on": case.performed_on.isoformat(),
        "procedure_type": case.procedure_type,
        "role": case.role,
        "discipline": case.discipline.en,
        "outcomes": list(case.outcomes),
        "paediatric": case.paediatric,
        "administration_id": case.administration_id,
        "therapy_course_id": case.therapy_course_id,
        "description": case.description,
        "corrects_id": case.corrects_id,
        "status": case.status,
        "comment": case.comment,
        "signed_by": case.signed_by,
    }


@router.get("/api/sites/{code}/training/cases")
def own_cases_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """One's own logbook cases at the site, newest first, each with its sign-off
    (``waiting``, ``approved`` or ``returned``); only approved cases count."""
    view = dashboards.resident_dashboard(database(request), identity, code)
    return JSONResponse([_case_json(case) for case in view.cases])


@router.get("/api/sites/{code}/training/residents/{resident_id}/cases")
def cases_api(
    request: Request, code: str, resident_id: RecordId, identity: Director
) -> JSONResponse:
    """A resident's logbook cases (see one's own cases), for a supervisor or the programme
    director at the site."""
    view = dashboards.resident_dashboard(database(request), identity, code, resident_id)
    return JSONResponse([_case_json(case) for case in view.cases])


class CaseBody(BaseModel):
    """A case the resident logs: when, what, their role, the discipline and the learning
    outcomes it serves, and the administration or therapy course it links to, if any."""

    model_config = examples(
        {
            "performed_on": "2026-11-20",
            "procedure_type": "bone-joint",
            "role": "supervised",
            "discipline_code": "radionuclide-diagnostics",
            "outcomes": ["ОН1", "ОН3"],
            "description": "Bone scan, no metastases",
        }
    )

    performed_on: Date
    procedure_type: Text32
    role: Text32
    discipline_code: Annotated[str, Field(max_length=64)]
    outcomes: Annotated[list[Text32], Field(max_length=10)]
    description: LongText
    paediatric: bool = False
    administration_id: RecordId | None = None
    therapy_course_id: RecordId | None = None


@router.post("/api/sites/{code}/training/cases", status_code=201)
def log_case_api(request: Request, code: str, body: CaseBody, identity: Logger) -> JSONResponse:
    """Log a case in one's own logbook (a resident); it waits for the supervisor's sign-off."""
    entry = logbook.CaseEntry(
        performed_on=body.performed_on,
        procedure_type=body.procedure_type,
        role=body.role,
        discipline_code=body.discipline_code,
        outcomes=tuple(body.outcomes),
        description=body.description,
        paediatric=body.paediatric,
        administration_id=body.administration_id,
        therapy_course_id=body.therapy_course_id,
    )
    made = logbook.log_case(database(request), identity, code, entry)
    return JSONResponse({"id": made, "status": "waiting"}, status_code=201)


class SignOffBody(BaseModel):
    """A supervisor's decision: ``approved``, or ``returned`` with a comment."""

    model_config = examples({"decision": "approved", "comment": "Well documented"})

    decision: Text32
    comment: LongText = ""


@router.post("/api/training/cases/{case_id}/sign-off", status_code=201)
def sign_off_api(
    request: Request, case_id: RecordId, body: SignOffBody, identity: Signer
) -> JSONResponse:
    """Approve a case, or return it with a comment (a supervisor at the case's site)."""
    logbook.sign_off(database(request), identity, case_id, body.decision, body.comment)
    return JSONResponse({"id": case_id, "status": body.decision}, status_code=201)


@router.get("/api/training/courses/{course}")
def course_api(
    request: Request, course: Name, identity: Reader, language: Language = "en"
) -> JSONResponse:
    """A course: its days and sessions, participants with the days they were present and
    their certificate (once present every day), and every attendance mark as recorded; texts
    in ``language``."""
    sheet = attendance.attendance_sheet(database(request), identity, course)
    view = sheet.course
    body = {
        "code": view.code,
        "kind": view.kind,
        "title": view.title.in_language(language),
        "organiser": view.organiser.in_language(language),
        "city": view.city,
        "venue": view.venue,
        "days": [day.isoformat() for day in view.days],
        "sessions": [
            {"day": day.isoformat(), "topic": topic.in_language(language), "speaker": speaker}
            for day, topic, speaker in view.sessions
        ],
        "participants": [
            {
                "id": p.id,
                "full_name": p.full_name,
                "institution": p.institution,
                "city": p.city,
                "country": p.country_code,
                "role": p.role,
                "language": p.language,
                "days_present": [d.isoformat() for d in p.days_present],
                "certificate": f"/training/participants/{p.id}/certificate.pdf"
                if p.certified
                else None,
            }
            for p in view.participants
        ],
        "marks": [
            {
                "id": m.id,
                "participant_id": m.participant_id,
                "day": m.day.isoformat(),
                "present": m.present,
                "recorded_at": m.recorded_at.isoformat(),
                "recorded_by": m.recorded_by,
                "superseded": m.superseded,
            }
            for m in sheet.marks
        ],
    }
    return JSONResponse(body)


class AttendanceBody(BaseModel):
    """A participant marked present or absent on a day of the course (a new mark of the same
    day corrects the previous one)."""

    model_config = examples({"participant_id": 1, "day": "2024-05-15", "present": True})

    participant_id: RecordId
    day: Date
    present: bool


@router.post("/api/training/courses/{course}/attendance", status_code=201)
def attendance_api(
    request: Request, course: Name, body: AttendanceBody, identity: Director
) -> JSONResponse:
    """Mark a participant's attendance on a day (the programme director at the host site)."""
    given = attendance.Mark(body.participant_id, body.day, body.present)
    attendance.mark_course_attendance(database(request), identity, course, given)
    answer = {"participant_id": body.participant_id, "day": body.day.isoformat()}
    return JSONResponse({**answer, "present": body.present}, status_code=201)
