"""Write what people read: ``740 MBq``, ``6.015 h``, ``2.5 µSv/h``, ``2026-11-22T08:00+05:00``.

Numbers have `digits` significant digits (4 by default) without trailing zeros, a plain space
before the unit, and ``µ`` (the micro sign). Unless a unit is chosen, the unit is the first of
a ladder in :mod:`nucmed.units.tables` whose shown number is below its limit.
"""

from __future__ import annotations

import datetime
import math

from nucmed.units._reader import ACTIVITY, DOSE_RATE, LENGTH, TIME, Kind, unit_symbol
from nucmed.units.tables import (
    ACTIVITY_LADDER,
    DOSE_RATE_LADDER,
    DURATION_LADDER,
    LENGTH_LADDER,
    Ladder,
)

__all__ = [
    "format_activity", "format_datetime", "format_dose_rate", "format_duration",
    "format_length", "scale_activity",
]  # fmt: skip

# Each kind's automatic display units, and the unit of zero and of non-finite values.
_AUTO: dict[Kind, tuple[Ladder, str]] = {
    ACTIVITY: (ACTIVITY_LADDER, "Bq"),
    TIME: (DURATION_LADDER, "s"),
    LENGTH: (LENGTH_LADDER, "m"),
    DOSE_RATE: (DOSE_RATE_LADDER, "µSv/h"),
}


def _number_text(value: float, digits: int) -> str:
    """`value` to `digits` significant digits, without trailing zeros (``3.7e10``, ``740``)."""
    if digits < 1:
        raise ValueError(f"digits must be 1 or more, got {digits}")
    mantissa, e, exponent = f"{value:.{digits}g}".partition("e")
    text = f"{mantissa}e{int(exponent)}" if e else mantissa
    return "0" if text == "-0" else text


def _parts(value: float, unit: str | None, kind: Kind, digits: int) -> tuple[str, str]:
    """The number text and unit symbol that show `value` (SI) in `unit`.

    If `unit` is None: in the first unit of the kind's ladder whose shown number is below that
    unit's limit (in the kind's base unit for zero and non-finite values).
    """
    ladder, base = _AUTO[kind]
    if unit is not None or value == 0 or not math.isfinite(value):
        symbol = unit_symbol(base if unit is None else unit, kind)
        return _number_text(value / kind.units[symbol], digits), symbol
    for symbol, limit in ladder:
        text = _number_text(value / kind.units[symbol], digits)
        if abs(float(text)) < limit:
            return text, symbol
    return text, symbol


def scale_activity(
    activity_bq: float, unit: str | None = None, *, digits: int = 4
) -> tuple[float, str]:
    """The number and unit that `format_activity` shows, for formatting in a locale.

    Parameters
    ----------
    activity_bq
        Activity in becquerels (Bq).
    unit
        A unit of `ACTIVITY_UNITS`, e.g. ``"mCi"``; if None, the one of Bq, kBq, MBq, GBq,
        TBq that puts the number in [1, 1000), as `format_activity` picks it.
    digits
        Significant digits the number is rounded to.

    Returns
    -------
    number : float
        The activity in `unit`, rounded to `digits` significant digits.
    symbol : str
        The unit's symbol as nucmed writes it (``µ`` for ``u``), e.g. ``"MBq"``.

    Raises
    ------
    UnitError
        If `unit` is not an activity unit.

    Examples
    --------
    >>> scale_activity(7.4e8), scale_activity(7.4e8, "mCi"), scale_activity(1.234567e10)
    ((740.0, 'MBq'), (20.0, 'mCi'), (12.35, 'GBq'))
    """
    text, symbol = _parts(activity_bq, unit, ACTIVITY, digits)
    return float(text), symbol


def format_activity(activity_bq: float, unit: str | None = None, *, digits: int = 4) -> str:
    """Write an activity for people, e.g. ``740 MBq``.

    Parameters
    ----------
    activity_bq
        Activity in becquerels (Bq).
    unit
        A unit of `ACTIVITY_UNITS`, e.g. ``"mCi"``; if None, the one of Bq, kBq, MBq, GBq,
        TBq that puts the number in [1, 1000).
    digits
        Significant digits; trailing zeros are dropped.

    Returns
    -------
    str
        The number, a space, and the unit.

    Raises
    ------
    UnitError
        If `unit` is not an activity unit.

    See Also
    --------
    scale_activity : the same number and unit, for formatting in a locale.

    Examples
    --------
    >>> format_activity(7.4e8), format_activity(7.4e8, "mCi"), format_activity(1.234567e10)
    ('740 MBq', '20 mCi', '12.35 GBq')
    """
    return " ".join(_parts(activity_bq, unit, ACTIVITY, digits))


