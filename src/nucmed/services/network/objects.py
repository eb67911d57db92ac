"""DICOM objects received from a site's cameras: stored on disk by content, indexed, and each
RRDSR turned into exactly one administration.

An object's bytes lie under ``<folder>/<sha256[:2]>/<sha256[2:4]>/<sha256>.dcm`` (written to a
temporary name first, then renamed, so that a half-written file is never indexed); the index row
(:class:`nucmed.store.network.StoredObject`) names it by SOP Instance UID. The same instance sent
again is found by its UID and changes nothing. An RRDSR whose Radiopharmaceutical Administration
Event UID is on file already never makes a second record: it becomes a reconciliation item,
``duplicate`` when it reports the same administration, ``mismatch`` when it differs (activity,
start, radiopharmaceutical or patient), for the physicist or physician to decide. An RRDSR
whose patient is not the one on file with its hospital number (another name, birth date or
sex) is kept and indexed without an administration, as a ``patient`` item; once the identity
is corrected, the camera sends it again and it is recorded then. A new administration is linked
to the hot lab's syringe it was, where exactly one fits (:mod:`.matching`).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import (
    CTImageStorage,
    EnhancedCTImageStorage,
    EnhancedPETImageStorage,
    NuclearMedicineImageStorage,
    PositronEmissionTomographyImageStorage,
)
from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.interop.rrdsr import RRDSR_SOP_CLASS_UID, AdministrationRecord
from nucmed.interop.rrdsr_reading import read_rrdsr
from nucmed.services.audit import Event, record
from nucmed.services.clinic.exchange import import_rrdsr
from nucmed.services.network.devices import Device, check_calling
from nucmed.services.network.matching import drawn_dose
from nucmed.services.patient_identity import PatientIdentityError
from nucmed.services.permissions import AccessDeniedError, user_may
from nucmed.services.permissions import Permission as P
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import Site, User
from nucmed.store.network import ReconciliationItem, StoredObject

__all__ = ["ACCEPTED_SOP_CLASSES", "ObjectReceived", "object_path", "receive_object"]

ACCEPTED_SOP_CLASSES: Final = frozenset({
    RRDSR_SOP_CLASS_UID, str(NuclearMedicineImageStorage),
    str(PositronEmissionTomographyImageStorage), str(EnhancedPETImageStorage),
    str(CTImageStorage), str(EnhancedCTImageStorage),
})  # fmt: skip
"""RRDSR, NM, PET and CT objects (PS3.4 B.5); the listener offers exactly these."""
_ACTIVITY_RTOL: Final = 1e-6  # the same activity, written in MBq with 12+ digits and read back
_START_TOLERANCE: Final = datetime.timedelta(minutes=1)  # consoles write whole seconds or minutes


@dataclass(frozen=True, slots=True)
class ObjectReceived:
    """What became of an object: its index row, the administration it made or matched, and the
    reconciliation item it raised (``created`` False: the instance was on file already)."""

    stored_object_id: int
    created: bool
    administration_id: int | None
    reconciliation_item_id: int | None


def object_path(folder: Path, sha256: str) -> Path:
    """Where the object with that SHA-256 lies under the store's folder."""
    return folder / sha256[:2] / sha256[2:4] / f"{sha256}.dcm"


def _parse(source: bytes | Path) -> Dataset:
    """The object's attributes up to its pixel data (an image's pixels are never decoded)."""
    try:
        ds = pydicom.dcmread(
            io.BytesIO(source) if isinstance(source, bytes) else source, stop_before_pixels=True
        )
    except (InvalidDicomError, EOFError, ValueError, OSError):
        raise refusal(N_("the object is not a DICOM file")) from None
    for keyword in ("SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID"):
        if not ds.get(keyword):
            raise refusal(N_("the object has no {keyword}"), keyword=keyword)
    if str(ds.SOPClassUID) not in ACCEPTED_SOP_CLASSES:
        raise refusal(N_("SOP class {uid} is not accepted: send RRDSR, NM, PET or CT"),
                      uid=str(ds.SOPClassUID))  # fmt: skip
    return ds


def _digest(source: bytes | Path) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    with source.open("rb") as file:  # in chunks: an object may be larger than memory allows
        return hashlib.file_digest(file, "sha256").hexdigest()


