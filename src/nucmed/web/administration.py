"""Administration: people and their roles, and the audit trail of any record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from nucmed.errors import Message, NucmedInputError
from nucmed.services import administration as admin_service
from nucmed.services import audit_trail, sign_in
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.users import NewUser
from nucmed.web import audit_details
from nucmed.web.api_types import Code, LongText, Name, RecordId, ShortText, Text32
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Errors, Form, posted
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Admin = Annotated[Identity, Depends(require(Permission.USERS_ADMIN))]
AuditReader = Annotated[Identity, Depends(require(Permission.AUDIT_READ))]
AuditCorrector = Annotated[Identity, Depends(require(Permission.AUDIT_CORRECT))]


def _entry_json(entry: admin_service.EntryView) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "site_id": entry.site_id,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "reason": entry.reason,
        "details": dict(entry.details),
        "corrects_id": entry.corrects_id,
    }


def _person_json(person: admin_service.PersonView) -> dict[str, Any]:
    return {
        "username": person.username,
        "full_name": person.full_name,
        "is_active": person.is_active,
        "roles": [{"role": r.role, "site": r.site} for r in person.roles],
    }


def _users_page(
    request: Request,
    identity: Identity,
    failed: tuple[str, Form, Errors] | None = None,
    created: str | None = None,
) -> HTMLResponse:
    page = admin_service.people(database(request), identity)
    key, form, errors = failed or ("", {}, {})
    context = {
        "people": page.people,
        "sites": page.sites,
        "all_roles": page.all_roles,
        "lockouts": page.lockouts,
        "form": form if key != "unlock" else {},
        "unlock_form": form if key == "unlock" else {},
        "errors": errors,
        "created": created,
    }
    return render(request, "users.html", context, status_code=422 if failed else 200)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, identity: Admin) -> HTMLResponse:
    """Everyone with an account, their roles, and the form to add a person."""
    return _users_page(request, identity)


def _create_and_show(request: Request, identity: Identity, form: Form) -> HTMLResponse:
    new = NewUser(form["username"], form["full_name"], form["password"])
    try:
        created = admin_service.create_person(
            database(request), identity, new, form["role"], form["site"]
        )
    except NucmedInputError as error:
        kept = {name: value for name, value in form.items() if name != "password"}
        return _users_page(request, identity, ("user", kept, {"form": Message.of(error)}))
    return _users_page(request, identity, created=created)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
async def create_user_form(request: Request, identity: Admin) -> HTMLResponse:
    """Add a person with one role at one site (or everywhere); the page shows who was added."""
    form = await posted(request, ("username", "full_name", "password", "role", "site"))
    return await run_in_threadpool(_create_and_show, request, identity, form)


def _unlock_and_show(request: Request, identity: Identity, form: Form) -> HTMLResponse:
    try:
        sign_in.lift_lockout(
            database(request), identity, form["username"], form["address"], form["reason"]
        )
    except NucmedInputError as error:
        return _users_page(request, identity, ("unlock", form, {"unlock": Message.of(error)}))
    return _users_page(request, identity)


@router.post("/admin/sign-in-unlocks", response_class=HTMLResponse, include_in_schema=False)
async def unlock_form(request: Request, identity: Admin) -> HTMLResponse:
    """Lift the sign-in lockout of an account or a client address, with a reason."""
    form = await posted(request, ("username", "address", "reason"))
    return await run_in_threadpool(_unlock_and_show, request, identity, form)


class UnlockBody(BaseModel):
    """An account (``username``) or a client address (``address``) whose sign-in lockout is
    lifted, and why."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"username": "a.seitkali", "reason": "she forgot her password"}]
        }
    )

    username: ShortText | None = None
    address: ShortText | None = None
    reason: LongText


def _lockout_json(lockout: sign_in.Lockout) -> dict[str, Any]:
    return {
        "username": lockout.username,
        "address": lockout.address,
        "failures": lockout.failures,
        "last_failure": lockout.last_failure.isoformat(),
    }


@router.get("/api/sign-in/lockouts", tags=["administration"])
def api_lockouts(request: Request, identity: Admin) -> JSONResponse:
    """The accounts and client addresses locked out of signing in after too many failures
    (administrators only)."""
    found = sign_in.lockouts(database(request), identity)
    return JSONResponse([_lockout_json(lockout) for lockout in found])


