"""Gamma camera calibration page: a site's camera sensitivities (cps/MBq) per nuclide and
energy window, and the form that records a phantom acquisition.

Each handler calls one use case of :mod:`nucmed.services.imaging`, which opens its transaction
and checks the permission (reading: hot-lab readers; recording: those who do its QC). The
sensitivity is stored in cps/Bq and shown in cps/MBq, converted here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.errors import N_, refusal
from nucmed.services import imaging
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.sites import site_view
from nucmed.web.deps import database, require
from nucmed.web.forms import Again, Errors, Form, act_on_post, local_time, read, typed_local
from nucmed.web.templating import render

__all__ = ["SENSITIVITY_UNIT", "router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]

SENSITIVITY_UNIT = N_("cps/MBq")
"""The unit the page shows sensitivities in (counts per second per MBq)."""

_FIELDS = (
    "camera", "nuclide", "energy_window", "phantom_activity", "activity_reference_time",
    "acquired_at", "duration", "counts", "late_entry_reason",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Row:
    """A calibration as the page shows it (sensitivity in cps/MBq)."""

    view: imaging.CalibrationView
    sensitivity_cps_per_mbq: float


def _page(
    request: Request, identity: Identity, code: str, failed: tuple[str, Form, Errors] | None
) -> Response:
    listed = imaging.camera_calibrations(database(request), identity, code)
    local_now = typed_local(listed.at, listed.time_zone)
    rows = [_Row(v, v.sensitivity_cps_per_bq * units.BQ_PER_MBQ) for v in listed.calibrations]
    context = {
        "listed": listed,
        "rows": rows,
        "sensitivity_unit": SENSITIVITY_UNIT,
        "form": failed[1] if failed else {"acquired_at": local_now},
        "errors": failed[2] if failed else {},
    }
    return render(request, "cameras.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/cameras", response_class=HTMLResponse, include_in_schema=False)
def cameras_page(request: Request, code: str, identity: Reader) -> Response:
    """The site's gamma camera calibrations and the form to record one."""
    return _page(request, identity, code, None)


def _counts(text: str) -> float:
    try:
        value = float(text.strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise refusal(N_("write the counts as a number > 0, e.g. 6500000 or 6.5e6"))
    return value


def _step(request: Request, identity: Identity, code: str) -> Callable[[Form, Errors], None]:
    db = database(request)

    def step(form: Form, errors: Errors) -> None:
        site = site_view(db, identity, code, Permission.HOTLAB_WORK)
        when = local_time(site.time_zone)
        activity = read(errors, "phantom_activity", units.parse_activity, form["phantom_activity"])
        reference = read(errors, "activity_reference_time", when, form["activity_reference_time"])
        acquired = read(errors, "acquired_at", when, form["acquired_at"])
        duration = read(errors, "duration", units.parse_duration, form["duration"])
        counts = read(errors, "counts", _counts, form["counts"])
        if errors or None in (activity, reference, acquired, duration, counts):
            return
        assert activity is not None and reference is not None and acquired is not None
        assert duration is not None and counts is not None
        given = imaging.CalibrationInput(
            form["camera"], form["nuclide"], form["energy_window"], activity, reference,
            acquired, duration, counts, form["late_entry_reason"] or None,
        )  # fmt: skip
        imaging.record_camera_calibration(db, identity, code, given)

    return step


def _again(request: Request, identity: Identity, code: str) -> Again:
    """The page again with what was typed and why it was refused (run off the event loop)."""

    def again(failed: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, failed)

    return again


@router.post("/sites/{code}/cameras", include_in_schema=False)
async def cameras_post(request: Request, code: str, identity: Worker) -> Response:
    """Record a phantom acquisition and the camera sensitivity it gives."""
    step, again = _step(request, identity, code), _again(request, identity, code)
    return await act_on_post(request, _FIELDS, "record", step, again, f"/sites/{code}/cameras")
