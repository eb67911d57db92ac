"""Hot-lab pages: stock, receipt, a material with its elution and QC, licence limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.radiopharmacy import kits
from nucmed.services.auth import Identity
from nucmed.services.hotlab import elution, receiving, stock
from nucmed.services.hotlab.materials import blocking_reasons, latest_qc, remaining
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import Material
from nucmed.store.models import Site
from nucmed.web.deps import at_site, factory, require, site_for
from nucmed.web.forms import local_time, read
from nucmed.web.templating import render

__all__ = [
    "HOTLAB_READERS",
    "HOTLAB_WORKERS",
    "LICENCE_EDITORS",
    "Action",
    "act_on_material",
    "material_page_error",
    "router",
]

router = APIRouter()

HOTLAB_WORKERS = frozenset({Role.RADIOPHARMACIST, Role.PHYSICIST, Role.ADMIN})
"""Who receives, elutes, tests, labels and draws."""
HOTLAB_READERS = HOTLAB_WORKERS | {Role.RSO, Role.PHYSICIAN, Role.SUPERVISOR, Role.RESIDENT}
"""Who may look at the hot lab's stock and board."""
LICENCE_EDITORS = frozenset({Role.RSO, Role.ADMIN})

Reader = Annotated[Identity, Depends(require(*HOTLAB_READERS))]
Worker = Annotated[Identity, Depends(require(*HOTLAB_WORKERS))]
LicenceEditor = Annotated[Identity, Depends(require(*LICENCE_EDITORS))]

T = TypeVar("T")


def _stock_view(store: Store, site: Site, at: datetime) -> dict[str, Any]:
    lines, totals = stock.stock(store, site, at)
    return {"site": site, "lines": lines, "totals": totals, "at": at}


@router.get("/sites/{code}/stock", response_class=HTMLResponse, include_in_schema=False)
def stock_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """Every source on site with its current activity; totals against the licence."""
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        view = _stock_view(store, site, datetime.now(UTC))
    return render(request, "stock.html", view)


@router.get("/api/sites/{code}/stock", tags=["hot lab"])
def stock_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """Open materials with their activity now (Bq) and totals per nuclide against limits."""
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        view = _stock_view(store, site, datetime.now(UTC))
    return JSONResponse(
        {
            "at": view["at"].isoformat(),
            "materials": [
                {
                    "id": line.material.id,
                    "kind": line.material.kind,
                    "nuclide": line.material.nuclide,
                    "product": line.material.product,
                    "activity_bq": line.activity_bq,
                    "volume_m3": line.volume_m3,
                    "blocked": list(line.blocked),
                }
                for line in view["lines"]
            ],
            "totals": [
                {
                    "nuclide": t.nuclide,
                    "activity_bq": t.activity_bq,
                    "limit_bq": t.limit_bq,
                    "over_limit": t.over_limit,
                }
                for t in view["totals"]
            ],
        }
    )


def _receive_page(
    request: Request,
    site: Site,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "receive.html",
        {"site": site, "form": form, "errors": errors},
        status_code=status_code,
    )


@router.get("/sites/{code}/receive", response_class=HTMLResponse, include_in_schema=False)
def receive_form(request: Request, code: str, identity: Worker) -> HTMLResponse:
    """The form to record a delivered package and its survey."""
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_WORKERS)
    return _receive_page(request, site, {"kind": "generator", "nuclide": "Mo-99"}, {})


def _delivery_and_survey(
    site: Site, form: dict[str, str], errors: dict[str, str]
) -> tuple[receiving.Delivery, receiving.Survey] | None:
    when = local_time(site)
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    calibrated = read(errors, "calibration_time", when, form["calibration_time"])
    volume = (
        read(errors, "volume", units.parse_volume, form["volume"])
        if form["volume"].strip()
        else None
    )
    measured_at = read(errors, "measured_at", when, form["measured_at"])
    surface = read(errors, "surface", units.parse_dose_rate, form["surface"])
    one_metre = read(errors, "one_metre", units.parse_dose_rate, form["one_metre"])
    wipe = read(errors, "wipe", _wipe_bq_per_m2, form["wipe"])
    measured = (
        read(errors, "measured_activity", units.parse_activity, form["measured_activity"])
        if form["measured_activity"].strip()
        else None
    )
    if errors or None in (activity, calibrated, measured_at, surface, one_metre, wipe):
        return None
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
    )
    return delivery, receiving.Survey(measured_at, surface, one_metre, wipe, measured)


def _wipe_bq_per_m2(text: str) -> float:
    """A wipe result typed in Bq/cm² (the unit of the limits), as Bq/m²."""
    try:
        value = float(text.replace(",", ".").replace("Bq/cm²", "").replace("Bq/cm2", "").strip())
    except ValueError:
        raise NucmedInputError(f"{text!r}: write the wipe result in Bq/cm², e.g. 0.5") from None
    if value < 0:
        raise NucmedInputError("a wipe result cannot be negative")
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
)


@router.post("/sites/{code}/receive", include_in_schema=False)
async def receive_post(request: Request, code: str, identity: Worker) -> Response:
    """Record the delivery; on bad input show the errors beside the fields."""
    data = await request.form()
    form = {name: str(data.get(name, "")) for name in _RECEIPT_FIELDS}
    errors: dict[str, str] = {}
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_WORKERS)
    parsed = _delivery_and_survey(site, form, errors)
    if parsed is not None:
        try:
            with transaction(factory(request)) as store:
                actor = store.session.merge(identity.user)
                site = store.session.merge(site)
                material, _ = receiving.receive(store, actor, site, *parsed)
                material_id = material.id
            return RedirectResponse(f"/materials/{material_id}", status_code=303)
        except NucmedInputError as error:
            errors["form"] = Message.of(error)
    return _receive_page(request, site, form, errors, status_code=422)


