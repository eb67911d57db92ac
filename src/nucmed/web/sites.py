"""Sites: the dashboard of each site and its settings (pages and API)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from nucmed.errors import Message, NucmedInputError
from nucmed.services import sites as site_service
from nucmed.services.auth import Identity
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.models import Site, SiteSetting
from nucmed.web.deps import factory, require
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["SETTING_EDITORS", "router"]

router = APIRouter()

SETTING_EDITORS = frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST})
"""Who may change a site's settings (regulatory limits, QC limits)."""

AnyRole = Annotated[Identity, Depends(require())]
Editor = Annotated[Identity, Depends(require(*SETTING_EDITORS))]


def _visible_sites(store: Store, identity: Identity) -> list[Site]:
    everything = store.sites.all()
    if Role.ADMIN in identity.roles:
        return list(everything)
    mine = {m.site_id for m in store.users.memberships(identity.user.id)}
    return [site for site in everything if site.id in mine or None in mine]


def _site_or_404(store: Store, identity: Identity, code: str) -> Site:
    site = store.sites.by_code(code)
    if site is None or site not in _visible_sites(store, identity):
        raise HTTPException(status_code=404, detail=f"no site {code} for you")
    return site


def _may_edit(store: Store, identity: Identity, site: Site) -> bool:
    return bool(store.users.roles_at(identity.user.id, site.id) & SETTING_EDITORS)


def _setting_json(setting: SiteSetting) -> dict[str, Any]:
    return {
        "key": setting.key,
        "value": setting.value,
        "source": setting.source,
        "set_at": setting.set_at.isoformat(),
        "set_by_id": setting.set_by_id,
        "reason": setting.reason,
        "supersedes_id": setting.supersedes_id,
        "id": setting.id,
    }


def _site_json(site: Site) -> dict[str, Any]:
    return {
        "code": site.code,
        "name": site.name,
        "kind": site.kind.value,
        "city": site.city,
        "country_code": site.country_code,
        "time_zone": site.time_zone,
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, identity: AnyRole) -> Response:
    """The sites this person works at; with one site, that site's dashboard."""
    with transaction(factory(request)) as store:
        visible = _visible_sites(store, identity)
    if len(visible) == 1:
        return RedirectResponse(f"/sites/{visible[0].code}", status_code=303)
    return render(request, "dashboard.html", {"sites": visible})


@router.get("/sites/{code}", response_class=HTMLResponse, include_in_schema=False)
def site_dashboard(request: Request, code: str, identity: AnyRole) -> HTMLResponse:
    """A site's dashboard: local time, roles, settings at a glance, recent activity."""
    with transaction(factory(request)) as store:
        site = _site_or_404(store, identity, code)
        settings = site_service.effective_settings(store, site)
        roles = sorted(r.value for r in store.users.roles_at(identity.user.id, site.id))
        recent = [e for e in store.audit.recent(200) if e.site_id == site.id][:10]
    return render(
        request,
        "site.html",
        {
            "site": site,
            "settings": settings,
            "my_roles": roles,
            "recent": recent,
            "now": datetime.now(UTC),
        },
    )


def _settings_page(
    request: Request,
    identity: Identity,
    code: str,
    form: dict[str, str],
    errors: dict[str, str],
    saved: bool,
    status_code: int = 200,
) -> HTMLResponse:
    with transaction(factory(request)) as store:
        site = _site_or_404(store, identity, code)
        settings = site_service.effective_settings(store, site)
        editable = _may_edit(store, identity, site)
    return render(
        request,
        "settings.html",
        {
            "site": site,
            "settings": settings,
            "editable": editable,
            "form": form,
            "errors": errors,
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/sites/{code}/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(request: Request, code: str, identity: AnyRole) -> HTMLResponse:
    """A site's settings with their sources; editors see the change form."""
    return _settings_page(request, identity, code, {}, {}, saved=False)


def _number(text: str) -> float:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        raise NucmedInputError(f"{text!r} is not a number; write e.g. 0.15") from None
    if not math.isfinite(value):
        raise NucmedInputError("the value must be a finite number")
    return value


def _change(
    request: Request,
    identity: Identity,
    code: str,
    key: str,
    value: float,
    source: str,
    reason: str,
) -> SiteSetting:
    with transaction(factory(request)) as store:
        site = _site_or_404(store, identity, code)
        if not _may_edit(store, identity, site):
            raise HTTPException(
                status_code=403, detail="your role at this site does not allow this"
            )
        actor = store.session.merge(identity.user)
        change = site_service.SettingChange(key, value, source, reason)
        return site_service.change_setting(store, actor, site, change)


@router.post("/sites/{code}/settings", response_class=HTMLResponse, include_in_schema=False)
def change_setting_form(
    request: Request,
    code: str,
    identity: Editor,
    key: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Change one setting from the form; errors are shown beside the field."""
    form = {"key": key, "value": value, "source": source, "reason": reason}
    errors: dict[str, str] = {}
    number = None
    try:
        number = _number(value)
    except NucmedInputError as error:
        errors["value"] = Message.of(error)
    if not reason.strip():
        errors["reason"] = N_("a reason is required")
    if not source.strip():
        errors["source"] = N_("say where the new value comes from")
    if not errors and number is not None:
        try:
            _change(request, identity, code, key, number, source, reason)
        except NucmedInputError as error:
            errors["key"] = Message.of(error)
    if errors:
        return _settings_page(request, identity, code, form, errors, saved=False, status_code=422)
    return _settings_page(request, identity, code, {}, {}, saved=True)


@router.get("/api/sites", tags=["sites"])
def api_sites(request: Request, identity: AnyRole) -> JSONResponse:
    """The sites visible to the caller."""
    with transaction(factory(request)) as store:
        return JSONResponse([_site_json(s) for s in _visible_sites(store, identity)])


@router.get("/api/sites/{code}/settings", tags=["sites"])
def api_settings(request: Request, code: str, identity: AnyRole) -> JSONResponse:
    """The current settings of a site, each with its source."""
    with transaction(factory(request)) as store:
        site = _site_or_404(store, identity, code)
        current = site_service.effective_settings(store, site)
        return JSONResponse({key: _setting_json(s) for key, s in current.items()})


@router.get("/api/sites/{code}/settings/{key}/history", tags=["sites"])
def api_setting_history(request: Request, code: str, key: str, identity: AnyRole) -> JSONResponse:
    """Every value a setting has had, newest first."""
    with transaction(factory(request)) as store:
        site = _site_or_404(store, identity, code)
        return JSONResponse([_setting_json(s) for s in store.sites.setting_history(site.id, key)])


class SettingChangeBody(BaseModel):
    """A new value for a setting, where it comes from, and why it changes."""

    value: float
    source: str
    reason: str = ""


@router.put("/api/sites/{code}/settings/{key}", tags=["sites"])
def api_change_setting(
    request: Request, code: str, key: str, body: SettingChangeBody, identity: Editor
) -> JSONResponse:
    """Change a setting (physicist, RSO or administrator at the site; a reason is required)."""
    setting = _change(request, identity, code, key, body.value, body.source, body.reason)
    return JSONResponse(_setting_json(setting))
