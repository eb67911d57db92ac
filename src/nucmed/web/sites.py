"""Sites: the dashboard of each site and its settings (pages and API)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from nucmed.errors import refusal
from nucmed.services import access, dashboard
from nucmed.services import sites as site_service
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.site_contact import SiteContact, change_site_contact
from nucmed.web.api_types import LongText, Number
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act_on_post, read
from nucmed.web.labels import AUDIT_ACTION_LABELS, N_
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

AnyRole = Annotated[Identity, Depends(require())]
Editor = Annotated[Identity, Depends(require(Permission.SETTINGS_EDIT))]


def _setting_json(setting: site_service.SettingView) -> dict[str, Any]:
    allowed = setting.allowed
    return {
        "key": setting.key,
        "value": setting.value,
        "source": setting.source,
        "set_at": setting.set_at.isoformat(),
        "set_by_id": setting.set_by_id,
        "reason": setting.reason,
        "supersedes_id": setting.supersedes_id,
        "id": setting.id,
        "unit": allowed.unit if allowed else None,
        "minimum": allowed.low if allowed else None,
        "minimum_excluded": allowed.low_open if allowed else None,
        "maximum": allowed.high if allowed else None,
        "in_range": setting.in_range,
    }


def _site_json(site: site_service.SiteView) -> dict[str, Any]:
    return {
        "code": site.code,
        "name": site.name,
        "kind": site.kind.value,
        "city": site.city,
        "country_code": site.country_code,
        "time_zone": site.time_zone,
        "address": site.address,
        "phone": site.phone,
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, identity: AnyRole) -> Response:
    """The sites this person works at; with one site, that site's dashboard."""
    visible = dashboard.visible_sites(database(request), identity)
    if len(visible) == 1:
        return RedirectResponse(f"/sites/{visible[0].code}", status_code=303)
    return render(request, "dashboard.html", {"sites": visible})


@router.get("/sites/{code}", response_class=HTMLResponse, include_in_schema=False)
def site_dashboard(request: Request, code: str, identity: AnyRole) -> HTMLResponse:
    """A site's dashboard: local time, roles, settings at a glance, recent activity."""
    board = dashboard.site_dashboard(database(request), identity, code)
    may = access.permissions_at(database(request), identity, code)
    context = {"board": board, "site": board.site, "may": may, "actions": AUDIT_ACTION_LABELS}
    return render(request, "site.html", context)


def _settings_page(
    request: Request,
    identity: Identity,
    code: str,
    failed: tuple[str, Form, Errors] | None = None,
    saved: bool = False,
) -> HTMLResponse:
    page = site_service.read_settings(database(request), identity, code)
    key, form, errors = failed or ("", {}, {})
    contact = {"address": page.site.address, "phone": page.site.phone}
    context = {
        "site": page.site,
        "settings": page.settings,
        "editable": page.editable,
        "form": {} if key == "contact" else form,
        "errors": {} if key == "contact" else errors,
        "contact_form": form if key == "contact" else contact,
        "contact_errors": errors if key == "contact" else {},
        "saved": saved,
    }
    return render(request, "settings.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(
    request: Request, code: str, identity: AnyRole, saved: bool = False
) -> HTMLResponse:
    """A site's settings with their sources; editors see the change form."""
    return _settings_page(request, identity, code, saved=saved)


def _number(text: str) -> float:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        raise refusal(N_("'{text}' is not a number; write e.g. 0.15"), text=text) from None
    if not math.isfinite(value):
        raise refusal(N_("the value must be a finite number"))
    return value


