"""Tests of nucmed.safety.waste: analytic, published and regression checks, and every error.

The REFERENCE tables below were typed from the transcriptions named beside them, not copied from
the CSV, so a typo in either fails a test.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.catalogue import in_language, translations
from nucmed.errors import Message, NucmedInputError, UnknownNuclideError
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.safety.waste import (
    DEFAULT_HALF_LIVES,
    NRC_DIS_MAX_HALF_LIFE_S,
    WASTE_RULES,
    NoClearanceLevelError,
    WasteInputError,
    WastePolicy,
    clearance_level,
    clearance_nuclides,
    release_check,
    release_time,
    release_time_by_clearance,
    release_time_by_half_lives,
    sum_of_fractions,
)

ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=ALMATY)
DAY_S = 86400.0
PER_HOUR = 1 / 3600.0

# --- REFERENCE: clearance levels ----------------------------------------------------------
# IAEA GSR Part 3 (2014) Schedule I Table I.2 (= 2013/59/Euratom Annex VII Table A Part 1), Bq/g,
# typed from fusion-energy/radiological_material_clearance_finder data/limits/iaea.json and
# eu_bss.json (identical for these rows); Tc-99m, I-131, F-18, Lu-177, Sm-153 and Ho-166 also
# from a public transcription of Spanish RD 1217/2024 Anexo IV Tabla A.1. None means the table
# has no row for the nuclide (not in either transcription).
REFERENCE_BQ_PER_G: dict[str, float | None] = {
    "F-18": 10.0, "Cr-51": 100.0, "Co-57": 1.0, "Cu-64": 100.0, "Ga-68": None,
    "Y-90": 1000.0, "Sr-89": 1000.0, "Mo-99": 10.0, "Tc-99m": 100.0, "Tc-99": 1.0,
    "In-111": 10.0, "I-123": 100.0, "I-125": 100.0, "I-131": 10.0, "Cs-137": 0.1,
    "Sm-153": 100.0, "Ho-166": 100.0, "Er-169": 1000.0, "Lu-177": 100.0, "Re-186": 1000.0,
    "Re-188": 100.0, "Tl-201": 100.0, "Ra-223": None,
}  # fmt: skip
# 10 CFR 35.92(a): half-life "less than or equal to 120 days" (read in Minnesota Rule 4731.4429,
# same wording, and the GVSU page). 10 half-lives: NC 10A NCAC 15 .0362(a)(1) "a minimum of 10
# half-lives"; Iowa EHS 13.2; GVSU.
REFERENCE_DIS_MAX_DAYS = 120.0
REFERENCE_HALF_LIVES = 10.0


def csv_rows() -> list[dict[str, str]]:
    text = resources.files("nucmed.data").joinpath("clearance_levels.csv").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


LISTED = [name for name, value in REFERENCE_BQ_PER_G.items() if value is not None]
# Nuclides whose release times stay within the calendar for moderate inputs (not Tc-99, Cs-137).
SHORT_LIVED = [n for n in LISTED if get_nuclide(n).half_life_s < 300 * DAY_S]


class TestAnalytic:
    @pytest.mark.parametrize("nuclide", SHORT_LIVED, ids=SHORT_LIVED)
    def test_ten_half_lives_leave_two_to_the_minus_ten(self, nuclide: str) -> None:
        source = Activity.of(nuclide, 1e9, T0)
        release = release_time_by_half_lives(nuclide, T0)
        assert source.activity_at(release) / 1e9 == pytest.approx(2.0**-10, rel=1e-9)

    @given(n=st.floats(min_value=0.5, max_value=40.0))
    def test_n_half_lives_leave_two_to_the_minus_n(self, n: float) -> None:
        source = Activity.of("I-131", 1e9, T0)
        release = release_time_by_half_lives("I-131", T0, n)
        assert source.activity_at(release) / 1e9 == pytest.approx(2.0**-n, rel=1e-9)

    @given(
        picks=st.lists(st.sampled_from(SHORT_LIVED), min_size=1, max_size=4),
        exponents=st.lists(st.floats(min_value=5.0, max_value=11.0), min_size=4, max_size=4),
        offsets_h=st.lists(st.floats(min_value=-48.0, max_value=0.0), min_size=4, max_size=4),
        mass_kg=st.floats(min_value=0.1, max_value=50.0),
    )
    def test_sum_rule_equals_one_at_the_solved_time(
        self, picks: list[str], exponents: list[float], offsets_h: list[float], mass_kg: float
    ) -> None:
        contents = [
            Activity.of(n, 10**e, T0 + timedelta(hours=h))
            for n, e, h in zip(picks, exponents, offsets_h, strict=False)
        ]
        release = release_time_by_clearance(contents, mass_kg, not_before=T0)
        total = sum_of_fractions(contents, mass_kg, release)
        if release > T0:
            assert total == pytest.approx(1.0, abs=1e-9)
        assert total <= 1.0 + 1e-9

    @given(ratio=st.floats(min_value=1.5, max_value=1e8))
    def test_single_nuclide_closed_form(self, ratio: float) -> None:
        # t = T½ · log₂(A / (m · CL)).
        level = clearance_level("Lu-177").bq_per_kg
        mass = 3.0
        source = Activity.of("Lu-177", ratio * mass * level, T0)
        release = release_time_by_clearance([source], mass)
        expected = get_nuclide("Lu-177").half_life_s * math.log2(ratio)
        assert (release - T0).total_seconds() == pytest.approx(expected, abs=2e-6)

    def test_already_clear_returns_the_start(self) -> None:
        bag = [Activity.of("Tc-99m", 1e3, T0)]
        assert release_time_by_clearance(bag, 1.0) == T0
        later = T0 + timedelta(days=1)
        assert release_time_by_clearance(bag, 1.0, not_before=later) == later

    def test_zero_activity_contributes_nothing(self) -> None:
        bag = [Activity.of("Tc-99m", 0.0, T0), Activity.of("I-131", 0.0, T0)]
        assert release_time_by_clearance(bag, 1.0) == T0

    def test_order_of_contents_does_not_matter(self) -> None:
        bag = [Activity.of("Tc-99m", 5e9, T0), Activity.of("I-131", 2e7, T0)]
        forward = release_time_by_clearance(bag, 4.0)
        assert release_time_by_clearance(list(reversed(bag)), 4.0) == forward

    def test_more_mass_clears_no_later(self) -> None:
        bag = [Activity.of("Tc-99m", 5e9, T0), Activity.of("I-131", 2e7, T0)]
        assert release_time_by_clearance(bag, 10.0) < release_time_by_clearance(bag, 1.0)

    def test_mixture_is_no_earlier_than_any_part(self) -> None:
        tc, iodine = Activity.of("Tc-99m", 5e9, T0), Activity.of("I-131", 2e7, T0)
        mixed = release_time_by_clearance([tc, iodine], 2.0)
        assert mixed >= release_time_by_clearance([tc], 2.0)
        assert mixed >= release_time_by_clearance([iodine], 2.0)

    def test_site_level_completes_the_table(self) -> None:
        # Ga-68 has no row; a site value of 1e4 Bq/kg makes the closed form apply.
        source = Activity.of("Ga-68", 1e4 * 2.0 * 2**10, T0)
        release = release_time_by_clearance([source], 2.0, {"68Ga": 1e4})
        half_life = get_nuclide("Ga-68").half_life_s
        assert (release - T0).total_seconds() == pytest.approx(10 * half_life, abs=2e-6)

    def test_site_level_overrides_the_table(self) -> None:
        bag = [Activity.of("I-131", 1e6, T0)]
        table = sum_of_fractions(bag, 1.0, T0)
        site = sum_of_fractions(bag, 1.0, T0, {"I-131": 1e5})
        assert table == pytest.approx(100.0)
        assert site == pytest.approx(10.0)

    def test_stable_part_below_one_is_carried(self) -> None:
        # A constant 0.5 from a stable nuclide leaves 0.5 for the decaying part.
        stable = Activity.of("Ba-137", 0.5, T0)
        tc = Activity.of("Tc-99m", 1e5 * 2**6 * 0.5, T0)
        release = release_time_by_clearance([stable, tc], 1.0, {"Ba-137": 1.0})
        assert sum_of_fractions([stable, tc], 1.0, release, {"Ba-137": 1.0}) == pytest.approx(
            1.0, abs=1e-9
        )
        half_life = get_nuclide("Tc-99m").half_life_s
        assert (release - T0).total_seconds() == pytest.approx(6 * half_life, abs=2e-6)

    def test_half_lives_rule_uses_the_longest_lived(self) -> None:
        bag = [Activity.of("Tc-99m", 1e9, T0), Activity.of("I-131", 1e6, T0)]
        assert release_time(WastePolicy(), bag, sealed_at=T0) == release_time_by_half_lives(
            "I-131", T0
        )

    def test_clearance_rule_matches_the_function(self) -> None:
        bag = [Activity.of("Tc-99m", 1e9, T0), Activity.of("I-131", 1e6, T0)]
        policy = WastePolicy("clearance")
        expected = release_time_by_clearance(bag, 5.0, not_before=T0)
        assert release_time(policy, bag, sealed_at=T0, mass_kg=5.0) == expected

    def test_max_half_life_limit(self) -> None:
        release_time_by_half_lives("I-131", T0, max_half_life_s=NRC_DIS_MAX_HALF_LIFE_S)
        with pytest.raises(WasteInputError, match=r"Lu-177m \(T½ 160.4 d\) exceeds .* 120 d"):
            release_time_by_half_lives("Lu-177m", T0, max_half_life_s=NRC_DIS_MAX_HALF_LIFE_S)

    @given(
        background=st.floats(min_value=0.0, max_value=1e-6),
        margin=st.floats(min_value=0.0, max_value=1e-6),
    )
    def test_release_check_at_and_above_the_margin(self, background: float, margin: float) -> None:
        limit = background + margin
        assert release_check(limit, background, margin_sv_per_s=margin)
        assert not release_check(limit * 1.01 + 1e-15, background, margin_sv_per_s=margin)

    def test_time_zones_do_not_change_the_answer(self) -> None:
        bag = [Activity.of("I-131", 1e7, T0)]
        here = release_time_by_clearance(bag, 1.0)
        there = release_time_by_clearance([bag[0].at(T0.astimezone(UTC))], 1.0)
        assert here == there


class TestPublished:
    def test_every_row_is_referenced(self) -> None:
        assert [row["nuclide"] for row in csv_rows()] == list(REFERENCE_BQ_PER_G)

    @pytest.mark.parametrize("nuclide", list(REFERENCE_BQ_PER_G), ids=list(REFERENCE_BQ_PER_G))
    def test_clearance_level_matches_table_i2(self, nuclide: str) -> None:
        # Exact: the values are powers of ten printed to one significant figure.
        expected = REFERENCE_BQ_PER_G[nuclide]
        row = next(r for r in csv_rows() if r["nuclide"] == nuclide)
        assert "GSR Part 3" in row["source"]
        if expected is None:
            assert (row["status"], row["clearance_bq_per_g"]) == ("secondary", "")
            with pytest.raises(NoClearanceLevelError, match=f"no clearance level for {nuclide}"):
                clearance_level(nuclide)
            return
        assert row["status"] == "secondary"
        assert float(row["clearance_bq_per_g"]) == expected
        assert clearance_level(nuclide).bq_per_kg == pytest.approx(expected * 1000, rel=1e-15)

    def test_listed_nuclides(self) -> None:
        assert clearance_nuclides() == tuple(LISTED)

    def test_decay_in_storage_numbers(self) -> None:
        assert NRC_DIS_MAX_HALF_LIFE_S == REFERENCE_DIS_MAX_DAYS * DAY_S
        assert DEFAULT_HALF_LIVES == REFERENCE_HALF_LIVES
        assert WASTE_RULES == ("half_lives", "clearance")


class TestRegression:
    def test_mixed_bag_snapshot(self) -> None:
        # Our own output, a snapshot (not a validation): a day's Tc-99m and I-131 waste.
        bag = [Activity.of("Tc-99m", 2e9, T0), Activity.of("I-131", 5e7, T0)]
        release = release_time_by_clearance(bag, 8.0)
        # I-131 dominates: 5e7 Bq / 8 kg is 625 × its 1e4 Bq/kg, so about log₂ 625 ≈ 9.29 T½.
        assert (release - T0).total_seconds() / DAY_S == pytest.approx(74.4940, abs=1e-4)


class TestErrors:
    def test_naive_sealing_time(self) -> None:
        with pytest.raises(WasteInputError, match="no time zone"):
            release_time_by_half_lives("I-131", datetime(2026, 3, 2, 8))

    def test_naive_not_before(self) -> None:
        with pytest.raises(WasteInputError, match="no time zone"):
            release_time_by_clearance(
                [Activity.of("I-131", 1e7, T0)], 1.0, not_before=datetime(2026, 3, 2)
            )

    def test_naive_evaluation_time(self) -> None:
        with pytest.raises(WasteInputError, match="no time zone"):
            sum_of_fractions([Activity.of("I-131", 1e7, T0)], 1.0, datetime(2026, 3, 2))

    def test_negative_activity(self) -> None:
        with pytest.raises(NucmedInputError, match="0 or more"):
            Activity.of("I-131", -1.0, T0)

    @pytest.mark.parametrize(
        "mass", [0.0, -1.0, math.nan, math.inf], ids=["0", "neg", "nan", "inf"]
    )
    def test_bad_mass(self, mass: float) -> None:
        with pytest.raises(WasteInputError, match=r"waste mass is .* kg > 0"):
            release_time_by_clearance([Activity.of("I-131", 1e7, T0)], mass)

    @pytest.mark.parametrize("count", [0.0, -10.0, math.nan], ids=["0", "neg", "nan"])
    def test_bad_number_of_half_lives(self, count: float) -> None:
        with pytest.raises(WasteInputError, match="number of half-lives"):
            release_time_by_half_lives("I-131", T0, count)

    def test_stable_nuclide_cannot_decay(self) -> None:
        with pytest.raises(WasteInputError, match="stable"):
            release_time_by_half_lives("Ba-137", T0)

    def test_unknown_nuclide(self) -> None:
        with pytest.raises(UnknownNuclideError):
            release_time_by_half_lives("Xx-999", T0)

    def test_no_clearance_level_lists_what_exists(self) -> None:
        with pytest.raises(NoClearanceLevelError) as caught:
            release_time_by_clearance([Activity.of("Ra-223", 1e6, T0)], 1.0)
        message = str(caught.value)
        assert "Ra-223" in message
        assert "I-131" in message
        assert "Tc-99m" in message
        assert "site value" in message

    def test_nuclide_absent_from_the_file(self) -> None:
        with pytest.raises(NoClearanceLevelError, match="no clearance level for Zr-89"):
            clearance_level("Zr-89")

    @pytest.mark.parametrize(
        ("language", "said"),
        [
            ("en", "nuclide Ga-68; clearance level is -1.0; it must be"),
            ("ru", "нуклид Ga-68; уровень освобождения = -1.0; допустимо"),
            ("kk", "Ga-68 нуклиды; босату деңгейі = -1.0;"),
        ],
    )
    def test_bad_site_level(self, language: str, said: str) -> None:
        with pytest.raises(WasteInputError) as caught:
            release_time_by_clearance([Activity.of("Ga-68", 1e6, T0)], 1.0, {"Ga-68": -1.0})
        shown = in_language(translations(language).gettext, Message.of(caught.value))
        assert shown.startswith(said)

    def test_empty_contents(self) -> None:
        with pytest.raises(WasteInputError, match="no contents"):
            release_time_by_clearance([], 1.0)
        with pytest.raises(WasteInputError, match="no contents"):
            release_time(WastePolicy(), [], sealed_at=T0)

    def test_stable_contents_never_clear(self) -> None:
        stable = Activity.of("Ba-137", 2.0, T0)
        with pytest.raises(WasteInputError, match="never clears"):
            release_time_by_clearance([stable], 1.0, {"Ba-137": 1.0})

    def test_release_beyond_the_calendar(self) -> None:
        with pytest.raises(WasteInputError, match="beyond the calendar"):
            release_time_by_half_lives("Tc-99", T0)
        with pytest.raises(WasteInputError, match="beyond the calendar"):
            release_time_by_clearance([Activity.of("Tc-99", 1e9, T0)], 1.0)

    def test_unknown_rule(self) -> None:
        with pytest.raises(WasteInputError, match="allowed: half_lives, clearance"):
            WastePolicy("bury")  # type: ignore[arg-type]

    def test_policy_with_bad_half_lives(self) -> None:
        with pytest.raises(WasteInputError, match="number of half-lives"):
            WastePolicy(half_lives=0.0)

    def test_clearance_rule_needs_a_mass(self) -> None:
        with pytest.raises(WasteInputError, match="needs the mass"):
            release_time(WastePolicy("clearance"), [Activity.of("I-131", 1e7, T0)], sealed_at=T0)

    @pytest.mark.parametrize(
        ("survey", "background", "margin"),
        [(-1e-9, 0.0, 0.0), (0.0, -1e-9, 0.0), (0.0, 0.0, -1e-9), (math.nan, 0.0, 0.0)],
        ids=["survey", "background", "margin", "nan"],
    )
    def test_bad_dose_rates(self, survey: float, background: float, margin: float) -> None:
        with pytest.raises(WasteInputError, match="0 or more"):
            release_check(survey, background, margin_sv_per_s=margin)

    def test_errors_are_input_errors(self) -> None:
        assert issubclass(WasteInputError, NucmedInputError)
        assert issubclass(NoClearanceLevelError, WasteInputError)
