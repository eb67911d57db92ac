"""The radiation safety officer's dashboard: dose alerts to review, packages in quarantine, waste
ready for release, the staff's doses, and the import of a dosimetry report.

Each handler calls one use case of :mod:`nucmed.services.safety`, which opens its transaction
and checks the permission (reading: :attr:`Permission.SAFETY_READ`; importing and reviewing:
the radiation safety officer).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from nucmed.errors import N_
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.safety import dashboard, dosimetry
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act, posted
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.SAFETY_READ))]
Officer = Annotated[Identity, Depends(require(Permission.SAFETY_WORK))]

_KINDS = {
    "investigation_level": N_("investigation level passed"),
    "annual_limit": N_("annual limit passed"),
    "single_year_limit": N_("single-year limit passed"),
    "five_year_limit": N_("five-year limit passed"),
    "embryo_limit": N_("dose to the embryo or fetus above 1 mSv"),
}
_QUANTITIES = {
    "effective": N_("effective dose"),
    "lens": N_("lens of the eye"),
    "extremity": N_("extremities"),
    "skin": N_("skin"),
}


def _path(code: str) -> str:
    return f"/sites/{code}/radiation-safety"


def _page(request: Request, identity: Identity, code: str,
          failed: tuple[str, Form, Errors] | None = None) -> HTMLResponse:  # fmt: skip
    """The dashboard; ``failed``: the form refused (its key, values and errors; 422)."""
    board = dashboard.read_dashboard(database(request), identity, code)
    context = {
        "site": board.site,
        "board": board,
        "kinds": _KINDS,
        "quantities": _QUANTITIES,
        "columns": ",".join(dosimetry.CSV_COLUMNS),
        "form_key": failed[0] if failed else "",
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "radiation_safety.html", context, status_code=422 if failed else 200)


@router.get("/radiation-safety", include_in_schema=False)
def radiation_safety_index(request: Request, identity: Reader) -> Response:
    """The dashboard of the person's site (a list of sites when they read several)."""
    codes = dashboard.safety_sites(database(request), identity)
    if len(codes) == 1:
        return _page(request, identity, codes[0])
    return render(request, "radiation_safety_sites.html", {"codes": codes})


@router.get("/sites/{code}/radiation-safety", response_class=HTMLResponse, include_in_schema=False)
def radiation_safety_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """What needs the radiation safety officer at the site now."""
    return _page(request, identity, code)


def _import(request: Request, identity: Identity, code: str, form: Form) -> Response:
    def step(form: Form, errors: Errors) -> None:
        dosimetry.import_readings(database(request), identity, code, form["report"], form["batch"])

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, shown)

    return act("import", form, step, again, _path(code), refusal_key="report")


@router.post("/sites/{code}/radiation-safety/readings", include_in_schema=False)
async def import_post(request: Request, code: str, identity: Officer) -> Response:
    """Import a dosimetry report (CSV pasted into the form)."""
    form = await posted(request, ("report", "batch"))
    return await run_in_threadpool(_import, request, identity, code, form)


def _review(
    request: Request, identity: Identity, code: str, alert_id: int, form: Form
) -> Response:
    def step(form: Form, errors: Errors) -> None:
        dosimetry.review_alert(database(request), identity, alert_id, form["note"])

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, (f"review-{alert_id}", shown[1], shown[2]))

    return act("review", form, step, again, _path(code), refusal_key="note")


@router.post("/sites/{code}/dose-alerts/{alert_id}/review", include_in_schema=False)
async def review_post(request: Request, code: str, alert_id: RecordId,
                      identity: Officer) -> Response:  # fmt: skip
    """Close a dose alert with what the review found and did."""
    form = await posted(request, ("note",))
    return await run_in_threadpool(_review, request, identity, code, alert_id, form)
