"""The FFT convolution over the activity's box equals a direct sum over the whole field.

analytic: D(x) = Σ_y Ã(y)·V·S(x − y), computed directly (scipy.ndimage.convolve, zero outside
the field) in float64, against the float32 real-FFT convolution restricted to the box that
holds the activity grown by the kernel's half-width.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from nucmed.imaging.dose import KernelConvolver
from nucmed.imaging.kernels import dose_voxel_kernel

VOXEL = (4.42e-3, 4.42e-3, 4.42e-3)


def _direct(tia: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    per_voxel = tia.astype(np.float64) * float(np.prod(VOXEL))
    return np.asarray(ndimage.convolve(per_voxel, kernel, mode="constant", cval=0.0))


@pytest.mark.parametrize("nuclide", ["Lu-177", "Y-90"])
@pytest.mark.parametrize(
    "where",
    [
        pytest.param((slice(10, 16), slice(8, 12), slice(12, 20)), id="inside"),
        pytest.param((slice(0, 3), slice(20, 24), slice(0, 24)), id="touching-the-edges"),
    ],
)
def test_box_convolution_equals_the_direct_sum(nuclide: str, where: tuple[slice, ...]) -> None:
    kernel = dose_voxel_kernel(nuclide, VOXEL)
    rng = np.random.default_rng(11)
    tia = np.zeros((24, 24, 24), np.float32)
    tia[where] = rng.uniform(1e12, 1e13, tia[where].shape)  # Bq·s/m³
    dose = KernelConvolver(kernel).dose_gy(tia, VOXEL)
    expected = _direct(tia, kernel.s_gy_per_bq_s)
    # float32 FFT: errors ~1e-7 of the largest dose; zero far from the activity
    np.testing.assert_allclose(dose, expected, rtol=0, atol=2e-6 * float(expected.max()))
    assert dose.shape == tia.shape and dose.dtype == np.float32


def test_no_activity_gives_zero_dose() -> None:
    kernel = dose_voxel_kernel("Lu-177", VOXEL)
    dose = KernelConvolver(kernel).dose_gy(np.zeros((8, 8, 8)), VOXEL)
    assert not dose.any()
