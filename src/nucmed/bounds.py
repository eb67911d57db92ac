"""Plausible ranges of what people and other systems send: quantities, ids, dates and text.

Every edge (API bodies and parameters, pages, the command line, HL7 v2, DICOM RRDSR and CSV
imports) checks its input against the ranges here, so that one stored value can never make a
page or a calculation fail later, and a refusal always says the range ("the activity must be
above 0 and at most 1 PBq; got 1e300 Bq").

A :class:`Range` holds its limits in SI (Bq, m³, Sv/s, kg, s, m, Gy, Sv, or a fraction) and
says them as people write them. The limits are plain SI numbers rather than products of the
conversion constants of :mod:`nucmed.units`, because :mod:`nucmed.units` reads through this
module (it sits below it); each limit's docstring gives its unit and its reason.

Ids are the store's INTEGER keys (1 to 2^31 − 1, as PostgreSQL stores them); dates and
moments lie within 1900-01-01 and 2100-12-31; text is within its column's length, without
NUL (PostgreSQL refuses it in text) and without lone surrogates (no encoding can store them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from nucmed.errors import N_, NucmedInputError, Word, refusal

__all__ = [
    "ABSORBED_DOSE",
    "ACTIVITY",
    "DOSE_RATE",
    "DURATION",
    "EFFECTIVE_DOSE",
    "FIRST_DAY",
    "FRACTION",
    "ID_MAX",
    "LAST_DAY",
    "LENGTH",
    "MASS",
    "TOLERANCE",
    "VOLUME",
    "YIELD",
    "Range",
    "check_date",
    "check_id",
    "check_moment",
    "check_text",
    "check_year",
    "number",
    "parse_year",
]

ID_MAX = 2**31 - 1
"""The largest record id: the store's keys are INTEGER columns, 32-bit on PostgreSQL (64-bit on
SQLite); an id beyond it names no record and would overflow the database's parameter."""

FIRST_DAY = date(1900, 1, 1)
"""The earliest date accepted: before it, no patient born, no source received, no record."""

LAST_DAY = date(2100, 12, 31)
"""The latest date accepted: a plan or expiry beyond it is a typing error."""

_FIRST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
_END_MOMENT = datetime(2101, 1, 1, tzinfo=UTC)
_MAX_DIGITS_SHOWN = 30
_ID_BITS = 256
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def number(value: float) -> str:
    """A number as a message shows it: 6 significant digits, ``1e300`` rather than ``1e+300``.

    Examples
    --------
    >>> number(1e300), number(0.25), number(-1.0), number(float("nan"))
    ('1e300', '0.25', '-1', 'nan')
    """
    return f"{value:.6g}".replace("e+", "e")


@dataclass(frozen=True, slots=True)
class Range:
    """The plausible range of a quantity, in SI, and how it is said.

    Parameters
    ----------
    name
        The quantity, a word pages translate (``"activity"``).
    low, high
        The limits, in ``unit``; both are allowed, except ``low`` when ``low_open``.
    unit
        The SI unit of values given to :meth:`check` (``"Bq"``), for the message.
    low_said, high_said
        The limits as people write them (``"0"``, ``"1 PBq"``).
    low_open
        Refuse ``low`` itself (an activity must be above 0).
    """

    name: str
    low: float
    high: float
    unit: str
    low_said: str
    high_said: str
    low_open: bool = False

    def or_zero(self) -> Range:
        """The same range with its lower limit allowed (0 ≤ A rather than 0 < A: what is left
        in an empty container, a form's "0 or more")."""
        return replace(self, low_open=False)

    def holds(self, value: float) -> bool:
        """True when ``value`` (in SI) is a finite number within the range."""
        above = value > self.low if self.low_open else value >= self.low
        return math.isfinite(value) and above and value <= self.high

    def check(
        self,
        value: float,
        given: str | None = None,
        *,
        error: type[NucmedInputError] = NucmedInputError,
    ) -> float:
        """``value`` as a float, if it lies within the range.

        Parameters
        ----------
        value
            The value, in the range's SI unit.
        given
            What was typed (``"1e300 TBq"``), to quote instead of the SI value.
        error
            The error class to raise (a subclass of :class:`~nucmed.errors.NucmedInputError`).

        Raises
        ------
        NucmedInputError
            If ``value`` is not finite or outside the range; the message says the range.

        Examples
        --------
        >>> ACTIVITY.check(740e6)
        740000000.0
        >>> try:
        ...     ACTIVITY.check(1e300)
        ... except NucmedInputError as error:
        ...     print(error)
        the activity must be above 0 and at most 1 PBq; got 1e300 Bq
        """
        if self.holds(value):
            return float(value)
        template = (
            N_("the {name} must be above {low} and at most {high}; got {value}")
            if self.low_open
            else N_("the {name} must be from {low} to {high}; got {value}")
        )
        values = {
            "name": Word(self.name),
            "low": self.low_said,
            "high": self.high_said,
            "value": given if given is not None else f"{number(value)} {self.unit}".strip(),
        }
        raise error(parts=((template, values),))


