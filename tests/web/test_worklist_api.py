"""The accession number and camera of a dose asked for through the API reach the modality
worklist the DICOM node answers (analytic: the request as entered; DICOM SH and AE hold 16
characters, so a longer accession number is refused with 422)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.network import WorklistQuery, open_device, worklist
from nucmed.services.uow import Database
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD


def test_a_dose_asked_through_the_api_is_on_the_cameras_worklist(
    app: FastAPI, people: dict[Role, str], database: Database, clock: FixedClock
) -> None:
    client = TestClient(app)
    token = client.post("/api/auth/token", json={"username": people[Role.PHYSICIAN],
                                                 "password": PASSWORD}).json()  # fmt: skip
    body = {
        "patient_local_id": "KZ-8", "patient_name": "Nurlanov Arman", "procedure": "Bone scan",
        "radiopharmaceutical": "mdp", "nuclide": "Tc-99m", "prescribed_bq": 740e6,
        "planned_at": clock.now().isoformat(), "accession_number": "ACC-88",
        "station_ae_title": "SPECTCAM",
    }  # fmt: skip
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    asked = client.post("/api/sites/T-ALA/dose-requests", headers=auth, json=body)
    assert asked.status_code == 201, asked.text
    too_long = client.post("/api/sites/T-ALA/dose-requests", headers=auth,
                           json={**body, "accession_number": "A" * 17})  # fmt: skip
    assert too_long.status_code == 422
    device = open_device(database, "dicom", "T-ALA")
    items = worklist(database, device, WorklistQuery(station_ae_title="SPECTCAM"))
    assert [(i.patient_id, i.accession_number, i.patient_name) for i in items] == [
        ("KZ-8", "ACC-88", "Nurlanov^Arman")
    ]
