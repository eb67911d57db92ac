"""The reconciliation page: the RRDSRs a site's DICOM node received that did not become a
record by themselves (a second SR of an administration on file), for the physicist or the
physician to review and close with a reason; the same list as JSON under ``/api``.

Each handler calls one use case of :mod:`nucmed.services.network.reconciliation`, which opens
its transaction and checks :attr:`Permission.RECONCILE`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from nucmed.services.auth import Identity
from nucmed.services.network import ReconciliationView, read_reconciliation, resolve_item
from nucmed.services.permissions import Permission
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act, posted
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reconciler = Annotated[Identity, Depends(require(Permission.RECONCILE))]


def _page(
    request: Request, identity: Identity, code: str, failed: tuple[int, Form, Errors] | None = None
) -> HTMLResponse:
    """The list; ``failed``: the item whose closing was refused, its values and errors (422)."""
    listed = read_reconciliation(database(request), identity, code)
    context = {
        "site": listed.site,
        "listed": listed,
        "failed_id": failed[0] if failed else None,
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "reconciliation.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/reconciliation", response_class=HTMLResponse, include_in_schema=False)
def reconciliation_page(request: Request, code: str, identity: Reconciler) -> HTMLResponse:
    """The site's reconciliation items, open ones first."""
    return _page(request, identity, code)


def _resolve(
    request: Request, identity: Identity, code: str, item_id: int, form: Form
) -> Response:
    def step(form: Form, errors: Errors) -> None:
        resolve_item(database(request), identity, item_id, form["reason"])

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, (item_id, shown[1], shown[2]))

    return act("resolve", form, step, again, f"/sites/{code}/reconciliation",
               refusal_key="reason")  # fmt: skip


@router.post("/sites/{code}/reconciliation/{item_id}/resolve", include_in_schema=False)
async def resolve_post(
    request: Request, code: str, item_id: RecordId, identity: Reconciler
) -> Response:
    """Close an item with a reason (audited)."""
    form = await posted(request, ("reason",))
    return await run_in_threadpool(_resolve, request, identity, code, item_id, form)


def _item_json(item: ReconciliationView) -> dict[str, Any]:
    def pair(values: tuple[Any, Any] | None) -> dict[str, Any] | None:
        return None if values is None else {"on_file": values[0], "sent": values[1]}

    start = None if item.start is None else (item.start[0].isoformat(), item.start[1].isoformat())
    return {
        "id": item.id, "kind": item.kind, "event_uid": item.event_uid,
        "administration_id": item.administration_id, "patient_id": item.patient_id,
        "created_at": item.created_at.isoformat(), "start": pair(start),
        "activity_bq": pair(item.activity_bq),
        "radiopharmaceutical": pair(item.radiopharmaceutical),
        "patient_number": pair(item.patient_number), "identity": pair(item.identity),
        "resolution": item.resolution,
    }  # fmt: skip


@router.get("/api/sites/{code}/reconciliation", tags=["clinic"])
def reconciliation_api(request: Request, code: str, identity: Reconciler) -> JSONResponse:
    """The site's reconciliation items: each a second RRDSR of an administration on file,
    ``duplicate`` (the same) or ``mismatch`` (each differing field as ``on_file`` and
    ``sent``; activity in Bq), or ``patient`` (the SR's patient is not the one on file with
    its number: ``identity``, no administration), and its ``resolution`` or null."""
    listed = read_reconciliation(database(request), identity, code)
    return JSONResponse({"site": listed.site.code,
                         "items": [_item_json(item) for item in listed.items]})  # fmt: skip