@router.post("/sites/{code}/settings", response_class=HTMLResponse, include_in_schema=False)
async def change_setting_form(request: Request, code: str, identity: Editor) -> Response:
    """Change one setting from the form; errors are shown beside the field."""

    def step(form: Form, errors: Errors) -> None:
        number = read(errors, "value", _number, form["value"])
        if not form["reason"].strip():
            errors["reason"] = N_("a reason is required")
        if not form["source"].strip():
            errors["source"] = N_("say where the new value comes from")
        if errors or number is None:
            return
        change = site_service.SettingChange(form["key"], number, form["source"], form["reason"])
        site_service.change_site_setting(database(request), identity, code, change)

    def again(failed: tuple[str, Form, Errors]) -> Response:
        return _settings_page(request, identity, code, failed)

    names = ("key", "value", "source", "reason")
    done = f"/sites/{code}/settings?saved=true"
    return await act_on_post(request, names, "change", step, again, done)


@router.post("/sites/{code}/contact", response_class=HTMLResponse, include_in_schema=False)
async def change_contact_form(request: Request, code: str, identity: Editor) -> Response:
    """Change the site's postal address and telephone (printed on leaflets), audited."""

    def step(form: Form, _errors: Errors) -> None:
        contact = SiteContact(form["address"], form["phone"])
        change_site_contact(database(request), identity, code, contact)

    def again(failed: tuple[str, Form, Errors]) -> Response:
        return _settings_page(request, identity, code, failed)

    done = f"/sites/{code}/settings?saved=true"
    return await act_on_post(request, ("address", "phone"), "contact", step, again, done)


@router.get("/api/sites", tags=["sites"])
def api_sites(request: Request, identity: AnyRole) -> JSONResponse:
    """The sites visible to the caller."""
    visible = dashboard.visible_sites(database(request), identity)
    return JSONResponse([_site_json(site) for site in visible])


@router.get("/api/sites/{code}/settings", tags=["sites"])
def api_settings(request: Request, code: str, identity: AnyRole) -> JSONResponse:
    """The current settings of a site, each with its source, in the unit that ends its key."""
    page = site_service.read_settings(database(request), identity, code)
    return JSONResponse({s.key: _setting_json(s) for s in page.settings})


@router.get("/api/sites/{code}/settings/{key}/history", tags=["sites"])
def api_setting_history(request: Request, code: str, key: str, identity: AnyRole) -> JSONResponse:
    """Every value a setting has had, newest first."""
    history = site_service.setting_history(database(request), identity, code, key)
    return JSONResponse([_setting_json(s) for s in history])


class SettingChangeBody(BaseModel):
    """A new value for a setting (in the unit that ends its key), where it comes from, and
    why it changes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": 8, "source": "Department SOP 12", "reason": "our SOP is stricter"}
            ]
        }
    )

    value: Number
    source: LongText
    reason: LongText = ""


@router.put("/api/sites/{code}/settings/{key}", tags=["sites"])
def api_change_setting(
    request: Request, code: str, key: str, body: SettingChangeBody, identity: Editor
) -> JSONResponse:
    """Change a setting (physicist, RSO or administrator at the site; a reason is required).

    The same service as the settings page: an unknown key, a value outside the setting's range
    (``minimum`` to ``maximum`` of the settings list, in its ``unit``), no source or no reason
    is refused (422); a role that may not change settings at this site gets 403."""
    change = site_service.SettingChange(key, body.value, body.source, body.reason)
    setting = site_service.change_site_setting(database(request), identity, code, change)
    return JSONResponse(_setting_json(setting))


class SiteContactBody(BaseModel):
    """The site's postal address and telephone, as printed on leaflets."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"address": "050032, Almaty, ul. Ibragimova 1", "phone": "+7 727 000 00 10"}
            ]
        }
    )

    address: LongText = ""
    phone: LongText = ""


@router.put("/api/sites/{code}/contact", tags=["sites"])
def api_change_contact(
    request: Request, code: str, body: SiteContactBody, identity: Editor
) -> JSONResponse:
    """Set the site's postal address and telephone (physicist, RSO or administrator at the
    site), audited; a telephone with letters or an address over 500 characters is refused
    (422)."""
    contact = SiteContact(body.address, body.phone)
    site = change_site_contact(database(request), identity, code, contact)
    return JSONResponse(_site_json(site))
