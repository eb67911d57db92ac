"""Bring a volume's axes into the patient's order, for display in the standard orientation.

A file may store its voxels in any axis order and direction: (i, j, k) may run along any
permutation of the patient axes, each either way; the affine (direction cosines times spacing)
says which. :func:`patient_ordered` permutes and flips the array (no resampling) so that i runs
to the patient's left (+x), j to posterior (+y) and k to the head (+z) of LPS, the
coordinates of :class:`~nucmed.imaging.volume.Volume` [1]_. Drawn with i across (patient's
right on the viewer's left) and j down, a transverse slice is then in the radiological
orientation, whichever order the file was written in.

An oblique grid is brought to the nearest such order (each array axis to the patient axis
its direction is closest to); it is not resampled.

References
----------
.. [1] DICOM PS3.3 (2025b), C.7.6.2.1.1 "Image Position and Image Orientation" (LPS patient
   coordinates; direction cosines of rows and columns).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nucmed.imaging.volume import Volume

__all__ = ["axis_order", "patient_ordered"]

_AXES = 3


def axis_order(affine_m: npt.ArrayLike) -> tuple[tuple[int, int, int], tuple[bool, bool, bool]]:
    """For each patient axis x, y, z: the array axis along it, and whether that array axis runs
    the opposite way (towards right, anterior or feet).

    Each array axis is given to the patient axis its direction is closest to, the most
    aligned pair first, so that an oblique grid still gets a permutation.

    Examples
    --------
    >>> axis_order(np.diag([-2.0, 2.0, 3.0, 1.0]))  # i runs to the patient's right
    ((0, 1, 2), (True, False, False))
    >>> axis_order([[0, 0, 1, 0], [1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 0, 1]])
    ((2, 0, 1), (False, False, True))
    """
    directions = np.asarray(affine_m, dtype=np.float64)[:_AXES, :_AXES]
    cosines = directions / np.linalg.norm(directions, axis=0)
    weight = np.abs(cosines)  # weight[patient axis, array axis]
    along = [-1, -1, -1]
    for flat in np.argsort(weight, axis=None)[::-1]:
        patient, array = divmod(int(flat), _AXES)
        if along[patient] < 0 and array not in along:
            along[patient] = array
    order = (along[0], along[1], along[2])
    flips = tuple(bool(cosines[p, a] < 0) for p, a in enumerate(order))
    return order, (flips[0], flips[1], flips[2])


def patient_ordered(volume: Volume) -> Volume:
    """The same image with its array axes along +x, +y, +z of LPS (left, posterior, head).

    The values are permuted and flipped, never interpolated; the affine is changed to match,
    so every voxel keeps its position in the patient.

    Examples
    --------
    >>> v = Volume(np.arange(6, dtype=np.float32).reshape(1, 2, 3),
    ...            np.array([[0, 0, 1, 0], [0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1.0]]))
    >>> w = patient_ordered(v)
    >>> w.values.shape, w.values[:, :, 0].tolist()
    ((3, 2, 1), [[3.0, 0.0], [4.0, 1.0], [5.0, 2.0]])
    """
    order, flips = axis_order(volume.affine_m)
    values = np.transpose(volume.values, order)
    affine = np.array(volume.affine_m, dtype=np.float64)
    affine[:, :_AXES] = affine[:, list(order)]
    for axis, flip in enumerate(flips):
        if flip:
            values = np.flip(values, axis)
            affine[:, _AXES] += affine[:, axis] * (values.shape[axis] - 1)
            affine[:, axis] *= -1.0
    return Volume(np.ascontiguousarray(values), affine)
