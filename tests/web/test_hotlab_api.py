"""The hot-lab JSON API: the morning's use cases with SI numbers and refusals as 422."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import calibrators
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD

ML = 1e-6


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post(
        "/api/auth/token", json={"username": username, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_morning_through_the_api(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    client = TestClient(app)
    auth = _bearer(client, people[Role.RADIOPHARMACIST])
    now = clock.now()
    generator = client.post(
        "/api/sites/T-ALA/materials",
        headers=auth,
        json={
            "kind": "generator",
            "nuclide": "Mo-99",
            "product": "Tc-99m generator",
            "activity_bq": 20e9,
            "calibration_time": (now - timedelta(hours=24)).isoformat(),
            "measured_at": (now - timedelta(hours=3)).isoformat(),
            "surface_dose_rate_sv_per_s": 3e-9,
            "one_metre_dose_rate_sv_per_s": 1e-10,
            "wipe_bq_per_m2": 0.0,
            "label_category": "II-YELLOW",
            "transport_index": 0.1,
        },
    )
    assert generator.status_code == 201, generator.text
    eluted = (now - timedelta(hours=1)).isoformat()
    eluate = client.post(
        f"/api/materials/{generator.json()['id']}/elutions",
        headers=auth,
        json={"eluted_at": eluted, "activity_bq": 12e9, "volume_m3": 10 * ML},
    )
    eluate_id = eluate.json()["id"]
    assert eluate.json()["blocked"] == ["mo99_breakthrough QC missing", "aluminium QC missing"]
    refused = client.post(
        f"/api/materials/{eluate_id}/preparations",
        headers=auth,
        json={"kit": "mdp", "volume_m3": 5 * ML, "labelled_at": now.isoformat()},
    )
    assert refused.status_code == 422
    assert "QC missing" in refused.json()["detail"][0]["message"]
    for test, value in (("mo99_breakthrough", 1e3), ("aluminium", 2e-3)):
        done = client.post(
            f"/api/materials/{eluate_id}/qc",
            headers=auth,
            json={"test": test, "value": value, "method": "std", "measured_at": eluted},
        )
        assert done.status_code == 201, done.text
    mdp = client.post(
        f"/api/materials/{eluate_id}/preparations",
        headers=auth,
        json={
            "kit": "mdp",
            "volume_m3": 5 * ML,
            "labelled_at": (now - timedelta(minutes=30)).isoformat(),
        },
    )
    assert mdp.status_code == 201, mdp.text
    mdp_id = mdp.json()["id"]
    client.post(
        f"/api/materials/{mdp_id}/qc",
        headers=auth,
        json={"test": "rcp", "value": 0.96, "method": "ITLC", "measured_at": now.isoformat()},
    )
    with transaction(factory) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        device = calibrators.add_calibrator(
            store,
            tech,
            site,
            calibrators.CalibratorInput(
                "C1", "M", "S", "Cs-137", 7.4e6, now - timedelta(minutes=5)
            ),
        )
        checked = calibrators.ConstancyInput(7.4e6, now - timedelta(minutes=5))
        calibrators.record_constancy(store, tech, device, checked)
        device_id = device.id
    asked = client.post(
        "/api/sites/T-ALA/dose-requests",
        headers=auth,
        json={
            "patient_local_id": "P-1",
            "patient_name": "Patient",
            "procedure": "Bone scan",
            "radiopharmaceutical": "mdp",
            "nuclide": "Tc-99m",
            "prescribed_bq": 740e6,
            "planned_at": (now + timedelta(hours=1)).isoformat(),
        },
    )
    assert asked.status_code == 201, asked.text
    drawn = client.post(
        f"/api/dose-requests/{asked.json()['id']}/draws",
        headers=auth,
        json={
            "vial_id": mdp_id,
            "calibrator_id": device_id,
            "drawn_at": now.isoformat(),
            "measured_bq": 740e6 * 2 ** (1 / 6.015),
        },
    )
    assert drawn.status_code == 201, drawn.text
    assert drawn.json()["volume_m3"] > 0
    assert client.get(drawn.json()["label_pdf"], headers=auth).content.startswith(b"%PDF")


def test_licence_limit_through_the_api(app: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(app)
    body = {"nuclide": "I-131", "limit_bq": 37e9, "source": "Licence KZ-123, annex 2"}
    rso = _bearer(client, people[Role.RSO])
    saved = client.post("/api/sites/T-ALA/licence-limits", headers=rso, json=body)
    assert saved.status_code == 201, saved.text
    assert saved.json()["nuclide"] == "I-131" and saved.json()["limit_bq"] == 37e9
    totals = client.get("/api/sites/T-ALA/stock", headers=rso).json()["totals"]
    assert totals == [
        {
            "nuclide": "I-131",
            "activity_bq": 0.0,
            "limit_bq": 37e9,
            "over_limit": False,
            "uncounted": 0,
        }
    ]
    bad = client.post(
        "/api/sites/T-ALA/licence-limits", headers=rso, json={**body, "limit_bq": -1.0}
    )
    assert bad.status_code == 422
    tech = _bearer(client, people[Role.RADIOPHARMACIST])
    refused = client.post("/api/sites/T-ALA/licence-limits", headers=tech, json=body)
    assert refused.status_code == 403


def test_a_product_through_the_api(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = TestClient(app)
    auth = _bearer(client, people[Role.RADIOPHARMACIST])
    now = clock.now()
    vial = client.post(
        "/api/sites/T-ALA/materials",
        headers=auth,
        json={
            "kind": "vial",
            "nuclide": "Lu-177",
            "product": "Lu-177 chloride",
            "activity_bq": 16e9,
            "calibration_time": (now - timedelta(hours=2)).isoformat(),
            "measured_at": (now - timedelta(hours=1)).isoformat(),
            "surface_dose_rate_sv_per_s": 3e-9,
            "one_metre_dose_rate_sv_per_s": 1e-10,
            "wipe_bq_per_m2": 0.0,
            "label_category": "II-YELLOW",
            "transport_index": 0.1,
            "volume_m3": 2 * ML,
        },
    )
    assert vial.status_code == 201, vial.text
    path = f"/api/materials/{vial.json()['id']}/product-preparations"
    body = {
        "product": "Lu-177 PSMA-617",
        "volume_m3": 1 * ML,
        "labelled_at": now.isoformat(),
        "shelf_life_s": 8 * 3600.0,
        "rcp_min_fraction": 0.95,
    }
    refused = client.post(path, headers=auth, json={**body, "rcp_min_fraction": 1.5})
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert "rcp_min_fraction" in problem["field"], problem
    assert "the fraction must be from 0 to 1 (100 %); got 1.5" in problem["message"]
    made = client.post(path, headers=auth, json=body)
    assert made.status_code == 201, made.text
    assert made.json()["product"] == "Lu-177 PSMA-617"
    assert made.json()["activity_bq"] == pytest.approx(8e9, rel=0.01)
    assert made.json()["blocked"] == ["rcp QC missing"]
    missing = client.post("/api/materials/9999/product-preparations", headers=auth, json=body)
    assert missing.status_code == 404