def _write(folder: Path, source: bytes | Path) -> str:
    """Store the object (its bytes, or a file copied in chunks) by its SHA-256, once; return
    the digest."""
    digest = _digest(source)
    path = object_path(folder, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        if isinstance(source, bytes):
            partial.write_bytes(source)
        else:
            shutil.copyfile(source, partial)
        os.replace(partial, path)
    return digest


def _differences(
    store: Store, found: Administration, rec: AdministrationRecord
) -> dict[str, list[str | float]]:
    """What the new SR says differently from the administration on file, as ``[on file,
    sent]`` (times in ISO 8601 UTC, activity in Bq; the patient by number, never by name)."""
    patient = store.session.get(Patient, found.patient_id)
    pairs: dict[str, tuple[str | float, str | float]] = {
        "radiopharmaceutical": (found.radiopharmaceutical, rec.radiopharmaceutical.meaning),
        "patient_id": (patient.local_id if patient else "", rec.patient_id),
    }
    out = {key: [old, new] for key, (old, new) in pairs.items() if old != new}
    if abs(found.administered_at - rec.start_datetime) >= _START_TOLERANCE:
        out["start"] = [found.administered_at.isoformat(), rec.start_datetime.isoformat()]
    old_bq, new_bq = found.net_activity_bq, rec.administered_activity_bq
    if abs(old_bq - new_bq) > _ACTIVITY_RTOL * max(old_bq, new_bq):
        out["activity_bq"] = [old_bq, new_bq]
    return out


def _reconcile(
    store: Store, actor: User, found: Administration, rec: AdministrationRecord, stored_id: int
) -> ReconciliationItem:
    """Open the item that a second SR of an administration event on file raises."""
    differences = _differences(store, found, rec)
    kind = "mismatch" if differences else "duplicate"
    note = (
        "a second SR of this administration event differs from the record"
        if differences
        else "a second SR reports the same administration event"
    )
    item = ReconciliationItem(
        site_id=found.site_id, kind=kind, event_uid=rec.event_uid, stored_object_id=stored_id,
        administration_id=found.id, differences=differences, note=note, created_at=store.now(),
    )  # fmt: skip
    store.session.add(item)
    store.session.flush()
    details = {"kind": kind, "event_uid": rec.event_uid}
    event = Event("reconciliation.open", "reconciliation_item", item.id,
                  site_id=found.site_id, details=details)  # fmt: skip
    record(store, actor, event)
    return item


@dataclass(frozen=True, slots=True)
class _Arrival:
    calling: str
    user_id: int
    sha256: str
    size_bytes: int


def _index(store: Store, site: Site, ds: Dataset, arrival: _Arrival) -> StoredObject:
    """The index row of an object (not yet added)."""
    return StoredObject(
        site_id=site.id, sop_instance_uid=str(ds.SOPInstanceUID)[:64],
        sop_class_uid=str(ds.SOPClassUID)[:64], study_instance_uid=str(ds.StudyInstanceUID)[:64],
        series_instance_uid=str(ds.SeriesInstanceUID)[:64],
        modality=str(ds.get("Modality") or "")[:16],
        patient_key=str(ds.get("PatientID") or "")[:64], sha256=arrival.sha256,
        size_bytes=arrival.size_bytes, calling_ae_title=arrival.calling,
        received_at=store.now(), received_by_id=arrival.user_id, administration_id=None,
    )  # fmt: skip


def _identity_item(
    store: Store, actor: User, rec: AdministrationRecord, stored: StoredObject,
    conflict: PatientIdentityError,
) -> ReconciliationItem:  # fmt: skip
    """Open the item of an SR whose patient is not the one on file with its number."""
    item = ReconciliationItem(
        site_id=stored.site_id, kind="patient", event_uid=rec.event_uid,
        stored_object_id=stored.id,
        administration_id=None,
        differences={"identity": [conflict.on_file.text(), conflict.given.text()]},
        note="the report's patient is not the patient on file with that hospital number",
        created_at=store.now(),
    )  # fmt: skip
    store.session.add(item)
    store.session.flush()
    details = {"kind": "patient", "event_uid": rec.event_uid}
    record(store, actor, Event("reconciliation.open", "reconciliation_item", item.id,
                               site_id=stored.site_id, details=details))  # fmt: skip
    return item


def _record(
    store: Store, actor: User, site: Site, rec: AdministrationRecord
) -> tuple[Administration | None, PatientIdentityError | None]:
    """The SR's administration recorded, or the patient conflict that stops it."""
    try:
        made, _ = import_rrdsr(store, actor, site, rec, drawn_dose(store, site, rec))
    except PatientIdentityError as conflict:  # raised before anything is written
        return None, conflict
    return made, None


def _take_rrdsr(
    store: Store, actor: User, site: Site, ds: Dataset, row: StoredObject
) -> tuple[int | None, ReconciliationItem | None]:
    """Record the SR's administration, or open a reconciliation item (its event UID on file,
    or its patient not the one on file); the index row is added here."""
    rec = read_rrdsr(ds, default_tz=ZoneInfo(site.time_zone))
    found = _on_file(store, rec.event_uid)
    made, conflict = (found, None) if found is not None else _record(store, actor, site, rec)
    row.administration_id = None if made is None else made.id
    store.session.add(row)
    store.session.flush()
    if conflict is not None:
        return None, _identity_item(store, actor, rec, row, conflict)
    assert made is not None
    return made.id, None if found is None else _reconcile(store, actor, found, rec, row.id)


def _on_file(store: Store, event_uid: str) -> Administration | None:
    return store.session.scalars(
        select(Administration).where(Administration.event_uid == event_uid)
    ).first()


def _again(store: Store, actor: User, site: Site, ds: Dataset, known: StoredObject) -> int | None:
    """An instance on file sent again: recorded now if it was held for its patient and the
    identity has been corrected since; else nothing changes."""
    if known.administration_id is not None or known.sop_class_uid != RRDSR_SOP_CLASS_UID:
        return known.administration_id
    rec = read_rrdsr(ds, default_tz=ZoneInfo(site.time_zone))
    found = _on_file(store, rec.event_uid)
    made = found if found is not None else _record(store, actor, site, rec)[0]
    return None if made is None else made.id


def receive_object(
    database: Database, device: Device, calling_ae_title: str, data: bytes | Path, folder: Path
) -> ObjectReceived:
    """Store one object a camera sent (C-STORE) and, for an RRDSR, record its administration.

    Parameters
    ----------
    database
        The installation's database.
    device
        The site's DICOM device account (:func:`nucmed.services.network.open_device`).
    calling_ae_title
        The sender's AE title; the site must have it configured.
    data
        The object: a DICOM file (preamble and file meta) as the listener received it, its
        bytes or its path (a large object is received into a file and copied in chunks).
    folder
        The object store's folder (under the data folder).

    Returns
    -------
    ObjectReceived
        The index row, whether it is new, the administration and any reconciliation item.

    Raises
    ------
    AccessDeniedError
        The calling AE title is not configured at the site, or the device may not store there.
    NucmedInputError
        Not a DICOM file, a SOP class not accepted, or an RRDSR that cannot be read.
    """
    ds = _parse(data)
    calling = calling_ae_title.strip()
    with transaction(database) as store:
        site = store.sites.by_code(device.site_code)
        actor = store.users.by_id(device.user_id)
        assert site is not None and actor is not None  # the device's own site and account
        check_calling(store, site, calling)
        if not user_may(store, actor.id, site, P.EXCHANGE):
            raise AccessDeniedError(N_("your role at this site does not allow this"))
        uid = str(ds.SOPInstanceUID)
        known = store.session.scalars(
            select(StoredObject).where(StoredObject.sop_instance_uid == uid)
        ).first()
        if known is not None:
            return ObjectReceived(known.id, False, _again(store, actor, site, ds, known), None)
        digest = _write(folder, data)
        size = len(data) if isinstance(data, bytes) else data.stat().st_size
        row = _index(store, site, ds, _Arrival(calling, actor.id, digest, size))
        administration_id, item = None, None
        if str(ds.SOPClassUID) == RRDSR_SOP_CLASS_UID:
            administration_id, item = _take_rrdsr(store, actor, site, ds, row)
        else:
            store.session.add(row)
            store.session.flush()
        details = {"sop_class_uid": row.sop_class_uid, "calling_ae_title": calling,
                   "sha256": digest}  # fmt: skip
        record(store, actor, Event("dicom.store", "stored_object", row.id, site_id=site.id,
                                   details=details))  # fmt: skip
        return ObjectReceived(row.id, True, administration_id, item.id if item else None)
