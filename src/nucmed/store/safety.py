"""Radiation safety tables: workers, their dosimeters and readings, the site's investigation
levels, the alerts raised for the radiation safety officer with their reviews; surveyed areas
with their action levels, their dose-rate and wipe surveys, and decontamination follow-up;
sealed sources and their leak tests. No business rules here.

Every table is append-only: a change is a new row. A worker's changed details are a new row
that corrects the previous one (``corrects_id``); a reading re-sent for the same dosimeter and
period corrects the earlier one; an investigation level that changes is a new row (the newest
per site and quantity counts); an alert is closed by a review row; a survey above its action
level is followed up by decontamination rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = [
    "AreaSurvey",
    "Decontamination",
    "DoseAlert",
    "DoseAlertReview",
    "DoseReading",
    "Dosimeter",
    "InvestigationLevel",
    "LeakTest",
    "PregnancyDeclaration",
    "SealedSource",
    "SurveyArea",
    "Worker",
]


class Worker(Base):
    """A person whose occupational dose is monitored at a site (staff number and name); a
    change of details, or leaving (``active`` false), is a new row correcting the last."""

    __tablename__ = "safety_workers"
    __table_args__ = (Index("ix_safety_workers_site", "site_id", "staff_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    staff_number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("safety_workers.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Dosimeter(Base):
    """A personal dosimeter issued to a worker: its serial number (as the dosimetry service
    writes it) and kind (``whole_body``, ``eye``, ``ring``: nucmed.safety.staff_doses)."""

    __tablename__ = "safety_dosimeters"
    __table_args__ = (Index("ix_safety_dosimeters_serial", "site_id", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("safety_workers.id"))
    serial: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DoseReading(Base):
    """A dosimeter's dose for one monitoring period (Sv), imported from the dosimetry service's
    report (``batch`` names the import); ``quantity`` is what the dosimeter measures."""

    __tablename__ = "safety_dose_readings"
    __table_args__ = (Index("ix_safety_dose_readings_worker", "worker_id", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("safety_workers.id"))
    dosimeter_id: Mapped[int] = mapped_column(ForeignKey("safety_dosimeters.id"))
    quantity: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    dose_sv: Mapped[float] = mapped_column(Float)
    batch: Mapped[str] = mapped_column(String(64))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("safety_dose_readings.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InvestigationLevel(Base):
    """A site's investigation level for one reading of a quantity (Sv), set with a reason; the
    newest row per site and quantity counts."""

    __tablename__ = "safety_investigation_levels"
    __table_args__ = (Index("ix_safety_investigation_levels_site", "site_id", "quantity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    quantity: Mapped[str] = mapped_column(String(16))
    level_sv: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DoseAlert(Base):
    """What a reading passed (an investigation level or a dose limit), for the radiation safety
    officer: the kind, quantity, calendar year, the value reached and the limit (Sv)."""

    __tablename__ = "safety_dose_alerts"
    __table_args__ = (Index("ix_safety_dose_alerts_site", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("safety_workers.id"))
    reading_id: Mapped[int] = mapped_column(ForeignKey("safety_dose_readings.id"))
    kind: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    value_sv: Mapped[float] = mapped_column(Float)
    limit_sv: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime]


class DoseAlertReview(Base):
    """The radiation safety officer's review that closes an alert: what was found and done."""

    __tablename__ = "safety_dose_alert_reviews"
    __table_args__ = (Index("ix_safety_dose_alert_reviews_alert", "alert_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("safety_dose_alerts.id"))
    note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SurveyArea(Base):
    """An area of a site that is surveyed (a hot-lab bench, an uptake room) with its action
    levels: the dose rate (Sv/s) and the removable contamination of a wipe (Bq/m²) above which
    it needs follow-up; a change is a new row correcting the last."""

    __tablename__ = "safety_areas"
    __table_args__ = (Index("ix_safety_areas_site", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(String(200))
    dose_rate_action_sv_per_s: Mapped[float] = mapped_column(Float)
    wipe_action_bq_per_m2: Mapped[float] = mapped_column(Float)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("safety_areas.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AreaSurvey(Base):
    """A survey of an area: a dose rate (Sv/s) or a wipe test (Bq/m²), the action level it was
    read against, and whether it was above it (which opens a follow-up)."""

    __tablename__ = "safety_area_surveys"
    __table_args__ = (Index("ix_safety_area_surveys_area", "area_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("safety_areas.id"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    action_level: Mapped[float] = mapped_column(Float)
    over: Mapped[bool] = mapped_column(Boolean)
    measured_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Decontamination(Base):
    """What was done about a survey above its action level, and the value measured after it;
    it closes the follow-up when that value is at or below the level."""

    __tablename__ = "safety_decontaminations"
    __table_args__ = (Index("ix_safety_decontaminations_survey", "survey_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("safety_area_surveys.id"))
    action: Mapped[str] = mapped_column(Text)
    value_after: Mapped[float] = mapped_column(Float)
    closes: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SealedSource(Base):
    """A sealed check or calibration source held at a site: nuclide, serial, activity at a
    reference date (Bq), and the leak-test interval (days)."""

    __tablename__ = "safety_sealed_sources"
    __table_args__ = (Index("ix_safety_sealed_sources_site", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    nuclide: Mapped[str] = mapped_column(String(16))
    serial: Mapped[str] = mapped_column(String(64))
    activity_bq: Mapped[float] = mapped_column(Float)
    reference_date: Mapped[date] = mapped_column(Date)
    leak_test_interval_days: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LeakTest(Base):
    """A leak test of a sealed source: the day, the removable activity found (Bq) and whether
    it passed."""

    __tablename__ = "safety_leak_tests"
    __table_args__ = (Index("ix_safety_leak_tests_source", "source_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("safety_sealed_sources.id"))
    tested_on: Mapped[date] = mapped_column(Date)
    removable_bq: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PregnancyDeclaration(Base):
    """A worker's declared pregnancy: the day she declared it and the expected date of
    delivery; a changed expected date is a new row correcting the last (``corrects_id``)."""

    __tablename__ = "safety_pregnancies"
    __table_args__ = (Index("ix_safety_pregnancies_worker", "worker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("safety_workers.id"))
    declared_on: Mapped[date] = mapped_column(Date)
    expected_on: Mapped[date] = mapped_column(Date)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("safety_pregnancies.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
