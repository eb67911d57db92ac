"""The demo supply network: the Almaty producer's catalogue, its departures for the next two
weeks and the departments' standing orders, materialised for the coming week.

The products are modelled on a reactor producer's range; the shelf life of the Tc-99m generator
is POLATOM's (21 days, https://polatom.pl/produkt/mtcg-4-en, confirmed); the other shelf lives,
production weekdays, cut-offs and capacities are demo values (unconfirmed). The departures are
those of the demonstration week shipped with ``nucmed supply`` (``supply_demo_week.json``),
repeated on the weekdays of the two weeks from the load: **approximate** times and costs, not a
real timetable (sources in docs/data-sources.md).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from nucmed.errors import N_
from nucmed.services.supply.standing import materialise_standing
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.store.supply import Departure, Product, StandingOrder

__all__ = ["load_supply"]

_GBQ = 1e9
_HOUR_S = 3600.0
_CUTOFF_S = 36 * _HOUR_S
"""Orders close at 12:00 two days before the production day (demo value)."""
_DEMO = "demo value (unconfirmed)"

_PRODUCTS = (
    # code, name, nuclide, form, standard activities (GBq), shelf life (h), weekdays, capacity
    ("GEN-TC99M", N_("Tc-99m generator (Mo-99)"), "Mo-99", "generator", (5, 10, 20, 40),
     21 * 24, (1, 2, 3, 4, 5), None,
     "shelf life 21 d: POLATOM Poltechnet (https://polatom.pl/produkt/mtcg-4-en), confirmed; "
     "other values " + _DEMO),
    ("I131-CAPS", N_("Sodium iodide I-131 capsule"), "I-131", "capsule", (0.37, 1.85, 3.7, 5.55),
     14 * 24, (1, 3), None, _DEMO),
    ("I131-SOL", N_("Sodium iodide I-131 solution"), "I-131", "solution", (1.85, 3.7, 7.4),
     10 * 24, (2, 4), None, _DEMO),
    ("SM153-EDTMP", N_("Sm-153 EDTMP solution"), "Sm-153", "solution", (1.5, 3.0),
     48, (2, 4), 30.0, _DEMO),
    ("LU177-SOL", N_("Lu-177 chloride solution"), "Lu-177", "solution", (7.4, 14.8),
     7 * 24, (1, 3), 100.0, _DEMO),
)  # fmt: skip

_WEEK_FILE = "supply_demo_week.json"
"""The demonstration week of ``nucmed supply`` (7-13 December 2026), whose departures are
repeated here on the weeks of the load; its sources are in docs/data-sources.md."""
_SITES = {"ALA": "NM-ALA", "NQZ": "NM-AST", "CIT": "NM-SHY", "PLX": "NM-SEM", "FRU": "NM-BIS"}
"""The week's site codes (IATA codes of the cities) and the demo departments."""
_LANE_SOURCE = (
    "supply_demo_week.json (approximate: road km / 70-80 km/h plus stops, air door to door "
    "with acceptance and block time; see docs/data-sources.md); not a real timetable"
)
_WEEKS = 2

_STANDING = (
    # site, product, activity (GBq), weekday, calibration (h)
    ("NM-AST", "GEN-TC99M", 20.0, 1, 8),
    ("NM-BIS", "GEN-TC99M", 10.0, 1, 9),
    ("NM-SHY", "I131-CAPS", 3.7, 3, 10),
)


def _products(store: Store, producer: Site, now: datetime) -> dict[str, Product]:
    made = {}
    for code, name, nuclide, form, gbq, shelf_h, days, capacity_gbq, source in _PRODUCTS:
        row = Product(
            producer_id=producer.id, code=code, name=name, nuclide=nuclide, form=form,
            standard_activities_bq=[value * _GBQ for value in gbq],
            shelf_life_s=shelf_h * _HOUR_S, production_weekdays=list(days),
            cutoff_before_s=_CUTOFF_S,
            batch_capacity_bq=capacity_gbq * _GBQ if capacity_gbq else None,
            source=source, recorded_at=now,
        )  # fmt: skip
        store.session.add(row)
        made[code] = row
    store.session.flush()
    return made


def _lanes() -> list[dict[str, Any]]:
    text = resources.files("nucmed.data").joinpath(_WEEK_FILE).read_text(encoding="utf-8")
    lanes: list[dict[str, Any]] = json.loads(text)["departures"]
    return lanes


def _departures(store: Store, producer: Site, first: date, now: datetime) -> None:
    """The week's departures on each matching weekday of the ``_WEEKS`` weeks from ``first``
    (local time of day and duration kept)."""
    zone = ZoneInfo(producer.time_zone)
    days = [first + timedelta(days=offset) for offset in range(7 * _WEEKS)]
    for lane in _lanes():
        site = store.sites.by_code(_SITES.get(lane["to"], ""))
        depart = datetime.fromisoformat(lane["depart"]).astimezone(zone)
        duration = datetime.fromisoformat(lane["arrive"]) - depart
        if site is None:
            continue
        for day in days:
            if day.isoweekday() != depart.isoweekday():
                continue
            leaves = datetime.combine(day, depart.time(), tzinfo=zone).astimezone(UTC)
            store.session.add(
                Departure(
                    producer_id=producer.id, code=f"{lane['id']}-{day:%m%d}", mode=lane["mode"],
                    origin=producer.city, site_id=site.id, depart_at=leaves,
                    arrive_at=leaves + duration,
                    accepts_radioactive=bool(lane["accepts_radioactive"]),
                    cost=float(lane.get("cost", 0.0)), source=_LANE_SOURCE, recorded_at=now,
                )
            )  # fmt: skip
    store.session.flush()


def load_supply(store: Store, now: datetime) -> None:
    """Seed the producer INP-ALA's catalogue, two weeks of departures from its local today,
    the standing orders, and materialise them for the coming week (in the caller's
    transaction, by its order desk ``orders.ala``); nothing without the producer."""
    producer = store.sites.by_code("INP-ALA")
    if producer is None:
        return
    desk = store.users.by_username("orders.ala")
    products = _products(store, producer, now)
    today = now.astimezone(ZoneInfo(producer.time_zone)).date()
    _departures(store, producer, today, now)
    for site_code, product, gbq, weekday, hour in _STANDING:
        site = store.sites.by_code(site_code)
        if site is None:
            continue
        store.session.add(
            StandingOrder(
                site_id=site.id, product_id=products[product].id, activity_bq=gbq * _GBQ,
                weekday=weekday, calibration_minute=hour * 60, starts_on=today, active=True,
                corrects_id=None, recorded_at=now, recorded_by_id=None,
            )
        )  # fmt: skip
    store.session.flush()
    materialise_standing(store, desk, today)
