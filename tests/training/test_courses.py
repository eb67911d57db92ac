"""Courses: the AML exchange of the demo (three days, 12 physicians from 8 cities and guests),
attendance, certificates in Russian and Kazakh read back from the PDF, the institution view,
and the demo resident's dashboard."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.demo import load_demo
from nucmed.services.demo_training import AML_COURSE
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.training.certificates import certificate_pdf, institutions
from nucmed.services.training.courses import (
    CourseInput,
    CourseView,
    course_view,
    hold_course,
    mark_attendance,
)
from nucmed.services.training.dashboards import resident_dashboard
from nucmed.services.uow import Database, transaction
from nucmed.training.programme import Text
from tests.training.fixtures import department, identity_of

# Published: the report of the exchange (sources/001_b0a4c2184b5dfdd2.txt): 22-24 May 2024,
# "Қазақстанның әртүрлі қалаларынан келген 12 дәрігер" from eight named cities, four guests
# (two from Tbilisi, two from Tashkent), five topics.
REFERENCE = {"days": 3, "physicians": 12, "cities": 8, "guests": 4, "topics": 5}


@pytest.fixture
def demo(database: Database) -> Database:
    load_demo(database)
    return database


def _user(database: Database, username: str) -> int:
    with transaction(database) as store:
        user = store.users.by_username(username)
        assert user is not None
        return user.id


def _course(database: Database) -> CourseView:
    supervisor = identity_of(database, _user(database, "supervisor.ala"))
    return course_view(database, supervisor, AML_COURSE)


def test_published_aml_exchange_as_demo_data(demo: Database) -> None:
    view = _course(demo)
    physicians = [p for p in view.participants if p.role == "participant"]
    guests = [p for p in view.participants if p.role == "guest"]
    assert view.days == (date(2024, 5, 22), date(2024, 5, 23), date(2024, 5, 24))
    assert len(view.days) == REFERENCE["days"] and len(view.sessions) == REFERENCE["topics"]
    assert len(physicians) == REFERENCE["physicians"] and len(guests) == REFERENCE["guests"]
    assert len({p.city for p in physicians}) == REFERENCE["cities"]
    assert {p.country_code for p in guests} == {"GE", "UZ"}
    assert all(p.certified for p in view.participants)


def _pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        pytest.param(
            "kk",
            ["СЕРТИФИКАТ", "Тәжірибе алмасу бағдарламасы", "Теориядан тәжірибеге",
             "Гематология орталығы", "Қатысқан күндері: 3/3"],
            id="kk",
        ),
        pytest.param(
            "ru",
            ["СЕРТИФИКАТ", "Программа обмена опытом", "От теории к практике",
             "Гематологический центр", "2024-05-22", "Стратификация генетического риска"],
            id="ru",
        ),
    ],
)  # fmt: skip
def test_certificate_pdf_in_the_participants_language(
    demo: Database, language: str, words: list[str]
) -> None:
    view = _course(demo)
    person = next(p for p in view.participants if p.language == language)
    supervisor = identity_of(demo, _user(demo, "supervisor.ala"))
    pdf = certificate_pdf(demo, supervisor, person.id)
    assert pdf.startswith(b"%PDF")
    text = " ".join(_pdf_text(pdf).split())
    for word in [person.full_name, *words]:
        assert word in text


def test_no_certificate_without_every_day(demo: Database) -> None:
    person = _course(demo).participants[0]
    supervisor = identity_of(demo, _user(demo, "supervisor.ala"))
    mark_attendance(demo, supervisor, person.id, date(2024, 5, 24), False)
    with pytest.raises(NucmedInputError, match="attended 2 of 3 days"):
        certificate_pdf(demo, supervisor, person.id)
    rows = institutions(demo, supervisor)
    assert [(r.organiser.en, r.courses, r.participants, r.trained) for r in rows] == [
        ("Haematology Centre, Karaganda branch", 1, 16, 15)
    ]


def test_attendance_outside_the_course_is_refused(demo: Database) -> None:
    person = _course(demo).participants[0]
    supervisor = identity_of(demo, _user(demo, "supervisor.ala"))
    with pytest.raises(NucmedInputError, match="must lie from 2024-05-22 to 2024-05-24"):
        mark_attendance(demo, supervisor, person.id, date(2024, 5, 25), True)


def test_demo_resident_dashboard(demo: Database) -> None:
    resident = identity_of(demo, _user(demo, "resident.ala"))
    view = resident_dashboard(demo, resident, "NM-ALA")
    assert view.credits_done == 76 and view.total_credits == 140 and not view.gate_open
    assert {c.status for c in view.cases} == {"approved", "returned", "waiting"}
    assert view.may_log and not view.may_sign
    assert [(m.item, m.done) for m in view.minimums][:3] == [
        ("bone-joint", 1),
        ("oncology", 0),
        ("therapy", 1),
    ]


def _aml_like(**changes: object) -> CourseInput:
    base: dict[str, object] = {
        "code": "NM-2026-01",
        "kind": "course",
        "title": Text("Тест", "Тест", "Test"),
        "organiser": Text("Орталық", "Центр", "Centre"),
        "starts_on": date(2026, 3, 2),
        "ends_on": date(2026, 3, 3),
        "city": "Алматы",
        "venue": "Аудитория 1",
    }
    base.update(changes)
    return CourseInput(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"kind": "webinar"}, "the kind is one of course, exchange", id="kind"),
        pytest.param({"ends_on": date(2026, 3, 1)}, "lasts 1 to 31 days", id="backwards"),
        pytest.param({"ends_on": date(2026, 5, 1)}, "lasts 1 to 31 days", id="too long"),
        pytest.param({"venue": " "}, "write the venue", id="venue"),
    ],
)
def test_bad_courses_are_refused(
    database: Database, changes: dict[str, object], message: str
) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    with pytest.raises(NucmedInputError, match=message):
        hold_course(database, director, dept.code, _aml_like(**changes))


def test_a_course_is_held_once_and_only_by_a_director(database: Database) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    assert hold_course(database, director, dept.code, _aml_like()) == "NM-2026-01"
    with pytest.raises(NucmedInputError, match="exists already"):
        hold_course(database, director, dept.code, _aml_like())
    with pytest.raises(AccessDeniedError):
        hold_course(database, identity_of(database, dept.resident_id), dept.code, _aml_like())
