"""Small NIfTI dose maps and masks written by the tests (nothing downloaded).

The map: a 20 × 16 × 12 grid of 4 × 4 × 5 mm voxels, 1 Gy background, a 4 × 4 × 4 cube of
2 Gy (label 1, "kidney") and a 2 × 2 × 2 cube of 10 Gy (label 2, "tumour").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import write_activity_map, write_dose_map, write_labels

SHAPE = (20, 16, 12)
SPACING_M = (4e-3, 4e-3, 5e-3)
AFFINE_M = np.diag([*SPACING_M, 1.0])
KIDNEY = (slice(2, 6), slice(3, 7), slice(4, 8))
TUMOUR = (slice(10, 12), slice(8, 10), slice(5, 7))


def dose_volume() -> Volume:
    """The dose map in Gy."""
    values = np.ones(SHAPE, dtype=np.float32)
    values[KIDNEY] = 2.0
    values[TUMOUR] = 10.0
    return Volume(values, AFFINE_M)


def mask_volume(shape: tuple[int, int, int] = SHAPE) -> Volume:
    """The label map: 1 on the kidney cube, 2 on the tumour cube."""
    labels = np.zeros(shape, dtype=np.float32)
    labels[KIDNEY] = 1
    labels[TUMOUR] = 2
    return Volume(labels, np.diag([*SPACING_M, 1.0]))


def dose_bytes(folder: Path) -> bytes:
    """The dose map as ``nucmed dosimetry voxel`` writes it (.nii.gz, Gy)."""
    return write_dose_map(dose_volume(), folder / "dose.nii.gz").read_bytes()


def mask_bytes(folder: Path, shape: tuple[int, int, int] = SHAPE) -> bytes:
    """The label map as a .nii.gz file."""
    return write_labels(mask_volume(shape), folder / "mask.nii.gz").read_bytes()


ACTIVITY_BQ_PER_M3_PER_GY = 5e9
"""The activity map is the dose map's pattern scaled to 5 kBq/mL per Gy (50 kBq/mL at most)."""


def activity_bytes(folder: Path) -> bytes:
    """An activity map on the dose map's grid (stored in Bq/mL): not a dose map."""
    dose = dose_volume()
    activity = Volume(dose.values * np.float32(ACTIVITY_BQ_PER_M3_PER_GY), dose.affine_m)
    return write_activity_map(activity, folder / "activity.nii").read_bytes()


def rewritten(volume: Volume, order: tuple[int, ...], flips: tuple[bool, ...]) -> Volume:
    """The same image of the patient stored with its axes in ``order`` and the flipped ones
    reversed (a file written in another axis order)."""
    values, affine = volume.values, volume.affine_m.copy()
    for axis, flip in enumerate(flips):
        if flip:
            values = np.flip(values, axis)
            affine[:, 3] += affine[:, axis] * (values.shape[axis] - 1)
            affine[:, axis] *= -1
    new_affine = affine.copy()
    new_affine[:, :3] = affine[:, list(order)]
    return Volume(np.ascontiguousarray(np.transpose(values, order)), new_affine)
