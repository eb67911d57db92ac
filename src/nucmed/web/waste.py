"""Waste pages and API: containers held for decay, their contents, sealing, release survey."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from nucmed import units
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.auth import Identity
from nucmed.services.hotlab import disposal
from nucmed.services.hotlab.waste import SurveyInput, WasteItemInput
from nucmed.services.permissions import AtSite, Permission
from nucmed.services.sites import site_view
from nucmed.web.api_types import (
    ActivityBq,
    Code,
    DoseRateSvPerS,
    LongText,
    MassKg,
    Moment,
    RecordId,
    ShortText,
)
from nucmed.web.deps import database, require
from nucmed.web.forms import Again, Errors, Form, Step, act_on_post, local_time, read
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.WASTE_WORK))]

_BLANK_FORMAT = "%Y-%m-%d %H:%M"
"""How the forms' time fields are filled in: the site's local time, as people type it."""


def _page(
    request: Request,
    identity: Identity,
    code: str,
    failed: tuple[str, Form, Errors] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    book = disposal.read_waste(database(request), identity, code)
    key, form, errors = failed or ("", {}, {})
    local_now = book.at.astimezone(ZoneInfo(book.site.time_zone)).strftime(_BLANK_FORMAT)
    context = {
        "site": book.site,
        "containers": book.containers,
        "rule": book.rule,
        "may_work": book.may_work,
        "failed_key": key,
        "form": form,
        "errors": errors,
        "blank": {"measured_at": local_now, "sealed_at": local_now, "reference_time": local_now},
    }
    return render(request, "waste.html", context, status_code=status_code)


def _again(request: Request, identity: Identity, code: str) -> Again:
    def again(failed: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, failed, status_code=422)

    return again


@router.get("/sites/{code}/waste", response_class=HTMLResponse, include_in_schema=False)
def waste_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """The site's waste containers: contents, release date under the site's rule, surveys."""
    return _page(request, identity, code)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _container_json(view: disposal.ContainerView) -> dict[str, Any]:
    return {
        "id": view.id,
        "label": view.label,
        "mass_kg": view.mass_kg,
        "created_at": view.created_at.isoformat(),
        "items": [
            {
                "nuclide": i.nuclide,
                "activity_bq": i.activity_bq,
                "reference_time": i.reference_time.isoformat(),
                "material_id": i.material_id,
            }
            for i in view.items
        ],
        "sealed_at": _moment(view.sealed_at),
        "release_at": _moment(view.release_at),
        "releasable": view.releasable,
        "due": view.due,
        "problem": view.problem,
        "disposed": view.disposed,
        "surveys": [
            {
                "measured_at": s.measured_at.isoformat(),
                "dose_rate_sv_per_s": s.dose_rate_sv_per_s,
                "background_sv_per_s": s.background_sv_per_s,
                "passes": s.passes,
                "disposed": s.disposed,
            }
            for s in view.surveys
        ],
    }


@router.get("/api/sites/{code}/waste", tags=["waste"])
def waste_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The site's release rule and its containers (newest first) with contents and surveys."""
    book = disposal.read_waste(database(request), identity, code)
    rule = book.rule
    body = {
        "site": book.site.code,
        "at": book.at.isoformat(),
        "release_rule": {
            "rule": rule.rule,
            "half_lives": rule.half_lives,
            "margin_sv_per_s": rule.margin_sv_per_s,
        },
        "containers": [_container_json(view) for view in book.containers],
    }
    return JSONResponse(body)


# --------------------------------------------------------------------------- forms


def _nuclide(text: str) -> str:
    return get_nuclide(text.strip()).name


def _here(code: str) -> str:
    """Waste forms return to the waste page."""
    return f"/sites/{code}/waste"


def _zone(request: Request, identity: Identity, code: str) -> str:
    """The site's time zone, where the person may work on waste (else 403 before any work)."""
    return site_view(database(request), identity, code, Permission.WASTE_WORK).time_zone


def _create(request: Request, identity: Identity, code: str) -> Step:
    def step(form: Form, errors: Errors) -> None:
        text = form["mass"]
        mass = read(errors, "mass", units.parse_mass, text) if text.strip() else None
        if not form["label"].strip():
            errors["label"] = N_("give the container a label")
        if not errors:
            disposal.open_container(database(request), identity, code, form["label"], mass)

    return step


@router.post("/sites/{code}/waste", include_in_schema=False)
async def create_post(request: Request, code: str, identity: Worker) -> Response:
    """Open a new waste container."""
    step = _create(request, identity, code)
    again = _again(request, identity, code)
    return await act_on_post(request, ("label", "mass"), "new", step, again, _here(code))


def _add(request: Request, identity: Identity, where: AtSite) -> Step:
    def step(form: Form, errors: Errors) -> None:
        zone = _zone(request, identity, where.code)
        nuclide = read(errors, "nuclide", _nuclide, form["nuclide"])
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        when = read(errors, "reference_time", local_time(zone), form["reference_time"])
        if errors or nuclide is None or activity is None or when is None:
            return
        given = WasteItemInput(nuclide, activity, when)
        disposal.add_waste(database(request), identity, where, given)

    return step


@router.post("/sites/{code}/waste/{container_id}/items", include_in_schema=False)
async def add_post(
    request: Request, code: str, container_id: RecordId, identity: Worker
) -> Response:
    """Put waste (a nuclide and its activity at a time) in an open container."""
    step = _add(request, identity, AtSite(code, container_id))
    names = ("nuclide", "activity", "reference_time")
    again = _again(request, identity, code)
    return await act_on_post(request, names, f"add-{container_id}", step, again, _here(code))


