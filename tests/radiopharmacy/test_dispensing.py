"""Tests of nucmed.radiopharmacy.dispensing: concentration, volume to draw, syringe check."""

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.errors import Moment, NucmedInputError
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.radiopharmacy.dispensing import (
    DispensingInputError,
    DoseCheck,
    DrawExceedsVialError,
    activity_at_draw_bq,
    check_measured,
    concentration_bq_per_m3,
    remaining_after_draw,
    volume_to_draw_m3,
)
from nucmed.units import BQ_PER_MCI, BQ_PER_UCI, M3_PER_ML

ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=ALMATY)
TC_HALF_LIFE_S = get_nuclide("Tc-99m").half_life_s
VIAL = Activity.of("Tc-99m", 10e9, T0)  # 10 GBq in
VIAL_ML = 10.0 * M3_PER_ML  # 10 mL

hours = st.floats(min_value=0.0, max_value=24.0, allow_nan=False)
wanted = st.floats(min_value=1e6, max_value=5e8, allow_nan=False)  # vial: >= 0.6 GBq in 24 h


# --------------------------------------------------------------------------- analytic
class TestAnalytic:
    def test_concentration_halves_in_one_half_life(self) -> None:
        at = T0 + timedelta(seconds=TC_HALF_LIFE_S)
        assert concentration_bq_per_m3(VIAL, VIAL_ML, at) == pytest.approx(0.5e9 / M3_PER_ML)

    @given(hours, wanted)
    def test_volume_times_concentration_is_the_prescription(self, h: float, a: float) -> None:
        admin = T0 + timedelta(hours=h)
        volume = volume_to_draw_m3(VIAL, VIAL_ML, a, admin)
        assert volume * concentration_bq_per_m3(VIAL, VIAL_ML, admin) == pytest.approx(a)

    def test_volume_is_the_same_whichever_reference_time_the_vial_is_given_at(self) -> None:
        admin = T0 + timedelta(hours=3)
        later_description = VIAL.at(T0 + timedelta(hours=1))
        assert volume_to_draw_m3(later_description, VIAL_ML, 500e6, admin) == pytest.approx(
            volume_to_draw_m3(VIAL, VIAL_ML, 500e6, admin)
        )

    def test_syringe_holds_twice_the_prescription_one_half_life_before(self) -> None:
        admin = T0 + timedelta(hours=8)
        dose = Activity.of("Tc-99m", 740e6, admin)
        drawn = admin - timedelta(seconds=TC_HALF_LIFE_S)
        assert activity_at_draw_bq(dose, drawn) == pytest.approx(1480e6)

    @given(hours)
    def test_syringe_activity_follows_exp_plus_lambda_dt(self, h: float) -> None:
        admin = T0 + timedelta(hours=24)
        dose = Activity.of("Tc-99m", 740e6, admin)
        expected = 740e6 * math.exp(math.log(2) * h * 3600 / TC_HALF_LIFE_S)
        assert activity_at_draw_bq(dose, admin - timedelta(hours=h)) == pytest.approx(expected)

    def test_drawing_at_the_administration_time_needs_exactly_the_prescription(self) -> None:
        dose = Activity.of("Tc-99m", 740e6, T0)
        assert activity_at_draw_bq(dose, T0) == 740e6

    @given(st.floats(min_value=0.0, max_value=10.0, allow_nan=False), hours)
    def test_drawn_plus_left_is_what_the_vial_held(self, ml: float, h: float) -> None:
        at = T0 + timedelta(hours=h)
        left = remaining_after_draw(VIAL, VIAL_ML, ml * M3_PER_ML, at)
        drawn = concentration_bq_per_m3(VIAL, VIAL_ML, at) * ml * M3_PER_ML
        assert left.activity.activity_bq + drawn == pytest.approx(VIAL.activity_at(at))
        assert left.volume_m3 + ml * M3_PER_ML == pytest.approx(VIAL_ML)
        assert left.activity.reference_time == at

    def test_drawing_everything_leaves_an_empty_vial(self) -> None:
        left = remaining_after_draw(VIAL, VIAL_ML, VIAL_ML, T0)
        assert (left.activity.activity_bq, left.volume_m3) == (0.0, 0.0)

    def test_drawing_all_the_activity_at_the_administration_time_is_allowed(self) -> None:
        admin = T0 + timedelta(hours=2)
        everything = VIAL.activity_at(admin)
        assert volume_to_draw_m3(VIAL, VIAL_ML, everything, admin) == pytest.approx(VIAL_ML)

    @pytest.mark.parametrize(
        ("measured", "within"),
        [
            pytest.param(740e6, True, id="exact"),
            pytest.param(814e6, True, id="plus-10-percent"),
            pytest.param(666e6, True, id="minus-10-percent"),
            pytest.param(815e6, False, id="plus-10.1-percent"),
            pytest.param(665e6, False, id="minus-10.1-percent"),
        ],
    )
    def test_ten_percent_tolerance_bounds_are_included(
        self, measured: float, within: bool
    ) -> None:
        assert check_measured(measured, 740e6).within is within

    def test_deviation_is_signed_and_relative_to_the_expected_activity(self) -> None:
        assert check_measured(600e6, 800e6) == DoseCheck(-0.25, False, 0.10)

    def test_tolerance_can_be_changed(self) -> None:
        assert check_measured(780e6, 740e6, tolerance_fraction=0.05).within is False
        assert check_measured(770e6, 740e6, tolerance_fraction=0.05).within is True


