"""Waste pages: containers held for decay, their contents, sealing, release survey, disposal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from nucmed import units
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.auth import Identity
from nucmed.services.hotlab import waste
from nucmed.services.sites import setting_value
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import WasteContainer
from nucmed.store.models import Site
from nucmed.web.deps import factory, require, site_for
from nucmed.web.forms import Action, Errors, Form, local_time, read, submit
from nucmed.web.hotlab import HOTLAB_READERS
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["WASTE_WORKERS", "router"]

router = APIRouter()

WASTE_WORKERS = frozenset({Role.RADIOPHARMACIST, Role.RSO, Role.ADMIN})
"""Who fills, seals, surveys and releases waste containers."""

Reader = Annotated[Identity, Depends(require(*HOTLAB_READERS))]
Worker = Annotated[Identity, Depends(require(*WASTE_WORKERS))]

T = TypeVar("T")
USV_PER_H_PER_SV_PER_S = units.SECONDS_PER_HOUR / units.SV_PER_USV
"""Sv/s to µSv/h, for showing dose rates."""


def _views(store: Store, site: Site) -> list[waste.ContainerStatus]:
    """Every container of the site with its release date, newest first."""
    return waste.containers(store, site)


def _rule(store: Store, site: Site) -> dict[str, Any]:
    by_clearance = setting_value(store, site, "waste_release_by_clearance") >= 1
    return {
        "rule": "clearance" if by_clearance else "half_lives",
        "half_lives": setting_value(store, site, "waste_release_half_lives"),
        "margin_usv_per_h": setting_value(store, site, "waste_release_margin_usv_per_h"),
    }


def _page(
    request: Request,
    identity: Identity,
    code: str,
    failed: tuple[str, Form, Errors] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        views = _views(store, site)
        rule = _rule(store, site)
        may_work = bool(store.users.roles_at(identity.user.id, site.id) & WASTE_WORKERS)
    key, form, errors = failed or ("", {}, {})
    local_now = now.astimezone(ZoneInfo(site.time_zone)).strftime("%Y-%m-%d %H:%M")
    context = {
        "site": site,
        "containers": views,
        "rule": rule,
        "may_work": may_work,
        "now": now,
        "failed_key": key,
        "form": form,
        "errors": errors,
        "blank": {"measured_at": local_now, "sealed_at": local_now, "reference_time": local_now},
        "usv_per_h": USV_PER_H_PER_SV_PER_S,
    }
    return render(request, "waste.html", context, status_code=status_code)


def _page_again(
    request: Request, identity: Identity, code: str, failed: tuple[str, Form, Errors]
) -> Response:
    return _page(request, identity, code, failed, status_code=422)


@router.get("/sites/{code}/waste", response_class=HTMLResponse, include_in_schema=False)
def waste_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """The site's waste containers: contents, release date under the site's rule, surveys."""
    return _page(request, identity, code)


def _container_json(view: waste.ContainerStatus, now: datetime) -> dict[str, Any]:
    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": view.container.id,
        "label": view.container.label,
        "mass_kg": view.container.mass_kg,
        "created_at": view.container.created_at.isoformat(),
        "items": [
            {
                "nuclide": i.nuclide,
                "activity_bq": i.activity_bq,
                "reference_time": i.reference_time.isoformat(),
                "material_id": i.material_id,
            }
            for i in view.items
        ],
        "sealed_at": moment(view.sealed_at),
        "release_at": moment(view.release_at),
        "releasable": view.release_at is not None and view.release_at <= now,
        "problem": view.problem,
        "disposed": view.disposed,
        "surveys": [
            {
                "measured_at": s.measured_at.isoformat(),
                "dose_rate_sv_per_s": s.dose_rate_sv_per_s,
                "background_sv_per_s": s.background_sv_per_s,
                "passes": s.passes,
                "disposed": s.disposed,
            }
            for s in view.surveys
        ],
    }


@router.get("/api/sites/{code}/waste", tags=["hot lab"])
def waste_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The site's release rule and its containers (newest first) with contents and surveys."""
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        body = {
            "site": site.code,
            "at": now.isoformat(),
            "release_rule": _rule(store, site),
            "containers": [_container_json(v, now) for v in _views(store, site)],
        }
    return JSONResponse(body)


