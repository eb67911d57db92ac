"""Organ and tumour masks from DICOM: Segmentation (SEG) and RT Structure Set (RTSTRUCT).

:func:`read_mask` returns the VOIs as a label map on the grid of the dose calculation (the
SPECT grid) with each label's name:

- a **SEG** (binary or fractional) is read with highdicom [1]_ as one label map whose values are
  the segment numbers, then sampled at the SPECT voxel centres, nearest neighbour
  (:func:`nucmed.imaging.masks.resample_labels`); a fractional segment counts where it is
  ≥ 50 %;
- an **RTSTRUCT** is read with pydicom: each ROI's CLOSED_PLANAR contours (Contour Data in mm,
  patient coordinates) are rasterised onto the SPECT slices
  (:func:`nucmed.imaging.masks.rasterise_contours`); the label is the ROI Number.

Both must share the SPECT series' frame of reference (same patient coordinates); registration
across frames of reference is not done here.

References
----------
.. [1] C. P. Bridge et al., "Highdicom: a Python library for standardized encoding of image
   annotations and machine learning model outputs in pathology and radiology", J. Digit.
   Imaging 35, 1719-1737 (2022).
.. [2] DICOM PS3.3 (2025b), A.51 "Segmentation IOD", C.8.8.5-6 "Structure Set" and
   "ROI Contour" modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import highdicom as hd
import numpy as np
import numpy.typing as npt
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from nucmed import units
from nucmed.errors import NucmedInputError
from nucmed.imaging.masks import Contour, rasterise_contours, resample_labels
from nucmed.imaging.volume import Volume

__all__ = ["MaskError", "VoiMask", "read_mask"]


class MaskError(NucmedInputError):
    """A mask file that cannot be read or placed on the grid; the message names the file."""


@dataclass(frozen=True, slots=True, eq=False)
class VoiMask:
    """VOIs on the dose grid.

    Parameters
    ----------
    labels
        int32 label map on the grid's voxels (0 outside), indexed like the grid's values.
    names
        Each label's name (segment label or ROI name).
    """

    labels: npt.NDArray[np.int32]
    names: dict[int, str]


def _fault(path: Path, what: str) -> MaskError:
    return MaskError(f"{path}: {what}")


def _seg(path: Path, dataset: Dataset, grid: Volume) -> VoiMask:
    try:
        seg = hd.seg.Segmentation.from_dataset(dataset)
        volume = seg.get_volume(combine_segments=True, skip_overlap_checks=True)
    except (ValueError, RuntimeError, AttributeError, KeyError) as error:
        raise _fault(path, f"the segmentation cannot be placed in 3-D ({error})") from error
    source_affine = np.array(volume.affine, dtype=np.float64)
    source_affine[:3, :] *= units.M_PER_MM
    labels = resample_labels(
        np.asarray(volume.array), source_affine, grid.values.shape, grid.affine_m
    )
    names = {
        int(item.SegmentNumber): str(item.get("SegmentLabel", item.SegmentNumber))
        for item in dataset.SegmentSequence
    }
    return VoiMask(labels, names)


def _contours(path: Path, dataset: Dataset) -> list[Contour]:
    contours: list[Contour] = []
    for roi in dataset.get("ROIContourSequence", []):
        number = int(roi.ReferencedROINumber)
        for item in roi.get("ContourSequence", []):
            if str(item.get("ContourGeometricType", "")) != "CLOSED_PLANAR":
                continue  # points and open lines carry no volume
            data = np.asarray([float(v) for v in item.ContourData], dtype=np.float64)
            if data.size < 9 or data.size % 3:  # noqa: PLR2004 (3 points of x, y, z)
                raise _fault(path, f"ROI {number}: Contour Data needs x, y, z of 3+ points")
            contours.append(Contour(number, data.reshape(-1, 3) * units.M_PER_MM))
    return contours


def _rtstruct(path: Path, dataset: Dataset, grid: Volume) -> VoiMask:
    names = {
        int(item.ROINumber): str(item.get("ROIName", item.ROINumber))
        for item in dataset.get("StructureSetROISequence", [])
    }
    contours = _contours(path, dataset)
    if not contours:
        raise _fault(path, "the structure set holds no closed planar contour")
    try:
        labels = rasterise_contours(contours, grid.values.shape, grid.affine_m)
    except NucmedInputError as error:
        raise _fault(path, str(error)) from error
    return VoiMask(labels, names)


def read_mask(path: Path, grid: Volume) -> VoiMask:
    """Read a DICOM SEG or RTSTRUCT file as VOIs on ``grid``.

    Parameters
    ----------
    path
        The SEG or RTSTRUCT file.
    grid
        The dose calculation's grid (values ignored; shape and affine used).

    Returns
    -------
    VoiMask
        Labels on the grid and their names; a VOI with no voxel on the grid is left out of
        the names.

    Raises
    ------
    MaskError
        For a missing or unreadable file, another kind of object, or contours that cannot be
        placed on the grid's slices.
    """
    try:
        dataset = pydicom.dcmread(path)
    except FileNotFoundError as error:
        raise _fault(path, "no such file") from error
    except (InvalidDicomError, OSError) as error:
        raise _fault(path, f"not a readable DICOM file ({error})") from error
    modality = str(dataset.get("Modality", ""))
    if modality == "SEG":
        mask = _seg(path, dataset, grid)
    elif modality == "RTSTRUCT":
        mask = _rtstruct(path, dataset, grid)
    else:
        raise _fault(path, f"a SEG or RTSTRUCT is needed for a mask, this is {modality or '?'}")
    present = {int(v) for v in np.unique(mask.labels) if v > 0}
    if not present:
        raise _fault(path, "no VOI falls on the image grid (another frame of reference?)")
    return VoiMask(mask.labels, {n: name for n, name in mask.names.items() if n in present})
