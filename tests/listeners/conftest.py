"""A site with cameras, a patient and a dose request on a database of its own (the listeners
serve from their own threads, so the commits are real), and the DICOM node on a free loopback
port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nucmed.listeners.dicom import DicomNode, start
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.network import Device, add_node, open_device
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role, SiteKind

ALMATY = ZoneInfo("Asia/Almaty")
SITE = SiteSpec("NM-ALA", "Almaty NM", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
PATIENT = doses.PatientInput("KZ-1", "Ivanova Aigerim", date(1980, 5, 17), "F")
ACCESSION, STATION = "ACC0001", "SPECTCAM"


@dataclass(frozen=True, slots=True)
class Running:
    """A DICOM node serving on 127.0.0.1:port, its object folder and device account."""

    port: int
    folder: Path
    device: Device
    database: Database


def free_port() -> int:
    """A TCP port free on the loopback address now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def network_db(committing_factory: SessionFactory, clock: FixedClock) -> Database:
    """NM-ALA with SPECTCAM and PETCT accepted, patient KZ-1 and a Tc-99m MDP request planned
    now (the clock) with its accession number and station."""
    database = Database(committing_factory, clock)
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        for ae in ("SPECTCAM", "PETCT"):
            add_node(store, None, site, ae, f"{ae} console")
        doctor = create_user(store, None, NewUser("doc.n", "Doctor", "correct horse battery"),
                             [(Role.PHYSICIAN, site)])  # fmt: skip
        patient = doses.register_patient(store, doctor, site, PATIENT)
        doses.request_dose(store, doctor, site, doses.RequestInput(
            patient.id, "Bone scintigraphy", "MDP", "Tc-99m", 7.4e8,
            clock.now() + timedelta(minutes=5), accession_number=ACCESSION,
            station_ae_title=STATION,
        ))  # fmt: skip
    return database


@pytest.fixture
def dicom_node(network_db: Database, tmp_path: Path) -> Iterator[Running]:
    """The site's DICOM node listening on a free loopback port, stopped after the test."""
    device = open_device(network_db, "dicom", "NM-ALA")
    port, folder = free_port(), tmp_path / "dicom"
    server = start(DicomNode(network_db, device, folder, "NUCMED"), "127.0.0.1", port)
    try:
        yield Running(port, folder, device, network_db)
    finally:
        server.shutdown()
