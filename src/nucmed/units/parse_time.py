"""Read times people type: durations (``6 h``, ``90 мин``, ISO 8601 ``PT6H``) and date-times.

A duration is a number and a time unit, or an ISO 8601 duration in weeks, days, hours, minutes
and seconds (years and months vary in length and are refused). A date-time is ISO 8601 with
its UTC offset (or day first, ``22.11.2026 08:00``, as pages show moments), returned as an
aware UTC datetime. Each refusal is a one-line
:class:`UnitError`.
"""

from __future__ import annotations

import datetime
import math
import re

from nucmed import bounds
from nucmed.errors import N_, MessagePart, NucmedInputError
from nucmed.units._reader import TIME, UnitError, read, shown
from nucmed.units.tables import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    SECONDS_PER_WEEK,
)

__all__ = ["parse_datetime", "parse_duration"]

_ISO_NUMBER = r"([0-9]+(?:[.,][0-9]+)?)"
_ISO_DURATION = re.compile(
    rf"([+-]?)P(?:{_ISO_NUMBER}Y)?(?:{_ISO_NUMBER}M)?(?:{_ISO_NUMBER}W)?(?:{_ISO_NUMBER}D)?"
    rf"(?:T(?:{_ISO_NUMBER}H)?(?:{_ISO_NUMBER}M)?(?:{_ISO_NUMBER}S)?)?"
)
_ISO_SECONDS = (SECONDS_PER_WEEK, SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, 1.0)
_DATETIME_EXAMPLE = "2026-11-22T08:00+05:00"
_HOW_TO_WRITE = (N_("write e.g. {example} (Z for UTC)"), {"example": _DATETIME_EXAMPLE})
_HOW_TO_WRITE_LOCAL = (
    N_("write the date and the site's local time, e.g. {example} or {day_first}"),
    {"example": "2026-12-02 09:15", "day_first": "02.12.2026 09:15"},
)
"""How to write a time in a site's form, the way its fields show it (year or day first)."""
_DAY_FIRST = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?=[T ]|$)")
_NO_MONTHS = N_("write days or weeks, e.g. P30D or P4W (PT1M is one minute)")


def parse_duration(text: str, *, allow_negative: bool = False) -> float:
    """Read a duration such as ``6 h``, ``90 min``, ``2 сут`` or ISO 8601 ``P1DT2H30M``.

    Parameters
    ----------
    text
        A number and a unit of `TIME_UNITS`, or an ISO 8601 duration in weeks, days, hours,
        minutes, seconds. ``m`` (the metre) and ISO years and months are refused.
    allow_negative
        Accept a leading minus sign (``-6 h``, ``-PT6H``).

    Returns
    -------
    float
        Duration in seconds (s).

    Raises
    ------
    UnitError
        If the text cannot be read, is negative and `allow_negative` is false, or is longer
        than about 317 years (:data:`nucmed.bounds.DURATION`).

    Examples
    --------
    >>> parse_duration("6 h"), parse_duration("PT90M"), parse_duration("P1DT2H30M")
    (21600.0, 5400.0, 95400.0)
    >>> parse_duration("-PT6H", allow_negative=True)
    -21600.0
    """
    stripped = text.strip().replace("\u2212", "-").upper()
    is_iso = stripped.lstrip("+-").startswith("P")
    seconds = _iso_duration(stripped) if is_iso else read(text, TIME)
    if seconds < 0 and not allow_negative:
        raise TIME.error(
            N_("duration '{text}' is negative"), N_("write 0 or more, e.g. 6 h"), text=shown(text)
        )
    bounds.DURATION.check(abs(seconds), shown(text), error=UnitError)
    return seconds


def _iso_duration(text: str) -> float:
    """Seconds in an upper-case ISO 8601 duration (``PnWnDTnHnMnS``, optional sign)."""
    match = _ISO_DURATION.fullmatch(text)
    parts = match.groups()[1:] if match else ()
    if not any(parts) or text.endswith("T"):
        raise TIME.error(
            N_("'{text}' is not an ISO 8601 duration"),
            N_("write e.g. PT6H, P1D"),
            text=shown(text),
        )
    if parts[0] or parts[1]:
        raise TIME.error(
            N_("'{text}': years and months vary in length"), _NO_MONTHS, text=shown(text)
        )
    numbers = [float(part.replace(",", ".")) if part else 0.0 for part in parts[2:]]
    seconds = sum(n * factor for n, factor in zip(numbers, _ISO_SECONDS, strict=True))
    if not math.isfinite(seconds):
        raise TIME.error(N_("'{text}' is too long a duration"), text=shown(text))
    return -seconds if text.startswith("-") else seconds


def parse_datetime(text: str, *, default_tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """Read an ISO 8601 date and time with its UTC offset, e.g. ``2026-11-22T08:00+05:00``.

    Parameters
    ----------
    text
        Date, ``T`` or a space, time, and offset (``+05:00``, ``+06:00``, ``Z``). The date may
        also be written day first, as pages show moments (``22.11.2026 08:00``).
    default_tz
        Time zone for text without an offset, e.g. ``ZoneInfo("Asia/Almaty")``; if None,
        such text is refused. An offset in the text always wins. With it, a refusal shows how
        a site's form writes a time (``2026-12-02 09:15``) rather than ISO 8601.

    Returns
    -------
    datetime.datetime
        The moment, timezone-aware, in UTC.

    Raises
    ------
    UnitError
        If the text is not an ISO 8601 date-time, has no time of day, has no offset and
        no `default_tz` is given, or lies outside 1900-01-01 to 2100-12-31 (:mod:`nucmed.bounds`).

    Examples
    --------
    >>> parse_datetime("2026-11-22T08:00+05:00").isoformat()
    '2026-11-22T03:00:00+00:00'
    >>> parse_datetime("22.11.2026 08:00+05:00").isoformat()
    '2026-11-22T03:00:00+00:00'
    """
    how = _HOW_TO_WRITE if default_tz is None else _HOW_TO_WRITE_LOCAL
    upper = _year_first(text.strip().upper())
    try:
        moment = datetime.datetime.fromisoformat(upper)
    except ValueError:
        wrong = (
            N_("'{text}' is not an ISO 8601 date-time")
            if default_tz is None
            else N_("'{text}' is not a date and time")
        )
        raise _datetime_error(wrong, text, how) from None
    if not re.search(r"[0-9][T ][0-9]", upper):
        raise _datetime_error(N_("'{text}' has no time of day"), text, how)
    if moment.utcoffset() is None:
        if default_tz is None:
            raise _datetime_error(N_("'{text}' has no UTC offset"), text, how)
        moment = moment.replace(tzinfo=default_tz)
    try:
        return bounds.check_moment(N_("date-time"), moment.astimezone(datetime.UTC))
    except OverflowError:
        raise _datetime_error(N_("'{text}' is out of range in UTC"), text, how) from None
    except NucmedInputError as error:
        raise UnitError(parts=(*error.parts, how)) from None


def _year_first(text: str) -> str:
    """A date written day first (``02.12.2026 09:15``) in ISO order (``2026-12-02 09:15``);
    other text unchanged."""
    found = _DAY_FIRST.match(text)
    if found is None:
        return text
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}{text[found.end() :]}"


def _datetime_error(wrong: str, text: str, how: MessagePart) -> UnitError:
    """What is wrong with a date-time, and how to write one (translatable parts)."""
    return UnitError(parts=((wrong, {"text": shown(text)}), how))
