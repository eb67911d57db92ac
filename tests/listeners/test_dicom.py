"""The DICOM node driven by DCMTK, a client no one here wrote: echoscu, storescu (an RRDSR
written by nucmed and an NM image written here with pydicom) and findscu on the worklist.

Expected values are **analytic**: an SR stored becomes one administration (also when sent
twice); an object lies under the SHA-256 of its bytes; the worklist holds the request booked.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, NuclearMedicineImageStorage, generate_uid
from sqlalchemy import func, select

from nucmed.interop.rrdsr import AdministrationRecord, lookup_code, write_rrdsr
from nucmed.services.clinic.exchange import administration_record
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.network import object_path
from nucmed.services.uow import transaction
from nucmed.store.hotlab import Administration
from nucmed.store.models import AuditEntry
from nucmed.store.network import ReconciliationItem, StoredObject
from tests.interop.dicom_tools import assert_valid_sr, needs_tools
from tests.listeners.conftest import ACCESSION, ALMATY, STATION, Running

pytestmark = needs_tools("echoscu", "storescu", "findscu", "dciodvfy", "dsrdump")
TIMEOUT_S = 60


Done = subprocess.CompletedProcess[str]


def dcmtk(*args: str) -> Done:
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def store(
    node: Running, path: Path, calling: str = "SPECTCAM"
) -> subprocess.CompletedProcess[str]:
    """storescu proposing only the file's own SOP class (-R), as a console does."""
    return dcmtk("storescu", "-R", "-aet", calling, "-aec", "NUCMED", "127.0.0.1", str(node.port),
                 str(path))  # fmt: skip


def sr_file(folder: Path, clock: FixedClock, *, event_uid: str = "2.25.4242",
            activity_bq: float = 7.0e8, name: str = "Ivanova Aigerim") -> Path:  # fmt: skip
    """An RRDSR of KZ-1's injection 30 minutes before the clock, as the console writes it."""
    record = AdministrationRecord(
        event_uid, lookup_code("radiopharmaceutical", "MDP"), lookup_code("radionuclide",
        "Tc-99m"), activity_bq, clock.now() - timedelta(minutes=30), lookup_code("route", "IV"),
        patient_id="KZ-1", patient_name=name, patient_sex="F",
        accession_number=ACCESSION,
    )  # fmt: skip
    sr = write_rrdsr(record, tz=ALMATY)
    path = folder / f"{sr.SOPInstanceUID}.dcm"
    sr.save_as(path, enforce_file_format=True)
    return path


