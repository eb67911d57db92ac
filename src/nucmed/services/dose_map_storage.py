"""The files of stored dose maps: read and check an upload, keep it under the data folder,
load it back (checked against its SHA-256) in patient order for display.

Used by :mod:`nucmed.services.imaging_maps` (which owns the transactions and permissions).
The files live under the installation's data folder as ``dose-maps/<sha256>.nii.gz``: the dose
map (Gy), its optional VOI mask (labels) and its optional activity-concentration map (Bq/mL on
disk, Bq/m³ inside). ``nucmed backup`` carries that folder (:mod:`nucmed.services.backup`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nucmed.errors import N_, Word, refusal
from nucmed.imaging.orientation import patient_ordered
from nucmed.imaging.volume import Volume
from nucmed.interop.dose_map_files import read_activity, read_dose_map, read_mask
from nucmed.interop.nifti import NiftiError
from nucmed.store.imaging_maps import DoseMap

__all__ = [
    "FOLDER",
    "MAX_FILE_BYTES",
    "MAX_SIDE",
    "MAX_VOXELS",
    "Files",
    "Kept",
    "keep",
    "load",
    "read_upload",
]

FOLDER = "dose-maps"
MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest file accepted (a 256³ float32 map is 64 MiB before compression)."""
MAX_SIDE = 512
"""Most voxels along one axis."""
MAX_VOXELS = 256**3 * 2
"""Most voxels in a map (twice a 256³ grid), so that a slice renders in well under a second."""
_GZIP_MAGIC = b"\x1f\x8b"

Writer = Callable[[Volume, Path], Path]


@dataclass(frozen=True, slots=True, eq=False)
class Files:
    """A dose map's volumes: the dose (Gy), the mask (labels) and the activity concentration
    (Bq/m³), the last two when there are any."""

    dose: Volume
    mask: Volume | None
    activity: Volume | None


@dataclass(frozen=True, slots=True)
class Kept:
    """A file kept under the data folder: its name in ``dose-maps/`` and its SHA-256."""

    name: str
    sha256: str


@contextmanager
def _scratch(folder: Path, content: bytes) -> Iterator[Path]:
    """The bytes as a temporary NIfTI file in ``folder`` (named for nibabel: gzip or not)."""
    suffix = ".nii.gz" if content.startswith(_GZIP_MAGIC) else ".nii"
    handle, name = tempfile.mkstemp(suffix=suffix, dir=folder)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        yield path
    finally:
        path.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keep(folder: Path, volume: Volume, write: Writer) -> Kept:
    """Write the volume with ``write`` as ``<sha256>.nii.gz`` in ``folder``.

    Raises
    ------
    NucmedInputError
        If the data folder cannot be written.
    """
    handle, name = tempfile.mkstemp(suffix=".nii.gz", dir=folder)
    os.close(handle)
    written = Path(name)
    try:
        write(volume, written)
        sha = _sha256(written)
        written.replace(folder / f"{sha}.nii.gz")
    except (NiftiError, OSError) as error:
        raise refusal(N_("the dose map cannot be saved in the data folder; tell the "
                         "installation's administrator")) from error  # fmt: skip
    finally:
        written.unlink(missing_ok=True)
    return Kept(f"{sha}.nii.gz", sha)


def _check_size(content: bytes, what: str) -> None:
    if not content:
        raise refusal(N_("choose the {what} file to upload"), what=Word(what))
    if len(content) > MAX_FILE_BYTES:
        raise refusal(N_("the file is larger than {most} MiB"), most=MAX_FILE_BYTES >> 20)


def _check_grid(volume: Volume) -> None:
    shape = volume.values.shape
    if max(shape) > MAX_SIDE or volume.values.size > MAX_VOXELS:
        raise refusal(N_("the dose map has {shape} voxels; at most {side} along an axis and "
                         "{most} in all are shown"), shape=" × ".join(map(str, shape)),
                      side=MAX_SIDE, most=MAX_VOXELS)  # fmt: skip
    if not float(volume.values.max()) > 0:
        raise refusal(N_("the dose map is 0 Gy everywhere"))


def read_upload(
    folder: Path, dose_file: bytes, mask_file: bytes | None, activity_file: bytes | None
) -> Files:
    """Read and check the uploaded files (scratch copies in ``folder``, removed after).

    Raises
    ------
    NucmedInputError
        As :func:`nucmed.interop.dose_map_files.read_dose_map`, ``read_mask`` and
        ``read_activity``, for an empty or too large file, or a grid too large to show.
    """
    _check_size(dose_file, N_("dose map"))
    with _scratch(folder, dose_file) as path:
        dose = read_dose_map(path)
    _check_grid(dose)
    mask = activity = None
    if mask_file is not None:
        _check_size(mask_file, N_("mask"))
        with _scratch(folder, mask_file) as path:
            mask = read_mask(path, dose)
    if activity_file is not None:
        _check_size(activity_file, N_("activity map"))
        with _scratch(folder, activity_file) as path:
            activity = read_activity(path, dose)
    return Files(dose, mask, activity)


def _stored(data_dir: Path, name: str, sha: str) -> Path:
    path = data_dir / FOLDER / name
    if not path.is_file() or _sha256(path) != sha:
        raise refusal(N_("the stored file of this dose map is missing or has changed; restore "
                         "the data folder from a backup"))  # fmt: skip
    return path


def load(data_dir: Path, row: DoseMap) -> Files:
    """The record's volumes, each checked against its SHA-256, with their axes in patient
    order (:func:`nucmed.imaging.orientation.patient_ordered`) for display.

    Raises
    ------
    NucmedInputError
        A stored file is missing or its SHA-256 differs from the record's.
    """
    dose = read_dose_map(_stored(data_dir, row.file_name, row.sha256))
    mask = activity = None
    if row.mask_file is not None and row.mask_sha256 is not None:
        mask = patient_ordered(read_mask(_stored(data_dir, row.mask_file, row.mask_sha256), dose))
    if row.activity_file is not None and row.activity_sha256 is not None:
        found = _stored(data_dir, row.activity_file, row.activity_sha256)
        activity = patient_ordered(read_activity(found, dose))
    return Files(patient_ordered(dose), mask, activity)
