"""Clinic pages: recording an administration, and the DRL audit with its exports."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.interop.rrdsr import read_rrdsr, write_rrdsr
from nucmed.services.auth import Identity
from nucmed.services.clinic import administrations, drl, exchange
from nucmed.services.therapy.courses import AGENTS
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import Administration, DoseRequest, Draw, Patient
from nucmed.store.models import Site
from nucmed.store.therapy import TherapyCourse
from nucmed.web.deps import at_site, factory, require, site_for
from nucmed.web.dispensary import board_page_with
from nucmed.web.forms import local_time, read
from nucmed.web.hotlab import HOTLAB_WORKERS
from nucmed.web.templating import render

__all__ = ["AUDITORS", "GIVERS", "THERAPISTS", "patient_page_with", "router"]

router = APIRouter()

AUDITORS = frozenset({Role.PHYSICIST, Role.RSO, Role.PHYSICIAN, Role.SUPERVISOR, Role.ADMIN})
"""Who reads and exports the DRL audit."""
GIVERS = HOTLAB_WORKERS | {Role.PHYSICIAN}
"""Who records that a dose was given."""
THERAPISTS = frozenset({Role.PHYSICIAN, Role.PHYSICIST, Role.ADMIN})
"""Who opens therapy courses and records cycles (passing a limit also needs a physician)."""

Auditor = Annotated[Identity, Depends(require(*AUDITORS))]
Giver = Annotated[Identity, Depends(require(*GIVERS))]

_FIELDS = (
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
)


def _year_bounds(site: Site, year: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.time_zone)
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _audit(
    request: Request, identity: Identity, code: str, year: int | None
) -> tuple[Site, int, list[drl.AuditRow]]:
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, AUDITORS)
        chosen = year or datetime.now(ZoneInfo(site.time_zone)).year
        start, end = _year_bounds(site, chosen)
        return site, chosen, drl.drl_audit(store, site, start, end)


@router.get("/sites/{code}/drl", response_class=HTMLResponse, include_in_schema=False)
def drl_page(
    request: Request, code: str, identity: Auditor, year: int | None = None
) -> HTMLResponse:
    """The year's audit per procedure: medians against the DRL, and a chart."""
    site, chosen, rows = _audit(request, identity, code, year)
    return render(
        request, "drl.html", {"site": site, "year": chosen, "rows": rows, "drl_key": drl.drl_key}
    )


