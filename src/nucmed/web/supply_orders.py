"""A hospital's orders page: order from the producer's catalogue, amend and cancel an order,
set up and stop standing weekly orders, follow the shipments and match a hot-lab receipt with
its shipment.

Each handler calls one use case of :mod:`nucmed.services.supply`, which opens its transaction
and checks the permission (:attr:`Permission.SUPPLY_ORDER`). Activities are typed with their
unit ("10 GBq"), times in the site's local time.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nucmed import bounds, units
from nucmed.errors import N_, refusal
from nucmed.services.auth import Identity
from nucmed.services.permissions import AtSite, Permission
from nucmed.services.sites import site_view
from nucmed.services.supply import orders, pages, shipments, standing
from nucmed.services.supply.catalogue import WEEKDAYS
from nucmed.services.supply.documents import shipment_document_pdf
from nucmed.services.supply.orders import Wanted
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Again, Errors, Form, act_on_post, local_time, read
from nucmed.web.supply_labels import FORMS, REASONS, STATUSES
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Orderer = Annotated[Identity, Depends(require(Permission.SUPPLY_ORDER))]

_CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def _path(code: str) -> str:
    return f"/sites/{code}/orders"


def parse_clock(text: str) -> int:
    """Minutes after midnight of a time of day typed ``HH:MM`` (``08:00``)."""
    found = _CLOCK.match(text)
    if found is None:
        raise refusal(N_("give the time of day as HH:MM, e.g. 08:00"))
    return int(found.group(1)) * 60 + int(found.group(2))


def _weekday(text: str) -> int:
    if text.strip() not in {str(day) for day in range(1, 8)}:
        raise refusal(N_("the weekday must be from 1 (Monday) to 7 (Sunday)"))
    return int(text)


def _page(request: Request, identity: Identity, code: str,
          failed: tuple[str, Form, Errors] | None = None) -> HTMLResponse:  # fmt: skip
    """The page; ``failed``: the form refused (its key, values and errors; 422)."""
    shown = pages.orders_page(database(request), identity, code)
    context = {
        "site": shown.site,
        "page": shown,
        "weekdays": WEEKDAYS,
        "statuses": STATUSES,
        "reasons": REASONS,
        "forms": FORMS,
        "form_key": failed[0] if failed else "",
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "supply_orders.html", context, status_code=422 if failed else 200)


def _again(request: Request, identity: Identity, code: str, key: str = "") -> Again:
    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, (key or shown[0], shown[1], shown[2]))

    return again


@router.get("/sites/{code}/orders", response_class=HTMLResponse, include_in_schema=False)
def orders_page(request: Request, code: str, identity: Orderer) -> HTMLResponse:
    """The site's orders, standing orders and shipments."""
    return _page(request, identity, code)


@router.post("/sites/{code}/orders", include_in_schema=False)
async def order_post(request: Request, code: str, identity: Orderer) -> Response:
    """Place an order."""

    def step(form: Form, errors: Errors) -> int | None:
        zone = site_view(database(request), identity, code, Permission.SUPPLY_ORDER).time_zone
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        calibration = read(errors, "calibration", local_time(zone), form["calibration"])
        if errors or activity is None or calibration is None:
            return None
        wanted = Wanted(activity, calibration, form["product"])
        return orders.place_order(database(request), identity, code, wanted)

    names = ("product", "activity", "calibration")
    return await act_on_post(request, names, "order", step, _again(request, identity, code),
                             _path(code))  # fmt: skip


@router.post("/sites/{code}/orders/{number}/amend", include_in_schema=False)
async def amend_post(request: Request, code: str, number: RecordId,
                     identity: Orderer) -> Response:  # fmt: skip
    """Amend an order (a new version with the reason)."""

    def step(form: Form, errors: Errors) -> int | None:
        zone = site_view(database(request), identity, code, Permission.SUPPLY_ORDER).time_zone
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        calibration = read(errors, "calibration", local_time(zone), form["calibration"])
        if errors or activity is None or calibration is None:
            return None
        wanted = Wanted(activity, calibration, reason=form["reason"])
        return orders.amend_order(database(request), identity, code, number, wanted)

    key = f"amend-{number}"
    return await act_on_post(request, ("activity", "calibration", "reason"), key, step,
                             _again(request, identity, code, key), _path(code))  # fmt: skip


@router.post("/sites/{code}/orders/{number}/cancel", include_in_schema=False)
async def cancel_post(request: Request, code: str, number: RecordId,
                      identity: Orderer) -> Response:  # fmt: skip
    """Cancel an order, with the reason."""

    def step(form: Form, errors: Errors) -> int:
        return orders.cancel_order(database(request), identity, code, number, form["reason"])

    key = f"cancel-{number}"
    return await act_on_post(request, ("reason",), key, step,
                             _again(request, identity, code, key), _path(code))  # fmt: skip


@router.post("/sites/{code}/standing-orders", include_in_schema=False)
async def standing_post(request: Request, code: str, identity: Orderer) -> Response:
    """Set up a standing weekly order."""

    def step(form: Form, errors: Errors) -> int | None:
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        weekday = read(errors, "weekday", _weekday, form["weekday"])
        minute = read(errors, "time", parse_clock, form["time"])
        if errors or activity is None or weekday is None or minute is None:
            return None
        given = standing.StandingInput(form["product"], activity, weekday, minute)
        return standing.add_standing_order(database(request), identity, code, given)

    names = ("product", "activity", "weekday", "time")
    return await act_on_post(request, names, "standing", step,
                             _again(request, identity, code), _path(code))  # fmt: skip


@router.post("/sites/{code}/standing-orders/{number}/stop", include_in_schema=False)
async def stop_post(request: Request, code: str, number: RecordId,
                    identity: Orderer) -> Response:  # fmt: skip
    """Stop a standing order (the orders already made stay)."""

    def step(form: Form, errors: Errors) -> None:
        standing.stop_standing_order(database(request), identity, code, number)

    return await act_on_post(request, (), "stop", step, _again(request, identity, code),
                             _path(code))  # fmt: skip


@router.post("/sites/{code}/shipments/{shipment_id}/receive", include_in_schema=False)
async def receive_post(request: Request, code: str, shipment_id: RecordId,
                       identity: Orderer) -> Response:  # fmt: skip
    """Match a hot-lab receipt with the shipment it came from."""

    def step(form: Form, errors: Errors) -> bool | None:
        material = read(errors, "material", lambda t: bounds.check_id(N_("material"), t),
                        form["material"])  # fmt: skip
        if errors or material is None:
            return None
        return shipments.receive_shipment(database(request), identity, code, shipment_id,
                                          material)  # fmt: skip

    key = f"receive-{shipment_id}"
    return await act_on_post(request, ("material",), key, step,
                             _again(request, identity, code, key), _path(code))  # fmt: skip


@router.get("/sites/{code}/orders/shipments/{shipment_id}/transport.pdf",
            include_in_schema=False)  # fmt: skip
def transport_pdf(request: Request, code: str, shipment_id: RecordId,
                  identity: Orderer) -> Response:  # fmt: skip
    """The transport document and package label of a shipment to the site (PDF)."""
    language = request_localizer(request).language
    pdf = shipment_document_pdf(database(request), identity, AtSite(code, shipment_id), language,
                                producer=False)  # fmt: skip
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="transport-shipment-{shipment_id}.pdf"'
        },
    )
