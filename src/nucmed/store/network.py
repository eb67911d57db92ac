"""DICOM and HL7 network tables: the calling AE titles a site accepts, the device accounts
its listeners act as, the index of the objects received, and the reconciliation items.

No business rules here (see :mod:`nucmed.services.network`). Objects themselves lie on disk
under the data folder, named by the SHA-256 of their bytes; the index row points to them.
Field sizes follow the DICOM value representations: an AE title is an AE (16 characters), a
UID a UI (64), a Patient ID an LO (64) [1]_.

References
----------
.. [1] DICOM PS3.5 (2025b), 6.2 "Value Representation (VR)".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["DeviceAccount", "DicomNode", "ReconciliationItem", "StoredObject"]


class DicomNode(Base):
    """A calling AE title (a camera console, a PET/CT) a site's DICOM listener accepts."""

    __tablename__ = "dicom_nodes"
    __table_args__ = (UniqueConstraint("site_id", "ae_title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    ae_title: Mapped[str] = mapped_column(String(16))  # PS3.5 VR AE
    description: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DeviceAccount(Base):
    """The user account a site's listener acts as (``dicom``, ``hl7``): not a person; its
    permissions are the device's own (:data:`nucmed.services.permissions.DEVICE_PERMISSIONS`)."""

    __tablename__ = "device_accounts"
    __table_args__ = (UniqueConstraint("site_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(16))  # dicom, hl7
    created_at: Mapped[datetime]


class StoredObject(Base):
    """A DICOM object received (RRDSR, NM, PT, CT): its identity and where its bytes lie."""

    __tablename__ = "stored_objects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    sop_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    sop_class_uid: Mapped[str] = mapped_column(String(64))
    study_instance_uid: Mapped[str] = mapped_column(String(64), index=True)
    series_instance_uid: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(16))
    patient_key: Mapped[str] = mapped_column(String(64), index=True)  # Patient ID as sent
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    calling_ae_title: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime]
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administrations.id"))


class ReconciliationItem(Base):
    """An RRDSR that did not become a record by itself: its event UID is on file already
    (``duplicate``) with the same or different content (``mismatch``), or its patient is not
    the patient on file with that hospital number (``patient``: no administration). The
    physicist or physician decides; the decision is a new audit entry, the item stays."""

    __tablename__ = "reconciliation_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(16))  # duplicate, mismatch, patient
    event_uid: Mapped[str] = mapped_column(String(64), index=True)
    stored_object_id: Mapped[int] = mapped_column(ForeignKey("stored_objects.id"))
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administrations.id"))
    differences: Mapped[dict[str, Any]] = mapped_column(JSON)  # field: [on file, sent]
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
