"""Tests of nucmed.bounds: each range holds its limits and refuses beyond them, saying the range.

Kinds of expected value: **analytic** (the limits declared in the module's docstrings).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed import bounds
from nucmed.errors import NucmedInputError

RANGES = [
    pytest.param(bounds.ACTIVITY, 1e15, "the activity must be above 0 and at most 1 PBq", id="A"),
    pytest.param(bounds.VOLUME, 1e-2, "the volume must be above 0 and at most 10 L", id="V"),
    pytest.param(bounds.DOSE_RATE, 10 / 3600, "the dose rate must be from 0 to 10 Sv/h", id="H"),
    pytest.param(bounds.MASS, 1e3, "the mass must be from 0 to 1000 kg", id="m"),
    pytest.param(bounds.DURATION, 1e10, "the duration must be from 0 to 1e10 s", id="t"),
    pytest.param(bounds.YIELD, 2.0, "the yield must be from 0 to 2 (200 %)", id="yield"),
    pytest.param(bounds.FRACTION, 1.0, "the fraction must be from 0 to 1 (100 %)", id="RCP"),
    pytest.param(bounds.TOLERANCE, 1.0, "the tolerance must be above 0 and at most 1", id="tol"),
]  # fmt: skip


@pytest.mark.parametrize(("plausible", "high", "message"), RANGES)
class TestRangesAnalytic:
    def test_the_upper_limit_is_allowed(
        self, plausible: bounds.Range, high: float, message: str
    ) -> None:
        assert plausible.check(high) == high

    @pytest.mark.parametrize("beyond", [math.nextafter, None], ids=["next-float", "1e308"])
    def test_beyond_is_refused_with_the_range(
        self, plausible: bounds.Range, high: float, message: str, beyond: object
    ) -> None:
        value = math.nextafter(high, math.inf) if beyond else 1e308
        with pytest.raises(
            NucmedInputError, match=message.replace("(", r"\(").replace(")", r"\)")
        ):
            plausible.check(value)

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1.0])
    def test_not_finite_or_negative_is_refused(
        self, plausible: bounds.Range, high: float, message: str, value: float
    ) -> None:
        assert not plausible.holds(value)


def test_zero_is_refused_only_where_the_range_is_open() -> None:
    assert not bounds.ACTIVITY.holds(0.0)
    assert bounds.ACTIVITY.or_zero().holds(0.0)
    assert bounds.DOSE_RATE.holds(0.0)


def test_the_refusal_quotes_what_was_typed() -> None:
    with pytest.raises(NucmedInputError, match=r"got 1e300 TBq$"):
        bounds.ACTIVITY.check(math.inf, "1e300 TBq")


class TestIds:
    @pytest.mark.parametrize("value", [1, bounds.ID_MAX, "0001"])
    def test_within(self, value: int | str) -> None:
        assert 1 <= bounds.check_id("material", value) <= bounds.ID_MAX

    @pytest.mark.parametrize(
        "value",
        [0, -1, bounds.ID_MAX + 1, 2**63, "9" * 10_000, "0"],
        ids=["0", "-1", "max+1", "2^63", "10000-digits", "text-0"],
    )
    def test_beyond(self, value: int | str) -> None:
        with pytest.raises(NucmedInputError, match="the material id must be from 1 to"):
            bounds.check_id("material", value)

    def test_an_int_too_long_to_write(self) -> None:
        with pytest.raises(NucmedInputError, match="16610 bits"):
            bounds.check_id("material", 10**5000)

    @given(st.integers())
    def test_any_int_is_an_id_or_refused(self, value: int) -> None:
        try:
            assert bounds.check_id("record", value) == value
        except NucmedInputError as error:
            assert "\n" not in str(error)
            assert not 1 <= value <= bounds.ID_MAX


class TestDates:
    @pytest.mark.parametrize("year", [1900, 2026, 2100])
    def test_years_within(self, year: int) -> None:
        assert bounds.check_year(year) == year

    @pytest.mark.parametrize("year", [1, 0, -5, 1899, 2101, 9999, 99999])
    def test_years_beyond(self, year: int) -> None:
        with pytest.raises(NucmedInputError, match="the year must be from 1900 to 2100"):
            bounds.check_year(year)

    def test_dates(self) -> None:
        assert bounds.check_date("birth date", date(1900, 1, 1)) == date(1900, 1, 1)
        with pytest.raises(NucmedInputError, match="from 1900-01-01 to 2100-12-31; got 0001"):
            bounds.check_date("birth date", date(1, 1, 1))

    @pytest.mark.parametrize(
        "moment",
        [
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
            datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
            datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
            datetime(2101, 1, 1, tzinfo=UTC),
        ],
        ids=["year-1", "year-9999", "1899", "2101"],
    )
    def test_moments_beyond(self, moment: datetime) -> None:
        with pytest.raises(NucmedInputError, match="from 1900-01-01 to 2100-12-31"):
            bounds.check_moment("measured at", moment)

    def test_naive_moment(self) -> None:
        with pytest.raises(NucmedInputError, match="no time zone"):
            bounds.check_moment("measured at", datetime(2026, 1, 1))


class TestText:
    def test_fits(self) -> None:
        assert bounds.check_text("name", "Ахметова Айгуль", 200) == "Ахметова Айгуль"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param("A" * 201, "at most 200 characters; got 201", id="long"),
            pytest.param("a\x00b", "NUL", id="nul"),
            pytest.param("a\ud800b", "no encoding can store", id="surrogate"),
        ],
    )
    def test_refused(self, text: str, message: str) -> None:
        with pytest.raises(NucmedInputError, match=message):
            bounds.check_text("name", text, 200)
