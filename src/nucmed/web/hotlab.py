"""Hot-lab pages: stock, receipt, a material with its elution and QC, licence limits.

Each handler reads the form, calls one use case of :mod:`nucmed.services.hotlab` (which opens
its transaction and checks the permission) and shows its view; times typed without an offset
are read in the site's time zone, which :mod:`nucmed.services.hotlab.places` tells.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.services import access
from nucmed.services.auth import Identity
from nucmed.services.hotlab import elution, receiving, stock
from nucmed.services.hotlab.places import material_site
from nucmed.services.permissions import Permission
from nucmed.services.sites import site_view
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, act, local_time, posted, read
from nucmed.web.forms import Form as Fields
from nucmed.web.material_page import material_page_with, material_path
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]
LicenceEditor = Annotated[Identity, Depends(require(Permission.LICENCE_EDIT))]

MaterialStep = Callable[[Fields, Errors], int | None]
"""Parse a form and call the use case: the id of the material to show next (None: a field
was wrong and its error is in ``Errors``)."""


def _act_to_material(
    form: Fields, step: MaterialStep, again: Callable[[Fields, Errors], Response]
) -> Response:
    """Run ``step`` (:func:`~nucmed.web.forms.act`): 303 to the material it names, else the
    page ``again`` with the errors beside the fields (a refusal of the whole form under
    ``"form"``)."""
    return act("form", form, step, lambda shown: again(shown[1], shown[2]), material_path)


# --------------------------------------------------------------------------- stock
def _stock_page(
    request: Request,
    identity: Identity,
    code: str,
    limit_form: tuple[Fields, str] | None = None,
) -> HTMLResponse:
    view = stock.read_stock(database(request), identity, code)
    form, error = limit_form or ({}, "")
    context = {
        "site": view.site,
        "lines": view.lines,
        "totals": view.totals,
        "at": view.at,
        "limit_form": form,
        "limit_error": error,
        "may": access.permissions_at(database(request), identity, code),
    }
    return render(request, "stock.html", context, status_code=422 if error else 200)


@router.get("/sites/{code}/stock", response_class=HTMLResponse, include_in_schema=False)
def stock_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """Every source on site with its current activity; totals against the licence."""
    return _stock_page(request, identity, code)


@router.post("/sites/{code}/licence-limits", include_in_schema=False)
def licence_limit_post(
    request: Request,
    code: str,
    identity: LicenceEditor,
    nuclide: Annotated[str, Form()] = "",
    limit: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    """Record the licence's limit for a nuclide (RSO or administrator)."""
    try:
        given = stock.LicenceLimitInput(nuclide, units.parse_activity(limit), source)
        stock.set_limit(database(request), identity, code, given)
    except NucmedInputError as error:
        form = {"nuclide": nuclide, "limit": limit, "source": source}
        return _stock_page(request, identity, code, (form, Message.of(error)))
    return RedirectResponse(f"/sites/{code}/stock", status_code=303)


# --------------------------------------------------------------------------- receipt
@router.get("/sites/{code}/receive", response_class=HTMLResponse, include_in_schema=False)
def receive_form(request: Request, code: str, identity: Worker) -> HTMLResponse:
    """The form to record a delivered package and its survey."""
    site = site_view(database(request), identity, code, Permission.HOTLAB_WORK)
    form = {"kind": "generator", "nuclide": "Mo-99"}
    context = {"site": site, "form": form, "errors": {}, "categories": _CATEGORIES}
    return render(request, "receive.html", context)


_CATEGORIES = (
    ("I-WHITE", N_("I-WHITE")),
    ("II-YELLOW", N_("II-YELLOW")),
    ("III-YELLOW", N_("III-YELLOW")),
    ("excepted", N_("excepted package (no label)")),
)
"""The label categories of the receipt form (IAEA SSR-6), each with its shown name."""


def _category(text: str) -> str:
    if text not in receiving.CATEGORIES:
        raise refusal(N_("choose the label category shown on the package"))
    return text


