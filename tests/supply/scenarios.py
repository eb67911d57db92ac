"""Small hand-made scenarios for the supply tests (dicts, as a JSON file would hold them).

One producer in Almaty (UTC+5), one site in Astana; times chosen so that the expected plans
are read off by hand.
"""

from __future__ import annotations

import copy
from typing import Any

GBQ = 1e9

BASE: dict[str, Any] = {
    "producer": {"code": "INP", "name": "INP Almaty", "time_zone": "Asia/Almaty"},
    "sites": [{"code": "NQZ", "name": "Astana", "receiving_margin_min": 60}],
    "products": [
        {"code": "I131", "nuclide": "I-131", "shelf_life_h": 336},
        {"code": "TC", "nuclide": "Tc-99m", "shelf_life_h": 12},
    ],
    "departures": [
        # Monday 7 December 2026; arrivals in Astana (same offset).
        {"id": "ROAD-MON", "from": "INP", "to": "NQZ", "mode": "road",
         "depart": "2026-12-07T06:00+05:00", "arrive": "2026-12-07T23:00+05:00",
         "accepts_radioactive": True, "cost": 600},
        {"id": "AIR-TUE-AM", "from": "INP", "to": "NQZ", "mode": "air",
         "depart": "2026-12-08T05:00+05:00", "arrive": "2026-12-08T09:30+05:00",
         "accepts_radioactive": True, "cost": 800},
        {"id": "AIR-TUE-PM", "from": "INP", "to": "NQZ", "mode": "air",
         "depart": "2026-12-08T13:00+05:00", "arrive": "2026-12-08T17:30+05:00",
         "accepts_radioactive": True, "cost": 800},
    ],
    "orders": [
        {"id": "A", "site": "NQZ", "product": "I131", "activity_bq": 3.7 * GBQ,
         "calibration": "2026-12-08T12:00+05:00"},
    ],
}  # fmt: skip


def scenario(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`BASE` with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def order(ident: str, calibration: str, product: str = "I131", gbq: float = 3.7) -> dict[str, Any]:
    """An order of the Astana site."""
    return {"id": ident, "site": "NQZ", "product": product, "activity_bq": gbq * GBQ,
            "calibration": calibration}  # fmt: skip
