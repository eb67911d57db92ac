"""The patients page of a site: register a patient, find them by name or number, and reach
their page (where therapy courses are opened)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

EN = {"Accept-Language": "en"}
PAGE = "/sites/T-ALA/patients"


def _register(client: TestClient, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(
        PAGE, data={**data, "csrf_token": csrf_of(client)}, headers=EN, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", response.text)


def test_register_find_and_open_a_patient(app: FastAPI, people: dict[Role, str]) -> None:
    doctor = sign_in(TestClient(app), people[Role.PHYSICIAN])
    assert 'href="/sites/T-ALA/patients"' in doctor.get("/sites/T-ALA", headers=EN).text
    new = {"local_id": "KZ-0042", "full_name": "Seitkali Aigerim", "birth_date": "1971-05-02"}
    status, where = _register(doctor, {**new, "sex": "F"})
    assert status == 303 and where.startswith("/patients/")
    assert _register(doctor, {**new, "sex": "F"}) == (303, where)  # the same number: the same
    for query in ("aigerim", "KZ-004"):
        found = doctor.get(PAGE, params={"q": query}, headers=EN)
        assert f'href="{where}">Seitkali Aigerim</a>' in found.text
    assert "No patients found." in doctor.get(PAGE, params={"q": "nobody"}, headers=EN).text
    patient = doctor.get(where, headers=EN)
    assert "Open a therapy course" in patient.text


def test_bad_input_is_shown_beside_the_field(app: FastAPI, people: dict[Role, str]) -> None:
    technologist = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    status, text = _register(
        technologist, {"local_id": "KZ-7", "full_name": "X", "birth_date": "02.05.1971"}
    )
    assert status == 422 and "is not a date: write it as 1960-03-27" in text
    status, text = _register(technologist, {"local_id": " ", "full_name": "X"})
    assert status == 422 and "needs the hospital&#39;s patient number" in text


def test_a_resident_may_not_list_patients(app: FastAPI, people: dict[Role, str]) -> None:
    resident = sign_in(TestClient(app), people[Role.RESIDENT])
    assert resident.get(PAGE).status_code == 403


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_patients_through_the_api(app: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(app)
    auth = _bearer(client, people[Role.RADIOPHARMACIST])
    new = {"local_id": "KZ-0042", "full_name": "Seitkali Aigerim", "birth_date": "1971-05-02"}
    created = client.post("/api/sites/T-ALA/patients", json={**new, "sex": "F"}, headers=auth)
    assert created.status_code == 201, created.text
    patient = created.json()
    assert patient["local_id"] == "KZ-0042" and patient["sex"] == "F"
    bad = client.post("/api/sites/T-ALA/patients", json={**new, "sex": "X"}, headers=auth)
    assert bad.status_code == 422 and "sex is F, M, O" in bad.text
    found = client.get("/api/sites/T-ALA/patients", params={"q": "aigerim"}, headers=auth)
    assert [p["id"] for p in found.json()["patients"]] == [patient["id"]]
    assert found.json()["may_register"] is True
    record = client.get(f"/api/patients/{patient['id']}", headers=auth)
    assert record.status_code == 200 and record.json()["courses"] == []
    assert record.json()["may_treat"] is False
    resident = _bearer(client, people[Role.RESIDENT])
    assert client.get("/api/sites/T-ALA/patients", headers=resident).status_code == 403
    assert client.get("/api/patients/9999", headers=auth).status_code == 404
