"""Volumes of interest on the SPECT grid: label maps resampled, planar contours rasterised.

Two ways a VOI reaches the dose map's grid (both pure geometry; the DICOM reading is in
:mod:`nucmed.interop.imaging_masks`):

- :func:`resample_labels`: a label map on another grid (a DICOM SEG or NIfTI on the CT grid)
  is sampled at the centre of every target voxel, nearest neighbour (labels must not be
  interpolated); target voxels whose centre falls outside the source grid get 0;
- :func:`rasterise_contours`: closed planar contours (DICOM RTSTRUCT, points in patient LPS
  coordinates) are placed on the target grid's slices. A target voxel belongs to the VOI when
  its centre lies inside the contour (even-odd rule, so a contour inside another on the same
  plane cuts a hole) drawn on the contour plane nearest to the voxel's slice, and that plane
  is at most half a plane spacing away (half a target slice when the structure has one plane)
  [1]_ [2]_. Contours must lie in planes parallel to the target's slices.

References
----------
.. [1] DICOM PS3.3 (2025b), C.8.8.6 "ROI Contour Module" (CLOSED_PLANAR contours, Contour Data
   as x, y, z triplets in mm in the patient coordinate system).
.. [2] W. R. Franklin, "PNPOLY - point inclusion in polygon test" (crossing-number test with
   the half-open edge rule), recalled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nucmed.errors import N_, NucmedInputError

__all__ = ["Contour", "MaskInputError", "polygon_mask", "rasterise_contours", "resample_labels"]

IntArray = npt.NDArray[np.int32]
_PLANE_TOLERANCE = 0.05  # of a slice: a contour's points must share one slice position
_MIN_POINTS = 3
_SHAPE = 3


class MaskInputError(NucmedInputError):
    """Contours or label maps that cannot be placed on the grid."""


def _refused(template: str, **values: object) -> MaskInputError:
    """A mask input error of one template marked with ``N_`` and its values."""
    return MaskInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True, eq=False)
class Contour:
    """One closed planar contour of a VOI.

    Parameters
    ----------
    label
        The VOI's label value (> 0) in the label map made.
    points_m
        The vertices, shape (n, 3), in patient LPS coordinates, in m.
    """

    label: int
    points_m: npt.NDArray[np.float64]


def _to_index(
    affine_m: npt.NDArray[np.float64], points_m: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Continuous voxel indices (i, j, k) of points in LPS metres."""
    homogeneous = np.c_[points_m, np.ones(len(points_m))]
    return np.asarray((np.linalg.inv(affine_m) @ homogeneous.T).T[:, :3])


def polygon_mask(vertices_ij: npt.ArrayLike, shape: tuple[int, int]) -> npt.NDArray[np.bool_]:
    """The pixels of a (columns, rows) grid whose centres lie inside a polygon (even-odd).

    Parameters
    ----------
    vertices_ij
        Polygon vertices in continuous pixel indices (i, j), shape (n, 2), n ≥ 3, closed
        implicitly (the last vertex joins the first).
    shape
        The grid's size (number of i, number of j).

    Returns
    -------
    numpy.ndarray
        Boolean mask of ``shape``.

    Examples
    --------
    >>> int(polygon_mask([[0.5, 0.5], [3.5, 0.5], [3.5, 2.5], [0.5, 2.5]], (6, 6)).sum())  # 3x2
    6
    """
    vertices = np.asarray(vertices_ij, dtype=np.float64)
    if vertices.ndim != 2 or vertices.shape[0] < _MIN_POINTS or vertices.shape[1] != 2:  # noqa: PLR2004
        raise _refused(N_("a contour needs at least 3 points"))
    inside = np.zeros(shape, dtype=bool)
    i_centres = np.arange(shape[0], dtype=np.float64)[:, None]
    j_centres = np.arange(shape[1], dtype=np.float64)[None, :]
    for (xi, yi), (xj, yj) in zip(vertices, np.roll(vertices, 1, axis=0), strict=True):
        if yi == yj:
            continue  # a horizontal edge crosses no horizontal ray
        straddles = (yi > j_centres) != (yj > j_centres)
        crossing = (xj - xi) * (j_centres - yi) / (yj - yi) + xi
        inside ^= straddles & (i_centres < crossing)
    return inside


