"""Training tables: enrolments, the logbook and its sign-offs, credits, minimums, assessments,
and courses with their sessions, participants and attendance. No business rules here.

Every table is append-only: a change is a new row. An enrolment, a case, a credit entry or an
assessment that corrects an earlier one points to it (``corrects_id``); a supervisor's
decision on a case is a new sign-off row (the newest counts); a minimum or an attendance mark
that changes is a new row (the newest per key counts).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = [
    "CourseAttendance",
    "CourseParticipant",
    "CourseSession",
    "TrainingAssessment",
    "TrainingCase",
    "TrainingCourse",
    "TrainingCredit",
    "TrainingEnrolment",
    "TrainingRequirement",
    "TrainingSignOff",
]


class TrainingEnrolment(Base):
    """A resident enrolled in a programme at a site, with a supervisor and the chosen
    elective; a change is a new row that corrects the previous one."""

    __tablename__ = "training_enrolments"
    __table_args__ = (Index("ix_training_enrolments_resident", "resident_id", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_code: Mapped[str] = mapped_column(String(32))
    elective_code: Mapped[str | None] = mapped_column(String(64))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_on: Mapped[date] = mapped_column(Date)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("training_enrolments.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingCase(Base):
    """A case in a resident's logbook: what was done, in which role, for which discipline and
    learning outcomes, linked to the administration or therapy course where there is one.

    ``description`` is pseudonymous (no patient identifiers: the link carries the patient).
    """

    __tablename__ = "training_cases"
    __table_args__ = (Index("ix_training_cases_resident", "resident_id", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_code: Mapped[str] = mapped_column(String(32))
    performed_on: Mapped[date] = mapped_column(Date)
    procedure_type: Mapped[str] = mapped_column(String(32))  # nucmed.training.logbook
    role: Mapped[str] = mapped_column(String(16))  # observed, assisted, supervised, performed
    discipline_code: Mapped[str] = mapped_column(String(64))
    outcomes: Mapped[str] = mapped_column(String(100))  # space-separated codes (ОН1 ОН3)
    paediatric: Mapped[bool] = mapped_column(Boolean)
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administrations.id"))
    therapy_course_id: Mapped[int | None] = mapped_column(ForeignKey("therapy_courses.id"))
    description: Mapped[str] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("training_cases.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingSignOff(Base):
    """A supervisor's decision on a logbook case (approved or returned) with a comment."""

    __tablename__ = "training_sign_offs"
    __table_args__ = (Index("ix_training_sign_offs_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("training_cases.id"))
    decision: Mapped[str] = mapped_column(String(16))  # approved, returned
    comment: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingCredit(Base):
    """The credits of a discipline a resident has completed, as the supervisor records them;
    the newest row of a discipline counts (a correction points to the row it corrects)."""

    __tablename__ = "training_credits"
    __table_args__ = (Index("ix_training_credits_resident", "resident_id", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_code: Mapped[str] = mapped_column(String(32))
    discipline_code: Mapped[str] = mapped_column(String(64))
    credits: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("training_credits.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingRequirement(Base):
    """A minimum a programme enforces at a site (a procedure type or an assessment kind), set
    by the programme director with a reason; the newest row per kind and item counts."""

    __tablename__ = "training_requirements"
    __table_args__ = (Index("ix_training_requirements_site", "site_id", "programme_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    programme_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # procedure, assessment
    item: Mapped[str] = mapped_column(String(32))
    minimum: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingAssessment(Base):
    """A workplace-based assessment (DOPS, mini-CEX, case-based discussion) of a resident."""

    __tablename__ = "training_assessments"
    __table_args__ = (Index("ix_training_assessments_resident", "resident_id", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # dops, mini-cex, cbd
    assessed_on: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(200))  # the procedure or encounter observed
    rating: Mapped[str] = mapped_column(String(16))  # below, borderline, meets, above
    feedback: Mapped[str] = mapped_column(Text)
    outcomes: Mapped[str] = mapped_column(String(100))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("training_assessments.id"))
    recorded_at: Mapped[datetime]
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingCourse(Base):
    """A short course or exchange programme held by a site, over one or more days; its title
    in Kazakh, Russian and English (certificates are in the participant's language)."""

    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # course, exchange
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    organiser_kk: Mapped[str] = mapped_column(String(300))  # the centre that held it
    organiser_ru: Mapped[str] = mapped_column(String(300))
    organiser_en: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    city: Mapped[str] = mapped_column(String(100))
    venue: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CourseSession(Base):
    """A session of a course: its day, topic (kk, ru, en) and speaker."""

    __tablename__ = "training_course_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    topic_kk: Mapped[str] = mapped_column(String(300))
    topic_ru: Mapped[str] = mapped_column(String(300))
    topic_en: Mapped[str] = mapped_column(String(300))
    speaker: Mapped[str] = mapped_column(String(200))


class CourseParticipant(Base):
    """A person taking part in a course: from which institution and city, in which role
    (participant, guest, speaker), and the language of the certificate."""

    __tablename__ = "training_course_participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    role: Mapped[str] = mapped_column(String(16))  # participant, guest, speaker
    language: Mapped[str] = mapped_column(String(8))  # ru, kk, en
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CourseAttendance(Base):
    """A participant's attendance on a day of a course; the newest row per day counts."""

    __tablename__ = "training_course_attendance"
    __table_args__ = (Index("ix_training_course_attendance", "participant_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("training_course_participants.id"))
    day: Mapped[date] = mapped_column(Date)
    present: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
