"""Dose-map files: read an uploaded NIfTI dose map (checked to hold absorbed dose in Gy), its
mask and activity map, and draw one slice as a PNG image with a colour bar.

The map is the one ``nucmed dosimetry voxel --out FILE.nii.gz`` writes
(:func:`nucmed.interop.nifti.write_dose_map`: float32 values in Gy, NIfTI description
``absorbed dose Gy``); the activity map one of the activity-concentration maps (Bq/mL) given
to it. Slices are taken from a volume in patient order
(:func:`nucmed.imaging.orientation.patient_ordered`: i to the left, j posterior, k to the head)
and drawn in the radiological orientation: transverse with the patient's right on the left of
the image and anterior at the top, coronal with the right on the left and the head at the top,
sagittal with anterior on the left and the head at the top; each voxel keeps its aspect ratio.
Dose is drawn on a linear "hot" scale from 0 Gy (black) to the map's maximum (white), activity
on a linear grey scale from 0 (black) to its maximum (white); VOI outlines are cyan.
"""

from __future__ import annotations

import enum
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import nibabel as nib
import numpy as np
import numpy.typing as npt
from PIL import Image

from nucmed.errors import N_, refusal
from nucmed.imaging.volume import Volume, VolumeInputError, check_same_grid
from nucmed.interop.nifti import NiftiError, read_activity_map, read_labels, read_volume

__all__ = [
    "Palette",
    "Plane",
    "SliceImage",
    "read_activity",
    "read_dose_map",
    "read_mask",
    "render_slice",
    "take_slice",
]

Palette = Literal["hot", "grey"]

_DOSE_WORD = "Gy"
_BAR_WIDTH_PX = 16
_GAP_PX = 6
_OUTLINE = np.array([0, 255, 255], dtype=np.uint8)


class Plane(enum.StrEnum):
    """The slicing plane: transverse (fixed k), coronal (fixed j), sagittal (fixed i)."""

    TRANSVERSE = "transverse"
    CORONAL = "coronal"
    SAGITTAL = "sagittal"


def _description(path: Path) -> str:
    try:
        header: Any = nib.load(str(path)).header
        raw = header["descrip"]
    except (OSError, KeyError, ValueError):
        return ""
    return bytes(np.asarray(raw).tobytes()).split(b"\0")[0].decode("ascii", "replace")


def read_dose_map(path: Path) -> Volume:
    """Read a NIfTI absorbed-dose map in Gy.

    Raises
    ------
    NucmedInputError
        For a file that is not a readable 3-D NIfTI image, holds NaN, infinite or negative
        values, or does not say (NIfTI description) that it holds absorbed dose in Gy.
    """
    try:
        volume = read_volume(path)
    except NiftiError as error:
        message = N_("the dose map is not a readable 3-D NIfTI image with finite values")
        raise refusal(message) from error
    if _DOSE_WORD not in _description(path).split():
        raise refusal(N_("the file does not say it holds absorbed dose in Gy: upload the dose "
                         "map that voxel dosimetry on the command line writes"))  # fmt: skip
    if float(volume.values.min()) < 0:
        raise refusal(N_("the dose map holds negative doses; absorbed dose is 0 Gy or more"))
    return volume


def read_mask(path: Path, grid: Volume) -> Volume:
    """Read a NIfTI label map (0 outside, 1, 2, ... per VOI) on the dose map's grid.

    Raises
    ------
    NucmedInputError
        For a file that is not a 3-D NIfTI label map of integers, or one whose shape differs
        from the dose map's.
    """
    try:
        labels = read_labels(path)
    except NiftiError as error:
        raise refusal(N_("the mask is not a NIfTI label map (integers 0 outside, 1, 2, ... "
                         "for each volume of interest)")) from error  # fmt: skip
    if labels.values.shape != grid.values.shape:
        raise refusal(N_("the mask's shape {mask} differs from the dose map's {dose}"),
                      mask=" × ".join(map(str, labels.values.shape)),
                      dose=" × ".join(map(str, grid.values.shape)))  # fmt: skip
    return labels


