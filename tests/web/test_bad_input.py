"""Input no route can take is a 422 that says the range, never a 5xx (issue #10, "Why" 4).

One request per overflow class: ids at or above 2^63 in paths and bodies, years 1 and 9999,
1e308/NaN/Infinity, a lone surrogate, NUL, over-long strings, a negative dose rate; and one
poisoned stored row (1e300 Bq, two of 1e308 Bq) that must not break the stock. Each runs on
SQLite and PostgreSQL (the ``database`` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab.stock import stock
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Material
from nucmed.store.models import Site
from nucmed.vocabulary import Role
from nucmed.web import limits
from tests.web.conftest import PASSWORD

TOO_BIG = 2**63
NAN_BODY = '{"measured_at": "2026-11-26T10:00:00+05:00", "dose_rate_sv_per_s": NaN, "background_sv_per_s": 0}'  # noqa: E501


@pytest.fixture
def guarded(app: FastAPI) -> FastAPI:
    """The app with the input guard (added here until create_app registers it)."""
    if not any(m.cls is limits.InputGuard for m in app.user_middleware):
        limits.register(app)
    return app


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
def api(guarded: FastAPI, people: dict[Role, str]) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(guarded, raise_server_exceptions=False)
    return client, _bearer(client, people[Role.ADMIN])


def _refused(response: object, *fragments: str) -> None:
    status, text = response.status_code, response.text  # type: ignore[attr-defined]
    assert status == 422, (status, text[:500])
    for fragment in fragments:
        assert fragment in text, text[:500]


class TestIds:
    def test_an_id_of_2_to_the_63_in_a_path(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        _refused(client.get(f"/api/patients/{TOO_BIG}", headers=auth), "2147483647")
        _refused(client.get(f"/api/materials/{TOO_BIG}", headers=auth), "2147483647")
        _refused(client.get(f"/api/therapy-courses/{10**40}", headers=auth))

    def test_an_id_of_2_to_the_63_in_a_body(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"nuclide": "Tc-99m", "activity_bq": 5e7,
                "reference_time": "2026-11-20T08:00:00+05:00", "material_id": TOO_BIG}  # fmt: skip
        answer = client.post("/api/sites/T-ALA/waste/containers/1/items", json=body, headers=auth)
        _refused(answer, "material_id")

    def test_a_negative_id_in_a_path(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        _refused(client.get("/api/patients/-1", headers=auth))


class TestDates:
    @pytest.mark.parametrize("year", [1, 9999, -5, 0, 99999])
    def test_a_year_outside_1900_to_2100(
        self, api: tuple[TestClient, dict[str, str]], year: int
    ) -> None:
        client, auth = api
        _refused(client.get(f"/api/sites/T-ALA/drl?year={year}", headers=auth), "2100")

    @pytest.mark.parametrize(
        "moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"], ids=["1", "9999"]
    )
    def test_a_date_time_in_year_1_or_9999(
        self, api: tuple[TestClient, dict[str, str]], moment: str
    ) -> None:
        client, auth = api
        body = {"nuclide": "Tc-99m", "activity_bq": 5e7, "reference_time": moment}
        answer = client.post("/api/sites/T-ALA/waste/containers/1/items", json=body, headers=auth)
        _refused(answer, "1900-01-01", "2100-12-31")

    def test_a_birth_date_in_year_1(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"local_id": "A-1", "full_name": "Test", "birth_date": "0001-01-01"}
        _refused(client.post("/api/sites/T-ALA/patients", json=body, headers=auth), "1900-01-01")

    def test_at_1940_is_refused_not_an_overflow(
        self, api: tuple[TestClient, dict[str, str]], clock: FixedClock
    ) -> None:
        client, auth = api
        made = client.post("/api/sites/T-ALA/materials", headers=auth, json=_receipt(clock, 7.4e8))
        assert made.status_code == 201, made.text
        answer = client.get(
            f"/api/materials/{made.json()['id']}?at=1940-01-01T00:00:00Z", headers=auth
        )
        _refused(answer, "cannot be computed")


class TestNumbers:
    def test_nan_in_a_json_body(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        answer = client.post(
            "/api/sites/T-ALA/waste/containers/1/surveys",
            content=NAN_BODY,
            headers={**auth, "Content-Type": "application/json"},
        )
        _refused(answer, "finite")

    @pytest.mark.parametrize("value", ["Infinity", "1e308", "-1"])
    def test_a_dose_rate_out_of_range(
        self, api: tuple[TestClient, dict[str, str]], value: str
    ) -> None:
        client, auth = api
        body = NAN_BODY.replace("NaN", value)
        answer = client.post(
            "/api/sites/T-ALA/waste/containers/1/surveys",
            content=body,
            headers={**auth, "Content-Type": "application/json"},
        )
        _refused(answer)

    def test_an_activity_of_1e300(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"nuclide": "Tc-99m", "activity_bq": 1e300,
                "reference_time": "2026-11-20T08:00:00+05:00"}  # fmt: skip
        answer = client.post("/api/sites/T-ALA/waste/containers/1/items", json=body, headers=auth)
        _refused(answer, "the activity must be above 0 and at most 1 PBq; got 1e300 Bq")

    def test_a_tolerance_of_1e308_percent(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"value": 1e308, "source": "SOP"}
        answer = client.put(
            "/api/sites/T-ALA/settings/dispensing_tolerance_percent", json=body, headers=auth
        )
        _refused(answer)


class TestText:
    def test_a_lone_surrogate_in_a_name(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = '{"local_id": "A-2", "full_name": "Iv\\ud800an"}'
        answer = client.post(
            "/api/sites/T-ALA/patients",
            content=body,
            headers={**auth, "Content-Type": "application/json"},
        )
        _refused(answer, "no encoding can store")

    def test_a_nul_in_a_name(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"local_id": "A-3", "full_name": "Iv\x00an"}
        _refused(client.post("/api/sites/T-ALA/patients", json=body, headers=auth), "NUL")

    def test_a_100_kb_name(self, api: tuple[TestClient, dict[str, str]]) -> None:
        client, auth = api
        body = {"local_id": "A-4", "full_name": "A" * 100_000}
        answer = client.post("/api/sites/T-ALA/patients", json=body, headers=auth)
        _refused(answer, "at most 200 characters")

    def test_nul_and_surrogates_in_the_path_and_query(
        self, api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        _refused(client.get("/api/sites/T-%00ALA/patients", headers=auth), "NUL")
        _refused(client.get("/api/sites/T-ALA/patients?q=a%00b", headers=auth), "NUL")
        _refused(client.get("/api/sites/T-ALA/patients?q=%ED%A0%80", headers=auth))
        _refused(client.get("/patients/%ff", headers=auth))


def _receipt(clock: FixedClock, activity_bq: float) -> dict[str, object]:
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


class TestPoisonedStock:
    """Rows stored before the bounds (inserted directly) are flagged, never a 500."""

    @pytest.fixture
    def poisoned(
        self, api: tuple[TestClient, dict[str, str]], factory: SessionFactory, clock: FixedClock
    ) -> list[int]:
        client, auth = api
        made = client.post("/api/sites/T-ALA/materials", headers=auth, json=_receipt(clock, 1e9))
        assert made.status_code == 201, made.text
        ids = []
        with transaction(factory) as store:
            good = store.session.get(Material, made.json()["id"])
            assert good is not None
            for activity_bq in (1e300, 1e308, 1e308):
                row = Material(**{
                    c.key: getattr(good, c.key) for c in Material.__table__.columns
                    if c.key != "id"
                })  # fmt: skip
                row.activity_bq = activity_bq
                store.session.add(row)
                store.session.flush()
                ids.append(row.id)
        return ids

    def test_the_totals_stay_finite_and_the_lines_are_flagged(
        self, poisoned: list[int], factory: SessionFactory, clock: FixedClock
    ) -> None:
        with transaction(factory) as store:
            site = store.session.query(Site).filter_by(code="T-ALA").one()
            lines, totals = stock(store, site, clock.now())
        flagged = {line.id for line in lines if line.activity_bq is None}
        assert flagged == set(poisoned)
        reasons = [" ".join(line.blocked) for line in lines if line.id in flagged]
        assert all("cannot be computed" in text for text in reasons)
        (iodine,) = totals
        assert iodine.uncounted == 3
        assert 0 < iodine.activity_bq <= 1e9

    def test_the_stock_api_answers(
        self, poisoned: list[int], api: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, auth = api
        answer = client.get("/api/sites/T-ALA/stock", headers=auth)
        assert answer.status_code == 200, answer.text
        assert "Infinity" not in answer.text


ID_ROUTES = [
    "/api/patients/{id}",
    "/api/patients/{id}/administrations",
    "/api/therapy-courses/{id}",
    "/administrations/{id}/fhir.json",
    "/patients/{id}",
    "/therapy-courses/{id}",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.integers() | st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64, 10**30]))
def test_no_id_path_parameter_answers_5xx(
    api: tuple[TestClient, dict[str, str]], number: int
) -> None:
    client, auth = api
    for route in ID_ROUTES:
        answer = client.get(route.format(id=number), headers=auth, follow_redirects=False)
        assert answer.status_code < 500, (route, number, answer.text[:300])
