"""Helpers shared by the tests of nucmed.units."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nucmed.units import UnitError


def error_message(parser: Callable[[str], object], text: str) -> str:
    """The message of the UnitError that `parser` raises on `text`; checks it is one line."""
    with pytest.raises(UnitError) as caught:
        parser(text)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message
