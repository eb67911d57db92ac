"""Stored absorbed-dose maps: upload one (with an optional VOI mask), list a site's maps,
show one map's VOI statistics and draw its slices.

A dose map is the NIfTI file ``nucmed dosimetry voxel --out`` writes (Gy per voxel). Uploading
one needs :data:`Permission.THERAPY_WRITE` (physicist, physician); looking at them
:data:`Permission.THERAPY_READ`. The voxels are kept under the installation's data folder
(:attr:`nucmed.config.Settings.data_dir`) as ``dose-maps/<sha256>.nii.gz``; the record (append
only, audited) keeps the file's SHA-256, checked whenever the file is read again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select

from nucmed.bounds import check_text
from nucmed.errors import N_, Word, refusal
from nucmed.imaging.dose import voi_dose
from nucmed.imaging.volume import Volume
from nucmed.interop.dose_map_files import Plane, read_dose_map, read_mask, render_slice, take_slice
from nucmed.interop.nifti import NiftiError, write_dose_map, write_labels
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import NotFoundError, Permission, may, site_for
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.imaging_maps import DoseMap
from nucmed.store.models import Site

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_SIDE",
    "MAX_VOXELS",
    "DoseMapDetail",
    "DoseMapList",
    "DoseMapUpload",
    "DoseMapView",
    "SliceWanted",
    "VoiRow",
    "dose_map",
    "dose_map_slice",
    "dose_maps",
    "upload_dose_map",
]

FOLDER = "dose-maps"
MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest file accepted (a 256³ float32 map is 64 MiB before compression)."""
MAX_SIDE = 512
"""Most voxels along one axis."""
MAX_VOXELS = 256**3 * 2
"""Most voxels in a map (twice a 256³ grid), so that a slice renders in well under a second."""
_GZIP_MAGIC = b"\x1f\x8b"
_REFERENCE_LENGTH = 64
_LABEL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class DoseMapUpload:
    """What is uploaded: who or which course it belongs to, a label, the dose map file's bytes
    and, optionally, a mask file's bytes (a NIfTI label map on the same grid)."""

    patient_reference: str
    label: str
    dose_file: bytes
    mask_file: bytes | None = None


@dataclass(frozen=True, slots=True)
class DoseMapView:
    """A stored map: its grid (voxels; voxel sides in m) and maximum dose in Gy."""

    id: int
    patient_reference: str
    label: str
    sha256: str
    shape: tuple[int, int, int]
    voxel_m: tuple[float, float, float]
    max_dose_gy: float
    has_mask: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DoseMapList:
    """A site's dose maps, newest first, and whether the person may upload one."""

    site_code: str
    site_name: str
    time_zone: str
    may_upload: bool
    maps: tuple[DoseMapView, ...]


@dataclass(frozen=True, slots=True)
class VoiRow:
    """A volume of interest's dose: its label, volume in m³, mean/min/max dose in Gy."""

    label: int
    volume_m3: float
    mean_gy: float
    min_gy: float
    max_gy: float


@dataclass(frozen=True, slots=True)
class DoseMapDetail:
    """One map with its site, the voxel of its maximum dose (i, j, k from 0) and the dose
    statistics of each VOI of its mask."""

    site_code: str
    site_name: str
    time_zone: str
    map: DoseMapView
    hottest: tuple[int, int, int]
    vois: tuple[VoiRow, ...]


def _view(row: DoseMap) -> DoseMapView:
    return DoseMapView(
        row.id, row.patient_reference, row.label, row.sha256,
        (row.shape_i, row.shape_j, row.shape_k), (row.voxel_i_m, row.voxel_j_m, row.voxel_k_m),
        row.max_dose_gy, row.mask_file is not None, row.created_at,
    )  # fmt: skip


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


def _keep(folder: Path, volume: Volume, is_mask: bool) -> tuple[str, str]:
    """Write the volume as ``<sha256>.nii.gz`` in ``folder``; return (file name, sha256).

    Raises
    ------
    NucmedInputError
        If the data folder cannot be written.
    """
    handle, name = tempfile.mkstemp(suffix=".nii.gz", dir=folder)
    os.close(handle)
    written = Path(name)
    try:
        (write_labels if is_mask else write_dose_map)(volume, written)
        sha = _sha256(written)
        written.replace(folder / f"{sha}.nii.gz")
    except (NiftiError, OSError) as error:
        raise refusal(N_("the dose map cannot be saved in the data folder; tell the "
                         "installation's administrator")) from error  # fmt: skip
    finally:
        written.unlink(missing_ok=True)
    return f"{sha}.nii.gz", sha


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


def _texts(given: DoseMapUpload) -> tuple[str, str]:
    reference = check_text(N_("patient or course"), given.patient_reference.strip(),
                           _REFERENCE_LENGTH)  # fmt: skip
    label = check_text(N_("map label"), given.label.strip(), _LABEL_LENGTH)
    if not reference:
        raise refusal(N_("give the patient's local id or the therapy course"))
    if not label:
        raise refusal(N_("give the map a label, e.g. cycle 1, kidneys"))
    return reference, label


def _read_upload(folder: Path, given: DoseMapUpload) -> tuple[Volume, Volume | None]:
    _check_size(given.dose_file, N_("dose map"))
    with _scratch(folder, given.dose_file) as path:
        dose = read_dose_map(path)
    _check_grid(dose)
    if given.mask_file is None:
        return dose, None
    _check_size(given.mask_file, N_("mask"))
    with _scratch(folder, given.mask_file) as path:
        return dose, read_mask(path, dose)


