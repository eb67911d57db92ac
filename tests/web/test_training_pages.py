"""Training pages on the demo: the resident logs a case (one refused first), the supervisor
returns one without a comment (refused) and approves it, the course page and a certificate."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.uow import Database
from tests.web.conftest import csrf_of, sign_in


@pytest.fixture
def demo_password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def _case(csrf: str, **changes: str) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "csrf_token": csrf,
        "performed_on": "2000-01-01",
        "procedure_type": "endocrine",
        "role": "performed",
        "discipline_code": "radionuclide-diagnostics",
        "outcomes": ["ОН1", "ОН8"],
        "administration_id": "",
        "description": "Thyroid scintigraphy, toxic nodule",
    }
    form.update(changes)
    return form


def test_resident_and_supervisor_loop(app: FastAPI, demo_password: str) -> None:
    resident = sign_in(TestClient(app), "resident.ala", demo_password)
    first = resident.get("/training")
    assert first.status_code == 200 and "/sites/NM-ALA/training/cases" in first.text
    page = resident.get("/sites/NM-ALA/training")
    assert page.status_code == 200 and "76 / 140" in page.text
    csrf = csrf_of(resident, "/sites/NM-ALA/training")

    refused = resident.post("/sites/NM-ALA/training/cases", data=_case(csrf, outcomes=[]))
    assert refused.status_code == 422 and "case-form-error" in refused.text
    assert 'value="Thyroid scintigraphy, toxic nodule"' in refused.text
    too_early = resident.post("/sites/NM-ALA/training/cases", data=_case(csrf))
    assert too_early.status_code == 422 and "дата должна быть от" in too_early.text

    day = re.findall(r"<td>(\d{4}-\d\d-\d\d)</td>", page.text)[0]
    done = resident.post(
        "/sites/NM-ALA/training/cases", data=_case(csrf, performed_on=day), follow_redirects=False
    )
    assert done.status_code == 303

    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    waiting = supervisor.get("/sites/NM-ALA/training")
    case_id = re.findall(r"/training/cases/(\d+)/sign-off", waiting.text)[-1]
    csrf = csrf_of(supervisor, "/sites/NM-ALA/training")
    path = f"/sites/NM-ALA/training/cases/{case_id}/sign-off"
    no_comment = supervisor.post(path, data={"csrf_token": csrf, "decision": "returned"})
    assert no_comment.status_code == 422 and f"sign-{case_id}-error" in no_comment.text
    approved = supervisor.post(
        path, data={"csrf_token": csrf, "decision": "approved"}, follow_redirects=False
    )
    assert approved.status_code == 303
    after = resident.get("/sites/NM-ALA/training")
    row = re.search(rf'<tr id="case-{case_id}" data-status="(\w+)"', after.text)
    assert row is not None and row.group(1) == "approved"


def test_course_page_and_certificate(app: FastAPI, demo_password: str) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    page = supervisor.get("/training/courses/AML-2024-05")
    assert page.status_code == 200 and "16" in page.text
    links = re.findall(r"/training/participants/(\d+)/certificate.pdf", page.text)
    assert len(links) == 16
    pdf = supervisor.get(f"/training/participants/{links[0]}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"


def test_a_technologist_is_refused(app: FastAPI, demo_password: str) -> None:
    tech = sign_in(TestClient(app), "tech.ala", demo_password)
    assert tech.get("/sites/NM-ALA/training").status_code == 403


def test_director_sets_a_minimum_and_sees_the_institutions(
    app: FastAPI, demo_password: str
) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    csrf = csrf_of(supervisor, "/sites/NM-ALA/training")
    form = {
        "csrf_token": csrf,
        "programme": "7R01108",
        "item": "procedure:neurology",
        "minimum": "five",
        "reason": "Local programme decision",
    }
    refused = supervisor.post("/sites/NM-ALA/training/minimums", data=form)
    assert refused.status_code == 422 and 'id="minimum-minimum-note"' in refused.text
    form["minimum"] = "5"
    done = supervisor.post("/sites/NM-ALA/training/minimums", data=form, follow_redirects=False)
    assert done.status_code == 303
    resident = sign_in(TestClient(app), "resident.ala", demo_password)
    page = resident.get("/sites/NM-ALA/training")
    assert 'data-item="neurology"' in page.text
    institutions = supervisor.get("/training/institutions")
    assert institutions.status_code == 200 and "<td>16</td>" in institutions.text
