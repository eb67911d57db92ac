"""What-if replays of a plan: which orders fail, and the cheapest repair."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nucmed.errors import NucmedInputError
from nucmed.physics.nuclides import get_nuclide
from nucmed.supply.planner import plan
from nucmed.supply.scenario import Scenario, parse_scenario
from nucmed.supply.whatif import Disruption, disrupt, replay
from tests.supply.scenarios import GBQ, scenario
from tests.supply.scenarios import order as make_order

ALMATY = timezone(timedelta(hours=5))
MONDAY = datetime(2026, 12, 7, 0, 0, tzinfo=ALMATY)
MINUTE = 60.0


@pytest.fixture
def base() -> Scenario:
    """Order A (I-131, Tuesday noon in Astana) planned on the Tuesday 05:00 flight."""
    return parse_scenario(scenario())


def test_a_delay_within_the_margin_fails_nothing(base: Scenario) -> None:
    """Arrival 09:30 + 60 min = 10:30, before 11:00 (noon minus the 60 min margin)."""
    result = replay(base, plan(base), [Disruption("AIR-TUE-AM", "delay", 60 * MINUTE)])
    assert (result.failures, result.repair.assignments) == ((), ())


def test_a_longer_delay_fails_the_order_and_nothing_later_repairs_it(base: Scenario) -> None:
    result = replay(base, plan(base), [Disruption("AIR-TUE-AM", "delay", 120 * MINUTE)])
    assert [(f.order, f.reason) for f in result.failures] == [("A", "arrives_too_late")]
    assert result.as_json()["unrepaired"] == ["A"]


def test_a_cancellation_known_the_day_before_is_repaired_by_the_road(base: Scenario) -> None:
    """Known Monday 00:00: the Monday road (30 h before calibration) carries the order."""
    result = replay(base, plan(base), [Disruption("AIR-TUE-AM", "cancel")], known=MONDAY)
    assert [(f.order, f.reason) for f in result.failures] == [("A", "departure_cancelled")]
    assert [(a.order, a.departure) for a in result.repair.assignments] == [("A", "ROAD-MON")]
    half_life_h = get_nuclide("I-131").half_life_s / 3600
    assert result.repair.total_dispatched_bq == pytest.approx(3.7 * GBQ * 2 ** (30 / half_life_h))
    assert result.as_json()["repair_cost"] == 600.0


def test_a_refused_flight_fails_its_orders(base: Scenario) -> None:
    result = replay(base, plan(base), [Disruption("AIR-TUE-AM", "refuse")], known=MONDAY)
    assert [(f.order, f.reason) for f in result.failures] == [("A", "carrier_refuses_class_7")]
    assert [a.departure for a in result.repair.assignments] == ["ROAD-MON"]


def test_orders_on_other_departures_keep_them_and_their_capacity() -> None:
    """5 GBq a day: B keeps Monday's road (3.7 GBq), so the repair of A cannot use Monday."""
    data = scenario(orders=[make_order("A", "2026-12-08T12:00+05:00"),
                            make_order("B", "2026-12-08T12:00+05:00")])  # fmt: skip
    data["products"][0]["batch_capacity_bq"] = 5 * GBQ
    network = parse_scenario(data)
    planned = plan(network)
    on_air = next(a.order for a in planned.assignments if a.departure == "AIR-TUE-AM")
    result = replay(network, planned, [Disruption("AIR-TUE-AM", "cancel")], known=MONDAY)
    assert [f.order for f in result.failures] == [on_air]
    assert result.as_json()["reasons"] == {on_air: "capacity"}


def test_a_delayed_departure_moves_both_ends(base: Scenario) -> None:
    after = disrupt(base, [Disruption("ROAD-MON", "delay", 90 * MINUTE)])
    moved = after.departure_index()["ROAD-MON"]
    before = base.departure_index()["ROAD-MON"]
    assert moved.depart - before.depart == moved.arrive - before.arrive == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("disruptions", "message"),
    [
        ([], "at least one disruption"),
        ([Disruption("NOPE", "cancel")], "no departure NOPE"),
        ([Disruption("ROAD-MON", "delay", 0.0)], "a delay must be above 0"),
        ([Disruption("ROAD-MON", "delay", 8 * 24 * 3600.0)], "at most 7 days"),
        ([Disruption("ROAD-MON", "explode")], "one of delay, cancel, refuse"),
    ],
)
def test_bad_disruptions_are_refused(
    base: Scenario, disruptions: list[Disruption], message: str
) -> None:
    with pytest.raises(NucmedInputError, match=message):
        replay(base, plan(base), disruptions)
