"""The JSON API of dose calibrators: list a site's calibrators with their QC, register one,
and enter its constancy, linearity, accuracy and geometry results (AAPM TG-181). The same
services as the calibrators page (:mod:`nucmed.web.calibration`) answer, with the same
refusals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nucmed.physics.decay import Activity
from nucmed.services.auth import Identity
from nucmed.services.hotlab import calibrator_log as log
from nucmed.services.hotlab.calibrator_log import CalibratorQcView
from nucmed.services.hotlab.calibrators import (
    AccuracyInput,
    CalibratorInput,
    ConstancyInput,
    GeometryInput,
)
from nucmed.services.permissions import AtSite, Permission
from nucmed.web.api_types import (
    ActivityBq,
    Code,
    LongText,
    Moment,
    RecordId,
    ShortText,
    Text100,
    examples,
)
from nucmed.web.deps import database, require

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]


def _qc_json(row: CalibratorQcView) -> dict[str, Any]:
    return {
        "id": row.id,
        "test": row.test,
        "performed_at": row.performed_at.isoformat(),
        "passes": row.passes,
        "tolerance": row.tolerance,
        "readings": dict(row.readings),
        "result": dict(row.result),
    }


@router.get("/api/sites/{code}/calibrators", tags=["hot lab"])
def calibrators_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The site's calibrators, each with its QC results (oldest first) and today's status."""
    view = log.read_calibrators(database(request), identity, code)
    body = [
        {
            "id": c.device.id,
            "name": c.device.name,
            "model": c.device.model,
            "serial": c.device.serial,
            "check_source": {
                "nuclide": c.device.check_source_nuclide,
                "activity_bq": c.device.check_source_bq,
                "reference_time": c.device.check_source_reference_time.isoformat(),
                "activity_now_bq": c.check_now_bq,
            },
            "usable_for_dispensing": c.usable_for_dispensing,
            "problem": c.problem,
            "qc": [_qc_json(r) for r in c.qc],
        }
        for c in view.calibrators
    ]
    return JSONResponse({"site": view.site.code, "at": view.at.isoformat(), "calibrators": body})


# --------------------------------------------------------------------------- the API


class CalibratorBody(BaseModel):
    """A dose calibrator and its constancy check source (certified activity in Bq at a time)."""

    model_config = examples(
        {
            "name": "Hot lab calibrator",
            "model": "CRC-55tR",
            "serial": "55-1234",
            "check_nuclide": "Cs-137",
            "check_activity_bq": 7.4e6,
            "check_reference_time": "2024-01-01T12:00:00+05:00",
        }
    )

    name: Text100
    model: Text100 = ""
    serial: Text100 = ""
    check_nuclide: Code
    check_activity_bq: ActivityBq
    check_reference_time: Moment


@router.post("/api/sites/{code}/calibrators", tags=["hot lab"], status_code=201)
def add_calibrator(
    request: Request, code: str, body: CalibratorBody, identity: Worker
) -> JSONResponse:
    """Register a dose calibrator and its constancy check source."""
    given = CalibratorInput(
        body.name,
        body.model,
        body.serial,
        body.check_nuclide,
        body.check_activity_bq,
        body.check_reference_time,
    )
    made = log.register_calibrator(database(request), identity, code, given)
    return JSONResponse({"id": made.id, "name": made.name}, status_code=201)


class ConstancyBody(BaseModel):
    """The daily reading of the check source (Bq) and when it was made."""

    model_config = examples({"reading_bq": 7.1e6, "measured_at": "2026-11-23T07:30:00+05:00"})

    reading_bq: ActivityBq
    measured_at: Moment
    late_entry_reason: LongText | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


class TimedReading(BaseModel):
    """One reading of a decaying source: when, and the activity read (Bq)."""

    measured_at: Moment
    activity_bq: ActivityBq


