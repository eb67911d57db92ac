"""Tests for reading durations and date-times in nucmed.units: parse_duration, parse_datetime.

Expected values here are **analytic**: they follow from the definitions of the units
(1 min = 60 s, 1 h = 3600 s, 1 d = 86 400 s) and from the UTC offsets written in the text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from nucmed.units import SECONDS_PER_HOUR, parse_datetime, parse_duration, parse_length
from tests.units.conftest import error_message

UTC = datetime.UTC
ALMATY = ZoneInfo("Asia/Almaty")
H = SECONDS_PER_HOUR
Parser = Callable[[str], float]

ACCEPTED = [
    pytest.param(parse_duration, "6 s", 6.0, id="s"),
    pytest.param(parse_duration, "6 sec", 6.0, id="sec"),
    pytest.param(parse_duration, "90 min", 5400.0, id="min"),
    pytest.param(parse_duration, "6 h", 6 * H, id="h"),
    pytest.param(parse_duration, "6.01 hr", 6.01 * H, id="hr"),
    pytest.param(parse_duration, "8 d", 8 * 86400.0, id="d"),
    pytest.param(parse_duration, "1 day", 86400.0, id="day"),
    pytest.param(parse_duration, "2 days", 172800.0, id="days"),
    pytest.param(parse_duration, "30 с", 30.0, id="с"),
    pytest.param(parse_duration, "30 сек", 30.0, id="сек"),
    pytest.param(parse_duration, "30 c", 30.0, id="latin-c-read-as-с"),
    pytest.param(parse_duration, "90 мин", 5400.0, id="мин"),
    pytest.param(parse_duration, "6 ч", 6 * H, id="ч"),
    pytest.param(parse_duration, "6 ч.", 6 * H, id="ч-with-dot"),
    pytest.param(parse_duration, "6 час", 6 * H, id="час"),
    pytest.param(parse_duration, "6 сағ", 6 * H, id="сағ-kazakh"),
    pytest.param(parse_duration, "6 саат", 6 * H, id="саат-kyrgyz"),
    pytest.param(parse_duration, "2 сут", 172800.0, id="сут"),
    pytest.param(parse_duration, "2 д", 172800.0, id="д"),
    pytest.param(parse_duration, "2 дн", 172800.0, id="дн"),
    pytest.param(parse_duration, "2 тәулік", 172800.0, id="тәулік-kazakh"),
]


@pytest.mark.parametrize(("parser", "text", "expected"), ACCEPTED)
def test_analytic_accepted_spellings(parser: Parser, text: str, expected: float) -> None:
    assert parser(text) == pytest.approx(expected, rel=1e-15, abs=0.0)


ERRORS = [
    pytest.param(parse_duration, "6", ["6 has no unit", "write e.g. 6 h"], id="duration-no-unit"),
    pytest.param(
        parse_duration, "-6 h", ["duration '-6 h' is negative", "0 or more"], id="duration-neg"
    ),
    pytest.param(parse_duration, "-PT6H", ["is negative"], id="iso-negative"),
    pytest.param(parse_duration, "6 MBq", ["MBq is an activity unit, not a time unit"], id="bq"),
    pytest.param(parse_duration, "6 mins", ["did you mean min?"], id="mins"),
]


@pytest.mark.parametrize(("parser", "text", "fragments"), ERRORS)
def test_errors_say_what_is_wrong_and_what_is_allowed(
    parser: Parser, text: str, fragments: list[str]
) -> None:
    message = error_message(parser, text)
    for fragment in fragments:
        assert fragment in message
    assert "write" in message


class TestMetreIsNotMinute:
    @pytest.mark.parametrize(
        "text", [pytest.param("6 m", id="latin"), pytest.param("6 м", id="cyrillic")]
    )
    def test_m_as_duration_is_refused(self, text: str) -> None:
        message = error_message(parse_duration, text)
        assert "is the metre" in message
        assert "write min for minutes" in message
        assert "allowed units: s, sec, min" in message

    def test_min_is_minutes_and_m_is_metre(self) -> None:
        assert parse_duration("6 min") == 360.0
        assert parse_length("6 m") == 6.0


class TestIsoDurations:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [
            pytest.param("PT6H", 6 * H, id="PT6H"),
            pytest.param("PT90M", 5400.0, id="PT90M"),
            pytest.param("PT1M", 60.0, id="PT1M-is-a-minute"),
            pytest.param("P1DT2H30M", 86400 + 2 * H + 1800, id="P1DT2H30M"),
            pytest.param("PT0.5H", 1800.0, id="PT0.5H"),
            pytest.param("PT0,5H", 1800.0, id="PT0,5H-decimal-comma"),
            pytest.param("P2D", 172800.0, id="P2D"),
            pytest.param("P1W", 604800.0, id="P1W"),
            pytest.param("PT30S", 30.0, id="PT30S"),
            pytest.param("pt6h", 6 * H, id="lower-case"),
            pytest.param(" PT6H ", 6 * H, id="padded"),
            pytest.param("PT0S", 0.0, id="zero"),
        ],
    )
    def test_analytic_iso_duration(self, text: str, seconds: float) -> None:
        assert parse_duration(text) == seconds

    @pytest.mark.parametrize(
        "text", [pytest.param("-PT6H", id="minus"), pytest.param("\u2212PT6H", id="minus-sign")]
    )
    def test_negative_iso_duration_when_allowed(self, text: str) -> None:
        assert parse_duration(text, allow_negative=True) == -6 * H

    def test_negative_plain_duration_when_allowed(self) -> None:
        assert parse_duration("-6 h", allow_negative=True) == -6 * H

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("P1Y", id="year"),
            pytest.param("P1M", id="month"),
            pytest.param("P1Y2M3D", id="mixed"),
        ],
    )
    def test_years_and_months_are_refused(self, text: str) -> None:
        message = error_message(parse_duration, text)
        assert "years and months vary in length" in message
        assert "P30D" in message

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("P", id="P"),
            pytest.param("PT", id="PT"),
            pytest.param("P1DT", id="trailing-T"),
            pytest.param("P6H", id="hours-without-T"),
            pytest.param("PT6", id="no-designator"),
            pytest.param("P" + "9" * 400 + "D", id="too-long"),
        ],
    )
    def test_malformed_iso_is_refused(self, text: str) -> None:
        message = error_message(parse_duration, text)
        assert "ISO 8601" in message
        assert "PT6H" in message


class TestDatetimes:
    @pytest.mark.parametrize(
        ("text", "utc"),
        [
            pytest.param(
                "2026-11-22T08:00+05:00",
                datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
                id="almaty-offset",
            ),
            pytest.param(
                "2026-11-22T09:00+06:00",
                datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
                id="bishkek-offset",
            ),
            pytest.param(
                "2026-11-22T03:00Z", datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC), id="Z"
            ),
            pytest.param(
                "2026-11-22t03:00z",
                datetime.datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
                id="lower-case-t-z",
            ),
            pytest.param(
                "2026-11-22 08:00:00+06:00",
                datetime.datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
                id="space-seconds",
            ),
            pytest.param(
                "2026-11-22T00:30+05:00",
                datetime.datetime(2026, 11, 21, 19, 30, tzinfo=UTC),
                id="previous-day",
            ),
        ],
    )
    def test_analytic_offsets_convert_to_utc(self, text: str, utc: datetime.datetime) -> None:
        moment = parse_datetime(text)
        assert moment == utc
        assert moment.tzinfo is UTC

    def test_naive_is_refused_with_how_to_write_it(self) -> None:
        message = error_message(parse_datetime, "2026-11-22 08:00")
        assert "has no UTC offset" in message
        assert "2026-11-22T08:00+05:00" in message

    def test_naive_with_default_zone_almaty(self) -> None:
        moment = parse_datetime("2026-11-22 08:00", default_tz=ALMATY)
        assert moment == datetime.datetime(2026, 11, 22, 8, 0, tzinfo=ALMATY)
        assert moment.tzinfo is UTC

    @pytest.mark.parametrize(
        "text", ["22.11.2026 08:00", "22.11.2026T08:00", "2026-11-22 08:00", "2.12.2026 08:00"]
    )
    def test_a_site_time_as_its_fields_show_it(self, text: str) -> None:
        """Pages write moments day first (22.11.2026 08:00) and fields show year first: both
        are read, in the site's time zone."""
        moment = parse_datetime(text, default_tz=ALMATY)
        day = 2 if text.startswith("2.12") else 22
        month = 12 if text.startswith("2.12") else 11
        assert moment == datetime.datetime(2026, month, day, 8, 0, tzinfo=ALMATY)

    @pytest.mark.parametrize("text", ["yesterday", "22.11.2026", "31.02.2026 08:00"])
    def test_a_bad_site_time_is_refused_with_the_fields_format(self, text: str) -> None:
        """A site's form asks for its own format, not ISO 8601 with an offset."""
        message = error_message(lambda typed: parse_datetime(typed, default_tz=ALMATY), text)
        assert "ISO 8601" not in message and "+05:00" not in message
        assert "e.g. 2026-12-02 09:15 or 02.12.2026 09:15" in message

    def test_offset_in_text_wins_over_default_zone(self) -> None:
        moment = parse_datetime("2026-11-22T08:00+06:00", default_tz=ALMATY)
        assert moment == datetime.datetime(2026, 11, 22, 2, 0, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            pytest.param("", "is not an ISO 8601 date-time", id="empty"),
            pytest.param("22.11.2026 08:00", "has no UTC offset", id="day-first-no-offset"),
            pytest.param("22.11.2026 8 h", "is not an ISO 8601 date-time", id="day-first-bad"),
            pytest.param("tomorrow", "is not an ISO 8601 date-time", id="words"),
            pytest.param("2026-11-22", "has no time of day", id="date-only"),
            pytest.param("2026-13-22T08:00+05:00", "is not an ISO 8601", id="month-13"),
            pytest.param("9999-12-31T23:00-05:00", "out of range", id="overflow"),
            pytest.param("9999-12-31T23:00Z", "from 1900-01-01 to 2100-12-31", id="year-9999"),
            pytest.param("0001-01-01T00:00Z", "from 1900-01-01 to 2100-12-31", id="year-1"),
            pytest.param("1899-12-31T23:59Z", "from 1900-01-01 to 2100-12-31", id="1899"),
        ],
    )
    def test_bad_datetimes_are_refused(self, text: str, fragment: str) -> None:
        message = error_message(parse_datetime, text)
        assert fragment in message
        assert "write e.g. 2026-11-22T08:00+05:00" in message
