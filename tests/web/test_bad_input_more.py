"""The bounded input types on the hot-lab API, the dispensary, the account and administration
routes (issue #10, "physical ranges at the edge"), and the stock page with a poisoned row.

Each refusal is a 422 that names the field, answered before any service runs; each runs on
SQLite and PostgreSQL (the ``database`` fixture).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Material
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, sign_in

TOO_BIG = 2**63
MOMENT = "2026-11-24T08:00:00+05:00"
LONG_REASON = "x" * 100_000


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
def api(app: FastAPI, people: dict[Role, str]) -> tuple[TestClient, dict[str, str]]:
    """A client that answers 500s instead of raising, with the administrator's token."""
    client = TestClient(app, raise_server_exceptions=False)
    return client, _bearer(client, people[Role.ADMIN])


def _refused(response: Any, field: str, *fragments: str) -> None:
    """A 422 whose problems name ``field`` and say each of ``fragments``."""
    assert response.status_code == 422, (response.status_code, response.text[:500])
    problems = response.json()["detail"]
    assert any(field in problem["field"] for problem in problems), problems
    for fragment in fragments:
        assert fragment in response.text, response.text[:500]


def _receipt(clock: FixedClock, activity_bq: float) -> dict[str, Any]:
    now = clock.now()
    return {
        "kind": "vial",
        "nuclide": "I-131",
        "product": "Sodium iodide",
        "activity_bq": activity_bq,
        "calibration_time": (now - timedelta(hours=2)).isoformat(),
        "measured_at": (now - timedelta(hours=1)).isoformat(),
        "surface_dose_rate_sv_per_s": 1e-9,
        "one_metre_dose_rate_sv_per_s": 1e-11,
        "wipe_bq_per_m2": 0.0,
        "label_category": "I-WHITE",
        "transport_index": 0.0,
    }


DRAW = {"vial_id": 1, "calibrator_id": 1, "drawn_at": MOMENT, "measured_bq": 8e8}
DOSE_REQUEST = {
    "patient_local_id": "P-1",
    "patient_name": "Patient",
    "procedure": "Bone scan",
    "radiopharmaceutical": "mdp",
    "nuclide": "Tc-99m",
    "prescribed_bq": 740e6,
    "planned_at": MOMENT,
}
PRODUCT = {
    "product": "Lu-177 PSMA-617",
    "volume_m3": 1e-6,
    "labelled_at": MOMENT,
    "shelf_life_s": 28800.0,
    "rcp_min_fraction": 0.95,
}

HOTLAB_BODIES = [
    pytest.param(
        "/api/sites/T-ALA/licence-limits",
        {"nuclide": "I-131", "limit_bq": 1e300, "source": "Licence"},
        "limit_bq",
        id="licence-limit",
    ),
    pytest.param(
        "/api/sites/T-ALA/licence-limits",
        {"nuclide": "I-131", "limit_bq": 1e9, "source": "x" * 4001},
        "source",
        id="licence-source",
    ),
    pytest.param(
        "/api/materials/1/elutions",
        {"eluted_at": MOMENT, "activity_bq": 1e10, "volume_m3": 1.0},
        "volume_m3",
        id="elution-volume",
    ),
    pytest.param(
        "/api/materials/1/elutions",
        {"eluted_at": "9999-01-01T00:00:00Z", "activity_bq": 1e10, "volume_m3": 1e-5},
        "eluted_at",
        id="elution-year-9999",
    ),
    pytest.param(
        "/api/materials/1/qc",
        {"test": "t" * 33, "value": 0.9, "method": "ITLC", "measured_at": MOMENT},
        "test",
        id="qc-test",
    ),
    pytest.param(
        "/api/materials/1/preparations",
        {"kit": "mdp", "volume_m3": 5e-6, "labelled_at": MOMENT, "shelf_life_s": 1e20},
        "shelf_life_s",
        id="preparation-shelf-life",
    ),
    pytest.param(
        "/api/materials/1/product-preparations",
        {**PRODUCT, "rcp_min_fraction": 1.5},
        "rcp_min_fraction",
        id="product-rcp",
    ),
    pytest.param(
        "/api/sites/T-ALA/dose-requests",
        {**DOSE_REQUEST, "prescribed_bq": 1e308},
        "prescribed_bq",
        id="dose-request-activity",
    ),
    pytest.param(
        "/api/sites/T-ALA/dose-requests",
        {**DOSE_REQUEST, "patient_local_id": "P" * 65},
        "patient_local_id",
        id="dose-request-hospital-number",
    ),
    pytest.param(
        "/api/dose-requests/1/draws",
        {**DRAW, "vial_id": -1},
        "vial_id",
        id="draw-vial-id",
    ),
    pytest.param(
        "/api/draws/1/discard",
        {"reason": LONG_REASON},
        "reason",
        id="discard-reason",
    ),
]


