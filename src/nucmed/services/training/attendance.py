"""A course's attendance sheet: its sessions by day, its participants, every attendance mark
as recorded (append-only: a correction is a new mark of the same day, and the newest counts),
and who may have a certificate (present every day, :func:`nucmed.services.training.
certificates.certificate_pdf`).

Attendance is marked per participant and course day (the table keeps the day, not the
session): a day's sessions are attended together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from nucmed.errors import N_
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, may
from nucmed.services.training.common import TrainingInputError, local_today, user_name
from nucmed.services.training.courses import CourseView, course_at, course_of, mark, participant_of
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.training import CourseAttendance

__all__ = [
    "AttendanceMark",
    "AttendanceSheet",
    "Mark",
    "attendance_sheet",
    "mark_course_attendance",
]


@dataclass(frozen=True, slots=True)
class AttendanceMark:
    """One attendance mark as recorded: whose, which day, present or absent, when (UTC) and
    by whom; ``superseded`` when a later mark of the same participant and day replaces it."""

    id: int
    participant_id: int
    participant: str
    day: date
    present: bool
    recorded_at: datetime
    recorded_by: str
    superseded: bool


@dataclass(frozen=True, slots=True)
class AttendanceSheet:
    """A course with its marks (newest first), the mark that counts for each participant and
    day (True present, False absent; a day not marked is missing), the site's time zone and
    today there, and whether the person may mark attendance."""

    course: CourseView
    marks: tuple[AttendanceMark, ...]
    counted: Mapping[tuple[int, date], bool]
    time_zone: str
    today: date
    may_mark: bool


def _marks(store: Store, people: dict[int, str]) -> tuple[AttendanceMark, ...]:
    rows = list(
        store.session.scalars(
            select(CourseAttendance)
            .where(CourseAttendance.participant_id.in_(list(people)))
            .order_by(CourseAttendance.id.desc())
        )
    )
    seen: set[tuple[int, date]] = set()
    found = []
    for row in rows:
        key = (row.participant_id, row.day)
        found.append(
            AttendanceMark(
                row.id,
                row.participant_id,
                people[row.participant_id],
                row.day,
                row.present,
                row.recorded_at,
                user_name(store, row.recorded_by_id),
                key in seen,
            )
        )
        seen.add(key)
    return tuple(found)


def attendance_sheet(database: Database, identity: Identity, course_code: str) -> AttendanceSheet:
    """A course's sessions, participants and attendance marks.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not read training at its host site.
    """
    with transaction(database, read_only=True) as store:
        site, course = course_at(store, identity, course_code, Permission.TRAINING_READ)
        view = course_of(store, course, site)
        people = {p.id: p.full_name for p in view.participants}
        marks = _marks(store, people)
        return AttendanceSheet(
            course=view,
            marks=marks,
            counted={(m.participant_id, m.day): m.present for m in marks if not m.superseded},
            time_zone=site.time_zone,
            today=local_today(store, site),
            may_mark=may(store, identity, site, Permission.TRAINING_DIRECT),
        )


@dataclass(frozen=True, slots=True)
class Mark:
    """A participant (by id) present or absent on a day of the course."""

    participant_id: int
    day: date
    present: bool


def mark_course_attendance(
    database: Database, identity: Identity, course_code: str, given: Mark
) -> None:
    """Mark a participant of the course present or absent on a day (the programme director
    at the host site); a new mark of the same day corrects the previous one.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course or participant; the person may not direct training at the host site.
    TrainingInputError
        The participant is not one of the course's, or the day lies outside the course or
        after today (:func:`nucmed.services.training.courses.mark`).
    """
    with transaction(database) as store:
        site, course = course_at(store, identity, course_code, Permission.TRAINING_DIRECT)
        who = actor(store, identity)
        _, _, row = participant_of(
            store, identity, given.participant_id, Permission.TRAINING_DIRECT
        )
        if row.course_id != course.id:
            raise TrainingInputError(
                parts=(
                    (
                        N_("participant {id} does not take part in course {code}"),
                        {"id": given.participant_id, "code": course.code},
                    ),
                )
            )
        mark(store, who, row, given.day, given.present)
        details = {"day": given.day.isoformat(), "present": given.present}
        entity = "training_course_participant"
        record(store, who, Event("training.attendance", entity, row.id, site.id, details=details))
