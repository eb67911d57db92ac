"""Rendering pages: one Jinja2 environment, with the request's language and navigation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment

from nucmed.data.citations import citation
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, roles_for
from nucmed.web.deps import identity_or_none, request_localizer
from nucmed.web.i18n import LANGUAGES
from nucmed.web.labels import N_

__all__ = ["NavItem", "compile_templates", "compiled_environment", "navigation", "render"]

_templates = Jinja2Templates(directory=str(resources.files("nucmed.web").joinpath("templates")))


def compiled_environment() -> Environment:
    """The Jinja2 environment that renders the pages (its cache holds the compiled templates)."""
    return _templates.env


def compile_templates() -> None:
    """Compile every page template now rather than at its first request (the hot lab's page
    took 0.1 s more the first time)."""
    environment = compiled_environment()
    for name in environment.list_templates(extensions=("html",)):
        environment.get_template(name)


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link of the navigation bar and the permission whose holders see it (the page's
    service refuses the others anyway)."""

    href: str
    label: str
    permission: Permission


_NAV = (
    NavItem("/", N_("Dashboard"), Permission.ANY),
    NavItem("/calculators", N_("Calculators"), Permission.ANY),
    NavItem("/haematology", N_("Haematology"), Permission.HAEMATOLOGY),
    NavItem("/training", N_("Training"), Permission.TRAINING_READ),
    NavItem("/radiation-safety", N_("Radiation safety"), Permission.SAFETY_READ),
    NavItem("/admin/users", N_("Users"), Permission.USERS_ADMIN),
    NavItem("/audit", N_("Audit trail"), Permission.AUDIT_READ),
    NavItem("/me", N_("My settings"), Permission.ANY),
)


def navigation(identity: Identity | None) -> list[NavItem]:
    """The links this person sees (none before signing in)."""
    if identity is None:
        return []
    return [item for item in _NAV if roles_for(item.permission) & identity.roles]


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the language, the signed-in person, navigation and CSRF token."""
    identity = identity_or_none(request)
    loc = request_localizer(request)
    zone = getattr((context or {}).get("site"), "time_zone", None)
    if isinstance(zone, str):  # moments inside messages in the site's time
        loc = replace(loc, time_zone=zone)
    values: dict[str, Any] = {
        "_": loc.message,
        "loc": loc,
        "lang": loc.language,
        "languages": LANGUAGES,
        "identity": identity,
        "nav": navigation(identity),
        "audit_reader": identity is not None
        and bool(roles_for(Permission.AUDIT_READ) & identity.roles),
        "csrf_token": identity.token.csrf_token if identity else "",
        "path": request.url.path,
        "citation": citation,
    }
    values.update(context or {})
    return _templates.TemplateResponse(request, template, values, status_code=status_code)