# --------------------------------------------------------------------------- published
class TestPublishedWorkedExamples:
    def test_morning_elution_sheet_concentration_one_hour_later(self) -> None:
        # M.H. Crosthwait, VCU CLRS 461 "Radiopharmaceutical Preparation - The Morning
        # Elution" (people.vcu.edu/~mhcrosthwait/clrs461/RadiopharmaceuticalPreparation-
        # elution.htm), steps 1 and 6: 1000 mCi eluted in 10.0 mL at 08:00; at 09:00 the
        # one-hour decay factor 0.891 gives 89.1 mCi/mL and 891 mCi in the vial.
        # Tolerance 1e-3 relative: the source rounds the decay factor to 3 digits (±5.6e-4)
        # and uses T½ ≈ 6.0 h against ICRP-107's 6.015 h (< 1e-4 over one hour).
        eluate = Activity.of("Tc-99m", 1000 * BQ_PER_MCI, T0)
        nine = T0 + timedelta(hours=1)
        per_ml = concentration_bq_per_m3(eluate, 10.0 * M3_PER_ML, nine) * M3_PER_ML
        assert per_ml / BQ_PER_MCI == pytest.approx(89.1, rel=1e-3)
        assert eluate.activity_at(nine) / BQ_PER_MCI == pytest.approx(891, rel=1e-3)

    def test_sulfur_colloid_dose_volume(self) -> None:
        # UNC Eshelman School of Pharmacy, Pharmaceutics and Compounding Laboratory,
        # "Dispensing Tc-99m Sulfur Colloid Doses" (pharmlabs.unc.edu/labs/radiopharm/
        # dispensing.htm), worked example: 3.3 µCi/mL calibrated at 3:00 p.m.; 6 µCi wanted at
        # 6:00 p.m.; 3.3 × 0.708 = 2.34 µCi/mL; 6 / 2.34 = 2.56 mL.
        # Tolerances: the source rounds the 3-h decay factor to 0.708 (ours 0.70772, 0.04 %),
        # the concentration to 2.34 (true 2.3355, 0.19 %) and the volume to 2.56 (2.564,
        # 0.16 %); together at most 0.4 %, so 0.25 % on the concentration, 0.5 % on the volume.
        calibrated = datetime(2026, 11, 23, 15, 0, tzinfo=ALMATY)
        product = Activity.of("Tc-99m", 33 * BQ_PER_UCI, calibrated)  # in 10 mL: 3.3 µCi/mL
        admin = calibrated + timedelta(hours=3)
        per_ml = concentration_bq_per_m3(product, 10 * M3_PER_ML, admin) * M3_PER_ML
        assert per_ml / BQ_PER_UCI == pytest.approx(2.34, rel=2.5e-3)
        volume = volume_to_draw_m3(product, 10 * M3_PER_ML, 6 * BQ_PER_UCI, admin)
        assert volume / M3_PER_ML == pytest.approx(2.56, rel=5e-3)

    def test_atomlab_manual_decay_example(self) -> None:
        # Biodex Atomlab 500 dose calibrator manual, appendix D, sample calculation:
        # A = 43 mCi / 2^(0.8833/6.007) = 38.83 mCi. Tolerance 5e-4 relative: the manual's
        # T½ 6.007 h against ICRP-107's 6.015 h changes the result by 1.4e-4, and 38.83 is
        # rounded to 4 digits (±1.3e-4).
        syringe = Activity.of("Tc-99m", 43 * BQ_PER_MCI, T0)
        later = T0 + timedelta(hours=0.8833)
        per_ml = concentration_bq_per_m3(syringe, M3_PER_ML, later) * M3_PER_ML
        assert per_ml / BQ_PER_MCI == pytest.approx(38.83, rel=5e-4)


