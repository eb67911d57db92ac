"""A plain number inside a refusal is written as the reader writes numbers (issue #12): the
decimal comma in Russian and Kazakh, powers of ten for the absurdly large or small."""

from __future__ import annotations

import pytest

from nucmed.errors import N_, Message, refusal
from nucmed.web.i18n import localizer

TEMPLATE = N_("{name} is {value}; it must be a fraction from 0 to 1 (0.9 = 90 %)")


def _shown(language: str, value: float | int) -> str:
    message = Message.of(refusal(TEMPLATE, name="x", value=value))
    return localizer(language).message(message)


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("ru", 1.25, "1,25"),
        ("kk", 1.25, "1,25"),
        ("en", 1.25, "1.25"),
        ("ru", 21600.0, "21\xa0600"),
        ("ru", 1e308, "1E308"),
        ("ru", -1.5e-9, "-1,5E-9"),
        ("ru", 1.23456789, "1,235"),
    ],
)
def test_a_plain_number_in_a_refusal_is_written_as_the_reader_writes_numbers(
    language: str, value: float, expected: str
) -> None:
    assert f" {expected};" in _shown(language, value)


def test_whole_numbers_and_texts_are_left_as_given() -> None:
    assert " 12345;" in _shown("ru", 12345)  # an int: an id, a count
    message = Message.of(refusal(N_("no site {code}"), code="1.5"))
    assert localizer("ru").message(message) == "нет учреждения 1.5"
