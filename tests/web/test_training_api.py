"""The training JSON API on the demo: the curriculum is the command line's JSON, enrolments
(list, enrol with the page's refusals), a resident's progress and cases, logging a case and
its sign-off moving the progress, and a course's attendance with the certificate following
the marks."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.cli import main as cli_main
from nucmed.services.demo import load_demo
from nucmed.services.demo_training import AML_COURSE
from nucmed.services.uow import Database, transaction

COURSE = f"/api/training/courses/{AML_COURSE}"
ENROLMENTS = "/api/sites/NM-ALA/training/enrolments"


@pytest.fixture
def demo_password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def _headers(client: TestClient, username: str, password: str) -> dict[str, str]:
    answer = client.post("/api/auth/token", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _id(database: Database, username: str) -> int:
    with transaction(database) as store:
        user = store.users.by_username(username)
        assert user is not None
        return user.id


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_the_curriculum_is_the_command_lines_json(
    app: FastAPI, demo_password: str, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    client = TestClient(app)
    headers = _headers(client, "resident.ala", demo_password)
    answer = client.get(
        "/api/training/programmes/7R01108", params={"language": language}, headers=headers
    )
    assert answer.status_code == 200
    status = cli_main.main(["training", "curriculum", "7R01108", "--json", "--language", language])
    assert status == 0
    assert answer.json() == json.loads(capsys.readouterr().out)


def test_curriculum_refusals(app: FastAPI, demo_password: str) -> None:
    client = TestClient(app)
    headers = _headers(client, "resident.ala", demo_password)
    unknown = client.get("/api/training/programmes/7R0", headers=headers)
    assert unknown.status_code == 404 and "7R01108" in unknown.json()["detail"]
    language = client.get(
        "/api/training/programmes/7R01108", params={"language": "de"}, headers=headers
    )
    assert language.status_code == 422
    tech = _headers(client, "tech.ala", demo_password)
    assert client.get("/api/training/programmes/7R01108", headers=tech).status_code == 403


def _messages(answer: Any) -> str:
    return " ".join(item["message"] for item in answer.json()["detail"])


def test_enrolments(app: FastAPI, database: Database, demo_password: str) -> None:
    client = TestClient(app)
    director = _headers(client, "supervisor.ala", demo_password)
    (row,) = client.get(ENROLMENTS, headers=director).json()
    assert (row["credits_done"], row["total_credits"], row["attestation_open"]) == (76, 140, False)
    body = {
        "resident_id": row["resident_id"],
        "supervisor_id": _id(database, "supervisor.ala"),
        "programme": "7R01108",
        "elective": "",
        "started_on": row["started_on"],
    }
    no_elective = client.post(ENROLMENTS, json=body, headers=director)
    assert no_elective.status_code == 422
    assert "choose the elective" in _messages(no_elective)
    unknown = client.post(
        ENROLMENTS, json=dict(body, elective="liver-therapy", resident_id=999999), headers=director
    )
    assert unknown.status_code == 422 and "not a resident" in _messages(unknown)
    early = client.post(
        ENROLMENTS, json=dict(body, elective="liver-therapy", started_on="2001-01-01"),
        headers=director,
    )  # fmt: skip
    assert early.status_code == 422 and "the start date must lie from" in _messages(early)
    made = client.post(ENROLMENTS, json=dict(body, elective="liver-therapy"), headers=director)
    assert made.status_code == 201
    (after,) = client.get(ENROLMENTS, headers=director).json()
    assert after["elective"].endswith("liver cancer")
    resident = _headers(client, "resident.ala", demo_password)
    assert client.get(ENROLMENTS, headers=resident).status_code == 403


def test_a_case_logged_and_signed_moves_the_progress(
    app: FastAPI, database: Database, demo_password: str
) -> None:
    client = TestClient(app)
    resident = _headers(client, "resident.ala", demo_password)
    me = _id(database, "resident.ala")
    progress_path = "/api/sites/NM-ALA/training/progress"
    before = client.get(progress_path, headers=resident).json()
    assert before["credits_done"] == 76 and before["total_credits"] == 140
    cases = client.get("/api/sites/NM-ALA/training/cases", headers=resident)
    day = cases.json()[0]["performed_on"]
    case = {
        "performed_on": day,
        "procedure_type": "bone-joint",
        "role": "supervised",
        "discipline_code": "radionuclide-diagnostics",
        "outcomes": [],
        "description": "Bone scan, no metastases",
    }
    refused = client.post("/api/sites/NM-ALA/training/cases", json=case, headers=resident)
    assert refused.status_code == 422 and "learning outcomes" in _messages(refused)
    made = client.post(
        "/api/sites/NM-ALA/training/cases", json=dict(case, outcomes=["ОН1"]), headers=resident
    )
    assert made.status_code == 201
    case_id = made.json()["id"]

    supervisor = _headers(client, "supervisor.ala", demo_password)
    path = f"/api/training/cases/{case_id}/sign-off"
    assert client.post(path, json={"decision": "approved"}, headers=resident).status_code == 403
    returned = client.post(path, json={"decision": "returned"}, headers=supervisor)
    assert returned.status_code == 422
    assert client.post(path, json={"decision": "approved"}, headers=supervisor).status_code == 201
    after = client.get(progress_path, headers=resident).json()
    theirs = f"/api/sites/NM-ALA/training/residents/{me}"
    assert client.get(f"{theirs}/progress", headers=supervisor).json() == after
    signed = client.get(f"{theirs}/cases", headers=supervisor).json()
    assert [c["status"] for c in signed if c["id"] == case_id] == ["approved"]
    assert after["approved_cases"] == before["approved_cases"] + 1
    bone = [m for m in after["minimums"] if m["item"] == "bone-joint"]
    was = [m for m in before["minimums"] if m["item"] == "bone-joint"]
    assert bone[0]["done"] == was[0]["done"] + 1
    assert client.get(f"{theirs}/progress", headers=resident).status_code == 403


def test_course_attendance(app: FastAPI, demo_password: str) -> None:
    client = TestClient(app)
    director = _headers(client, "supervisor.ala", demo_password)
    course = client.get(COURSE, params={"language": "ru"}, headers=director).json()
    assert course["days"] == ["2024-05-22", "2024-05-23", "2024-05-24"]
    assert len(course["participants"]) == 16 and course["sessions"]
    person = course["participants"][0]
    assert re.fullmatch(r"/training/participants/\d+/certificate\.pdf", person["certificate"])
    mark = {"participant_id": person["id"], "day": "2024-05-25", "present": False}
    outside = client.post(f"{COURSE}/attendance", json=mark, headers=director)
    assert outside.status_code == 422 and "2024-05-22" in _messages(outside)
    done = client.post(f"{COURSE}/attendance", json=dict(mark, day="2024-05-24"), headers=director)
    assert done.status_code == 201
    after = client.get(COURSE, headers=director).json()
    assert after["participants"][0]["certificate"] is None
    assert (
        after["marks"][0]["present"] is False and len(after["marks"]) == len(course["marks"]) + 1
    )
    resident = _headers(client, "resident.ala", demo_password)
    assert client.get(COURSE, headers=resident).status_code == 200
    assert client.post(f"{COURSE}/attendance", json=mark, headers=resident).status_code == 403
    assert client.get("/api/training/courses/NO-SUCH", headers=director).status_code == 404
