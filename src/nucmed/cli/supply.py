"""``nucmed supply``: activity to dispatch for an order, a week's plan of orders on departures,
and what-if replays of that plan (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.options import plain_number, read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import N_, refusal
from nucmed.supply.candidates import REASON_TEXT
from nucmed.supply.dispatch import dispatch_activity
from nucmed.supply.planner import Plan, Settings, plan
from nucmed.supply.scenario import Scenario, parse_scenario
from nucmed.supply.whatif import Disruption, WhatIf, replay

__all__ = ["register"]

_PERCENT = 100.0
_SECONDS_PER_MINUTE = 60.0
_FAILURE_TEXT = {
    **REASON_TEXT,
    "departure_cancelled": N_("the departure is cancelled"),
    "arrives_too_late": N_(
        "it now arrives too late for the calibration (receiving margin included)"
    ),
    "carrier_refuses_class_7": N_("the carrier refuses radioactive goods (Class 7)"),
}

_REPAIR = N_("repair")
_NOT_REPAIRED = N_("not repaired")
_STATUS = {
    "optimal": N_("optimal"),
    "feasible": N_("the best found within the time limit"),
    "greedy": N_("earliest departures (decay-blind)"),
}

Margin = Annotated[
    str, typer.Option(metavar="PERCENT", help="Safety margin on the dispatched activity, e.g. 5.")
]
ScenarioFile = Annotated[
    Path, typer.Option("--scenario", help="Scenario JSON file (docs/supply-scenario.schema.json).")
]


def _margin(text: str) -> float:
    """A margin in percent (``5``, ``5 %``) as a fraction from 0 to 1."""
    value = plain_number(text.strip().removesuffix("%"), N_("a percentage"), "5 / 2.5 %")
    if not 0.0 <= value <= _PERCENT:
        raise refusal(N_("the margin must be from 0 to 100 %; got {value} %"), value=f"{value:g}")
    return value / _PERCENT


def _zone(name: str) -> ZoneInfo:
    """An IANA time zone (``Asia/Almaty``)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            N_("unknown time zone '{zone}'; use an IANA name such as Asia/Almaty"), zone=name[:40]
        ) from None


def _written_zone(text: str) -> tzinfo:
    """The UTC offset a date-time was written with (read by ``units.parse_datetime`` before)."""
    return datetime.fromisoformat(text.strip().upper()).tzinfo or UTC


def _local(moment: datetime, zone: tzinfo, name: str | None) -> str:
    """A moment in a zone, with its offset and the zone's name when one was given:
    ``2026-12-03 08:00 +05:00 (Asia/Almaty)``."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    shown = f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
    return f"{shown} ({name})" if name else shown


def _scenario(path: Path) -> Scenario:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise refusal(
            N_("cannot read the scenario {path}: {reason}"),
            path=str(path),
            reason=error.strerror or "",
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise refusal(
            N_("the scenario {path} is not JSON: {reason}"), path=str(path), reason=str(error)
        ) from None
    return parse_scenario(data)


def dispatch(
    nuclide: Annotated[str, typer.Argument(help="Nuclide, e.g. Tc-99m, I-131, Mo-99.")],
    activity: Annotated[str, typer.Option(help="Ordered activity at calibration, '740 MBq'.")],
    calibration: Annotated[
        str, typer.Option(help="Calibration date-time at the site, '2026-12-08T12:00+05:00'.")
    ],
    depart: Annotated[str, typer.Option(help="Departure date-time, '2026-12-07T20:00+05:00'.")],
    margin: Margin = "0",
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone of the times shown (IANA name, e.g. Asia/Almaty); "
            "default: the UTC offset each time was written with.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Activity to dispatch so that the order holds its activity at calibration."""
    ordered = read_option("--activity", units.parse_activity, activity)
    at_site = read_option("--calibration", units.parse_datetime, calibration)
    leaving = read_option("--depart", units.parse_datetime, depart)
    zone = None if tz is None else read_option("--tz", _zone, tz)
    fraction = read_option("--margin", _margin, margin)
    result = dispatch_activity(nuclide, ordered, at_site, leaving, fraction)
    data = {"dispatched_bq": result.dispatched_bq, "decay_factor": result.decay_factor}
    rows = [
        (N_("ordered at calibration"), units.format_activity(ordered)),
        (N_("calibration"), _local(at_site, zone or _written_zone(calibration), tz)),
        (N_("departure"), _local(leaving, zone or _written_zone(depart), tz)),
        (N_("decay factor"), f"{result.decay_factor:.4f}"),
        (N_("margin"), f"{fraction * _PERCENT:g} %"),
        (N_("activity to dispatch"), units.format_activity(result.dispatched_bq)),
    ]
    emit(N_("Dispatch of {nuclide}"), rows, data, as_json=as_json, values={"nuclide": nuclide})