def read_activity(path: Path, grid: Volume) -> Volume:
    """Read a NIfTI activity-concentration map (Bq/mL in the file) on the dose map's grid;
    return it in Bq/m³.

    Raises
    ------
    NucmedInputError
        For a file that is not a readable 3-D NIfTI image of concentrations (no value below
        −1 % of the maximum), or one whose grid differs from the dose map's.
    """
    try:
        activity = read_activity_map(path)
    except NiftiError as error:
        raise refusal(N_("the activity map is not a readable 3-D NIfTI image of activity "
                         "concentrations in Bq/mL")) from error  # fmt: skip
    if activity.values.shape != grid.values.shape:
        raise refusal(N_("the activity map's shape {activity} differs from the dose map's "
                         "{dose}"), activity=" × ".join(map(str, activity.values.shape)),
                      dose=" × ".join(map(str, grid.values.shape)))  # fmt: skip
    try:
        check_same_grid(grid, activity, N_("activity map"))
    except VolumeInputError:
        raise refusal(N_("the activity map lies elsewhere in the patient than the dose map: "
                         "upload the map the dose was computed from")) from None  # fmt: skip
    return Volume(np.clip(activity.values, 0.0, None), activity.affine_m)


@dataclass(frozen=True, slots=True)
class SliceImage:
    """One slice's display: the values (rows top to bottom, columns left to right) and the
    physical size of a display pixel along rows and columns, in m."""

    values: npt.NDArray[np.float32]
    row_m: float
    column_m: float


def take_slice(volume: Volume, plane: Plane, index: int) -> SliceImage:
    """The slice ``index`` of ``plane`` of a volume in patient order ((i, j, k) along +x, +y,
    +z of LPS), in the radiological orientation (see the module's description)."""
    values = volume.values
    si, sj, sk = volume.spacing_m
    if plane is Plane.TRANSVERSE:
        return SliceImage(values[:, :, index].T, sj, si)
    if plane is Plane.CORONAL:
        return SliceImage(values[:, index, :].T[::-1], sk, si)
    return SliceImage(values[index, :, :].T[::-1], sk, sj)


def _hot(fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """The "hot" ramp: black -> red -> yellow -> white over 0..1."""
    f = np.clip(fraction, 0.0, 1.0)
    rgb = np.stack([np.clip(3 * f, 0, 1), np.clip(3 * f - 1, 0, 1), np.clip(3 * f - 2, 0, 1)], -1)
    return np.asarray(np.round(rgb * 255), dtype=np.uint8)


def _outline(labels: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """The pixels of a VOI that touch another label (its one-pixel outline)."""
    edge = np.zeros(labels.shape, dtype=bool)
    edge[1:, :] |= labels[1:, :] != labels[:-1, :]
    edge[:-1, :] |= labels[:-1, :] != labels[1:, :]
    edge[:, 1:] |= labels[:, 1:] != labels[:, :-1]
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    return edge & (labels > 0)


def _enlarged(values: npt.NDArray[np.generic], height_px: int, width_px: int) -> npt.NDArray[Any]:
    """The slice at display size, each voxel a block of pixels (nearest neighbour)."""
    rows, columns = values.shape
    row_of = np.arange(height_px) * rows // height_px
    column_of = np.arange(width_px) * columns // width_px
    return np.asarray(values[row_of[:, None], column_of[None, :]])


def _grey(fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """The grey ramp: black -> white over 0..1."""
    level = np.asarray(np.round(np.clip(fraction, 0.0, 1.0) * 255), dtype=np.uint8)
    return np.repeat(level[..., None], 3, axis=-1)


def render_slice(
    image: SliceImage,
    top: float,
    labels: SliceImage | None,
    height_px: int = 320,
    palette: Palette = "hot",
) -> bytes:
    """Draw a slice as PNG bytes: colours on a 0..``top`` scale (``top`` in the slice's unit:
    Gy for dose, Bq/m³ for activity), one-pixel VOI outlines, and a colour bar (bottom 0, top
    ``top``) on the right; voxels keep their aspect."""
    colours = _hot if palette == "hot" else _grey
    scale = max(float(top), float(np.finfo(np.float32).tiny))
    rows, columns = image.values.shape
    width_px = max(1, round(height_px * columns * image.column_m / (rows * image.row_m)))
    shown = _enlarged(image.values, height_px, width_px)
    rgb = colours(np.asarray(shown, dtype=np.float64) / scale)
    if labels is not None:
        outline = _outline(np.asarray(_enlarged(labels.values, height_px, width_px), np.int32))
        rgb[outline] = _OUTLINE
    bar_values = np.linspace(1.0, 0.0, height_px)[:, None].repeat(_BAR_WIDTH_PX, axis=1)
    canvas = Image.new("RGB", (width_px + _GAP_PX + _BAR_WIDTH_PX, height_px), (255, 255, 255))
    canvas.paste(Image.fromarray(rgb, "RGB"), (0, 0))
    canvas.paste(Image.fromarray(colours(bar_values), "RGB"), (width_px + _GAP_PX, 0))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()
