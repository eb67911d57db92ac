"""The hot lab's day: the board, dose requests, draws, syringe labels and the administration
form on the board (each form shown again on the board with its errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from nucmed import units
from nucmed.interop.label import render_label_pdf
from nucmed.radiopharmacy import kits
from nucmed.services import access
from nucmed.services.auth import Identity
from nucmed.services.clinic import administrations
from nucmed.services.hotlab import board, discards, doses, labels
from nucmed.services.hotlab.board_order import MOST_PAGE_LINES, PAGE_LINES
from nucmed.services.patient_identity import PatientIdentityError, PatientInput, birth_date_from
from nucmed.services.permissions import Permission
from nucmed.services.sites import site_view
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Again, Errors, Form, act, local_time, posted, read
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()
T = TypeVar("T")
_MOST_PAGE_DIGITS = 9
"""A page number with more digits is not one a board was ever posted from."""

PageNumber = Annotated[int, Query(ge=1, le=10**_MOST_PAGE_DIGITS, description="page, from 1")]
Showing = Annotated[
    int | None,
    Query(alias="request", ge=1, le=2**63 - 1, description="show the page with this request"),
]


def _shown_request(code: str) -> Callable[[doses.DoseAsked], str]:
    """Where a new dose request leads: the page of the board that shows it, at its line."""
    return lambda asked: f"/sites/{code}/hotlab?request={asked.id}#request-{asked.id}"


Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]
Requester = Annotated[Identity, Depends(require(Permission.DOSE_REQUEST))]
Giver = Annotated[Identity, Depends(require(Permission.ADMINISTER))]


def _page_asked(request: Request) -> int:
    """The page of the board a form was posted from (its action says ``?page=N``), else 1."""
    asked = request.query_params.get("page", "")
    return int(asked) if asked.isdigit() and 0 < len(asked) <= _MOST_PAGE_DIGITS else 1


def _board_page(
    request: Request,
    identity: Identity,
    code: str,
    failed: tuple[str, Form, Errors] | None,
    conflict: PatientIdentityError | None = None,
    *,
    showing: int | None = None,
) -> HTMLResponse:
    """A page of the board (the one asked for, or the one showing the request ``showing``);
    with ``failed`` (form key, values, errors), a form shown again (422); with ``conflict``,
    the dose request's patient on file and as entered, side by side."""
    page = _page_asked(request)
    asked = board.PageAsked(page, showing=showing)
    day = board.read_board(database(request), identity, code, asked)
    key, form, errors = failed or ("", {}, {})
    context = {
        "conflict": conflict,
        "routes": administrations.ROUTES,
        "site": day.site,
        "board": day,
        "now": day.now,
        "form_key": key,
        "form": form,
        "errors": errors,
        "kits": kits.all_kits(),
        "may": access.permissions_at(database(request), identity, code),
    }
    return render(request, "board.html", context, status_code=422 if failed else 200)


def _again(request: Request, identity: Identity, code: str) -> Again:
    return lambda failed: _board_page(request, identity, code, failed)


def _back(request: Request, code: str, anchor: str) -> str:
    """Where a form of the board leads once done: the page it was posted from, at its line."""
    return f"/sites/{code}/hotlab?page={_page_asked(request)}#{anchor}"


@router.get("/sites/{code}/hotlab", response_class=HTMLResponse, include_in_schema=False)
def board_page(
    request: Request, code: str, identity: Reader, page: PageNumber = 1, request_id: Showing = None
) -> HTMLResponse:
    """Today's patients and doses: what is drawn, ready or blocked, and why (a page of them:
    ``page``, or the one with the request ``request``)."""
    return _board_page(request, identity, code, None, showing=request_id)


def _line_json(line: board.BoardLine) -> dict[str, Any]:
    return {
        "request_id": line.request.id,
        "patient": line.patient.local_id,
        "procedure": line.request.procedure,
        "radiopharmaceutical": line.request.radiopharmaceutical,
        "prescribed_bq": None if line.flagged else line.request.prescribed_bq,
        "planned_at": line.request.planned_at.isoformat(),
        "state": line.state,
        "vial_id": line.vial.id if line.vial else None,
        "blocked": list(line.blocked),
        "flagged": line.flagged,
        "overdue": line.overdue,
    }