def rasterise_contours(
    contours: Sequence[Contour], shape: tuple[int, int, int], affine_m: npt.NDArray[np.float64]
) -> IntArray:
    """Label map on a grid from closed planar contours (see the module's rule).

    Parameters
    ----------
    contours
        The contours, each with its VOI's label; several per plane and label are allowed.
    shape, affine_m
        The target grid: (columns, rows, slices) and its affine (index to LPS metres).

    Returns
    -------
    numpy.ndarray
        int32 labels, 0 outside every VOI (a later label overwrites an earlier one).

    Raises
    ------
    MaskInputError
        For a contour with fewer than 3 points or not in a plane of the grid's slices.
    """
    labels = np.zeros(shape, np.int32)
    planes: dict[int, list[tuple[float, npt.NDArray[np.float64]]]] = {}
    for contour in contours:
        index = _to_index(affine_m, np.asarray(contour.points_m, dtype=np.float64))
        if np.ptp(index[:, 2]) > _PLANE_TOLERANCE:
            raise _refused(
                N_(
                    "VOI {label}: a contour is not in a plane parallel to the image slices; "
                    "reslice the structure set onto the image first"
                ),
                label=contour.label,
            )
        planes.setdefault(contour.label, []).append((float(index[:, 2].mean()), index[:, :2]))
    for label in sorted(planes):
        labels[_structure(planes[label], shape)] = label
    return labels


def _structure(
    planes: list[tuple[float, npt.NDArray[np.float64]]], shape: tuple[int, int, int]
) -> npt.NDArray[np.bool_]:
    """One VOI's voxels: each target slice takes the nearest contour plane within reach."""
    positions = np.unique(np.round([k for k, _ in planes], 6))
    reach = 0.5 * float(np.min(np.diff(positions))) if positions.size > 1 else 0.5
    mask = np.zeros(shape, dtype=bool)
    for k in range(shape[2]):
        nearest = positions[np.argmin(np.abs(positions - k))]
        if abs(nearest - k) > reach + 1e-9:
            continue
        for plane_k, vertices in planes:
            if abs(round(plane_k, 6) - nearest) < 1e-9:  # noqa: PLR2004
                mask[:, :, k] ^= polygon_mask(vertices, (shape[0], shape[1]))
    return mask


def resample_labels(
    labels: npt.ArrayLike,
    source_affine: npt.NDArray[np.float64],
    shape: tuple[int, int, int],
    affine_m: npt.NDArray[np.float64],
) -> IntArray:
    """Sample a label map at the centres of another grid's voxels (nearest neighbour).

    Parameters
    ----------
    labels
        Source labels (integers), 3-D.
    source_affine
        4×4 map from the source's array indices to LPS, in the same length unit as
        ``affine_m`` after this function's caller converted it (metres).
    shape, affine_m
        The target grid.

    Returns
    -------
    numpy.ndarray
        int32 labels on the target grid; 0 where the centre falls outside the source.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((4, 4, 4), int); fine[:2, :2, :2] = 3  # 1 mm voxels
    >>> coarse = np.diag([2.0, 2.0, 2.0, 1.0]); coarse[:3, 3] = 0.5  # 2 mm, centred
    >>> resample_labels(fine, np.eye(4), (2, 2, 2), coarse)[:, :, 0].tolist()
    [[3, 0], [0, 0]]
    """
    source = np.asarray(labels)
    if source.ndim != _SHAPE:
        raise _refused(
            N_("a label map must be 3-D, got shape {shape}"),
            shape=" × ".join(str(side) for side in source.shape),
        )
    grid = np.indices(shape, dtype=np.float64).reshape(3, -1)
    centres = (affine_m @ np.vstack([grid, np.ones(grid.shape[1])]))[:3].T
    index = np.rint(_to_index(source_affine, centres)).astype(np.int64)
    inside = np.all((index >= 0) & (index < np.array(source.shape)), axis=1)
    out = np.zeros(grid.shape[1], np.int32)
    out[inside] = source[tuple(index[inside].T)]
    return out.reshape(shape)