def _transport_index(text: str) -> float:
    """A transport index as printed on the label (a number, 0 or more)."""
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        raise refusal(N_("write the transport index from the label, e.g. 0.4")) from None
    if not math.isfinite(value) or value < 0:
        raise refusal(N_("the transport index is a number of 0 or more, e.g. 0.4"))
    return value


def _declaration(form: Fields, errors: Errors) -> receiving.Declaration | None:
    """The package's label category, transport index and exclusive use, as declared."""
    category = read(errors, "label_category", _category, form["label_category"])
    ti = read(errors, "transport_index", _transport_index, form["transport_index"])
    if category is None or ti is None:
        return None
    return receiving.Declaration(category, ti, form["exclusive_use"] == "on")


def _optional(errors: Errors, name: str, parse: Callable[[str], float], text: str) -> float | None:
    return read(errors, name, parse, text) if text.strip() else None


def _delivery_and_survey(
    time_zone: str, form: Fields, errors: Errors
) -> tuple[receiving.Delivery, receiving.Survey] | None:
    when = local_time(time_zone)
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    calibrated = read(errors, "calibration_time", when, form["calibration_time"])
    volume = _optional(errors, "volume", units.parse_volume, form["volume"])
    measured_at = read(errors, "measured_at", when, form["measured_at"])
    surface = read(errors, "surface", units.parse_dose_rate, form["surface"])
    one_metre = read(errors, "one_metre", units.parse_dose_rate, form["one_metre"])
    wipe = read(errors, "wipe", _wipe_bq_per_m2, form["wipe"])
    measured = _optional(
        errors, "measured_activity", units.parse_activity, form["measured_activity"]
    )
    package = _declaration(form, errors)
    if errors or None in (activity, calibrated, measured_at, surface, one_metre, wipe, package):
        return None
    assert package is not None
    assert activity is not None and calibrated is not None and measured_at is not None
    assert surface is not None and one_metre is not None and wipe is not None
    delivery = receiving.Delivery(
        form["kind"],
        form["nuclide"],
        form["product"],
        activity,
        calibrated,
        lot=form["lot"] or None,
        supplier=form["supplier"] or None,
        volume_m3=volume,
        package=package,
    )
    late = form["late_entry_reason"] or None
    survey = receiving.Survey(
        measured_at, surface, one_metre, wipe, measured, late_entry_reason=late
    )
    return delivery, survey


def _wipe_bq_per_m2(text: str) -> float:
    """A wipe result typed in Bq/cm² (the unit of the limits), as Bq/m²."""
    try:
        value = float(text.replace(",", ".").replace("Bq/cm²", "").replace("Bq/cm2", "").strip())
    except ValueError:
        raise refusal(
            N_("'{text}': write the wipe result in Bq/cm², e.g. 0.5"), text=text
        ) from None
    if value < 0:
        raise refusal(N_("a wipe result cannot be negative"))
    return value / units.M_PER_CM**2


_RECEIPT_FIELDS = (
    "kind",
    "nuclide",
    "product",
    "lot",
    "supplier",
    "activity",
    "calibration_time",
    "volume",
    "measured_at",
    "surface",
    "one_metre",
    "wipe",
    "measured_activity",
    "late_entry_reason",
    "label_category",
    "transport_index",
    "exclusive_use",
)


def _receive(request: Request, identity: Identity, code: str, form: Fields) -> Response:
    db = database(request)
    site = site_view(db, identity, code, Permission.HOTLAB_WORK)

    def step(form: Fields, errors: Errors) -> int | None:
        parsed = _delivery_and_survey(site.time_zone, form, errors)
        if parsed is None:
            return None
        return receiving.record_receipt(db, identity, code, *parsed).material.id

    def again(form: Fields, errors: Errors) -> Response:
        context = {"site": site, "form": form, "errors": errors, "categories": _CATEGORIES}
        return render(request, "receive.html", context, status_code=422)

    return _act_to_material(form, step, again)


