"""Raw SPECT projections in: a DICOM NM tomographic acquisition, or a NumPy ``.npz`` file.

What :func:`nucmed.imaging.reconstruction.reconstruct_osem` needs, converted to SI here: the
frames (angle, row, column) in counts, the detector angle of each frame in degrees, the pixel
size and the orbit radius in m.

DICOM [1]_: an NM image whose Image Type's third value is TOMO; the angle of frame f is the
Start Angle of its detector (Detector Information, or else Rotation Information) plus the
Angular Step times (view − 1), counter-clockwise for ``CC``, clockwise for ``CW`` (Detector
Vector, Angular View Vector); the radius is the detector's Radial Position (mm, one value or
one per view). One energy window and one rotation are read: others are refused.

NPZ: arrays ``counts`` (angle, row, column), ``angles_deg``, ``pixel_size_m`` and
``radius_m`` (one value or one per frame).

References
----------
.. [1] DICOM PS3.3 (2025b), C.8.4.8 "NM Multi-frame Module", C.8.4.10 "NM Detector Module",
   C.8.4.11 "NM TOMO Acquisition Module".
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from nucmed import units
from nucmed.errors import N_, NucmedInputError

__all__ = ["Projections", "ProjectionsFileError", "read_projections"]

_NPZ_KEYS = ("counts", "angles_deg", "pixel_size_m", "radius_m")
_TOMO = "TOMO"
_IMAGE_TYPE_TOMO_INDEX = 2
_CLOCKWISE = "CW"


class ProjectionsFileError(NucmedInputError):
    """A file that holds no raw SPECT projections nucmed can read."""


def _refuse(template: str, **values: object) -> ProjectionsFileError:
    return ProjectionsFileError(parts=((template, values),))


@dataclass(frozen=True, slots=True, eq=False)
class Projections:
    """SPECT frames and their geometry.

    Parameters
    ----------
    counts
        Counts per pixel, shape (angle, row, column), row 0 at the head end.
    angles_deg
        Detector angle of each frame (DICOM convention), in degrees.
    pixel_size_m
        Side of a square pixel, in m.
    radius_m
        Orbit radius per frame, in m.
    """

    counts: npt.NDArray[np.float32]
    angles_deg: npt.NDArray[np.float64]
    pixel_size_m: float
    radius_m: npt.NDArray[np.float64]


def _from_npz(path: Path) -> Projections:
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [key for key in _NPZ_KEYS if key not in data]
            if missing:
                raise _refuse(
                    N_("{path}: the .npz file lacks {missing}"),
                    path=str(path),
                    missing=", ".join(missing),
                )
            counts = np.asarray(data["counts"], dtype=np.float32)
            angles = np.asarray(data["angles_deg"], dtype=np.float64).reshape(-1)
            pixel = float(np.asarray(data["pixel_size_m"], dtype=np.float64).reshape(-1)[0])
            radius = np.asarray(data["radius_m"], dtype=np.float64).reshape(-1)
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, ProjectionsFileError):
            raise
        raise _refuse(N_("{path}: not a readable .npz file"), path=str(path)) from error
    frames = counts.shape[0] if counts.ndim else 0
    return Projections(counts, angles, pixel, np.broadcast_to(radius, (frames,)).copy())


def _detector_start_deg(ds: Dataset, rotation: Dataset, detector: int) -> float:
    details = ds.get("DetectorInformationSequence") or []
    if detector <= len(details) and "StartAngle" in details[detector - 1]:
        return float(details[detector - 1].StartAngle)
    return float(rotation.StartAngle)


def _radius_mm(ds: Dataset, rotation: Dataset, detector: int, view: int) -> float:
    details = ds.get("DetectorInformationSequence") or []
    source = details[detector - 1] if detector <= len(details) else rotation
    if "RadialPosition" not in source:
        source = rotation
    if "RadialPosition" not in source:
        raise _refuse(N_("the projections' file gives no radial position"))
    radial = np.atleast_1d(np.asarray(source.RadialPosition, dtype=np.float64))
    return float(radial[min(view - 1, radial.size - 1)])


def _from_dicom(path: Path) -> Projections:
    try:
        ds = pydicom.dcmread(path)
        counts = np.asarray(ds.pixel_array, dtype=np.float32)
    except (InvalidDicomError, OSError, AttributeError, ValueError) as error:
        raise _refuse(N_("{path}: not a readable DICOM image"), path=str(path)) from error
    image_type = list(ds.get("ImageType") or [])
    is_tomo = len(image_type) > _IMAGE_TYPE_TOMO_INDEX and (
        image_type[_IMAGE_TYPE_TOMO_INDEX] == _TOMO
    )
    if ds.get("Modality") != "NM" or not is_tomo:
        raise _refuse(
            N_("{path}: not an NM tomographic acquisition (Image Type TOMO)"), path=str(path)
        )
    rotations = ds.get("RotationInformationSequence") or []
    windows = ds.get("EnergyWindowInformationSequence") or []
    if len(rotations) != 1 or len(windows) > 1:
        raise _refuse(
            N_("{path}: only one rotation and one energy window are read"), path=str(path)
        )
    rotation = rotations[0]
    counts = counts.reshape((-1, *counts.shape[-2:]))
    frames = counts.shape[0]
    detectors = list(ds.get("DetectorVector") or [1] * frames)
    views = list(ds.get("AngularViewVector") or range(1, frames + 1))
    sign = -1.0 if str(rotation.get("RotationDirection", "CC")).upper() == _CLOCKWISE else 1.0
    step = float(rotation.AngularStep)
    angles = np.array(
        [
            _detector_start_deg(ds, rotation, d) + sign * step * (v - 1)
            for d, v in zip(detectors, views, strict=True)
        ]
    )
    radius_mm = np.array(
        [_radius_mm(ds, rotation, d, v) for d, v in zip(detectors, views, strict=True)]
    )
    row_mm, column_mm = (float(v) for v in ds.PixelSpacing)
    if not np.isclose(row_mm, column_mm, rtol=1e-6):
        raise _refuse(
            N_("{path}: the pixels must be square, got {row} × {column} mm"),
            path=str(path),
            row=row_mm,
            column=column_mm,
        )
    return Projections(
        counts, angles % 360.0, column_mm * units.M_PER_MM, radius_mm * units.M_PER_MM
    )


def read_projections(path: Path) -> Projections:
    """Read raw SPECT projections from a DICOM NM TOMO file or an ``.npz`` file.

    Raises
    ------
    ProjectionsFileError
        For a file that cannot be read, DICOM that is not a single-window, single-rotation NM
        TOMO acquisition with square pixels, or an ``.npz`` file without the four arrays.
    """
    if path.suffix.lower() == ".npz":
        return _from_npz(path)
    return _from_dicom(path)