class LinearityBody(BaseModel):
    """Readings of a Tc-99m source over about 60-72 h (decay method), at least three."""

    model_config = examples(
        {
            "readings": [
                {"measured_at": "2026-11-23T08:00:00+05:00", "activity_bq": 25e9},
                {"measured_at": "2026-11-24T08:00:00+05:00", "activity_bq": 1.57e9},
                {"measured_at": "2026-11-26T08:00:00+05:00", "activity_bq": 6.2e6},
            ]
        }
    )

    readings: list[TimedReading]
    late_entry_reason: LongText | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


class AccuracyBody(BaseModel):
    """Repeated readings (Bq) of a reference source of certified activity (Bq at a time)."""

    model_config = examples(
        {
            "source_nuclide": "Co-57",
            "source_activity_bq": 185e6,
            "source_reference_time": "2026-01-01T12:00:00+05:00",
            "readings_bq": [190e6, 188e6, 192e6],
            "measured_at": "2026-01-01T12:00:00+05:00",
        }
    )

    source_nuclide: Code
    source_activity_bq: ActivityBq
    source_reference_time: Moment
    readings_bq: list[ActivityBq]
    measured_at: Moment
    late_entry_reason: LongText | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


class GeometryReading(BaseModel):
    """The same activity read in another geometry: its label and the reading (Bq)."""

    label: ShortText
    activity_bq: ActivityBq


class GeometryBody(BaseModel):
    """One activity read in the reference geometry (Bq) and in other geometries."""

    model_config = examples(
        {
            "reference_bq": 100e6,
            "geometries": [{"label": "syringe 3 mL", "activity_bq": 104e6}],
            "measured_at": "2026-11-23T09:00:00+05:00",
        }
    )

    reference_bq: ActivityBq
    geometries: list[GeometryReading]
    measured_at: Moment
    late_entry_reason: LongText | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


_QC_PATH = "/api/sites/{code}/calibrators/{calibrator_id}"


def _qc_created(row: CalibratorQcView) -> JSONResponse:
    return JSONResponse(_qc_json(row), status_code=201)


@router.post(f"{_QC_PATH}/constancy", tags=["hot lab"], status_code=201)
def constancy_api(
    request: Request, code: str, calibrator_id: RecordId, body: ConstancyBody, identity: Worker
) -> JSONResponse:
    """Record the daily constancy reading of the check source (tolerance ±10 %)."""
    where = AtSite(code, calibrator_id)
    db = database(request)
    given = ConstancyInput(body.reading_bq, body.measured_at, body.late_entry_reason)
    return _qc_created(log.enter_constancy(db, identity, where, given))


@router.post(f"{_QC_PATH}/linearity", tags=["hot lab"], status_code=201)
def linearity_api(
    request: Request, code: str, calibrator_id: RecordId, body: LinearityBody, identity: Worker
) -> JSONResponse:
    """Record a linearity test by the decay method."""
    readings = [(r.measured_at, r.activity_bq) for r in body.readings]
    db = database(request)
    where = AtSite(code, calibrator_id)
    return _qc_created(log.enter_linearity(db, identity, where, readings, body.late_entry_reason))


@router.post(f"{_QC_PATH}/accuracy", tags=["hot lab"], status_code=201)
def accuracy_api(
    request: Request, code: str, calibrator_id: RecordId, body: AccuracyBody, identity: Worker
) -> JSONResponse:
    """Record an accuracy test with a reference source."""
    source = Activity.of(body.source_nuclide, body.source_activity_bq, body.source_reference_time)
    given = AccuracyInput(source, body.readings_bq, body.measured_at, body.late_entry_reason)
    db = database(request)
    return _qc_created(log.enter_accuracy(db, identity, AtSite(code, calibrator_id), given))


@router.post(f"{_QC_PATH}/geometry", tags=["hot lab"], status_code=201)
def geometry_api(
    request: Request, code: str, calibrator_id: RecordId, body: GeometryBody, identity: Worker
) -> JSONResponse:
    """Record a geometry test: correction factors of other geometries to the reference."""
    measured = [(g.label, g.activity_bq) for g in body.geometries]
    given = GeometryInput(body.reference_bq, measured, body.measured_at, body.late_entry_reason)
    db = database(request)
    return _qc_created(log.enter_geometry(db, identity, AtSite(code, calibrator_id), given))
