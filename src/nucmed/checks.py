"""The small input checks every layer makes: a moment with its time zone, a finite positive
or non-negative number, a fraction.

Each check returns the value it accepted (a moment in UTC, a number as ``float``) or raises an
input error whose message names the quantity, says what was given and what is allowed, in
translatable parts (:mod:`nucmed.errors`). The name is a plain word marked with ``N_``
(``fraction(N_("lung shunt fraction"), f)``), never a code such as ``"rcp_fraction"``: pages
translate it (``tests/test_words_translatable.py`` checks every call). A layer that has its own
error class passes it as ``error`` so that callers can still catch, say, a generator's errors
alone.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from nucmed.errors import N_, NucmedInputError, Word

__all__ = ["aware", "fraction", "non_negative", "positive"]


def aware(
    name: str,
    moment: datetime,
    *,
    error: type[NucmedInputError] = NucmedInputError,
    keep_zone: bool = False,
) -> datetime:
    """``moment`` in UTC (or as given, with ``keep_zone``), if it has a time zone.

    Parameters
    ----------
    name
        What the moment is, a word marked with ``N_`` (``N_("reading time")``).
    moment
        The moment to check.
    error
        The error class to raise (a subclass of :class:`~nucmed.errors.NucmedInputError`).
    keep_zone
        Return ``moment`` unchanged, in its own offset, for a result that shows it back.

    Returns
    -------
    datetime
        The same moment, expressed in UTC (in its own offset with ``keep_zone``).

    Raises
    ------
    NucmedInputError
        If ``moment`` has no time zone (its message asks for an offset).

    Examples
    --------
    >>> from datetime import timedelta, timezone
    >>> almaty = timezone(timedelta(hours=5))
    >>> aware(N_("time"), datetime(2026, 12, 1, 9, 0, tzinfo=almaty)).isoformat()
    '2026-12-01T04:00:00+00:00'
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise error(
            parts=(
                (
                    N_("{name} {at} has no time zone; give an offset, e.g. +05:00 or Z"),
                    {"name": Word(name), "at": moment.isoformat()},
                ),
            )
        )
    return moment if keep_zone else moment.astimezone(UTC)


def positive(
    name: str, value: float, unit: str, *, error: type[NucmedInputError] = NucmedInputError
) -> float:
    """``value`` as a float, if it is finite and above 0.

    Parameters
    ----------
    name
        What the value is, a word marked with ``N_`` (``N_("activity")``).
    value
        The number, in ``unit``.
    unit
        Its unit, for the message (``"Bq"``).
    error
        The error class to raise.

    Raises
    ------
    NucmedInputError
        If ``value`` is not finite or not above 0.

    Examples
    --------
    >>> positive(N_("volume"), 2e-6, "m³")
    2e-06
    """
    if not math.isfinite(value) or value <= 0.0:
        raise error(
            parts=(
                (
                    N_("{name} is {value}; it must be a finite number of {unit} > 0"),
                    {"name": Word(name), "value": f"{value!r}", "unit": unit},
                ),
            )
        )
    return float(value)


def non_negative(
    name: str, value: float, unit: str, *, error: type[NucmedInputError] = NucmedInputError
) -> float:
    """``value`` as a float, if it is finite and 0 or more.

    Raises
    ------
    NucmedInputError
        If ``value`` is not finite or is below 0.

    Examples
    --------
    >>> non_negative(N_("activity"), 0.0, "Bq")
    0.0
    """
    if not math.isfinite(value) or value < 0.0:
        raise error(
            parts=(
                (
                    N_("{name} is {value}; it must be a finite number of {unit} ≥ 0"),
                    {"name": Word(name), "value": f"{value!r}", "unit": unit},
                ),
            )
        )
    return float(value)


def fraction(
    name: str, value: float, *, error: type[NucmedInputError] = NucmedInputError
) -> float:
    """``value`` as a float, if it lies within 0 and 1 (both included).

    Raises
    ------
    NucmedInputError
        If ``value`` is not a number from 0 to 1.

    Examples
    --------
    >>> fraction(N_("elution efficiency"), 0.9)
    0.9
    """
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise error(
            parts=(
                (
                    N_("{name} is {value}; it must be a fraction from 0 to 1 (0.9 = 90 %)"),
                    {"name": Word(name), "value": f"{value!r}"},
                ),
            )
        )
    return float(value)
