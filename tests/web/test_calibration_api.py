"""The dose calibrator JSON API: register a calibrator and enter its four QC tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.physics.decay import Activity
from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD

API = "/api/sites/T-ALA/calibrators"
CALIBRATOR = {
    "name": "Hot lab calibrator",
    "model": "CRC-55tR",
    "serial": "55-1234",
    "check_nuclide": "Cs-137",
    "check_activity_bq": 7.4e6,
    "check_reference_time": "2024-01-01T12:00:00+05:00",
}


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post(
        "/api/auth/token", json={"username": username, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _calibrator(client: TestClient, auth: dict[str, str]) -> str:
    added = client.post(API, headers=auth, json=CALIBRATOR)
    assert added.status_code == 201, added.text
    return f"{API}/{added.json()['id']}"


@pytest.fixture
def tech(app: FastAPI, people: dict[Role, str]) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app)
    return client, _bearer(client, people[Role.RADIOPHARMACIST])


def test_register_a_calibrator(tech: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = tech
    _calibrator(client, auth)
    listed = client.get(API, headers=auth).json()["calibrators"]
    assert [c["name"] for c in listed] == ["Hot lab calibrator"]
    assert listed[0]["usable_for_dispensing"] is False
    refused = client.post(API, headers=auth, json={**CALIBRATOR, "name": " "})
    assert refused.status_code == 422
    assert "name" in refused.json()["detail"][0]["message"]


def test_a_resident_may_not_register(app: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(app)
    resident = _bearer(client, people[Role.RESIDENT])
    assert client.post(API, headers=resident, json=CALIBRATOR).status_code == 403


def test_constancy(tech: tuple[TestClient, dict[str, str]], clock: FixedClock) -> None:
    client, auth = tech
    base = _calibrator(client, auth)
    now = clock.now()
    expected = Activity.of("Cs-137", 7.4e6, now.replace(year=2024, month=1, day=1))
    reading = {"reading_bq": expected.activity_at(now), "measured_at": now.isoformat()}
    done = client.post(f"{base}/constancy", headers=auth, json=reading)
    assert done.status_code == 201, done.text
    assert done.json()["test"] == "constancy" and done.json()["tolerance"] == 0.1
    assert (
        client.get(API, headers=auth).json()["calibrators"][0]["qc"][0]["id"]
        == (done.json()["id"])
    )
    missing = client.post(f"{API}/999/constancy", headers=auth, json=reading)
    assert missing.status_code == 404


def _linearity(start: datetime, hours: tuple[int, ...]) -> dict[str, Any]:
    """Readings of a 25 GBq Tc-99m source, exact by the decay law, ``hours`` after ``start``."""
    source = Activity.of("Tc-99m", 25e9, start)
    return {
        "readings": [
            {
                "measured_at": (start + timedelta(hours=h)).isoformat(),
                "activity_bq": source.activity_at(start + timedelta(hours=h)),
            }
            for h in hours
        ]
    }


def test_linearity(tech: tuple[TestClient, dict[str, str]], clock: FixedClock) -> None:
    client, auth = tech
    base = _calibrator(client, auth)
    start = clock.now() - timedelta(hours=72)
    done = client.post(f"{base}/linearity", headers=auth, json=_linearity(start, (0, 24, 72)))
    assert done.status_code == 201, done.text
    assert done.json()["passes"] is True
    refused = client.post(f"{base}/linearity", headers=auth, json=_linearity(start, (0, 6)))
    assert refused.status_code == 422
    assert "at least 3 readings" in refused.json()["detail"][0]["message"]


def test_accuracy(tech: tuple[TestClient, dict[str, str]], clock: FixedClock) -> None:
    client, auth = tech
    base = _calibrator(client, auth)
    now = clock.now().isoformat()  # read at the source's reference time: no decay
    body = {
        "source_nuclide": "Co-57",
        "source_activity_bq": 185e6,
        "source_reference_time": now,
        "readings_bq": [190e6, 188e6, 192e6],
        "measured_at": now,
    }
    done = client.post(f"{base}/accuracy", headers=auth, json=body)
    assert done.status_code == 201, done.text
    assert done.json()["result"]["deviation"] == pytest.approx(0.027, abs=1e-4)
    refused = client.post(
        f"{base}/accuracy", headers=auth, json={**body, "source_nuclide": "Qq-1"}
    )
    assert refused.status_code == 422


def test_geometry(tech: tuple[TestClient, dict[str, str]], clock: FixedClock) -> None:
    client, auth = tech
    base = _calibrator(client, auth)
    body = {
        "reference_bq": 100e6,
        "geometries": [
            {"label": "syringe 3 mL", "activity_bq": 104e6},
            {"label": "vial 20 mL", "activity_bq": 88e6},
        ],
        "measured_at": clock.now().isoformat(),
    }
    done = client.post(f"{base}/geometry", headers=auth, json=body)
    assert done.status_code == 201, done.text
    assert done.json()["passes"] is False  # the 20 mL vial needs its correction factor
    refused = client.post(f"{base}/geometry", headers=auth, json={**body, "geometries": []})
    assert refused.status_code == 422
