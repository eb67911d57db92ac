"""The radiation safety officer's shipping form: the contents and dose rates of a package in,
the transport document and package label (PDF) out; a refused package shows the form again
with the reasons beside the fields (422).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.interop.transport_documents import DeclaredContent, Party
from nucmed.safety.transport import FORMS, Packing
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.safety.transport_documents import PackageInput, transport_document_pdf
from nucmed.services.sites import site_view
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.forms import Errors, Form, posted, read
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Officer = Annotated[Identity, Depends(require(Permission.SAFETY_WORK))]

FIELDS = (
    "contents", "surface", "one_metre", "form", "special_form", "no_exclusive_use",
    "consignee", "consignee_city", "consignee_country", "certificate",
)  # fmt: skip
_FORM_NAMES = {"solid": N_("solid"), "liquid": N_("liquid"), "gas": N_("gas")}
_MAX_LINES = 20


def _page(request: Request, identity: Identity, code: str, form: Form | None = None,
          errors: Errors | None = None) -> HTMLResponse:  # fmt: skip
    site = site_view(database(request), identity, code, Permission.SAFETY_WORK)
    loc = request_localizer(request)
    context = {
        "site": site,
        "forms": [(value, loc.message(_FORM_NAMES[value])) for value in FORMS],
        "form": form or {"form": "liquid"},
        "errors": errors or {},
    }
    return render(request, "safety_transport.html", context, status_code=422 if errors else 200)


@router.get("/sites/{code}/radiation-safety/transport", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def transport_page(request: Request, code: str, identity: Officer) -> HTMLResponse:
    """The shipping form of the site."""
    return _page(request, identity, code)


def _line(text: str) -> DeclaredContent:
    """``Tc-99m: 37 GBq`` (or ``Tc-99m 37 GBq``)."""
    nuclide, separator, activity = text.strip().partition(":")
    if not separator:
        nuclide, _, activity = text.strip().partition(" ")
    if not nuclide.strip() or not activity.strip():
        raise refusal(
            N_("'{text}': write one nuclide and its activity a line, e.g. 'Tc-99m: 37 GBq'"),
            text=text.strip(),
        )
    return DeclaredContent(nuclide.strip(), units.parse_activity(activity), activity.strip())


def _contents(text: str) -> tuple[DeclaredContent, ...]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise refusal(N_("give at least one nuclide and its activity"))
    if len(lines) > _MAX_LINES:
        raise refusal(N_("at most {count} nuclides in one package"), count=_MAX_LINES)
    return tuple(_line(line) for line in lines)


def _text(errors: Errors, name: str, value: str) -> str:
    if not value.strip():
        errors[name] = Message.of(refusal(N_("this field is required")))
    return value.strip()


def _package(form: Form, errors: Errors) -> PackageInput | None:
    contents = read(errors, "contents", _contents, form["contents"])
    surface = read(errors, "surface", units.parse_dose_rate, form["surface"])
    one_metre = read(errors, "one_metre", units.parse_dose_rate, form["one_metre"])
    consignee = Party(
        _text(errors, "consignee", form["consignee"]),
        _text(errors, "consignee_city", form["consignee_city"]),
        _text(errors, "consignee_country", form["consignee_country"]),
    )
    if form["form"] not in FORMS:
        errors["form"] = Message.of(refusal(N_("choose the physical form")))
    if contents is None or surface is None or one_metre is None or errors:
        return None
    packing = Packing(special_form=bool(form["special_form"]), form=form["form"],
                      exclusive_use_available=not form["no_exclusive_use"])  # fmt: skip
    return PackageInput(contents, surface, one_metre, packing, consignee, form["certificate"])


def _respond(request: Request, identity: Identity, code: str, form: Form) -> Response:
    errors: Errors = {}
    given = _package(form, errors)
    if given is None:
        return _page(request, identity, code, form, errors)
    language = request_localizer(request).language
    try:
        pdf = transport_document_pdf(database(request), identity, code, given, language)
    except NucmedInputError as error:
        return _page(request, identity, code, form, {"form_error": Message.of(error)})
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="transport-{code}.pdf"'},
    )


@router.post("/sites/{code}/radiation-safety/transport", include_in_schema=False)
async def transport_post(request: Request, code: str, identity: Officer) -> Response:
    """Classify the package and answer its transport document and label (PDF)."""
    form = await posted(request, FIELDS)
    return await run_in_threadpool(_respond, request, identity, code, form)
