"""Clinic pages and API: administrations, the DRL audit with its exports, and the exchange of
dose records (DICOM RRDSR, FHIR, HL7 v2). The administration form lives on the day board
(:mod:`nucmed.web.dispensary`); its API is here."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from nucmed import bounds
from nucmed.errors import Message, NucmedInputError
from nucmed.interop.rrdsr import write_rrdsr
from nucmed.services.auth import Identity
from nucmed.services.clinic import administrations, drl, exchange
from nucmed.services.permissions import Permission
from nucmed.web.api_types import (
    ActivityOrZeroBq,
    LengthM,
    LongText,
    MassKg,
    Moment,
    RecordId,
    Text32,
    Text100,
    Year,
)
from nucmed.web.charts import drl_chart
from nucmed.web.deps import database, require
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Auditor = Annotated[Identity, Depends(require(Permission.DRL_AUDIT))]
Giver = Annotated[Identity, Depends(require(Permission.ADMINISTER))]
PatientReader = Annotated[Identity, Depends(require(Permission.PATIENT_READ))]
Exchanger = Annotated[Identity, Depends(require(Permission.EXCHANGE))]
Registrar = Annotated[Identity, Depends(require(Permission.PATIENT_REGISTER))]
"""An HL7 import registers patients (and, with orders, asks for doses: checked by the
service)."""


@router.get("/sites/{code}/drl", response_class=HTMLResponse, include_in_schema=False)
def drl_page(
    request: Request, code: str, identity: Auditor, year: str | None = None
) -> HTMLResponse:
    """The year's audit per procedure: medians against the DRL, and a chart. A year that is
    not one from 1900 to 2100 shows this year's audit with the refusal on top (422)."""
    problem = None
    try:
        chosen = bounds.parse_year(year) if year else None
    except NucmedInputError as error:
        chosen, problem = None, Message.of(error)
    audit = drl.read_audit(database(request), identity, code, chosen)
    return render(
        request,
        "drl.html",
        {
            "site": audit.site,
            "year": audit.year,
            "rows": audit.rows,
            "audit": audit,
            "chart": drl_chart(audit.rows),
            "problem": problem,
        },
        status_code=422 if problem else 200,
    )


@router.get("/api/sites/{code}/drl", tags=["clinic"])
def drl_api(
    request: Request,
    code: str,
    identity: Auditor,
    year: Annotated[
        Year | None, Query(description="Calendar year (the site's local); default: this year.")
    ] = None,
) -> JSONResponse:
    """The DRL audit of a year as JSON: per procedure the count, median and 75th percentile
    of the administered activity (Bq), the DRL (Bq, null if not set) and the children's
    median activity per body mass (Bq/kg)."""
    audit = drl.read_audit(database(request), identity, code, year)
    rows = [{**asdict(row), "above_drl": row.above_drl} for row in audit.rows]
    return JSONResponse({"site": audit.site.code, "year": audit.year, "procedures": rows})


@router.get("/sites/{code}/drl.csv", tags=["clinic"])
def drl_csv(request: Request, code: str, identity: Auditor, year: Year | None = None) -> Response:
    """The audit as CSV (MBq)."""
    audit = drl.read_audit(database(request), identity, code, year)
    name = f"drl-{audit.site.code}-{audit.year}.csv"
    return Response(
        drl.audit_csv(audit.rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/sites/{code}/drl.xlsx", tags=["clinic"])
def drl_xlsx(request: Request, code: str, identity: Auditor, year: Year | None = None) -> Response:
    """The audit as an Excel workbook."""
    audit = drl.read_audit(database(request), identity, code, year)
    body = drl.audit_xlsx(audit.rows, f"{audit.site.name}: DRL audit {audit.year}")
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"drl-{audit.site.code}-{audit.year}.xlsx"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


class AdministrationBody(BaseModel):
    """What is recorded at the injection of a drawn dose: activities in Bq, aware times,
    body mass in kg and height in m."""

    administered_at: Moment
    route: Text32 = Field("intravenous", description="One of " + ", ".join(administrations.ROUTES))
    residual_bq: ActivityOrZeroBq = Field(0.0, description="Activity left in the syringe, Bq.")
    residual_measured_at: Moment | None = Field(
        None, description="When the residual was measured; default: the administration time."
    )
    pregnancy: administrations.Pregnancy = "not_applicable"
    breastfeeding: bool | None = None
    injection_site: Text100 | None = None
    extravasation: bool = False
    weight_kg: MassKg | None = None
    height_m: LengthM | None = None
    reason: LongText | None = Field(
        None, description="Needed when the net activity is outside the tolerance."
    )
    late_entry_reason: LongText | None = Field(
        None, description="Needed when it is entered long after it was given (a late entry)."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "administered_at": "2026-11-23T10:30:00+05:00",
                    "route": "intravenous",
                    "residual_bq": 5e6,
                    "residual_measured_at": "2026-11-23T10:35:00+05:00",
                    "weight_kg": 72.0,
                }
            ]
        }
    }


