"""``nucmed shielding``: the barrier that keeps a point under its weekly design goal (TG-108)."""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.options import OptionError, plain_number, read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.safety.shielding import (
    AREAS,
    DESIGN_GOALS_SV_PER_WEEK,
    MATERIALS,
    BarrierDesign,
    design_barrier,
)
from nucmed.safety.shielding_workload import Workload

__all__ = ["register", "workload_from_text"]

_KEYS = ("nuclide", "activity", "per-week", "stay", "distance", "delay", "voided", "vial")
_REQUIRED = ("nuclide", "activity", "per-week", "stay", "distance")
_EXAMPLE = "nuclide=F-18; activity=555 MBq; per-week=40; stay=1 h; distance=4 m"


def _pairs(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, _, value = item.partition("=")
        key = key.strip().lower()
        if key not in _KEYS:
            raise refusal(
                N_("unknown key '{key}' in a source; allowed: {allowed}; e.g. '{example}'"),
                key=key, allowed=", ".join(_KEYS), example=_EXAMPLE,
            )  # fmt: skip
        pairs[key] = value.strip()
    missing = [key for key in _REQUIRED if not pairs.get(key)]
    if missing:
        raise refusal(
            N_("a source needs {missing}; e.g. '{example}'"),
            missing=", ".join(missing), example=_EXAMPLE,
        )  # fmt: skip
    return pairs


def workload_from_text(text: str) -> Workload:
    """Read ``key=value; ...`` (see ``nucmed shielding --help``) into a :class:`Workload`."""
    pairs = _pairs(text)
    return Workload(
        nuclide=pairs["nuclide"],
        activity_bq=units.parse_activity(pairs["activity"]),
        per_week=plain_number(pairs["per-week"], N_("a number of patients per week"), "40"),
        stay_s=units.parse_duration(pairs["stay"]),
        distance_m=units.parse_length(pairs["distance"]),
        delay_s=units.parse_duration(pairs["delay"]) if pairs.get("delay") else 0.0,
        patient="vial" not in pairs,
        voided_fraction=units.parse_fraction(pairs["voided"]) if pairs.get("voided") else 0.0,
    )


def _goal(goal: str | None, area: str) -> float:
    if goal is not None:
        return read_option("--goal", units.parse_effective_dose, goal)
    if area not in AREAS:
        raise refusal(N_("the area must be one of {allowed}"), allowed=", ".join(AREAS))
    return DESIGN_GOALS_SV_PER_WEEK[area]


def shielding(
    source: Annotated[
        list[str],
        typer.Option(
            help="A source as 'key=value; ...': nuclide, activity (per patient), per-week, "
            "stay (time at the location), distance (to the point); optional delay (uptake "
            "time before an imaging room), voided (e.g. 15 %), vial (not a patient). "
            f"E.g. '{_EXAMPLE}'. Repeat for several sources."
        ),
    ],
    material: Annotated[str, typer.Option(help=f"Barrier: {', '.join(MATERIALS)}.")] = "lead",
    occupancy: Annotated[str, typer.Option(help="Occupancy factor T, 0 to 1.")] = "1",
    area: Annotated[
        str, typer.Option(help="uncontrolled (20 µSv/week) or controlled (100 µSv/week).")
    ] = "uncontrolled",
    goal: Annotated[
        str | None, typer.Option(help="Weekly design goal instead of --area, e.g. '20 µSv'.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Weekly dose at a point and the barrier thickness that meets the design goal (TG-108)."""
    workloads = []
    for number, text in enumerate(source, start=1):
        try:
            workloads.append(workload_from_text(text))
        except NucmedInputError as error:
            raise OptionError(f"--source {number}", error) from None
    design = design_barrier(
        workloads,
        material,
        occupancy=read_option("--occupancy", units.parse_fraction, occupancy),
        goal_sv_per_week=_goal(goal, area),
    )
    emit(N_("Shielding design (AAPM TG-108)"), _rows(design), design.as_json(), as_json=as_json)


_MATERIAL_NAMES = {"lead": N_("lead"), "concrete": N_("concrete"), "iron": N_("iron")}


def _usv(dose_sv: float) -> str:
    return f"{dose_sv / units.SV_PER_USV:.4g}"


def _thickness(design: BarrierDesign) -> str:
    """Concrete in cm, lead and iron in mm, as builders order them; the unit translated."""
    if design.material == "concrete":
        return f"{design.thickness_m / units.M_PER_CM:.4g} {tr(N_('cm'))}"
    return f"{design.thickness_m / units.M_PER_MM:.4g} {tr(N_('mm'))}"


def _rows(design: BarrierDesign) -> list[tuple[str, str]]:
    rows = [
        (N_("source: unshielded dose, µSv per week"), f"{s.nuclide} {_usv(s.dose_sv_per_week)}")
        for s in design.sources
    ]
    return [
        *rows,
        (N_("unshielded dose at the point, µSv per week"), _usv(design.unshielded_sv_per_week)),
        (N_("occupancy factor"), f"{design.occupancy:g}"),
        (N_("design goal, µSv per week"), _usv(design.goal_sv_per_week)),
        (N_("required transmission"), f"{design.required_transmission:.4g}"),
        (N_("barrier material"), tr(_MATERIAL_NAMES[design.material])),
        (N_("thickness"), _thickness(design)),
        (N_("dose behind the barrier, µSv per week"), _usv(design.shielded_sv_per_week)),
    ]


def register(app: typer.Typer) -> None:
    """Add the shielding command to the application."""
    app.command("shielding")(shielding)
