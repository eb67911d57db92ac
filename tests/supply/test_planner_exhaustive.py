"""The planner against exhaustive search on small random scenarios (seeded): the same number
of orders served, the same activity in solver units, the same cost (lexicographic optimum)."""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from nucmed.supply.candidates import Candidate, candidates
from nucmed.supply.planner import plan
from nucmed.supply.scenario import Scenario, parse_scenario
from tests.supply.scenarios import GBQ, scenario

ALMATY = timezone(timedelta(hours=5))
MONDAY = datetime(2026, 12, 7, tzinfo=ALMATY)


def _random(seed: int) -> dict[str, Any]:
    draw = random.Random(seed)
    departures = []
    for number in range(4):
        depart = MONDAY + timedelta(hours=draw.randrange(0, 60))
        departures.append({
            "id": f"D{number}", "from": "INP", "to": "NQZ", "mode": "road",
            "depart": depart.isoformat(),
            "arrive": (depart + timedelta(hours=draw.randrange(2, 18))).isoformat(),
            "accepts_radioactive": draw.random() > 0.2, "cost": draw.choice((0, 100, 300)),
        })  # fmt: skip
    orders = [
        {"id": f"O{number}", "site": "NQZ", "product": "I131",
         "activity_bq": draw.choice((1.0, 2.0, 3.7, 5.55)) * GBQ,
         "calibration": (MONDAY + timedelta(hours=draw.randrange(20, 90))).isoformat()}
        for number in range(5)
    ]  # fmt: skip
    data = scenario(departures=departures, orders=orders)
    data["products"][0]["batch_capacity_bq"] = draw.choice((6.0, 9.0, 100.0)) * GBQ
    return data


def _best(network: Scenario, unit_bq: float) -> tuple[int, int, int]:
    options = [[None, *candidates(network, order)[0]] for order in network.orders]
    best: tuple[int, int, int] | None = None
    departures = network.departure_index()
    for choice in itertools.product(*options):
        picked: list[Candidate] = [c for c in choice if c is not None]
        used: dict[tuple[str, datetime], float] = defaultdict(float)
        for c in picked:
            used[(c.product, c.production_day)] += math.ceil(c.dispatched_bq / unit_bq)
        capacity = network.products["I131"].batch_capacity_bq
        assert capacity is not None
        if any(total > math.floor(capacity / unit_bq) for total in used.values()):
            continue
        key = (
            -len(picked),
            sum(math.ceil(c.dispatched_bq / unit_bq) for c in picked),
            round(sum(departures[d].cost for d in {c.departure for c in picked})),
        )
        best = key if best is None or key < best else best
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_plan_is_the_lexicographic_optimum(seed: int) -> None:
    network = parse_scenario(_random(seed))
    result = plan(network)
    units = sum(math.ceil(a.dispatched_bq / result.unit_bq) for a in result.assignments)
    found = (-len(result.assignments), units, round(result.total_cost))
    assert result.status == "optimal"
    assert found == _best(network, result.unit_bq)