ACTIVITY = Range(N_("activity"), 0.0, 1e15, "Bq", "0", "1 PBq", low_open=True)
"""Activity, Bq: above 0 and at most 1 PBq (1e15 Bq). The largest sources a nuclear medicine
department holds (Mo-99 generators, Lu-177 and I-131 bulk) are below 1 TBq; 1 PBq leaves a
thousandfold margin and keeps every sum of a site's stock far from overflow."""

VOLUME = Range(N_("volume"), 0.0, 1e-2, "m³", "0", "10 L", low_open=True)
"""Volume, m³: above 0 and at most 10 L (1e-2 m³): vials, eluates, syringes and waste
containers of liquid are far smaller."""

DOSE_RATE = Range(N_("dose rate"), 0.0, 10.0 / 3600.0, "Sv/s", "0", "10 Sv/h")
"""Dose rate, Sv/s: from 0 to 10 Sv/h (10/3600 Sv/s), about what 1 TBq of Co-60 gives at 1 m;
nothing in a nuclear medicine department comes near it."""

MASS = Range(N_("mass"), 0.0, 1e3, "kg", "0", "1000 kg")
"""Mass, kg: from 0 to 1000 kg: a patient (about 650 kg at most ever recorded), an organ, a
tumour or a drum of waste."""

LENGTH = Range(N_("length"), 0.0, 1e4, "m", "0", "10 km")
"""Length, m: from 0 to 10 km: a patient's height, a shield, a distance to a source (an
exposure estimate at a few km)."""

DURATION = Range(N_("duration"), 0.0, 1e10, "s", "0", "1e10 s (317 years)")
"""Duration, s: from 0 to 1e10 s (about 317 years): longer than any interval between two
dates accepted here (1900–2100), any shelf life or effective half-life. Durations that may be
negative (decay backwards) are checked by their size."""

ABSORBED_DOSE = Range(N_("absorbed dose"), 0.0, 1e4, "Gy", "0", "10 000 Gy")
"""Absorbed dose, Gy: from 0 to 10 000 Gy; radioembolisation plans tumour doses of a few
hundred Gy, radionuclide therapy organ doses stay below 100 Gy."""

EFFECTIVE_DOSE = Range(N_("effective dose"), 0.0, 1e2, "Sv", "0", "100 Sv")
"""Equivalent or effective dose, Sv: from 0 to 100 Sv."""

FRACTION = Range(N_("fraction"), 0.0, 1.0, "", "0", "1 (100 %)")
"""A fraction from 0 to 1 (0 to 100 %): uptake, efficiency, radiochemical purity (RCP)."""

YIELD = Range(N_("yield"), 0.0, 2.0, "", "0", "2 (200 %)")
"""An elution yield, the measured activity over the expected one: 0 to 200 % (a yield above
100 % is possible after a long ingrowth, twice it is a measuring error)."""

TOLERANCE = Range(N_("tolerance"), 0.0, 1.0, "", "0", "1 (100 %)", low_open=True)
"""A relative tolerance (dispensing, calibrator checks): above 0 and at most 100 %."""


def check_id(name: str, value: int | str) -> int:
    """``value`` if it is a record id: an integer from 1 to :data:`ID_MAX` (2^31 − 1).

    Parameters
    ----------
    name
        What the id names (``"material"``), a word pages translate.
    value
        The id, or its decimal digits as they came in a path (of any length).

    Raises
    ------
    NucmedInputError
        If ``value`` is below 1 or above :data:`ID_MAX`.

    Examples
    --------
    >>> check_id("material", "0007")
    7
    """
    shown = _id_text(value)
    if not (shown.isdigit() and len(shown) <= len(str(ID_MAX)) and 1 <= int(shown) <= ID_MAX):
        raise refusal(
            N_("the {name} id must be from 1 to {most}; got {value}"),
            name=Word(name),
            most=ID_MAX,
            value=_shortened(shown),
        )
    return int(shown)


