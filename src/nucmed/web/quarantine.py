"""Packages in quarantine: the radiation safety officer's list at a site, with the measured
values and the limits they exceed, and the release of a package with a reason; the same as JSON
under ``/api``.

Each handler calls one use case of :mod:`nucmed.services.hotlab.quarantine`, which opens its
transaction and checks the permission (reading: hot-lab readers; releasing: the radiation
safety officer only).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from nucmed.services.auth import Identity
from nucmed.services.hotlab import quarantine
from nucmed.services.hotlab.places import material_site
from nucmed.services.permissions import Permission
from nucmed.web.api_types import LongText, RecordId, examples
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act, posted
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Releaser = Annotated[Identity, Depends(require(Permission.RELEASE_QUARANTINE))]


def _list_path(code: str) -> str:
    return f"/sites/{code}/quarantine"


def _page(
    request: Request, identity: Identity, code: str, failed: tuple[int, Form, Errors] | None = None
) -> HTMLResponse:
    """The list; ``failed``: the package whose release form was refused, its values and
    errors (422)."""
    listed = quarantine.read_quarantine(database(request), identity, code)
    context = {
        "site": listed.site,
        "listed": listed,
        "failed_id": failed[0] if failed else None,
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "quarantine.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/quarantine", response_class=HTMLResponse, include_in_schema=False)
def quarantine_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """The packages in quarantine at the site, with their findings and release forms."""
    return _page(request, identity, code)


def _release(request: Request, identity: Identity, material_id: int, form: Form) -> Response:
    db = database(request)
    site = material_site(db, identity, material_id, Permission.RELEASE_QUARANTINE)

    def step(form: Form, errors: Errors) -> None:
        quarantine.release(db, identity, material_id, form["reason"])

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, site.code, (material_id, shown[1], shown[2]))

    return act("release", form, step, again, _list_path(site.code), refusal_key="reason")


@router.post("/materials/{material_id}/release", include_in_schema=False)
async def release_post(request: Request, material_id: RecordId, identity: Releaser) -> Response:
    """Release a package from quarantine with a reason (the radiation safety officer)."""
    form = await posted(request, ("reason",))
    return await run_in_threadpool(_release, request, identity, material_id, form)


# --------------------------------------------------------------------------- API
def _package_json(package: quarantine.QuarantinedPackage) -> dict[str, Any]:
    return {
        "material_id": package.material_id,
        "kind": package.kind,
        "nuclide": package.nuclide,
        "product": package.product,
        "lot": package.lot,
        "supplier": package.supplier,
        "measured_at": package.measured_at.isoformat() if package.measured_at else None,
        "label_category": package.label_category,
        "transport_index": package.transport_index,
        "exclusive_use": package.exclusive_use,
        "surface_dose_rate_sv_per_s": package.surface_dose_rate_sv_per_s,
        "one_metre_dose_rate_sv_per_s": package.one_metre_dose_rate_sv_per_s,
        "wipe_bq_per_m2": package.wipe_bq_per_m2,
        "quarantined_at": package.state.since.isoformat(),
        "reason": package.state.reason,
        "findings": [
            {
                "check": f.check,
                "value": f.value,
                "limit": f.limit,
                "unit": f.unit,
                "rule": f.rule,
                "source": f.source,
            }
            for f in package.state.findings
        ],
    }


@router.get("/api/sites/{code}/quarantine", tags=["hot lab"])
def quarantine_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The packages in quarantine at the site: what was measured (SI: Sv/s, Bq/m²) and each
    limit exceeded (``value`` and ``limit`` in the SI ``unit``, the ``rule`` and its
    ``source``); ``may_release``: the reader is the site's radiation safety officer."""
    listed = quarantine.read_quarantine(database(request), identity, code)
    return JSONResponse(
        {
            "site": listed.site.code,
            "may_release": listed.may_release,
            "packages": [_package_json(p) for p in listed.packages],
        }
    )


class ReleaseBody(BaseModel):
    """Why the package may be used: what the radiation safety officer checked or did."""

    model_config = examples({"reason": "Resurveyed after decontamination: 0.2 Bq/cm², 3 µSv/h"})

    reason: LongText


@router.post("/api/materials/{material_id}/release", tags=["hot lab"])
def release_api(
    request: Request, material_id: RecordId, body: ReleaseBody, identity: Releaser
) -> JSONResponse:
    """Release a package from quarantine with a reason (the radiation safety officer only;
    audited); 422 without a reason or when it is not in quarantine."""
    released = quarantine.release(database(request), identity, material_id, body.reason)
    return JSONResponse(
        {
            "material_id": released.material_id,
            "site": released.site_code,
            "released_at": released.at.isoformat(),
            "reason": released.reason,
        }
    )
