"""What parsing and formatting share: `UnitError`, kinds of quantity, unit lookup, numbers.

A :class:`Kind` is a kind of quantity with its closed unit table. :func:`unit_symbol` finds the
table's key that a typed symbol spells (``u`` and Greek ``μ`` read as ``µ``, Latin and
Cyrillic look-alikes, a final dot) or says what the symbol is instead; :func:`read` reads
``<number> <unit>`` into SI. Every refusal is a one-line :class:`UnitError`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from nucmed.bounds import Range
from nucmed.errors import N_, NucmedInputError, Word
from nucmed.units.tables import (
    ABSORBED_DOSE_RATE_UNITS,
    ABSORBED_DOSE_UNITS,
    ACTIVITY_UNITS,
    DOSE_RATE_UNITS,
    EFFECTIVE_DOSE_UNITS,
    FRACTION_UNITS,
    LENGTH_UNITS,
    MASS_UNITS,
    PER_TIME,
    RATIO_UNITS,
    TIME_UNITS,
    VOLUME_UNITS,
)

_LATIN_LOOKALIKES = "aceopxyACEHKMOPTXk"
_CYRILLIC_LOOKALIKES = "асеорхуАСЕНКМОРТХк"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)

_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:nan|inf(?:inity)?|[0-9.,]+(?:e[+-]?[0-9]+)?))\s*(?P<unit>.*)",
    re.IGNORECASE | re.DOTALL,
)
_THOUSANDS_LOOKALIKE = re.compile(r"[+-]?0*[1-9][0-9]{0,2},[0-9]{3}")
_MAX_QUOTED = 40


class UnitError(NucmedInputError):
    """A quantity, unit, duration or date-time that cannot be read; says what is allowed."""


@dataclass(frozen=True, slots=True, eq=False)
class Kind:
    """A kind of quantity: its name and unit table, an example, and the allowed units and a
    unit of the kind as messages say them.

    `name` and `unit_word` (``"an activity unit"``) are words marked with ``N_``; `allowed` is
    a template marked with ``N_`` that names the allowed units (its fields: ``units``, the
    kind's units; ``doses`` and ``per_time``, the units of a dose rate's two parts). `bare`
    kinds (fractions, ratios) also accept a number without a unit. Kinds compare and hash by
    identity (each is a module constant).
    """

    name: str
    units: Mapping[str, float]
    example: str
    allowed: str = N_("allowed units: {units}")
    unit_word: str = field(kw_only=True)
    bare: bool = field(default=False, kw_only=True)

    def error(self, wrong: str, write: str = "", /, **values: object) -> UnitError:
        """One line: what is wrong, what to write, and the allowed units.

        ``wrong`` and ``write`` are templates (marked with ``N_``) filled with ``values``, the
        kind's name (``kind``) and example (``example``); each part is translated on pages.
        """
        filled = {"kind": Word(self.name), "example": self.example, **values}
        units = {
            "units": ", ".join(self.units),
            "doses": ", ".join(EFFECTIVE_DOSE_UNITS),
            "per_time": ", ".join(PER_TIME),
        }
        return UnitError(
            parts=(
                (wrong, filled),
                (write or N_("write e.g. {example}"), filled),
                (self.allowed, units),
            )
        )

    def a_unit(self) -> Word:
        """A unit of this kind as a message says it (``an activity unit``), to translate."""
        return Word(self.unit_word)


ACTIVITY = Kind(N_("activity"), ACTIVITY_UNITS, "740 MBq", unit_word=N_("an activity unit"))
_TIME_ALLOWED = N_("allowed units: {units}, or ISO 8601 like PT6H")
TIME = Kind(N_("time"), TIME_UNITS, "6 h", _TIME_ALLOWED, unit_word=N_("a time unit"))
MASS = Kind(N_("mass"), MASS_UNITS, "70 kg", unit_word=N_("a mass unit"))
LENGTH = Kind(N_("length"), LENGTH_UNITS, "30 cm", unit_word=N_("a length unit"))
VOLUME = Kind(N_("volume"), VOLUME_UNITS, "5 mL", unit_word=N_("a volume unit"))
ABSORBED = Kind(
    N_("absorbed dose"), ABSORBED_DOSE_UNITS, "2 Gy", unit_word=N_("an absorbed dose unit")
)
EFFECTIVE = Kind(
    N_("effective dose"), EFFECTIVE_DOSE_UNITS, "1 mSv", unit_word=N_("an effective dose unit")
)
_RATE_ALLOWED = N_("allowed units: {doses} per {per_time}, as in µSv/h")
DOSE_RATE = Kind(
    N_("dose rate"),
    DOSE_RATE_UNITS,
    "2.5 µSv/h",
    _RATE_ALLOWED,
    unit_word=N_("a dose rate unit"),
)
_ABSORBED_RATE = Kind(
    N_("absorbed dose rate"),
    ABSORBED_DOSE_RATE_UNITS,
    "2.5 µGy/h",
    unit_word=N_("an absorbed dose rate unit"),
)
FRACTION = Kind(
    N_("fraction"),
    FRACTION_UNITS,
    "0.9 or 90 %",
    N_("allowed units: none (0 to 1), %"),
    unit_word=N_("a fraction unit"),
    bare=True,
)
_RATIO_ALLOWED = N_(
    "allowed units: any activity unit over another (kBq/MBq, µCi/mCi), %, or a plain number"
)
RATIO = Kind(
    N_("ratio"),
    RATIO_UNITS,
    "0.15 kBq/MBq",
    _RATIO_ALLOWED,
    unit_word=N_("a ratio unit"),
    bare=True,
)
_KINDS = (ACTIVITY, TIME, MASS, LENGTH, VOLUME, ABSORBED, EFFECTIVE, DOSE_RATE, _ABSORBED_RATE)


def shown(text: str) -> str:
    """The user's text on one line, shortened, for quoting in a message."""
    line = " ".join(text.split())
    return line if len(line) <= _MAX_QUOTED else line[: _MAX_QUOTED - 3] + "..."