def _administration_json(view: administrations.AdministrationView) -> dict[str, Any]:
    data = asdict(view)
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in data.items()
    }


@router.post("/api/draws/{draw_id}/administrations", status_code=201, tags=["clinic"])
def administration_api(
    request: Request,
    draw_id: RecordId,
    body: Annotated[AdministrationBody, Body()],
    identity: Giver,
) -> JSONResponse:
    """Record that a drawn dose was given (422 when a rule refuses it, e.g. a net activity
    outside the tolerance without a reason, or a pregnancy question not asked)."""
    given = administrations.AdministrationInput(
        draw_id=draw_id,
        administered_at=body.administered_at,
        route=body.route,
        residual_bq=body.residual_bq,
        residual_measured_at=body.residual_measured_at or body.administered_at,
        pregnancy=body.pregnancy,
        breastfeeding=body.breastfeeding,
        injection_site=body.injection_site,
        extravasation=body.extravasation,
        weight_kg=body.weight_kg,
        height_m=body.height_m,
        reason=body.reason,
        late_entry_reason=body.late_entry_reason,
    )
    made = administrations.record_administration(database(request), identity, given)
    return JSONResponse(_administration_json(made), status_code=201)


@router.get("/api/patients/{patient_id}/administrations", tags=["clinic"])
def administrations_api(
    request: Request, patient_id: RecordId, identity: PatientReader
) -> JSONResponse:
    """A patient's administrations, oldest first (activities in Bq, effective dose in Sv)."""
    given = administrations.patient_administrations(database(request), identity, patient_id)
    return JSONResponse([_administration_json(view) for view in given])


@router.get("/administrations/{administration_id}/rrdsr.dcm", tags=["clinic"])
def rrdsr_file(request: Request, administration_id: RecordId, identity: Exchanger) -> Response:
    """The administration as a DICOM Radiopharmaceutical Radiation Dose SR (TID 10021)."""
    record = exchange.export_record(database(request), identity, administration_id)
    out = io.BytesIO()
    write_rrdsr(record).save_as(out, enforce_file_format=True)
    return Response(
        out.getvalue(),
        media_type="application/dicom",
        headers={"Content-Disposition": f'attachment; filename="rrdsr-{administration_id}.dcm"'},
    )


@router.get("/administrations/{administration_id}/fhir.json", tags=["clinic"])
def fhir_file(request: Request, administration_id: RecordId, identity: Exchanger) -> JSONResponse:
    """The administration as FHIR R4: dose summary Observation and MedicationAdministration."""
    return JSONResponse(exchange.export_fhir(database(request), identity, administration_id))


@router.post(
    "/api/sites/{code}/rrdsr",
    tags=["clinic"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/dicom": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def rrdsr_import(request: Request, code: str, identity: Giver) -> JSONResponse:
    """Read an RRDSR (DICOM file in the body) into an administration; a known event UID is
    not recorded twice (``created: false``)."""
    body = await request.body()
    got = await run_in_threadpool(exchange.receive_rrdsr, database(request), identity, code, body)
    return JSONResponse(asdict(got), status_code=201 if got.created else 200)


@router.post(
    "/api/sites/{code}/hl7",
    tags=["clinic"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": {
                    "schema": {"type": "string"},
                    "example": "MSH|^~\\&|HIS|H|NUCMED|H|202611230800||ADT^A04|1|P|2.5\r"
                    "PID|1||P-77^^^H||Ivanov^Ivan||19600101|M",
                }
            },
        }
    },
)
async def hl7_import(request: Request, code: str, identity: Registrar) -> JSONResponse:
    """An HL7 v2 ADT (patient) or ORM (order) message in the body."""
    text = (await request.body()).decode("utf-8", errors="replace")
    got = await run_in_threadpool(exchange.receive_hl7, database(request), identity, code, text)
    return JSONResponse(
        {
            "patient_id": got.patient_id,
            "dose_requests": list(got.dose_requests),
            "warnings": list(got.warnings),
        },
        status_code=201,
    )
