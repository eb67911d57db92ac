"""Voxel-wise kinetics: closed-form mono-exponential, vectorised bi-exponential, trapezoid."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nucmed.imaging.kinetics import (
    FitFlag,
    KineticsInputError,
    fit_bi_exponential_map,
    fit_mono_exponential_map,
    time_integrated_activity,
    trapezoid_map,
)

HOUR = 3600.0
LU177_RATE = math.log(2) / (6.647 * 86400)  # ICRP 107 half-life 6.647 d
TIMES = np.array([4.0, 24.0, 72.0, 168.0]) * HOUR


class TestMonoExponentialAnalytic:
    """analytic: noise-free C₀·e^(−λt) gives back C₀/λ exactly (to float rounding)."""

    def test_recovers_generated_parameters_per_voxel(self) -> None:
        rng = np.random.default_rng(7)
        c0 = rng.uniform(1e3, 1e6, size=(5, 6, 7))
        rate = rng.uniform(LU177_RATE * 1.1, LU177_RATE * 20, size=c0.shape)
        maps = c0 * np.exp(-np.multiply.outer(TIMES, rate))
        out = fit_mono_exponential_map(TIMES, maps, LU177_RATE)
        np.testing.assert_allclose(out.tia, c0 / rate, rtol=1e-5)  # float32 output
        assert np.all(out.flags == FitFlag.OK)
        np.testing.assert_allclose(out.r_squared, 1.0, atol=1e-5)

    def test_clearance_slower_than_decay_is_clamped_to_physical_decay(self) -> None:
        maps = np.full((TIMES.size, 1), 100.0)  # constant: λ = 0 < λ_phys
        out = fit_mono_exponential_map(TIMES, maps, LU177_RATE)
        assert out.flags[0] == FitFlag.RATE_CLAMPED
        basis = np.exp(-LU177_RATE * TIMES)
        amplitude = float(np.sum(basis * 100.0) / np.sum(basis**2))
        assert float(out.tia[0]) == pytest.approx(amplitude / LU177_RATE, rel=1e-5)

    def test_non_positive_voxel_falls_back_to_the_trapezoid(self) -> None:
        maps = np.array([[10.0], [0.0], [5.0], [1.0]])
        out = fit_mono_exponential_map(TIMES, maps, LU177_RATE)
        expected = trapezoid_map(TIMES, maps, LU177_RATE).tia[0]
        assert (out.flags[0], float(out.tia[0])) == (FitFlag.TRAPEZOID_FALLBACK, expected)


class TestBiExponentialAnalytic:
    """analytic: noise-free C₀(e^(−λ₁t) − e^(−λ₂t)) gives back C₀(1/λ₁ − 1/λ₂).

    Effective half-lives chosen in the range seen for Lu-177 kidneys and tumours (tens of
    hours to the physical 160 h; uptake over 1 to 10 h). The tolerance 1e-4 covers float32
    output and the finite Gauss-Newton iterations.
    """

    HALF_LIVES_H = (
        pytest.param(40.0, 2.0, id="kidney-like"),
        pytest.param(100.0, 10.0, id="tumour-like"),
        pytest.param(60.0, 6.0, id="intermediate"),
        pytest.param(150.0, 1.0, id="slow-clearance-fast-uptake"),
    )

    @pytest.mark.parametrize(("clearance_h", "uptake_h"), HALF_LIVES_H)
    def test_recovers_generated_parameters(self, clearance_h: float, uptake_h: float) -> None:
        slow, fast = math.log(2) / (clearance_h * HOUR), math.log(2) / (uptake_h * HOUR)
        column = 2e5 * (np.exp(-slow * TIMES) - np.exp(-fast * TIMES))
        maps = np.repeat(column[:, None], 3, axis=1) * np.array([1.0, 10.0, 0.1])
        out = fit_bi_exponential_map(TIMES, maps, LU177_RATE)
        expected = 2e5 * (1 / slow - 1 / fast) * np.array([1.0, 10.0, 0.1])
        np.testing.assert_allclose(out.tia, expected, rtol=1e-4)
        assert np.all(out.flags == FitFlag.OK)

    def test_population_mostly_recovered(self) -> None:
        rng = np.random.default_rng(3)
        n = 2000
        slow = rng.uniform(1.2, 5.0, n) * LU177_RATE
        fast = slow * rng.uniform(5.0, 100.0, n)
        maps = 1e4 * (np.exp(-np.outer(TIMES, slow)) - np.exp(-np.outer(TIMES, fast)))
        out = fit_bi_exponential_map(TIMES, maps, LU177_RATE)
        error = np.abs(out.tia / (1e4 * (1 / slow - 1 / fast)) - 1)
        # regression of our own fit on exact data: the median is exact, the tail is the
        # ill-conditioned pairs (λ₂ ≫ 1/t₁, the uptake barely sampled)
        assert np.median(error) < 1e-4
        assert np.percentile(error, 90) < 0.05


class TestTrapezoidAnalytic:
    """analytic: triangles from (0, 0) plus C_last/λ_phys."""

    def test_areas_and_tail(self) -> None:
        maps = np.array([[2.0], [4.0]])
        out = trapezoid_map([1.0, 3.0], maps, 0.25)
        assert float(out.tia[0]) == pytest.approx(0.5 * 2 * 1 + 0.5 * (2 + 4) * 2 + 4 / 0.25)
        assert math.isnan(float(out.r_squared[0]))


class TestRefusals:
    @pytest.mark.parametrize(
        ("times", "maps", "message"),
        [
            pytest.param([1.0], [[1.0]], "at least 2", id="too-few"),
            pytest.param([2.0, 1.0], [[1.0], [1.0]], "increasing", id="not-increasing"),
            pytest.param([0.0, 1.0], [[1.0], [1.0]], "> 0 s", id="zero-time"),
            pytest.param([1.0, 2.0], [[1.0]], "2 times but 1 maps", id="length"),
            pytest.param([1.0, 2.0], [[1.0], [np.nan]], "NaN", id="nan"),
        ],
    )
    def test_bad_input_is_refused(
        self, times: list[float], maps: list[list[float]], message: str
    ) -> None:
        with pytest.raises(KineticsInputError, match=message):
            fit_mono_exponential_map(times, maps, LU177_RATE)

    def test_unknown_model(self) -> None:
        with pytest.raises(KineticsInputError, match="allowed: mono, bi, trapezoid"):
            time_integrated_activity("gamma", TIMES, np.ones((4, 1)), LU177_RATE)
