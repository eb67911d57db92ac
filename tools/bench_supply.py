"""Benchmark: plan a week of orders on the demo supply network (issue 15).

Takes the network of ``src/nucmed/data/supply_demo_week.json`` (one producer in Almaty, five
sites, ten products, road and air departures) and draws ``--orders`` orders (600 by default,
seeded) over Tuesday to Saturday, each a product its site can be served with (Tc-99m eluate
and FDG for Almaty only, Tc-99m also for Bishkek) at a typical activity. Production capacities
are scaled by the number of orders over the demo week's. Plans it with CP-SAT and with the
decay-blind rule (earliest departure with capacity left), and prints the solve time against
its target and the activity the planner saves over the orders both plans serve.
Run: ``make bench`` (or ``python tools/bench_supply.py --orders 1000``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from nucmed.supply.planner import Plan, Settings, earliest_plan, plan
from nucmed.supply.scenario import Scenario, parse_scenario

DEMO = Path(__file__).resolve().parents[1] / "src" / "nucmed" / "data" / "supply_demo_week.json"
ORDERS = 600
TARGET_S = 30.0
"""Solve-time target for a week of 600 orders on the project's 2-core machine."""
GBQ = 1e9
_ZONES = {"FRU": timezone(timedelta(hours=6))}
_KZ = timezone(timedelta(hours=5))
_TUESDAY = datetime(2026, 12, 8)
_ACTIVITY_GBQ = {
    "MO99-GEN-8": (8.0, 12.0, 20.0),
    "MO99-GEN-20": (20.0, 30.0, 40.0),
    "I131-CAPS": (0.37, 1.11, 1.85, 3.7, 5.55),
    "I131-SOL": (3.7, 7.4),
    "TC99M-ELU": (3.7, 7.4, 11.1, 18.5),
    "SM153-EDTMP": (2.6,),
    "LU177-CL": (7.4,),
    "TL201-CL": (0.185, 0.37),
    "GA67-CIT": (0.185,),
    "F18-FDG": (1.85, 3.7),
}
"""Typical ordered activities, GBq (placeholders: status unconfirmed, see docs)."""
_LOCAL_ONLY = {"TC99M-ELU": ("ALA", "FRU"), "F18-FDG": ("ALA",)}


@dataclass(frozen=True)
class Result:
    """What the benchmark measured."""

    orders: int
    best: Plan
    blind: Plan
    elapsed_s: float

    def saved(self) -> tuple[float, float, int]:
        """Activity saved (Bq), as a fraction of the blind plan's, over the orders both serve."""
        blind = {a.order: a.dispatched_bq for a in self.blind.assignments}
        common = {a.order: a.dispatched_bq for a in self.best.assignments if a.order in blind}
        blind_total = sum(blind[order] for order in common)
        saved = blind_total - sum(common.values())
        return saved, saved / blind_total if blind_total else 0.0, len(common)


def _orders(count: int, seed: int, sites: list[str]) -> list[dict[str, Any]]:
    draw = random.Random(seed)
    products = list(_ACTIVITY_GBQ)
    orders = []
    for number in range(count):
        product = draw.choice(products)
        site = draw.choice(list(_LOCAL_ONLY.get(product, sites)))
        day = _TUESDAY + timedelta(days=draw.randrange(5), hours=draw.choice((8, 9, 10, 12, 14)))
        calibration = day.replace(tzinfo=_ZONES.get(site, _KZ))
        orders.append({
            "id": f"B{number + 1:04d}", "site": site, "product": product,
            "activity_bq": draw.choice(_ACTIVITY_GBQ[product]) * GBQ,
            "calibration": calibration.isoformat(),
        })  # fmt: skip
    return orders


def build(count: int = ORDERS, seed: int = 15) -> Scenario:
    """The demo network with ``count`` drawn orders and capacities scaled to them."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    scale = count / len(data["orders"])
    for product in data["products"]:
        if "batch_capacity_bq" in product:
            product["batch_capacity_bq"] *= scale
    data["orders"] = _orders(count, seed, [site["code"] for site in data["sites"]])
    return parse_scenario(data)


def run(count: int = ORDERS, seed: int = 15, time_limit_s: float = 60.0) -> Result:
    """Plan the drawn week both ways and time the planner (candidates and solve)."""
    scenario = build(count, seed)
    start = time.perf_counter()
    best = plan(scenario, Settings(time_limit_s=time_limit_s))
    elapsed = time.perf_counter() - start
    return Result(count, best, earliest_plan(scenario), elapsed)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 0 when the solve time meets the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--seed", type=int, default=15)
    arguments = parser.parse_args(argv)
    result = run(arguments.orders, arguments.seed)
    saved, fraction, common = result.saved()
    out = sys.stdout
    out.write(f"supply plan: 5 sites, 10 products, {result.orders} orders\n")
    out.write(f"{'plan (candidates + CP-SAT)':<44} {result.elapsed_s:>8.3f} s "
              f"{result.elapsed_s / TARGET_S:>6.2f}  ({result.best.status}, "
              f"solver {result.best.solve_time_s:.3f} s)\n")  # fmt: skip
    out.write(f"{'orders served: planner / decay-blind':<44} {len(result.best.assignments)} / "
              f"{len(result.blind.assignments)}\n")  # fmt: skip
    out.write(f"{'activity saved vs earliest departure':<44} {saved / GBQ:>8.1f} GBq "
              f"({fraction:.1%} over {common} orders served by both)\n")  # fmt: skip
    return 0 if result.elapsed_s <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
