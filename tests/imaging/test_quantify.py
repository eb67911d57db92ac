"""Quantitative SPECT: sensitivity from a phantom, counts to Bq/m³, VOI activities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nucmed.imaging.quantify import (
    QuantifyInputError,
    counts_to_concentration,
    sensitivity_cps_per_bq,
    voi_activities_bq,
)

LU177_RATE = math.log(2) / (6.647 * 86400)  # ICRP 107


class TestCalibrationAnalytic:
    """analytic: counts generated from N = S·A·e^(−λt₀)·(1 − e^(−λΔt))/λ give S back."""

    @pytest.mark.parametrize(
        ("elapsed_s", "duration_s"),
        [pytest.param(0.0, 1800.0, id="at-reference"), pytest.param(3 * 86400, 3600.0, id="3d")],
    )
    def test_sensitivity_round_trip(self, elapsed_s: float, duration_s: float) -> None:
        truth = 9.5e-6  # cps/Bq (9.5 cps/MBq, a medium-energy Lu-177 window)
        activity = 400e6
        decayed = activity * math.exp(-LU177_RATE * elapsed_s)
        counts = truth * decayed * -math.expm1(-LU177_RATE * duration_s) / LU177_RATE
        found = sensitivity_cps_per_bq(counts, duration_s, activity, elapsed_s, LU177_RATE)
        assert found == pytest.approx(truth, rel=1e-12)

    def test_counts_to_concentration_inverts_the_acquisition(self) -> None:
        concentration = np.array([1e9, 5e10, 0.0])  # Bq/m³ at the start of the acquisition
        volume, duration, sensitivity = 4.42e-3**3, 1200.0, 9.5e-6
        counts = (
            concentration * volume * sensitivity * -math.expm1(-LU177_RATE * duration) / LU177_RATE
        )
        found = counts_to_concentration(counts, duration, sensitivity, volume, LU177_RATE)
        np.testing.assert_allclose(found, concentration, rtol=1e-6)  # float32 output

    def test_voi_activities_sum_the_voxels(self) -> None:
        maps = np.stack([np.full((3, 3, 3), 2e6), np.full((3, 3, 3), 1e6)])
        labels = np.zeros((3, 3, 3), int)
        labels[0] = 1
        labels[2, 2, 2] = 2
        out = voi_activities_bq(maps, labels, 1e-6)
        np.testing.assert_allclose(out[1], [18.0, 9.0])
        np.testing.assert_allclose(out[2], [2.0, 1.0])


class TestRefusals:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            pytest.param((0.0, 10.0, 1e6, 0.0), "counts must be > 0", id="counts"),
            pytest.param((1.0, 0.0, 1e6, 0.0), "duration must be > 0", id="duration"),
            pytest.param((1.0, 10.0, -1.0, 0.0), "activity must be > 0", id="activity"),
            pytest.param((1.0, 10.0, 1e6, -5.0), "at or after the reference", id="before"),
        ],
    )
    def test_bad_phantom(self, args: tuple[float, float, float, float], message: str) -> None:
        with pytest.raises(QuantifyInputError, match=message):
            sensitivity_cps_per_bq(*args, LU177_RATE)

    def test_shape_mismatch(self) -> None:
        with pytest.raises(QuantifyInputError, match="does not match"):
            voi_activities_bq(np.ones((2, 3, 3, 3)), np.ones((2, 2, 2)), 1e-6)
