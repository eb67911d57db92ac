"""The hot lab's JSON API: the same use cases as the pages, with SI numbers whose names carry
their unit (``activity_bq``, ``volume_m3``) and ISO 8601 times with offsets.

Refusals of a safety rule answer 422 with the rule's message; nothing is written. A person
whose roles at the site do not allow the action gets 403; an unknown site or record 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nucmed.services.auth import Identity
from nucmed.services.hotlab import elution, preparation, receiving, stock
from nucmed.services.hotlab.materials import MaterialView, read_material
from nucmed.services.permissions import Permission
from nucmed.web.api_types import (
    ActivityBq,
    Code,
    DoseRateSvPerS,
    DurationS,
    Fraction,
    LongText,
    Moment,
    Name,
    Number,
    RecordId,
    ShortText,
    Text32,
    Text100,
    VolumeM3,
    examples,
)
from nucmed.web.deps import database, require

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["hot lab"])

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]
Requester = Annotated[Identity, Depends(require(Permission.DOSE_REQUEST))]
LicenceEditor = Annotated[Identity, Depends(require(Permission.LICENCE_EDIT))]


def _material_json(view: MaterialView) -> dict[str, Any]:
    return {
        "id": view.id,
        "kind": view.kind,
        "nuclide": view.nuclide,
        "product": view.product,
        "lot": view.lot,
        "kit_code": view.kit_code,
        "activity_bq": view.activity_bq,
        "reference_time": view.reference_time.isoformat(),
        "volume_m3": view.volume_m3,
        "expires_at": view.expires_at.isoformat() if view.expires_at else None,
        "parent_id": view.parent_id,
        "details": dict(view.details),
        "now": {
            "at": view.at.isoformat(),
            "activity_bq": view.left.activity_bq,
            "volume_m3": view.left.volume_m3,
        },
        "blocked": list(view.blocked),
        "warnings": list(view.warnings),
        "qc": {
            test: {
                "value": r.value,
                "limit": r.limit,
                "passes": r.passes,
                "method": r.method,
                "measured_at": r.measured_at.isoformat(),
                "limit_reached_at": r.limit_reached_at.isoformat() if r.limit_reached_at else None,
            }
            for test, r in view.qc.items()
        },
    }


def _created(view: MaterialView) -> JSONResponse:
    return JSONResponse(_material_json(view), status_code=201)


@router.get("/materials/{material_id}")
def get_material(
    request: Request, material_id: RecordId, identity: Reader, at: Moment | None = None
) -> JSONResponse:
    """A material with what is left at ``at`` (default now), its QC and why it is blocked."""
    return JSONResponse(
        _material_json(read_material(database(request), identity, material_id, at))
    )


@router.get("/sites/{code}/stock")
def stock_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """Open materials with their activity now (Bq) and totals per nuclide against limits."""
    view = stock.read_stock(database(request), identity, code)
    return JSONResponse(
        {
            "at": view.at.isoformat(),
            "materials": [
                {
                    "id": line.id,
                    "kind": line.kind,
                    "nuclide": line.nuclide,
                    "product": line.product,
                    "activity_bq": line.activity_bq,
                    "volume_m3": line.volume_m3,
                    "blocked": list(line.blocked),
                }
                for line in view.lines
            ],
            "totals": [
                {
                    "nuclide": t.nuclide,
                    "activity_bq": t.activity_bq,
                    "limit_bq": t.limit_bq,
                    "over_limit": t.over_limit,
                    "uncounted": t.uncounted,
                }
                for t in view.totals
            ],
        }
    )


class LicenceLimitBody(BaseModel):
    """A licence condition: the nuclide, the activity allowed on hand (Bq), the licence text."""

    model_config = examples(
        {"nuclide": "Mo-99", "limit_bq": 50e9, "source": "Licence KZ-123, annex 2"}
    )

    nuclide: Code
    limit_bq: ActivityBq
    source: LongText


@router.post("/sites/{code}/licence-limits", status_code=201)
def set_licence_limit(
    request: Request, code: str, body: LicenceLimitBody, identity: LicenceEditor
) -> JSONResponse:
    """Record the licence's limit for a nuclide (RSO or administrator; the old one stays)."""
    given = stock.LicenceLimitInput(body.nuclide, body.limit_bq, body.source)
    made = stock.set_limit(database(request), identity, code, given)
    return JSONResponse(
        {
            "nuclide": made.nuclide,
            "limit_bq": made.limit_bq,
            "source": made.source,
            "set_at": made.set_at.isoformat(),
        },
        status_code=201,
    )


