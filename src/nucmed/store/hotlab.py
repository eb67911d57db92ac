"""Hot-lab tables: patients, radioactive materials, QC, kit preparations, patient doses,
dose calibrators and their QC, waste. No business rules here.

Records are append-only: a material is never edited; its end (used up, disposed, returned) is a
row of ``material_closures``; a QC result is corrected by a new result pointing to it.
Activities are stored in Bq at a stated reference time, volumes in m³, dose rates in Sv/s.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = [
    "Administration",
    "CalibratorQc",
    "DoseCalibrator",
    "DoseRequest",
    "Draw",
    "DrawDiscard",
    "LicenceLimit",
    "Material",
    "MaterialClosure",
    "Patient",
    "QcResult",
    "QuarantineRecord",
    "ReceiptSurvey",
    "WasteContainer",
    "WasteItem",
    "WasteSeal",
    "WasteSurvey",
]


class Patient(Base):
    """A patient, with the minimum identifying data (extended by the patients module)."""

    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("site_id", "local_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    local_id: Mapped[str] = mapped_column(String(64))  # the hospital's patient number
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))  # F, M, or O (other), as in HL7 v2 PID-8
    created_at: Mapped[datetime]


class Material(Base):
    """Radioactive material on site: a generator, vial, capsule, check source, eluate or
    kit preparation; its activity is ``activity_bq`` of ``nuclide`` at ``reference_time``.

    ``parent_id`` links an eluate to its generator and a preparation to its eluate.
    """

    __tablename__ = "materials"
    __table_args__ = (
        Index("ix_materials_site_kind", "site_id", "kind"),
        Index("ix_materials_parent", "parent_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(16))
    nuclide: Mapped[str] = mapped_column(String(16))
    product: Mapped[str] = mapped_column(String(200))
    lot: Mapped[str | None] = mapped_column(String(64))
    supplier: Mapped[str | None] = mapped_column(String(200))
    activity_bq: Mapped[float] = mapped_column(Float)
    reference_time: Mapped[datetime]
    volume_m3: Mapped[float | None] = mapped_column(Float)
    expires_at: Mapped[datetime | None]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    kit_code: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[Any] = mapped_column(JSON)  # kind-specific facts (prediction, ages, ...)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class MaterialClosure(Base):
    """The end of a material on site: used up, decayed to waste, returned to the supplier."""

    __tablename__ = "material_closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), unique=True)
    closed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(32))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReceiptSurvey(Base):
    """The survey of a package at receipt: dose rates, wipe test, measured activity."""

    __tablename__ = "receipt_surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    measured_at: Mapped[datetime]
    surface_dose_rate_sv_per_s: Mapped[float] = mapped_column(Float)
    one_metre_dose_rate_sv_per_s: Mapped[float] = mapped_column(Float)
    wipe_bq_per_m2: Mapped[float] = mapped_column(Float)  # removable contamination
    measured_activity_bq: Mapped[float | None] = mapped_column(Float)
    expected_activity_bq: Mapped[float] = mapped_column(Float)
    findings: Mapped[Any] = mapped_column(JSON)  # action levels exceeded, with their limits
    surveyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the package declared (IAEA SSR-6); None on receipts recorded before revision 0008.
    label_category: Mapped[str | None] = mapped_column(String(16))  # excepted, I-WHITE, ...
    transport_index: Mapped[float | None] = mapped_column(Float)
    exclusive_use: Mapped[bool | None] = mapped_column(Boolean)


class QuarantineRecord(Base):
    """A material put in quarantine (not to be used) or released from it: who, when, why.
    Append-only; the newest record of a material says whether it is in quarantine now."""

    __tablename__ = "quarantine_records"
    __table_args__ = (Index("ix_quarantine_records_material", "material_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    action: Mapped[str] = mapped_column(String(16))  # quarantine, release
    at: Mapped[datetime]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)


class QcResult(Base):
    """A quality-control result of a material (Mo-99 breakthrough, aluminium, RCP, ...)."""

    __tablename__ = "qc_results"
    __table_args__ = (Index("ix_qc_results_material", "material_id", "test"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    test: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)  # SI or dimensionless, per test
    limit: Mapped[float] = mapped_column(Float)
    passes: Mapped[bool] = mapped_column(Boolean)
    measured_at: Mapped[datetime]
    measured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("qc_results.id"))


class DoseRequest(Base):
    """A patient dose asked for: radiopharmaceutical and activity at the planned time."""

    __tablename__ = "dose_requests"
    __table_args__ = (Index("ix_dose_requests_site_planned", "site_id", "planned_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    procedure: Mapped[str] = mapped_column(String(200))
    radiopharmaceutical: Mapped[str] = mapped_column(String(100))  # kit code or product
    nuclide: Mapped[str] = mapped_column(String(16))
    prescribed_bq: Mapped[float] = mapped_column(Float)  # at planned_at
    planned_at: Mapped[datetime]
    route: Mapped[str | None] = mapped_column(String(32))  # as ordered; None: not stated
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The modality worklist (PS3.4 K.6): Accession Number (0008,0050), VR SH, and the
    # Scheduled Station AE Title (0040,0001) of the camera; None: not given.
    accession_number: Mapped[str | None] = mapped_column(String(16))
    station_ae_title: Mapped[str | None] = mapped_column(String(16))


class Draw(Base):
    """A syringe drawn for a request: the volume, expected and measured activity.

    A request has one live draw: its ``attempt`` is 1, and a redraw after a recorded
    :class:`DrawDiscard` is attempt 2, and so on; the unique index refuses a second draw of
    the same attempt, whatever two clients do at once.
    """

    __tablename__ = "draws"
    __table_args__ = (
        Index("uq_draws_request_attempt", "request_id", "attempt", unique=True),
        Index("ix_draws_material", "material_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("dose_requests.id"))
    attempt: Mapped[int] = mapped_column(Integer, server_default="1")
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    calibrator_id: Mapped[int] = mapped_column(ForeignKey("dose_calibrators.id"))
    drawn_at: Mapped[datetime]
    volume_m3: Mapped[float] = mapped_column(Float)
    expected_bq: Mapped[float] = mapped_column(Float)  # at drawn_at
    measured_bq: Mapped[float] = mapped_column(Float)  # at drawn_at
    deviation: Mapped[float] = mapped_column(Float)  # (measured - expected) / expected
    override_reason: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime]
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DrawDiscard(Base):
    """A drawn syringe discarded (dropped, contaminated, wrong activity), with the reason; the
    request may then be drawn again. Append-only."""

    __tablename__ = "draw_discards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), unique=True)
    discarded_at: Mapped[datetime]
    discarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)


class DoseCalibrator(Base):
    """A radionuclide (dose) calibrator with its constancy check source."""

    __tablename__ = "dose_calibrators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(100))
    serial: Mapped[str] = mapped_column(String(100))
    check_source_nuclide: Mapped[str] = mapped_column(String(16))
    check_source_bq: Mapped[float] = mapped_column(Float)
    check_source_reference_time: Mapped[datetime]
    created_at: Mapped[datetime]


class CalibratorQc(Base):
    """A QC test of a calibrator: readings, deviations and the verdict (AAPM TG-181 tests)."""

    __tablename__ = "calibrator_qc"
    __table_args__ = (Index("ix_calibrator_qc", "calibrator_id", "test", "performed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calibrator_id: Mapped[int] = mapped_column(ForeignKey("dose_calibrators.id"))
    test: Mapped[str] = mapped_column(String(16))  # constancy, linearity, accuracy, geometry
    performed_at: Mapped[datetime]
    readings: Mapped[Any] = mapped_column(JSON)
    result: Mapped[Any] = mapped_column(JSON)
    tolerance: Mapped[float] = mapped_column(Float)
    passes: Mapped[bool] = mapped_column(Boolean)
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LicenceLimit(Base):
    """The activity of a nuclide a site's licence allows on hand; append-only like settings."""

    __tablename__ = "licence_limits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    nuclide: Mapped[str] = mapped_column(String(16))
    limit_bq: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)  # licence number and condition
    set_at: Mapped[datetime]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WasteContainer(Base):
    """A container of radioactive waste held for decay."""

    __tablename__ = "waste_containers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    label: Mapped[str] = mapped_column(String(64))
    mass_kg: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WasteSeal(Base):
    """The closing of a waste container: nothing more goes in; its decay clock starts."""

    __tablename__ = "waste_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    container_id: Mapped[int] = mapped_column(ForeignKey("waste_containers.id"), unique=True)
    sealed_at: Mapped[datetime]
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WasteItem(Base):
    """Something put in a waste container: a nuclide and its activity at a time."""

    __tablename__ = "waste_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    container_id: Mapped[int] = mapped_column(ForeignKey("waste_containers.id"))
    nuclide: Mapped[str] = mapped_column(String(16))
    activity_bq: Mapped[float] = mapped_column(Float)
    reference_time: Mapped[datetime]
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    added_at: Mapped[datetime]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WasteSurvey(Base):
    """The release survey of a container before disposal."""

    __tablename__ = "waste_surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    container_id: Mapped[int] = mapped_column(ForeignKey("waste_containers.id"))
    measured_at: Mapped[datetime]
    dose_rate_sv_per_s: Mapped[float] = mapped_column(Float)
    background_sv_per_s: Mapped[float] = mapped_column(Float)
    passes: Mapped[bool] = mapped_column(Boolean)
    disposed: Mapped[bool] = mapped_column(Boolean)
    surveyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Administration(Base):
    """A radiopharmaceutical given to a patient: what, when, how much, by whom; append-only.

    ``event_uid`` identifies the administration event across systems (the DICOM RRDSR's
    Radiopharmaceutical Administration Event UID), so an import never duplicates a record.
    """

    __tablename__ = "administrations"
    __table_args__ = (
        Index("ix_administrations_audit", "site_id", "procedure", "administered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("draws.id"), unique=True)
    event_uid: Mapped[str] = mapped_column(String(64), unique=True)
    procedure: Mapped[str] = mapped_column(String(200))
    radiopharmaceutical: Mapped[str] = mapped_column(String(100))
    nuclide: Mapped[str] = mapped_column(String(16))
    administered_at: Mapped[datetime]
    route: Mapped[str] = mapped_column(String(32))  # intravenous, oral, ...
    injection_site: Mapped[str | None] = mapped_column(String(100))
    net_activity_bq: Mapped[float] = mapped_column(Float)  # at administered_at
    residual_bq: Mapped[float | None] = mapped_column(Float)  # at administered_at
    prescribed_bq: Mapped[float | None] = mapped_column(Float)  # at administered_at
    deviation: Mapped[float | None] = mapped_column(Float)
    deviation_reason: Mapped[str | None] = mapped_column(Text)
    extravasation: Mapped[bool] = mapped_column(Boolean)
    pregnancy: Mapped[str] = mapped_column(String(16))  # not_applicable, not_pregnant, ...
    breastfeeding: Mapped[bool | None] = mapped_column(Boolean)
    patient_weight_kg: Mapped[float | None] = mapped_column(Float)
    patient_height_m: Mapped[float | None] = mapped_column(Float)
    patient_age_years: Mapped[float | None] = mapped_column(Float)
    effective_dose_sv: Mapped[float | None] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(16))  # drawn here, rrdsr import, hl7, manual
    administered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
