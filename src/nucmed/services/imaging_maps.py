"""Stored absorbed-dose maps: upload one (with an optional VOI mask and activity map), list a
site's maps, show one map's VOI statistics and cumulative DVHs, and draw slices of its dose or
activity.

A dose map is the NIfTI file ``nucmed dosimetry voxel --out`` writes (Gy per voxel). Uploading
one needs :data:`Permission.THERAPY_WRITE` (physicist, physician); looking at them
:data:`Permission.THERAPY_READ`. The voxels are kept under the installation's data folder
(:attr:`nucmed.config.Settings.data_dir`) as ``dose-maps/<sha256>.nii.gz``
(:mod:`nucmed.services.dose_map_storage`); the record (append only, audited) keeps each file's
SHA-256, checked whenever the file is read again. Slices and the hottest voxel are in patient
order, so the picture is the same whichever axis order the file was written in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select

from nucmed.bounds import check_text
from nucmed.errors import N_, refusal
from nucmed.imaging.dose import voi_dose
from nucmed.imaging.dvh import cumulative_dvh, dvh_levels
from nucmed.imaging.volume import Volume
from nucmed.interop.dose_map_files import Plane, render_slice, take_slice
from nucmed.interop.nifti import write_activity_map, write_dose_map, write_labels
from nucmed.services import dose_map_storage as storage
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
    "Layer",
    "SliceWanted",
    "VoiRow",
    "dose_map",
    "dose_map_slice",
    "dose_maps",
    "upload_dose_map",
]

MAX_FILE_BYTES = storage.MAX_FILE_BYTES
MAX_SIDE = storage.MAX_SIDE
MAX_VOXELS = storage.MAX_VOXELS
_REFERENCE_LENGTH = 64
_LABEL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class DoseMapUpload:
    """What is uploaded: who or which course it belongs to, a label, the dose map file's bytes
    and, optionally, a mask file's bytes (a NIfTI label map on the same grid) and an activity
    map's (NIfTI, Bq/mL, on the same grid: the first time point the dose was computed from)."""

    patient_reference: str
    label: str
    dose_file: bytes
    mask_file: bytes | None = None
    activity_file: bytes | None = None


@dataclass(frozen=True, slots=True)
class DoseMapView:
    """A stored map: its grid as stored (voxels; voxel sides in m), maximum dose in Gy and, if
    it has an activity map, that map's maximum in Bq/m³."""

    id: int
    patient_reference: str
    label: str
    sha256: str
    shape: tuple[int, int, int]
    voxel_m: tuple[float, float, float]
    max_dose_gy: float
    has_mask: bool
    created_at: datetime
    max_activity_bq_per_m3: float | None = None

    @property
    def has_activity(self) -> bool:
        """Whether an activity map was uploaded with the dose map."""
        return self.max_activity_bq_per_m3 is not None


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
    """A volume of interest's dose: its label, volume in m³, mean/min/max dose in Gy, and its
    cumulative DVH: the fraction of its volume receiving at least each of the detail's
    ``dvh_levels_gy``."""

    label: int
    volume_m3: float
    mean_gy: float
    min_gy: float
    max_gy: float
    dvh_fraction: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class DoseMapDetail:
    """One map with its site, its grid in patient order (voxels along x, y, z of LPS: the
    slice counts of the sagittal, coronal and transverse planes), the voxel of its maximum dose
    in that order (from 0), the dose levels of the DVHs (Gy, 0 to the VOIs' highest dose) and
    the dose statistics of each VOI of its mask."""

    site_code: str
    site_name: str
    time_zone: str
    map: DoseMapView
    grid: tuple[int, int, int]
    hottest: tuple[int, int, int]
    dvh_levels_gy: tuple[float, ...]
    vois: tuple[VoiRow, ...]


def _view(row: DoseMap) -> DoseMapView:
    return DoseMapView(
        row.id, row.patient_reference, row.label, row.sha256,
        (row.shape_i, row.shape_j, row.shape_k), (row.voxel_i_m, row.voxel_j_m, row.voxel_k_m),
        row.max_dose_gy, row.mask_file is not None, row.created_at, row.max_activity_bq_per_m3,
    )  # fmt: skip


def _texts(given: DoseMapUpload) -> tuple[str, str]:
    reference = check_text(N_("patient or course"), given.patient_reference.strip(),
                           _REFERENCE_LENGTH)  # fmt: skip
    label = check_text(N_("map label"), given.label.strip(), _LABEL_LENGTH)
    if not reference:
        raise refusal(N_("give the patient's local id or the therapy course"))
    if not label:
        raise refusal(N_("give the map a label, e.g. cycle 1, kidneys"))
    return reference, label


