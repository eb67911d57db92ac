"""The page of one material (what is left, why it is blocked, its QC, what was made from it),
shown by the hot-lab pages and again, with a form's errors, by the forms posted from it
(elution, QC, kit labelling, preparations). Plumbing shared by page modules, not a router."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from nucmed.services.auth import Identity
from nucmed.services.hotlab.materials import read_material
from nucmed.web.deps import database
from nucmed.web.forms import Errors, Form
from nucmed.web.templating import render

__all__ = ["material_page_with", "material_path"]


def material_path(material_id: int) -> str:
    """The page of a material (where a step that made or changed one goes next)."""
    return f"/materials/{material_id}"


def material_page_with(
    request: Request, identity: Identity, material_id: int, failed: tuple[Form, Errors]
) -> HTMLResponse:
    """The material's page, with a form's values and errors (422 when there are errors)."""
    view = read_material(database(request), identity, material_id)
    form, errors = failed
    context = {
        "site": view.site,
        "material": view,
        "left": view.left,
        "blocked": view.blocked,
        "qc": view.qc,
        "children": view.children,
        "kits": view.kits,
        "form": form,
        "errors": errors,
    }
    return render(request, "material.html", context, status_code=422 if errors else 200)
