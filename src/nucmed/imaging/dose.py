"""Absorbed-dose maps from time-integrated activity: local deposition and kernel convolution.

- :func:`local_deposition_dose`: all electron energy is absorbed in the voxel where the decay
  happens (local energy deposition, LED): D = Ã_c·Δ_np/ρ, with Ã_c the time-integrated
  activity concentration (Bq·s/m³), Δ_np the ICRP-107 electron energy per decay (J) and ρ the
  density (kg/m³) [1]_;
- :class:`KernelConvolver`: D = Ã_voxel ⊛ S, the convolution of the time-integrated activity
  per voxel (Bq·s) with a dose-voxel kernel (:mod:`nucmed.imaging.kernels`) by real FFT in
  float32 (``scipy.fft``), zero-padded so that nothing wraps round [2]_. Only the box that holds
  the activity, grown by the kernel's half-width, is transformed: outside it the dose is
  exactly zero (the kernel is finite), so the result is the same as over the whole field,
  for about half the work when the body fills a quarter of the field. The kernel's transform
  is kept for the last few (kernel, box size) pairs;
- :func:`voi_dose`: mean, minimum and maximum dose of a volume of interest and its cumulative
  dose-volume histogram (:mod:`.dvh`).

References
----------
.. [1] Y. K. Dewaraja et al., "MIRD Pamphlet No. 23: quantitative SPECT for patient-specific
   3-dimensional dosimetry in internal radionuclide therapy", J. Nucl. Med. 53, 1310-1325
   (2012) (local deposition and voxel S-value convolution).
.. [2] W. E. Bolch et al., MIRD Pamphlet No. 17, J. Nucl. Med. 40, 11S-36S (1999).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import scipy.fft

from nucmed import units
from nucmed.errors import N_, NucmedInputError
from nucmed.imaging.dvh import cumulative_dvh, dvh_levels
from nucmed.imaging.kernels import DoseKernel

__all__ = [
    "DoseInputError",
    "KernelConvolver",
    "VoiDose",
    "local_deposition_dose",
    "voi_dose",
]

Float32Array = npt.NDArray[np.float32]
_DIMENSIONS = 3


class DoseInputError(NucmedInputError):
    """Maps, masks or kernels that do not fit together."""


def _refused(template: str, **values: object) -> DoseInputError:
    """A dose input error of one template marked with ``N_`` and its values."""
    return DoseInputError(parts=((template, values),))


def _shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(side) for side in shape)


def _millimetres(sides_m: tuple[float, ...]) -> str:
    return " × ".join(f"{side / units.M_PER_MM:.4g}" for side in sides_m)


def local_deposition_dose(
    tia_bq_s_per_m3: npt.ArrayLike, energy_per_decay_j: float, density_kg_per_m3: float
) -> Float32Array:
    """Return the local-deposition dose map D = Ã_c·Δ_np/ρ, in Gy.

    Parameters
    ----------
    tia_bq_s_per_m3
        Time-integrated activity concentration per voxel, in Bq·s/m³.
    energy_per_decay_j
        Δ_np, energy deposited locally per decay, in J.
    density_kg_per_m3
        Density of the tissue, in kg/m³ (a scalar or a map of the same shape).

    Returns
    -------
    numpy.ndarray
        Absorbed dose per voxel, in Gy (float32).

    Examples
    --------
    >>> round(float(local_deposition_dose([1e9], 1e-13, 1e3)[0]), 12)  # 1e9·1e-13/1e3
    1e-07
    """
    tia = np.asarray(tia_bq_s_per_m3, dtype=np.float32)
    return np.asarray(
        tia * np.float32(energy_per_decay_j) / np.asarray(density_kg_per_m3, np.float32)
    )


@lru_cache(maxsize=4)
def _kernel_transform(
    kernel: DoseKernel, padded: tuple[int, int, int]
) -> npt.NDArray[np.complex64]:
    """The real FFT of the kernel (float32) zero-padded to ``padded`` (kept per kernel, size)."""
    values = kernel.s_gy_per_bq_s.astype(np.float32)
    return np.asarray(scipy.fft.rfftn(values, padded, axes=(0, 1, 2)), dtype=np.complex64)


def _support(values: Float32Array, margin: tuple[int, ...]) -> tuple[slice, ...] | None:
    """The box of the non-zero voxels grown by ``margin`` per axis (None when all are zero)."""
    nonzero = values != 0
    box = []
    for axis, grow in enumerate(margin):
        others = tuple(a for a in range(_DIMENSIONS) if a != axis)
        where = np.flatnonzero(np.any(nonzero, axis=others))
        if where.size == 0:
            return None
        low, high = (
            max(int(where[0]) - grow, 0),
            min(int(where[-1]) + grow + 1, values.shape[axis]),
        )
        box.append(slice(low, high))
    return tuple(box)


class KernelConvolver:
    """Convolve time-integrated activity maps with one kernel by real FFT (float32).

    Parameters
    ----------
    kernel
        The dose-voxel kernel; its voxel size must be the maps' voxel size.

    Examples
    --------
    >>> import numpy as np
    >>> from nucmed.imaging.kernels import dose_voxel_kernel
    >>> k = dose_voxel_kernel("Lu-177", (4e-3, 4e-3, 4e-3))
    >>> tia = np.zeros((9, 9, 9), np.float32); tia[4, 4, 4] = 1e12
    >>> dose = KernelConvolver(k).dose_gy(tia * 1.0, (4e-3, 4e-3, 4e-3))
    >>> round(float(dose.sum()) * 1040 * 64e-9 / (1e12 * 64e-9 * k.energy_per_decay_j), 4)
    1.0
    """

    def __init__(self, kernel: DoseKernel) -> None:
        self.kernel = kernel

    def dose_gy(
        self, tia_bq_s_per_m3: npt.ArrayLike, voxel_size_m: tuple[float, float, float]
    ) -> Float32Array:
        """Return the dose map (Gy) of a TIA-concentration map on this kernel's grid.

        Raises
        ------
        DoseInputError
            For a map that is not 3-D or a voxel size other than the kernel's.
        """
        tia = np.asarray(tia_bq_s_per_m3, dtype=np.float32)
        if tia.ndim != _DIMENSIONS:
            raise _refused(
                N_("the TIA map must be 3-D, got shape {shape}"), shape=_shape(tia.shape)
            )
        if not np.allclose(voxel_size_m, self.kernel.voxel_size_m, rtol=1e-6):
            raise _refused(
                N_("voxel size {given} mm differs from the kernel's {kernel} mm"),
                given=_millimetres(voxel_size_m),
                kernel=_millimetres(self.kernel.voxel_size_m),
            )
        sides = self.kernel.s_gy_per_bq_s.shape
        dose = np.zeros(tia.shape, np.float32)
        box = _support(tia, tuple(k // 2 for k in sides))
        if box is None:
            return dose
        per_voxel = tia[box] * np.float32(np.prod(voxel_size_m))
        padded = tuple(
            scipy.fft.next_fast_len(n + k - 1, real=True)
            for n, k in zip(per_voxel.shape, sides, strict=True)
        )
        spectrum = scipy.fft.rfftn(per_voxel, padded, axes=(0, 1, 2))
        spectrum *= _kernel_transform(self.kernel, (padded[0], padded[1], padded[2]))
        full = scipy.fft.irfftn(spectrum, padded, axes=(0, 1, 2))
        window = tuple(
            slice(k // 2, k // 2 + n) for k, n in zip(sides, per_voxel.shape, strict=True)
        )
        dose[box] = full[window]
        return dose


@dataclass(frozen=True, slots=True, eq=False)
class VoiDose:
    """Dose statistics of a volume of interest.

    Parameters
    ----------
    label
        The VOI's label value in the mask.
    voxels
        Number of voxels in the VOI.
    mean_gy, min_gy, max_gy
        Mean, minimum and maximum voxel dose, in Gy.
    dvh_dose_gy
        Dose levels of the cumulative DVH, in Gy (ascending, from 0 to the maximum).
    dvh_volume_fraction
        Fraction of the VOI receiving at least each dose level.
    """

    label: int
    voxels: int
    mean_gy: float
    min_gy: float
    max_gy: float
    dvh_dose_gy: npt.NDArray[np.float64]
    dvh_volume_fraction: npt.NDArray[np.float64]


def voi_dose(dose_gy: npt.ArrayLike, mask: npt.ArrayLike, label: int = 1) -> VoiDose:
    """Return the dose statistics and cumulative DVH of the voxels where ``mask == label``.

    Raises
    ------
    DoseInputError
        For a mask of another shape or a label with no voxel.

    Examples
    --------
    >>> v = voi_dose([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 0])
    >>> v.mean_gy, v.min_gy, v.max_gy, float(v.dvh_volume_fraction[0])
    (2.0, 1.0, 3.0, 1.0)
    """
    dose = np.asarray(dose_gy, dtype=np.float64)
    labels = np.asarray(mask)
    if labels.shape != dose.shape:
        raise _refused(
            N_("mask shape {mask} differs from the dose {dose}"),
            mask=_shape(labels.shape),
            dose=_shape(dose.shape),
        )
    values = dose[labels == label]
    if values.size == 0:
        raise _refused(N_("the mask has no voxel with label {label}"), label=label)
    levels = dvh_levels(float(values.max()))
    return VoiDose(
        label, int(values.size), float(values.mean()), float(values.min()), float(values.max()),
        levels, cumulative_dvh(values, levels),
    )  # fmt: skip