@router.post("/sites/{code}/receive", include_in_schema=False)
async def receive_post(request: Request, code: str, identity: Worker) -> Response:
    """Record the delivery; on bad input show the errors beside the fields."""
    form = await posted(request, _RECEIPT_FIELDS)
    return await run_in_threadpool(_receive, request, identity, code, form)


# --------------------------------------------------------------------------- a material
@router.get("/materials/{material_id}", response_class=HTMLResponse, include_in_schema=False)
def material_page(request: Request, material_id: RecordId, identity: Reader) -> HTMLResponse:
    """A material: what is left, why it is blocked, its QC, its eluates or preparations."""
    return material_page_with(request, identity, material_id, ({}, {}))


def _on_material(
    request: Request, identity: Identity, material_id: RecordId, form: Fields, step: MaterialStep
) -> Response:
    def again(form: Fields, errors: Errors) -> Response:
        return material_page_with(request, identity, material_id, (form, errors))

    return _act_to_material(form, step, again)


@router.post("/materials/{material_id}/elute", include_in_schema=False)
def elute_post(
    request: Request,
    material_id: RecordId,
    identity: Worker,
    eluted_at: Annotated[str, Form()] = "",
    activity: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
    late_entry_reason: Annotated[str, Form()] = "",
) -> Response:
    """Record an elution of this generator."""
    db = database(request)

    def step(form: Fields, errors: Errors) -> int | None:
        site = material_site(db, identity, material_id, Permission.HOTLAB_WORK)
        when = read(errors, "eluted_at", local_time(site.time_zone), form["eluted_at"])
        measured = read(errors, "activity", units.parse_activity, form["activity"])
        volume_m3 = read(errors, "volume", units.parse_volume, form["volume"])
        if when is None or measured is None or volume_m3 is None:
            return None
        late = form["late_entry_reason"] or None
        given = elution.ElutionInput(when, measured, volume_m3, late)
        return elution.elute_generator(db, identity, material_id, given).id

    form = {
        "eluted_at": eluted_at,
        "activity": activity,
        "volume": volume,
        "late_entry_reason": late_entry_reason,
    }
    return _on_material(request, identity, material_id, form, step)


def _qc_value(test: str) -> Callable[[str], float]:
    """How a QC value is typed: Mo-99 as an activity, aluminium in µg/mL, RCP as %."""
    if test == "mo99_breakthrough":
        return units.parse_activity
    if test == "aluminium":
        return lambda text: _number(text) * units.KG_PER_UG / units.M3_PER_ML
    return units.parse_fraction


def _number(text: str) -> float:
    try:
        return float(text.replace(",", ".").replace("µg/mL", "").strip())
    except ValueError:
        raise refusal(N_("'{text}' is not a number; write e.g. 2.5"), text=text) from None


@router.post("/materials/{material_id}/qc", include_in_schema=False)
def qc_post(
    request: Request,
    material_id: RecordId,
    identity: Worker,
    test: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    method: Annotated[str, Form()] = "",
    measured_at: Annotated[str, Form()] = "",
    late_entry_reason: Annotated[str, Form()] = "",
) -> Response:
    """Record a QC result of this material."""
    db = database(request)

    def step(form: Fields, errors: Errors) -> int | None:
        site = material_site(db, identity, material_id, Permission.HOTLAB_WORK)
        result = read(errors, "value", _qc_value(form["test"]), form["value"])
        when = read(errors, "measured_at", local_time(site.time_zone), form["measured_at"])
        if result is None or when is None:
            return None
        late = form["late_entry_reason"] or None
        given = elution.QcInput(form["test"], result, form["method"], when, late)
        return elution.enter_qc(db, identity, material_id, given).id

    form = {
        "test": test,
        "value": value,
        "method": method,
        "measured_at": measured_at,
        "late_entry_reason": late_entry_reason,
    }
    return _on_material(request, identity, material_id, form, step)
