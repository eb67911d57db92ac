"""The producer's order desk: the coming week's orders by day, the plan of a day or a week to
review (assignments and the orders it cannot serve, with why), its confirmation into shipments,
dispatch with the package's measured dose rates, departure, and the discrepancies found at
receipt.

Each handler calls one use case of :mod:`nucmed.services.supply`, which opens its transaction
and checks :attr:`Permission.SUPPLY_DESK` at the producer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.services.auth import Identity
from nucmed.services.permissions import AtSite, Permission
from nucmed.services.supply import pages, planning, shipments, standing
from nucmed.services.supply.documents import shipment_document_pdf
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Again, Errors, Form, act, act_on_post, posted, read
from nucmed.web.supply_labels import MODES, PACKAGE_TYPES, REASONS, STATUSES
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Desk = Annotated[Identity, Depends(require(Permission.SUPPLY_DESK))]
_PLAN_FIELDS = ("first_day", "days", "margin")


def _path(code: str) -> str:
    return f"/sites/{code}/order-desk"


def _page(request: Request, identity: Identity, code: str,
          failed: tuple[str, Form, Errors] | None = None,
          plan: planning.PlanView | None = None) -> HTMLResponse:  # fmt: skip
    """The desk; ``failed``: the form refused (422); ``plan``: a plan to review."""
    shown = pages.desk_page(database(request), identity, code)
    context = {
        "site": shown.site,
        "page": shown,
        "plan": plan,
        "statuses": STATUSES,
        "reasons": REASONS,
        "modes": MODES,
        "package_types": PACKAGE_TYPES,
        "form_key": failed[0] if failed else "plan" if plan else "",
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "supply_desk.html", context, status_code=422 if failed else 200)


def _again(request: Request, identity: Identity, code: str, key: str = "") -> Again:
    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, (key or shown[0], shown[1], shown[2]))

    return again


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(N_("give the day as YYYY-MM-DD, e.g. 2026-12-07")) from None


def _days(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= planning.MAX_DAYS:
        raise refusal(N_("plan 1 to {most} days at once"), most=planning.MAX_DAYS)
    return int(text)


def _request(form: Form, errors: Errors) -> planning.PlanRequest | None:
    first = read(errors, "first_day", _day, form["first_day"])
    days = read(errors, "days", _days, form["days"] or "1")
    margin = read(errors, "margin", units.parse_fraction, form["margin"] or "0")
    if errors or first is None or days is None or margin is None:
        return None
    return planning.PlanRequest(first, days, margin)


@router.get("/sites/{code}/order-desk", response_class=HTMLResponse, include_in_schema=False)
def desk_page(request: Request, code: str, identity: Desk) -> HTMLResponse:
    """Incoming orders, shipments and discrepancies."""
    return _page(request, identity, code)


def _preview(request: Request, identity: Identity, code: str, form: Form) -> Response:
    errors: Errors = {}
    wanted = _request(form, errors)
    if wanted is not None:
        try:
            plan = planning.preview_plan(database(request), identity, code, wanted)
        except NucmedInputError as error:
            errors["form"] = Message.of(error)
        else:
            return _page(request, identity, code, plan=plan)
    return _page(request, identity, code, ("plan", form, errors))


@router.post("/sites/{code}/order-desk/plan", include_in_schema=False)
async def plan_post(request: Request, code: str, identity: Desk) -> Response:
    """Plan a day or a week and show it for review (nothing is written)."""
    form = await posted(request, _PLAN_FIELDS)
    return await run_in_threadpool(_preview, request, identity, code, form)


@router.post("/sites/{code}/order-desk/confirm", include_in_schema=False)
async def confirm_post(request: Request, code: str, identity: Desk) -> Response:
    """Plan again and make the shipments."""

    def step(form: Form, errors: Errors) -> int | None:
        wanted = _request(form, errors)
        if wanted is None:
            return None
        return planning.confirm_plan(database(request), identity, code, wanted)

    return await act_on_post(request, _PLAN_FIELDS, "plan", step,
                             _again(request, identity, code), _path(code))  # fmt: skip


@router.post("/sites/{code}/order-desk/standing", include_in_schema=False)
async def standing_post(request: Request, code: str, identity: Desk) -> Response:
    """Make the coming week's orders of the standing orders."""

    def step(form: Form, errors: Errors) -> int:
        return standing.materialise_week(database(request), identity, code)

    return await act_on_post(request, (), "standing", step, _again(request, identity, code),
                             _path(code))  # fmt: skip


def _dispatch(request: Request, identity: Identity, at: AtSite, form: Form) -> Response:
    def step(form: Form, errors: Errors) -> object:
        surface = read(errors, "surface", units.parse_dose_rate, form["surface"])
        one_metre = read(errors, "one_metre", units.parse_dose_rate, form["one_metre"])
        if errors or surface is None or one_metre is None:
            return None
        return shipments.dispatch_shipment(database(request), identity, at, (surface, one_metre))

    key = f"dispatch-{at.id}"
    return act(key, form, step, _again(request, identity, at.code, key), _path(at.code))


@router.post("/sites/{code}/shipments/{shipment_id}/dispatch", include_in_schema=False)
async def dispatch_post(request: Request, code: str, shipment_id: RecordId,
                        identity: Desk) -> Response:  # fmt: skip
    """Classify the packed package from its dose rates and dispatch it."""
    form = await posted(request, ("surface", "one_metre"))
    return await run_in_threadpool(_dispatch, request, identity, AtSite(code, shipment_id), form)


@router.post("/sites/{code}/shipments/{shipment_id}/in-transit", include_in_schema=False)
async def transit_post(request: Request, code: str, shipment_id: RecordId,
                       identity: Desk) -> Response:  # fmt: skip
    """Record that the package left with its carrier."""

    def step(form: Form, errors: Errors) -> None:
        shipments.mark_in_transit(database(request), identity, code, shipment_id)

    key = f"transit-{shipment_id}"
    return await act_on_post(request, (), key, step, _again(request, identity, code, key),
                             _path(code))  # fmt: skip


@router.get("/sites/{code}/order-desk/shipments/{shipment_id}/transport.pdf",
            include_in_schema=False)  # fmt: skip
def transport_pdf(request: Request, code: str, shipment_id: RecordId, identity: Desk) -> Response:
    """The transport document and package label of a dispatched shipment (PDF)."""
    language = request_localizer(request).language
    pdf = shipment_document_pdf(database(request), identity, AtSite(code, shipment_id), language,
                                producer=True)  # fmt: skip
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="transport-shipment-{shipment_id}.pdf"'
        },
    )
