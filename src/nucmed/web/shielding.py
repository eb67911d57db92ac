"""Shielding design calculator (AAPM TG-108): up to three sources behind one barrier.

A plain GET form, as the other calculators: the result has an address that can be shared, a
field that cannot be read is shown with its error beside it (422), and everything typed is
kept. A refusal of the whole design (a nuclide without data for the material) is shown above
the result in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError, refusal
from nucmed.safety.shielding import (
    AREAS,
    DESIGN_GOALS_SV_PER_WEEK,
    MATERIALS,
    BarrierDesign,
    design_barrier,
)
from nucmed.safety.shielding_workload import Workload
from nucmed.services.auth import Identity
from nucmed.web.deps import require
from nucmed.web.forms import Errors, read
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_PUBLICATION = re.compile(r"^(.*?\(\d{4}(?: ed\.)?\))")

AnyRole = Annotated[Identity, Depends(require())]

ROWS = (1, 2, 3)
_SOURCE_FIELDS = ("nuclide", "activity", "per_week", "stay", "delay", "distance", "voided", "kind")
_BARRIER_FIELDS = ("material", "occupancy", "area", "goal")
_DEFAULTS = {
    "nuclide_1": "F-18", "activity_1": "555 MBq", "per_week_1": "40", "stay_1": "1 h",
    "delay_1": "", "distance_1": "4 m", "voided_1": "", "kind_1": "patient",
    "material": "lead", "occupancy": "1", "area": "uncontrolled", "goal": "",
}  # fmt: skip
KINDS = {"patient": N_("patient"), "vial": N_("vial or syringe")}
MATERIAL_LABELS = {"lead": N_("lead"), "concrete": N_("concrete"), "iron": N_("iron")}
AREA_LABELS = {
    "uncontrolled": N_("uncontrolled, 20 µSv per week"),
    "controlled": N_("controlled, 100 µSv per week"),
}


def _per_week(text: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise refusal(N_("'{text}' is not a number of patients per week; write e.g. 40"),
                      text=text) from None  # fmt: skip
    return value


def _choice(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in allowed:
            raise refusal(N_("choose one of {allowed}"), allowed=", ".join(allowed))
        return text

    return parse


def _workload(form: dict[str, str], errors: Errors, row: int) -> Workload | None:
    def text(field: str) -> str:
        return form.get(f"{field}_{row}", "")

    def number(field: str, parse: Callable[[str], float], empty: float | None = None) -> float:
        if empty is not None and not text(field).strip():
            return empty
        value = read(errors, f"{field}_{row}", parse, text(field))
        return float("nan") if value is None else value

    activity = number("activity", units.parse_activity)
    per_week = number("per_week", _per_week)
    stay = number("stay", units.parse_duration)
    distance = number("distance", units.parse_length)
    delay = number("delay", units.parse_duration, 0.0)
    voided = number("voided", units.parse_fraction, 0.0)
    kind = read(errors, f"kind_{row}", _choice(tuple(KINDS)), text("kind") or "patient")
    if any(f"{field}_{row}" in errors for field in _SOURCE_FIELDS):
        return None
    return Workload(
        text("nuclide").strip(), activity, per_week, stay, distance,
        delay_s=delay, patient=kind == "patient", voided_fraction=voided,
    )  # fmt: skip


def _goal(form: dict[str, str], errors: Errors) -> float | None:
    if form.get("goal", "").strip():
        return read(errors, "goal", units.parse_effective_dose, form["goal"])
    area = read(errors, "area", _choice(AREAS), form.get("area", ""))
    return None if area is None else DESIGN_GOALS_SV_PER_WEEK[area]


def _design(form: dict[str, str], errors: Errors) -> tuple[BarrierDesign | None, str | None]:
    """The design, or None with the field errors; a refusal of the whole design as a message."""
    rows = [row for row in ROWS if form.get(f"nuclide_{row}", "").strip()]
    workloads = [_workload(form, errors, row) for row in rows]
    material = read(errors, "material", _choice(MATERIALS), form.get("material", ""))
    occupancy = read(errors, "occupancy", units.parse_fraction, form.get("occupancy", ""))
    goal = _goal(form, errors)
    if errors or material is None or occupancy is None or goal is None:
        return None, None
    chosen = [w for w in workloads if w is not None]
    try:
        return design_barrier(chosen, material, occupancy=occupancy, goal_sv_per_week=goal), None
    except NucmedInputError as error:
        return None, Message.of(error)


def _publications(design: BarrierDesign | None) -> list[str]:
    """The publications the transmission data cite, each up to its year (``... (2006)``,
    ``... (2025 ed.)``): titles, the same in every language; the rows' full sources are in the
    documentation."""
    if design is None:
        return []
    found = (_PUBLICATION.match(source) for source in design.transmission_sources)
    return list(dict.fromkeys(match.group(1) for match in found if match))


def _thickness(design: BarrierDesign) -> tuple[float, str]:
    """The thickness in the unit builders order: cm of concrete, mm of lead or iron."""
    if design.material == "concrete":
        return design.thickness_m / units.M_PER_CM, N_("cm")
    return design.thickness_m / units.M_PER_MM, N_("mm")


@router.get("/calculators/shielding", response_class=HTMLResponse)
def shielding_page(request: Request, _identity: AnyRole, go: str | None = None) -> HTMLResponse:
    """The shielding calculator; with ``go`` and the fields in the query, also the result."""
    names = [f"{f}_{row}" for row in ROWS for f in _SOURCE_FIELDS] + list(_BARRIER_FIELDS)
    errors: Errors = {}
    design, problem = None, None
    if go is None:
        form = dict(_DEFAULTS)
    else:
        form = {name: request.query_params.get(name, "") for name in names}
        design, problem = _design(form, errors)
    context = {
        "form": form, "errors": errors, "design": design, "problem": problem, "rows": ROWS,
        "kinds": KINDS, "materials": MATERIAL_LABELS, "areas": AREA_LABELS,
        "usv": lambda sv: sv / units.SV_PER_USV, "thickness": _thickness,
        "publications": _publications(design),
    }  # fmt: skip
    status = 422 if errors or problem else 200
    return render(request, "shielding.html", context, status_code=status)
