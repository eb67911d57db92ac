"""Administration: people and their roles, and the audit trail of any record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from nucmed.errors import Message, NucmedInputError
from nucmed.services import audit as audit_service
from nucmed.services import users as user_service
from nucmed.services.auth import Identity
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.models import AuditEntry, Site
from nucmed.web.deps import factory, require
from nucmed.web.templating import render

__all__ = ["AUDIT_READERS", "router"]

router = APIRouter()

AUDIT_READERS = frozenset({Role.ADMIN, Role.RSO, Role.PHYSICIST, Role.SUPERVISOR})
"""Who may read the audit trail."""
AUDIT_CORRECTORS = frozenset({Role.ADMIN, Role.RSO})
"""Who may append a correction to an audit entry."""

Admin = Annotated[Identity, Depends(require(Role.ADMIN))]
AuditReader = Annotated[Identity, Depends(require(*AUDIT_READERS))]
AuditCorrector = Annotated[Identity, Depends(require(*AUDIT_CORRECTORS))]


def _entry_json(entry: AuditEntry, usernames: dict[int, str]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": usernames.get(entry.actor_id) if entry.actor_id else None,
        "site_id": entry.site_id,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "reason": entry.reason,
        "details": entry.details,
        "corrects_id": entry.corrects_id,
    }


def _usernames(store: Store) -> dict[int, str]:
    return {user.id: user.username for user in store.users.all()}


def _users_page(
    request: Request,
    form: dict[str, str],
    errors: dict[str, str],
    created: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    with transaction(factory(request)) as store:
        people = store.users.all()
        sites = store.sites.all()
        roles = {u.id: store.users.memberships(u.id) for u in people}
    codes = {site.id: site.code for site in sites}
    return render(
        request,
        "users.html",
        {
            "people": people,
            "roles": roles,
            "codes": codes,
            "sites": sites,
            "all_roles": [r.value for r in Role],
            "form": form,
            "errors": errors,
            "created": created,
        },
        status_code=status_code,
    )


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, _identity: Admin) -> HTMLResponse:
    """Everyone with an account, their roles, and the form to add a person."""
    return _users_page(request, {}, {}, None)


def _create(
    request: Request, identity: Identity, new: user_service.NewUser, role: str, site_code: str
) -> str:
    try:
        chosen = Role(role)
    except ValueError:
        raise NucmedInputError(f"unknown role {role!r}") from None
    with transaction(factory(request)) as store:
        site: Site | None = store.sites.by_code(site_code) if site_code else None
        if site_code and site is None:
            raise NucmedInputError(f"unknown site {site_code!r}")
        actor = store.session.merge(identity.user)
        user = user_service.create_user(store, actor, new, [(chosen, site)])
        return user.username


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def create_user_form(
    request: Request,
    identity: Admin,
    username: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    site: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Add a person with one role at one site (or everywhere)."""
    form = {"username": username, "full_name": full_name, "role": role, "site": site}
    try:
        created = _create(
            request, identity, user_service.NewUser(username, full_name, password), role, site
        )
    except NucmedInputError as error:
        return _users_page(request, form, {"form": Message.of(error)}, None, status_code=422)
    return _users_page(request, {}, {}, created)


class NewUserBody(BaseModel):
    """An account to create, with one role at one site (site empty: everywhere)."""

    username: str
    full_name: str
    password: str
    role: str
    site: str = ""
    language: str | None = None


@router.get("/api/users", tags=["administration"])
def api_users(request: Request, _identity: Admin) -> JSONResponse:
    """Every account with its roles (administrators only)."""
    with transaction(factory(request)) as store:
        codes = {site.id: site.code for site in store.sites.all()}
        return JSONResponse(
            [
                {
                    "username": u.username,
                    "full_name": u.full_name,
                    "is_active": u.is_active,
                    "roles": [
                        {"role": m.role.value, "site": codes.get(m.site_id) if m.site_id else None}
                        for m in store.users.memberships(u.id)
                    ],
                }
                for u in store.users.all()
            ]
        )


@router.post("/api/users", tags=["administration"], status_code=201)
def api_create_user(request: Request, body: NewUserBody, identity: Admin) -> JSONResponse:
    """Create an account (administrators only)."""
    new = user_service.NewUser(body.username, body.full_name, body.password, body.language)
    username = _create(request, identity, new, body.role, body.site)
    return JSONResponse({"username": username}, status_code=201)


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, _identity: AuditReader) -> HTMLResponse:
    """The newest entries of the audit trail."""
    with transaction(factory(request)) as store:
        entries = store.audit.recent(100)
        names = _usernames(store)
    return render(request, "audit.html", {"entries": entries, "names": names, "title": None})


@router.get("/audit/{entity}/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def trail_page(
    request: Request, entity: str, entity_id: str, _identity: AuditReader
) -> HTMLResponse:
    """The whole trail of one record, oldest first."""
    with transaction(factory(request)) as store:
        entries = store.audit.trail(entity, entity_id)
        names = _usernames(store)
    return render(
        request,
        "audit.html",
        {"entries": entries, "names": names, "title": f"{entity} {entity_id}"},
    )


@router.get("/api/audit/{entity}/{entity_id}", tags=["audit"])
def api_trail(
    request: Request, entity: str, entity_id: str, _identity: AuditReader
) -> JSONResponse:
    """The trail of one record: who, when (UTC), what and why, oldest first."""
    with transaction(factory(request)) as store:
        names = _usernames(store)
        return JSONResponse([_entry_json(e, names) for e in store.audit.trail(entity, entity_id)])


class Correction(BaseModel):
    """What was wrong in an entry, and the corrected details."""

    reason: str
    details: dict[str, Any]


@router.post("/api/audit/entries/{entry_id}/corrections", tags=["audit"], status_code=201)
def api_correct(
    request: Request, entry_id: int, body: Correction, identity: AuditCorrector
) -> JSONResponse:
    """Append a correction to an entry; the original stays as it was."""
    with transaction(factory(request)) as store:
        original = store.audit.by_id(entry_id)
        if original is None:
            raise HTTPException(status_code=404, detail=f"no audit entry {entry_id}")
        actor = store.session.merge(identity.user)
        entry = audit_service.correct(store, actor, original, body.reason, body.details)
        return JSONResponse(_entry_json(entry, _usernames(store)), status_code=201)
