"""Web application tests: /health, the calculators page and the physics API."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed import __version__


def test_health_reports_the_database(app: FastAPI) -> None:
    response = TestClient(app).get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "application": "nucmed",
        "version": __version__,
        "database": "ok",
    }


def test_openapi_lists_the_physics_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/physics/decay" in paths
    assert "/api/physics/generator" in paths


def test_calculators_need_a_signed_in_person(app: FastAPI) -> None:
    anonymous = TestClient(app)
    page = anonymous.get("/calculators", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/calculators")
    assert (
        anonymous.get("/api/physics/decay?nuclide=F-18&activity=1GBq&elapsed=1h").status_code
        == 401
    )


class TestCalculatorsPage:
    def test_empty_page_has_both_forms(self, client: TestClient) -> None:
        page = client.get("/calculators")
        assert page.status_code == 200
        assert 'name="calc" value="decay"' in page.text
        assert 'name="calc" value="generator"' in page.text
        assert "/static/nucmed.css" in page.text

    def test_decay_result(self, client: TestClient) -> None:
        page = client.get(
            "/calculators",
            params={
                "calc": "decay",
                "nuclide": "99mTc",
                "activity": "740 MBq",
                "elapsed": "6.015 h",
            },
        )
        assert page.status_code == 200
        assert "370 МБк" in page.text  # Russian: the default language
        assert "Tc-99m" in page.text

    def test_generator_result(self, client: TestClient) -> None:
        page = client.get(
            "/calculators",
            params={
                "calc": "generator",
                "mo99": "20 GBq",
                "since_elution": "24 h",
                "efficiency": "90 %",
            },
        )
        assert page.status_code == 200
        assert 'data-key="eluted_tc99m_bq"' in page.text
        assert "ГБк" in page.text

    def test_error_beside_the_field_keeps_what_was_typed(self, client: TestClient) -> None:
        page = client.get(
            "/calculators",
            params={"calc": "decay", "nuclide": "Tc-99m", "activity": "740", "elapsed": "6 m"},
            headers={"Accept-Language": "en"},
        )
        assert page.status_code == 422
        assert 'value="740"' in page.text
        assert 'value="6 m"' in page.text
        assert page.text.count('role="alert"') == 2
        assert "has no unit" in page.text
        assert "metre" in page.text

    def test_static_stylesheet(self, client: TestClient) -> None:
        assert client.get("/static/nucmed.css").status_code == 200


class TestApi:
    def test_decay_json_matches_the_cli_keys(self, client: TestClient) -> None:
        response = client.get(
            "/api/physics/decay",
            params={"nuclide": "I-131", "activity": "20 mCi", "elapsed": "8.0207 d"},
        )
        assert response.status_code == 200
        data = response.json()
        assert data["nuclide"] == "I-131"
        assert data["activity_bq"] == pytest.approx(370e6, rel=1e-9)
        assert set(data) >= {"nuclide", "activity_bq", "decay_factor", "half_life_s"}

    def test_generator_json(self, client: TestClient) -> None:
        response = client.get(
            "/api/physics/generator", params={"mo99": "10 GBq", "since_elution": "23 h"}
        )
        assert response.status_code == 200
        assert response.json()["tc99m_bq"] > 0

    def test_bad_input_is_422_with_the_field(self, client: TestClient) -> None:
        response = client.get(
            "/api/physics/decay",
            params={"nuclide": "Xx-999", "activity": "1 GBq", "elapsed": "1 h"},
        )
        assert response.status_code == 422
        (problem,) = response.json()["detail"]
        assert problem["field"] == "nuclide"
