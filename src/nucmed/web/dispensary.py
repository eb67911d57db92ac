"""The hot lab's day: the board, dose requests, kit labelling, draws and syringe labels."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.interop.label import DoseLabel, render_label_pdf
from nucmed.radiopharmacy import kits
from nucmed.services.auth import Identity
from nucmed.services.hotlab import board, doses, preparation
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient
from nucmed.store.models import Site, User
from nucmed.web.deps import at_site, factory, request_localizer, require, site_for
from nucmed.web.forms import Errors, read
from nucmed.web.forms import Form as Form_
from nucmed.web.hotlab import HOTLAB_READERS, HOTLAB_WORKERS, act_on_material
from nucmed.web.templating import render

__all__ = ["REQUESTERS", "board_page_with", "router"]

router = APIRouter()

REQUESTERS = frozenset({Role.PHYSICIAN, Role.RADIOPHARMACIST, Role.ADMIN})
"""Who asks for a patient dose."""

Reader = Annotated[Identity, Depends(require(*HOTLAB_READERS))]
Worker = Annotated[Identity, Depends(require(*HOTLAB_WORKERS))]
Requester = Annotated[Identity, Depends(require(*REQUESTERS))]


def _zone(site: Site) -> ZoneInfo:
    return ZoneInfo(site.time_zone)


def _board(store: Store, site: Site, at: datetime) -> board.DayBoard:
    return board.day_board(store, site, at.astimezone(_zone(site)).date(), at)


def board_page_with(
    request: Request,
    identity: Identity,
    code: str,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        day = _board(store, site, now)
    return render(
        request,
        "board.html",
        {
            "site": site,
            "board": day,
            "now": now,
            "form": form,
            "errors": errors,
            "kits": kits.all_kits(),
        },
        status_code=status_code,
    )


@router.get("/sites/{code}/hotlab", response_class=HTMLResponse, include_in_schema=False)
def board_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """Today's patients and doses: what is drawn, ready or blocked, and why."""
    return board_page_with(request, identity, code, {}, {})


@router.get("/api/sites/{code}/hotlab/board", tags=["hot lab"])
def board_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The day board as JSON."""
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        day = _board(store, site, now)
        lines = [
            {
                "request_id": line.request.id,
                "patient": line.patient.local_id,
                "procedure": line.request.procedure,
                "radiopharmaceutical": line.request.radiopharmaceutical,
                "prescribed_bq": line.request.prescribed_bq,
                "planned_at": line.request.planned_at.isoformat(),
                "state": line.state,
                "vial_id": line.vial.id if line.vial else None,
                "blocked": list(line.blocked),
            }
            for line in day.lines
        ]
    return JSONResponse({"day": day.day.isoformat(), "lines": lines})


_REQUEST_FIELDS = (
    "patient_id",
    "patient_name",
    "procedure",
    "radiopharmaceutical",
    "nuclide",
    "activity",
    "planned_at",
)


def _request_input(
    site: Site, form: dict[str, str], errors: dict[str, str]
) -> tuple[doses.PatientInput, Any] | None:
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    planned = read(
        errors,
        "planned_at",
        lambda t: units.parse_datetime(t, default_tz=_zone(site)),
        form["planned_at"],
    )
    if activity is None or planned is None:
        return None
    patient = doses.PatientInput(form["patient_id"], form["patient_name"])
    return patient, (
        form["procedure"],
        form["radiopharmaceutical"],
        form["nuclide"],
        activity,
        planned,
    )


@router.post("/sites/{code}/dose-requests", include_in_schema=False)
async def request_post(request: Request, code: str, identity: Requester) -> Response:
    """Ask for a patient dose (registers the patient if new)."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _REQUEST_FIELDS}
    errors: dict[str, str] = {}
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, REQUESTERS)
    parsed = _request_input(site, form, errors)
    if parsed is not None:
        patient_input, (procedure, product, nuclide, activity, planned) = parsed
        try:
            with transaction(factory(request)) as store:
                site = store.session.merge(site)
                actor = store.session.merge(identity.user)
                patient = doses.register_patient(store, actor, site, patient_input)
                doses.request_dose(
                    store,
                    actor,
                    site,
                    doses.RequestInput(patient.id, procedure, product, nuclide, activity, planned),
                )
            return RedirectResponse(f"/sites/{code}/hotlab", status_code=303)
        except NucmedInputError as error:
            errors["form"] = Message.of(error)
    return board_page_with(request, identity, code, form, errors, status_code=422)


