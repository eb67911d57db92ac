"""MIRD organ dosimetry: time-activity fits, trapezoid with tail, absorbed dose, SVG plot."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nucmed.dosimetry import mird
from nucmed.dosimetry.mird import TacInputError
from nucmed.physics.nuclides import get_nuclide

H = 3600.0
LU177 = get_nuclide("Lu-177")
KEV_J = 1.602176634e-16  # exact: 1 eV = 1.602176634e-19 J (SI 2019)


def mono(t: np.ndarray, a0: float, lam: float) -> np.ndarray:
    return a0 * np.exp(-lam * t)


def uptake(t: np.ndarray, a0: float, slow: float, fast: float) -> np.ndarray:
    return a0 * (np.exp(-slow * t) - np.exp(-fast * t))


def clearance(t: np.ndarray, a1: float, l1: float, a2: float, l2: float) -> np.ndarray:
    return a1 * np.exp(-l1 * t) + a2 * np.exp(-l2 * t)


MONO_TIMES = np.array([4.0, 24.0, 48.0, 96.0, 168.0]) * H
UPTAKE_TIMES = np.array([1.0, 4.0, 24.0, 48.0, 96.0, 168.0]) * H
CLEARANCE_TIMES = np.array([0.5, 2.0, 6.0, 24.0, 48.0, 96.0, 168.0]) * H
UPTAKE_TRUE = (2e9, math.log(2) / (50 * H), math.log(2) / (3 * H))
CLEARANCE_TRUE = (1e9, math.log(2) / (80 * H), 3e9, math.log(2) / (4 * H))


class TestMonoExponentialAnalytic:
    """analytic: data generated from A₀·e^(−λt) give back A₀, λ and Ã = A₀/λ."""

    @pytest.mark.parametrize(
        ("a0", "half_life_h"),
        [
            pytest.param(2e9, 60.0, id="lu177-kidney-like"),
            pytest.param(5e7, 6.0, id="fast-clearance"),
            pytest.param(1e6, 150.0, id="near-physical-lu177"),
        ],
    )
    def test_exact_data_recovered(self, a0: float, half_life_h: float) -> None:
        lam = math.log(2) / (half_life_h * H)
        fit = mird.fit_mono_exponential(MONO_TIMES, mono(MONO_TIMES, a0, lam))
        assert fit.parameters["a0_bq"] == pytest.approx(a0, rel=1e-9)
        assert fit.parameters["lambda_eff_per_s"] == pytest.approx(lam, rel=1e-9)
        assert fit.parameters["effective_half_life_s"] == pytest.approx(half_life_h * H, rel=1e-9)
        assert fit.tia_bq_s == pytest.approx(a0 / lam, rel=1e-9)
        assert fit.tia_uncertainty_bq_s is not None
        assert fit.tia_uncertainty_bq_s < 1e-6 * fit.tia_bq_s  # no scatter, no uncertainty
        assert np.allclose(fit.residuals_bq, 0.0, atol=1e-6 * a0)

    @settings(max_examples=40, deadline=None)
    @given(
        a0=st.floats(1e4, 1e11),
        half_life_h=st.floats(0.5, 2000.0),
        scale=st.floats(1e-3, 1e3),
    )
    def test_tia_is_a0_over_lambda_and_scales_with_activity(
        self, a0: float, half_life_h: float, scale: float
    ) -> None:
        times = np.array([0.25, 0.5, 1.0, 2.0]) * half_life_h * H
        lam = math.log(2) / (half_life_h * H)
        fit = mird.fit_mono_exponential(times, mono(times, a0, lam))
        scaled = mird.fit_mono_exponential(times, scale * mono(times, a0, lam))
        assert fit.tia_bq_s == pytest.approx(a0 / lam, rel=1e-8)
        assert scaled.tia_bq_s == pytest.approx(scale * fit.tia_bq_s, rel=1e-8)

    def test_noisy_data_within_four_reported_sigmas(self) -> None:
        # Known σ = 5 % of the true activity: the estimates are close to normal about the true
        # values, so a miss beyond 4 σ has a probability of about 6e-5 (the seed is fixed).
        a0, lam = 2e9, math.log(2) / (60 * H)
        times = np.linspace(4.0, 168.0, 8) * H
        truth = mono(times, a0, lam)
        sigma = 0.05 * truth
        noisy = truth + sigma * np.random.default_rng(2026).standard_normal(times.size)
        fit = mird.fit_mono_exponential(times, noisy, uncertainties_bq=sigma)
        assert fit.parameter_uncertainties is not None
        assert fit.tia_uncertainty_bq_s is not None
        assert abs(fit.tia_bq_s - a0 / lam) < 4 * fit.tia_uncertainty_bq_s
        assert abs(fit.parameters["a0_bq"] - a0) < 4 * fit.parameter_uncertainties["a0_bq"]
        lam_u = fit.parameter_uncertainties["lambda_eff_per_s"]
        assert abs(fit.parameters["lambda_eff_per_s"] - lam) < 4 * lam_u
        # 5 % noise on 8 points: the TIA is known to a few percent, not to 0.1 % nor 30 %.
        assert 0.005 < fit.tia_uncertainty_bq_s / fit.tia_bq_s < 0.05

    def test_reported_uncertainty_covers_68_percent(self) -> None:
        # 400 seeded replicates: the fraction of |Ã - Ã_true| <= u(Ã) should be 0.683; its
        # binomial standard deviation is 0.023, so [0.61, 0.75] is ±3 sd.
        a0, lam = 2e9, math.log(2) / (60 * H)
        truth = mono(MONO_TIMES, a0, lam)
        sigma = 0.05 * truth
        rng = np.random.default_rng(11)
        z = []
        for _ in range(400):
            noisy = truth + sigma * rng.standard_normal(truth.size)
            fit = mird.fit_mono_exponential(MONO_TIMES, noisy, uncertainties_bq=sigma)
            assert fit.tia_uncertainty_bq_s is not None
            z.append((fit.tia_bq_s - a0 / lam) / fit.tia_uncertainty_bq_s)
        covered = float(np.mean(np.abs(np.array(z)) <= 1.0))
        assert 0.61 <= covered <= 0.75
        assert abs(float(np.mean(z))) < 0.15  # no bias beyond 3 sd of the mean (0.05)

    def test_default_weighting_estimates_noise_from_scatter(self) -> None:
        a0, lam = 2e9, math.log(2) / (60 * H)
        truth = mono(MONO_TIMES, a0, lam)
        pattern = np.random.default_rng(5).standard_normal(truth.size)
        small = mird.fit_mono_exponential(MONO_TIMES, truth * (1 + 0.01 * pattern))
        large = mird.fit_mono_exponential(MONO_TIMES, truth * (1 + 0.04 * pattern))
        assert small.tia_uncertainty_bq_s is not None
        assert large.tia_uncertainty_bq_s is not None
        ratio = large.tia_uncertainty_bq_s / small.tia_uncertainty_bq_s
        assert ratio == pytest.approx(4.0, rel=0.1)  # linear in the noise, to first order

    def test_half_life_longer_than_physical_is_noted(self) -> None:
        lam = math.log(2) / (300 * H)  # Lu-177's physical half-life is 159.5 h
        fit = mird.fit_mono_exponential(MONO_TIMES, mono(MONO_TIMES, 1e9, lam), nuclide="Lu-177")
        assert any("decay-corrected" in note for note in fit.notes)
        short = mird.fit_mono_exponential(
            MONO_TIMES, mono(MONO_TIMES, 1e9, 10 * lam), nuclide="177Lu"
        )
        assert short.notes == ()


class TestBiExponentialAnalytic:
    """analytic: both bi-exponential forms recover their kinetics and integrate in closed form."""

    def test_uptake_exact(self) -> None:
        a0, slow, fast = UPTAKE_TRUE
        fit = mird.fit_bi_exponential(UPTAKE_TIMES, uptake(UPTAKE_TIMES, *UPTAKE_TRUE))
        assert fit.model == "bi-exponential uptake"
        assert fit.parameters["a0_bq"] == pytest.approx(a0, rel=1e-8)
        assert fit.parameters["lambda_clearance_per_s"] == pytest.approx(slow, rel=1e-8)
        assert fit.parameters["lambda_uptake_per_s"] == pytest.approx(fast, rel=1e-8)
        assert fit.tia_bq_s == pytest.approx(a0 * (1 / slow - 1 / fast), rel=1e-9)

    def test_uptake_with_as_many_points_as_parameters(self) -> None:
        times = UPTAKE_TIMES[[1, 3, 5]]
        fit = mird.fit_bi_exponential(times, uptake(times, *UPTAKE_TRUE))
        a0, slow, fast = UPTAKE_TRUE
        assert fit.tia_bq_s == pytest.approx(a0 * (1 / slow - 1 / fast), rel=1e-8)
        assert fit.tia_uncertainty_bq_s is None
        assert fit.parameter_uncertainties is None
        assert any("uncertainty unknown" in note for note in fit.notes)

    def test_clearance_exact(self) -> None:
        a1, l1, a2, l2 = CLEARANCE_TRUE
        fit = mird.fit_bi_exponential(
            CLEARANCE_TIMES, clearance(CLEARANCE_TIMES, *CLEARANCE_TRUE), form="clearance"
        )
        assert fit.parameters["a_slow_bq"] == pytest.approx(a1, rel=1e-8)
        assert fit.parameters["lambda_slow_per_s"] == pytest.approx(l1, rel=1e-8)
        assert fit.parameters["a_fast_bq"] == pytest.approx(a2, rel=1e-8)
        assert fit.parameters["lambda_fast_per_s"] == pytest.approx(l2, rel=1e-8)
        assert fit.tia_bq_s == pytest.approx(a1 / l1 + a2 / l2, rel=1e-9)

    @pytest.mark.parametrize(
        ("form", "times", "truth", "integral"),
        [
            pytest.param(
                "uptake", UPTAKE_TIMES, uptake(UPTAKE_TIMES, *UPTAKE_TRUE),
                UPTAKE_TRUE[0] * (1 / UPTAKE_TRUE[1] - 1 / UPTAKE_TRUE[2]), id="uptake",
            ),
            pytest.param(
                "clearance", CLEARANCE_TIMES, clearance(CLEARANCE_TIMES, *CLEARANCE_TRUE),
                CLEARANCE_TRUE[0] / CLEARANCE_TRUE[1] + CLEARANCE_TRUE[2] / CLEARANCE_TRUE[3],
                id="clearance",
            ),
        ],
    )  # fmt: skip
    def test_noisy_data_within_four_reported_sigmas(
        self, form: str, times: np.ndarray, truth: np.ndarray, integral: float
    ) -> None:
        # Known 5 % σ; 4 σ as in the mono-exponential case (seeded).
        sigma = 0.05 * truth
        noisy = truth + sigma * np.random.default_rng(31).standard_normal(truth.size)
        fit = mird.fit_bi_exponential(times, noisy, form=form, uncertainties_bq=sigma)
        assert fit.tia_uncertainty_bq_s is not None
        assert abs(fit.tia_bq_s - integral) < 4 * fit.tia_uncertainty_bq_s

    @pytest.mark.parametrize("form", ["uptake", "clearance"])
    def test_tia_equals_integral_of_curve(self, form: str) -> None:
        times = UPTAKE_TIMES if form == "uptake" else CLEARANCE_TIMES
        truth = (
            uptake(times, *UPTAKE_TRUE) if form == "uptake" else clearance(times, *CLEARANCE_TRUE)
        )
        fit = mird.fit_bi_exponential(
            times, truth * (1 + 0.02 * np.sin(np.arange(times.size))), form=form
        )
        grid = np.concatenate(
            [np.linspace(0, 50 * H, 200001), np.linspace(50 * H, 20000 * H, 400001)[1:]]
        )
        values = fit.curve(grid)
        numeric = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(grid)))
        assert numeric == pytest.approx(fit.tia_bq_s, rel=1e-6)

    def test_residuals_are_measured_minus_curve(self) -> None:
        noisy = uptake(UPTAKE_TIMES, *UPTAKE_TRUE) * (1 + 0.03 * np.cos(np.arange(6)))
        fit = mird.fit_bi_exponential(UPTAKE_TIMES, noisy)
        assert np.allclose(fit.residuals_bq, noisy - fit.curve(UPTAKE_TIMES), rtol=0, atol=1e-3)


class TestTrapezoidAnalytic:
    """analytic: trapezoids plus a physical tail against the exact integral of a decay curve."""

    def test_pure_decay_equals_integral_plus_trapezoid_error(self) -> None:
        # A(t) = A₀·e^(−λt) with λ physical: the tail A_last/λ is exact and every trapezoid
        # over [a, b] exceeds the exact area by h/2·(f_a + f_b) − (f_a − f_b)/λ, i.e. by the
        # fraction (x/2)·coth(x/2) − 1 <= x²/12 with x = λh.
        lam = LU177.decay_constant_per_s
        times = np.array([4.0, 24.0, 72.0, 168.0, 336.0]) * H
        values = mono(times, 5e9, lam)
        fit = mird.trapezoid_with_tail(times, values, "Lu-177", origin="none")
        exact = values[0] / lam
        h = np.diff(times)
        errors = h / 2 * (values[:-1] + values[1:]) - (values[:-1] - values[1:]) / lam
        assert fit.tia_bq_s == pytest.approx(exact + errors.sum(), rel=1e-12)
        assert 0 < fit.tia_bq_s / exact - 1 <= float(np.max((lam * h) ** 2 / 12))
        assert fit.parameters["tail_bq_s"] == pytest.approx(values[-1] / lam, rel=1e-12)

    @pytest.mark.parametrize(
        ("origin", "extra"),
        [
            pytest.param("none", 0.0, id="none"),
            pytest.param("zero", 0.5, id="zero-triangle"),
            pytest.param("hold", 1.0, id="hold-rectangle"),
        ],
    )
    def test_origin_adds_the_first_interval(self, origin: str, extra: float) -> None:
        times, values = np.array([2.0, 4.0, 8.0]) * H, np.array([3e8, 2e8, 1e8])
        base = mird.trapezoid_with_tail(times, values, "Lu-177", origin="none").tia_bq_s
        fit = mird.trapezoid_with_tail(times, values, "Lu-177", origin=origin)
        assert fit.tia_bq_s == pytest.approx(base + extra * times[0] * values[0], rel=1e-12)

    def test_uncertainty_propagated_from_points(self) -> None:
        lam = LU177.decay_constant_per_s
        times, values, sigma = np.array([1.0, 2.0, 4.0]) * H, [3e8, 2e8, 1e8], [3e6, 4e6, 5e6]
        weights = np.array([0.5 * H, 1.5 * H, 1.0 * H + 1 / lam])  # by hand, origin none
        fit = mird.trapezoid_with_tail(
            times, values, "Lu-177", origin="none", uncertainties_bq=sigma
        )
        assert fit.tia_bq_s == pytest.approx(float(weights @ values), rel=1e-12)
        assert fit.tia_uncertainty_bq_s == pytest.approx(
            math.sqrt(float((weights * sigma) @ (weights * sigma))), rel=1e-12
        )
        assert mird.trapezoid_with_tail(times, values, "Lu-177").tia_uncertainty_bq_s is None

    def test_curve_interpolates_then_decays(self) -> None:
        times, values = np.array([2.0, 4.0, 8.0]) * H, np.array([3e8, 2e8, 1e8])
        fit = mird.trapezoid_with_tail(times, values, "Lu-177", origin="none")
        assert np.allclose(fit.curve(times), values)
        assert fit.curve(3 * H)[0] == pytest.approx(2.5e8)
        later = 8 * H + LU177.half_life_s
        assert fit.curve(later)[0] == pytest.approx(0.5e8, rel=1e-12)
        assert math.isnan(fit.curve(1 * H)[0])
        assert mird.trapezoid_with_tail(times, values, "Lu-177").curve(0.0)[0] == 0.0

    def test_zero_activity_allowed(self) -> None:
        fit = mird.trapezoid_with_tail([1 * H, 2 * H, 3 * H], [0.0, 1e6, 0.0], "I-131")
        assert fit.tia_bq_s == pytest.approx(1e6 * H, rel=1e-12)


class TestAbsorbedDoseAnalytic:
    """analytic: D = Σ Ã·S and its propagated uncertainty."""

    def test_sum_over_sources(self) -> None:
        assert mird.absorbed_dose_gy([1e14, 2e14], [1e-13, 5e-15]) == pytest.approx(11.0)

    def test_uncertainty(self) -> None:
        u = mird.absorbed_dose_uncertainty_gy([1e14, 2e14], [1e-13, 5e-15], [1e13, 0.0], 1e-15)
        assert u == pytest.approx(math.hypot(1.0, 0.1, 0.2))


class TestAbsorbedDosePublished:
    """published: worked MIRD example, D = Ã·Σnᵢ Eᵢ·φᵢ/m, I-131 in Balb/c mice.

    EJNMMI Research 1:29 (2011), "Effects of internal low-dose irradiation from 131I on gene
    expression in normal tissues in Balb/c mice", Table 1 (Ã per MBq administered, in kBq·s;
    nE = 190 keV; φ; m; D for 13, 130 and 260 kBq). Tolerance: half a unit of the printed last
    digit plus 0.5 % for the paper's unstated rounding of constants.
    """

    REFERENCE = (
        # organ, Ã (kBq·s per MBq), φ, m (g), D (mGy) at 13 / 130 / 260 kBq
        pytest.param(161544, 0.919, 0.34, (0.17, 1.7, 3.5), id="kidneys"),
        pytest.param(313027, 0.954, 1.2, (0.10, 0.98, 2.0), id="liver"),
        pytest.param(217091, 0.85, 0.15, (0.49, 4.9, 9.7), id="lungs"),
        pytest.param(49087, 0.854, 0.079, (0.21, 2.1, 4.2), id="spleen"),
    )

    @pytest.mark.parametrize(("tia_kbq_s", "phi", "mass_g", "doses_mgy"), REFERENCE)
    def test_table_1(
        self, tia_kbq_s: float, phi: float, mass_g: float, doses_mgy: tuple[float, ...]
    ) -> None:
        s_value = 190 * KEV_J * phi / (mass_g * 1e-3)  # Gy/(Bq·s)
        for administered_mbq, printed in zip((0.013, 0.130, 0.260), doses_mgy, strict=True):
            dose_mgy = 1e3 * mird.absorbed_dose_gy(tia_kbq_s * 1e3 * administered_mbq, s_value)
            last_digit = 0.01 if printed < 1 else 0.1
            assert dose_mgy == pytest.approx(printed, abs=last_digit / 2 + 0.005 * printed)


class TestHelpers:
    def test_elapsed_s_from_aware_datetimes(self) -> None:
        start = datetime(2026, 3, 2, 9, tzinfo=UTC)
        almaty = timezone(timedelta(hours=5))
        got = mird.elapsed_s([datetime(2026, 3, 2, 18, tzinfo=almaty), start], start)
        assert got.tolist() == [4 * H, 0.0]


class TestErrors:
    @pytest.mark.parametrize(
        ("times", "activities", "message"),
        [
            pytest.param([1.0, 2.0], [2.0, 1.0], "3 or more", id="too-few"),
            pytest.param([1.0, 1.0, 2.0], [3.0, 2.0, 1.0], "increasing", id="repeated-time"),
            pytest.param([-1.0, 1.0, 2.0], [3.0, 2.0, 1.0], "0 s or later", id="negative-time"),
            pytest.param([1.0, 2.0, 3.0], [3.0, -2.0, 1.0], "activities", id="negative"),
            pytest.param([1.0, 2.0, 3.0], [3.0, 0.0, 1.0], "above 0", id="zero-in-fit"),
            pytest.param([1.0, 2.0, 3.0], [3.0, 2.0], "one time per activity", id="lengths"),
            pytest.param([1.0, 2.0, math.nan], [3.0, 2.0, 1.0], "finite", id="nan"),
            pytest.param([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "do not fall", id="rising"),
            pytest.param("abc", [1.0, 2.0, 3.0], "numbers", id="text"),
        ],
    )
    def test_mono_input(self, times: object, activities: object, message: str) -> None:
        with pytest.raises(TacInputError, match=message):
            mird.fit_mono_exponential(times, activities)  # type: ignore[arg-type]

    def test_bad_uncertainties(self) -> None:
        with pytest.raises(TacInputError, match="uncertainty above 0"):
            mird.fit_mono_exponential([1, 2, 3], [3, 2, 1], uncertainties_bq=[1, 0, 1])

    def test_clearance_needs_four_points(self) -> None:
        with pytest.raises(TacInputError, match="4 or more"):
            mird.fit_bi_exponential([1, 2, 3], [3, 2, 1], form="clearance")

    def test_unknown_form_and_origin(self) -> None:
        with pytest.raises(TacInputError, match="uptake, clearance"):
            mird.fit_bi_exponential([1, 2, 3], [3, 2, 1], form="triple")
        with pytest.raises(TacInputError, match="zero, hold, none"):
            mird.trapezoid_with_tail([1, 2, 3], [3, 2, 1], "Lu-177", origin="linear")

    def test_stable_nuclide_has_no_tail(self) -> None:
        with pytest.raises(TacInputError, match="stable"):
            mird.trapezoid_with_tail([1, 2, 3], [3, 2, 1], "Hf-177")

    def test_clearance_form_cannot_fit_a_rise(self) -> None:
        with pytest.raises(TacInputError, match="no two-phase clearance"):
            mird.fit_bi_exponential([1.0, 2.0, 3.0, 4.0], [1.0, 5.0, 3.0, 1.0], form="clearance")

    def test_naive_datetime_refused(self) -> None:
        start = datetime(2026, 3, 2, 9, tzinfo=UTC)
        with pytest.raises(TacInputError, match="no time zone"):
            mird.elapsed_s([datetime(2026, 3, 3, 9)], start)

    @pytest.mark.parametrize(
        ("tia", "s_value"),
        [
            pytest.param([1.0, 2.0], [1.0], id="lengths"),
            pytest.param(-1.0, 1e-13, id="negative-tia"),
            pytest.param(1.0, math.inf, id="infinite-s"),
        ],
    )
    def test_dose_input(self, tia: object, s_value: object) -> None:
        with pytest.raises(TacInputError):
            mird.absorbed_dose_gy(tia, s_value)  # type: ignore[arg-type]
