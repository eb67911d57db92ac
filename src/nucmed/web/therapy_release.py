"""The release page of a therapy course: may the patient go home, and the written instructions
with the days of restriction, in Russian, Kazakh or English (the patient's language, which may
differ from the reader's); the release recorded with its PDF leaflet, and the stored leaflet
served as it was printed; and the same assessment as JSON under ``/api``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.interop.leaflet import Leaflet, render_leaflet_pdf
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.therapy import release, release_records
from nucmed.services.therapy.course_view import read_course
from nucmed.web.api_types import ActivityBq, Code, DurationS, RecordId, ShortText
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Errors, Form, posted, read
from nucmed.web.i18n import LANGUAGES, localizer
from nucmed.web.labels import N_
from nucmed.web.therapy_forms import Shown, act_on_form, course_page_with

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.THERAPY_READ))]
Therapist = Annotated[Identity, Depends(require(Permission.THERAPY_WRITE))]

RELEASE_FIELDS = ("nuclide", "activity", "effective_half_life", "i131_condition", "language")
RELEASE_FORM = ("release",)
"""The course page's form the release's values and errors are shown in (the release record
posts the same fields, hidden, and its refusal is shown there too)."""

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
ADDRESS = N_("Address: {address}")
PHONE = N_("Telephone: {phone}")


def _instructions(
    result: release.Instructions, language: str, *, contact: bool = True
) -> tuple[str, list[str]]:
    """The patient's sheet in ``language``: the introduction, then one line per rule, then
    the site's address and telephone (``contact``; the PDF prints them under its own
    headings)."""
    text = localizer(language).gettext
    lines = []
    for rule in result.restrictions:
        if rule.days:
            until = f"{rule.until:%d.%m.%Y}"
            lines.append(text(RULES[rule.group]).format(days=rule.days, date=until))
        else:
            lines.append(text(FREE[rule.group]))
    lines += [text(HYGIENE), text(CONTACT).format(site=result.site_name_in(language))]
    if contact and result.site_address:
        lines.append(text(ADDRESS).format(address=result.site_address))
    if contact and result.site_phone:
        lines.append(text(PHONE).format(phone=result.site_phone))
    return text(INTRO).format(nuclide=result.assessment.nuclide), lines


def _sheet_language(request: Request, language: str) -> str:
    """The patient's language: the one chosen, else the reader's."""
    return language if language in LANGUAGES else request_localizer(request).language


def _in_release(form: Form, errors: Errors) -> Shown:
    """The values and errors, shown in the release form only."""
    return Shown(form, errors, {}, RELEASE_FORM)


def _release_input(form: dict[str, str], errors: Errors) -> release.ReleaseInput | None:
    activity_bq = read(errors, "activity", units.parse_activity, form["activity"])
    half_life_s = (
        read(errors, "effective_half_life", units.parse_duration, form["effective_half_life"])
        if form["effective_half_life"].strip()
        else None
    )
    if activity_bq is None or errors:
        return None
    return release.ReleaseInput(
        form["nuclide"], activity_bq, half_life_s, form["i131_condition"] or None
    )


@router.get(
    "/therapy-courses/{course_id}/release", response_class=HTMLResponse, include_in_schema=False
)
def release_page(
    request: Request,
    course_id: RecordId,
    identity: Reader,
    nuclide: str = "",
    activity: str = "",
    effective_half_life: str = "",
    i131_condition: str = "",
    language: str = "",
) -> HTMLResponse:
    """May the patient go home; the written instructions in the patient's language (the
    reader's when none is chosen)."""
    form = {
        "nuclide": nuclide,
        "activity": activity,
        "effective_half_life": effective_half_life,
        "i131_condition": i131_condition,
        "language": _sheet_language(request, language),
    }
    errors: Errors = {}
    given = _release_input(form, errors)
    results: dict[str, Any] = {}
    if given is not None:
        try:
            result = release.assess_release(database(request), identity, course_id, given)
            intro, lines = _instructions(result, form["language"])
            results = {"release": result, "sheet_intro": intro, "sheet_lines": lines}
        except NucmedInputError as error:
            errors["release_form"] = Message.of(error)
    status = 422 if errors and activity.strip() else 200
    shown = Shown(form, errors, results, RELEASE_FORM)
    return course_page_with(request, identity, course_id, shown, status_code=status)


