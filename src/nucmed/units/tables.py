"""Conversion factors and unit tables: the only place in nucmed with conversion factors.

Each factor is a named constant, exact by definition (see the references of
:mod:`nucmed.units`); each table maps the symbols people type to the SI value of one unit.
The display ladders say which unit the formatters pick when none is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ABSORBED_DOSE_RATE_UNITS", "ABSORBED_DOSE_UNITS", "ACTIVITY_LADDER", "ACTIVITY_UNITS",
    "BQ_PER_CI", "BQ_PER_GBQ", "BQ_PER_KBQ", "BQ_PER_MBQ", "BQ_PER_MCI", "BQ_PER_TBQ",
    "BQ_PER_UCI", "DOSE_RATE_LADDER", "DOSE_RATE_UNITS", "DURATION_LADDER",
    "EFFECTIVE_DOSE_UNITS", "FRACTION_PER_PERCENT", "FRACTION_UNITS", "GY_PER_CGY", "GY_PER_MGY",
    "KG_PER_G", "KG_PER_MG", "KG_PER_UG", "LENGTH_LADDER", "LENGTH_UNITS", "M3_PER_L",
    "M3_PER_ML", "MASS_UNITS", "M_PER_CM", "M_PER_MM", "PER_TIME", "RATIO_UNITS",
    "SECONDS_PER_DAY", "SECONDS_PER_HOUR", "SECONDS_PER_MINUTE", "SECONDS_PER_WEEK", "SV_PER_MSV",
    "SV_PER_REM", "SV_PER_USV", "TIME_UNITS", "VOLUME_UNITS",
]  # fmt: skip

BQ_PER_CI = 3.7e10  # exact by definition [1]
BQ_PER_MCI = BQ_PER_CI / 1e3
BQ_PER_UCI = BQ_PER_CI / 1e6
BQ_PER_KBQ = 1e3
BQ_PER_MBQ = 1e6
BQ_PER_GBQ = 1e9
BQ_PER_TBQ = 1e12
SECONDS_PER_MINUTE = 60.0
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY
M_PER_CM = 1e-2
M_PER_MM = 1e-3
M3_PER_L = 1e-3
M3_PER_ML = 1e-6
KG_PER_G = 1e-3
KG_PER_MG = 1e-6
KG_PER_UG = 1e-9
GY_PER_CGY = 1e-2
GY_PER_MGY = 1e-3
SV_PER_MSV = 1e-3
SV_PER_USV = 1e-6
SV_PER_REM = 1e-2  # exact by definition [2]
FRACTION_PER_PERCENT = 1e-2  # 1 % = 0.01 [4]


ACTIVITY_UNITS: Mapping[str, float] = MappingProxyType({
    "Bq": 1.0, "mBq": 1e-3, "µBq": 1e-6, "kBq": BQ_PER_KBQ, "MBq": BQ_PER_MBQ,
    "GBq": BQ_PER_GBQ, "TBq": BQ_PER_TBQ, "Ci": BQ_PER_CI, "mCi": BQ_PER_MCI,
    "µCi": BQ_PER_UCI, "nCi": BQ_PER_CI / 1e9, "Бк": 1.0, "кБк": BQ_PER_KBQ,
    "МБк": BQ_PER_MBQ, "ГБк": BQ_PER_GBQ, "ТБк": BQ_PER_TBQ, "Ки": BQ_PER_CI,
    "мКи": BQ_PER_MCI, "мкКи": BQ_PER_UCI,
})  # fmt: skip
"""Activity units: symbol -> becquerels per unit."""

TIME_UNITS: Mapping[str, float] = MappingProxyType({
    "s": 1.0, "sec": 1.0, "min": SECONDS_PER_MINUTE, "h": SECONDS_PER_HOUR,
    "hr": SECONDS_PER_HOUR, "d": SECONDS_PER_DAY, "day": SECONDS_PER_DAY,
    "days": SECONDS_PER_DAY, "с": 1.0, "сек": 1.0, "мин": SECONDS_PER_MINUTE,
    "ч": SECONDS_PER_HOUR, "час": SECONDS_PER_HOUR, "сағ": SECONDS_PER_HOUR,
    "саат": SECONDS_PER_HOUR, "сут": SECONDS_PER_DAY, "д": SECONDS_PER_DAY,
    "дн": SECONDS_PER_DAY, "тәулік": SECONDS_PER_DAY,
})  # fmt: skip
"""Time units: symbol -> seconds per unit (сағ: Kazakh hour, саат: Kyrgyz hour)."""

MASS_UNITS: Mapping[str, float] = MappingProxyType({
    "kg": 1.0, "g": KG_PER_G, "mg": KG_PER_MG, "µg": 1e-9, "mcg": 1e-9,
    "кг": 1.0, "г": KG_PER_G, "мг": KG_PER_MG, "мкг": 1e-9,
})  # fmt: skip
"""Mass units: symbol -> kilograms per unit."""

LENGTH_UNITS: Mapping[str, float] = MappingProxyType({
    "m": 1.0, "km": 1e3, "cm": M_PER_CM, "mm": M_PER_MM, "µm": 1e-6,
    "м": 1.0, "км": 1e3, "см": M_PER_CM, "мм": M_PER_MM, "мкм": 1e-6,
})  # fmt: skip
"""Length units: symbol -> metres per unit."""

VOLUME_UNITS: Mapping[str, float] = MappingProxyType({
    "m3": 1.0, "m³": 1.0, "L": M3_PER_L, "l": M3_PER_L, "mL": M3_PER_ML, "ml": M3_PER_ML,
    "µL": 1e-9, "µl": 1e-9, "cm3": M3_PER_ML, "cm³": M3_PER_ML, "cc": M3_PER_ML,
    "м3": 1.0, "м³": 1.0, "л": M3_PER_L, "мл": M3_PER_ML, "мкл": 1e-9,
    "см3": M3_PER_ML, "см³": M3_PER_ML,
})  # fmt: skip
"""Volume units: symbol -> cubic metres per unit."""

ABSORBED_DOSE_UNITS: Mapping[str, float] = MappingProxyType({
    "Gy": 1.0, "cGy": GY_PER_CGY, "mGy": GY_PER_MGY, "µGy": 1e-6,
    "Гр": 1.0, "сГр": GY_PER_CGY, "мГр": GY_PER_MGY, "мкГр": 1e-6,
})  # fmt: skip
"""Absorbed dose units: symbol -> grays per unit."""

EFFECTIVE_DOSE_UNITS: Mapping[str, float] = MappingProxyType({
    "Sv": 1.0, "mSv": SV_PER_MSV, "µSv": SV_PER_USV, "nSv": 1e-9, "rem": SV_PER_REM,
    "mrem": SV_PER_REM / 1e3, "Зв": 1.0, "мЗв": SV_PER_MSV, "мкЗв": SV_PER_USV, "нЗв": 1e-9,
    "бэр": SV_PER_REM, "мбэр": SV_PER_REM / 1e3,
})  # fmt: skip
"""Equivalent and effective dose units: symbol -> sieverts per unit (бэр is the rem)."""

PER_TIME = ("s", "min", "h", "hr", "с", "мин", "ч", "час", "сағ")
"""The time units that may follow ``/`` in a rate."""

DOSE_RATE_UNITS: Mapping[str, float] = MappingProxyType({
    f"{dose}/{time}": EFFECTIVE_DOSE_UNITS[dose] / TIME_UNITS[time]
    for dose in EFFECTIVE_DOSE_UNITS for time in PER_TIME
})  # fmt: skip
"""Dose rate units: ``dose/time`` from the two tables above -> sieverts per second."""

ABSORBED_DOSE_RATE_UNITS: Mapping[str, float] = MappingProxyType({
    f"{dose}/{time}": ABSORBED_DOSE_UNITS[dose] / TIME_UNITS[time]
    for dose in ABSORBED_DOSE_UNITS for time in PER_TIME
})  # fmt: skip
"""Absorbed dose rate units (only to name them when refused): symbol -> grays per second."""

FRACTION_UNITS: Mapping[str, float] = MappingProxyType({"%": FRACTION_PER_PERCENT})
"""Units of a fraction besides none: symbol -> fraction per unit."""

RATIO_UNITS: Mapping[str, float] = MappingProxyType({
    **FRACTION_UNITS,
    **{f"{part}/{whole}": ACTIVITY_UNITS[part] / ACTIVITY_UNITS[whole]
       for part in ACTIVITY_UNITS for whole in ACTIVITY_UNITS},
})  # fmt: skip
"""Units of a ratio of activities: ``%``, and any activity unit over any other (``kBq/MBq``,
``µCi/mCi``, ``кБк/МБк``) -> ratio per unit."""

# Automatic display units: (unit, the shown number must be below this), smallest unit first.
Ladder = tuple[tuple[str, float], ...]
ACTIVITY_LADDER: Ladder = (
    ("Bq", 1e3),
    ("kBq", 1e3),
    ("MBq", 1e3),
    ("GBq", 1e3),
    ("TBq", math.inf),
)
DURATION_LADDER: Ladder = (("s", 60.0), ("min", 120.0), ("h", 72.0), ("d", math.inf))
LENGTH_LADDER: Ladder = (("mm", 10.0), ("cm", 100.0), ("m", 1e3), ("km", math.inf))
DOSE_RATE_LADDER: Ladder = (("nSv/h", 1e3), ("µSv/h", 1e3), ("mSv/h", 1e3), ("Sv/h", math.inf))