def _id_text(value: int | str) -> str:
    """An id as decimal text (without leading zeros), or its size when too long to write."""
    if isinstance(value, str):
        return value.lstrip("0") or "0"
    return str(value) if value.bit_length() <= _ID_BITS else f"{value.bit_length()} bits"


def check_year(value: int) -> int:
    """``value`` if it is a calendar year from 1900 to 2100.

    Raises
    ------
    NucmedInputError
        If the year lies outside 1900 to 2100.
    """
    if not FIRST_DAY.year <= value <= LAST_DAY.year:
        raise refusal(
            N_("the year must be from {first} to {last}; got {value}"),
            first=FIRST_DAY.year,
            last=LAST_DAY.year,
            value=_shortened(str(value)),
        )
    return value


def parse_year(text: str) -> int:
    """A calendar year typed as text (a page's query parameter), if it is one from 1900 to 2100.

    Raises
    ------
    NucmedInputError
        If the text is not a whole number, or the year lies outside 1900 to 2100.

    Examples
    --------
    >>> parse_year(" 2026 ")
    2026
    """
    shown = text.strip()
    digits = shown.removeprefix("-").removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        raise refusal(
            N_("the year must be a whole number from {first} to {last}; got {value}"),
            first=FIRST_DAY.year,
            last=LAST_DAY.year,
            value=_shortened(shown),
        )
    if len(digits) > len(str(LAST_DAY.year)):  # far outside: never read as a number
        raise refusal(
            N_("the year must be from {first} to {last}; got {value}"),
            first=FIRST_DAY.year,
            last=LAST_DAY.year,
            value=_shortened(shown),
        )
    return check_year(int(shown))


def check_date(name: str, value: date) -> date:
    """``value`` if it lies within 1900-01-01 and 2100-12-31 (a datetime by its UTC date).

    Raises
    ------
    NucmedInputError
        If the date lies outside that span.
    """
    if isinstance(value, datetime):
        check_moment(name, value)
    elif not FIRST_DAY <= value <= LAST_DAY:
        raise _outside(name, value.isoformat())
    return value


def check_moment(name: str, value: datetime) -> datetime:
    """``value`` if it has a time zone and lies within 1900-01-01 and 2100-12-31 in UTC.

    Raises
    ------
    NucmedInputError
        If the moment has no time zone or lies outside that span.

    Examples
    --------
    >>> check_moment("measured at", datetime(2026, 11, 22, 8, tzinfo=UTC)).year
    2026
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise refusal(
            N_("{name} {at} has no time zone; give an offset, e.g. +05:00 or Z"),
            name=Word(name),
            at=value.isoformat(),
        )
    if not _FIRST_MOMENT <= value < _END_MOMENT:
        raise _outside(name, value.isoformat())
    return value


def _outside(name: str, shown: str) -> NucmedInputError:
    return refusal(
        N_("{name} must lie from {first} to {last}; got {value}"),
        name=Word(name),
        first=FIRST_DAY.isoformat(),
        last=LAST_DAY.isoformat(),
        value=shown,
    )


def check_text(name: str, text: str, max_length: int) -> str:
    """``text`` if it fits its column: at most ``max_length`` characters, no NUL, no lone
    surrogate.

    Raises
    ------
    NucmedInputError
        If the text is too long or holds a NUL character or a lone surrogate.

    Examples
    --------
    >>> check_text("name", "Иванов Иван", 200)
    'Иванов Иван'
    """
    if len(text) > max_length:
        raise refusal(
            N_("the {name} may have at most {most} characters; got {count}"),
            name=Word(name),
            most=max_length,
            count=len(text),
        )
    if "\x00" in text:
        raise refusal(N_("the {name} holds a NUL character"), name=Word(name))
    if _LONE_SURROGATE.search(text):
        raise refusal(N_("the {name} holds a character no encoding can store"), name=Word(name))
    return text


def _shortened(digits: str) -> str:
    """A long number quoted in a message: its first and last digits."""
    if len(digits) <= _MAX_DIGITS_SHOWN:
        return digits
    return f"{digits[:12]}...{digits[-12:]} ({len(digits)} digits)"