@router.post("/dose-requests/{request_id}/draw", include_in_schema=False)
def draw_post(
    request: Request,
    request_id: int,
    identity: Worker,
    vial_id: Annotated[int, Form()] = 0,
    calibrator_id: Annotated[int, Form()] = 0,
    drawn_at: Annotated[str, Form()] = "",
    measured: Annotated[str, Form()] = "",
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    """Draw the dose: measured activity against the prescription; refusals are shown."""
    with transaction(factory(request)) as store:
        site, _ = at_site(store, identity, (DoseRequest, request_id), HOTLAB_WORKERS)
    errors: dict[str, str] = {}
    when = read(
        errors, "drawn_at", lambda t: units.parse_datetime(t, default_tz=_zone(site)), drawn_at
    )
    activity = read(errors, "measured", units.parse_activity, measured)
    if when is not None and activity is not None:
        try:
            doses.draw_dose(
                factory(request),
                identity.user.id,
                site.id,
                doses.DrawInput(
                    request_id, vial_id, calibrator_id, when, activity, override_reason or None
                ),
            )
            return RedirectResponse(
                f"/sites/{site.code}/hotlab#request-{request_id}", status_code=303
            )
        except NucmedInputError as error:
            errors["form"] = Message.of(error)
    form = {
        "request_id": str(request_id),
        "drawn_at": drawn_at,
        "measured": measured,
        "override_reason": override_reason,
    }
    return board_page_with(request, identity, site.code, form, errors, status_code=422)


def _label(store: Store, draw: Draw, language: str) -> DoseLabel:
    dose_request = store.session.get(DoseRequest, draw.request_id)
    assert dose_request is not None
    patient = store.session.get(Patient, dose_request.patient_id)
    site = store.sites.by_id(dose_request.site_id)
    drawer = store.session.get(User, draw.drawn_by_id) if draw.drawn_by_id else None
    vial = store.session.get(Material, draw.material_id)
    assert patient is not None and site is not None and vial is not None
    return DoseLabel(
        dose_id=f"{site.code}-D{draw.id}",
        site_code=site.code,
        patient_name=patient.full_name,
        patient_id=patient.local_id,
        radiopharmaceutical=vial.product,
        nuclide=vial.nuclide,
        activity_bq=dose_request.prescribed_bq,
        activity_time=dose_request.planned_at,
        volume_m3=draw.volume_m3,
        expires_at=draw.expires_at,
        drawn_by=drawer.full_name if drawer else "-",
        time_zone=site.time_zone,
        language=language if language in ("ru", "kk", "en") else "ru",  # type: ignore[arg-type]
    )


@router.get("/draws/{draw_id}/label.pdf", tags=["hot lab"])
def label_pdf(request: Request, draw_id: int, identity: Worker) -> Response:
    """The syringe label (PDF, 100 × 50 mm, Code 128 and QR) in the user's language."""
    language = request_localizer(request).language
    with transaction(factory(request)) as store:
        draw = store.session.get(Draw, draw_id)
        dose_request = store.session.get(DoseRequest, draw.request_id) if draw else None
        site = store.sites.by_id(dose_request.site_id) if dose_request else None
        if draw is None or site is None:
            raise HTTPException(status_code=404, detail=f"no draw {draw_id}")
        site_for(store, identity, site.code, HOTLAB_WORKERS)
        pdf = render_label_pdf(_label(store, draw, language))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="dose-{draw_id}.pdf"'},
    )


@router.post("/materials/{material_id}/prepare", include_in_schema=False)
def prepare_post(
    request: Request,
    material_id: int,
    identity: Worker,
    kit: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
    labelled_at: Annotated[str, Form()] = "",
    shelf_life: Annotated[str, Form()] = "",
) -> Response:
    """Label a kit from this eluate; a refusal (kit limit, eluate not usable) is shown."""
    form = {"kit": kit, "volume": volume, "labelled_at": labelled_at, "shelf_life": shelf_life}

    def act(
        store: Store, identity: Identity, site: Site, eluate: Material, form: Form_, errors: Errors
    ) -> int | None:
        given = _preparation_input(site, form, errors)
        if given is None:
            return None
        actor = store.session.merge(identity.user)
        return preparation.prepare(store, actor, site, eluate, given).id

    return act_on_material(request, material_id, identity, form, act)


def _labelled_at(site: Site, form: Form_, errors: Errors) -> datetime | None:
    return read(
        errors,
        "labelled_at",
        lambda t: units.parse_datetime(t, default_tz=_zone(site)),
        form["labelled_at"],
    )


def _preparation_input(
    site: Site, form: dict[str, str], errors: dict[str, str]
) -> preparation.PreparationInput | None:
    volume = read(errors, "volume", units.parse_volume, form["volume"])
    when = _labelled_at(site, form, errors)
    shelf = (
        read(errors, "shelf_life", units.parse_duration, form["shelf_life"])
        if form["shelf_life"].strip()
        else None
    )
    if volume is None or when is None or errors:
        return None
    return preparation.PreparationInput(form["kit"], volume, when, shelf)


@router.post("/materials/{material_id}/prepare-product", include_in_schema=False)
def prepare_product_post(
    request: Request,
    material_id: int,
    identity: Worker,
    product: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
    labelled_at: Annotated[str, Form()] = "",
    shelf_life: Annotated[str, Form()] = "",
    rcp_min: Annotated[str, Form()] = "",
) -> Response:
    """Make a preparation of another product from this vial (e.g. Lu-177 PSMA)."""
    form = {
        "product": product,
        "volume": volume,
        "labelled_at": labelled_at,
        "shelf_life": shelf_life,
        "rcp_min": rcp_min,
    }

    def act(
        store: Store, identity: Identity, site: Site, source: Material, form: Form_, errors: Errors
    ) -> int | None:
        given = _product_input(site, form, errors)
        if given is None:
            return None
        actor = store.session.merge(identity.user)
        return preparation.prepare_product(store, actor, site, source, given).id

    return act_on_material(request, material_id, identity, form, act)


def _product_input(
    site: Site, form: dict[str, str], errors: dict[str, str]
) -> preparation.ProductPreparationInput | None:
    volume = read(errors, "volume", units.parse_volume, form["volume"])
    when = _labelled_at(site, form, errors)
    shelf = read(errors, "shelf_life", units.parse_duration, form["shelf_life"])
    rcp = read(errors, "rcp_min", units.parse_fraction, form["rcp_min"])
    if volume is None or when is None or shelf is None or rcp is None:
        return None
    return preparation.ProductPreparationInput(form["product"], volume, when, shelf, rcp)