class ReceiptBody(BaseModel):
    """A delivery and its survey at receipt (dose rates in Sv/s, wipe in Bq/m²)."""

    model_config = examples(
        {
            "kind": "generator",
            "nuclide": "Mo-99",
            "product": "Tc-99m generator",
            "activity_bq": 20e9,
            "calibration_time": "2026-11-23T07:00:00+05:00",
            "measured_at": "2026-11-23T09:00:00+05:00",
            "surface_dose_rate_sv_per_s": 4.2e-9,
            "one_metre_dose_rate_sv_per_s": 1.4e-10,
            "wipe_bq_per_m2": 1000.0,
            "label_category": "II-YELLOW",
            "transport_index": 0.1,
            "lot": "G-7",
            "supplier": "INP Almaty",
        }
    )

    kind: Code
    nuclide: Code
    product: Name
    activity_bq: ActivityBq
    calibration_time: Moment
    measured_at: Moment
    surface_dose_rate_sv_per_s: DoseRateSvPerS
    one_metre_dose_rate_sv_per_s: DoseRateSvPerS
    wipe_bq_per_m2: Number
    label_category: Code
    """The package's label: ``I-WHITE``, ``II-YELLOW``, ``III-YELLOW`` or ``excepted``."""
    transport_index: Number
    """The transport index on the label (0 or more)."""
    exclusive_use: bool = False
    measured_activity_bq: ActivityBq | None = None
    volume_m3: VolumeM3 | None = None
    lot: ShortText | None = None
    supplier: Name | None = None
    expires_at: Moment | None = None
    late_entry_reason: LongText | None = None
    """Why the event is entered more than the site's late-entry limit after it happened."""


@router.post("/sites/{code}/materials", status_code=201)
def receive(request: Request, code: str, body: ReceiptBody, identity: Worker) -> JSONResponse:
    """Record a delivered package and its survey; the limits exceeded (IAEA SSR-6, the site's
    lower action levels) are listed (``value`` and ``limit`` in the SI ``unit``, the ``rule``
    and its ``source``), and a package over any of them is ``quarantined``."""
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
        package=receiving.Declaration(
            body.label_category, body.transport_index, body.exclusive_use
        ),
    )
    survey = receiving.Survey(
        body.measured_at,
        body.surface_dose_rate_sv_per_s,
        body.one_metre_dose_rate_sv_per_s,
        body.wipe_bq_per_m2,
        body.measured_activity_bq,
        late_entry_reason=body.late_entry_reason,
    )
    receipt = receiving.record_receipt(database(request), identity, code, delivery, survey)
    data = _material_json(receipt.material)
    data["findings"] = list(receipt.findings)
    data["quarantined"] = receipt.quarantined
    return JSONResponse(data, status_code=201)


class ElutionBody(BaseModel):
    """An elution: when, the measured Tc-99m (Bq) and the eluate volume (m³)."""

    model_config = examples(
        {"eluted_at": "2026-11-24T07:00:00+05:00", "activity_bq": 14e9, "volume_m3": 1e-5}
    )

    eluted_at: Moment
    activity_bq: ActivityBq
    volume_m3: VolumeM3
    late_entry_reason: LongText | None = None
    """Why the event is entered more than the site's late-entry limit after it happened."""


