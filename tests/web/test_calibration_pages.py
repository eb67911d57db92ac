"""Dose calibrator pages: register a calibrator, record its four QC tests, see the trend."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.physics.decay import Activity
from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

EN = {"Accept-Language": "en"}
PAGE = "/sites/T-ALA/calibrators"
ALMATY = ZoneInfo("Asia/Almaty")
CALIBRATOR = {
    "name": "Hot lab calibrator",
    "model": "CRC-55tR",
    "serial": "55-1234",
    "check_nuclide": "Cs-137",
    "check_activity": "7.4 MBq",
    "check_reference_time": "2024-01-01 12:00",
}


@pytest.fixture
def web(app: FastAPI) -> FastAPI:
    """The application (it includes these pages)."""
    return app


def _tech(app: FastAPI, people: dict[Role, str]) -> tuple[TestClient, str]:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    return client, csrf_of(client, PAGE)


def _post(client: TestClient, path: str, token: str, data: dict[str, str]) -> Any:
    return client.post(
        path, data={**data, "csrf_token": token}, headers=EN, follow_redirects=False
    )


def _with_calibrator(app: FastAPI, people: dict[Role, str]) -> tuple[TestClient, str, str]:
    """A technologist's client, its CSRF token and the QC path prefix of a new calibrator."""
    client, token = _tech(app, people)
    added = client.post(
        PAGE, data={**CALIBRATOR, "csrf_token": token}, headers=EN, follow_redirects=False
    )
    assert added.status_code == 303, added.text
    calibrator_id = client.get("/api/sites/T-ALA/calibrators").json()["calibrators"][0]["id"]
    return client, token, f"{PAGE}/{calibrator_id}"


def _now_local(clock: FixedClock) -> str:
    return clock.now().astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def test_page_renders_empty(web: FastAPI, people: dict[Role, str]) -> None:
    client, _ = _tech(web, people)
    page = client.get(PAGE, headers=EN)
    assert page.status_code == 200
    assert "No dose calibrator registered" in page.text
    assert 'action="/sites/T-ALA/calibrators"' in page.text


def test_add_and_constancy_trend(web: FastAPI, people: dict[Role, str], clock: FixedClock) -> None:
    client, token, base = _with_calibrator(web, people)
    page = client.get(PAGE, headers=EN)
    assert "Hot lab calibrator" in page.text and "55-1234" in page.text
    assert "no constancy check of Hot lab calibrator today" in page.text
    for reading in ("7.0 MBq", "5 MBq", "6.9 MBq"):
        done = client.post(
            f"{base}/constancy",
            data={"reading": reading, "measured_at": _now_local(clock), "csrf_token": token},
            headers=EN,
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == PAGE
    page = client.get(PAGE, headers=EN).text
    assert "Today&#39;s constancy check passed" in page or "Today's constancy check passed" in page
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert svg.count('class="pass"') == 2 and svg.count('class="fail"') == 1
    assert svg.count('class="band"') == 2 and "+10 %" in svg
    api = client.get("/api/sites/T-ALA/calibrators").json()["calibrators"][0]
    assert [q["passes"] for q in api["qc"]] == [True, False, True]
    assert api["qc"][0]["test"] == "constancy" and api["qc"][0]["tolerance"] == 0.1
    assert api["usable_for_dispensing"] is True
    assert api["check_source"]["nuclide"] == "Cs-137"


def test_linearity_accuracy_geometry(
    web: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client, token, base = _with_calibrator(web, people)
    now = _now_local(clock)  # each test entered as it ends
    start = datetime.fromisoformat(now).replace(tzinfo=ALMATY) - timedelta(hours=72)
    source = Activity.of("Tc-99m", 25e9, start)
    lines = "\n".join(
        f"{start + timedelta(hours=h):%Y-%m-%d %H:%M}; "
        f"{source.activity_at(start + timedelta(hours=h)) / 1e6:.6g} MBq"
        for h in (0, 6, 24, 48, 72)
    )
    posts = {
        "linearity": {"readings": lines},
        "accuracy": {
            "source_nuclide": "Co-57",
            "source_activity": "185 MBq",
            "source_time": now,  # read at the source's reference time: no decay
            "readings": "190 MBq; 188 MBq; 192 MBq",
            "measured_at": now,
        },
        "geometry": {
            "reference": "100 MBq",
            "geometries": "syringe 3 mL; 104 MBq\nvial 20 mL; 88 MBq",
            "measured_at": now,
        },
    }
    for test, data in posts.items():
        done = _post(client, f"{base}/{test}", token, data)
        assert done.status_code == 303, done.text
    results = {
        q["test"]: q
        for q in client.get("/api/sites/T-ALA/calibrators").json()["calibrators"][0]["qc"]
    }
    assert results["linearity"]["passes"] and results["accuracy"]["passes"]
    assert not results["geometry"]["passes"]  # the 20 mL vial needs its correction factor
    assert results["accuracy"]["result"]["deviation"] == pytest.approx(0.027, abs=1e-4)
    page = client.get(PAGE, headers=EN).text
    assert "vial 20 mL" in page and "apply the correction" in page
    assert "5 readings" in page


class Bad(NamedTuple):
    """A bad QC form: the test, what was typed, the field in error, its message, kept input."""

    test: str
    data: dict[str, str]
    field: str
    message: str
    kept: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            Bad(
                "constancy",
                {"reading": "7.1", "measured_at": "2026-11-23 07:30"},
                "reading",
                "has no unit",
                'value="7.1"',
            ),
            id="constancy-no-unit",
        ),
        pytest.param(
            Bad(
                "constancy",
                {"reading": "7.1 MBq", "measured_at": "yesterday"},
                "measured_at",
                "is not a date and time",
                'value="yesterday"',
            ),
            id="constancy-bad-time",
        ),
        pytest.param(
            Bad(
                "linearity",
                {"readings": "2026-11-23 08:00 25 GBq"},
                "readings",
                "one reading per line",
                "2026-11-23 08:00 25 GBq</textarea>",
            ),
            id="linearity-no-semicolon",
        ),
        pytest.param(
            Bad(
                "accuracy",
                {
                    "source_nuclide": "Co-57",
                    "source_activity": "185 MBq",
                    "source_time": "2026-01-01 12:00",
                    "readings": "190 MBq; lots",
                    "measured_at": "2026-01-01 12:00",
                },
                "readings",
                "lots",
                'value="190 MBq; lots"',
            ),
            id="accuracy-bad-reading",
        ),
        pytest.param(
            Bad(
                "accuracy",
                {
                    "source_nuclide": "Qq-1",
                    "source_activity": "185 MBq",
                    "source_time": "2026-01-01 12:00",
                    "readings": "190 MBq",
                    "measured_at": "2026-01-01 12:00",
                },
                "source_nuclide",
                "Qq-1",
                'value="Qq-1"',
            ),
            id="accuracy-unknown-nuclide",
        ),
        pytest.param(
            Bad(
                "geometry",
                {
                    "reference": "100 MBq",
                    "geometries": "syringe 104 MBq",
                    "measured_at": "2026-11-23 09:00",
                },
                "geometries",
                "one geometry per line",
                "syringe 104 MBq</textarea>",
            ),
            id="geometry-no-semicolon",
        ),
    ],
)
def test_bad_qc_input_shows_the_error_beside_the_field(
    web: FastAPI, people: dict[Role, str], case: Bad
) -> None:
    test, data, field, message, kept = case
    client, token, base = _with_calibrator(web, people)
    page = client.post(f"{base}/{test}", data={**data, "csrf_token": token}, headers=EN)
    assert page.status_code == 422
    calibrator_id = base.rsplit("/", 1)[1]
    note = page.text.split(f'id="{test}-{calibrator_id}-{field}-note"')[1].split("</p>")[0]
    assert 'class="error"' in page.text.split(f'id="{test}-{calibrator_id}-{field}-note"')[0][-40:]
    assert message in note
    assert kept in page.text


