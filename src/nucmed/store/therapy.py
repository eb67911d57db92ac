"""Therapy tables: courses, the administrations of each cycle, activities measured after them,
the organ doses of each cycle and the recorded releases with their leaflets. No business rules
here; every table is append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["OrganDose", "ReleaseRecord", "TherapyCourse", "TherapyCycle", "TherapyMeasurement"]


class TherapyCourse(Base):
    """A course of radionuclide therapy for a patient: indication, agent, planned cycles."""

    __tablename__ = "therapy_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    indication: Mapped[str] = mapped_column(String(200))
    agent: Mapped[str] = mapped_column(String(64))  # lu177-psma, lu177-dotatate, sirt, i131 ...
    planned_cycles: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OrganDose(Base):
    """The absorbed dose an organ received in one cycle of a course; append-only.

    ``override_reason`` is set when a physician accepted a cycle that passes an organ's limit.
    """

    __tablename__ = "organ_doses"
    __table_args__ = (Index("ix_organ_doses_course", "course_id", "organ"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("therapy_courses.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    organ: Mapped[str] = mapped_column(String(32))
    absorbed_dose_gy: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(200))  # MIRD fit, estimate per GBq, ...
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administrations.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TherapyCycle(Base):
    """One cycle of a course: when, what and how much was given (from the hot lab's
    administration when there is one); append-only."""

    __tablename__ = "therapy_cycles"
    __table_args__ = (UniqueConstraint("course_id", "number", name="uq_therapy_cycles_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("therapy_courses.id"))
    number: Mapped[int] = mapped_column(Integer)
    administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("administrations.id"), unique=True
    )
    administered_at: Mapped[datetime]
    nuclide: Mapped[str] = mapped_column(String(16))
    activity_bq: Mapped[float] = mapped_column(Float)  # at administered_at
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TherapyMeasurement(Base):
    """Activity in an organ or tumour measured after a cycle's administration (imaging or
    probe), not decay-corrected; append-only."""

    __tablename__ = "therapy_measurements"
    __table_args__ = (Index("ix_therapy_measurements_cycle", "cycle_id", "region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("therapy_cycles.id"))
    region: Mapped[str] = mapped_column(String(64))  # an organ (kidneys) or a named tumour
    measured_at: Mapped[datetime]
    activity_bq: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(100))  # SPECT/CT, planar, probe, ...
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReleaseRecord(Base):
    """A patient's release as assessed and recorded, with the leaflet handed over (its PDF
    bytes as printed and their SHA-256); append-only.

    ``releasable`` is None when the site has no dose-rate rule; ``restriction_days`` maps each
    contact group to its days of restriction (0: none).
    """

    __tablename__ = "release_records"
    __table_args__ = (Index("ix_release_records_course", "course_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("therapy_courses.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    nuclide: Mapped[str] = mapped_column(String(16))
    activity_bq: Mapped[float] = mapped_column(Float)
    effective_half_life_s: Mapped[float | None] = mapped_column(Float)
    i131_condition: Mapped[str | None] = mapped_column(String(32))
    releasable: Mapped[bool | None] = mapped_column(Boolean)
    restriction_days: Mapped[Any] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    leaflet_pdf: Mapped[bytes] = mapped_column(LargeBinary)
    leaflet_sha256: Mapped[str] = mapped_column(String(64))