@router.get("/sites/{code}/drl.csv", tags=["clinic"])
def drl_csv(request: Request, code: str, identity: Auditor, year: int | None = None) -> Response:
    """The audit as CSV (MBq)."""
    site, chosen, rows = _audit(request, identity, code, year)
    name = f"drl-{site.code}-{chosen}.csv"
    return Response(
        drl.audit_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/sites/{code}/drl.xlsx", tags=["clinic"])
def drl_xlsx(request: Request, code: str, identity: Auditor, year: int | None = None) -> Response:
    """The audit as an Excel workbook."""
    site, chosen, rows = _audit(request, identity, code, year)
    body = drl.audit_xlsx(rows, f"{site.name}: DRL audit {chosen}")
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"drl-{site.code}-{chosen}.xlsx"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _input(
    site: Site, draw_id: int, form: dict[str, str], errors: dict[str, str]
) -> administrations.AdministrationInput | None:
    when = local_time(site)
    given_at = read(errors, "administered_at", when, form["administered_at"])
    residual = read(errors, "residual", units.parse_activity, form["residual"] or "0 MBq")
    residual_at = (
        read(errors, "residual_measured_at", when, form["residual_measured_at"])
        if form["residual_measured_at"].strip()
        else given_at
    )
    weight = (
        read(errors, "weight", units.parse_mass, form["weight"])
        if form["weight"].strip()
        else None
    )
    height = (
        read(errors, "height", units.parse_length, form["height"])
        if form["height"].strip()
        else None
    )
    if errors or given_at is None or residual is None or residual_at is None:
        return None
    feeding = {"yes": True, "no": False}.get(form["breastfeeding"])
    pregnancy: Any = form["pregnancy"] or "not_applicable"
    return administrations.AdministrationInput(
        draw_id=draw_id,
        administered_at=given_at,
        route=form["route"] or "intravenous",
        residual_bq=residual,
        residual_measured_at=residual_at,
        pregnancy=pregnancy,
        breastfeeding=feeding,
        injection_site=form["injection_site"] or None,
        extravasation=form["extravasation"] == "yes",
        weight_kg=weight,
        height_m=height,
        reason=form["reason"].strip() or None,
    )


@router.post("/draws/{draw_id}/administration", include_in_schema=False)
async def administer_post(request: Request, draw_id: int, identity: Giver) -> Response:
    """Record that the drawn dose was given; errors are shown on the day board."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _FIELDS}
    errors: dict[str, str] = {}
    with transaction(factory(request)) as store:
        draw = store.session.get(Draw, draw_id)
        dose_request = store.session.get(DoseRequest, draw.request_id) if draw else None
        site = store.sites.by_id(dose_request.site_id) if dose_request else None
        if site is None:
            raise HTTPException(status_code=404, detail=f"no drawn dose {draw_id}")
        code = site.code
    try:
        with transaction(factory(request)) as store:
            site = site_for(store, identity, code, GIVERS)
            given = _input(site, draw_id, form, errors)
            if given is not None:
                administrations.administer(store, store.session.merge(identity.user), site, given)
    except NucmedInputError as error:
        errors["form"] = Message.of(error)
    if not errors:
        return RedirectResponse(f"/sites/{code}/hotlab#draw-{draw_id}", status_code=303)
    return board_page_with(request, identity, code, {**form, "draw_id": str(draw_id)}, errors)


@router.get("/patients/{patient_id}", response_class=HTMLResponse, include_in_schema=False)
def patient_page(request: Request, patient_id: int, identity: Auditor) -> HTMLResponse:
    """A patient's administrations with activities and dose estimates, and therapy courses."""
    return patient_page_with(request, identity, patient_id)


def patient_page_with(
    request: Request,
    identity: Identity,
    patient_id: int,
    failed: tuple[dict[str, str], dict[str, str]] | None = None,
) -> HTMLResponse:
    """The patient's page; with ``failed`` (values, errors), the course form shown again."""
    with transaction(factory(request)) as store:
        site, patient = at_site(store, identity, (Patient, patient_id), AUDITORS)
        given = store.session.scalars(
            select(Administration)
            .where(Administration.patient_id == patient.id)
            .order_by(Administration.administered_at)
        ).all()
        therapy = store.session.scalars(
            select(TherapyCourse)
            .where(TherapyCourse.patient_id == patient.id)
            .order_by(TherapyCourse.started_at)
        ).all()
        may_treat = bool(store.users.roles_at(identity.user.id, site.id) & THERAPISTS)
    form, errors = failed or ({}, {})
    context = {
        "patient": patient,
        "site": site,
        "administrations": given,
        "courses": therapy,
        "agents": AGENTS,
        "may_treat": may_treat,
        "form": form,
        "errors": errors,
    }
    return render(request, "patient.html", context, status_code=422 if failed else 200)


EXCHANGERS = AUDITORS | GIVERS
"""Who may export an administration or import records from other systems."""
Exchanger = Annotated[Identity, Depends(require(*EXCHANGERS))]


def _administration(store: Store, identity: Identity, administration_id: int) -> Administration:
    return at_site(store, identity, (Administration, administration_id), EXCHANGERS)[1]


@router.get("/administrations/{administration_id}/rrdsr.dcm", tags=["clinic"])
def rrdsr_file(request: Request, administration_id: int, identity: Exchanger) -> Response:
    """The administration as a DICOM Radiopharmaceutical Radiation Dose SR (TID 10021)."""
    with transaction(factory(request)) as store:
        row = _administration(store, identity, administration_id)
        dataset = write_rrdsr(exchange.administration_record(store, row))
    out = io.BytesIO()
    dataset.save_as(out, enforce_file_format=True)
    return Response(
        out.getvalue(),
        media_type="application/dicom",
        headers={"Content-Disposition": f'attachment; filename="rrdsr-{administration_id}.dcm"'},
    )


@router.get("/administrations/{administration_id}/fhir.json", tags=["clinic"])
def fhir_file(request: Request, administration_id: int, identity: Exchanger) -> JSONResponse:
    """The administration as FHIR R4: dose summary Observation and MedicationAdministration."""
    with transaction(factory(request)) as store:
        row = _administration(store, identity, administration_id)
        return JSONResponse(exchange.fhir_bundle(store, row))


@router.post("/api/sites/{code}/rrdsr", tags=["clinic"])
async def rrdsr_import(request: Request, code: str, identity: Exchanger) -> JSONResponse:
    """Read an RRDSR (DICOM file in the body) into an administration; a known event UID is
    not recorded twice (``created: false``)."""
    body = await request.body()
    zone = None
    with transaction(factory(request)) as store:
        zone = ZoneInfo(site_for(store, identity, code, EXCHANGERS).time_zone)
    imported = read_rrdsr(io.BytesIO(body), default_tz=zone)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, EXCHANGERS)
        row, created = exchange.import_rrdsr(
            store, store.session.merge(identity.user), site, imported
        )
        return JSONResponse(
            {"administration_id": row.id, "created": created}, status_code=201 if created else 200
        )


@router.post("/api/sites/{code}/hl7", tags=["clinic"])
async def hl7_import(request: Request, code: str, identity: Exchanger) -> JSONResponse:
    """An HL7 v2 ADT (patient) or ORM (order) message in the body."""
    text = (await request.body()).decode("utf-8", errors="replace")
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, EXCHANGERS)
        result = exchange.import_hl7(store, store.session.merge(identity.user), site, text)
    return JSONResponse(result, status_code=201)
