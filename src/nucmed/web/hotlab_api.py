"""The hot lab's JSON API: the same use cases as the pages, with SI numbers whose names carry
their unit (``activity_bq``, ``volume_m3``) and ISO 8601 times with offsets.

Refusals of a safety rule answer 422 with the rule's message; nothing is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel

from nucmed.services.auth import Identity
from nucmed.services.hotlab import doses, elution, preparation, receiving
from nucmed.services.hotlab.materials import blocking_reasons, latest_qc, remaining
from nucmed.services.uow import Store, transaction
from nucmed.store.hotlab import DoseRequest, Material
from nucmed.store.models import Site
from nucmed.web.deps import at_site, factory, require, site_for
from nucmed.web.dispensary import REQUESTERS
from nucmed.web.hotlab import HOTLAB_READERS, HOTLAB_WORKERS

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["hot lab"])

Reader = Annotated[Identity, Depends(require(*HOTLAB_READERS))]
Worker = Annotated[Identity, Depends(require(*HOTLAB_WORKERS))]
Requester = Annotated[Identity, Depends(require(*REQUESTERS))]


def _material_json(store: Store, material: Material, at: datetime) -> dict[str, Any]:
    left = remaining(store, material, at)
    return {
        "id": material.id,
        "kind": material.kind,
        "nuclide": material.nuclide,
        "product": material.product,
        "lot": material.lot,
        "kit_code": material.kit_code,
        "activity_bq": material.activity_bq,
        "reference_time": material.reference_time.isoformat(),
        "volume_m3": material.volume_m3,
        "expires_at": material.expires_at.isoformat() if material.expires_at else None,
        "parent_id": material.parent_id,
        "details": material.details,
        "now": {
            "at": at.isoformat(),
            "activity_bq": left.activity_bq,
            "volume_m3": left.volume_m3,
        },
        "blocked": blocking_reasons(store, material, at),
        "qc": {
            test: {
                "value": r.value,
                "limit": r.limit,
                "passes": r.passes,
                "method": r.method,
                "measured_at": r.measured_at.isoformat(),
            }
            for test, r in latest_qc(store, material).items()
        },
    }


def _material_at_site(
    store: Store, identity: Identity, material_id: int, roles: frozenset[Any]
) -> tuple[Site, Material]:
    return at_site(store, identity, (Material, material_id), roles)


@router.get("/materials/{material_id}")
def get_material(
    request: Request, material_id: int, identity: Reader, at: AwareDatetime | None = None
) -> JSONResponse:
    """A material with what is left at ``at`` (default now), its QC and why it is blocked."""
    with transaction(factory(request)) as store:
        _, material = _material_at_site(store, identity, material_id, HOTLAB_READERS)
        return JSONResponse(_material_json(store, material, at or datetime.now().astimezone()))


class ReceiptBody(BaseModel):
    """A delivery and its survey at receipt."""

    kind: str
    nuclide: str
    product: str
    activity_bq: float
    calibration_time: AwareDatetime
    measured_at: AwareDatetime
    surface_dose_rate_sv_per_s: float
    one_metre_dose_rate_sv_per_s: float
    wipe_bq_per_m2: float
    measured_activity_bq: float | None = None
    volume_m3: float | None = None
    lot: str | None = None
    supplier: str | None = None
    expires_at: AwareDatetime | None = None


@router.post("/sites/{code}/materials", status_code=201)
def receive(request: Request, code: str, body: ReceiptBody, identity: Worker) -> JSONResponse:
    """Record a delivered package and its survey; findings beyond action levels are listed."""
    delivery = receiving.Delivery(
        body.kind,
        body.nuclide,
        body.product,
        body.activity_bq,
        body.calibration_time,
        lot=body.lot,
        supplier=body.supplier,
        volume_m3=body.volume_m3,
        expires_at=body.expires_at,
    )
    survey = receiving.Survey(
        body.measured_at,
        body.surface_dose_rate_sv_per_s,
        body.one_metre_dose_rate_sv_per_s,
        body.wipe_bq_per_m2,
        body.measured_activity_bq,
    )
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_WORKERS)
        actor = store.session.merge(identity.user)
        material, receipt = receiving.receive(store, actor, site, delivery, survey)
        data = _material_json(store, material, body.measured_at)
        data["findings"] = receipt.findings
        return JSONResponse(data, status_code=201)


class ElutionBody(BaseModel):
    """An elution: when, the measured Tc-99m and the volume."""

    eluted_at: AwareDatetime
    activity_bq: float
    volume_m3: float


@router.post("/materials/{material_id}/elutions", status_code=201)
def elute(request: Request, material_id: int, body: ElutionBody, identity: Worker) -> JSONResponse:
    """Elute a generator; the eluate is blocked until its QC passes."""
    with transaction(factory(request)) as store:
        site, generator = _material_at_site(store, identity, material_id, HOTLAB_WORKERS)
        actor = store.session.merge(identity.user)
        eluate = elution.elute(
            store,
            actor,
            site,
            generator,
            elution.ElutionInput(body.eluted_at, body.activity_bq, body.volume_m3),
        )
        return JSONResponse(_material_json(store, eluate, body.eluted_at), status_code=201)


class QcBody(BaseModel):
    """A QC result: Mo-99 in Bq, aluminium in kg/m³, RCP as a fraction."""

    test: str
    value: float
    method: str
    measured_at: AwareDatetime


@router.post("/materials/{material_id}/qc", status_code=201)
def qc(request: Request, material_id: int, body: QcBody, identity: Worker) -> JSONResponse:
    """Record a QC result against the site's or the kit's limit."""
    with transaction(factory(request)) as store:
        site, material = _material_at_site(store, identity, material_id, HOTLAB_WORKERS)
        actor = store.session.merge(identity.user)
        elution.record_qc(
            store,
            actor,
            site,
            material,
            elution.QcInput(body.test, body.value, body.method, body.measured_at),
        )
        return JSONResponse(_material_json(store, material, body.measured_at), status_code=201)


class PreparationBody(BaseModel):
    """A kit labelled from an eluate: kit code, eluate volume, time; shelf life if needed."""

    kit: str
    volume_m3: float
    labelled_at: AwareDatetime
    shelf_life_s: float | None = None


@router.post("/materials/{material_id}/preparations", status_code=201)
def prepare(
    request: Request, material_id: int, body: PreparationBody, identity: Worker
) -> JSONResponse:
    """Label a kit from this eluate (refused, 422, when a kit or eluate rule is broken)."""
    with transaction(factory(request)) as store:
        site, eluate = _material_at_site(store, identity, material_id, HOTLAB_WORKERS)
        actor = store.session.merge(identity.user)
        made = preparation.prepare(
            store,
            actor,
            site,
            eluate,
            preparation.PreparationInput(
                body.kit, body.volume_m3, body.labelled_at, body.shelf_life_s
            ),
        )
        return JSONResponse(_material_json(store, made, body.labelled_at), status_code=201)


class DoseRequestBody(BaseModel):
    """A dose for a patient: prescribed activity at the planned time."""

    patient_local_id: str
    patient_name: str
    procedure: str
    radiopharmaceutical: str
    nuclide: str
    prescribed_bq: float
    planned_at: AwareDatetime


@router.post("/sites/{code}/dose-requests", status_code=201)
def ask(request: Request, code: str, body: DoseRequestBody, identity: Requester) -> JSONResponse:
    """Ask for a patient dose (the patient is registered if new)."""
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, REQUESTERS)
        actor = store.session.merge(identity.user)
        patient = doses.register_patient(
            store, actor, site, doses.PatientInput(body.patient_local_id, body.patient_name)
        )
        made = doses.request_dose(
            store,
            actor,
            site,
            doses.RequestInput(
                patient.id,
                body.procedure,
                body.radiopharmaceutical,
                body.nuclide,
                body.prescribed_bq,
                body.planned_at,
            ),
        )
        return JSONResponse({"id": made.id, "patient_id": patient.id}, status_code=201)


class DrawBody(BaseModel):
    """A draw: vial, calibrator, time, measured activity; a reason if outside the tolerance."""

    vial_id: int
    calibrator_id: int
    drawn_at: AwareDatetime
    measured_bq: float
    override_reason: str | None = None


@router.post("/dose-requests/{request_id}/draws", status_code=201)
def draw(request: Request, request_id: int, body: DrawBody, identity: Worker) -> JSONResponse:
    """Draw the dose (write-locked; refused, 422, by any safety rule)."""
    with transaction(factory(request)) as store:
        made = store.session.get(DoseRequest, request_id)
        site = store.sites.by_id(made.site_id) if made else None
        if made is None or site is None:
            raise HTTPException(status_code=404, detail=f"no dose request {request_id}")
        site = site_for(store, identity, site.code, HOTLAB_WORKERS)
    result = doses.draw_dose(
        factory(request),
        identity.user.id,
        site.id,
        doses.DrawInput(
            request_id,
            body.vial_id,
            body.calibrator_id,
            body.drawn_at,
            body.measured_bq,
            body.override_reason,
        ),
    )
    return JSONResponse(
        {
            "id": result.id,
            "volume_m3": result.volume_m3,
            "expected_bq": result.expected_bq,
            "measured_bq": result.measured_bq,
            "deviation": result.deviation,
            "override_reason": result.override_reason,
            "expires_at": result.expires_at.isoformat(),
            "label_pdf": f"/draws/{result.id}/label.pdf",
        },
        status_code=201,
    )
