"""Tests for writing quantities in nucmed.units: format_* and scale_activity.

Expected values here are **analytic**: they follow from the definitions of the units
(1 Ci = 3.7e10 Bq exactly; 1 h = 3600 s; SI prefixes are powers of ten) and from rounding to
significant digits. The round-trip tests are hypothesis properties.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.units import (
    ACTIVITY_UNITS,
    SECONDS_PER_HOUR,
    UnitError,
    format_activity,
    format_datetime,
    format_dose_rate,
    format_duration,
    format_length,
    parse_activity,
    parse_datetime,
    parse_dose_rate,
    parse_duration,
    parse_length,
    scale_activity,
)

UTC = datetime.UTC
ALMATY = ZoneInfo("Asia/Almaty")
H = SECONDS_PER_HOUR


FORMATTED = [
    pytest.param(format_activity, 7.4e8, None, 4, "740 MBq", id="740 MBq"),
    pytest.param(format_activity, 7.4e8, "mCi", 4, "20 mCi", id="forced-mCi"),
    pytest.param(format_activity, 7.4e8, "MBq", 4, "740 MBq", id="forced-MBq"),
    pytest.param(format_activity, 1.85e7, "uCi", 4, "500 µCi", id="forced-uCi-written-µ"),
    pytest.param(format_activity, 7.4e8, "МБк", 4, "740 МБк", id="forced-cyrillic"),
    pytest.param(format_activity, 3.7e10, "Bq", 4, "3.7e10 Bq", id="forced-large-exponent"),
    pytest.param(format_activity, 1.234567e10, None, 4, "12.35 GBq", id="digits-4"),
    pytest.param(format_activity, 1.234567e10, None, 2, "12 GBq", id="digits-2"),
    pytest.param(format_activity, 999.96e6, None, 4, "1 GBq", id="rounds-up-to-next-unit"),
    pytest.param(format_activity, 999.94e6, None, 4, "999.9 MBq", id="stays-below-1000"),
    pytest.param(format_activity, 1e3, None, 4, "1 kBq", id="1 kBq"),
    pytest.param(format_activity, 0.5, None, 4, "0.5 Bq", id="below-1-Bq"),
    pytest.param(format_activity, 0.0, None, 4, "0 Bq", id="zero"),
    pytest.param(format_activity, 5e15, None, 4, "5000 TBq", id="above-TBq"),
    pytest.param(format_duration, 6.015 * H, None, 4, "6.015 h", id="6.015 h"),
    pytest.param(format_duration, 5400.0, None, 4, "90 min", id="90 min"),
    pytest.param(format_duration, 30.0, None, 4, "30 s", id="30 s"),
    pytest.param(format_duration, 59.9999, None, 4, "1 min", id="rounds-to-1-min"),
    pytest.param(format_duration, 65.94 * H, None, 4, "65.94 h", id="mo99-in-hours"),
    pytest.param(format_duration, 8.02 * 86400, None, 4, "8.02 d", id="i131-in-days"),
    pytest.param(format_duration, -6 * H, None, 4, "-6 h", id="negative"),
    pytest.param(format_duration, 0.0, None, 4, "0 s", id="zero-duration"),
    pytest.param(format_duration, math.inf, None, 4, "inf s", id="stable-nuclide"),
    pytest.param(format_length, 0.005, None, 4, "5 mm", id="mm"),
    pytest.param(format_length, 0.3, None, 4, "30 cm", id="cm"),
    pytest.param(format_length, 1.5, None, 4, "1.5 m", id="m"),
    pytest.param(format_length, 2500.0, None, 4, "2.5 km", id="km"),
    pytest.param(format_length, 0.0, None, 4, "0 m", id="zero-length"),
    pytest.param(format_length, 0.3, "mm", 4, "300 mm", id="forced-mm"),
    pytest.param(format_dose_rate, 2.5e-6 / H, None, 4, "2.5 µSv/h", id="µSv/h"),
    pytest.param(format_dose_rate, 50e-9 / H, None, 4, "50 nSv/h", id="nSv/h"),
    pytest.param(format_dose_rate, 1.2e-3 / H, None, 4, "1.2 mSv/h", id="mSv/h"),
    pytest.param(format_dose_rate, 1e-6 / H, None, 4, "1 µSv/h", id="exactly-1-µSv/h"),
    pytest.param(format_dose_rate, 1e-6, "mSv/h", 4, "3.6 mSv/h", id="forced-mSv/h"),
    pytest.param(format_dose_rate, 1e-6, "uSv/s", 4, "1 µSv/s", id="forced-per-second"),
    pytest.param(format_dose_rate, 0.0, None, 4, "0 µSv/h", id="zero-rate"),
]


@pytest.mark.parametrize(("formatter", "value", "unit", "digits", "expected"), FORMATTED)
def test_analytic_formatting(
    formatter: Callable[..., str], value: float, unit: str | None, digits: int, expected: str
) -> None:
    text = (
        formatter(value, digits=digits) if unit is None else formatter(value, unit, digits=digits)
    )
    assert text == expected
    assert "\u202f" not in text and "\u03bc" not in text


@pytest.mark.parametrize(
    ("formatter", "unit", "fragment"),
    [
        pytest.param(
            format_activity, "h", "h is a time unit, not an activity unit", id="activity"
        ),
        pytest.param(format_length, "min", "min is a time unit, not a length unit", id="length"),
        pytest.param(format_dose_rate, "mSv", "not a dose rate unit", id="dose-rate"),
    ],
)
def test_format_with_wrong_unit(formatter: Callable[..., str], unit: str, fragment: str) -> None:
    with pytest.raises(UnitError, match=fragment):
        formatter(1.0, unit)


@pytest.mark.parametrize(
    ("activity_bq", "unit", "digits", "expected"),
    [
        pytest.param(7.4e8, None, 4, (740.0, "MBq"), id="740 MBq"),
        pytest.param(7.4e8, "mCi", 4, (20.0, "mCi"), id="forced-mCi"),
        pytest.param(1.85e7, "uCi", 4, (500.0, "µCi"), id="forced-uCi-written-µ"),
        pytest.param(7.405e8, "МБк", 4, (740.5, "МБк"), id="forced-cyrillic"),
        pytest.param(1.234567e10, None, 4, (12.35, "GBq"), id="digits-4"),
        pytest.param(1.234567e10, None, 2, (12.0, "GBq"), id="digits-2"),
        pytest.param(999.96e6, None, 4, (1.0, "GBq"), id="rounds-up-to-next-unit"),
        pytest.param(0.0, None, 4, (0.0, "Bq"), id="zero"),
        pytest.param(5e15, None, 4, (5000.0, "TBq"), id="above-TBq"),
    ],
)
def test_analytic_scale_activity(
    activity_bq: float, unit: str | None, digits: int, expected: tuple[float, str]
) -> None:
    assert scale_activity(activity_bq, unit, digits=digits) == expected


def test_scale_activity_with_wrong_unit() -> None:
    with pytest.raises(UnitError, match="h is a time unit, not an activity unit"):
        scale_activity(1.0, "h")


@given(
    st.floats(allow_nan=False),
    st.sampled_from([None, *ACTIVITY_UNITS, "uCi"]),
    st.integers(min_value=1, max_value=15),
)
def test_scale_activity_is_what_format_activity_shows(
    activity_bq: float, unit: str | None, digits: int
) -> None:
    number, symbol = scale_activity(activity_bq, unit, digits=digits)
    shown_number, shown_symbol = format_activity(activity_bq, unit, digits=digits).split(" ")
    assert (float(shown_number), shown_symbol) == (number, symbol)


def test_format_digits_below_one_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="digits"):
        format_activity(7.4e8, digits=0)


class TestFormatDatetime:
    def test_minutes_precision_in_utc(self) -> None:
        moment = datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
        assert format_datetime(moment) == "2026-11-22T03:00+00:00"

    def test_in_almaty_and_bishkek(self) -> None:
        moment = datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
        assert format_datetime(moment, ALMATY) == "2026-11-22T08:00+05:00"
        assert format_datetime(moment, ZoneInfo("Asia/Bishkek")) == "2026-11-22T09:00+06:00"

    def test_seconds_and_microseconds_only_when_nonzero(self) -> None:
        moment = datetime.datetime(2026, 11, 22, 3, 0, 7, tzinfo=UTC)
        assert format_datetime(moment) == "2026-11-22T03:00:07+00:00"
        moment = moment.replace(microsecond=500)
        assert format_datetime(moment) == "2026-11-22T03:00:07.000500+00:00"

    def test_naive_is_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            format_datetime(datetime.datetime(2026, 11, 22, 3, 0))


def _significant(digits: int) -> float:
    """Largest relative error of rounding to `digits` significant digits, with float slack."""
    return 0.5 * 10.0 ** (1 - digits) * (1 + 1e-9) + 4e-16


DIGITS = st.integers(min_value=1, max_value=15)


class TestRoundTripProperties:
    """Formatting then parsing gives the value back within the formatting precision."""

    # Within the plausible ranges of nucmed.bounds (parse_* refuse values beyond them), with
    # a margin below each upper limit for the rounding of the shortest formats.
    @given(st.floats(min_value=0.0, max_value=1e15), DIGITS)
    def test_activity(self, activity_bq: float, digits: int) -> None:
        back = parse_activity(format_activity(activity_bq, digits=digits))
        assert math.isclose(back, activity_bq, rel_tol=_significant(digits), abs_tol=1e-300)

    @given(st.floats(min_value=0.0, max_value=9e14), st.sampled_from(list(ACTIVITY_UNITS)), DIGITS)
    def test_activity_in_any_unit(self, activity_bq: float, unit: str, digits: int) -> None:
        back = parse_activity(format_activity(activity_bq, unit, digits=digits))
        assert math.isclose(back, activity_bq, rel_tol=_significant(digits), abs_tol=1e-300)

    @given(st.floats(min_value=-9e9, max_value=9e9), DIGITS)
    def test_duration(self, duration_s: float, digits: int) -> None:
        back = parse_duration(format_duration(duration_s, digits=digits), allow_negative=True)
        assert math.isclose(back, duration_s, rel_tol=_significant(digits), abs_tol=1e-300)

    @given(st.floats(min_value=0.0, max_value=900.0), DIGITS)
    def test_length(self, length_m: float, digits: int) -> None:
        back = parse_length(format_length(length_m, digits=digits))
        assert math.isclose(back, length_m, rel_tol=_significant(digits), abs_tol=1e-300)

    @given(st.floats(min_value=0.0, max_value=2.5e-3), DIGITS)
    def test_dose_rate(self, rate_sv_per_s: float, digits: int) -> None:
        back = parse_dose_rate(format_dose_rate(rate_sv_per_s, digits=digits))
        assert math.isclose(back, rate_sv_per_s, rel_tol=_significant(digits), abs_tol=1e-300)

    @given(st.floats(min_value=1e-300, max_value=1e20))
    def test_auto_activity_number_is_in_1_to_1000(self, activity_bq: float) -> None:
        number, unit = format_activity(activity_bq).split(" ")
        assert 1 <= float(number) < 1000 or (unit == "Bq" and float(number) < 1) or unit == "TBq"

    @given(
        st.datetimes(
            min_value=datetime.datetime(1900, 1, 2),
            max_value=datetime.datetime(2100, 12, 30),
            timezones=st.sampled_from([UTC, ALMATY, ZoneInfo("Asia/Bishkek")]),
            allow_imaginary=False,
        )
    )
    def test_datetime(self, moment: datetime.datetime) -> None:
        # Compared in UTC: PEP 495 makes a time in a DST fold unequal to any other zone's.
        assert parse_datetime(format_datetime(moment)) == moment.astimezone(UTC)
