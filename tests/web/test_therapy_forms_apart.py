"""The course page's forms share field names (``nuclide``, ``activity``, ``cycle``,
``late_entry_reason``): a refused form is shown again with its input and its errors in that
form only, the other forms empty (found on the ru/kk walk: a refused release record filled the
cycle's administration form too)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of
from tests.web.test_therapy_pages import (
    _clock_after_the_last_image,  # noqa: F401 - autouse: the clock of those tests
    _open_course,
    _physician,
)
from tests.web.test_therapy_pages import patient_id as patient_id  # noqa: PLC0414 - fixture

RU = {"Accept-Language": "ru"}
NOT_A_NUMBER = "не начинается с числа"
"""The Russian refusal of an activity that does not start with a number."""


@pytest.fixture
def course(app: FastAPI, people: dict[Role, str], patient_id: int) -> tuple[TestClient, str]:
    """A physician's browser and a course of the test patient."""
    doctor = _physician(TestClient(app), people)
    return doctor, _open_course(doctor, patient_id)


def _form(page: str, form_id: str) -> str:
    """The HTML of the form ``form_id``."""
    return page.split(f'id="{form_id}"')[1].split("</form>", maxsplit=1)[0]


def _values(form: str) -> dict[str, str]:
    """The text inputs of a form and their values."""
    return dict(re.findall(r'name="(\w+)" type="text"\s+value="([^"]*)"', form))


def _post(doctor: TestClient, url: str, data: dict[str, str]) -> str:
    answer = doctor.post(url, data={**data, "csrf_token": csrf_of(doctor)}, headers=RU)
    assert answer.status_code == 422, answer.text[-2000:]
    return answer.text


def test_a_refused_release_record_stays_in_the_release_form(
    course: tuple[TestClient, str],
) -> None:
    doctor, page_url = course
    data = {"nuclide": "I-131", "activity": "много", "language": "ru"}
    page = _post(doctor, f"{page_url}/releases", data)
    release = _form(page, "release-form")
    assert _values(release)["activity"] == "много" and NOT_A_NUMBER in release
    administration = _form(page, "administration-form")
    assert set(_values(administration).values()) == {""}
    assert 'role="alert"' not in administration and "много" not in administration


def test_a_refused_administration_stays_in_the_administration_form(
    course: tuple[TestClient, str],
) -> None:
    doctor, page_url = course
    data = {
        "number": "1",
        "administered_at": "2026-11-23 10:00",
        "nuclide": "Lu-177",
        "activity": "семь",
        "late_entry_reason": "введено позже",
    }
    page = _post(doctor, f"{page_url}/administrations", data)
    administration = _form(page, "administration-form")
    assert _values(administration)["activity"] == "семь" and NOT_A_NUMBER in administration
    assert _values(administration)["nuclide"] == "Lu-177"
    for other in ("release-form", "measurement-form", "dose-form"):
        shown = _form(page, other)
        assert set(_values(shown).values()) <= {""}, other
        assert 'role="alert"' not in shown, other


def test_a_refused_organ_dose_leaves_the_measurement_form_empty(
    course: tuple[TestClient, str],
) -> None:
    doctor, page_url = course
    page = _post(doctor, f"{page_url}/organ-doses", {"cycle": "два", "doses": "kidneys: 1 Gy"})
    dose = _form(page, "dose-form")
    assert _values(dose)["cycle"] == "два" and 'role="alert"' in dose
    measurement = _form(page, "measurement-form")
    assert _values(measurement)["cycle"] == "" and 'role="alert"' not in measurement
