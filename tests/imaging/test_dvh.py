"""Cumulative DVH (issue 18). Kinds of expected value: **analytic** — a uniform dose gives a
step at that dose; a dose rising linearly across the VOI (voxel doses evenly spread from 0 to
D_max) gives V(D) = 1 − D/D_max; 1/N steps for N voxels."""

from __future__ import annotations

import numpy as np
import pytest

from nucmed.imaging.dose import voi_dose
from nucmed.imaging.dvh import DVH_LEVELS, cumulative_dvh, dvh_levels


def test_a_uniform_dose_gives_a_step_at_that_dose() -> None:
    levels = dvh_levels(4.0)
    fraction = cumulative_dvh(np.full((5, 6, 7), 2.5), levels)
    assert np.all(fraction[levels <= 2.5] == 1.0)
    assert np.all(fraction[levels > 2.5] == 0.0)


def test_a_linear_ramp_gives_a_linear_dvh() -> None:
    n = 10_000
    ramp = (np.arange(n) + 0.5) / n * 8.0  # voxel doses evenly spread over 0..8 Gy
    levels = dvh_levels(8.0)
    expected = 1.0 - levels / 8.0
    assert cumulative_dvh(ramp.reshape(100, 100, 1), levels) == pytest.approx(expected, abs=1e-4)


def test_each_voxel_is_one_nth_of_the_volume() -> None:
    fraction = cumulative_dvh([1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.5, 4.0, 4.5])
    assert fraction.tolist() == [1.0, 1.0, 0.75, 0.25, 0.0]


def test_levels_run_from_zero_to_the_top() -> None:
    levels = dvh_levels(3.0)
    assert (levels[0], levels[-1], levels.size) == (0.0, 3.0, DVH_LEVELS + 1)


def test_the_voi_statistics_carry_the_same_dvh() -> None:
    dose = np.linspace(0.0, 6.0, 61).reshape(61, 1, 1)
    mask = np.zeros_like(dose, dtype=int)
    mask[10:40] = 1
    voi = voi_dose(dose, mask, 1)
    inside = dose[mask == 1]
    assert voi.dvh_volume_fraction == pytest.approx(cumulative_dvh(inside, voi.dvh_dose_gy))
    assert voi.dvh_dose_gy[-1] == pytest.approx(voi.max_gy)


def test_an_empty_voi_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one voxel"):
        cumulative_dvh([], [0.0])
