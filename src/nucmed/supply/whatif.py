"""Replay a plan under disruptions (a late departure, a cancelled one or a closed road, a flight
that refuses the goods) and find the cheapest repair.

An order fails when its departure is cancelled, when its carrier refuses radioactive goods, or
when a delay makes it arrive after the calibration time minus the site's receiving margin. A
delay moves departure and arrival alike; the activity was dispensed for the planned departure,
so it still meets the calibration activity when it arrives in time (decay runs on the clock,
not on the road).

The repair re-plans the failed orders alone (:func:`nucmed.supply.planner.plan`: most orders
served, then least activity, then least cost) on the disrupted network, using only departures
that leave at or after the moment the disruption is known (given, or else the planned
departure of the first disrupted departure: a delay is often learnt at the gate). The orders
that keep their departures keep their production capacity, and their departures are already
paid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, get_args

from nucmed.checks import aware
from nucmed.errors import N_, refusal
from nucmed.supply.planner import Assignment, CapacityKey, Kept, Plan, Settings, plan
from nucmed.supply.scenario import Departure, Scenario

__all__ = ["KINDS", "Disruption", "Failure", "Kind", "WhatIf", "disrupt", "replay"]

Kind = Literal["delay", "cancel", "refuse"]
KINDS: tuple[str, ...] = get_args(Kind)
_DELAY_MAX_S = 7 * 24 * 3600.0
"""A delay beyond a week is a typing error (the plan covers a week)."""
_FAILURE_REASON = {
    "cancel": "departure_cancelled",
    "refuse": "carrier_refuses_class_7",
    "delay": "arrives_too_late",
}


@dataclass(frozen=True, slots=True)
class Disruption:
    """What happens to one departure: ``delay`` by ``delay_s`` seconds, ``cancel`` (also a
    closed road), or ``refuse`` (the carrier refuses radioactive goods)."""

    departure: str
    kind: str
    delay_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Failure:
    """An order of the plan that no longer arrives, its departure and why."""

    order: str
    departure: str
    reason: str


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The replay: the failed orders and the repair plan of those orders."""

    failures: tuple[Failure, ...]
    repair: Plan

    def as_json(self) -> dict[str, object]:
        """The keys of ``nucmed supply whatif --json``."""
        repaired = self.repair.as_json()
        return {
            "failed": [
                {"order": f.order, "departure": f.departure, "reason": f.reason}
                for f in self.failures
            ],
            "repair": repaired["assignments"],
            "unrepaired": repaired["unserved"],
            "reasons": repaired["reasons"],
            "repair_dispatched_bq": self.repair.total_dispatched_bq,
            "repair_cost": self.repair.total_cost,
        }


def _checked(scenario: Scenario, disruption: Disruption) -> Departure:
    departures = scenario.departure_index()
    if disruption.departure not in departures:
        raise refusal(
            N_("there is no departure {value} in the scenario"), value=disruption.departure[:64]
        )
    if disruption.kind not in KINDS:
        raise refusal(
            N_("a disruption is one of {allowed}; got {value}"),
            allowed=", ".join(KINDS),
            value=disruption.kind[:20],
        )
    if disruption.kind == "delay" and not 0 < disruption.delay_s <= _DELAY_MAX_S:
        raise refusal(
            N_("a delay must be above 0 and at most 7 days (10080 min); got {value} min"),
            value=f"{disruption.delay_s / 60:g}",
        )
    return departures[disruption.departure]


def disrupt(scenario: Scenario, disruptions: Sequence[Disruption]) -> Scenario:
    """The scenario after the disruptions: delayed departures moved, cancelled ones removed,
    refusing carriers marked as such.

    Raises
    ------
    NucmedInputError
        An unknown departure or kind, or a delay not above 0 or beyond 7 days.
    """
    changed = {departure.id: departure for departure in scenario.departures}
    for disruption in disruptions:
        _checked(scenario, disruption)
        departure = changed.get(disruption.departure)
        if departure is None:
            continue
        if disruption.kind == "cancel":
            del changed[disruption.departure]
        elif disruption.kind == "refuse":
            changed[departure.id] = replace(departure, accepts_radioactive=False)
        else:
            late = timedelta(seconds=disruption.delay_s)
            changed[departure.id] = replace(
                departure, depart=departure.depart + late, arrive=departure.arrive + late
            )
    return replace(scenario, departures=tuple(changed.values()))


def _failure(
    scenario: Scenario, after: Scenario, assignment: Assignment, kind: str
) -> Failure | None:
    departure = after.departure_index().get(assignment.departure)
    order = scenario.order_index()[assignment.order]
    margin = timedelta(seconds=scenario.sites[order.site].receiving_margin_s)
    if departure is None or not departure.accepts_radioactive:
        return Failure(order.id, assignment.departure, _FAILURE_REASON[kind])
    if departure.arrive > order.calibration - margin:
        return Failure(order.id, assignment.departure, _FAILURE_REASON["delay"])
    return None


def replay(
    scenario: Scenario,
    planned: Plan,
    disruptions: Sequence[Disruption],
    settings: Settings | None = None,
    known: datetime | None = None,
) -> WhatIf:
    """Which orders of ``planned`` fail under ``disruptions``, and their cheapest repair.

    Parameters
    ----------
    scenario
        The scenario the plan was made for.
    planned
        The plan (:func:`nucmed.supply.planner.plan`).
    disruptions
        What happens (at least one).
    settings
        Margin, time limit and workers of the repair (default :class:`Settings`).
    known
        When the disruption is known (timezone-aware); default the planned departure of the
        first disrupted departure. Departures before it cannot carry the repair.

    Raises
    ------
    NucmedInputError
        No disruption, an unknown departure or kind, or a delay out of range.
    """
    if not disruptions:
        raise refusal(N_("give at least one disruption: a delay, a cancellation or a refusal"))
    after = disrupt(scenario, disruptions)
    kinds = {d.departure: d.kind for d in disruptions}
    failures = [
        failure
        for assignment in planned.assignments
        if assignment.departure in kinds
        and (failure := _failure(scenario, after, assignment, kinds[assignment.departure]))
    ]
    failed = {failure.order for failure in failures}
    original = scenario.departure_index()
    if known is None:
        known = min(original[d.departure].depart for d in disruptions)
    else:
        known = aware(N_("time the disruptions became known"), known)
    reserved: dict[CapacityKey, float] = defaultdict(float)
    orders = scenario.order_index()
    for assignment in planned.assignments:
        if assignment.order not in failed:
            key = (orders[assignment.order].product, scenario.production_day(assignment.depart))
            reserved[key] += assignment.dispatched_bq
    paid = frozenset(a.departure for a in planned.assignments if a.order not in failed)
    repair = plan(
        after,
        settings or Settings(),
        orders=[orders[failure.order] for failure in failures],
        departures=[d for d in after.departures if d.depart >= known],
        kept=Kept(reserved, paid),
    )
    return WhatIf(tuple(failures), repair)
