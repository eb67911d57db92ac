"""Physics calculators on the command line: decay, generator, breakthrough, doserate."""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.options import read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import N_, refusal
from nucmed.physics.exposure import Material
from nucmed.physics.generator import PH_EUR_LIMIT, USP_LIMIT, BreakthroughLimit
from nucmed.services import calculators

__all__ = ["register"]


UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Activity unit to print, e.g. MBq, GBq or mCi.")
]


def decay(
    nuclide: Annotated[str, typer.Argument(help="Nuclide, e.g. Tc-99m, I-131, 18F.")],
    activity: Annotated[str, typer.Argument(help="Activity at the start, e.g. '740 MBq'.")],
    elapsed: Annotated[
        str | None,
        typer.Option(help="Time to decay over, e.g. 6h, '90 min', PT6H; --elapsed=-2h goes back."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="Time of ACTIVITY, ISO 8601 with offset: 2026-11-22T08:00+05:00."
        ),
    ] = None,
    to: Annotated[str | None, typer.Option(help="Time wanted, ISO 8601 with offset.")] = None,
    unit: UnitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decay-correct an activity forwards or backwards in time."""
    activity_bq = read_option("ACTIVITY", units.parse_activity, activity)
    elapsed_s = _elapsed(elapsed, from_, to)
    result = calculators.decay(nuclide, activity_bq, elapsed_s)
    rows = [
        (N_("activity"), units.format_activity(result.activity_bq, unit)),
        (N_("decay factor"), f"{result.decay_factor:.6g}"),
        (N_("half-life"), units.format_duration(result.half_life_s)),
        (N_("elapsed"), units.format_duration(abs(elapsed_s)) + _back(elapsed_s)),
        (N_("from"), units.format_activity(activity_bq, unit)),
    ]
    title = N_("Decay of {nuclide} (ICRP-107)")
    data = result.as_json()
    emit(title, rows, data, as_json=as_json, values={"nuclide": result.nuclide})


def _back(elapsed_s: float) -> str:
    """ " back" after a time that goes back, in the run's language."""
    return " " + tr(N_("back")) if elapsed_s < 0 else ""


def _signed_duration(text: str) -> float:
    return units.parse_duration(text, allow_negative=True)


def _elapsed(elapsed: str | None, start: str | None, end: str | None) -> float:
    """Seconds from --elapsed, or from --from to --to; exactly one of the two ways."""
    if elapsed is not None and start is None and end is None:
        return read_option("--elapsed", _signed_duration, elapsed)
    if elapsed is None and start is not None and end is not None:
        delta = read_option("--to", units.parse_datetime, end) - read_option(
            "--from", units.parse_datetime, start
        )
        return delta.total_seconds()
    raise refusal(N_("give either --elapsed DURATION, or both --from DATETIME and --to DATETIME"))


def generator(
    mo99: Annotated[
        str, typer.Option("--mo99", help="Mo-99 activity at the last complete elution.")
    ],
    since_elution: Annotated[
        str, typer.Option("--since-elution", help="Time since that elution, e.g. 24h.")
    ],
    efficiency: Annotated[
        str, typer.Option(help="Elution efficiency of the next elution, e.g. 0.9 or '90 %'.")
    ] = "1",
    unit: UnitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tc-99m in a Mo-99/Tc-99m generator some time after a complete elution."""
    result = calculators.generator_column(
        read_option("--mo99", units.parse_activity, mo99),
        read_option("--since-elution", units.parse_duration, since_elution),
        read_option("--efficiency", units.parse_fraction, efficiency),
    )
    column = result.column
    rows = [
        (N_("Mo-99 now"), units.format_activity(column.mo99_bq, unit)),
        (N_("Tc-99m in the column"), units.format_activity(column.tc99m_bq, unit)),
        (
            tr(N_("Tc-99m eluted at {efficiency}")).format(efficiency=f"{result.efficiency:.0%}"),
            units.format_activity(result.eluted_tc99m_bq, unit),
        ),
        (
            N_("Tc-99m atom fraction"),
            f"{column.tc99m_atom_fraction:.4f} " + tr(N_("(Tc-99m / all Tc atoms)")),
        ),
        (N_("time of maximum Tc-99m"), units.format_duration(result.time_of_max_s)),
        (N_("branching Mo-99 -> Tc-99m"), f"{result.branching_fraction:.4f} (ICRP-107)"),
    ]
    emit(N_("Mo-99/Tc-99m generator"), rows, result.as_json(), as_json=as_json)


_NAMED_LIMITS = {"usp": USP_LIMIT, "ph-eur": PH_EUR_LIMIT}


def _limit(text: str) -> BreakthroughLimit:
    """A named limit (usp, ph-eur), or a ratio such as '0.15 kBq/MBq' or '0.1 %'."""
    named = _NAMED_LIMITS.get(text.strip().lower())
    if named is not None:
        return named
    ratio = units.parse_ratio(text)
    return BreakthroughLimit(ratio=ratio, name="custom", source="given on the command line")


def breakthrough(
    mo99: Annotated[str, typer.Option("--mo99", help="Mo-99 in the eluate at elution.")],
    tc99m: Annotated[str, typer.Option("--tc99m", help="Tc-99m in the eluate at elution.")],
    elapsed: Annotated[str, typer.Option(help="Time from elution to administration, e.g. 6h.")],
    limit: Annotated[
        str,
        typer.Option(
            help="usp (0.15 kBq/MBq, default), ph-eur (0.1 %), or a ratio: '0.15 kBq/MBq'."
        ),
    ] = "usp",
    as_json: JsonOption = False,
) -> None:
    """Mo-99 breakthrough of an eluate at a later time, against a limit."""
    result = calculators.breakthrough(
        read_option("--mo99", units.parse_activity, mo99),
        read_option("--tc99m", units.parse_activity, tc99m),
        read_option("--elapsed", units.parse_duration, elapsed),
        read_option("--limit", _limit, limit),
    )
    data = result.as_json()
    rows = [
        (N_("ratio"), f"{data['ratio_kbq_per_mbq']:.4g} kBq/MBq (Mo-99/Tc-99m)"),
        (N_("limit"), f"{data['limit_kbq_per_mbq']:.4g} kBq/MBq ({result.check.limit.name})"),
        (N_("passes"), tr(N_("yes")) if result.check.passes else tr(N_("NO"))),
        (N_("limit reached after"), _after_elution(result.time_to_limit_s)),
    ]
    emit(N_("Mo-99 breakthrough"), rows, data, as_json=as_json)


def _after_elution(seconds: float) -> str:
    if seconds == 0:
        return tr(N_("already at elution"))
    return tr(N_("{duration} from elution")).format(duration=units.format_duration(seconds))


_QUANTITIES = {
    "air_kerma": N_("air kerma"),
    "effective_dose": N_("effective dose"),
    "ambient_dose_equivalent": N_("ambient dose equivalent"),
}
"""The dose quantity of a rate constant, as the table names it."""
_MATERIAL_NAMES = {"lead": N_("lead"), "tungsten": N_("tungsten"), "concrete": N_("concrete")}
"""The shield materials of ``doserate``, as the table names them."""


def doserate(
    nuclide: Annotated[str, typer.Argument(help="Nuclide, e.g. Tc-99m.")],
    activity: Annotated[str, typer.Argument(help="Activity of the source, e.g. '740 MBq'.")],
    distance: Annotated[str, typer.Option(help="Distance from the source, e.g. '1 m', '30 cm'.")],
    lead: Annotated[str | None, typer.Option(help="Lead shield thickness, e.g. '3 mm'.")] = None,
    tungsten: Annotated[str | None, typer.Option(help="Tungsten shield thickness.")] = None,
    concrete: Annotated[str | None, typer.Option(help="Concrete barrier thickness.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Dose rate at a distance from a point source, behind an optional shield."""
    material, thickness_m = _shield({"lead": lead, "tungsten": tungsten, "concrete": concrete})
    result = calculators.dose_rate(
        nuclide,
        read_option("ACTIVITY", units.parse_activity, activity),
        read_option("--distance", units.parse_length, distance),
        material,
        thickness_m,
    )
    rate_sv_per_s = result.rate.rate_per_s
    rows = [
        (N_("dose rate"), units.format_dose_rate(rate_sv_per_s)),
        (N_("quantity"), tr(_QUANTITIES[result.rate.quantity.value])),
        (N_("distance"), units.format_length(result.distance_m)),
        (
            N_("shield"),
            f"{units.format_length(thickness_m)} {tr(_MATERIAL_NAMES[material])}"
            if material
            else tr(N_("none")),
        ),
        (N_("transmission"), f"{result.rate.transmission:.4g}"),
        (N_("constant"), result.rate.constant.source),
    ]
    title = N_("Dose rate from {nuclide}")
    emit(title, rows, result.as_json(), as_json=as_json, values={"nuclide": result.nuclide})


_MATERIALS: dict[str, Material] = {"lead": "lead", "tungsten": "tungsten", "concrete": "concrete"}


def _shield(thicknesses: dict[str, str | None]) -> tuple[Material | None, float]:
    given = [(name, text) for name, text in thicknesses.items() if text is not None]
    if not given:
        return None, 0.0
    if len(given) > 1:
        raise refusal(N_("give one shield at a time: --lead, --tungsten or --concrete"))
    name, text = given[0]
    material = _MATERIALS[name]
    return material, read_option(f"--{name}", units.parse_length, text)


def register(app: typer.Typer) -> None:
    """Add the physics commands to the application."""
    app.command("decay")(decay)
    app.command("generator")(generator)
    app.command("breakthrough")(breakthrough)
    app.command("doserate")(doserate)
