"""The clinic's JSON API: administrations recorded and listed, the DRL audit, and refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.hotlab import doses
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import T0
from tests.services.test_clinic_exchange import ORM
from tests.services.test_hotlab_doses import _calibrator, _mdp, draw_as
from tests.web.conftest import csrf_of, sign_in

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

PRESCRIBED_BQ = 740e6
TC99M_HALF_LIFE_H = 6.015


def _drawn(factory: SessionFactory) -> tuple[int, int]:
    """A 740 MBq (at T0 + 2 h) MDP dose drawn at T0 + 1 h at T-ALA; (draw id, patient id)."""
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("P-1", "Patient", date(1960, 1, 1), "M")
        )
        request = doses.request_dose(
            store,
            tech,
            site,
            doses.RequestInput(
                patient.id, "Bone scan", "mdp", "Tc-99m", PRESCRIBED_BQ, T0 + timedelta(hours=2)
            ),
        )
        ids = (tech.id, request.id, mdp.id, device.id, patient.id)
    measured = PRESCRIBED_BQ * 2 ** (1 / TC99M_HALF_LIFE_H)  # one hour before the planned time
    given = doses.DrawInput(ids[1], ids[2], ids[3], T0 + timedelta(hours=1), measured)
    return draw_as(factory, ids[0], given).id, ids[4]


def _client(app: FastAPI, username: str) -> tuple[TestClient, dict[str, str]]:
    client = sign_in(TestClient(app), username)
    return client, {"X-CSRF-Token": csrf_of(client, "/me")}


BODY = {
    "administered_at": (T0 + timedelta(hours=2)).isoformat(),
    "route": "intravenous",
    "residual_bq": 10e6,
    "residual_measured_at": (T0 + timedelta(hours=2, minutes=5)).isoformat(),
    "weight_kg": 72.0,
}


def test_administration_recorded_and_listed(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory
) -> None:
    draw_id, patient_id = _drawn(factory)
    tech, headers = _client(app, people[Role.RADIOPHARMACIST])
    made = tech.post(f"/api/draws/{draw_id}/administrations", json=BODY, headers=headers)
    assert made.status_code == 201, made.text
    given = made.json()
    # 740 MBq at the injection less 10 MBq residual measured 5 min later (decayed back 5 min).
    residual_bq = 10e6 * 2 ** (5 / 60 / TC99M_HALF_LIFE_H)
    assert given["net_activity_bq"] == pytest.approx(PRESCRIBED_BQ - residual_bq, rel=1e-4)
    assert given["draw_id"] == draw_id and given["patient_id"] == patient_id
    physicist, _ = _client(app, people[Role.PHYSICIST])
    listed = physicist.get(f"/api/patients/{patient_id}/administrations")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [given["id"]]


def test_administration_refusals(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory
) -> None:
    draw_id, patient_id = _drawn(factory)
    tech, headers = _client(app, people[Role.RADIOPHARMACIST])
    assert tech.post(
        f"/api/draws/{draw_id}/administrations", json=BODY, headers=headers
    ).is_success
    twice = tech.post(f"/api/draws/{draw_id}/administrations", json=BODY, headers=headers)
    assert twice.status_code == 422
    assert "given already" in twice.json()["detail"][0]["message"]
    missing = tech.post("/api/draws/999999/administrations", json=BODY, headers=headers)
    assert missing.status_code == 404
    resident, resident_headers = _client(app, people[Role.RESIDENT])
    refused = resident.post(
        f"/api/draws/{draw_id}/administrations", json=BODY, headers=resident_headers
    )
    assert refused.status_code == 403
    assert resident.get(f"/api/patients/{patient_id}/administrations").status_code == 403


def test_drl_audit_as_json(app: FastAPI, people: dict[Role, str], factory: SessionFactory) -> None:
    draw_id, _ = _drawn(factory)
    tech, headers = _client(app, people[Role.RADIOPHARMACIST])
    tech.post(f"/api/draws/{draw_id}/administrations", json=BODY, headers=headers)
    physicist, _ = _client(app, people[Role.PHYSICIST])
    audit = physicist.get(f"/api/sites/T-ALA/drl?year={T0.year}")
    assert audit.status_code == 200
    (row,) = audit.json()["procedures"]
    assert row["procedure"] == "Bone scan" and row["count"] == 1
    assert row["setting_key"] == "drl_bone_scan_mbq"
    assert tech.get(f"/api/sites/T-ALA/drl?year={T0.year}").status_code == 403
    assert physicist.get("/api/sites/NOWHERE/drl").status_code == 404


def test_hl7_order_becomes_a_dose_request(app: FastAPI, people: dict[Role, str]) -> None:
    physician, headers = _client(app, people[Role.PHYSICIAN])
    made = physician.post("/api/sites/T-ALA/hl7", content=ORM, headers=headers)
    assert made.status_code == 201, made.text
    assert len(made.json()["dose_requests"]) == 1
    resident, resident_headers = _client(app, people[Role.RESIDENT])
    refused = resident.post("/api/sites/T-ALA/hl7", content=ORM, headers=resident_headers)
    assert refused.status_code == 403