# --------------------------------------------------------------------------- regression
class TestRegressionMessages:
    """Snapshots of our own wording; they guard the text, they do not validate it."""

    def test_draw_over_the_remaining_volume_message(self) -> None:
        with pytest.raises(DrawExceedsVialError) as caught:
            remaining_after_draw(VIAL, VIAL_ML, 12 * M3_PER_ML, T0)
        assert str(caught.value) == (
            "cannot draw 12 mL: the vial holds 10000 MBq in 10 mL at 23.11.2026 03:00 UTC"
        )
        parts = caught.value.parts
        assert parts[0][0].startswith("cannot draw {wanted}")  # translatable, values typed
        moment = parts[0][1]["at"]
        assert isinstance(moment, Moment) and moment.local("Asia/Almaty") == "23.11.2026 08:00"


# --------------------------------------------------------------------------- errors
class TestErrors:
    def test_draw_over_the_remaining_volume_says_what_is_left(self) -> None:
        with pytest.raises(DrawExceedsVialError, match=r"holds 10000 MBq in 10 mL") as caught:
            remaining_after_draw(VIAL, VIAL_ML, 10.5 * M3_PER_ML, T0)
        assert isinstance(caught.value, NucmedInputError)

    def test_prescription_over_the_remaining_activity_says_what_is_left(self) -> None:
        admin = T0 + timedelta(seconds=TC_HALF_LIFE_S)
        with pytest.raises(DrawExceedsVialError, match=r"cannot draw 6000 MBq: .* 5000 MBq"):
            volume_to_draw_m3(VIAL, VIAL_ML, 6e9, admin)

    @pytest.mark.parametrize("volume", [-1e-6, 0.0, math.nan], ids=["negative", "zero", "nan"])
    def test_vial_volume_must_be_positive(self, volume: float) -> None:
        with pytest.raises(DispensingInputError, match=r"^vial volume is"):
            volume_to_draw_m3(VIAL, volume, 1e8, T0)
        with pytest.raises(DispensingInputError, match=r"^volume is"):
            concentration_bq_per_m3(VIAL, volume, T0)

    def test_negative_drawn_volume_is_refused(self) -> None:
        with pytest.raises(DispensingInputError, match=r"^volume drawn is"):
            remaining_after_draw(VIAL, VIAL_ML, -1e-6, T0)

    @pytest.mark.parametrize("activity", [0.0, -1.0, math.inf], ids=["zero", "negative", "inf"])
    def test_wanted_activity_must_be_positive(self, activity: float) -> None:
        with pytest.raises(DispensingInputError, match=r"^activity wanted is"):
            volume_to_draw_m3(VIAL, VIAL_ML, activity, T0)

    def test_naive_times_are_refused(self) -> None:
        naive = datetime(2026, 11, 23, 9, 0)
        dose = Activity.of("Tc-99m", 740e6, T0)
        calls: list[Callable[[], object]] = [
            lambda: concentration_bq_per_m3(VIAL, VIAL_ML, naive),
            lambda: volume_to_draw_m3(VIAL, VIAL_ML, 1e8, naive),
            lambda: activity_at_draw_bq(dose, naive),
            lambda: remaining_after_draw(VIAL, VIAL_ML, 1e-6, naive),
        ]
        for call in calls:
            with pytest.raises(DispensingInputError, match="no time zone"):
                call()

    def test_a_dose_cannot_be_drawn_after_it_is_given(self) -> None:
        dose = Activity.of("Tc-99m", 740e6, T0)
        with pytest.raises(DispensingInputError, match="after the administration time"):
            activity_at_draw_bq(dose, T0 + timedelta(minutes=1))

    @pytest.mark.parametrize(
        ("measured", "expected", "tolerance"),
        [
            pytest.param(-1.0, 740e6, 0.1, id="negative-measured"),
            pytest.param(740e6, 0.0, 0.1, id="zero-expected"),
            pytest.param(740e6, 740e6, 1.0, id="tolerance-one"),
            pytest.param(740e6, 740e6, -0.1, id="negative-tolerance"),
        ],
    )
    def test_bad_check_inputs_are_refused(
        self, measured: float, expected: float, tolerance: float
    ) -> None:
        with pytest.raises(DispensingInputError):
            check_measured(measured, expected, tolerance)


def test_utc_and_local_times_give_the_same_volume() -> None:
    admin = T0 + timedelta(hours=2)
    assert volume_to_draw_m3(VIAL, VIAL_ML, 5e8, admin) == pytest.approx(
        volume_to_draw_m3(VIAL, VIAL_ML, 5e8, admin.astimezone(UTC)), rel=1e-12
    )