def format_duration(duration_s: float, *, digits: int = 4) -> str:
    """Write a duration for people: below 60 s in s, 120 min in min, 72 h in h, else in d.

    Parameters
    ----------
    duration_s
        Duration in seconds (s); may be negative.
    digits
        Significant digits; trailing zeros are dropped.

    Returns
    -------
    str
        The number, a space, and the unit.

    Examples
    --------
    >>> format_duration(21654), format_duration(5400), format_duration(8.02 * 86400)
    ('6.015 h', '90 min', '8.02 d')
    """
    return " ".join(_parts(duration_s, None, TIME, digits))


def format_length(length_m: float, unit: str | None = None, *, digits: int = 4) -> str:
    """Write a length for people, e.g. ``5 mm``, ``30 cm`` or ``1.5 m``.

    Parameters
    ----------
    length_m
        Length in metres (m).
    unit
        A unit of `LENGTH_UNITS`; if None, mm below 1 cm, cm below 1 m, m below 1 km, else km.
    digits
        Significant digits; trailing zeros are dropped.

    Returns
    -------
    str
        The number, a space, and the unit.

    Raises
    ------
    UnitError
        If `unit` is not a length unit.

    Examples
    --------
    >>> format_length(0.005), format_length(0.3), format_length(1.5), format_length(1.5, "mm")
    ('5 mm', '30 cm', '1.5 m', '1500 mm')
    """
    return " ".join(_parts(length_m, unit, LENGTH, digits))


def format_dose_rate(
    dose_rate_sv_per_s: float, unit: str | None = None, *, digits: int = 4
) -> str:
    """Write a dose rate for people, per hour unless told otherwise, e.g. ``2.5 µSv/h``.

    Parameters
    ----------
    dose_rate_sv_per_s
        Dose rate in sieverts per second (Sv/s).
    unit
        A unit of `DOSE_RATE_UNITS`; if None, the one of nSv/h, µSv/h, mSv/h, Sv/h that puts
        the number in [1, 1000).
    digits
        Significant digits; trailing zeros are dropped.

    Returns
    -------
    str
        The number, a space, and the unit.

    Raises
    ------
    UnitError
        If `unit` is not a dose rate unit.

    Examples
    --------
    >>> format_dose_rate(2.5e-6 / 3600), format_dose_rate(1e-6, "mSv/h")
    ('2.5 µSv/h', '3.6 mSv/h')
    """
    return " ".join(_parts(dose_rate_sv_per_s, unit, DOSE_RATE, digits))


def format_datetime(moment: datetime.datetime, tz: datetime.tzinfo | None = None) -> str:
    """Write a moment as ISO 8601 with its UTC offset, e.g. ``2026-11-22T08:00+05:00``.

    Minutes precision; seconds (and microseconds) only when they are not zero.

    Parameters
    ----------
    moment
        A timezone-aware datetime.
    tz
        Time zone to show the moment in; if None, the moment's own (UTC inside nucmed).

    Returns
    -------
    str
        ISO 8601 text that `parse_datetime` reads back.

    Raises
    ------
    ValueError
        If `moment` is naive (a programming error, not bad input).

    Examples
    --------
    >>> from zoneinfo import ZoneInfo
    >>> utc = datetime.datetime(2026, 11, 22, 3, 0, tzinfo=datetime.UTC)
    >>> format_datetime(utc), format_datetime(utc, ZoneInfo("Asia/Almaty"))
    ('2026-11-22T03:00+00:00', '2026-11-22T08:00+05:00')
    """
    if moment.utcoffset() is None:
        raise ValueError("format_datetime needs a timezone-aware datetime")
    local = moment.astimezone(tz) if tz is not None else moment
    if local.microsecond:
        return local.isoformat(timespec="microseconds")
    return local.isoformat(timespec="seconds" if local.second else "minutes")
