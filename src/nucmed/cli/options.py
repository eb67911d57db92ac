"""Reading the commands' options: each value parsed by the units layer, an error naming its
option."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

from nucmed.errors import N_, NucmedInputError, Word, refusal

__all__ = ["OptionError", "plain_number", "read_option"]

T = TypeVar("T")


class OptionError(NucmedInputError):
    """A bad value of one option: the option's name, then the parser's message (whose
    translatable parts it keeps)."""

    def __init__(self, option: str, error: NucmedInputError) -> None:
        super().__init__(f"{option}: {error}", parts=error.parts)
        self.option = option


def read_option(option: str, parse: Callable[[str], T], text: str) -> T:
    """Parse one option's text; a bad value names the option in its message."""
    try:
        return parse(text)
    except NucmedInputError as error:
        raise OptionError(option, error) from None


def plain_number(text: str, what: str = N_("a number"), example: str = "3 / 2.5") -> float:
    """A plain finite number (decimal point or comma), e.g. a ratio or an age in years.

    ``what`` is a phrase marked with ``N_`` (shown in the reader's language); ``example`` is
    what to type, the same in every language.
    """
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise refusal(
            N_("'{text}' is not {what}; write e.g. {example}"),
            text=text[:40],
            what=Word(what),
            example=example,
        ) from None
    if not math.isfinite(value):
        raise refusal(N_("'{text}' is not a finite number"), text=text[:40])
    return value