def test_service_refusal_is_shown_at_the_form_top(web: FastAPI, people: dict[Role, str]) -> None:
    client, token, base = _with_calibrator(web, people)
    two = "2026-11-23 08:00; 25 GBq\n2026-11-23 14:00; 12.5 GBq"
    page = client.post(
        f"{base}/linearity", data={"readings": two, "csrf_token": token}, headers=EN
    )
    assert page.status_code == 422
    assert "at least 3 readings" in page.text
    assert "2026-11-23 14:00; 12.5 GBq</textarea>" in page.text


def test_bad_calibrator_keeps_the_input(web: FastAPI, people: dict[Role, str]) -> None:
    client, token = _tech(web, people)
    bad = {**CALIBRATOR, "name": " ", "check_activity": "7.4", "check_nuclide": "Cs-999"}
    page = client.post(PAGE, data={**bad, "csrf_token": token}, headers=EN)
    assert page.status_code == 422
    assert "give the calibrator a name" in page.text
    assert "has no unit" in page.text
    assert 'value="7.4"' in page.text and 'value="55-1234"' in page.text
    assert client.get("/api/sites/T-ALA/calibrators").json()["calibrators"] == []


def test_unknown_calibrator_is_404(web: FastAPI, people: dict[Role, str]) -> None:
    client, token = _tech(web, people)
    missing = _post(client, f"{PAGE}/999/constancy", token, {"reading": "1 MBq"})
    assert missing.status_code == 404


def test_a_resident_reads_but_cannot_record(web: FastAPI, people: dict[Role, str]) -> None:
    _with_calibrator(web, people)
    resident = sign_in(TestClient(web), people[Role.RESIDENT])
    page = resident.get(PAGE, headers=EN)
    assert page.status_code == 200 and "Hot lab calibrator" in page.text
    assert '<form method="post" action="/sites/T-ALA/calibrators' not in page.text
    assert resident.get("/api/sites/T-ALA/calibrators").status_code == 200
    token = csrf_of(resident, PAGE)
    refused = resident.post(PAGE, data={**CALIBRATOR, "csrf_token": token})
    assert refused.status_code == 403
    refused = resident.post(f"{PAGE}/1/constancy", data={"reading": "7 MBq", "csrf_token": token})
    assert refused.status_code == 403