def _material_view(store: Store, material: Material, at: datetime) -> dict[str, Any]:
    site = store.sites.by_id(material.site_id)
    children = store.session.query(Material).filter(Material.parent_id == material.id).all()
    return {
        "site": site,
        "material": material,
        "left": remaining(store, material, at),
        "blocked": blocking_reasons(store, material, at),
        "qc": latest_qc(store, material),
        "children": children,
        "now": at,
        "kits": kits.all_kits(),
    }


@router.get("/materials/{material_id}", response_class=HTMLResponse, include_in_schema=False)
def material_page(request: Request, material_id: int, identity: Reader) -> HTMLResponse:
    """A material: what is left, why it is blocked, its QC, its eluates or preparations."""
    with transaction(factory(request)) as store:
        _, material = at_site(store, identity, (Material, material_id), HOTLAB_READERS)
        view = _material_view(store, material, datetime.now(UTC))
    return render(request, "material.html", {**view, "errors": {}, "form": {}})


@router.post("/materials/{material_id}/elute", include_in_schema=False)
def elute_post(
    request: Request,
    material_id: int,
    identity: Worker,
    eluted_at: Annotated[str, Form()] = "",
    activity: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
) -> Response:
    """Record an elution of this generator."""
    return act_on_material(
        request,
        material_id,
        identity,
        {"eluted_at": eluted_at, "activity": activity, "volume": volume},
        _elute,
    )


def _elute(
    store: Store,
    identity: Identity,
    site: Site,
    material: Material,
    form: dict[str, str],
    errors: dict[str, str],
) -> int | None:
    when = read(errors, "eluted_at", local_time(site), form["eluted_at"])
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    volume = read(errors, "volume", units.parse_volume, form["volume"])
    if when is None or activity is None or volume is None:
        return None
    actor = store.session.merge(identity.user)
    eluate = elution.elute(
        store, actor, site, material, elution.ElutionInput(when, activity, volume)
    )
    return eluate.id


@router.post("/materials/{material_id}/qc", include_in_schema=False)
def qc_post(
    request: Request,
    material_id: int,
    identity: Worker,
    test: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    method: Annotated[str, Form()] = "",
    measured_at: Annotated[str, Form()] = "",
) -> Response:
    """Record a QC result of this material."""
    form = {"test": test, "value": value, "method": method, "measured_at": measured_at}
    return act_on_material(request, material_id, identity, form, _qc)


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
        raise NucmedInputError(f"{text!r} is not a number; write e.g. 2.5") from None


def _qc(
    store: Store,
    identity: Identity,
    site: Site,
    material: Material,
    form: dict[str, str],
    errors: dict[str, str],
) -> int | None:
    value = read(errors, "value", _qc_value(form["test"]), form["value"])
    when = read(errors, "measured_at", local_time(site), form["measured_at"])
    if value is None or when is None:
        return None
    actor = store.session.merge(identity.user)
    elution.record_qc(
        store, actor, site, material, elution.QcInput(form["test"], value, form["method"], when)
    )
    return material.id


Action = Callable[[Store, Identity, Site, Material, dict[str, str], dict[str, str]], int | None]
"""Act on a material: the id of the material to show next, or None when a field was wrong."""


def act_on_material(
    request: Request, material_id: int, identity: Identity, form: dict[str, str], action: Action
) -> Response:
    """Run an action on a material in one transaction; show errors on the material's page."""
    errors: dict[str, str] = {}
    target = None
    try:
        with transaction(factory(request)) as store:
            site, material = at_site(store, identity, (Material, material_id), HOTLAB_WORKERS)
            target = action(store, identity, site, material, form, errors)
    except NucmedInputError as error:
        errors["form"] = Message.of(error)
    if target is not None and not errors:
        return RedirectResponse(f"/materials/{target}", status_code=303)
    return material_page_error(request, material_id, form, errors)


def material_page_error(
    request: Request, material_id: int, form: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    """The material's page again, with the errors beside the fields and the input kept."""
    with transaction(factory(request)) as store:
        material = store.session.get(Material, material_id)
        assert material is not None
        view = _material_view(store, material, datetime.now(UTC))
    return render(
        request, "material.html", {**view, "errors": errors, "form": form}, status_code=422
    )


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
        limit_bq = units.parse_activity(limit)
        with transaction(factory(request)) as store:
            site = site_for(store, identity, code, LICENCE_EDITORS)
            actor = store.session.merge(identity.user)
            stock.set_licence_limit(
                store, actor, site, stock.LicenceLimitInput(nuclide, limit_bq, source)
            )
    except NucmedInputError as error:
        with transaction(factory(request)) as store:
            site = site_for(store, identity, code, HOTLAB_READERS)
            view = _stock_view(store, site, datetime.now(UTC))
        return render(
            request,
            "stock.html",
            {
                **view,
                "limit_error": Message.of(error),
                "limit_form": {"nuclide": nuclide, "limit": limit, "source": source},
            },
            status_code=422,
        )
    return RedirectResponse(f"/sites/{code}/stock", status_code=303)
