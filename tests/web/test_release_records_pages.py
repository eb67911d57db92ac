"""Recording a release on the course page (issue 12, item 6): the button stores the release
with its PDF leaflet and the page lists it in site time with a link to the stored bytes; bad
input gives the page with the error in the reader's language; a reader who may not record
therapy sees no button."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_therapy_pages import (
    _clock_after_the_last_image,  # noqa: F401 - autouse: the clock of those tests
    _open_course,
    _physician,
)
from tests.web.test_therapy_pages import patient_id as patient_id  # noqa: PLC0414 - fixture

WORDS = {
    "ru": ("Записать выписку и сохранить памятку", "Записанные выписки", "не начинается с числа"),
    "kk": ("Шығаруды жазу және жадынаманы сақтау", "Жазылған шығарулар", "саннан басталмайды"),
}
"""The button, the list's heading and a word of the refusal of a bad activity, per language."""


@pytest.fixture
def course(app: FastAPI, people: dict[Role, str], patient_id: int) -> tuple[TestClient, str]:
    """A physician's browser and a course of the test patient."""
    doctor = _physician(TestClient(app), people)
    return doctor, _open_course(doctor, patient_id)


def _record(doctor: TestClient, course_page: str, activity: str, language: str) -> tuple[int, str]:
    data = {"nuclide": "I-131", "activity": activity, "language": language}
    answer = doctor.post(
        f"{course_page}/releases",
        data={**data, "csrf_token": csrf_of(doctor)},
        headers={"Accept-Language": language},
        follow_redirects=False,
    )
    return answer.status_code, answer.headers.get("location", answer.text)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_release_is_recorded_and_its_stored_leaflet_served(
    course: tuple[TestClient, str], factory: SessionFactory, language: str
) -> None:
    doctor, course_page = course
    headers = {"Accept-Language": language}
    query = {"nuclide": "I-131", "activity": "1.1 GBq", "language": language}
    assessed = doctor.get(f"{course_page}/release", params=query, headers=headers)
    assert WORDS[language][0] in assessed.text
    status, where = _record(doctor, course_page, "1.1 GBq", language)
    assert status == 303, where
    assert where == f"{course_page}#release-records"
    page = doctor.get(course_page, headers=headers)
    assert WORDS[language][1] in page.text
    table = page.text.split('id="release-records"')[1].split("</table>")[0]
    assert "11:00" in table  # the clock, in Almaty time
    [link] = re.findall(r'href="(/release-records/\d+/leaflet\.pdf)"', page.text)
    first = doctor.get(link)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        site.phone = "+7 727 999 99 99"
    assert doctor.get(link).content == first.content


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_bad_activity_gives_the_page_with_the_error_in_the_readers_language(
    course: tuple[TestClient, str], language: str
) -> None:
    doctor, course_page = course
    status, text = _record(doctor, course_page, "lots", language)
    assert status == 422
    [error] = re.findall(r'id="release-activity-note"[^>]*>([^<]*)<', text) or [text[-3000:]]
    assert WORDS[language][2] in error, error
    assert WORDS[language][1] not in text


def test_a_reader_who_may_not_record_sees_no_button_and_is_refused(
    app: FastAPI, course: tuple[TestClient, str], people: dict[Role, str]
) -> None:
    _, course_page = course
    officer = sign_in(TestClient(app), people[Role.RSO])
    query = {"nuclide": "I-131", "activity": "1.1 GBq", "language": "ru"}
    page = officer.get(f"{course_page}/release", params=query, headers={"Accept-Language": "ru"})
    assert page.status_code == 200
    assert WORDS["ru"][0] not in page.text
    status, _ = _record(officer, course_page, "1.1 GBq", "ru")
    assert status == 403
