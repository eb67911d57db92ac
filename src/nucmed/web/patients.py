"""The patients of a site: find one by name or hospital number, register a new one, and open
the patient's page (administrations and therapy courses)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, or_, select

from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.services.auth import Identity
from nucmed.services.hotlab import doses
from nucmed.services.uow import transaction
from nucmed.store.hotlab import Patient
from nucmed.store.therapy import TherapyCourse
from nucmed.web.clinic import AUDITORS, GIVERS
from nucmed.web.deps import factory, require, site_for
from nucmed.web.forms import Errors, Form, posted, read
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

READERS = AUDITORS | GIVERS
"""Who finds patients: the hot lab, physicians, physicists, safety officers, supervisors."""
REGISTRARS = GIVERS
"""Who registers a patient: the hot lab and physicians."""
FIELDS = ("local_id", "full_name", "birth_date", "sex")
SHOWN_AT_MOST = 50

Reader = Annotated[Identity, Depends(require(*READERS))]
Registrar = Annotated[Identity, Depends(require(*REGISTRARS))]


def _birth_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(
            N_("'{text}' is not a date: write it as 1960-03-27"), text=text.strip()
        ) from None


def _page(
    request: Request, identity: Identity, code: str, query: str, failed: tuple[Form, Errors]
) -> HTMLResponse:
    pattern = f"%{query.strip().lower()}%"
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, READERS)
        statement = select(Patient).where(Patient.site_id == site.id)
        if query.strip():
            statement = statement.where(
                or_(
                    func.lower(Patient.full_name).like(pattern),
                    func.lower(Patient.local_id).like(pattern),
                )
            )
        found = store.session.scalars(
            statement.order_by(Patient.full_name).limit(SHOWN_AT_MOST)
        ).all()
        counted = store.session.execute(
            select(TherapyCourse.patient_id, func.count())
            .where(TherapyCourse.patient_id.in_([p.id for p in found]))
            .group_by(TherapyCourse.patient_id)
        ).all()
        may_register = bool(store.users.roles_at(identity.user.id, site.id) & REGISTRARS)
    form, errors = failed
    context: dict[str, Any] = {
        "site": site,
        "patients": found,
        "courses": dict(counted),
        "query": query,
        "at_most": SHOWN_AT_MOST,
        "may_register": may_register,
        "form": form,
        "errors": errors,
    }
    return render(request, "patients.html", context, status_code=422 if errors else 200)


@router.get("/sites/{code}/patients", response_class=HTMLResponse, include_in_schema=False)
def patients_page(request: Request, code: str, identity: Reader, q: str = "") -> HTMLResponse:
    """The site's patients whose name or hospital number contains ``q`` (50 at most)."""
    return _page(request, identity, code, q, ({}, {}))


@router.post("/sites/{code}/patients", include_in_schema=False)
async def register_post(request: Request, code: str, identity: Registrar) -> Response:
    """Register a patient (or find the one with that hospital number) and open their page."""
    form = await posted(request, FIELDS)
    errors: Errors = {}
    born = read(errors, "birth_date", _birth_date, form["birth_date"])
    if not errors:
        try:
            with transaction(factory(request)) as store:
                site = site_for(store, identity, code, REGISTRARS)
                given = doses.PatientInput(form["local_id"], form["full_name"], born, form["sex"])
                actor = store.session.merge(identity.user)
                patient_id = doses.register_patient(store, actor, site, given).id
            return RedirectResponse(f"/patients/{patient_id}", status_code=303)
        except NucmedInputError as error:
            errors["register_form"] = Message.of(error)
    return _page(request, identity, code, "", (form, errors))
