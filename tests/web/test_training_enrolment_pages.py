"""The enrolment and attendance pages on the demo: the programme director enrols (a wrong
entry first: the form again, 422, the message in Russian, what was chosen kept), sees the
enrolled residents with progress; marks attendance (a day outside the course refused), and the
certificate link follows the marks."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.demo_training import AML_COURSE
from nucmed.services.uow import Database, transaction
from tests.web.conftest import csrf_of, sign_in

ENROLMENTS = "/sites/NM-ALA/training/enrolments"
ATTENDANCE = f"/training/courses/{AML_COURSE}/attendance"


@pytest.fixture
def demo_password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def _id(database: Database, username: str) -> str:
    with transaction(database) as store:
        user = store.users.by_username(username)
        assert user is not None
        return str(user.id)


def _local_today(page: str) -> date:
    found = re.search(r"7R01108: [^<]*?(\d{4}-\d\d-\d\d)[^<]*?(\d{4}-\d\d-\d\d)", page)
    assert found is not None
    return date.fromisoformat(found.group(2)) - timedelta(days=366)


def test_director_enrols_with_a_wrong_entry_first(
    app: FastAPI, database: Database, demo_password: str
) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    page = supervisor.get(ENROLMENTS)
    assert page.status_code == 200 and "76 / 140" in page.text
    today = _local_today(page.text)
    csrf = csrf_of(supervisor, ENROLMENTS)
    form = {
        "csrf_token": csrf,
        "resident_id": _id(database, "resident.ala"),
        "supervisor_id": _id(database, "supervisor.ala"),
        "programme": "7R01108",
        "elective": "",
        "started_on": (today - timedelta(days=10)).isoformat(),
    }
    refused = supervisor.post(ENROLMENTS, data=form)
    assert refused.status_code == 422 and 'id="enrol-form-error"' in refused.text
    assert "выберите элективную дисциплину" in refused.text
    assert f'value="{form["started_on"]}"' in refused.text

    too_early = supervisor.post(
        ENROLMENTS, data=dict(form, elective="liver-therapy", started_on="2000-01-01")
    )
    assert too_early.status_code == 422 and "дата начала должна быть" in too_early.text
    unknown = supervisor.post(
        ENROLMENTS, data=dict(form, elective="liver-therapy", resident_id="999999")
    )
    assert unknown.status_code == 422 and "999999" in unknown.text

    done = supervisor.post(
        ENROLMENTS, data=dict(form, elective="liver-therapy"), follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == ENROLMENTS
    after = supervisor.get(ENROLMENTS)
    row = re.search(r'<tr data-resident="\d+">.*?</tr>', after.text, re.S)
    assert row is not None and form["started_on"] in row.group(0)
    assert "печени" in row.group(0)


@pytest.mark.parametrize("username", ["resident.ala", "tech.ala"])
def test_only_the_director_opens_enrolment(
    app: FastAPI, demo_password: str, username: str
) -> None:
    client = sign_in(TestClient(app), username, demo_password)
    assert client.get(ENROLMENTS).status_code == 403


def test_director_marks_attendance(app: FastAPI, demo_password: str) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    page = supervisor.get(ATTENDANCE)
    assert page.status_code == 200 and page.text.count("certificate.pdf") == 16
    person = re.findall(r'<tr data-participant="(\d+)">', page.text)[0]
    csrf = csrf_of(supervisor, ATTENDANCE)
    form = {"csrf_token": csrf, "participant_id": person, "day": "2024-05-25", "present": "no"}
    refused = supervisor.post(ATTENDANCE, data=form)
    assert refused.status_code == 422 and 'id="attendance-form-error"' in refused.text
    assert "2024-05-22" in refused.text and 'value="2024-05-25"' in refused.text
    bad_day = supervisor.post(ATTENDANCE, data=dict(form, day="25.05.2024"))
    assert bad_day.status_code == 422 and 'id="attendance-day-note"' in bad_day.text

    done = supervisor.post(ATTENDANCE, data=dict(form, day="2024-05-24"), follow_redirects=False)
    assert done.status_code == 303
    after = supervisor.get(ATTENDANCE)
    assert after.text.count("certificate.pdf") == 15
    assert 'class="superseded"' in after.text
    pdf = supervisor.get(f"/training/participants/{person}/certificate.pdf")
    assert pdf.status_code == 422


def test_a_resident_reads_attendance_but_may_not_mark(app: FastAPI, demo_password: str) -> None:
    resident = sign_in(TestClient(app), "resident.ala", demo_password)
    page = resident.get(ATTENDANCE)
    assert page.status_code == 200 and "attendance-form" not in page.text
    csrf = csrf_of(resident, ATTENDANCE)
    form = {"csrf_token": csrf, "participant_id": "1", "day": "2024-05-22", "present": "no"}
    assert resident.post(ATTENDANCE, data=form).status_code == 403
