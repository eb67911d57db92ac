"""The supply JSON API: a hospital's orders and shipments, and the producer's order desk (plan,
confirm, dispatch, in transit), through the same use cases as the pages. Activities in Bq,
dose rates in Sv/s, times ISO 8601 with offsets.

Refusals answer 422 with the rule's message; a role that may not act at the site 403; an
unknown site or record 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nucmed.services.auth import Identity
from nucmed.services.permissions import AtSite, Permission
from nucmed.services.supply import orders, planning, shipments
from nucmed.services.supply.orders import OrderView, Wanted
from nucmed.services.supply.shipments import ShipmentView
from nucmed.web.api_types import (
    ActivityBq,
    Date,
    DoseRateSvPerS,
    Fraction,
    LongText,
    Moment,
    RecordId,
    Text32,
    examples,
)
from nucmed.web.deps import database, require

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["supply"])

Orderer = Annotated[Identity, Depends(require(Permission.SUPPLY_ORDER))]
Desk = Annotated[Identity, Depends(require(Permission.SUPPLY_DESK))]


def _order_json(view: OrderView) -> dict[str, Any]:
    return {
        "number": view.number,
        "version_id": view.version_id,
        "site": view.site_code,
        "product": view.product,
        "nuclide": view.nuclide,
        "activity_bq": view.activity_bq,
        "calibration": view.calibration_at.isoformat(),
        "status": view.status,
        "standing": view.standing,
        "versions": view.versions,
        "shipment_id": view.shipment_id,
        "discrepancy": view.discrepancy,
    }


def _shipment_json(view: ShipmentView) -> dict[str, Any]:
    return {
        "id": view.id,
        "order": view.order_number,
        "site": view.site_code,
        "product": view.product,
        "nuclide": view.nuclide,
        "departure": view.departure,
        "mode": view.mode,
        "depart": view.depart_at.isoformat(),
        "arrive": view.arrive_at.isoformat(),
        "ordered_bq": view.ordered_bq,
        "calibration": view.calibration_at.isoformat(),
        "dispatched_bq": view.dispatched_bq,
        "decay_factor": view.decay_factor,
        "status": view.status,
        "package": view.package,
        "measured_bq": view.measured_bq,
        "expected_bq": view.expected_bq,
        "discrepancy": view.discrepancy,
    }


class OrderBody(BaseModel):
    """An order: the catalogue product, the activity wanted (Bq) at the calibration time."""

    model_config = examples(
        {"product": "GEN-TC99M", "activity_bq": 20e9, "calibration": "2099-01-05T08:00:00+05:00"}
    )

    product: Text32
    activity_bq: ActivityBq
    calibration: Moment


class AmendBody(BaseModel):
    """An amendment: the new activity (Bq) and calibration time, and why."""

    model_config = examples(
        {
            "activity_bq": 10e9,
            "calibration": "2099-01-05T10:00:00+05:00",
            "reason": "fewer patients",
        }
    )

    activity_bq: ActivityBq
    calibration: Moment
    reason: LongText


class ReasonBody(BaseModel):
    """Why an order is cancelled."""

    model_config = examples({"reason": "the camera is out of order"})

    reason: LongText


class PlanBody(BaseModel):
    """The days to plan (the producer's local days) and the safety margin (a fraction)."""

    model_config = examples({"first_day": "2099-01-05", "days": 1, "margin_fraction": 0.05})

    first_day: Date
    days: int = 1
    margin_fraction: Fraction = 0.0


class DispatchBody(BaseModel):
    """The dose rates measured on the packed package (Sv/s)."""

    model_config = examples(
        {"surface_dose_rate_sv_per_s": 8.3e-8, "one_metre_dose_rate_sv_per_s": 2.2e-9}
    )

    surface_dose_rate_sv_per_s: DoseRateSvPerS
    one_metre_dose_rate_sv_per_s: DoseRateSvPerS


class ReceiveBody(BaseModel):
    """The hot-lab receipt (material id) a shipment became."""

    model_config = examples({"material_id": 1})

    material_id: RecordId


@router.get("/sites/{code}/orders")
def list_orders(request: Request, code: str, identity: Orderer) -> JSONResponse:
    """The site's orders (the newest version of each)."""
    views = orders.site_orders(database(request), identity, code)
    return JSONResponse([_order_json(view) for view in views])


@router.post("/sites/{code}/orders", status_code=201)
def place(request: Request, code: str, body: OrderBody, identity: Orderer) -> JSONResponse:
    """Order from the producer's catalogue (the cut-off and production days apply)."""
    wanted = Wanted(body.activity_bq, body.calibration, body.product)
    number = orders.place_order(database(request), identity, code, wanted)
    return JSONResponse({"number": number}, status_code=201)


@router.post("/sites/{code}/orders/{number}/amend", status_code=201)
def amend(request: Request, code: str, number: RecordId, body: AmendBody,
          identity: Orderer) -> JSONResponse:  # fmt: skip
    """Amend an order: a new version with the reason."""
    wanted = Wanted(body.activity_bq, body.calibration, reason=body.reason)
    version = orders.amend_order(database(request), identity, code, number, wanted)
    return JSONResponse({"number": number, "version_id": version}, status_code=201)


@router.post("/sites/{code}/orders/{number}/cancel", status_code=201)
def cancel(request: Request, code: str, number: RecordId, body: ReasonBody,
           identity: Orderer) -> JSONResponse:  # fmt: skip
    """Cancel an order, with the reason (a new version)."""
    version = orders.cancel_order(database(request), identity, code, number, body.reason)
    return JSONResponse({"number": number, "version_id": version}, status_code=201)


@router.get("/sites/{code}/shipments")
def site_shipments(request: Request, code: str, identity: Orderer) -> JSONResponse:
    """The shipments to the site."""
    views = shipments.site_shipments(database(request), identity, code)
    return JSONResponse([_shipment_json(view) for view in views])


@router.post("/sites/{code}/shipments/{shipment_id}/receive", status_code=201)
def receive(request: Request, code: str, shipment_id: RecordId, body: ReceiveBody,
            identity: Orderer) -> JSONResponse:  # fmt: skip
    """Name the shipment a hot-lab receipt came from; whether its activity is off."""
    flagged = shipments.receive_shipment(
        database(request), identity, code, shipment_id, body.material_id
    )
    return JSONResponse({"shipment": shipment_id, "discrepancy": flagged}, status_code=201)


@router.get("/sites/{code}/order-desk/shipments")
def desk_shipments(request: Request, code: str, identity: Desk) -> JSONResponse:
    """Every shipment of the producer."""
    views = shipments.desk_shipments(database(request), identity, code)
    return JSONResponse([_shipment_json(view) for view in views])


def _plan_json(view: planning.PlanView) -> dict[str, Any]:
    return {
        "assignments": [
            {"order": r.order_number, "site": r.site_code, "product": r.product,
             "departure": r.departure, "depart": r.depart_at.isoformat() if r.depart_at else None,
             "dispatched_bq": r.dispatched_bq, "decay_factor": r.decay_factor}
            for r in view.assigned
        ],
        "unserved": [r.order_number for r in view.unserved],
        "reasons": {str(r.order_number): r.reason for r in view.unserved},
        "total_dispatched_bq": view.total_dispatched_bq,
        "total_cost": view.total_cost,
        "status": view.status,
    }  # fmt: skip


def _request(body: PlanBody) -> planning.PlanRequest:
    return planning.PlanRequest(body.first_day, body.days, body.margin_fraction)


@router.post("/sites/{code}/order-desk/plan")
def plan(request: Request, code: str, body: PlanBody, identity: Desk) -> JSONResponse:
    """The plan of the days asked for, to review (nothing is written)."""
    view = planning.preview_plan(database(request), identity, code, _request(body))
    return JSONResponse(_plan_json(view))


@router.post("/sites/{code}/order-desk/confirm", status_code=201)
def confirm(request: Request, code: str, body: PlanBody, identity: Desk) -> JSONResponse:
    """Plan again and make a shipment of every assignment."""
    made = planning.confirm_plan(database(request), identity, code, _request(body))
    return JSONResponse({"shipments": made}, status_code=201)


@router.post("/sites/{code}/order-desk/shipments/{shipment_id}/dispatch", status_code=201)
def dispatch(request: Request, code: str, shipment_id: RecordId, body: DispatchBody,
             identity: Desk) -> JSONResponse:  # fmt: skip
    """Classify the package (IAEA SSR-6) and dispatch it; the classification."""
    rates = (body.surface_dose_rate_sv_per_s, body.one_metre_dose_rate_sv_per_s)
    package = shipments.dispatch_shipment(
        database(request), identity, AtSite(code, shipment_id), rates
    )
    return JSONResponse(package, status_code=201)


@router.post("/sites/{code}/order-desk/shipments/{shipment_id}/in-transit", status_code=201)
def in_transit(request: Request, code: str, shipment_id: RecordId,
               identity: Desk) -> JSONResponse:  # fmt: skip
    """Record that the package left with its carrier."""
    shipments.mark_in_transit(database(request), identity, code, shipment_id)
    return JSONResponse({"shipment": shipment_id, "status": "in_transit"}, status_code=201)