def upload_dose_map(
    database: Database, identity: Identity, site_code: str, data_dir: Path, given: DoseMapUpload
) -> DoseMapView:
    """Check and keep an uploaded dose map (and mask) under ``data_dir``; record it.

    Raises
    ------
    NucmedInputError
        No reference or label (or too long); an empty or too large file; not a 3-D NIfTI
        dose map in Gy with finite values >= 0; too many voxels; a mask that is not a label map,
        or a mask or activity map not on the map's grid.
    NotFoundError, AccessDeniedError
        No such site, or the person may not write therapy records there.
    """
    with transaction(database, read_only=True) as store:  # refuse before reading the files
        site_for(store, identity, site_code, Permission.THERAPY_WRITE)
    reference, label = _texts(given)
    folder = data_dir / storage.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # outside the write transaction: may take seconds
    files = storage.read_upload(folder, given.dose_file, given.mask_file, given.activity_file)
    dose = files.dose
    kept = storage.keep(folder, dose, write_dose_map)
    mask = storage.keep(folder, files.mask, write_labels) if files.mask else None
    activity = storage.keep(folder, files.activity, write_activity_map) if files.activity else None
    max_activity = None if files.activity is None else float(files.activity.values.max())
    with transaction(database) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_WRITE)
        person = actor(store, identity)
        (si, sj, sk), (vi, vj, vk) = dose.values.shape, dose.spacing_m
        row = DoseMap(
            site_id=site.id, patient_reference=reference, label=label, file_name=kept.name,
            sha256=kept.sha256, shape_i=si, shape_j=sj, shape_k=sk, voxel_i_m=vi, voxel_j_m=vj,
            voxel_k_m=vk, max_dose_gy=float(dose.values.max()),
            mask_file=mask.name if mask else None, mask_sha256=mask.sha256 if mask else None,
            activity_file=activity.name if activity else None,
            activity_sha256=activity.sha256 if activity else None,
            max_activity_bq_per_m3=max_activity, created_at=store.now(), created_by_id=person.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, person, Event(
            "dose_map.upload", "dose_map", row.id, site_id=site.id,
            details={"patient_reference": reference, "map_label": label, "sha256": kept.sha256,
                     "mask_sha256": row.mask_sha256, "activity_sha256": row.activity_sha256,
                     "max_dose_gy": row.max_dose_gy},
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


def _vois(dose: Volume, mask: Volume | None) -> tuple[tuple[float, ...], tuple[VoiRow, ...]]:
    """The DVH levels (Gy, 0 to the VOIs' highest dose) and each VOI's statistics and DVH."""
    if mask is None:
        return (), ()
    found = [voi_dose(dose.values, mask.values, int(v)) for v in np.unique(mask.values) if v > 0]
    levels = dvh_levels(max(voi.max_gy for voi in found)) if found else np.zeros(0)
    rows = tuple(
        VoiRow(voi.label, voi.voxels * dose.voxel_volume_m3, voi.mean_gy, voi.min_gy, voi.max_gy,
               tuple(cumulative_dvh(dose.values[mask.values == voi.label], levels).tolist()))
        for voi in found
    )  # fmt: skip
    return tuple(levels.tolist()), rows


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
        view, files = _view(row), storage.load(data_dir, row)
    dose = files.dose
    i, j, k = (int(n) for n in np.unravel_index(np.argmax(dose.values), dose.values.shape))
    ni, nj, nk = dose.values.shape
    levels, vois = _vois(dose, files.mask)
    return DoseMapDetail(site.code, site.name, site.time_zone, view, (ni, nj, nk), (i, j, k),
                         levels, vois)  # fmt: skip


class Layer(enum.StrEnum):
    """What a slice shows: the absorbed dose, or the activity concentration."""

    DOSE = "dose"
    ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class SliceWanted:
    """Which slice of which map: the map's id, the plane, the slice index (from 0, in patient
    order) and what it shows."""

    map_id: int
    plane: Plane
    index: int
    layer: Layer = Layer.DOSE


def dose_map_slice(
    database: Database, identity: Identity, site_code: str, data_dir: Path, wanted: SliceWanted
) -> bytes:
    """The slice ``wanted`` as a PNG: dose from 0 Gy black to the map's maximum white ("hot"
    scale), or activity concentration from 0 black to its maximum white (grey scale), VOI
    outlines, a colour bar on the right.

    Raises
    ------
    NucmedInputError
        A slice outside the map, activity asked of a map without one, or a stored file missing
        or changed.
    NotFoundError, AccessDeniedError
        As :func:`dose_map`.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, site_code, Permission.THERAPY_READ)
        row = _row(store, site, wanted.map_id)
        files = storage.load(data_dir, row)
    plane, index = wanted.plane, wanted.index
    count = files.dose.values.shape[{Plane.SAGITTAL: 0, Plane.CORONAL: 1,
                                     Plane.TRANSVERSE: 2}[plane]]  # fmt: skip
    if not 0 <= index < count:
        raise refusal(N_("choose a slice from 1 to {count}"), count=count)
    labels = take_slice(files.mask, plane, index) if files.mask is not None else None
    if wanted.layer is Layer.DOSE:
        return render_slice(take_slice(files.dose, plane, index), row.max_dose_gy, labels)
    if files.activity is None or row.max_activity_bq_per_m3 is None:
        raise refusal(N_("no activity map was uploaded with this dose map"))
    return render_slice(take_slice(files.activity, plane, index), row.max_activity_bq_per_m3,
                        labels, palette="grey")  # fmt: skip