@router.get(
    "/therapy-courses/{course_id}/release.pdf", response_class=Response, include_in_schema=False
)
def release_leaflet_pdf(
    request: Request,
    course_id: RecordId,
    identity: Reader,
    nuclide: str = "",
    activity: str = "",
    effective_half_life: str = "",
    i131_condition: str = "",
    language: str = "",
) -> Response:
    """The release instructions as a printable PDF leaflet in the patient's language, with
    the department's name, address and telephone; bad input gives the page with the errors."""
    form = {
        "nuclide": nuclide,
        "activity": activity,
        "effective_half_life": effective_half_life,
        "i131_condition": i131_condition,
        "language": _sheet_language(request, language),
    }
    errors: Errors = {}
    given = _release_input(form, errors)
    if given is None:
        return course_page_with(request, identity, course_id, _in_release(form, errors), 422)
    try:
        result = release.assess_release(database(request), identity, course_id, given)
    except NucmedInputError as error:
        errors["release_form"] = Message.of(error)
        return course_page_with(request, identity, course_id, _in_release(form, errors), 422)
    render = _renderer(request, identity, course_id, form["language"])
    return _pdf(render(result), f"release-{course_id}.pdf")


def _renderer(
    request: Request, identity: Identity, course_id: int, language: str
) -> release_records.LeafletRenderer:
    """The course patient's leaflet in ``language`` as PDF bytes, from the instructions."""
    patient = read_course(database(request), identity, course_id).patient

    def render(result: release.Instructions) -> bytes:
        intro, lines = _instructions(result, language, contact=False)
        leaflet = Leaflet(
            language,
            f"{patient.full_name} · {patient.local_id}",
            intro,
            tuple(lines),
            result.site_name_in(language),
            result.site_address,
            result.site_phone,
            result.assessed_on,
        )
        return render_leaflet_pdf(leaflet)

    return render


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.post("/therapy-courses/{course_id}/releases", include_in_schema=False)
async def release_record_post(
    request: Request, course_id: RecordId, identity: Therapist
) -> Response:
    """Record the release as assessed and store the leaflet printed for it (audited); back to
    the course page, which lists the recorded releases. Bad input gives the page with the
    errors (422)."""
    form = await posted(request, RELEASE_FIELDS)
    form["language"] = await run_in_threadpool(_sheet_language, request, form["language"])

    def step(form: Form, errors: Errors) -> str | None:
        given = _release_input(form, errors)
        if given is None:
            return None
        printer = release_records.LeafletPrinter(
            form["language"], _renderer(request, identity, course_id, form["language"])
        )
        release_records.record_release(database(request), identity, course_id, given, printer)
        return f"/therapy-courses/{course_id}#release-records"

    def again(form: Form, errors: Errors) -> Response:
        return course_page_with(request, identity, course_id, _in_release(form, errors), 422)

    return await run_in_threadpool(act_on_form, form, step, "release_form", again)


@router.get(
    "/release-records/{release_record_id}/leaflet.pdf",
    response_class=Response,
    include_in_schema=False,
)
def stored_leaflet_pdf(
    request: Request, release_record_id: RecordId, identity: Reader
) -> Response:
    """The leaflet of a recorded release, the PDF exactly as stored when it was recorded."""
    stored = release_records.release_leaflet(database(request), identity, release_record_id)
    return _pdf(stored.pdf, f"release-{stored.course_id}-{release_record_id}.pdf")


class ReleaseBody(BaseModel):
    """A patient at release: the nuclide and the activity, with what is known of its kinetics."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"nuclide": "I-131", "activity_bq": 1.1e9},
                {"nuclide": "Lu-177", "activity_bq": 1.2e9, "effective_half_life_s": 259200},
                {"nuclide": "I-131", "activity_bq": 5.55e9, "i131_condition": "thyroid_cancer"},
            ]
        }
    )

    nuclide: Code = Field(description="The nuclide, e.g. I-131 or Lu-177.")
    activity_bq: ActivityBq = Field(
        description="Activity in the patient now, in Bq; with i131_condition, the activity "
        "administered."
    )
    effective_half_life_s: DurationS | None = Field(
        None, description="Effective half-life for a patient-specific Eq. U-1, in s."
    )
    i131_condition: ShortText | None = Field(
        None, description="hyperthyroid or thyroid_cancer: Eq. U-2 with Appendix U's kinetics."
    )


@router.post("/api/therapy-courses/{course_id}/release-assessment", tags=["therapy"])
def release_assessment(
    request: Request, course_id: RecordId, body: ReleaseBody, identity: Reader
) -> JSONResponse:
    """May the course's patient go home (NUREG-1556 Vol. 9 Appendix U under the site's rule),
    and the days of restriction per group from the site's date today; nothing is stored."""
    given = release.ReleaseInput(
        body.nuclide, body.activity_bq, body.effective_half_life_s, body.i131_condition
    )
    result = release.assess_release(database(request), identity, course_id, given)
    return JSONResponse(jsonable_encoder(asdict(result)))