@router.post("/api/sign-in/unlocks", tags=["administration"], status_code=204)
def api_unlock(request: Request, body: UnlockBody, identity: Admin) -> Response:
    """Lift the lockout of an account or a client address (administrators only; audited):
    its failures no longer count. Neither or both, or no reason: 422."""
    sign_in.lift_lockout(database(request), identity, body.username, body.address, body.reason)
    return Response(status_code=204)


class NewUserBody(BaseModel):
    """An account to create, with one role at one site (site empty: everywhere)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "a.seitkali",
                    "full_name": "Aigerim Seitkali",
                    "password": "a long first password",
                    "role": "radiopharmacist",
                    "site": "NM-ALA",
                    "language": "kk",
                }
            ]
        }
    )

    username: ShortText
    full_name: Name
    password: LongText
    role: Text32
    site: Text32 = ""
    language: Code | None = None


@router.get("/api/users", tags=["administration"])
def api_users(request: Request, identity: Admin) -> JSONResponse:
    """Every account with its roles (administrators only)."""
    page = admin_service.people(database(request), identity)
    return JSONResponse([_person_json(person) for person in page.people])


@router.post("/api/users", tags=["administration"], status_code=201)
def api_create_user(request: Request, body: NewUserBody, identity: Admin) -> JSONResponse:
    """Create an account (administrators only; the same service as the Users page): a taken
    or malformed username, a short password, an unknown role or site is refused (422)."""
    new = NewUser(body.username, body.full_name, body.password, body.language)
    username = admin_service.create_person(database(request), identity, new, body.role, body.site)
    return JSONResponse({"username": username}, status_code=201)


def _trail(request: Request, identity: Identity, params: dict[str, str]) -> HTMLResponse:
    """The trail page for the filters in ``params``; a filter it cannot take is shown above
    the unfiltered trail (422)."""
    loc = request_localizer(request)
    try:
        query = audit_details.trail_query(params)
        failed = None
    except NucmedInputError as error:
        query, failed, params = audit_trail.TrailQuery(), Message.of(error), {}
    trail = audit_trail.search(database(request), identity, query)
    context = {
        "trail": trail,
        "query": query,
        "form": {key: params.get(key, "") for key in ("since", "until")},
        "error": failed,
        "rows": audit_details.shown_entries(loc, trail),
        "actions": [(code, audit_details.action_label(loc, code)) for code in trail.actions],
        "previous": audit_details.page_link(params, trail.page - 1) if trail.page > 1 else "",
        "next": audit_details.page_link(params, trail.page + 1)
        if trail.page < trail.pages
        else "",
    }
    return render(request, "audit.html", context, status_code=422 if failed else 200)


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, identity: AuditReader) -> HTMLResponse:
    """The audit trail, newest first, in pages: filtered by who, what, where, when and which
    record (``?actor=&action=&site=&since=&until=&entity=&entity_id=&page=``)."""
    return _trail(request, identity, dict(request.query_params))


@router.get("/audit/{entity}/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def trail_page(
    request: Request, entity: Text32, entity_id: ShortText, identity: AuditReader
) -> HTMLResponse:
    """The whole trail of one record (the trail page filtered by that record)."""
    params = {**request.query_params, "entity": entity, "entity_id": entity_id}
    return _trail(request, identity, params)


@router.get("/api/audit/{entity}/{entity_id}", tags=["audit"])
def api_trail(
    request: Request, entity: Text32, entity_id: ShortText, identity: AuditReader
) -> JSONResponse:
    """The trail of one record: who, when (UTC), what and why, oldest first."""
    entries = admin_service.record_trail(database(request), identity, entity, entity_id)
    return JSONResponse([_entry_json(e) for e in entries])


class Correction(BaseModel):
    """What was wrong in an entry, and the corrected details."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "the activity was typed in mCi, not MBq",
                    "details": {"activity_bq": 7.4e8},
                }
            ]
        }
    )

    reason: LongText
    details: dict[str, Any]


@router.post("/api/audit/entries/{entry_id}/corrections", tags=["audit"], status_code=201)
def api_correct(
    request: Request, entry_id: RecordId, body: Correction, identity: AuditCorrector
) -> JSONResponse:
    """Append a correction to an entry; the original stays as it was. No such entry: 404;
    no reason: 422; a role that may not correct the trail at the entry's site: 403."""
    entry = admin_service.correct_entry(
        database(request), identity, entry_id, body.reason, body.details
    )
    return JSONResponse(_entry_json(entry), status_code=201)
