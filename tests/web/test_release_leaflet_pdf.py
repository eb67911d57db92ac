"""The release leaflet as a PDF (issue 12, item 6): in the patient's language, with the
department's name, postal address and telephone from the site, read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.test_therapy_pages import (
    _clock_after_the_last_image,  # noqa: F401 - autouse: the clock of those tests
    _open_course,
    _physician,
)
from tests.web.test_therapy_pages import patient_id as patient_id  # noqa: PLC0414 - fixture

ADDRESS = "050032, г. Алматы, ул. Ибрагимова, 1"
PHONE = "+7 727 000 00 20"
EXPECTED = {
    "ru": ("Памятка пациенту после радионуклидной терапии", "Дети:", "Адрес:"),
    "kk": ("Радионуклидтік емнен кейінгі пациентке арналған жадынама", "Балалар:", "Мекенжайы:"),
}

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def course(app: FastAPI, people: dict[Role, str], patient_id: int) -> tuple[TestClient, str]:
    """A physician's browser and a course of the test patient."""
    doctor = _physician(TestClient(app), people)
    return doctor, _open_course(doctor, patient_id)


@pytest.fixture
def addressed(factory: SessionFactory, people: dict[Role, str]) -> None:
    """The test site with its address and telephone (the settings page sets them)."""
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        site.address, site.phone = ADDRESS, PHONE


@needs_pdftotext
@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.usefixtures("addressed")
def test_the_leaflet_pdf_reads_in_the_patients_language_with_the_address(
    course: tuple[TestClient, str], language: str, tmp_path: Path
) -> None:
    doctor, course_page = course
    query = {"nuclide": "I-131", "activity": "1.1 GBq", "language": language}
    page = doctor.get(f"{course_page}/release", params=query, headers={"Accept-Language": "en"})
    assert 'id="instructions-pdf"' in page.text
    answer = doctor.get(f"{course_page}/release.pdf", params=query)
    assert answer.status_code == 200, answer.text[-1000:]
    assert answer.headers["content-type"] == "application/pdf"
    pdf = tmp_path / f"leaflet-{language}.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (*EXPECTED[language], "Ибрагимова, 1", PHONE, "Therapy Patient", "T-77"):
        assert expected in " ".join(text.split()), text
    assert "2026-" not in text  # dates as the patient reads them (dd.mm.yyyy)


def test_bad_input_gives_the_page_with_the_error_not_a_pdf(
    course: tuple[TestClient, str],
) -> None:
    doctor, course_page = course
    answer = doctor.get(
        f"{course_page}/release.pdf",
        params={"nuclide": "I-131", "activity": "lots", "language": "ru"},
        headers={"Accept-Language": "ru"},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