def upload_dose_map(
    database: Database, identity: Identity, site_code: str, data_dir: Path, given: DoseMapUpload
) -> DoseMapView:
    """Check and keep an uploaded dose map (and mask) under ``data_dir``; record it.

    Raises
    ------
    NucmedInputError
        No reference or label (or too long); an empty or too large file; not a 3-D NIfTI
        dose map in Gy with finite values >= 0; too many voxels; a mask that is not a label map
        or not on the map's grid.
    NotFoundError, AccessDeniedError
        No such site, or the person may not write therapy records there.
    """
    with transaction(database, read_only=True) as store:  # refuse before reading the files
        site_for(store, identity, site_code, Permission.THERAPY_WRITE)
    reference, label = _texts(given)
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    dose, mask = _read_upload(folder, given)  # outside the write transaction: may take seconds
    dose_name, dose_sha = _keep(folder, dose, is_mask=False)
    mask_name, mask_sha = _keep(folder, mask, is_mask=True) if mask else (None, None)
    with transaction(database) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_WRITE)
        person = actor(store, identity)
        (si, sj, sk), (vi, vj, vk) = dose.values.shape, dose.spacing_m
        row = DoseMap(
            site_id=site.id, patient_reference=reference, label=label, file_name=dose_name,
            sha256=dose_sha, shape_i=si, shape_j=sj, shape_k=sk, voxel_i_m=vi, voxel_j_m=vj,
            voxel_k_m=vk, max_dose_gy=float(dose.values.max()), mask_file=mask_name,
            mask_sha256=mask_sha, created_at=store.now(), created_by_id=person.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, person, Event(
            "dose_map.upload", "dose_map", row.id, site_id=site.id,
            details={"patient_reference": reference, "map_label": label, "sha256": dose_sha,
                     "mask_sha256": mask_sha, "max_dose_gy": row.max_dose_gy},
        ))  # fmt: skip
        return _view(row)


def dose_maps(database: Database, identity: Identity, site_code: str) -> DoseMapList:
    """A site's stored dose maps, newest first.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read therapy records there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_READ)
        query = select(DoseMap).where(DoseMap.site_id == site.id)
        rows = store.session.scalars(query.order_by(DoseMap.created_at.desc(), DoseMap.id.desc()))
        return DoseMapList(
            site.code, site.name, site.time_zone,
            may(store, identity, site, Permission.THERAPY_WRITE),
            tuple(_view(row) for row in rows),
        )  # fmt: skip


def _row(store: Store, site: Site, map_id: int) -> DoseMap:
    row = store.session.get(DoseMap, map_id)
    if row is None or row.site_id != site.id:
        raise NotFoundError(N_("no dose map {id} at {site}"), id=map_id, site=site.code)
    return row


def _stored(data_dir: Path, name: str, sha: str) -> Path:
    path = data_dir / FOLDER / name
    if not path.is_file() or _sha256(path) != sha:
        raise refusal(N_("the stored file of this dose map is missing or has changed; restore "
                         "the data folder from a backup"))  # fmt: skip
    return path


def _load(data_dir: Path, row: DoseMap) -> tuple[Volume, Volume | None]:
    dose = read_dose_map(_stored(data_dir, row.file_name, row.sha256))
    if row.mask_file is None or row.mask_sha256 is None:
        return dose, None
    return dose, read_mask(_stored(data_dir, row.mask_file, row.mask_sha256), dose)


def _vois(dose: Volume, mask: Volume | None) -> tuple[VoiRow, ...]:
    if mask is None:
        return ()
    rows = []
    for label in (int(v) for v in np.unique(mask.values) if v > 0):
        voi = voi_dose(dose.values, mask.values, label)
        rows.append(VoiRow(label, voi.voxels * dose.voxel_volume_m3, voi.mean_gy, voi.min_gy,
                           voi.max_gy))  # fmt: skip
    return tuple(rows)


def dose_map(
    database: Database, identity: Identity, site_code: str, data_dir: Path, map_id: int
) -> DoseMapDetail:
    """One stored map and the dose statistics (Gy) of each VOI of its mask.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site or map there, or the person may not read therapy records there.
    NucmedInputError
        The stored file is missing or its SHA-256 differs from the record's.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_READ)
        row = _row(store, site, map_id)
        view, (dose, mask) = _view(row), _load(data_dir, row)
        i, j, k = (int(n) for n in np.unravel_index(np.argmax(dose.values), dose.values.shape))
        return DoseMapDetail(site.code, site.name, site.time_zone, view, (i, j, k),
                             _vois(dose, mask))  # fmt: skip


@dataclass(frozen=True, slots=True)
class SliceWanted:
    """Which slice of which map: the map's id, the plane and the slice index (from 0)."""

    map_id: int
    plane: Plane
    index: int


def dose_map_slice(
    database: Database, identity: Identity, site_code: str, data_dir: Path, wanted: SliceWanted
) -> bytes:
    """The slice ``wanted`` as a PNG: 0 Gy black to the map's maximum white,
    VOI outlines, a colour bar on the right.

    Raises
    ------
    NucmedInputError
        A slice outside the map, or the stored file missing or changed.
    NotFoundError, AccessDeniedError
        As :func:`dose_map`.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_READ)
        row = _row(store, site, wanted.map_id)
        dose, mask = _load(data_dir, row)
    plane, index = wanted.plane, wanted.index
    count = dose.values.shape[{Plane.SAGITTAL: 0, Plane.CORONAL: 1, Plane.TRANSVERSE: 2}[plane]]
    if not 0 <= index < count:
        raise refusal(N_("choose a slice from 1 to {count}"), count=count)
    labels = take_slice(mask, plane, index) if mask is not None else None
    return render_slice(take_slice(dose, plane, index), row.max_dose_gy, labels)
