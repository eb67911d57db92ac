"""Preparations made in the hot lab, from a material's page: a Tc-99m kit labelled from an
eluate, or another product (e.g. Lu-177 PSMA) made from a received vial.

Each handler reads the form, calls one use case of :mod:`nucmed.services.hotlab.preparation`
(write-locked: it withdraws from the source) and goes to the new preparation's page, or shows
the source's page again with the errors beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from nucmed import units
from nucmed.services.auth import Identity
from nucmed.services.hotlab import preparation
from nucmed.services.hotlab.places import material_site
from nucmed.services.permissions import Permission
from nucmed.services.uow import Database
from nucmed.web.api_types import RecordId
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, act, local_time, read
from nucmed.web.forms import Form as Fields
from nucmed.web.material_page import material_page_with, material_path

__all__ = ["router"]

router = APIRouter()

Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]

_Make = Callable[[Fields, Errors, Callable[[str], datetime]], int | None]
"""Parse a preparation form (times with the site's parser) and make it: the new material's
id, or None when a field was wrong."""


def _make(
    request: Request, identity: Identity, material_id: RecordId, form: Fields, make: _Make
) -> Response:
    """Make a preparation from the material: 303 to it, or the material's page with errors."""
    site = material_site(database(request), identity, material_id, Permission.HOTLAB_WORK)
    when = local_time(site.time_zone)

    def again(shown: tuple[str, Fields, Errors]) -> Response:
        return material_page_with(request, identity, material_id, (shown[1], shown[2]))

    return act(
        "form", form, lambda fields, errors: make(fields, errors, when), again, material_path
    )


def _kit(database_: Database, identity: Identity, eluate_id: RecordId) -> _Make:
    def make(form: Fields, errors: Errors, when: Callable[[str], datetime]) -> int | None:
        volume = read(errors, "volume", units.parse_volume, form["volume"])
        labelled = read(errors, "labelled_at", when, form["labelled_at"])
        shelf = (
            read(errors, "shelf_life", units.parse_duration, form["shelf_life"])
            if form["shelf_life"].strip()
            else None
        )
        if volume is None or labelled is None or errors:
            return None
        late = form["late_entry_reason"] or None
        given = preparation.PreparationInput(form["kit"], volume, labelled, shelf, late)
        return preparation.label_kit(database_, identity, eluate_id, given).id

    return make


@router.post("/materials/{material_id}/prepare", include_in_schema=False)
def prepare_post(
    request: Request,
    material_id: RecordId,
    identity: Worker,
    kit: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
    labelled_at: Annotated[str, Form()] = "",
    shelf_life: Annotated[str, Form()] = "",
    late_entry_reason: Annotated[str, Form()] = "",
) -> Response:
    """Label a kit from this eluate; a refusal (kit limit, eluate not usable) is shown."""
    form = {
        "kit": kit,
        "volume": volume,
        "labelled_at": labelled_at,
        "shelf_life": shelf_life,
        "late_entry_reason": late_entry_reason,
    }
    make = _kit(database(request), identity, material_id)
    return _make(request, identity, material_id, form, make)


def _product(database_: Database, identity: Identity, vial_id: RecordId) -> _Make:
    def make(form: Fields, errors: Errors, when: Callable[[str], datetime]) -> int | None:
        volume = read(errors, "volume", units.parse_volume, form["volume"])
        labelled = read(errors, "labelled_at", when, form["labelled_at"])
        shelf = read(errors, "shelf_life", units.parse_duration, form["shelf_life"])
        rcp = read(errors, "rcp_min", units.parse_fraction, form["rcp_min"])
        if volume is None or labelled is None or shelf is None or rcp is None:
            return None
        late = form["late_entry_reason"] or None
        given = preparation.ProductPreparationInput(
            form["product"], volume, labelled, shelf, rcp, late
        )
        return preparation.make_product(database_, identity, vial_id, given).id

    return make


@router.post("/materials/{material_id}/prepare-product", include_in_schema=False)
def prepare_product_post(
    request: Request,
    material_id: RecordId,
    identity: Worker,
    product: Annotated[str, Form()] = "",
    volume: Annotated[str, Form()] = "",
    labelled_at: Annotated[str, Form()] = "",
    shelf_life: Annotated[str, Form()] = "",
    rcp_min: Annotated[str, Form()] = "",
    late_entry_reason: Annotated[str, Form()] = "",
) -> Response:
    """Make a preparation of another product from this vial (e.g. Lu-177 PSMA)."""
    form = {
        "product": product,
        "volume": volume,
        "labelled_at": labelled_at,
        "shelf_life": shelf_life,
        "rcp_min": rcp_min,
        "late_entry_reason": late_entry_reason,
    }
    make = _product(database(request), identity, material_id)
    return _make(request, identity, material_id, form, make)