def nm_file(folder: Path) -> Path:
    """A small NM image (PS3.3 A.5) with 8 x 8 pixels, as a camera sends one."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = NuclearMedicineImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = (
        NuclearMedicineImageStorage,
        meta.MediaStorageSOPInstanceUID,
    )
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.Modality, ds.PatientID, ds.PatientName = "NM", "KZ-1", "Ivanova^Aigerim"
    ds.Rows = ds.Columns = 8
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.NumberOfFrames = 1
    ds.PixelData = np.arange(64, dtype=np.uint16).tobytes()
    path = folder / "nm.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


def count(node: Running, model: type) -> int:
    with transaction(node.database, read_only=True) as store:
        return int(store.session.scalar(select(func.count()).select_from(model)) or 0)


def test_echo_answers_a_configured_camera(dicom_node: Running) -> None:
    done = dcmtk("echoscu", "-aet", "SPECTCAM", "-aec", "NUCMED", "127.0.0.1",
                 str(dicom_node.port))  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_an_unknown_calling_ae_title_is_rejected_at_association(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    done = store(dicom_node, sr_file(tmp_path, clock), calling="INTRUDER")
    assert done.returncode != 0
    assert "Rejected" in done.stderr or "rejected" in done.stderr.lower()
    assert count(dicom_node, StoredObject) == 0


def test_a_stored_rrdsr_becomes_one_administration_also_sent_twice(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    path = sr_file(tmp_path, clock)
    assert_valid_sr(path, tmp_path)  # the SR the camera sends is strictly valid
    for _ in range(2):
        done = store(dicom_node, path)
        assert done.returncode == 0, done.stderr
    assert (count(dicom_node, Administration), count(dicom_node, StoredObject)) == (1, 1)
    with transaction(dicom_node.database, read_only=True) as db:
        made = db.session.scalars(select(Administration)).one()
        stored = db.session.scalars(select(StoredObject)).one()
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert (made.event_uid, made.net_activity_bq, made.origin) == ("2.25.4242", 7.0e8, "rrdsr")
    assert stored.administration_id == made.id
    assert {"device.create", "administration.import", "dicom.store"} <= actions
    data = path.read_bytes()
    kept = object_path(dicom_node.folder, stored.sha256)
    assert kept.exists() and hashlib.sha256(kept.read_bytes()).hexdigest() == stored.sha256
    assert pydicom.dcmread(kept).SOPInstanceUID == pydicom.dcmread(path).SOPInstanceUID
    assert len(data) > 0


def test_a_second_sr_of_the_same_event_is_a_reconciliation_item(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    first = sr_file(tmp_path, clock)
    same = sr_file(tmp_path, clock)  # another SOP instance, the same administration
    other = sr_file(tmp_path, clock, activity_bq=5.0e8)  # the same event UID, another activity
    for path in (first, same, other):
        assert store(dicom_node, path).returncode == 0
    assert count(dicom_node, Administration) == 1
    with transaction(dicom_node.database, read_only=True) as db:
        items = db.session.scalars(select(ReconciliationItem).order_by(ReconciliationItem.id))
        kinds = [(item.kind, sorted(item.differences)) for item in items]
    assert kinds == [("duplicate", []), ("mismatch", ["activity_bq"])]


def test_an_sr_of_another_patient_is_held_until_the_identity_is_corrected(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    path = sr_file(tmp_path, clock, name="Petrova Anna")  # KZ-1 is Ivanova Aigerim on file
    for _ in range(2):
        assert store(dicom_node, path).returncode == 0  # kept: the console need not resend
    assert (count(dicom_node, Administration), count(dicom_node, StoredObject)) == (0, 1)
    with transaction(dicom_node.database, read_only=True) as db:
        (item,) = db.session.scalars(select(ReconciliationItem))
        assert (item.kind, item.administration_id) == ("patient", None)
        assert item.differences == {"identity": ["Ivanova Aigerim, 1980-05-17", "Petrova^Anna"]}
    with transaction(dicom_node.database) as db:
        site = db.sites.by_code("NM-ALA")
        physicist = db.users.by_username("doc.n")
        assert site is not None and physicist is not None
        doses.register_patient(db, physicist, site, doses.PatientInput(
            "KZ-1", "Petrova Anna", None, "F", corrected=True, reason="married name"))  # fmt: skip
    assert store(dicom_node, path).returncode == 0  # sent again after the correction
    assert (count(dicom_node, Administration), count(dicom_node, ReconciliationItem)) == (1, 1)


def test_an_nm_image_is_stored_by_content_and_indexed(dicom_node: Running, tmp_path: Path) -> None:
    path = nm_file(tmp_path)
    done = store(dicom_node, path)
    assert done.returncode == 0, done.stderr
    with transaction(dicom_node.database, read_only=True) as db:
        stored = db.session.scalars(select(StoredObject)).one()
    assert (stored.modality, stored.patient_key, stored.calling_ae_title) == (
        "NM",
        "KZ-1",
        "SPECTCAM",
    )
    assert stored.administration_id is None
    assert object_path(dicom_node.folder, stored.sha256).exists()
    assert count(dicom_node, Administration) == 0


def test_worklist_by_date_returns_the_days_requests(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    day = f"{clock.now().astimezone(ALMATY):%Y%m%d}"
    done = dcmtk(
        "findscu", "-W", "-aet", "SPECTCAM", "-aec", "NUCMED", "-X", "-od", str(tmp_path),
        "-k", f"ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate={day}",
        "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle",
        "-k", "ScheduledProcedureStepSequence[0].Modality",
        "-k", "PatientName", "-k", "PatientID", "-k", "AccessionNumber",
        "127.0.0.1", str(dicom_node.port),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answers = [pydicom.dcmread(path) for path in sorted(tmp_path.glob("rsp*.dcm"))]
    assert [(a.PatientID, a.AccessionNumber, str(a.PatientName)) for a in answers] == [
        ("KZ-1", ACCESSION, "Ivanova^Aigerim")
    ]
    step = answers[0].ScheduledProcedureStepSequence[0]
    assert (step.ScheduledStationAETitle, step.Modality) == (STATION, "NM")
    assert step.ScheduledProcedureStepStartDate == day


def test_worklist_of_another_day_is_empty(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    other = f"{clock.now().astimezone(ALMATY) + timedelta(days=2):%Y%m%d}"
    done = dcmtk(
        "findscu", "-W", "-aet", "SPECTCAM", "-aec", "NUCMED", "-X", "-od", str(tmp_path),
        "-k", f"ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate={other}",
        "-k", "PatientID", "127.0.0.1", str(dicom_node.port),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("rsp*.dcm")) == []


def test_the_administration_exported_again_is_a_valid_sr_in_local_time(
    dicom_node: Running, tmp_path: Path, clock: FixedClock
) -> None:
    assert store(dicom_node, sr_file(tmp_path, clock)).returncode == 0
    with transaction(dicom_node.database, read_only=True) as db:
        record = administration_record(db, db.session.scalars(select(Administration)).one())
    sr = write_rrdsr(record)
    assert sr.TimezoneOffsetFromUTC == "+0500"  # Almaty, the site's zone
    assert str(sr.PatientName) == "Ivanova^Aigerim"
    assert_valid_sr(sr, tmp_path)


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(b"GET / HTTP/1.1\r\n\r\n", id="not-dicom"),
        pytest.param(b"\x01\x00\x00\x00\x10\x00", id="half-an-association-request"),
        pytest.param(b"\x04\x00\xff\xff\xff\xff", id="a-4-gb-data-pdu-announced"),
    ],
)
def test_the_node_survives_a_malformed_peer(dicom_node: Running, junk: bytes) -> None:
    with socket.create_connection(("127.0.0.1", dicom_node.port), timeout=5) as peer:
        peer.sendall(junk)
    done = dcmtk("echoscu", "-aet", "SPECTCAM", "-aec", "NUCMED", "127.0.0.1",
                 str(dicom_node.port))  # fmt: skip
    assert done.returncode == 0, done.stderr
