"""Dose map viewer: a site's stored absorbed-dose maps, the form that uploads one (the NIfTI
file ``nucmed dosimetry voxel`` writes, with an optional VOI mask and activity map), and the
viewer: one slice of dose (and of activity, when there is an activity map) as PNG images with
their colour scales, the plane and slice to show, each VOI's dose and the cumulative DVH chart
(:mod:`nucmed.web.dvh_chart`). Slices are in the radiological orientation whatever the file's
axis order (the service puts the volumes in patient order).

Each handler calls one use case of :mod:`nucmed.services.imaging_maps`, which opens its
transaction and checks the permission (looking: therapy readers; uploading: therapy writers).
The files live under the installation's data folder (:attr:`nucmed.config.Settings.data_dir`).
Slices are numbered from 1 on the page, from 0 in the service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError
from nucmed.interop.dose_map_files import Plane
from nucmed.services import imaging_maps
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.web.deps import database, require, settings
from nucmed.web.dvh_chart import colour_of, dvh_chart
from nucmed.web.forms import Errors, Form
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.THERAPY_READ))]
Writer = Annotated[Identity, Depends(require(Permission.THERAPY_WRITE))]

_TEXT_FIELDS = ("patient_reference", "label")
_AXIS = {Plane.SAGITTAL: 0, Plane.CORONAL: 1, Plane.TRANSVERSE: 2}
_CONCENTRATION_UNIT = N_("kBq/mL")
_PLANE_NAMES = {
    Plane.TRANSVERSE: N_("transverse"),
    Plane.CORONAL: N_("coronal"),
    Plane.SAGITTAL: N_("sagittal"),
}


def _list_page(
    request: Request, identity: Identity, code: str, failed: tuple[Form, Errors] | None
) -> Response:
    listed = imaging_maps.dose_maps(database(request), identity, code)
    context = {
        "listed": listed,
        "form": failed[0] if failed else {},
        "errors": failed[1] if failed else {},
    }
    return render(request, "dose_maps.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/dose-maps", response_class=HTMLResponse, include_in_schema=False)
def dose_maps_page(request: Request, code: str, identity: Reader) -> Response:
    """The site's stored dose maps and the upload form."""
    return _list_page(request, identity, code, None)


async def _bytes(field: object) -> bytes | None:
    """An uploaded file's bytes, or None when no file was chosen."""
    if not isinstance(field, UploadFile) or not field.filename:
        return None
    return await field.read()


@router.post("/sites/{code}/dose-maps", include_in_schema=False)
async def dose_maps_post(request: Request, code: str, identity: Writer) -> Response:
    """Upload a dose map (and mask); go to its viewer, or show the form again with the error."""
    async with request.form() as data:  # closes the uploaded files' spools
        form = {name: str(data.get(name, "")) for name in _TEXT_FIELDS}
        given = imaging_maps.DoseMapUpload(
            form["patient_reference"], form["label"],
            await _bytes(data.get("dose_file")) or b"", await _bytes(data.get("mask_file")),
            await _bytes(data.get("activity_file")),
        )  # fmt: skip
    db, folder = database(request), settings(request).data_dir
    try:
        made = await run_in_threadpool(
            imaging_maps.upload_dose_map, db, identity, code, folder, given
        )
    except NucmedInputError as error:
        failed: tuple[Form, Errors] = (form, {"form": Message.of(error)})
        return await run_in_threadpool(_list_page, request, identity, code, failed)
    return RedirectResponse(f"/sites/{code}/dose-maps/{made.id}", status_code=303)


def _plane(text: str) -> Plane:
    """The plane asked for; the transverse plane for anything else."""
    return Plane(text) if text in Plane.__members__.values() else Plane.TRANSVERSE


def _slice(text: str, count: int, default: int) -> int:
    """The slice asked for (from 1), kept within 1..count; ``default`` if it is not a number."""
    try:
        number = int(text)
    except ValueError:
        number = default
    return min(max(number, 1), count)


@router.get(
    "/sites/{code}/dose-maps/{map_id}", response_class=HTMLResponse, include_in_schema=False
)
def viewer_page(
    request: Request, code: str, map_id: int, identity: Reader, plane: str = "", slice: str = ""
) -> Response:
    """One dose map: a slice of dose (and activity) with its colour scale, the VOIs' doses and
    their cumulative DVHs."""
    detail = imaging_maps.dose_map(database(request), identity, code, settings(request).data_dir,
                                   map_id)  # fmt: skip
    shown = _plane(plane)
    axis = _AXIS[shown]
    count = detail.grid[axis]
    number = _slice(slice, count, detail.hottest[axis] + 1)
    curves = [(voi.label, voi.dvh_fraction) for voi in detail.vois]
    top_activity = detail.map.max_activity_bq_per_m3
    top_kbq_per_ml = (
        None if top_activity is None else top_activity * units.M3_PER_ML / units.BQ_PER_KBQ
    )
    context = {
        "dvh": dvh_chart(detail.dvh_levels_gy, curves),
        "colours": {voi.label: colour_of(n) for n, voi in enumerate(detail.vois)},
        "max_activity_kbq_per_ml": top_kbq_per_ml,
        "concentration_unit": _CONCENTRATION_UNIT,
        "detail": detail,
        "plane": shown,
        "planes": tuple(_PLANE_NAMES.items()),
        "plane_name": _PLANE_NAMES[shown],
        "slice_number": number,
        "slice_count": count,
        "voxel_mm": tuple(side * 1e3 for side in detail.map.voxel_m),
    }
    return render(request, "imaging_viewer.html", context)


@router.get("/sites/{code}/dose-maps/{map_id}/slice.png", include_in_schema=False)
def slice_png(
    request: Request, code: str, map_id: int, identity: Reader, plane: str = "", slice: str = ""
) -> Response:
    """A slice of the dose map as a PNG image (colour bar on the right: 0 Gy to the maximum);
    a slice outside the map is refused (422)."""
    wanted = imaging_maps.SliceWanted(map_id, _plane(plane), _slice(slice, 10**6, 1) - 1)
    return _png(request, identity, code, wanted)


@router.get("/sites/{code}/dose-maps/{map_id}/activity.png", include_in_schema=False)
def activity_png(
    request: Request, code: str, map_id: int, identity: Reader, plane: str = "", slice: str = ""
) -> Response:
    """The same slice of the activity map as a PNG image (grey scale, 0 to its maximum); a map
    without an activity map, or a slice outside it, is refused (422)."""
    layer = imaging_maps.Layer.ACTIVITY
    wanted = imaging_maps.SliceWanted(map_id, _plane(plane), _slice(slice, 10**6, 1) - 1, layer)
    return _png(request, identity, code, wanted)


def _png(request: Request, identity: Identity, code: str, wanted: imaging_maps.SliceWanted
         ) -> Response:  # fmt: skip
    png = imaging_maps.dose_map_slice(database(request), identity, code,
                                      settings(request).data_dir, wanted)  # fmt: skip
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})