def _seal(request: Request, identity: Identity, where: AtSite) -> Step:
    def step(form: Form, errors: Errors) -> None:
        zone = _zone(request, identity, where.code)
        text = form["sealed_at"]
        when = read(errors, "sealed_at", local_time(zone), text) if text.strip() else None
        if not errors:
            late = form["late_entry_reason"] or None
            disposal.seal_container(database(request), identity, where, when, late)

    return step


@router.post("/sites/{code}/waste/{container_id}/seal", include_in_schema=False)
async def seal_post(
    request: Request, code: str, container_id: RecordId, identity: Worker
) -> Response:
    """Seal a container: nothing more goes in, its decay clock starts."""
    step = _seal(request, identity, AtSite(code, container_id))
    again = _again(request, identity, code)
    key = f"seal-{container_id}"
    names = ("sealed_at", "late_entry_reason")
    return await act_on_post(request, names, key, step, again, _here(code))


def _survey(request: Request, identity: Identity, where: AtSite) -> Step:
    def step(form: Form, errors: Errors) -> None:
        zone = _zone(request, identity, where.code)
        rate = read(errors, "dose_rate", units.parse_dose_rate, form["dose_rate"])
        background = read(errors, "background", units.parse_dose_rate, form["background"])
        when = read(errors, "measured_at", local_time(zone), form["measured_at"])
        if errors or rate is None or background is None or when is None:
            return
        given = SurveyInput(when, rate, background, form["late_entry_reason"] or None)
        disposal.survey_container(database(request), identity, where, given)

    return step


@router.post("/sites/{code}/waste/{container_id}/survey", include_in_schema=False)
async def survey_post(
    request: Request, code: str, container_id: RecordId, identity: Worker
) -> Response:
    """Record the release survey; a passed survey after the release date disposes of it."""
    step = _survey(request, identity, AtSite(code, container_id))
    names = ("dose_rate", "background", "measured_at", "late_entry_reason")
    again = _again(request, identity, code)
    key = f"survey-{container_id}"
    return await act_on_post(request, names, key, step, again, _here(code))


# --------------------------------------------------------------------------- API actions


class NewContainerBody(BaseModel):
    """A waste container to open: its label and, for the clearance rule, its mass."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"label": "W-2026-014", "mass_kg": 12.0}]}
    )

    label: ShortText
    mass_kg: MassKg | None = None


class WasteItemBody(BaseModel):
    """Waste put in a container: a nuclide and its activity (Bq) at a moment."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nuclide": "Tc-99m",
                    "activity_bq": 5.0e7,
                    "reference_time": "2026-11-20T08:00:00+05:00",
                }
            ]
        }
    )

    nuclide: Code
    activity_bq: ActivityBq
    reference_time: Moment
    material_id: RecordId | None = None


class SealBody(BaseModel):
    """When the container was sealed (empty: now)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"sealed_at": "2026-11-20T09:00:00+05:00"}, {}]}
    )

    sealed_at: Moment | None = None
    late_entry_reason: LongText | None = None
    """Why the seal is entered more than the site's late-entry limit after it was made."""


class SurveyBody(BaseModel):
    """The release survey: dose rates at the container surface and of the background."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "measured_at": "2026-11-26T10:00:00+05:00",
                    "dose_rate_sv_per_s": 2.8e-11,
                    "background_sv_per_s": 2.8e-11,
                }
            ]
        }
    )

    measured_at: Moment
    dose_rate_sv_per_s: DoseRateSvPerS
    background_sv_per_s: DoseRateSvPerS
    late_entry_reason: LongText | None = None
    """Why the survey is entered more than the site's late-entry limit after it was made."""


_CONTAINERS = "/api/sites/{code}/waste/containers"


@router.post(_CONTAINERS, tags=["waste"], status_code=201)
def api_open_container(
    request: Request, code: str, body: NewContainerBody, identity: Worker
) -> JSONResponse:
    """Open a waste container at the site (radiopharmacist, RSO or administrator there)."""
    view = disposal.open_container(database(request), identity, code, body.label, body.mass_kg)
    return JSONResponse(_container_json(view), status_code=201)


@router.post(_CONTAINERS + "/{container_id}/items", tags=["waste"], status_code=201)
def api_add_waste(
    request: Request, code: str, container_id: RecordId, body: WasteItemBody, identity: Worker
) -> JSONResponse:
    """Put waste in an open container; a sealed one takes nothing more (422)."""
    given = WasteItemInput(
        body.nuclide.strip(), body.activity_bq, body.reference_time, body.material_id
    )
    view = disposal.add_waste(database(request), identity, AtSite(code, container_id), given)
    return JSONResponse(_container_json(view), status_code=201)


@router.post(_CONTAINERS + "/{container_id}/seal", tags=["waste"])
def api_seal(
    request: Request, code: str, container_id: RecordId, body: SealBody, identity: Worker
) -> JSONResponse:
    """Seal a container (an empty or sealed one is refused, 422); its decay clock starts."""
    where = AtSite(code, container_id)
    view = disposal.seal_container(
        database(request), identity, where, body.sealed_at, body.late_entry_reason
    )
    return JSONResponse(_container_json(view))


@router.post(_CONTAINERS + "/{container_id}/surveys", tags=["waste"], status_code=201)
def api_survey(
    request: Request, code: str, container_id: RecordId, body: SurveyBody, identity: Worker
) -> JSONResponse:
    """Record the release survey; one at background (within the site's margin) on or after
    the release date disposes of the container. Before that date: 422."""
    given = SurveyInput(
        body.measured_at,
        body.dose_rate_sv_per_s,
        body.background_sv_per_s,
        body.late_entry_reason,
    )
    view = disposal.survey_container(
        database(request), identity, AtSite(code, container_id), given
    )
    return JSONResponse(_container_json(view), status_code=201)
