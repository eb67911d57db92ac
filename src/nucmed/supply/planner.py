"""Assign orders to departures with OR-Tools CP-SAT: serve as many orders as possible, then
dispatch the least activity, then pay the least for departures.

Decay stays outside the solver: :mod:`nucmed.supply.candidates` lists, for each order, the
departures that can carry it and the exact activity each would need. The model has one
boolean per (order, candidate departure); each order takes at most one; a product's activity
dispatched on one production day stays within its ``batch_capacity_bq``; a departure with a
cost is paid once if anything travels on it (its cost is per departure, a truck or a charter,
in whole units of currency: fractions are rounded).

The three aims are solved in turn (lexicographic): the number of orders served, then the
total dispatched activity with that number fixed, then the cost with both fixed.

**Integer scaling.** CP-SAT works in integers, so each candidate's activity is counted in
whole units of ``unit_bq`` (1 kBq, or a power of ten above it when the orders' largest
activities add up beyond 2^40 units), **rounded up**, and each capacity rounded down. This
keeps the capacity honest (the true activity of a day never exceeds it; a day filled to within
a few units of its capacity may refuse one more order that would just fit); each order's
activity in the objective is at most one unit too high, so the total is within
``n · unit_bq`` of the true one (500 orders: below 0.5 MBq at 1 kBq) and two departures whose
activities differ by less than a unit may tie. The reported activities are the exact
(unrounded) ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ortools.sat.python import cp_model

from nucmed.errors import N_, refusal
from nucmed.supply.candidates import Candidate, candidates
from nucmed.supply.scenario import Departure, Order, Scenario

__all__ = [
    "Assignment",
    "CapacityKey",
    "Kept",
    "Plan",
    "Settings",
    "Unserved",
    "earliest_plan",
    "plan",
]

_BASE_UNIT_BQ = 1e3
_MAX_UNITS = 2**40
"""Largest sum of per-order activities in solver units; keeps sums far below 2^63."""

CapacityKey = tuple[str, datetime]
"""A product and the production day (midnight UTC of the producer's local day)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """An order on a departure, with the activity to dispatch (Bq, margin included)."""

    order: str
    departure: str
    dispatched_bq: float
    decay_factor: float
    depart: datetime
    arrive: datetime
    package_type: str

    def as_json(self) -> dict[str, object]:
        """The keys of ``nucmed supply plan --json``."""
        return {
            "order": self.order,
            "departure": self.departure,
            "dispatched_bq": self.dispatched_bq,
            "decay_factor": self.decay_factor,
            "depart": self.depart.isoformat(),
            "arrive": self.arrive.isoformat(),
            "package_type": self.package_type,
        }


@dataclass(frozen=True, slots=True)
class Unserved:
    """An order no departure serves, and why (a code of :data:`~.candidates.REASONS`)."""

    order: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan: assignments, unserved orders, totals and how it was found.

    ``status`` is ``optimal`` (proved), ``feasible`` (the time limit stopped the proof) or
    ``greedy`` (:func:`earliest_plan`); ``unit_bq`` the solver's activity unit.
    """

    assignments: tuple[Assignment, ...]
    unserved: tuple[Unserved, ...]
    total_dispatched_bq: float
    total_cost: float
    status: str
    solve_time_s: float
    unit_bq: float

    def as_json(self) -> dict[str, object]:
        """The keys of ``nucmed supply plan --json`` (issue 15)."""
        return {
            "assignments": [assignment.as_json() for assignment in self.assignments],
            "unserved": [item.order for item in self.unserved],
            "reasons": {item.order: item.reason for item in self.unserved},
            "total_dispatched_bq": self.total_dispatched_bq,
            "total_cost": self.total_cost,
            "status": self.status,
            "solve_time_s": self.solve_time_s,
        }


@dataclass(frozen=True, slots=True)
class Settings:
    """How to plan: the safety margin on dispatched activities (0 to 1), CP-SAT's time limit
    per stage (s) and its number of search workers (1 is reproducible)."""

    margin_fraction: float = 0.0
    time_limit_s: float = 60.0
    workers: int = 1


@dataclass(frozen=True, slots=True)
class Kept:
    """What a repair plans around: capacity already taken per (product, production day), in
    Bq, and departures already paid for."""

    reserved_bq: Mapping[CapacityKey, float]
    paid: frozenset[str]


@dataclass
class _Model:
    """The CP-SAT model and its variables."""

    model: cp_model.CpModel
    pairs: list[Candidate]
    chosen: list[cp_model.IntVar]
    units: list[int]
    served: cp_model.LinearExpr
    activity: cp_model.LinearExpr
    cost: cp_model.LinearExpr


def _unit_bq(options: Mapping[str, list[Candidate]]) -> float:
    """The activity unit: 1 kBq, times ten until the largest activities fit 2^40 units."""
    largest = sum(max(c.dispatched_bq for c in found) for found in options.values() if found)
    unit = _BASE_UNIT_BQ
    while largest / unit > _MAX_UNITS:
        unit *= 10.0
    return unit


def _capacity_key(candidate: Candidate) -> CapacityKey:
    return (candidate.product, candidate.production_day)


def _build(
    scenario: Scenario,
    options: Mapping[str, list[Candidate]],
    unit_bq: float,
    reserved_bq: Mapping[CapacityKey, float],
    paid: frozenset[str],
) -> _Model:
    model = cp_model.CpModel()
    pairs = [candidate for found in options.values() for candidate in found]
    chosen = [model.new_bool_var(f"x{index}") for index in range(len(pairs))]
    units = [math.ceil(c.dispatched_bq / unit_bq) for c in pairs]
    by_order: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_day: dict[CapacityKey, list[int]] = defaultdict(list)
    by_departure: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for index, candidate in enumerate(pairs):
        by_order[candidate.order].append(chosen[index])
        by_day[_capacity_key(candidate)].append(index)
        by_departure[candidate.departure].append(chosen[index])
    for variables in by_order.values():
        model.add_at_most_one(variables)
    for key, indices in by_day.items():
        capacity = scenario.products[key[0]].batch_capacity_bq
        if capacity is not None:
            left = max(0.0, capacity - reserved_bq.get(key, 0.0))
            model.add(sum(units[i] * chosen[i] for i in indices) <= math.floor(left / unit_bq))
    costs = scenario.departure_index()
    used_departures: list[cp_model.IntVar] = []
    prices: list[int] = []
    for departure_id, variables in by_departure.items():
        price = round(costs[departure_id].cost)
        if price > 0 and departure_id not in paid:
            used = model.new_bool_var(f"y{departure_id}")
            for variable in variables:
                model.add_implication(variable, used)
            used_departures.append(used)
            prices.append(price)
    total = cp_model.LinearExpr
    return _Model(
        model, pairs, chosen, units, total.sum(chosen), total.weighted_sum(chosen, units),
        total.weighted_sum(used_departures, prices),
    )  # fmt: skip


def _solver(time_limit_s: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.linearization_level = 2  # the LP bound proves the cost stage quickly
    return solver


def _stages(built: _Model, solver: cp_model.CpSolver) -> tuple[list[bool], str, float]:
    """Serve most, then least activity, then least cost; returns choices, status and time."""
    status_name = "optimal"
    wall = 0.0
    values: list[bool] = [False] * len(built.chosen)
    for aim, maximise in ((built.served, True), (built.activity, False), (built.cost, False)):
        if maximise:
            built.model.maximize(aim)
        else:
            built.model.minimize(aim)
        built.model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools 9.15
        for variable, value in zip(built.chosen, values, strict=True):
            built.model.add_hint(variable, value)
        status = solver.solve(built.model)
        wall += solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise refusal(
                N_("the planner found no plan within its time limit; allow it more time")
            )
        if status == cp_model.FEASIBLE:
            status_name = "feasible"
        values = [bool(solver.boolean_value(variable)) for variable in built.chosen]
        best = round(solver.objective_value)
        built.model.add(aim >= best if maximise else aim <= best)
    return values, status_name, wall


def _options(
    scenario: Scenario,
    orders: Sequence[Order],
    margin_fraction: float,
    departures: Iterable[Departure] | None,
) -> tuple[dict[str, list[Candidate]], dict[str, str]]:
    kept = None if departures is None else tuple(departures)
    options: dict[str, list[Candidate]] = {}
    reasons: dict[str, str] = {}
    for order in orders:
        found, reason = candidates(scenario, order, margin_fraction, kept)
        if reason is not None:
            reasons[order.id] = reason
        else:
            options[order.id] = found
    return options, reasons


def _assignment(candidate: Candidate, departure: Departure) -> Assignment:
    return Assignment(
        candidate.order, candidate.departure, candidate.dispatched_bq, candidate.decay_factor,
        departure.depart, departure.arrive, candidate.package_type,
    )  # fmt: skip


def _result(
    scenario: Scenario,
    orders: Sequence[Order],
    chosen: Sequence[Candidate],
    reasons: Mapping[str, str],
    extra: tuple[str, float, float],
) -> Plan:
    status, wall, unit_bq = extra
    departures = scenario.departure_index()
    assignments = tuple(
        _assignment(c, departures[c.departure]) for c in sorted(chosen, key=lambda c: c.order)
    )
    taken = {a.order for a in assignments}
    unserved = tuple(
        Unserved(order.id, reasons.get(order.id, "capacity"))
        for order in orders
        if order.id not in taken
    )
    used = {a.departure for a in assignments}
    return Plan(
        assignments, unserved, sum(a.dispatched_bq for a in assignments),
        sum(departures[d].cost for d in used), status, wall, unit_bq,
    )  # fmt: skip


def plan(
    scenario: Scenario,
    settings: Settings = Settings(),
    *,
    orders: Sequence[Order] | None = None,
    departures: Iterable[Departure] | None = None,
    kept: Kept | None = None,
) -> Plan:
    """Assign orders to departures (see the module docstring).

    Parameters
    ----------
    scenario
        The scenario.
    settings
        Margin, time limit and workers.
    orders, departures
        The orders to plan and the departures to use (default: all of the scenario's).
    kept
        Capacity already taken and departures already paid (a repair plans around the
        orders that keep their departures).

    Returns
    -------
    Plan
        Assignments, unserved orders with their reasons, totals, status and solve time.

    Raises
    ------
    NucmedInputError
        If the solver found no plan within its time limit.
    """
    wanted = list(scenario.orders if orders is None else orders)
    options, reasons = _options(scenario, wanted, settings.margin_fraction, departures)
    unit_bq = _unit_bq(options)
    fixed = kept or Kept({}, frozenset())
    built = _build(scenario, options, unit_bq, fixed.reserved_bq, fixed.paid)
    values, status, wall = _stages(built, _solver(settings.time_limit_s, settings.workers))
    chosen = [pair for pair, value in zip(built.pairs, values, strict=True) if value]
    return _result(scenario, wanted, chosen, reasons, (status, wall, unit_bq))


def earliest_plan(scenario: Scenario, *, margin_fraction: float = 0.0) -> Plan:
    """The decay-blind plan: each order, by calibration time, on its earliest departure that
    still has production capacity (the comparison of ``make bench``).

    Returns
    -------
    Plan
        With status ``greedy`` and no solve time.
    """
    wanted = sorted(scenario.orders, key=lambda order: (order.calibration, order.id))
    options, reasons = _options(scenario, wanted, margin_fraction, None)
    used: dict[CapacityKey, float] = defaultdict(float)
    chosen: list[Candidate] = []
    for order in wanted:
        capacity = scenario.products[order.product].batch_capacity_bq
        for candidate in options.get(order.id, []):
            key = _capacity_key(candidate)
            if capacity is None or used[key] + candidate.dispatched_bq <= capacity:
                used[key] += candidate.dispatched_bq
                chosen.append(candidate)
                break
    return _result(scenario, list(scenario.orders), chosen, reasons, ("greedy", 0.0, 0.0))