@router.post("/materials/{material_id}/elutions", status_code=201)
def elute(
    request: Request, material_id: RecordId, body: ElutionBody, identity: Worker
) -> JSONResponse:
    """Elute a generator; the eluate is blocked until its QC passes."""
    given = elution.ElutionInput(
        body.eluted_at, body.activity_bq, body.volume_m3, body.late_entry_reason
    )
    return _created(elution.elute_generator(database(request), identity, material_id, given))


class QcBody(BaseModel):
    """A QC result: ``mo99_breakthrough`` as Mo-99 activity in Bq, ``aluminium`` in kg/m³,
    ``rcp`` as a fraction."""

    model_config = examples(
        {
            "test": "mo99_breakthrough",
            "value": 1000.0,
            "method": "moly shield",
            "measured_at": "2026-11-24T07:10:00+05:00",
        },
        {"test": "rcp", "value": 0.96, "method": "ITLC", "measured_at": "2026-11-24T08:00:00Z"},
    )

    test: Text32
    value: Number
    method: Text100
    measured_at: Moment
    late_entry_reason: LongText | None = None
    """Why the event is entered more than the site's late-entry limit after it happened."""


@router.post("/materials/{material_id}/qc", status_code=201)
def qc(request: Request, material_id: RecordId, body: QcBody, identity: Worker) -> JSONResponse:
    """Record a QC result against the site's or the kit's limit."""
    given = elution.QcInput(
        body.test, body.value, body.method, body.measured_at, body.late_entry_reason
    )
    return _created(elution.enter_qc(database(request), identity, material_id, given))


class PreparationBody(BaseModel):
    """A kit labelled from an eluate: kit code, eluate volume (m³), time; the shelf life (s)
    only when the catalogue has none."""

    model_config = examples(
        {"kit": "mdp", "volume_m3": 5e-6, "labelled_at": "2026-11-24T07:30:00+05:00"}
    )

    kit: Text32
    volume_m3: VolumeM3
    labelled_at: Moment
    shelf_life_s: DurationS | None = None
    late_entry_reason: LongText | None = None
    """Why the event is entered more than the site's late-entry limit after it happened."""


@router.post("/materials/{material_id}/preparations", status_code=201)
def prepare(
    request: Request, material_id: RecordId, body: PreparationBody, identity: Worker
) -> JSONResponse:
    """Label a kit from this eluate (refused, 422, when a kit or eluate rule is broken)."""
    given = preparation.PreparationInput(
        body.kit, body.volume_m3, body.labelled_at, body.shelf_life_s, body.late_entry_reason
    )
    return _created(preparation.label_kit(database(request), identity, material_id, given))


class ProductPreparationBody(BaseModel):
    """A product made from a received vial: its name, the volume taken (m³), the time, and
    from the product's documentation its shelf life (s) and RCP limit (fraction)."""

    model_config = examples(
        {
            "product": "Lu-177 PSMA-617",
            "volume_m3": 1e-6,
            "labelled_at": "2026-11-23T10:00:00+05:00",
            "shelf_life_s": 28800.0,
            "rcp_min_fraction": 0.95,
        }
    )

    product: Name
    volume_m3: VolumeM3
    labelled_at: Moment
    shelf_life_s: DurationS
    rcp_min_fraction: Fraction
    late_entry_reason: LongText | None = None
    """Why the event is entered more than the site's late-entry limit after it happened."""


@router.post("/materials/{material_id}/product-preparations", status_code=201)
def prepare_product(
    request: Request, material_id: RecordId, body: ProductPreparationBody, identity: Worker
) -> JSONResponse:
    """Make a preparation of a product from this vial (refused, 422, when the vial may not be
    used or the product's data are missing)."""
    given = preparation.ProductPreparationInput(
        body.product,
        body.volume_m3,
        body.labelled_at,
        body.shelf_life_s,
        body.rcp_min_fraction,
        body.late_entry_reason,
    )
    return _created(preparation.make_product(database(request), identity, material_id, given))
