"""A 3-D image on a grid: values, and where each voxel is in the patient.

One convention inside nucmed, converted at the edges (as highdicom does): the array is indexed
(i, j, k) = (column, row, slice), and ``affine_m`` maps (i, j, k, 1) to the voxel centre in
DICOM patient coordinates LPS (x to the patient's left, y posterior, z head), in metres.
DICOM readers build it from Image Position/Orientation (Patient) and Pixel Spacing; NIfTI
(RAS, mm) is converted by its reader.

References
----------
.. [1] DICOM PS3.3 (2025b), C.7.6.2.1.1 "Image Position and Image Orientation".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nucmed.errors import N_, NucmedInputError, Word

__all__ = ["Volume", "VolumeInputError", "check_same_grid"]

_AFFINE_SHAPE = (4, 4)
_DIMENSIONS = 3


class VolumeInputError(NucmedInputError):
    """An image that is not a 3-D grid, or grids that do not match."""


def _refused(template: str, **values: object) -> VolumeInputError:
    """An image input error of one template marked with ``N_`` and its values."""
    return VolumeInputError(parts=((template, values),))


def _shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(side) for side in shape)


@dataclass(frozen=True, slots=True, eq=False)
class Volume:
    """Voxel values on a grid.

    Parameters
    ----------
    values
        The voxel values, indexed (column, row, slice), in the unit the holder says.
    affine_m
        4×4 matrix from (i, j, k, 1) to the voxel centre in patient LPS coordinates, in m.

    Raises
    ------
    VolumeInputError
        For values that are not 3-D or an affine that is not a finite 4×4 matrix with a
        non-zero spacing on every axis.

    Examples
    --------
    >>> import numpy as np
    >>> v = Volume(np.zeros((2, 3, 4), np.float32), np.diag([2e-3, 2e-3, 3e-3, 1.0]))
    >>> v.spacing_m, v.voxel_volume_m3
    ((0.002, 0.002, 0.003), 1.2e-08)
    """

    values: npt.NDArray[np.floating]
    affine_m: npt.NDArray[np.float64]

    def __post_init__(self) -> None:
        """Check the shapes."""
        if self.values.ndim != _DIMENSIONS:
            raise _refused(
                N_("an image must be 3-D, got shape {shape}"), shape=_shape(self.values.shape)
            )
        affine = self.affine_m
        if affine.shape != _AFFINE_SHAPE or not np.all(np.isfinite(affine)):
            raise _refused(N_("the image position must be a finite 4×4 matrix"))
        if not np.all(np.linalg.norm(affine[:3, :3], axis=0) > 0):
            raise _refused(N_("the voxel spacing must be > 0 on every axis"))

    @property
    def spacing_m(self) -> tuple[float, float, float]:
        """Voxel sides along i, j, k, in m."""
        x, y, z = (float(round(n, 12)) for n in np.linalg.norm(self.affine_m[:3, :3], axis=0))
        return x, y, z

    @property
    def voxel_volume_m3(self) -> float:
        """Volume of one voxel, in m³."""
        return float(round(abs(float(np.linalg.det(self.affine_m[:3, :3]))), 20))


def check_same_grid(first: Volume, other: Volume, what: str) -> None:
    """Refuse ``other`` unless it lies on the grid of ``first`` (same shape and position).

    ``what`` names ``other``: a file name, or a word marked with ``N_`` (shown translated).

    Raises
    ------
    VolumeInputError
        Naming ``what`` and the two shapes, or saying that the positions differ.
    """
    if first.values.shape != other.values.shape:
        raise _refused(
            N_(
                "{what}: shape {shape} differs from {first}; register and resample the images "
                "to one grid first"
            ),
            what=Word(what),
            shape=_shape(other.values.shape),
            first=_shape(first.values.shape),
        )
    if not np.allclose(first.affine_m, other.affine_m, atol=1e-5):
        raise _refused(
            N_(
                "{what}: the grid position or spacing differs from the first image's; register "
                "and resample the images to one grid first"
            ),
            what=Word(what),
        )
