"""The JSON API of patient doses: ask for a dose, draw it from a vial, discard a syringe. The
same services as the day board (:mod:`nucmed.web.dispensary`) answer, with the same refusals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nucmed.services.auth import Identity
from nucmed.services.hotlab import discards, doses
from nucmed.services.permissions import Permission
from nucmed.web.api_types import (
    ActivityBq,
    Code,
    Date,
    LongText,
    Moment,
    Name,
    RecordId,
    ShortText,
    Text32,
    Text100,
    examples,
)
from nucmed.web.deps import database, require

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["hot lab"])

Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]
Requester = Annotated[Identity, Depends(require(Permission.DOSE_REQUEST))]


class DoseRequestBody(BaseModel):
    """A dose for a patient: prescribed activity (Bq) at the planned time."""

    model_config = examples(
        {
            "patient_local_id": "P-1",
            "patient_name": "Patient",
            "procedure": "Bone scan",
            "radiopharmaceutical": "mdp",
            "nuclide": "Tc-99m",
            "prescribed_bq": 740e6,
            "planned_at": "2026-11-24T10:00:00+05:00",
        }
    )

    patient_local_id: ShortText
    patient_name: Name
    procedure: Name
    radiopharmaceutical: Text100
    nuclide: Code
    prescribed_bq: ActivityBq
    planned_at: Moment
    patient_birth_date: Date | None = None
    patient_sex: Code | None = None
    """F, M, O (other) or U (unknown), as HL7 v2 PID-8."""
    patient_corrected: bool = False
    """The number is on file with another name, birth date or sex, and this is the same person
    whose identity was corrected (needs ``patient_correction_reason``)."""
    patient_correction_reason: LongText | None = None
    route: Text32 | None = None
    """The route ordered, printed on the syringe label (intravenous, oral, inhalation, ...);
    None: not stated."""
    accession_number: Code | None = None
    """The accession number the modality worklist gives the camera (DICOM SH: at most 16
    characters); None: none."""
    station_ae_title: Code | None = None
    """The AE title of the camera that does the study (the worklist's Scheduled Station AE
    Title, at most 16 characters); None: any."""


@router.post("/sites/{code}/dose-requests", status_code=201)
def ask(request: Request, code: str, body: DoseRequestBody, identity: Requester) -> JSONResponse:
    """Ask for a patient dose (the patient is registered if new)."""
    patient = doses.PatientInput(
        body.patient_local_id,
        body.patient_name,
        body.patient_birth_date,
        body.patient_sex,
        corrected=body.patient_corrected,
        reason=body.patient_correction_reason,
    )
    order = doses.DoseOrder(
        body.procedure,
        body.radiopharmaceutical,
        body.nuclide,
        body.prescribed_bq,
        body.planned_at,
        body.route,
        body.accession_number,
        body.station_ae_title,
    )
    made = doses.ask_for_dose(database(request), identity, code, patient, order)
    return JSONResponse({"id": made.id, "patient_id": made.patient_id}, status_code=201)


class DrawBody(BaseModel):
    """A draw: vial, calibrator, time, measured activity (Bq); a reason if outside the
    tolerance."""

    model_config = examples(
        {
            "vial_id": 3,
            "calibrator_id": 1,
            "drawn_at": "2026-11-24T08:00:00+05:00",
            "measured_bq": 800e6,
        }
    )

    vial_id: RecordId
    calibrator_id: RecordId
    drawn_at: Moment
    measured_bq: ActivityBq
    override_reason: LongText | None = None
    late_entry_reason: LongText | None = None
    """Why the draw is entered more than the site's late-entry limit after it was made."""


@router.post("/dose-requests/{request_id}/draws", status_code=201)
def draw(request: Request, request_id: RecordId, body: DrawBody, identity: Worker) -> JSONResponse:
    """Draw the dose (write-locked; refused, 422, by any safety rule)."""
    given = doses.DrawInput(
        request_id,
        body.vial_id,
        body.calibrator_id,
        body.drawn_at,
        body.measured_bq,
        body.override_reason,
        body.late_entry_reason,
    )
    result = doses.draw_dose(database(request), identity, given)
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


class DiscardBody(BaseModel):
    """Why a drawn syringe is discarded (dropped, contaminated, the wrong activity)."""

    model_config = examples({"reason": "syringe dropped in the shield"})

    reason: LongText


@router.post("/draws/{draw_id}/discard", status_code=201)
def discard(
    request: Request, draw_id: RecordId, body: DiscardBody, identity: Worker
) -> JSONResponse:
    """Discard a drawn syringe with the reason: its request waits for a new draw (refused,
    422, without a reason, when discarded already or when the dose has been given)."""
    made = discards.discard_draw(database(request), identity, draw_id, body.reason)
    return JSONResponse(
        {
            "draw_id": made.draw_id,
            "request_id": made.request_id,
            "discarded_at": made.discarded_at.isoformat(),
            "reason": made.reason,
        },
        status_code=201,
    )
