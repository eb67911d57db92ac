"""Errors that nucmed reports to people.

Every error raised on bad input derives from :class:`NucmedInputError`, so that the command
line and the web application can turn it into one clear line (exit status 2 on the command
line, HTTP 422 on the API) instead of a traceback. Messages say what is wrong and what is
allowed.

An error may also carry its message as translatable parts (``parts``): each a template marked
with :func:`N_` and its values. ``str(error)`` is the English line; the web interface shows
the same line in the reader's language. Values that are themselves words to translate (the
name of a kind of quantity) are given as :class:`Word`; moments as :class:`Moment` (shown in the
site's time zone where the reader has one, else in UTC, never as ISO 8601) and quantities as
:class:`Amount` (SI value and unit, shown to 3 significant figures in the reader's units and
script).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "N_",
    "Amount",
    "Message",
    "MessagePart",
    "Moment",
    "NucmedInputError",
    "UnknownNuclideError",
    "Word",
    "english",
    "refusal",
]

MessagePart = tuple[str, Mapping[str, object]]
"""A template (``"{value} has no unit"``) and the values of its fields."""


def N_(message: str) -> str:
    """Mark a message template for extraction; it is translated where it is shown."""
    return message


class Word(str):
    """A word inside a message that is itself translated (e.g. ``Word("activity")``)."""

    __slots__ = ()


class Moment(str):
    """A moment inside a message: day.month.year hours:minutes, in UTC until a reader's site
    time zone is known (:meth:`local`).

    Examples
    --------
    >>> moment = Moment(datetime(2026, 12, 1, 18, 18, tzinfo=UTC))
    >>> str(moment), moment.local("Asia/Almaty")
    ('01.12.2026 18:18 UTC', '01.12.2026 23:18')
    """

    at: datetime

    def __new__(cls, at: datetime) -> Moment:
        made = super().__new__(cls, f"{at.astimezone(UTC):%d.%m.%Y %H:%M} UTC")
        made.at = at
        return made

    def __getnewargs__(self) -> tuple[datetime]:  # type: ignore[override]
        """What a copy or a pickle makes the moment from (its ``at``)."""
        return (self.at,)

    def local(self, time_zone: str) -> str:
        """The moment as the site's clock reads it (``time_zone``: IANA name)."""
        return f"{self.at.astimezone(ZoneInfo(time_zone)):%d.%m.%Y %H:%M}"


_AMOUNT_UNITS = {"Bq": (1e6, "MBq"), "m3": (1e-6, "mL"), "s": (3600.0, "h"), "kg": (1e-3, "g")}
"""SI unit -> (factor, unit shown in English): how :class:`Amount` writes itself."""


class Amount(str):
    """A quantity inside a message: its SI value and unit (``Bq``, ``m3``, ``s``, ``kg``),
    written in English with 3 significant figures; pages show it in the reader's units.

    Examples
    --------
    >>> str(Amount(4688.94e6, "Bq")), str(Amount(4.30292e-6, "m3"))
    ('4690 MBq', '4.3 mL')
    """

    value: float
    unit: str

    def __new__(cls, value: float, unit: str) -> Amount:
        factor, shown = _AMOUNT_UNITS[unit]
        made = super().__new__(cls, f"{float(f'{value / factor:.3g}'):.10g} {shown}")
        made.value, made.unit = value, unit
        return made

    def __getnewargs__(self) -> tuple[float, str]:  # type: ignore[override]
        """What a copy or a pickle makes the amount from (its SI value and unit)."""
        return (self.value, self.unit)


def english(parts: Sequence[MessagePart]) -> str:
    """The English line of a message given as parts (joined with "; ")."""
    return "; ".join(template.format(**values) for template, values in parts)


class NucmedInputError(ValueError):
    """Input that nucmed cannot accept; the message says what is wrong and what is allowed.

    Parameters
    ----------
    message
        The English message; when omitted, it is made from ``parts``.
    parts
        The message as translatable templates with their values (see the module docstring).
    """

    def __init__(self, message: str = "", *, parts: Sequence[MessagePart] = ()) -> None:
        self.parts: tuple[MessagePart, ...] = tuple(parts)
        super().__init__(message or english(self.parts))


def refusal(template: str, **values: object) -> NucmedInputError:
    """An input error made of one template marked with :func:`N_` and its values.

    Examples
    --------
    >>> str(refusal(N_("plan 1 to {most} cycles"), most=12))
    'plan 1 to 12 cycles'
    """
    return NucmedInputError(parts=((template, values),))


class Message(str):
    """An error's English line that keeps its translatable parts (for pages to translate).

    It is a ``str``, so it goes wherever a message goes; a page's ``_`` sees the parts.
    """

    parts: tuple[MessagePart, ...]

    @classmethod
    def of(cls, error: NucmedInputError) -> Message:
        """The message of an error, with its parts."""
        message = cls(str(error))
        message.parts = error.parts
        return message

    @classmethod
    def of_parts(cls, *parts: MessagePart) -> Message:
        """A message that is not an error's (a note, a warning) made of ``parts``.

        Examples
        --------
        >>> note = Message.of_parts((N_("{count} points"), {"count": 3}))
        >>> str(note), note.parts[0][0]
        ('3 points', '{count} points')
        """
        message = cls(english(parts))
        message.parts = tuple(parts)
        return message


class UnknownNuclideError(NucmedInputError):
    """A nuclide name that is not in the nuclear data set."""