@router.get("/api/sites/{code}/hotlab/board", tags=["hot lab"])
def board_api(
    request: Request,
    code: str,
    identity: Reader,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=MOST_PAGE_LINES)] = PAGE_LINES,
) -> JSONResponse:
    """The day board as JSON, a page at a time: each request of the site's local day (after
    those overdue from before it) and its state; ``pages`` and ``total`` tell how many pages
    and lines the whole board has, ``overdue`` how many of them are overdue."""
    asked = board.PageAsked(page, per_page)
    day = board.read_board(database(request), identity, code, asked)
    return JSONResponse(
        {
            "day": day.day.isoformat(),
            "page": day.page,
            "pages": day.pages,
            "total": day.total,
            "overdue": day.overdue_total,
            "lines": [_line_json(line) for line in day.lines],
        }
    )


_REQUEST_FIELDS = (
    "patient_id",
    "patient_name",
    "patient_birth_date",
    "patient_sex",
    "corrected",
    "correction_reason",
    "route",
    "procedure",
    "radiopharmaceutical",
    "nuclide",
    "activity",
    "planned_at",
)


def _ask(request: Request, identity: Identity, code: str, form: Form) -> Response:
    zone = site_view(database(request), identity, code, Permission.DOSE_REQUEST).time_zone

    conflicts: list[PatientIdentityError] = []

    def step(form: Form, errors: Errors) -> doses.DoseAsked | None:
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        planned = read(errors, "planned_at", local_time(zone), form["planned_at"])
        born = read(errors, "patient_birth_date", birth_date_from, form["patient_birth_date"])
        if activity is None or planned is None or "patient_birth_date" in errors:
            return None
        patient = PatientInput(
            form["patient_id"],
            form["patient_name"],
            born,
            form["patient_sex"],
            corrected=form["corrected"] == "yes",
            reason=form["correction_reason"] or None,
        )
        order = doses.DoseOrder(
            form["procedure"],
            form["radiopharmaceutical"],
            form["nuclide"],
            activity,
            planned,
            form["route"] or None,
        )
        try:
            return doses.ask_for_dose(database(request), identity, code, patient, order)
        except PatientIdentityError as conflict:
            conflicts.append(conflict)
            raise

    def again(failed: tuple[str, Form, Errors]) -> Response:
        shown = conflicts[0] if conflicts else None
        return _board_page(request, identity, code, failed, shown)

    return act("request", form, step, again, _shown_request(code))


@router.post("/sites/{code}/dose-requests", include_in_schema=False)
async def request_post(request: Request, code: str, identity: Requester) -> Response:
    """Ask for a patient dose (registers the patient if new)."""
    form = await posted(request, _REQUEST_FIELDS)
    return await run_in_threadpool(_ask, request, identity, code, form)


_DRAW_FIELDS = (
    "vial_id",
    "calibrator_id",
    "drawn_at",
    "measured",
    "override_reason",
    "late_entry_reason",
)


