"""Voxel dosimetry of a study: activity maps at several times -> TIA map -> dose map -> VOIs.

One function, :func:`voxel_dosimetry`, that the command line (and later the web) calls with
arrays already read and placed on one grid (SI units): fit the kinetics of every voxel
(:mod:`.kinetics`), turn the time-integrated activity into absorbed dose by local energy
deposition or by convolution with the nuclide's dose-voxel kernel (:mod:`.dose`,
:mod:`.kernels`), and report the dose of every VOI of a label map.

The study's mean dose is taken over the VOIs when a label map is given, else over the voxels
with activity (Ã > 0); the maximum likewise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from nucmed.data import Status
from nucmed.dosimetry.svalues import electron_energy_per_decay_j
from nucmed.errors import N_, refusal
from nucmed.imaging.dose import KernelConvolver, VoiDose, local_deposition_dose, voi_dose
from nucmed.imaging.kernels import SOFT_TISSUE_DENSITY_KG_PER_M3, dose_voxel_kernel
from nucmed.imaging.kinetics import FitFlag, TiaMap, time_integrated_activity
from nucmed.physics.nuclides import get_nuclide

__all__ = ["DOSE_METHODS", "STAGES", "VoxelDosimetry", "VoxelStudy", "voxel_dosimetry"]

DoseMethod = Literal["led", "dvk"]
DOSE_METHODS: tuple[DoseMethod, ...] = ("led", "dvk")
"""``led``: local energy deposition; ``dvk``: dose-voxel-kernel convolution."""

STAGES = ("kinetics", "kernel", "dose", "statistics")
"""The steps reported to the progress callback, in order."""

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True, eq=False)
class VoxelDosimetry:
    """The result of :func:`voxel_dosimetry`.

    Parameters
    ----------
    nuclide, method, fit
        What was computed and how.
    tia
        The time-integrated activity map and its fit quality.
    dose_gy
        Absorbed dose per voxel, in Gy (float32).
    mean_dose_gy, max_dose_gy
        Over the VOIs, or over the voxels with activity when there is no label map, in Gy.
    vois
        Dose of each VOI (label > 0), by label.
    flagged_voxels
        Voxels whose fit was replaced by the trapezoid or whose clearance was clamped.
    source, status
        How the dose was computed and the weakest status of the data used.
    """

    nuclide: str
    method: DoseMethod
    fit: str
    tia: TiaMap
    dose_gy: npt.NDArray[np.float32]
    mean_dose_gy: float
    max_dose_gy: float
    vois: tuple[VoiDose, ...]
    flagged_voxels: int
    source: str
    status: Status


@dataclass(frozen=True, slots=True, eq=False)
class VoxelStudy:
    """Activity maps of one study on one grid, in SI units.

    Parameters
    ----------
    nuclide
        Any accepted spelling (Lu-177, Y-90, I-131 for ``dvk``; any with electron data for
        ``led``).
    times_s
        Times of the maps after administration, in s, increasing.
    maps_bq_per_m3
        Activity concentrations (not decay-corrected), in Bq/m³, shape (T, X, Y, Z).
    voxel_size_m
        Voxel sides, in m.
    labels
        Label map of the VOIs (0 outside), shape (X, Y, Z); None for none.
    density_kg_per_m3
        Tissue density, in kg/m³.
    """

    nuclide: str
    times_s: npt.ArrayLike
    maps_bq_per_m3: npt.ArrayLike
    voxel_size_m: tuple[float, float, float]
    labels: npt.ArrayLike | None = None
    density_kg_per_m3: float = SOFT_TISSUE_DENSITY_KG_PER_M3


def _dose(
    study: VoxelStudy, nuclide: str, method: str, tia: TiaMap, progress: Progress
) -> tuple[npt.NDArray[np.float32], str, Status]:
    energy = electron_energy_per_decay_j(nuclide)
    density = study.density_kg_per_m3
    if method == "led":
        progress("kernel")
        progress("dose")
        led = N_("local energy deposition of the ICRP-107 electron energy per decay")
        return local_deposition_dose(tia.tia, energy, density), led, Status.CONFIRMED
    if method != "dvk":
        raise refusal(
            N_("unknown method '{method}'; allowed: {allowed}"),
            method=method,
            allowed=", ".join(DOSE_METHODS),
        )
    progress("kernel")
    kernel = dose_voxel_kernel(nuclide, study.voxel_size_m, density)
    progress("dose")
    return (
        KernelConvolver(kernel).dose_gy(tia.tia, study.voxel_size_m),
        kernel.source,
        kernel.status,
    )


def _kinetics(
    fit: str, times_s: npt.ArrayLike, maps: npt.NDArray[np.float32], rate: float
) -> TiaMap:
    """Fit only the voxels with activity at some time (air and empty field stay at Ã = 0)."""
    shape = maps.shape[1:]
    active = np.flatnonzero(np.any(maps > 0, axis=0))  # flat indices: take is ~5x a mask
    inside = time_integrated_activity(
        fit, times_s, np.take(maps.reshape(maps.shape[0], -1), active, axis=1), rate
    )
    tia = np.zeros(math.prod(shape), np.float32)
    r2 = np.full(math.prod(shape), np.nan, np.float32)
    flags = np.zeros(math.prod(shape), np.uint8)
    tia[active], r2[active], flags[active] = inside.tia, inside.r_squared, inside.flags
    return TiaMap(inside.model, tia.reshape(shape), r2.reshape(shape), flags.reshape(shape))


def voxel_dosimetry(
    study: VoxelStudy,
    *,
    method: str = "dvk",
    fit: str = "mono",
    progress: Progress | None = None,
) -> VoxelDosimetry:
    """Compute the absorbed-dose map and VOI doses of a study.

    Parameters
    ----------
    study
        The maps, their times, the voxel size and the VOIs.
    method
        ``led`` or ``dvk`` (:data:`DOSE_METHODS`).
    fit
        ``mono``, ``bi`` or ``trapezoid``.
    progress
        Called with each name of :data:`STAGES` as the step begins.

    Returns
    -------
    VoxelDosimetry
        The maps, the VOI doses, the source and status.

    Raises
    ------
    NucmedInputError
        For a nuclide, method, fit, map or label map that cannot be used.

    Examples
    --------
    >>> import numpy as np
    >>> maps = np.full((2, 4, 4, 4), 1e9) * np.array([1.0, 0.5])[:, None, None, None]
    >>> study = VoxelStudy("Lu-177", [86400.0, 172800.0], maps, (4e-3, 4e-3, 4e-3))
    >>> round(voxel_dosimetry(study, method="led").mean_dose_gy, 5)  # 2e9/(ln2/d)·Δ/ρ
    0.00568
    """
    report = progress or (lambda stage: None)
    canonical = get_nuclide(study.nuclide).name
    maps = np.asarray(study.maps_bq_per_m3, dtype=np.float32)
    if maps.ndim != 4:  # noqa: PLR2004 (time and three space axes)
        raise refusal(
            N_("activity maps must be (time, x, y, z), got shape {shape}"), shape=maps.shape
        )
    report("kinetics")
    tia = _kinetics(fit, study.times_s, maps, get_nuclide(canonical).decay_constant_per_s)
    dose, source, status = _dose(study, canonical, method, tia, report)
    report("statistics")
    if study.labels is None:
        region = tia.tia > 0
        vois: tuple[VoiDose, ...] = ()
    else:
        label_map = np.asarray(study.labels)
        vois = tuple(voi_dose(dose, label_map, int(n)) for n in np.unique(label_map) if n > 0)
        region = label_map > 0
    chosen = dose[region] if np.any(region) else dose.reshape(-1)
    return VoxelDosimetry(
        canonical, "led" if method == "led" else "dvk", fit, tia, dose, float(chosen.mean()),
        float(chosen.max()), vois, int(np.count_nonzero(tia.flags != FitFlag.OK)), source,
        status,
    )  # fmt: skip
