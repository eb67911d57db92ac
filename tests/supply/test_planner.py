"""The CP-SAT planner on hand-made scenarios whose plans are read off by hand.

Base network (tests/supply/scenarios.py): to Astana, a road leaving Monday 06:00 (arrives
23:00), a flight Tuesday 05:00 (arrives 09:30) and one Tuesday 13:00; the site needs 60 min
between arrival and calibration.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from nucmed.physics.nuclides import get_nuclide
from nucmed.supply.planner import Plan, Settings, earliest_plan, plan
from nucmed.supply.scenario import parse_scenario
from tests.supply.scenarios import GBQ, scenario
from tests.supply.scenarios import order as make_order

HOUR = 3600.0
TUESDAY_NOON = "2026-12-08T12:00+05:00"


def _plan(data: dict[str, Any], margin: float = 0.0) -> Plan:
    return plan(parse_scenario(data), Settings(margin_fraction=margin))


def _refusing(*ids: str) -> list[dict[str, Any]]:
    departures: list[dict[str, Any]] = scenario()["departures"]
    for departure in departures:
        if departure["id"] in ids:
            departure["accepts_radioactive"] = False
    return departures


def test_the_latest_departure_that_arrives_in_time_is_chosen() -> None:
    """Tuesday 05:00 flight (7 h before calibration), not the cheaper Monday road (30 h); the
    13:00 flight arrives after 11:00. Analytic: 3.7 GBq · 2^(7 h / T½(I-131))."""
    result = _plan(scenario())
    assert [(a.order, a.departure) for a in result.assignments] == [("A", "AIR-TUE-AM")]
    half_life_h = get_nuclide("I-131").half_life_s / HOUR
    assert result.total_dispatched_bq == pytest.approx(3.7 * GBQ * 2 ** (7 / half_life_h))
    assert (result.status, result.total_cost, result.unserved) == ("optimal", 800.0, ())


def test_the_decay_blind_plan_takes_the_earliest_departure() -> None:
    blind = earliest_plan(parse_scenario(scenario()))
    assert [a.departure for a in blind.assignments] == ["ROAD-MON"]
    assert blind.total_dispatched_bq > _plan(scenario()).total_dispatched_bq


def test_an_order_no_departure_can_serve_is_reported() -> None:
    """Calibration Monday 20:00: the road arrives at 23:00, the flights on Tuesday."""
    data = scenario(orders=[make_order("LATE", "2026-12-07T20:00+05:00")])
    result = _plan(data)
    assert result.assignments == ()
    assert result.as_json()["unserved"] == ["LATE"]
    assert result.as_json()["reasons"] == {"LATE": "arrives_too_late"}


def test_a_site_without_departures_is_its_own_reason() -> None:
    data = scenario(sites=[{"code": "NQZ"}, {"code": "PLX"}])
    data["orders"][0]["site"] = "PLX"
    assert _plan(data).as_json()["reasons"] == {"A": "no_departure_to_site"}


def test_a_carrier_that_refuses_class_7_is_not_used() -> None:
    result = _plan(scenario(departures=_refusing("AIR-TUE-AM")))
    assert [a.departure for a in result.assignments] == ["ROAD-MON"]


def test_when_every_carrier_in_time_refuses_the_order_is_unserved() -> None:
    result = _plan(scenario(departures=_refusing("AIR-TUE-AM", "ROAD-MON")))
    assert result.as_json()["reasons"] == {"A": "carrier_refuses_class_7"}


def test_shelf_life_rules_out_the_long_road() -> None:
    """Tc-99m with a 12 h shelf life: the Monday road (30 h ahead) is out."""
    tc = [make_order("T", TUESDAY_NOON, product="TC", gbq=10.0)]
    assert [a.departure for a in _plan(scenario(orders=tc)).assignments] == ["AIR-TUE-AM"]
    refused = _plan(scenario(orders=tc, departures=_refusing("AIR-TUE-AM")))
    assert refused.as_json()["reasons"] == {"T": "shelf_life"}


def test_production_days_move_the_order_to_a_day_the_product_is_made() -> None:
    data = scenario()
    data["products"][0]["production_days"] = ["mon"]
    assert [a.departure for a in _plan(data).assignments] == ["ROAD-MON"]
    data["products"][0]["production_days"] = ["fri"]
    assert _plan(data).as_json()["reasons"] == {"A": "no_production_day"}


def test_capacity_of_a_production_day_is_shared() -> None:
    """5 GBq a day: one 3.7 GBq order flies on Tuesday, the other takes Monday's road."""
    data = scenario(orders=[make_order("A", TUESDAY_NOON), make_order("B", TUESDAY_NOON)])
    data["products"][0]["batch_capacity_bq"] = 5 * GBQ
    result = _plan(data)
    assert sorted(a.departure for a in result.assignments) == ["AIR-TUE-AM", "ROAD-MON"]
    data["products"][0]["production_days"] = ["tue"]
    result = _plan(data)
    assert len(result.assignments) == 1
    assert [u.reason for u in result.unserved] == ["capacity"]
    assert result.total_dispatched_bq <= 5 * GBQ


def test_an_order_that_would_need_a_type_b_package_is_unserved() -> None:
    """I-131 A2 = 0.7 TBq (SSR-6 Table 2): 690 GBq at calibration is 707 GBq 7 h before."""
    small = _plan(scenario(orders=[make_order("S", TUESDAY_NOON, gbq=650.0)]))
    assert small.assignments[0].package_type == "Type A"
    large = _plan(scenario(orders=[make_order("L", TUESDAY_NOON, gbq=690.0)]))
    assert large.as_json()["reasons"] == {"L": "package_type_b"}


def test_at_equal_activity_the_cheaper_departure_wins() -> None:
    data = scenario()
    twin = dict(data["departures"][1], id="AIR-TUE-AM-CHEAP", cost=500)
    data["departures"].append(twin)
    result = _plan(data)
    assert [a.departure for a in result.assignments] == ["AIR-TUE-AM-CHEAP"]
    assert result.total_cost == 500.0


def test_the_margin_is_added_to_each_dispatched_activity() -> None:
    plain, margined = _plan(scenario()), _plan(scenario(), margin=0.05)
    assert margined.total_dispatched_bq == pytest.approx(plain.total_dispatched_bq * 1.05)


def test_json_keys_of_the_issue() -> None:
    data = json.loads(json.dumps(_plan(scenario()).as_json()))
    assert {"assignments", "unserved", "reasons", "total_dispatched_bq"} <= data.keys()
    assert {"order", "departure", "dispatched_bq"} <= data["assignments"][0].keys()


def test_the_demo_week_saves_activity_against_earliest_departures() -> None:
    """Regression on the demo data: every order served but the Shymkent FDG (10 h shelf life
    against a 10 h road, no flight in time), and less activity than the decay-blind plan."""
    with open("src/nucmed/data/supply_demo_week.json", encoding="utf-8") as handle:
        demo = parse_scenario(json.load(handle))
    best, blind = plan(demo), earliest_plan(demo)
    assert best.status == "optimal"
    assert [(u.order, u.reason) for u in best.unserved] == [("O053", "shelf_life")]
    assert len(blind.assignments) == len(best.assignments)
    assert best.total_dispatched_bq < 0.8 * blind.total_dispatched_bq
