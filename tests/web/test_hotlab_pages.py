"""Hot-lab pages: receive a generator, elute it, record QC, see the stock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

EN = {"Accept-Language": "en"}
GENERATOR = {
    "kind": "generator",
    "nuclide": "Mo-99",
    "product": "Tc-99m generator",
    "lot": "G-7",
    "supplier": "INP Almaty",
    "activity": "20 GBq",
    "calibration_time": "2026-11-23 07:00",
    "volume": "",
    "measured_at": "2026-11-23 09:00",
    "surface": "15 µSv/h",
    "one_metre": "0.5 µSv/h",
    "wipe": "0.1",
    "measured_activity": "",
    "label_category": "II-YELLOW",
    "transport_index": "0.1",
}


@pytest.fixture(autouse=True)
def _clock_on_the_day(clock: FixedClock) -> None:
    """The forms type fixed times from 23.11.2026 09:00 to 24.11.2026 07:30 in Almaty: the
    clock stands after them, less than a day after the first (an event time may not lie ahead
    of the clock, and one more than a day back is a late entry)."""
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Almaty")))


def _tech(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.RADIOPHARMACIST])


def test_receive_elute_and_qc(app: FastAPI, people: dict[Role, str]) -> None:
    client = _tech(app, people)
    token = csrf_of(client, "/sites/T-ALA/receive")
    received = client.post(
        "/sites/T-ALA/receive",
        data={**GENERATOR, "csrf_token": token},
        headers=EN,
        follow_redirects=False,
    )
    assert received.status_code == 303, received.text
    generator_page = received.headers["location"]
    page = client.get(generator_page, headers=EN)
    assert "Tc-99m generator" in page.text
    eluted = client.post(
        f"{generator_page}/elute",
        headers=EN,
        follow_redirects=False,
        data={
            "eluted_at": "2026-11-24 07:00",
            "activity": "14 GBq",
            "volume": "10 mL",
            "csrf_token": token,
        },
    )
    assert eluted.status_code == 303, eluted.text
    eluate_page = eluted.headers["location"]
    blocked = client.get(eluate_page, headers=EN)
    assert "Mo-99 breakthrough QC missing" in blocked.text
    for test, value in (("mo99_breakthrough", "1 kBq"), ("aluminium", "2")):
        done = client.post(
            f"{eluate_page}/qc",
            headers=EN,
            follow_redirects=False,
            data={
                "test": test,
                "value": value,
                "method": "standard",
                "measured_at": "2026-11-24 07:10",
                "csrf_token": token,
            },
        )
        assert done.status_code == 303, done.text
    stock = client.get("/sites/T-ALA/stock", headers=EN)
    assert "Mo-99" in stock.text and "Tc-99m" in stock.text


def test_bad_receipt_keeps_the_input(app: FastAPI, people: dict[Role, str]) -> None:
    client = _tech(app, people)
    token = csrf_of(client, "/sites/T-ALA/receive")
    page = client.post(
        "/sites/T-ALA/receive",
        headers=EN,
        data={**GENERATOR, "activity": "20", "surface": "15 m", "csrf_token": token},
    )
    assert page.status_code == 422
    assert 'value="20"' in page.text
    assert "has no unit" in page.text


def test_licence_limit_and_totals(app: FastAPI, people: dict[Role, str]) -> None:
    client = sign_in(TestClient(app), people[Role.RSO])
    token = csrf_of(client, "/sites/T-ALA/stock")
    saved = client.post(
        "/sites/T-ALA/licence-limits",
        follow_redirects=False,
        data={
            "nuclide": "Mo-99",
            "limit": "50 GBq",
            "source": "Licence KZ-123, annex 2",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303
    api = client.get("/api/sites/T-ALA/stock").json()
    assert api["totals"] == [
        {
            "nuclide": "Mo-99",
            "activity_bq": 0.0,
            "limit_bq": 50e9,
            "over_limit": False,
            "uncounted": 0,
        }
    ]


def test_a_product_from_a_vial(app: FastAPI, people: dict[Role, str]) -> None:
    client = _tech(app, people)
    token = csrf_of(client, "/sites/T-ALA/receive")
    vial = client.post(
        "/sites/T-ALA/receive",
        headers=EN,
        follow_redirects=False,
        data={
            **GENERATOR,
            "kind": "vial",
            "nuclide": "Lu-177",
            "product": "Lu-177 chloride",
            "activity": "16 GBq",
            "volume": "2 mL",
            "csrf_token": token,
        },
    )
    assert vial.status_code == 303, vial.text
    bad = client.post(
        f"{vial.headers['location']}/prepare-product",
        headers=EN,
        data={
            "product": "Lu-177 PSMA-617",
            "volume": "1 mL",
            "labelled_at": "2026-11-23 10:00",
            "shelf_life": "8 m",
            "rcp_min": "95 %",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422 and "metre" in bad.text
    made = client.post(
        f"{vial.headers['location']}/prepare-product",
        headers=EN,
        follow_redirects=False,
        data={
            "product": "Lu-177 PSMA-617",
            "volume": "1 mL",
            "labelled_at": "2026-11-23 10:00",
            "shelf_life": "8 h",
            "rcp_min": "95 %",
            "csrf_token": token,
        },
    )
    assert made.status_code == 303, made.text
    assert "Lu-177 PSMA-617" in client.get(made.headers["location"], headers=EN).text