def _plan_rows(result: Plan, orders: int) -> list[tuple[str, str]]:
    rows = [
        (N_("orders served"), f"{len(result.assignments)} / {orders}"),
        (N_("total dispatched"), units.format_activity(result.total_dispatched_bq)),
        (N_("total cost"), f"{result.total_cost:g}"),
        (N_("solution"), tr(_STATUS[result.status])),
    ]
    rows += [
        (a.order, f"{a.departure}  {units.format_activity(a.dispatched_bq)}  "
                  f"x{a.decay_factor:.3f}")
        for a in result.assignments
    ]  # fmt: skip
    rows += [(item.order, tr(REASON_TEXT[item.reason])) for item in result.unserved]
    return rows


def plan_command(
    scenario: ScenarioFile,
    margin: Margin = "0",
    time_limit: Annotated[
        float, typer.Option(help="Solver time limit per stage, in s.", min=0.1, max=3600)
    ] = 60.0,
    as_json: JsonOption = False,
) -> None:
    """Assign a scenario's orders to departures: least activity dispatched, then least cost."""
    loaded = _scenario(scenario)
    settings = Settings(read_option("--margin", _margin, margin), time_limit)
    result = plan(loaded, settings)
    emit(N_("Supply plan"), _plan_rows(result, len(loaded.orders)), result.as_json(),
         as_json=as_json)  # fmt: skip


def _delay(text: str) -> Disruption:
    departure, separator, minutes = text.rpartition(":")
    if not separator or not departure:
        raise refusal(
            N_("'{text}' is not DEPARTURE_ID:MINUTES; write e.g. 'NQZ-ROAD-MON:240'"),
            text=text[:40],
        )
    late = plain_number(minutes, N_("a number of minutes"), "240")
    return Disruption(departure, "delay", late * _SECONDS_PER_MINUTE)


def _whatif_rows(result: WhatIf) -> list[tuple[str, str]]:
    rows = [(f.order, f"{f.departure}: {tr(_FAILURE_TEXT[f.reason])}") for f in result.failures]
    if not rows:
        rows.append((N_("failed orders"), tr(N_("none"))))
    rows += [
        (a.order, f"{tr(_REPAIR)}: {a.departure}  {units.format_activity(a.dispatched_bq)}")
        for a in result.repair.assignments
    ]
    rows += [
        (item.order, f"{tr(_NOT_REPAIRED)}: {tr(REASON_TEXT[item.reason])}")
        for item in result.repair.unserved
    ]
    repair = result.repair
    return [
        *rows,
        (N_("repair dispatched"), units.format_activity(repair.total_dispatched_bq)),
        (N_("repair cost"), f"{repair.total_cost:g}"),
    ]


def whatif(
    scenario: ScenarioFile,
    delay: Annotated[
        list[str] | None,
        typer.Option(metavar="ID:MINUTES", help="A departure late by MINUTES; repeatable."),
    ] = None,
    cancel: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="A departure cancelled (or its road closed); repeatable."),
    ] = None,
    refuse: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID", help="A departure whose carrier refuses the goods; repeatable."
        ),
    ] = None,
    known: Annotated[
        str | None,
        typer.Option(
            metavar="DATETIME", help="When the disruption is known (default: at departure)."
        ),
    ] = None,
    margin: Margin = "0",
    as_json: JsonOption = False,
) -> None:
    """Replay the scenario's plan under delays or cancellations and find the cheapest repair."""
    loaded = _scenario(scenario)
    disruptions = [read_option("--delay", _delay, text) for text in delay or []]
    disruptions += [Disruption(departure, "cancel") for departure in cancel or []]
    disruptions += [Disruption(departure, "refuse") for departure in refuse or []]
    settings = Settings(read_option("--margin", _margin, margin))
    moment = None if known is None else read_option("--known", units.parse_datetime, known)
    result = replay(loaded, plan(loaded, settings), disruptions, settings, moment)
    emit(N_("What if"), _whatif_rows(result), result.as_json(), as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``supply`` command group to the application."""
    group = typer.Typer(help="Supply: dispatch activity, plans of orders on departures, what-if.",
                        no_args_is_help=True, rich_markup_mode=None)  # fmt: skip
    group.command("dispatch")(dispatch)
    group.command("plan")(plan_command)
    group.command("whatif")(whatif)
    app.add_typer(group, name="supply")