# --------------------------------------------------------------------------- forms


def _nuclide(text: str) -> str:
    return get_nuclide(text.strip()).name


def _container(store: Store, site: Site, container_id: int) -> WasteContainer:
    row = store.session.get(WasteContainer, container_id)
    if row is None or row.site_id != site.id:
        raise HTTPException(status_code=404, detail=f"no waste container {container_id}")
    return row


def _create(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
    mass = read(errors, "mass", units.parse_mass, form["mass"]) if form["mass"].strip() else None
    if not form["label"].strip():
        errors["label"] = N_("give the container a label")
    if not errors:
        waste.create_container(
            store, store.session.merge(identity.user), site, form["label"], mass
        )


def _here(code: str) -> tuple[str, frozenset[Role], str]:
    """Waste forms act at this site, for waste workers, and return to the waste page."""
    return code, WASTE_WORKERS, f"/sites/{code}/waste"


@router.post("/sites/{code}/waste", include_in_schema=False)
async def create_post(request: Request, code: str, identity: Worker) -> Response:
    """Open a new waste container."""
    return await submit(
        request, identity, _here(code), ("label", "mass"), ("new", _create, _page_again)
    )


def _add(container_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        row = _container(store, site, container_id)
        nuclide = read(errors, "nuclide", _nuclide, form["nuclide"])
        activity = read(errors, "activity", units.parse_activity, form["activity"])
        when = read(errors, "reference_time", local_time(site), form["reference_time"])
        if errors or nuclide is None or activity is None or when is None:
            return
        given = waste.WasteItemInput(nuclide, activity, when)
        waste.add_item(store, store.session.merge(identity.user), row, given)

    return act


@router.post("/sites/{code}/waste/{container_id}/items", include_in_schema=False)
async def add_post(request: Request, code: str, container_id: int, identity: Worker) -> Response:
    """Put waste (a nuclide and its activity at a time) in an open container."""
    names = ("nuclide", "activity", "reference_time")
    return await submit(
        request,
        identity,
        _here(code),
        names,
        (f"add-{container_id}", _add(container_id), _page_again),
    )


def _seal(container_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        row = _container(store, site, container_id)
        text = form["sealed_at"]
        when = (
            read(errors, "sealed_at", local_time(site), text)
            if text.strip()
            else datetime.now(UTC)
        )
        if when is not None and not errors:
            waste.seal(store, store.session.merge(identity.user), row, when)

    return act


@router.post("/sites/{code}/waste/{container_id}/seal", include_in_schema=False)
async def seal_post(request: Request, code: str, container_id: int, identity: Worker) -> Response:
    """Seal a container: nothing more goes in, its decay clock starts."""
    return await submit(
        request,
        identity,
        _here(code),
        ("sealed_at",),
        (f"seal-{container_id}", _seal(container_id), _page_again),
    )


def _survey(container_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        row = _container(store, site, container_id)
        rate = read(errors, "dose_rate", units.parse_dose_rate, form["dose_rate"])
        background = read(errors, "background", units.parse_dose_rate, form["background"])
        when = read(errors, "measured_at", local_time(site), form["measured_at"])
        if errors or rate is None or background is None or when is None:
            return
        given = waste.SurveyInput(when, rate, background)
        waste.survey(store, store.session.merge(identity.user), site, row, given)

    return act


@router.post("/sites/{code}/waste/{container_id}/survey", include_in_schema=False)
async def survey_post(
    request: Request, code: str, container_id: int, identity: Worker
) -> Response:
    """Record the release survey; a passed survey after the release date disposes of it."""
    names = ("dose_rate", "background", "measured_at")
    return await submit(
        request,
        identity,
        _here(code),
        names,
        (f"survey-{container_id}", _survey(container_id), _page_again),
    )
