"""Query and retrieve against a real PACS: Orthanc (Debian's package), started here on a
loopback port with a temporary configuration and filled with DCMTK's storescu.

Expected values are **analytic**: the studies stored are found by patient and modality, and
the objects retrieved are byte for byte those sent (named by their SHA-256).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest

from nucmed.services.clock import FixedClock
from nucmed.services.network import Pacs, PacsError, find_studies, object_path, retrieve_study
from tests.interop.dicom_tools import needs_tools
from tests.listeners.conftest import free_port
from tests.listeners.test_dicom import dcmtk, nm_file, sr_file

pytestmark = needs_tools("Orthanc", "storescu")
START_S = 30


@pytest.fixture
def orthanc(tmp_path: Path) -> Iterator[Pacs]:
    """Orthanc with its DICOM server only, on a free loopback port, stopped after the test."""
    port, folder = free_port(), tmp_path / "orthanc"
    config = {
        "Name": "nucmed-test", "StorageDirectory": str(folder), "IndexDirectory": str(folder),
        "DicomAet": "PACS", "DicomPort": port, "HttpServerEnabled": False,
        "HttpPort": free_port(), "RemoteAccessAllowed": False, "Plugins": [],
        "DicomCheckCalledAet": True, "DicomAlwaysAllowStore": True,
        "DicomAlwaysAllowFind": True, "DicomAlwaysAllowGet": True, "DicomModalities": {},
    }  # fmt: skip
    path = tmp_path / "orthanc.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    process = subprocess.Popen([str(shutil.which("Orthanc")), str(path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            assert process.poll() is None, "Orthanc stopped at start"
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("Orthanc did not open its DICOM port")
        yield Pacs("127.0.0.1", port, "PACS")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_find_and_retrieve_a_patients_studies(
    orthanc: Pacs, tmp_path: Path, clock: FixedClock
) -> None:
    sent = [sr_file(tmp_path, clock), nm_file(tmp_path)]  # two studies of KZ-1
    for path in sent:
        done = dcmtk("storescu", "-R", "-aet", "CAMERA", "-aec", "PACS", "127.0.0.1",
                     str(orthanc.port), str(path))  # fmt: skip
        assert done.returncode == 0, done.stderr
    studies = find_studies(orthanc, "KZ-1")
    uids = {str(pydicom.dcmread(path).StudyInstanceUID) for path in sent}
    assert {study.study_instance_uid for study in studies} == uids
    assert {m for study in studies for m in study.modalities} == {"SR", "NM"}
    assert find_studies(orthanc, "KZ-1", ("CT",)) == ()
    assert find_studies(orthanc, "KZ-404") == ()
    folder = tmp_path / "retrieved"
    for path in sent:
        (got,) = retrieve_study(orthanc, str(pydicom.dcmread(path).StudyInstanceUID), folder)
        digest = hashlib.sha256(got.read_bytes()).hexdigest()
        assert got == object_path(folder, digest)
        assert pydicom.dcmread(got).SOPInstanceUID == pydicom.dcmread(path).SOPInstanceUID


def test_a_wrong_ae_title_or_port_is_said_clearly(orthanc: Pacs) -> None:
    wrong = Pacs(orthanc.host, orthanc.port, "NOTPACS")
    with pytest.raises(PacsError, match="did not accept an association"):
        find_studies(wrong, "KZ-1")
    with pytest.raises(PacsError, match="did not accept an association"):
        find_studies(Pacs("127.0.0.1", free_port(), "PACS"), "KZ-1")