def _whole(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


def _draw(request: Request, identity: Identity, request_id: int, form: Form) -> Response:
    site = doses.request_site(database(request), identity, request_id)

    def step(form: Form, errors: Errors) -> None:
        when = read(errors, "drawn_at", local_time(site.time_zone), form["drawn_at"])
        activity = read(errors, "measured", units.parse_activity, form["measured"])
        if when is None or activity is None:
            return
        given = doses.DrawInput(
            request_id,
            _whole(form["vial_id"]),
            _whole(form["calibrator_id"]),
            when,
            activity,
            form["override_reason"] or None,
            form["late_entry_reason"] or None,
        )
        doses.draw_dose(database(request), identity, given)

    done = _back(request, site.code, f"request-{request_id}")
    shown = {**form, "request_id": str(request_id)}
    return act("draw", shown, step, _again(request, identity, site.code), done)


@router.post("/dose-requests/{request_id}/draw", include_in_schema=False)
async def draw_post(request: Request, request_id: RecordId, identity: Worker) -> Response:
    """Draw the dose: measured activity against the prescription; refusals are shown."""
    form = await posted(request, _DRAW_FIELDS)
    return await run_in_threadpool(_draw, request, identity, request_id, form)


def _discard(request: Request, identity: Identity, draw_id: int, form: Form) -> Response:
    site = discards.draw_site(database(request), identity, draw_id)

    def step(form: Form, errors: Errors) -> discards.DiscardMade:
        return discards.discard_draw(database(request), identity, draw_id, form["reason"])

    def done(made: discards.DiscardMade) -> str:
        return _back(request, site.code, f"request-{made.request_id}")

    shown = {**form, "draw_id": str(draw_id)}
    return act("discard", shown, step, _again(request, identity, site.code), done)


@router.post("/draws/{draw_id}/discard", include_in_schema=False)
async def discard_post(request: Request, draw_id: RecordId, identity: Worker) -> Response:
    """Discard a drawn syringe with the reason; the request waits for a new draw."""
    form = await posted(request, ("reason",))
    return await run_in_threadpool(_discard, request, identity, draw_id, form)


@router.get("/draws/{draw_id}/label.pdf", tags=["hot lab"])
def label_pdf(request: Request, draw_id: RecordId, identity: Worker) -> Response:
    """The syringe label (PDF, 100 × 50 mm, Code 128 and QR) in the user's language."""
    language = request_localizer(request).language
    label = labels.dose_label(database(request), identity, draw_id, language)
    return Response(
        render_label_pdf(label),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="dose-{draw_id}.pdf"'},
    )


_GIVEN_FIELDS = (
    "administered_at",
    "route",
    "injection_site",
    "residual",
    "residual_measured_at",
    "pregnancy",
    "breastfeeding",
    "weight",
    "height",
    "extravasation",
    "reason",
    "late_entry_reason",
)


def _optional(errors: Errors, name: str, parse: Callable[[str], T], text: str) -> T | None:
    """An optional field: None when left empty."""
    return read(errors, name, parse, text) if text.strip() else None


def _given(
    draw_id: int, zone: str, form: Form, errors: Errors
) -> administrations.AdministrationInput | None:
    when = local_time(zone)
    given_at = read(errors, "administered_at", when, form["administered_at"])
    residual = read(errors, "residual", units.parse_activity, form["residual"] or "0 MBq")
    residual_at = _optional(errors, "residual_measured_at", when, form["residual_measured_at"])
    weight = _optional(errors, "weight", units.parse_mass, form["weight"])
    height = _optional(errors, "height", units.parse_length, form["height"])
    if errors or given_at is None or residual is None:
        return None
    pregnancy: Any = form["pregnancy"] or "not_applicable"
    return administrations.AdministrationInput(
        draw_id=draw_id,
        administered_at=given_at,
        route=form["route"] or "intravenous",
        residual_bq=residual,
        residual_measured_at=residual_at or given_at,
        pregnancy=pregnancy,
        breastfeeding={"yes": True, "no": False}.get(form["breastfeeding"]),
        injection_site=form["injection_site"] or None,
        extravasation=form["extravasation"] == "yes",
        weight_kg=weight,
        height_m=height,
        reason=form["reason"].strip() or None,
        late_entry_reason=form["late_entry_reason"].strip() or None,
    )


def _administer(request: Request, identity: Identity, draw_id: int, form: Form) -> Response:
    site = administrations.draw_site(database(request), identity, draw_id)

    def step(form: Form, errors: Errors) -> None:
        given = _given(draw_id, site.time_zone, form, errors)
        if given is not None:
            administrations.record_administration(database(request), identity, given)

    # no fragment: the browser keeps the form action's #request-N (RFC 9110, 10.2.2), the line
    # of the draw, which stays on the page as given
    done = f"/sites/{site.code}/hotlab?page={_page_asked(request)}"
    shown = {**form, "draw_id": str(draw_id)}
    return act("administration", shown, step, _again(request, identity, site.code), done)


@router.post("/draws/{draw_id}/administration", include_in_schema=False)
async def administer_post(request: Request, draw_id: RecordId, identity: Giver) -> Response:
    """Record that the drawn dose was given; errors are shown on the day board."""
    form = await posted(request, _GIVEN_FIELDS)
    return await run_in_threadpool(_administer, request, identity, draw_id, form)
