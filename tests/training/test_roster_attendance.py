"""The enrolment roster and the attendance sheet: the director sees the site's residents and
supervisors and every enrolment with its progress; enrolments without an elective, of someone
who is not a resident, or with a start date out of range are refused; attendance marks are
append-only (a correction is a new mark), audited, and a certificate follows the newest marks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services.demo import load_demo
from nucmed.services.demo_training import AML_COURSE
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.training.attendance import Mark, attendance_sheet, mark_course_attendance
from nucmed.services.training.certificates import certificate_pdf
from nucmed.services.training.curriculum import curriculum
from nucmed.services.training.enrolment import Enrolment, enrol_resident
from nucmed.services.training.roster import roster
from nucmed.services.uow import Database, transaction
from nucmed.store.models import AuditEntry
from tests.training.fixtures import Department, department, identity_of


def _enrolment(dept: Department, **changes: object) -> Enrolment:
    base: dict[str, object] = {
        "resident_id": dept.resident_id,
        "supervisor_id": dept.supervisor_id,
        "programme_code": "7R01108",
        "elective_code": "liver-therapy",
        "started_on": dept.today - timedelta(days=30),
    }
    base.update(changes)
    return Enrolment(**base)  # type: ignore[arg-type]


def test_the_roster_shows_people_programmes_and_progress(database: Database) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    found = roster(database, director, dept.code)
    assert [p.id for p in found.residents] == [dept.resident_id]
    assert [p.id for p in found.supervisors] == [dept.supervisor_id]
    (programme,) = found.programmes
    assert programme.code == "7R01108" and len(programme.electives) == 5
    # Analytic: the range is the programme's 2 years of 366 days back, one year ahead.
    assert programme.first_start == dept.today - timedelta(days=732)
    assert programme.last_start == dept.today + timedelta(days=366)
    (row,) = found.enrolled
    assert row.resident_id == dept.resident_id and row.total_credits == 140
    assert row.elective is not None and row.started_on == dept.today - timedelta(days=400)

    enrol_resident(database, director, dept.code, _enrolment(dept))
    (changed,) = roster(database, director, dept.code).enrolled
    assert changed.elective is not None and changed.elective.en.endswith("liver cancer")
    assert changed.started_on == dept.today - timedelta(days=30)


def test_a_resident_or_technologist_sees_no_roster(database: Database) -> None:
    dept = department(database)
    for person in (dept.resident_id, dept.tech_id):
        with pytest.raises(AccessDeniedError):
            roster(database, identity_of(database, person), dept.code)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"elective_code": None}, "choose the elective: one of those", id="no elective"
        ),
        pytest.param(
            {"elective_code": " "}, "choose the elective: one of those", id="blank elective"
        ),
        pytest.param({"resident_id": 10**6}, "is not a resident", id="unknown resident"),
        pytest.param({"started_on": -733}, "the start date must lie from", id="too early"),
        pytest.param({"started_on": 367}, "the start date must lie from", id="too late"),
    ],
)
def test_wrong_enrolments_are_refused(
    database: Database, changes: dict[str, object], message: str
) -> None:
    dept = department(database)
    if isinstance(changes.get("started_on"), int):
        changes = {"started_on": dept.today + timedelta(days=int(str(changes["started_on"])))}
    director = identity_of(database, dept.supervisor_id)
    with pytest.raises(NucmedInputError, match=message):
        enrol_resident(database, director, dept.code, _enrolment(dept, **changes))


@pytest.mark.parametrize("days", [-732, 366], ids=["first day", "last day"])
def test_the_start_range_includes_its_ends(database: Database, days: int) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    started = dept.today + timedelta(days=days)
    enrol_resident(database, director, dept.code, _enrolment(dept, started_on=started))
    (row,) = roster(database, director, dept.code).enrolled
    assert row.started_on == started


@pytest.fixture
def demo(database: Database) -> Database:
    load_demo(database)
    return database


def _supervisor(database: Database) -> int:
    with transaction(database) as store:
        user = store.users.by_username("supervisor.ala")
        assert user is not None
        return user.id


def test_a_correction_is_a_new_mark_and_the_newest_counts(demo: Database) -> None:
    supervisor = identity_of(demo, _supervisor(demo))
    before = attendance_sheet(demo, supervisor, AML_COURSE)
    person = before.course.participants[0]
    last = before.course.days[-1]
    assert before.may_mark and before.counted[(person.id, last)] is True

    mark_course_attendance(demo, supervisor, AML_COURSE, Mark(person.id, last, False))
    absent = attendance_sheet(demo, supervisor, AML_COURSE)
    assert len(absent.marks) == len(before.marks) + 1
    assert absent.counted[(person.id, last)] is False
    assert [m.superseded for m in absent.marks if m.participant_id == person.id][:2] == [
        False,
        True,
    ]
    with pytest.raises(NucmedInputError, match="attended 2 of 3 days"):
        certificate_pdf(demo, supervisor, person.id)

    mark_course_attendance(demo, supervisor, AML_COURSE, Mark(person.id, last, True))
    assert certificate_pdf(demo, supervisor, person.id).startswith(b"%PDF")
    with transaction(demo) as store:
        audited = store.session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "training.attendance")
        ).all()
    assert [entry["present"] for entry in audited] == [False, True]


def test_wrong_marks_are_refused(demo: Database) -> None:
    supervisor = identity_of(demo, _supervisor(demo))
    sheet = attendance_sheet(demo, supervisor, AML_COURSE)
    person = sheet.course.participants[0].id
    with pytest.raises(NucmedInputError, match="must lie from 2024-05-22 to 2024-05-24"):
        mark_course_attendance(demo, supervisor, AML_COURSE, Mark(person, date(2024, 5, 25), True))
    with pytest.raises(NotFoundError):
        mark_course_attendance(demo, supervisor, AML_COURSE, Mark(10**6, date(2024, 5, 22), True))
    with pytest.raises(NotFoundError):
        mark_course_attendance(demo, supervisor, "NO-SUCH", Mark(person, date(2024, 5, 22), True))


def test_a_resident_reads_but_does_not_mark(demo: Database) -> None:
    with transaction(demo) as store:
        user = store.users.by_username("resident.ala")
        assert user is not None
        resident = identity_of(demo, user.id)
    sheet = attendance_sheet(demo, resident, AML_COURSE)
    assert not sheet.may_mark
    person = sheet.course.participants[0].id
    with pytest.raises(AccessDeniedError):
        mark_course_attendance(demo, resident, AML_COURSE, Mark(person, date(2024, 5, 22), True))


def test_curriculum_of_an_unknown_programme_is_not_found() -> None:
    assert curriculum("7R01108")["total_credits"] == 140
    with pytest.raises(NotFoundError, match="no programme 7R0; the programmes are 7R01108"):
        curriculum("7R0")