class TestHotlabApi:
    def test_a_receipt_of_1e300_bq(
        self, api: tuple[TestClient, dict[str, str]], clock: FixedClock
    ) -> None:
        client, auth = api
        answer = client.post(
            "/api/sites/T-ALA/materials", headers=auth, json=_receipt(clock, 1e300)
        )
        _refused(answer, "activity_bq", "the activity must be above 0 and at most 1 PBq")

    @pytest.mark.parametrize(
        ("field", "value"),
        [("volume_m3", 5.0), ("surface_dose_rate_sv_per_s", -1.0), ("lot", "L" * 65)],
    )
    def test_a_receipt_out_of_range(
        self, api: tuple[TestClient, dict[str, str]], clock: FixedClock, field: str, value: Any
    ) -> None:
        client, auth = api
        body = {**_receipt(clock, 1e9), field: value}
        _refused(client.post("/api/sites/T-ALA/materials", headers=auth, json=body), field)

    @pytest.mark.parametrize("measured_bq", [0, 1e308])
    def test_a_draw_of_0_or_1e308_bq_even_with_an_override(
        self, api: tuple[TestClient, dict[str, str]], measured_bq: float
    ) -> None:
        client, auth = api
        body = {**DRAW, "measured_bq": measured_bq, "override_reason": "physician agreed"}
        answer = client.post("/api/dose-requests/1/draws", headers=auth, json=body)
        _refused(answer, "measured_bq", "the activity must be above 0")

    @pytest.mark.parametrize(("path", "body", "field"), HOTLAB_BODIES)
    def test_a_body_out_of_range(
        self,
        api: tuple[TestClient, dict[str, str]],
        path: str,
        body: dict[str, Any],
        field: str,
    ) -> None:
        client, auth = api
        _refused(client.post(path, headers=auth, json=body), field)

    @pytest.mark.parametrize(
        ("path", "name"),
        [
            ("/api/materials/-1/elutions", "material_id"),
            ("/api/materials/-1/qc", "material_id"),
            ("/api/materials/-1/preparations", "material_id"),
            ("/api/materials/-1/product-preparations", "material_id"),
            ("/api/dose-requests/-1/draws", "request_id"),
            ("/api/draws/-1/discard", "draw_id"),
        ],
    )
    def test_a_negative_id_in_a_path(
        self, api: tuple[TestClient, dict[str, str]], path: str, name: str
    ) -> None:
        client, auth = api
        _refused(client.post(path, headers=auth, json={}), f"path.{name}", "2147483647")

    def test_a_material_at_year_1(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        answer = client.get("/api/materials/1?at=0001-01-01T00:00:00Z", headers=auth)
        _refused(answer, "query.at", "1900-01-01")
        _refused(client.get("/api/materials/-5", headers=auth), "material_id", "2147483647")


class TestDispensary:
    @pytest.mark.parametrize("number", [TOO_BIG, -1])
    def test_an_id_out_of_range_in_a_dispensary_path(
        self, api: tuple[TestClient, dict[str, str]], number: int
    ) -> None:
        """2^63 is stopped by the input guard before routing, -1 by the route's ``RecordId``."""
        client, auth = api
        for path, name in (
            (f"/dose-requests/{number}/draw", "request_id"),
            (f"/draws/{number}/discard", "draw_id"),
            (f"/draws/{number}/administration", "draw_id"),
        ):
            answer = client.post(path, headers=auth, data={"reason": "dropped"})
            _refused(answer, "path" if number == TOO_BIG else name, "2147483647")
        answer = client.get(f"/draws/{number}/label.pdf", headers=auth)
        _refused(answer, "path" if number == TOO_BIG else "draw_id", "2147483647")


class TestAccount:
    def test_an_over_long_username_for_a_token(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, _ = api
        body = {"username": "u" * 65, "password": PASSWORD}
        _refused(client.post("/api/auth/token", json=body), "username", "at most 64 characters")
        body = {"username": "admin.t", "password": "p" * 4001}
        _refused(client.post("/api/auth/token", json=body), "password", "at most 4000")

    def test_preferences_and_password_out_of_range(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        body = {"language": "k" * 17, "activity_unit": "MBq"}
        _refused(client.put("/api/me/preferences", headers=auth, json=body), "language")
        body = {"language": "kk", "activity_unit": "MBq\x00"}
        _refused(client.put("/api/me/preferences", headers=auth, json=body), "activity_unit")
        body = {"current": PASSWORD, "new": "n" * 4001}
        _refused(client.post("/api/me/password", headers=auth, json=body), "new")


class TestAdministration:
    def test_an_audit_correction_with_a_100_kb_reason(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        body = {"reason": LONG_REASON, "details": {"activity_bq": 7.4e8}}
        answer = client.post("/api/audit/entries/1/corrections", headers=auth, json=body)
        _refused(answer, "reason", "at most 4000 characters")
        body = {"reason": "typed in mCi", "details": {}}
        answer = client.post("/api/audit/entries/-1/corrections", headers=auth, json=body)
        _refused(answer, "entry_id", "2147483647")

    def test_an_unlock_and_a_new_user_out_of_range(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        body = {"address": "1" * 65, "reason": "she forgot her password"}
        _refused(client.post("/api/sign-in/unlocks", headers=auth, json=body), "address")
        new = {"username": "a.b", "full_name": "A" * 201, "password": "a long password",
               "role": "radiopharmacist", "site": "T-ALA"}  # fmt: skip
        _refused(client.post("/api/users", headers=auth, json=new), "full_name")
        _refused(client.post("/api/users", headers=auth, json={**new, "role": "r" * 33}), "role")

    def test_an_audit_trail_path_out_of_range(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        _refused(client.get(f"/api/audit/{'e' * 33}/1", headers=auth), "entity")
        _refused(client.get(f"/api/audit/material/{'1a' * 33}", headers=auth), "entity_id")


def test_the_stock_page_shows_a_poisoned_row(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    """A Material of 1e300 Bq stored before the bounds: the page answers and flags it."""
    client = TestClient(app, raise_server_exceptions=False)
    auth = _bearer(client, people[Role.ADMIN])
    made = client.post("/api/sites/T-ALA/materials", headers=auth, json=_receipt(clock, 1e9))
    assert made.status_code == 201, made.text
    with transaction(factory) as store:
        good = store.session.get(Material, made.json()["id"])
        assert good is not None
        columns = {c.key: getattr(good, c.key) for c in Material.__table__.columns}
        poisoned = Material(**{**columns, "id": None, "activity_bq": 1e300})
        store.session.add(poisoned)
    browser = sign_in(TestClient(app, raise_server_exceptions=False), people[Role.RADIOPHARMACIST])
    page = browser.get("/sites/T-ALA/stock", headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text[-2000:]
    assert '<span class="error">cannot be computed</span>' in page.text
    assert "without the records that cannot be computed" in page.text
    totals = client.get("/api/sites/T-ALA/stock", headers=auth).json()["totals"]
    assert [(t["nuclide"], t["uncounted"]) for t in totals] == [("I-131", 1)]
