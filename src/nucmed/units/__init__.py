"""Quantities at the edges: read what people type, write what people read.

Inside nucmed every quantity is an SI float (Bq, s, m, kg, m³, Gy, Sv, Sv/s) and every moment
an aware UTC datetime. This package turns text from the command line and web forms into those
values and back, and it is the only place that holds conversion factors, as the named
constants of :mod:`nucmed.units.tables`. Units are looked up in closed tables (Latin and
Cyrillic spellings, ``u`` and Greek ``μ`` read as ``µ``); anything else is refused with a
one-line :class:`UnitError` that lists the allowed units. ``m`` is the metre, never the
minute.

- :mod:`nucmed.units.tables`: the conversion constants, the unit tables, the display ladders;
- :mod:`nucmed.units.parse`: `UnitError` and the ``parse_*`` functions of quantities;
- :mod:`nucmed.units.parse_time`: `parse_duration` and `parse_datetime`;
- :mod:`nucmed.units.formatting`: the ``format_*`` functions and `scale_activity`.

Import the names from ``nucmed.units`` itself.

We do not use pint: importing it costs 0.3–0.5 s against a 0.6 s cold-start budget for the
command line, and its open vocabulary would accept spellings we want refused. This package
imports only the standard library.

References
----------
.. [1] 12th CGPM (1964), Resolution 7: the curie, 1 Ci = 3.7e10 s⁻¹ exactly; 15th CGPM
   (1975), Resolution 8: the becquerel, 1 Bq = 1 s⁻¹. Hence 1 Ci = 3.7e10 Bq exactly.
.. [2] BIPM, The International System of Units (SI Brochure), 8th ed. (2006), Table 10:
   1 Ci = 3.7e10 Bq; 1 rem = 1 cSv = 1e-2 Sv (exact).
.. [3] BIPM, SI Brochure, 9th ed. (2019), Table 8: 1 min = 60 s, 1 h = 3600 s,
   1 d = 86 400 s, 1 L = 1e-3 m³ (exact).
.. [4] BIPM, SI Brochure, 9th ed. (2019), section 5.4.7: the percent, % = 0.01.
"""

from __future__ import annotations

from nucmed.units.formatting import (
    format_activity,
    format_datetime,
    format_dose_rate,
    format_duration,
    format_length,
    scale_activity,
)
from nucmed.units.parse import (
    UnitError,
    parse_absorbed_dose,
    parse_activity,
    parse_dose_rate,
    parse_effective_dose,
    parse_fraction,
    parse_length,
    parse_mass,
    parse_ratio,
    parse_volume,
)
from nucmed.units.parse_time import parse_datetime, parse_duration
from nucmed.units.tables import (
    ABSORBED_DOSE_RATE_UNITS,
    ABSORBED_DOSE_UNITS,
    ACTIVITY_LADDER,
    ACTIVITY_UNITS,
    BQ_PER_CI,
    BQ_PER_GBQ,
    BQ_PER_KBQ,
    BQ_PER_MBQ,
    BQ_PER_MCI,
    BQ_PER_TBQ,
    BQ_PER_UCI,
    DOSE_RATE_LADDER,
    DOSE_RATE_UNITS,
    DURATION_LADDER,
    EFFECTIVE_DOSE_UNITS,
    FRACTION_PER_PERCENT,
    FRACTION_UNITS,
    GY_PER_CGY,
    GY_PER_MGY,
    KG_PER_G,
    KG_PER_MG,
    KG_PER_UG,
    LENGTH_LADDER,
    LENGTH_UNITS,
    M3_PER_L,
    M3_PER_ML,
    M_PER_CM,
    M_PER_MM,
    MASS_UNITS,
    PER_TIME,
    RATIO_UNITS,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    SECONDS_PER_WEEK,
    SV_PER_MSV,
    SV_PER_REM,
    SV_PER_USV,
    TIME_UNITS,
    VOLUME_UNITS,
)

__all__ = [
    "ABSORBED_DOSE_RATE_UNITS",
    "ABSORBED_DOSE_UNITS",
    "ACTIVITY_LADDER",
    "ACTIVITY_UNITS",
    "BQ_PER_CI",
    "BQ_PER_GBQ",
    "BQ_PER_KBQ",
    "BQ_PER_MBQ",
    "BQ_PER_MCI",
    "BQ_PER_TBQ",
    "BQ_PER_UCI",
    "DOSE_RATE_LADDER",
    "DOSE_RATE_UNITS",
    "DURATION_LADDER",
    "EFFECTIVE_DOSE_UNITS",
    "FRACTION_PER_PERCENT",
    "FRACTION_UNITS",
    "GY_PER_CGY",
    "GY_PER_MGY",
    "KG_PER_G",
    "KG_PER_MG",
    "KG_PER_UG",
    "LENGTH_LADDER",
    "LENGTH_UNITS",
    "M3_PER_L",
    "M3_PER_ML",
    "MASS_UNITS",
    "M_PER_CM",
    "M_PER_MM",
    "PER_TIME",
    "RATIO_UNITS",
    "SECONDS_PER_DAY",
    "SECONDS_PER_HOUR",
    "SECONDS_PER_MINUTE",
    "SECONDS_PER_WEEK",
    "SV_PER_MSV",
    "SV_PER_REM",
    "SV_PER_USV",
    "TIME_UNITS",
    "VOLUME_UNITS",
    "UnitError",
    "format_activity",
    "format_datetime",
    "format_dose_rate",
    "format_duration",
    "format_length",
    "parse_absorbed_dose",
    "parse_activity",
    "parse_datetime",
    "parse_dose_rate",
    "parse_duration",
    "parse_effective_dose",
    "parse_fraction",
    "parse_length",
    "parse_mass",
    "parse_ratio",
    "parse_volume",
    "scale_activity",
]  # fmt: skip
