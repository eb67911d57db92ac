"""Calculators on the web: a page for people and the same results as JSON under /api.

The page is plain HTML forms sent with GET, so a result has an address that can be shared or
bookmarked and works without JavaScript. A field that cannot be read is shown with its error
beside it, and everything the user typed is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from nucmed import units
from nucmed.errors import Message, NucmedInputError
from nucmed.physics.nuclides import get_nuclide
from nucmed.services import calculators
from nucmed.services.auth import Identity
from nucmed.services.calculators import JsonValue
from nucmed.web.deps import require
from nucmed.web.templating import render

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/physics", tags=["physics"])

Calculator = Literal["decay", "generator"]
T = TypeVar("T")

AnyRole = Annotated[Identity, Depends(require())]

_DECAY_DEFAULTS = {"nuclide": "Tc-99m", "activity": "740 MBq", "elapsed": "6 h"}
_GENERATOR_DEFAULTS = {"mo99": "20 GBq", "since_elution": "24 h", "efficiency": "90 %"}


@dataclass
class Fields:
    """What the user typed in one form, and the error of each field that could not be read."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def read(self, name: str, parse: Callable[[str], T]) -> T | None:
        """Parse one field; on bad input remember the message for that field."""
        try:
            return parse(self.values.get(name, ""))
        except NucmedInputError as error:
            self.errors[name] = Message.of(error)
            return None


def _decay(fields: Fields) -> dict[str, JsonValue] | None:
    nuclide = fields.read("nuclide", lambda text: get_nuclide(text).name)
    activity_bq = fields.read("activity", units.parse_activity)
    elapsed_s = fields.read(
        "elapsed", lambda text: units.parse_duration(text, allow_negative=True)
    )
    if nuclide is None or activity_bq is None or elapsed_s is None:
        return None
    return calculators.decay(nuclide, activity_bq, elapsed_s).as_json()


def _generator(fields: Fields) -> dict[str, JsonValue] | None:
    mo99_bq = fields.read("mo99", units.parse_activity)
    since_s = fields.read("since_elution", units.parse_duration)
    efficiency = fields.read("efficiency", units.parse_fraction)
    if mo99_bq is None or since_s is None or efficiency is None:
        return None
    return calculators.generator_column(mo99_bq, since_s, efficiency).as_json()


_RUNNERS: Mapping[Calculator, Callable[[Fields], dict[str, JsonValue] | None]] = {
    "decay": _decay,
    "generator": _generator,
}


def _run(
    calculator: Calculator, values: dict[str, str]
) -> tuple[Fields, dict[str, JsonValue] | None]:
    fields = Fields(values)
    return fields, _RUNNERS[calculator](fields)


def _api_answer(calculator: Calculator, values: dict[str, str]) -> JSONResponse:
    fields, result = _run(calculator, values)
    if result is None:
        detail = [{"field": name, "message": message} for name, message in fields.errors.items()]
        return JSONResponse({"detail": detail}, status_code=422)
    return JSONResponse(result)


@api.get("/decay")
def decay_api(nuclide: str, activity: str, elapsed: str, _identity: AnyRole) -> JSONResponse:
    """Decay-correct ``activity`` (e.g. ``740 MBq``) of ``nuclide`` over ``elapsed`` (``6 h``)."""
    return _api_answer("decay", {"nuclide": nuclide, "activity": activity, "elapsed": elapsed})


@api.get("/generator")
def generator_api(
    mo99: str, since_elution: str, _identity: AnyRole, efficiency: str = "1"
) -> JSONResponse:
    """Mo-99/Tc-99m generator column ``since_elution`` after a complete elution."""
    values = {"mo99": mo99, "since_elution": since_elution, "efficiency": efficiency}
    return _api_answer("generator", values)


@pages.get("/calculators", response_class=HTMLResponse)
def calculators_page(
    request: Request, _identity: AnyRole, calc: Calculator | None = None
) -> HTMLResponse:
    """The calculators page; with ``calc`` and its fields in the query, also the result."""
    query = dict(request.query_params)
    forms = {
        "decay": Fields(dict(_DECAY_DEFAULTS)),
        "generator": Fields(dict(_GENERATOR_DEFAULTS)),
    }
    results: dict[str, dict[str, JsonValue] | None] = {"decay": None, "generator": None}
    if calc is not None:
        defaults = _DECAY_DEFAULTS if calc == "decay" else _GENERATOR_DEFAULTS
        values = {name: query.get(name, "") for name in defaults}
        forms[calc], results[calc] = _run(calc, values)
    status = 422 if calc is not None and forms[calc].errors else 200
    return render(
        request,
        "calculators.html",
        {"forms": forms, "results": results, "format_duration": units.format_duration},
        status_code=status,
    )
