"""Tests for reading quantities in nucmed.units: the parse_* functions and the unit tables.

Durations and date-times are tested in test_parse_time.

Expected values here are **analytic**: they follow from the definitions of the units
(1 Ci = 3.7e10 Bq and 1 rem = 0.01 Sv exactly; 1 h = 3600 s; 1 % = 0.01; SI prefixes are powers
of ten). The fuzz tests are hypothesis properties.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed import units
from nucmed.catalogue import in_language, translations
from nucmed.errors import Message, NucmedInputError
from nucmed.units import (
    ABSORBED_DOSE_UNITS,
    ACTIVITY_UNITS,
    BQ_PER_CI,
    BQ_PER_MBQ,
    BQ_PER_MCI,
    DOSE_RATE_UNITS,
    EFFECTIVE_DOSE_UNITS,
    LENGTH_UNITS,
    MASS_UNITS,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    SV_PER_REM,
    TIME_UNITS,
    VOLUME_UNITS,
    UnitError,
    parse_absorbed_dose,
    parse_activity,
    parse_datetime,
    parse_dose_rate,
    parse_duration,
    parse_effective_dose,
    parse_fraction,
    parse_length,
    parse_mass,
    parse_ratio,
    parse_volume,
)
from tests.units.conftest import error_message

UTC = datetime.UTC
ALMATY = ZoneInfo("Asia/Almaty")
H = SECONDS_PER_HOUR
Parser = Callable[[str], float]

TABLES: list[tuple[Parser, Mapping[str, float]]] = [
    (parse_activity, ACTIVITY_UNITS),
    (parse_duration, TIME_UNITS),
    (parse_mass, MASS_UNITS),
    (parse_length, LENGTH_UNITS),
    (parse_volume, VOLUME_UNITS),
    (parse_absorbed_dose, ABSORBED_DOSE_UNITS),
    (parse_effective_dose, EFFECTIVE_DOSE_UNITS),
    (parse_dose_rate, DOSE_RATE_UNITS),
]


class TestAnalyticDefinitions:
    """Conversion constants follow from the definitions of the units."""

    def test_curie_is_exactly_3_7e10_becquerel(self) -> None:
        assert BQ_PER_CI == 3.7e10
        assert parse_activity("1 Ci") == 3.7e10
        assert parse_activity("1 Ci") == parse_activity("37 GBq")

    def test_20_mci_is_exactly_740_mbq(self) -> None:
        assert parse_activity("20 mCi") == parse_activity("740 MBq") == 740 * BQ_PER_MBQ
        assert 20 * BQ_PER_MCI == 7.4e8

    def test_rem_is_exactly_a_hundredth_of_a_sievert(self) -> None:
        assert SV_PER_REM == 0.01
        assert parse_effective_dose("100 rem") == 1.0
        assert parse_effective_dose("1 mrem") == parse_effective_dose("10 µSv")

    def test_time_units(self) -> None:
        assert (SECONDS_PER_MINUTE, SECONDS_PER_HOUR, SECONDS_PER_DAY) == (60, 3600, 86400)

    def test_error_is_an_input_error(self) -> None:
        assert issubclass(UnitError, NucmedInputError)
        assert issubclass(UnitError, ValueError)

    def test_all_is_sorted_and_complete(self) -> None:
        assert units.__all__ == sorted(units.__all__, key=lambda n: (not n.isupper(), n))
        assert all(hasattr(units, name) for name in units.__all__)


@pytest.mark.parametrize(
    ("parser", "table"), [pytest.param(p, t, id=p.__name__) for p, t in TABLES]
)
def test_analytic_every_table_symbol_parses_to_its_factor(
    parser: Parser, table: Mapping[str, float]
) -> None:
    # A thousandth of the unit: 1 m³ or 1 Sv/s lie beyond the plausible ranges (nucmed.bounds).
    for symbol, factor in table.items():
        assert parser(f"1e-3 {symbol}") == pytest.approx(1e-3 * factor, rel=1e-15), symbol
        assert parser(f"2e-3{symbol}") == pytest.approx(2e-3 * factor, rel=1e-15), symbol


def test_unit_tables_are_disjoint() -> None:
    """A symbol means one kind of quantity only (``m`` is the metre and nothing else)."""
    seen: dict[str, str] = {}
    for parser, table in TABLES:
        for symbol in table:
            assert symbol not in seen, f"{symbol} in {seen.get(symbol)} and {parser.__name__}"
            seen[symbol] = parser.__name__
    assert seen["m"] == "parse_length"


def test_analytic_any_activity_unit_over_any_other_is_a_ratio() -> None:
    for part, part_bq in ACTIVITY_UNITS.items():
        for whole, whole_bq in ACTIVITY_UNITS.items():
            expected = part_bq / whole_bq
            assert parse_ratio(f"1 {part}/{whole}") == pytest.approx(expected, rel=1e-15)


ACCEPTED = [
    # activity
    pytest.param(parse_activity, "740MBq", 7.4e8, id="740MBq"),
    pytest.param(parse_activity, "740 MBq", 7.4e8, id="740 MBq"),
    pytest.param(parse_activity, "  740 MBq  ", 7.4e8, id="padded"),
    pytest.param(parse_activity, "740\u00a0MBq", 7.4e8, id="no-break-space"),
    pytest.param(parse_activity, "740\u202fMBq", 7.4e8, id="narrow-no-break-space"),
    pytest.param(parse_activity, "20 mCi", 7.4e8, id="20 mCi"),
    pytest.param(parse_activity, "1.5 GBq", 1.5e9, id="1.5 GBq"),
    pytest.param(parse_activity, "7.4e8 Bq", 7.4e8, id="7.4e8 Bq"),
    pytest.param(parse_activity, "7.4E+8 Bq", 7.4e8, id="7.4E+8 Bq"),
    pytest.param(parse_activity, "+740 MBq", 7.4e8, id="plus-sign"),
    pytest.param(parse_activity, ".5 GBq", 5e8, id="leading-point"),
    pytest.param(parse_activity, "500 uCi", 1.85e7, id="500 uCi"),
    pytest.param(parse_activity, "500 \u00b5Ci", 1.85e7, id="500 micro-sign Ci"),
    pytest.param(parse_activity, "500 \u03bcCi", 1.85e7, id="500 greek-mu Ci"),
    pytest.param(parse_activity, "740,5 MBq", 7.405e8, id="decimal-comma"),
    pytest.param(parse_activity, "0,125 MBq", 1.25e5, id="decimal-comma-leading-zero"),
    pytest.param(parse_activity, "1234,567 kBq", 1.234567e6, id="decimal-comma-4-digits"),
    pytest.param(parse_activity, "2 mBq", 2e-3, id="millibecquerel"),
    pytest.param(parse_activity, "2 MBq", 2e6, id="megabecquerel"),
    pytest.param(parse_activity, "3 kBq", 3e3, id="kBq"),
    pytest.param(parse_activity, "1 TBq", 1e12, id="TBq"),
    pytest.param(parse_activity, "37 nCi", 1369.0, id="nCi"),
    pytest.param(parse_activity, "0 MBq", 0.0, id="zero"),
    pytest.param(parse_activity, "740 МБк", 7.4e8, id="МБк"),
    pytest.param(parse_activity, "740 Бк", 740.0, id="Бк"),
    pytest.param(parse_activity, "2 кБк", 2e3, id="кБк"),
    pytest.param(parse_activity, "1,5 ГБк", 1.5e9, id="ГБк"),
    pytest.param(parse_activity, "1 ТБк", 1e12, id="ТБк"),
    pytest.param(parse_activity, "1 Ки", 3.7e10, id="Ки"),
    pytest.param(parse_activity, "20 мКи", 7.4e8, id="мКи"),
    pytest.param(parse_activity, "500 мкКи", 1.85e7, id="мкКи"),
    pytest.param(parse_activity, "740 \u041cBq", 7.4e8, id="cyrillic-M-latin-Bq"),
    pytest.param(parse_activity, "740 M\u0411\u043a", 7.4e8, id="latin-M-cyrillic-Бк"),
    # mass, length, volume
    pytest.param(parse_mass, "70 kg", 70.0, id="kg"),
    pytest.param(parse_mass, "250 g", 0.25, id="g"),
    pytest.param(parse_mass, "250 mg", 2.5e-4, id="mg"),
    pytest.param(parse_mass, "5 µg", 5e-9, id="µg"),
    pytest.param(parse_mass, "5 ug", 5e-9, id="ug"),
    pytest.param(parse_mass, "70 кг", 70.0, id="кг"),
    pytest.param(parse_mass, "250 г", 0.25, id="г"),
    pytest.param(parse_mass, "250 мг", 2.5e-4, id="мг"),
    pytest.param(parse_length, "2 m", 2.0, id="m"),
    pytest.param(parse_length, "30 cm", 0.3, id="cm"),
    pytest.param(parse_length, "5 mm", 5e-3, id="mm"),
    pytest.param(parse_length, "10 µm", 1e-5, id="µm"),
    pytest.param(parse_length, "3 km", 3e3, id="km"),
    pytest.param(parse_length, "2 м", 2.0, id="м"),
    pytest.param(parse_length, "30 см", 0.3, id="см"),
    pytest.param(parse_length, "5 мм", 5e-3, id="мм"),
    pytest.param(parse_volume, "1.5 L", 1.5e-3, id="L"),
    pytest.param(parse_volume, "1.5 l", 1.5e-3, id="l"),
    pytest.param(parse_volume, "5 mL", 5e-6, id="mL"),
    pytest.param(parse_volume, "5 ml", 5e-6, id="ml"),
    pytest.param(parse_volume, "50 µL", 5e-8, id="µL"),
    pytest.param(parse_volume, "0.002 m3", 2e-3, id="m3"),
    pytest.param(parse_volume, "0.002 m³", 2e-3, id="m³"),
    pytest.param(parse_volume, "5 cm3", 5e-6, id="cm3"),
    pytest.param(parse_volume, "5 cc", 5e-6, id="cc"),
    pytest.param(parse_volume, "5 мл", 5e-6, id="мл"),
    pytest.param(parse_volume, "1,5 л", 1.5e-3, id="л"),
    # doses and dose rates
    pytest.param(parse_absorbed_dose, "2 Gy", 2.0, id="Gy"),
    pytest.param(parse_absorbed_dose, "150 cGy", 1.5, id="cGy"),
    pytest.param(parse_absorbed_dose, "20 mGy", 0.02, id="mGy"),
    pytest.param(parse_absorbed_dose, "20 µGy", 2e-5, id="µGy"),
    pytest.param(parse_absorbed_dose, "2 Гр", 2.0, id="Гр"),
    pytest.param(parse_absorbed_dose, "20 мГр", 0.02, id="мГр"),
    pytest.param(parse_absorbed_dose, "20 мкГр", 2e-5, id="мкГр"),
    pytest.param(parse_effective_dose, "1 Sv", 1.0, id="Sv"),
    pytest.param(parse_effective_dose, "1 mSv", 1e-3, id="mSv"),
    pytest.param(parse_effective_dose, "1 µSv", 1e-6, id="µSv"),
    pytest.param(parse_effective_dose, "1 nSv", 1e-9, id="nSv"),
    pytest.param(parse_effective_dose, "5 rem", 0.05, id="rem"),
    pytest.param(parse_effective_dose, "100 mrem", 1e-3, id="mrem"),
    pytest.param(parse_effective_dose, "1 Зв", 1.0, id="Зв"),
    pytest.param(parse_effective_dose, "1 мЗв", 1e-3, id="мЗв"),
    pytest.param(parse_effective_dose, "1 мкЗв", 1e-6, id="мкЗв"),
    pytest.param(parse_effective_dose, "5 бэр", 0.05, id="бэр"),
    pytest.param(parse_dose_rate, "3.6 Sv/h", 1e-3, id="Sv/h"),
    pytest.param(parse_dose_rate, "3.6 mSv/h", 1e-6, id="mSv/h"),
    pytest.param(parse_dose_rate, "3600 µSv/h", 1e-6, id="µSv/h"),
    pytest.param(parse_dose_rate, "3600 uSv/h", 1e-6, id="uSv/h"),
    pytest.param(parse_dose_rate, "3600 µSv / h", 1e-6, id="spaces-around-slash"),
    pytest.param(parse_dose_rate, "3600 nSv/h", 1e-9, id="nSv/h"),
    pytest.param(parse_dose_rate, "0.001 Sv/s", 1e-3, id="Sv/s"),
    pytest.param(parse_dose_rate, "3600 мкЗв/ч", 1e-6, id="мкЗв/ч"),
    pytest.param(parse_dose_rate, "3,6 мЗв/ч", 1e-6, id="мЗв/ч"),
    pytest.param(parse_dose_rate, "360 mrem/h", 1e-6, id="mrem/h"),
    # fractions
    pytest.param(parse_fraction, "0.9", 0.9, id="fraction"),
    pytest.param(parse_fraction, "0,9", 0.9, id="fraction-comma"),
    pytest.param(parse_fraction, "90 %", 0.9, id="percent-space"),
    pytest.param(parse_fraction, "90%", 0.9, id="percent"),
    pytest.param(parse_fraction, "0", 0.0, id="zero"),
    pytest.param(parse_fraction, "100 %", 1.0, id="hundred-percent"),
    # ratios of activities
    pytest.param(parse_ratio, "0.15 kBq/MBq", 1.5e-4, id="kBq/MBq"),
    pytest.param(parse_ratio, "0.15 µCi/mCi", 1.5e-4, id="µCi/mCi"),
    pytest.param(parse_ratio, "0.15 uCi/mCi", 1.5e-4, id="uCi/mCi"),
    pytest.param(parse_ratio, "0.15 \u03bcCi/mCi", 1.5e-4, id="greek-mu-Ci/mCi"),
    pytest.param(parse_ratio, "0.15 mCi/uCi", 150.0, id="u-after-slash"),
    pytest.param(parse_ratio, "0.15 kBq / MBq", 1.5e-4, id="ratio-spaces-around-slash"),
    pytest.param(parse_ratio, "0,15 кБк/МБк", 1.5e-4, id="кБк/МБк"),
    pytest.param(parse_ratio, "0.15 кБк/MBq", 1.5e-4, id="mixed-scripts"),
    pytest.param(parse_ratio, "150 Bq/MBq", 1.5e-4, id="Bq/MBq"),
    pytest.param(parse_ratio, "1 Bq/GBq", 1e-9, id="Bq/GBq"),
    pytest.param(parse_ratio, "2 MBq/kBq", 2e3, id="above-one"),
    pytest.param(parse_ratio, "0.1 %", 1e-3, id="ratio-percent-space"),
    pytest.param(parse_ratio, "0.1%", 1e-3, id="ratio-percent"),
    pytest.param(parse_ratio, "0.00015", 1.5e-4, id="plain-number"),
    pytest.param(parse_ratio, "1.5e-4", 1.5e-4, id="plain-exponent"),
    pytest.param(parse_ratio, "0", 0.0, id="zero-ratio"),
]


@pytest.mark.parametrize(("parser", "text", "expected"), ACCEPTED)
def test_analytic_accepted_spellings(parser: Parser, text: str, expected: float) -> None:
    assert parser(text) == pytest.approx(expected, rel=1e-15, abs=0.0)


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        pytest.param(parse_volume, "5 mL", 5e-6, id="5 mL"),
        pytest.param(parse_effective_dose, "0.3 mSv", 3e-4, id="0.3 mSv"),
        pytest.param(parse_activity, "0.1 kBq", 100.0, id="0.1 kBq"),
        pytest.param(parse_mass, "1.1 mg", 1.1e-6, id="1.1 mg"),
        pytest.param(parse_length, "7 µm", 7e-6, id="7 µm"),
        pytest.param(parse_ratio, "0.15 kBq/MBq", 1.5e-4, id="0.15 kBq/MBq"),
        pytest.param(parse_ratio, "0.15 µCi/mCi", 1.5e-4, id="0.15 µCi/mCi"),
        pytest.param(parse_ratio, "0.1 %", 1e-3, id="0.1 %"),
    ],
)
def test_analytic_decimal_prefixes_are_correctly_rounded(
    parser: Parser, text: str, expected: float
) -> None:
    """A power-of-ten unit gives the float nearest the decimal value, not one ulp off."""
    assert parser(text) == expected


ERRORS = [
    pytest.param(
        parse_activity, "", ["no activity given", "740 MBq", "allowed units: Bq"], id="empty"
    ),
    pytest.param(parse_activity, "   ", ["no activity given"], id="blank"),
    pytest.param(
        parse_activity,
        "740",
        ["740 has no unit", "write e.g. 740 MBq", "allowed units:", "mCi"],
        id="no-unit",
    ),
    pytest.param(
        parse_activity,
        "740 Mbq",
        ["unknown activity unit 'Mbq'", "did you mean MBq", "allowed"],
        id="near-miss-case",
    ),
    pytest.param(
        parse_activity, "740 mbq", ["did you mean mBq or MBq?"], id="ambiguous-case-lists-both"
    ),
    pytest.param(parse_activity, "740 GBqq", ["did you mean GBq"], id="near-miss-typo"),
    pytest.param(
        parse_activity, "740 furlongs", ["unknown activity unit 'furlongs'"], id="unknown"
    ),
    pytest.param(
        parse_activity,
        "6 h",
        ["h is a time unit, not an activity unit", "allowed units: Bq"],
        id="wrong-kind-time",
    ),
    pytest.param(parse_activity, "3 kg", ["kg is a mass unit, not an activity unit"], id="mass"),
    pytest.param(parse_activity, "-5 MBq", ["is negative", "0 or more"], id="negative"),
    pytest.param(parse_activity, "nan MBq", ["not a finite number"], id="nan"),
    pytest.param(parse_activity, "inf MBq", ["not a finite number"], id="inf"),
    pytest.param(parse_activity, "-Infinity Bq", ["not a finite number"], id="minus-infinity"),
    pytest.param(parse_activity, "1e400 MBq", ["not a finite number"], id="overflow"),
    pytest.param(parse_activity, "1e300 TBq", ["not a finite number"], id="overflow-after-unit"),
    pytest.param(
        parse_activity,
        "1,234.5 MBq",
        ["'1,234.5' mixes decimal and thousands separators"],
        id="thousands-and-decimal",
    ),
    pytest.param(parse_activity, "1.234,5 MBq", ["mixes decimal"], id="thousands-dot"),
    pytest.param(parse_activity, "1,234,567 Bq", ["mixes decimal"], id="two-commas"),
    pytest.param(
        parse_activity,
        "1,234 MBq",
        ["'1,234' is ambiguous", "write 1.234 or 1234"],
        id="comma-thousands-or-decimal",
    ),
    pytest.param(parse_activity, "1 234 MBq", ["space inside the number"], id="space-thousands"),
    pytest.param(parse_activity, "1.2.3 MBq", ["cannot read the number '1.2.3'"], id="two-points"),
    pytest.param(parse_activity, "MBq 740", ["does not start with a number"], id="unit-first"),
    pytest.param(parse_activity, "740 MBq\nrm -rf", ["unknown activity unit"], id="newline"),
    pytest.param(
        parse_mass, "-1 kg", ["mass '-1 kg' is negative", "allowed units: kg"], id="mass-negative"
    ),
    pytest.param(parse_mass, "5 MG", ["did you mean mg?"], id="mass-case"),
    pytest.param(parse_mass, "5 m", ["m is a length unit, not a mass unit"], id="mass-metre"),
    pytest.param(parse_length, "-3 cm", ["is negative"], id="length-negative"),
    pytest.param(parse_length, "inf m", ["not a finite number"], id="length-inf"),
    pytest.param(parse_length, "30", ["30 has no unit", "write e.g. 30 cm"], id="length-no-unit"),
    pytest.param(parse_volume, "-5 mL", ["is negative"], id="volume-negative"),
    pytest.param(parse_volume, "5 ML", ["did you mean mL?"], id="volume-megalitre"),
    pytest.param(parse_absorbed_dose, "-2 Gy", ["is negative"], id="absorbed-negative"),
    pytest.param(
        parse_absorbed_dose,
        "2 Sv",
        ["Sv is an effective dose unit, not an absorbed dose unit"],
        id="absorbed-given-sv",
    ),
    pytest.param(
        parse_effective_dose,
        "2 Gy",
        ["Gy is an absorbed dose unit, not an effective dose unit"],
        id="effective-given-gy",
    ),
    pytest.param(parse_effective_dose, "nan mSv", ["not a finite number"], id="effective-nan"),
    pytest.param(
        parse_dose_rate,
        "2.5 µGy/h",
        ["µGy/h is an absorbed dose rate unit", "µSv/h"],
        id="rate-given-gray",
    ),
    pytest.param(
        parse_dose_rate,
        "2.5 µSv",
        ["µSv is an effective dose unit, not a dose rate unit"],
        id="rate-given-dose",
    ),
    pytest.param(parse_dose_rate, "-1 µSv/h", ["is negative"], id="rate-negative"),
    pytest.param(
        parse_fraction, "120 %", ["outside 0 to 1", "write e.g. 0.9 or 90 %"], id="over-100-pct"
    ),
    pytest.param(parse_fraction, "1.5", ["outside 0 to 1"], id="over-1"),
    pytest.param(parse_fraction, "-0.1", ["outside 0 to 1"], id="negative-fraction"),
    pytest.param(parse_fraction, "nan", ["not a finite number"], id="nan-fraction"),
    pytest.param(parse_fraction, "90 MBq", ["MBq is an activity unit"], id="fraction-unit"),
    pytest.param(
        parse_ratio,
        "",
        ["no ratio given", "0.15 kBq/MBq", "kBq/MBq, µCi/mCi", "%", "a plain number"],
        id="ratio-empty",
    ),
    pytest.param(
        parse_ratio,
        "0.15 kBq",
        ["kBq is an activity unit, not a ratio unit", "write e.g. 0.15 kBq/MBq"],
        id="ratio-given-activity",
    ),
    pytest.param(parse_ratio, "0.15 kBq/h", ["unknown ratio unit 'kBq/h'"], id="ratio-per-hour"),
    pytest.param(
        parse_ratio, "2 µSv/h", ["µSv/h is a dose rate unit, not a ratio unit"], id="ratio-rate"
    ),
    pytest.param(
        parse_ratio, "-0.1 %", ["ratio '-0.1 %' is negative", "0 or more"], id="ratio-negative"
    ),
    pytest.param(parse_ratio, "inf", ["not a finite number"], id="ratio-inf"),
    pytest.param(parse_ratio, "nan kBq/MBq", ["not a finite number"], id="ratio-nan"),
    pytest.param(parse_ratio, "1e400 %", ["not a finite number"], id="ratio-overflow"),
    pytest.param(parse_ratio, "1,500 kBq/MBq", ["is ambiguous"], id="ratio-comma-thousands"),
    pytest.param(
        parse_activity,
        "5 kBq/MBq",
        ["kBq/MBq is a ratio unit, not an activity unit"],
        id="activity-given-ratio",
    ),
]


@pytest.mark.parametrize(("parser", "text", "fragments"), ERRORS)
def test_errors_say_what_is_wrong_and_what_is_allowed(
    parser: Parser, text: str, fragments: list[str]
) -> None:
    message = error_message(parser, text)
    for fragment in fragments:
        assert fragment in message
    assert "write" in message


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ru", "kg — единица массы, а не единица активности"),
        ("kk", "kg — масса бірлігі, белсенділік бірлігі емес"),
    ],
)
def test_a_unit_of_another_kind_is_named_in_the_readers_language(language: str, said: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_activity("3 kg")
    assert said in in_language(translations(language).gettext, Message.of(caught.value))


BEYOND = [
    pytest.param(parse_activity, "1e300 Bq", "the activity must be from 0 to 1 PBq; got 1e300 Bq",
                 id="activity"),
    pytest.param(parse_activity, "1001 TBq", "got 1001 TBq", id="activity-just-over"),
    pytest.param(parse_volume, "11 L", "the volume must be from 0 to 10 L; got 11 L", id="volume"),
    pytest.param(parse_dose_rate, "11 Sv/h", "the dose rate must be from 0 to 10 Sv/h",
                 id="dose-rate"),
    pytest.param(parse_mass, "2000 kg", "the mass must be from 0 to 1000 kg", id="mass"),
    pytest.param(parse_length, "11 km", "the length must be from 0 to 10 km", id="length"),
    pytest.param(parse_absorbed_dose, "1e5 Gy", "from 0 to 10 000 Gy", id="absorbed-dose"),
    pytest.param(parse_effective_dose, "1000 Sv", "from 0 to 100 Sv", id="effective-dose"),
    pytest.param(parse_duration, "1e9 d", "the duration must be from 0 to 1e10 s", id="duration"),
]  # fmt: skip


@pytest.mark.parametrize(("parser", "text", "fragment"), BEYOND)
def test_values_beyond_the_plausible_range_are_refused_with_the_range(
    parser: Parser, text: str, fragment: str
) -> None:
    assert fragment in error_message(parser, text)


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        pytest.param(parse_activity, "1 TBq", 1e12, id="1 TBq"),
        pytest.param(parse_activity, "1000 TBq", 1e15, id="activity-at-the-limit"),
        pytest.param(parse_volume, "10 L", 1e-2, id="volume-at-the-limit"),
        pytest.param(parse_dose_rate, "10 Sv/h", 10 / 3600, id="dose-rate-at-the-limit"),
        pytest.param(parse_duration, "-100 d", -8.64e6, id="negative-duration-by-its-size"),
    ],
)
def test_analytic_values_at_the_limit_are_accepted(
    parser: Parser, text: str, expected: float
) -> None:
    if parser is parse_duration:
        assert parse_duration(text, allow_negative=True) == pytest.approx(expected)
    else:
        assert parser(text) == pytest.approx(expected, rel=1e-15)


PARSERS = [
    parse_activity, parse_duration, parse_mass, parse_length, parse_volume, parse_absorbed_dose,
    parse_effective_dose, parse_dose_rate, parse_fraction, parse_ratio, parse_datetime,
]  # fmt: skip


@pytest.mark.parametrize("parser", [pytest.param(p, id=p.__name__) for p in PARSERS])
@given(text=st.text(max_size=30))
def test_any_text_is_read_or_refused_in_one_line(
    parser: Callable[[str], object], text: str
) -> None:
    """Whatever is typed, the answer is a valid value or a one-line UnitError."""
    try:
        value = parser(text)
    except UnitError as error:
        assert "\n" not in str(error)
        return
    if isinstance(value, float):
        assert math.isfinite(value)


@pytest.mark.parametrize("parser", [pytest.param(p, id=p.__name__) for p in PARSERS])
@given(number=st.from_regex(r"[+-]?[0-9.,]{1,8}(e[+-]?[0-9]{1,3})?", fullmatch=True))
def test_any_number_with_unit_is_read_or_refused(
    parser: Callable[[str], object], number: str
) -> None:
    try:
        parser(f"{number} MBq")
    except UnitError as error:
        assert "\n" not in str(error)