def _spellings(symbol: str) -> Iterator[str]:
    """The symbol as typed, then with µ for u/μ, without a final dot, and with look-alikes."""
    base = re.sub(r"\s*/\s*", "/", symbol).replace("\u03bc", "µ")
    for text in (base, base.removesuffix(".")):
        for spelling in (text, re.sub(r"(?:^|(?<=/))u", "µ", text)):
            yield from (spelling, spelling.translate(_TO_CYRILLIC), spelling.translate(_TO_LATIN))


def _find(symbol: str, units: Mapping[str, float]) -> str | None:
    return next((s for s in _spellings(symbol) if s in units), None)


def unit_symbol(symbol: str, kind: Kind) -> str:
    """The key of `kind`'s table that `symbol` spells; else UnitError saying what it is."""
    found = _find(symbol, kind.units)
    if found is not None:
        return found
    for other in (*_KINDS, RATIO):
        found = _find(symbol, other.units) if other is not kind else None
        if kind is TIME and found in ("m", "м"):
            raise kind.error(
                N_("{symbol} is the metre, not a time unit"),
                N_("write min for minutes, e.g. 6 min"),
                symbol=shown(symbol),
            )
        if found is not None:
            raise kind.error(
                N_("{symbol} is {other_unit}, not {this_unit}"),
                symbol=shown(symbol),
                other_unit=other.a_unit(),
                this_unit=kind.a_unit(),
            )
    by_factor: dict[float, str] = {}  # units that differ only in letter case, one per value
    for unit in (u for u in kind.units if u.casefold() == symbol.casefold()):
        by_factor.setdefault(kind.units[unit], unit)
    same_case = sorted(by_factor.values(), key=lambda u: -sum(map(str.__eq__, u, symbol)))
    close = same_case or difflib.get_close_matches(symbol, list(kind.units), n=3, cutoff=0.6)
    if close:
        raise kind.error(
            N_("unknown {kind} unit '{symbol}' (did you mean {choices}?)"),
            symbol=shown(symbol),
            choices=" or ".join(close),
        )
    raise kind.error(N_("unknown {kind} unit '{symbol}'"), symbol=shown(symbol))


def _decimal(number: str, kind: Kind) -> str:
    """`number` with a decimal point; refuses thousands separators and unreadable numbers."""
    if "," in number:
        if "." in number or number.count(",") > 1:
            raise kind.error(
                N_("'{number}' mixes decimal and thousands separators"),
                N_("write one decimal point or comma and no thousands separators, e.g. {example}"),
                number=number,
            )
        if _THOUSANDS_LOOKALIKE.fullmatch(number):
            raise kind.error(
                N_("'{number}' is ambiguous (decimal comma or thousands separator)"),
                N_("write {point} or {plain}"),
                number=number,
                point=number.replace(",", "."),
                plain=number.replace(",", ""),
            )
        number = number.replace(",", ".")
    try:
        float(number)
    except ValueError:
        raise kind.error(N_("cannot read the number '{number}'"), number=number) from None
    return number


def _scaled(number: str, factor: float) -> float:
    """`number` times `factor`, correctly rounded if `factor` is a power of ten (5 mL: 5e-06)."""
    exponent = round(math.log10(factor))
    if float(f"1e{exponent}") != factor or not math.isfinite(float(number)):
        return float(number) * factor
    mantissa, _, power = number.lower().partition("e")
    return float(f"{mantissa}e{int(power or 0) + exponent}")


def read(text: str, kind: Kind) -> float:
    """Read ``<number> <unit>`` of `kind` and return the value in SI units (may be negative)."""
    match = _QUANTITY.fullmatch(text.strip().replace("\u2212", "-"))
    if not text.strip():
        write = (
            N_("write a number, e.g. {example}")
            if kind.bare
            else N_("write a number and a unit, e.g. {example}")
        )
        raise kind.error(N_("no {kind} given"), write)
    if match is None:
        raise kind.error(N_("'{text}' does not start with a number"), text=shown(text))
    number, symbol = _decimal(match["number"], kind), match["unit"].strip()
    if symbol[:1].isdigit():
        raise kind.error(N_("'{text}' has a space inside the number"), text=shown(text))
    if not symbol and not kind.bare:
        typed = match["number"]
        raise kind.error(
            N_("{number} has no unit"),
            N_("write e.g. {number} {unit}"),
            number=typed,
            unit=kind.example.split()[1],
        )
    value = _scaled(number, kind.units[unit_symbol(symbol, kind)] if symbol else 1.0)
    if not math.isfinite(value):
        raise kind.error(N_("{kind} '{text}' is not a finite number"), text=shown(text))
    return value


def read_non_negative(text: str, kind: Kind) -> float:
    """Like :func:`read`, and refuse a negative value."""
    value = read(text, kind)
    if value < 0:
        raise kind.error(
            N_("{kind} '{text}' is negative"),
            N_("write 0 or more, e.g. {example}"),
            text=shown(text),
        )
    return value


def read_within(text: str, kind: Kind, plausible: Range) -> float:
    """Like :func:`read_non_negative`, and refuse a value outside its plausible range
    (:mod:`nucmed.bounds`), quoting what was typed."""
    return plausible.check(read_non_negative(text, kind), shown(text), error=UnitError)
