"""NIfTI-1/NIfTI-2 images in and out (nibabel), for research users and masks.

NIfTI stores positions in RAS+ millimetres; nucmed's :class:`~nucmed.imaging.volume.Volume`
holds LPS metres. The conversion is made here: the first two rows of the affine change sign
and millimetres become metres. Activity maps are read and written in Bq/mL (the unit research
tools exchange), converted to Bq/m³ at this edge; dose maps are written in Gy; label maps
(masks) as integers.

References
----------
.. [1] NIfTI-1 Data Format, Neuroimaging Informatics Technology Initiative (2004), header
   fields ``qform``/``sform`` (RAS+ world coordinates, mm).
"""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np
import numpy.typing as npt
from nibabel.filebasedimages import ImageFileError

from nucmed import units
from nucmed.errors import N_, NucmedInputError
from nucmed.imaging.volume import Volume

__all__ = [
    "NiftiError",
    "read_activity_map",
    "read_labels",
    "read_volume",
    "write_activity_map",
    "write_count_map",
    "write_dose_map",
    "write_labels",
]

_RAS_TO_LPS = np.diag([-1.0, -1.0, 1.0, 1.0])
_DIMENSIONS = 3


class NiftiError(NucmedInputError):
    """A file that is not a readable 3-D NIfTI image."""


def _refused(template: str, path: Path, **values: object) -> NiftiError:
    """A NIfTI error about the file at `path`: a template marked with ``N_`` that starts with
    ``{path}``, and its values."""
    return NiftiError(parts=((template, {"path": str(path), **values}),))


def _to_lps_m(affine_ras_mm: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    lps = _RAS_TO_LPS @ np.asarray(affine_ras_mm, dtype=np.float64)
    lps[:3, :] *= units.M_PER_MM
    return lps


def _to_ras_mm(affine_lps_m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    ras = np.array(affine_lps_m, dtype=np.float64)
    ras[:3, :] /= units.M_PER_MM
    return _RAS_TO_LPS @ ras


def read_volume(path: Path) -> Volume:
    """Read a 3-D NIfTI image as it is stored (values in the file's unit).

    Raises
    ------
    NiftiError
        For a missing or unreadable file, or an image that is not 3-D (a 4-D image with one
        volume is accepted).
    """
    try:
        image = nib.load(str(path))
    except FileNotFoundError as error:
        raise _refused(N_("{path}: no such file"), path) from error
    except (ImageFileError, OSError, ValueError) as error:
        raise _refused(
            N_("{path}: not a readable NIfTI image ({reason})"), path, reason=str(error)
        ) from error
    if not isinstance(image, nib.Nifti1Image):  # NIfTI-2 images are a subclass
        raise _refused(N_("{path}: not a NIfTI image ({kind})"), path, kind=type(image).__name__)
    try:
        data = np.asarray(image.get_fdata(dtype=np.float32))
    except (OSError, ValueError, EOFError) as error:
        raise _refused(
            N_("{path}: the image data cannot be read ({reason})"), path, reason=str(error)
        ) from error
    if data.ndim == _DIMENSIONS + 1 and data.shape[-1] == 1:
        data = data[..., 0]
    if data.ndim != _DIMENSIONS:
        raise _refused(
            N_("{path}: a 3-D image is needed, got shape {shape}"), path, shape=str(data.shape)
        )
    if not np.all(np.isfinite(data)):
        raise _refused(N_("{path}: the image holds NaN or infinite values"), path)
    return Volume(data, _to_lps_m(np.asarray(image.affine)))


def read_activity_map(path: Path) -> Volume:
    """Read an activity-concentration map stored in Bq/mL; return it in Bq/m³.

    Raises
    ------
    NiftiError
        As :func:`read_volume`, or for a negative concentration below −1 % of the maximum
        (reconstruction noise may dip slightly below zero; more means a wrong file).
    """
    volume = read_volume(path)
    values = volume.values / np.float32(units.M3_PER_ML)
    if float(values.min()) < -0.01 * max(float(values.max()), 0.0):
        raise _refused(
            N_("{path}: negative activity concentrations; a map in Bq/mL is needed"), path
        )
    return Volume(values.astype(np.float32), volume.affine_m)


def read_labels(path: Path) -> Volume:
    """Read a label map (mask): 0 outside, a positive integer per VOI.

    Raises
    ------
    NiftiError
        As :func:`read_volume`, or for values that are not non-negative integers.
    """
    volume = read_volume(path)
    values = volume.values
    if np.any(values < 0) or np.any(values != np.round(values)):
        raise _refused(
            N_("{path}: a mask must hold integers 0 (outside) and 1, 2, ... (VOIs)"), path
        )
    return Volume(values.astype(np.int32), volume.affine_m)


def _write(values: npt.NDArray[np.generic], volume: Volume, path: Path, intent: str) -> Path:
    image = nib.Nifti1Image(values, _to_ras_mm(volume.affine_m))  # type: ignore[no-untyped-call]
    image.header.set_xyzt_units(xyz="mm")  # type: ignore[no-untyped-call]
    image.header["descrip"] = intent.encode("ascii")[:79]
    image.set_qform(image.affine, code=1)  # type: ignore[no-untyped-call]
    image.set_sform(image.affine, code=1)  # type: ignore[no-untyped-call]
    try:
        nib.save(image, str(path))
    except OSError as error:
        raise _refused(
            N_("{path}: cannot write ({reason})"), path, reason=error.strerror or str(error)
        ) from error
    return path


def write_activity_map(volume: Volume, path: Path) -> Path:
    """Write an activity map held in Bq/m³ as a NIfTI image in Bq/mL; return the path."""
    values = (volume.values * np.float32(units.M3_PER_ML)).astype(np.float32)
    return _write(values, volume, path, "activity concentration Bq/mL")


def write_count_map(volume: Volume, path: Path) -> Path:
    """Write a reconstructed map in counts per voxel as a float32 NIfTI image; return the path."""
    return _write(volume.values.astype(np.float32), volume, path, "counts per voxel")


def write_dose_map(volume: Volume, path: Path) -> Path:
    """Write an absorbed-dose map in Gy as a float32 NIfTI image; return the path."""
    return _write(volume.values.astype(np.float32), volume, path, "absorbed dose Gy")


def write_labels(volume: Volume, path: Path) -> Path:
    """Write a label map as an int16 NIfTI image; return the path."""
    return _write(volume.values.astype(np.int16), volume, path, "labels")
