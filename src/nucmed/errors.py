"""Errors that nucmed reports to people.

Every error raised on bad input derives from :class:`NucmedInputError`, so that the command
line and the web application can turn it into one clear line (exit status 2 on the command
line, HTTP 422 on the API) instead of a traceback. Messages say what is wrong and what is
allowed.

An error may also carry its message as translatable parts (``parts``): each a template marked
with :func:`N_` and its values. ``str(error)`` is the English line; the web interface shows
the same line in the reader's language. Values that are themselves words to translate (the
name of a kind of quantity) are given as :class:`Word`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "N_",
    "Message",
    "MessagePart",
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


class UnknownNuclideError(NucmedInputError):
    """A nuclide name that is not in the nuclear data set."""
