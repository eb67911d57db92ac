"""The scenario format: what it reads, and refusals that name the field."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from nucmed.catalogue import in_language, translations
from nucmed.errors import Message, NucmedInputError
from nucmed.supply.scenario import ScenarioFieldError, parse_scenario
from tests.supply.scenarios import BASE, scenario

DEMO = "src/nucmed/data/supply_demo_week.json"


def test_base_scenario_is_read_in_si_and_utc() -> None:
    read = parse_scenario(BASE)
    assert read.producer.time_zone == "Asia/Almaty"
    assert read.sites["NQZ"].receiving_margin_s == 3600.0
    assert read.products["I131"].shelf_life_s == 336 * 3600.0
    assert read.products["I131"].nuclide == "I-131"
    assert read.products["I131"].production_days == frozenset(range(7))
    assert read.departures[0].depart == datetime(2026, 12, 7, 1, tzinfo=UTC)
    assert read.orders[0].activity_bq == 3.7e9


def test_production_day_is_the_producers_local_day() -> None:
    read = parse_scenario(BASE)
    late = datetime(2026, 12, 7, 20, tzinfo=UTC)  # 01:00 on Tuesday in Almaty
    assert read.production_day(late) == datetime(2026, 12, 7, 19, tzinfo=UTC)
    assert read.weekday(late) == 1


def test_the_demo_week_reads() -> None:
    with open(DEMO, encoding="utf-8") as handle:
        read = parse_scenario(json.load(handle))
    assert len(read.sites) == 5 and len(read.products) == 10
    assert {d.mode for d in read.departures} == {"road", "air"}


def _with_order(**fields: Any) -> dict[str, Any]:
    data = scenario()
    data["orders"][0].update(fields)
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_with_order(calibration="2026-12-08T12:00"), "orders[0].calibration"),
        (_with_order(activity_bq=-1), "orders[0].activity_bq"),
        (_with_order(activity_bq="3.7 GBq"), "orders[0].activity_bq"),
        (_with_order(site="XXX"), "orders[0].site"),
        (_with_order(product="NOPE"), "orders[0].product"),
        (scenario(products=[{"code": "X", "nuclide": "Xx-1", "shelf_life_h": 1}]),
         "products[0].nuclide"),
        (scenario(products=[{"code": "X", "nuclide": "I-131", "shelf_life_h": 1,
                             "production_days": ["monday"]}]), "products[0].production_days"),
        (scenario(sites=[{"code": "NQZ", "receiving_margin_min": 5000}]),
         "sites[0].receiving_margin_min"),
        (scenario(producer={"code": "INP", "time_zone": "Mars/Olympus"}), "producer.time_zone"),
    ],
)  # fmt: skip
def test_bad_field_is_named(data: dict[str, Any], field: str) -> None:
    with pytest.raises(NucmedInputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        parse_scenario(data)


@pytest.mark.parametrize(
    ("language", "said"), [("ru", "текст: не более 256 символов"), ("kk", "мәтін: ең көбі 256")]
)
def test_a_key_of_the_file_stays_a_code_in_a_translated_refusal(language: str, said: str) -> None:
    """The field is named by its path, as written in the file (``option``); the sentence
    after it is in the reader's language and names no key."""
    with pytest.raises(ScenarioFieldError) as caught:
        parse_scenario(_with_order(site="X" * 300))
    assert caught.value.option == "orders[0].site"
    shown = in_language(translations(language).gettext, Message.of(caught.value))
    assert shown.startswith(said) and "site" not in shown


def test_departure_must_leave_from_the_producer_and_arrive_after() -> None:
    data = scenario()
    data["departures"][0]["from"] = "ALA"
    with pytest.raises(NucmedInputError, match=r"departures\[0\]\.from"):
        parse_scenario(data)
    data = scenario()
    data["departures"][0]["arrive"] = data["departures"][0]["depart"]
    with pytest.raises(NucmedInputError, match=r"departures\[0\]\.arrive"):
        parse_scenario(data)


def test_mode_and_flag_are_checked() -> None:
    data = scenario()
    data["departures"][1]["mode"] = "boat"
    with pytest.raises(NucmedInputError, match="road, air, rail"):
        parse_scenario(data)
    data = scenario()
    data["departures"][1]["accepts_radioactive"] = "yes"
    with pytest.raises(NucmedInputError, match="true or false"):
        parse_scenario(data)


def test_repeated_ids_and_missing_parts_are_refused() -> None:
    data = scenario()
    data["orders"].append(dict(data["orders"][0]))
    with pytest.raises(NucmedInputError, match="repeats A"):
        parse_scenario(data)
    data = scenario()
    del data["departures"]
    with pytest.raises(NucmedInputError, match="departures is missing"):
        parse_scenario(data)
    with pytest.raises(NucmedInputError, match="JSON object"):
        parse_scenario([])


SCHEMA = "docs/supply-scenario.schema.json"
_PARTS = {"producer": None, "sites": 0, "products": 0, "departures": 0, "orders": 0}


def _schema() -> dict[str, Any]:
    with open(SCHEMA, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def _part_schema(part: str) -> dict[str, Any]:
    node: dict[str, Any] = _schema()["properties"][part]
    return node["items"] if node["type"] == "array" else node


@pytest.mark.parametrize("part", list(_PARTS))
def test_every_field_the_schema_requires_is_required_by_the_reader(part: str) -> None:
    for key in _part_schema(part)["required"]:
        data = scenario()
        item = data[part] if _PARTS[part] is None else data[part][0]
        del item[key]
        with pytest.raises(NucmedInputError, match=f"{key} is missing"):
            parse_scenario(data)


@pytest.mark.parametrize("part", list(_PARTS))
def test_the_schema_lists_every_field_of_the_demo_week(part: str) -> None:
    with open(DEMO, encoding="utf-8") as handle:
        demo = json.load(handle)
    items = [demo[part]] if _PARTS[part] is None else demo[part]
    allowed = set(_part_schema(part)["properties"])
    assert {key for item in items for key in item} <= allowed


def test_the_schema_pattern_of_a_moment_matches_the_demo_times() -> None:
    pattern = re.compile(_schema()["$defs"]["moment"]["pattern"])
    with open(DEMO, encoding="utf-8") as handle:
        demo = json.load(handle)
    moments = [o["calibration"] for o in demo["orders"]]
    moments += [d[key] for d in demo["departures"] for key in ("depart", "arrive")]
    assert all(pattern.match(moment) for moment in moments)
