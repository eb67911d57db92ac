"""The enrolment page of a site's training: the programme director (a supervisor or an
administrator there) enrols a resident in a programme with a supervisor, a start date and the
chosen elective, and sees every enrolled resident with their progress.

The page calls :func:`nucmed.services.training.roster.roster` and
:func:`nucmed.services.training.enrolment.enrol_resident`, which open their transactions and
check the permission; a refusal shows the form again (422) with the message translated.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.training import enrolment, roster
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act_on_post
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()
Director = Annotated[Identity, Depends(require(Permission.TRAINING_DIRECT))]

_FIELDS = ("resident_id", "supervisor_id", "programme", "elective", "started_on")
_BAD_DATE = N_("give the date as YYYY-MM-DD")
_CHOOSE = N_("choose a person from the list")


def _path(code: str) -> str:
    return f"/sites/{quote(code)}/training/enrolments"


def _options(people: tuple[roster.Person, ...]) -> list[tuple[str, str]]:
    """A list's options: each person's id (as the form posts it) and name."""
    return [(str(person.id), person.full_name) for person in people]


def _page(
    request: Request, identity: Identity, code: str, failed: tuple[str, Form, Errors] | None = None
) -> HTMLResponse:
    found = roster.roster(database(request), identity, code)
    context = {
        "roster": found,
        "people": _options,
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "training_enrolments.html", context, status_code=422 if failed else 200)


@router.get(
    "/sites/{code}/training/enrolments", response_class=HTMLResponse, include_in_schema=False
)
def enrolments_page(request: Request, code: str, identity: Director) -> HTMLResponse:
    """The site's enrolled residents with their progress, and the form to enrol one."""
    return _page(request, identity, code)


def _person(errors: Errors, name: str, text: str) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 12:  # noqa: PLR2004 - a bound on an id's digits
        errors[name] = _CHOOSE
        return None
    return int(text)


def _day(errors: Errors, text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors["started_on"] = _BAD_DATE
        return None


@router.post("/sites/{code}/training/enrolments", include_in_schema=False)
async def enrol_post(request: Request, code: str, identity: Director) -> Response:
    """Enrol a resident (or change their enrolment: the new row corrects the current one)."""

    def step(form: Form, errors: Errors) -> None:
        resident = _person(errors, "resident_id", form["resident_id"])
        supervisor = _person(errors, "supervisor_id", form["supervisor_id"])
        started = _day(errors, form["started_on"])
        if errors or resident is None or supervisor is None or started is None:
            return
        given = enrolment.Enrolment(
            resident, supervisor, form["programme"], form["elective"] or None, started
        )
        enrolment.enrol_resident(database(request), identity, code, given)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, shown)

    return await act_on_post(request, _FIELDS, "enrol", step, again, _path(code))
