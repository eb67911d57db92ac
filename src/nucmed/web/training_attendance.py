"""The attendance page of a course: its sessions by day, its participants with the days they
were present, every mark as recorded (a correction is a new mark), the form to mark a
participant present or absent on a day (the programme director at the host site), and the
link to each certificate (PDF) once the participant was present every day.

The page calls :mod:`nucmed.services.training.attendance`, which opens its transactions and
checks the permission; a refusal shows the form again (422) with the message translated.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.training import attendance
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act_on_post
from nucmed.web.i18n import LANGUAGE_NAMES
from nucmed.web.labels import N_
from nucmed.web.templating import render
from nucmed.web.training_labels import COURSE_KIND_LABELS

__all__ = ["router"]

router = APIRouter()
Reader = Annotated[Identity, Depends(require(Permission.TRAINING_READ))]
Director = Annotated[Identity, Depends(require(Permission.TRAINING_DIRECT))]

_FIELDS = ("participant_id", "day", "present")
_BAD_DATE = N_("give the date as YYYY-MM-DD")
_CHOOSE = N_("choose a person from the list")
_PRESENT = N_("choose present or absent")


def _path(course: str) -> str:
    return f"/training/courses/{quote(course)}/attendance"


def _page(
    request: Request,
    identity: Identity,
    course: str,
    failed: tuple[str, Form, Errors] | None = None,
) -> HTMLResponse:
    sheet = attendance.attendance_sheet(database(request), identity, course)
    context = {
        "sheet": sheet,
        "people": [(str(p.id), p.full_name) for p in sheet.course.participants],
        "kind_labels": COURSE_KIND_LABELS,
        "language_names": LANGUAGE_NAMES,
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "training_attendance.html", context, status_code=422 if failed else 200)


@router.get(
    "/training/courses/{course}/attendance", response_class=HTMLResponse, include_in_schema=False
)
def attendance_page(request: Request, course: str, identity: Reader) -> HTMLResponse:
    """A course's sessions, participants, attendance marks and certificates."""
    return _page(request, identity, course)


def _read(form: Form, errors: Errors) -> attendance.Mark | None:
    text = form["participant_id"].strip()
    if not text.isdigit() or len(text) > 12:  # noqa: PLR2004 - a bound on an id's digits
        errors["participant_id"] = _CHOOSE
    day: date | None = None
    try:
        day = date.fromisoformat(form["day"].strip())
    except ValueError:
        errors["day"] = _BAD_DATE
    if form["present"] not in ("yes", "no"):
        errors["present"] = _PRESENT
    if errors or day is None:
        return None
    return attendance.Mark(int(text), day, form["present"] == "yes")


@router.post("/training/courses/{course}/attendance", include_in_schema=False)
async def attendance_post(request: Request, course: str, identity: Director) -> Response:
    """Mark a participant present or absent on a day of the course (a new mark corrects)."""

    def step(form: Form, errors: Errors) -> None:
        given = _read(form, errors)
        if given is None:
            return
        attendance.mark_course_attendance(database(request), identity, course, given)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, course, shown)

    return await act_on_post(request, _FIELDS, "attendance", step, again, _path(course))
