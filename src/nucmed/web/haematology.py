"""Haematology decision support on the web: the ELN genetic risk of AML as a page and as JSON.

The page is a form sent with GET (a result has an address that can be shared, and the teaching
cases are links that fill the form); a field that cannot be read is shown with its error beside
it (for a karyotype, the character position) and everything typed is kept. The API answers the
same JSON object as ``nucmed eln2022 --json`` / ``nucmed eln2024 --json``.
"""

from __future__ import annotations

import enum
import re
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from nucmed.errors import Message, MessagePart, english, refusal
from nucmed.haematology.rules import Classification
from nucmed.services import haematology
from nucmed.services.auth import Identity
from nucmed.services.haematology import CaseText, Guideline, HaematologyInputError, Therapy
from nucmed.services.permissions import Permission
from nucmed.web.deps import require
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()
Doctor = Annotated[Identity, Depends(require(Permission.HAEMATOLOGY))]

CATEGORY_LABELS = {
    "favorable": N_("Favorable"),
    "intermediate": N_("Intermediate"),
    "adverse": N_("Adverse"),
    "not-applicable": N_("Not applicable"),
    "review": N_("Review by a haematologist"),
}
STATUS_LABELS = {
    "confirmed": N_("read in the publication"),
    "recalled": N_("recalled from the publication, not re-read"),
}
GUIDELINE_LABELS = {
    Guideline.ELN2022: N_("ELN 2022 (intensive therapy)"),
    Guideline.ELN2024: N_("ELN 2024 (less-intensive therapy)"),
}
THERAPY_LABELS = {
    Therapy.UNSPECIFIED: N_("not stated"),
    Therapy.VENETOCLAX: N_("HMA or low-dose cytarabine with venetoclax"),
    Therapy.AZA_IVO: N_("azacitidine with ivosidenib"),
}
TABLE = N_("Table {number}")
_FIELDS = ("karyotype", "mutations", "fusions")
E = TypeVar("E", bound=enum.StrEnum)


_NOT_LISTED = N_("choose one of the listed values")


def _choice(kind: type[E], text: str, default: E) -> E | None:
    """The value chosen in a list (the default when none was sent); None if not in the list
    (an address typed or changed by hand)."""
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:
        return None


def _items(text: str) -> tuple[str, ...]:
    """Mutations or fusions typed in one field, separated by spaces, commas or semicolons."""
    return tuple(item for item in re.split(r"[\s,;]+", text) if item)


def _error(error: HaematologyInputError) -> JSONResponse:
    detail = [{"field": error.field, "message": str(error)}]
    return JSONResponse({"detail": detail}, status_code=422)


def _answer(identity: Identity, guideline: Guideline, case: CaseText) -> JSONResponse:
    try:
        result = haematology.classify_for(identity, guideline, case)
    except HaematologyInputError as error:
        return _error(error)
    return JSONResponse(result.as_json())


@router.get("/api/haematology/eln2022", tags=["haematology"])
def eln2022_api(
    karyotype: str,
    identity: Doctor,
    mutation: Annotated[list[str] | None, Query()] = None,
    fusion: Annotated[list[str] | None, Query()] = None,
) -> JSONResponse:
    """ELN 2022 genetic risk: ``karyotype`` in ISCN, ``mutation`` (``TP53@0.12``) and
    ``fusion`` (``RUNX1::RUNX1T1``) repeated as needed."""
    case = CaseText(karyotype, tuple(mutation or ()), tuple(fusion or ()))
    return _answer(identity, Guideline.ELN2022, case)


@router.get("/api/haematology/eln2024", tags=["haematology"])
def eln2024_api(
    karyotype: str,
    identity: Doctor,
    mutation: Annotated[list[str] | None, Query()] = None,
    fusion: Annotated[list[str] | None, Query()] = None,
    therapy: Therapy = Therapy.UNSPECIFIED,
    prior_hma: bool = False,
) -> JSONResponse:
    """ELN 2024 genetic risk for less-intensive therapy (same fields, plus ``therapy`` and
    ``prior_hma``)."""
    case = CaseText(karyotype, tuple(mutation or ()), tuple(fusion or ()), therapy, prior_hma)
    return _answer(identity, Guideline.ELN2024, case)


def _message(part: MessagePart) -> Message:
    """One reason as a message the page translates part by part."""
    message = Message(english((part,)))
    message.parts = (part,)
    return message


def _view(result: Classification) -> dict[str, object]:
    return {
        "category": result.category.value,
        "rule": result.rule,
        "review": result.review,
        "candidates": [c.value for c in result.candidates],
        "reasons": [_message(part) for part in result.reasons],
        "publication": result.rule.publication,
        "table": result.rule.table,
        "status": result.rule.status.value,
    }


@router.get("/haematology", response_class=HTMLResponse, include_in_schema=False)
def haematology_page(request: Request, identity: Doctor) -> HTMLResponse:
    """The form, the result of what was typed, and the teaching cases."""
    query = request.query_params
    values = {name: query.get(name, "") for name in (*_FIELDS, "guideline", "therapy")}
    values["prior_hma"] = "yes" if query.get("prior_hma") else ""
    errors: dict[str, Message] = {}
    result = None
    cases = haematology.cases_for(identity)
    guideline = _choice(Guideline, values["guideline"], Guideline.ELN2022)
    therapy = _choice(Therapy, values["therapy"], Therapy.UNSPECIFIED)
    for name, chosen in (("guideline", guideline), ("therapy", therapy)):
        if chosen is None:
            errors[name] = Message.of(refusal(_NOT_LISTED))
    if "karyotype" in query and guideline is not None and therapy is not None:
        case = CaseText(
            values["karyotype"],
            _items(values["mutations"]),
            _items(values["fusions"]),
            therapy,
            bool(values["prior_hma"]),
        )
        try:
            result = _view(haematology.classify_for(identity, guideline, case))
        except HaematologyInputError as error:
            errors[error.field] = Message.of(error)
    context = {
        "values": values,
        "errors": errors,
        "result": result,
        "cases": cases,
        "table_label": TABLE,
        "labels": {
            "category": CATEGORY_LABELS,
            "status": STATUS_LABELS,
            "guideline": GUIDELINE_LABELS,
            "therapy": THERAPY_LABELS,
        },
    }
    return render(request, "haematology.html", context, status_code=422 if errors else 200)
