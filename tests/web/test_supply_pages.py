"""The supply pages (issue 15): a hospital's radiopharmacist orders, amends and cancels in
Russian, one wrong entry per form shown again beside its field (422); the order desk plans,
confirms and dispatches in Kazakh; the desk's site page links to its desk and to no hot-lab page;
each side is refused the other's page; the JSON API answers the same."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.uow import Database
from tests.services.test_supply_orders import ALMATY, WEEKDAY, weekday_from
from tests.web.conftest import csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
ORDERS = "/sites/NM-AST/orders"
DESK = "/sites/INP-ALA/order-desk"


DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
"""Weekdays as the demo week's departure ids end (``NQZ-AIR-KC-MON``)."""


@pytest.fixture
def password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def _order(client: TestClient, day: date, activity: str = "10 GBq") -> int:
    token = csrf_of(client, ORDERS)
    form = {
        "product": "GEN-TC99M",
        "activity": activity,
        "calibration": f"{day} 12:00",
        "csrf_token": token,
    }
    return client.post(ORDERS, data=form, headers=RU, follow_redirects=False).status_code


def test_a_hospital_orders_amends_and_cancels_in_russian(
    app: FastAPI, database: Database, password: str
) -> None:
    tech = sign_in(TestClient(app), "tech.ast", password)
    page = tech.get(ORDERS, headers=RU)
    assert page.status_code == 200 and "Заказы" in page.text
    day = weekday_from(database, 3, WEEKDAY)
    assert _order(tech, day, "10 GBqq") == 422
    refused = tech.post(
        ORDERS,
        data={
            "product": "GEN-TC99M",
            "activity": "10 GBqq",
            "calibration": f"{day} 12:00",
            "csrf_token": csrf_of(tech, ORDERS),
        },
        headers=RU,
    )
    assert 'aria-invalid="true"' in refused.text and "10 GBqq" in refused.text
    assert _order(tech, day) == 303
    listed = tech.get(ORDERS, headers=RU).text
    number = int(listed.split('id="order-')[-1].split('"')[0])
    token = csrf_of(tech, ORDERS)
    amend = f"{ORDERS}/{number}/amend"
    no_reason = tech.post(
        amend,
        data={
            "activity": "20 GBq",
            "calibration": f"{day} 12:00",
            "reason": "",
            "csrf_token": token,
        },
        headers=RU,
    )
    assert no_reason.status_code == 422 and "причин" in no_reason.text.lower()
    done = tech.post(
        amend,
        data={
            "activity": "20 GBq",
            "calibration": f"{day} 12:00",
            "reason": "ещё два пациента",
            "csrf_token": token,
        },
        headers=RU,
        follow_redirects=False,
    )
    assert done.status_code == 303
    cancelled = tech.post(
        f"{ORDERS}/{number}/cancel",
        data={"reason": "камера на ремонте", "csrf_token": token},
        headers=RU,
        follow_redirects=False,
    )
    assert cancelled.status_code == 303
    row = tech.get(ORDERS, headers=RU).text.split(f'id="order-{number}"')[1].split("</tr>")[0]
    assert "отменён" in row and "20" in row


def test_the_order_desk_plans_confirms_and_dispatches_in_kazakh(
    app: FastAPI, database: Database, password: str
) -> None:
    tech = sign_in(TestClient(app), "tech.ast", password)
    day = weekday_from(database, 3, WEEKDAY)
    assert _order(tech, day) == 303
    desk = sign_in(TestClient(app), "orders.ala", password)
    page = desk.get(DESK, headers=KK)
    assert page.status_code == 200 and 'id="incoming"' in page.text
    token = csrf_of(desk, DESK)
    bad = desk.post(
        f"{DESK}/plan",
        data={"first_day": "2026-13-01", "days": "1", "margin": "", "csrf_token": token},
        headers=KK,
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    plan = desk.post(
        f"{DESK}/plan",
        data={"first_day": str(day), "days": "1", "margin": "5 %", "csrf_token": token},
        headers=KK,
    )
    assert plan.status_code == 200 and 'id="confirm"' in plan.text
    assert f"NQZ-AIR-KC-{DAYS[day.weekday()]}-{day:%m%d}" in plan.text
    confirmed = desk.post(
        f"{DESK}/confirm",
        data={"first_day": str(day), "days": "1", "margin": "5 %", "csrf_token": token},
        headers=KK,
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    shipped = desk.get(DESK, headers=KK).text
    rows = shipped.split('<tr id="shipment-')[1:]
    shipment = next(int(row.split('"')[0]) for row in rows if "NM-AST" in row.split("</tr>")[0])
    dispatch = f"/sites/INP-ALA/shipments/{shipment}/dispatch"
    wrong = desk.post(
        dispatch, data={"surface": "300", "one_metre": "8 µSv/h", "csrf_token": token}, headers=KK
    )
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
    good = desk.post(
        dispatch,
        data={"surface": "300 µSv/h", "one_metre": "8 µSv/h", "csrf_token": token},
        headers=KK,
        follow_redirects=False,
    )
    assert good.status_code == 303
    row = desk.get(DESK, headers=KK).text.split(f'id="shipment-{shipment}"')[1].split("</tr>")[0]
    assert "UN 2915" in row
    moved = desk.post(
        f"/sites/INP-ALA/shipments/{shipment}/in-transit",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    seen = tech.get("/api/sites/NM-AST/shipments").json()
    assert [s["status"] for s in seen if s["id"] == shipment] == ["in_transit"]


def test_each_side_sees_its_own_page_and_links(app: FastAPI, password: str) -> None:
    desk = sign_in(TestClient(app), "orders.ala", password)
    site = desk.get("/sites/INP-ALA", headers=RU).text
    assert 'href="/sites/INP-ALA/order-desk"' in site
    assert "/hotlab" not in site and "/stock" not in site
    assert desk.get(ORDERS).status_code == 403
    tech = sign_in(TestClient(app), "tech.ast", password)
    assert 'href="/sites/NM-AST/orders"' in tech.get("/sites/NM-AST").text
    assert tech.get(DESK).status_code == 403
    assert tech.get("/sites/NM-ALA/orders").status_code == 403


def test_the_api_orders_and_refuses_with_422(
    app: FastAPI, database: Database, password: str
) -> None:
    tech = sign_in(TestClient(app), "tech.ast", password)
    headers = {"X-CSRF-Token": csrf_of(tech)}
    day = weekday_from(database, 3, WEEKDAY)
    calibration = f"{day}T12:00:00+05:00"
    made = tech.post(
        "/api/sites/NM-AST/orders",
        headers=headers,
        json={"product": "GEN-TC99M", "activity_bq": 1e10, "calibration": calibration},
    )
    assert made.status_code == 201
    late = (database.clock.now().astimezone(ALMATY) + timedelta(days=1)).date()
    refused = tech.post(
        "/api/sites/NM-AST/orders",
        headers=headers,
        json={
            "product": "GEN-TC99M",
            "activity_bq": 1e10,
            "calibration": f"{late}T12:00:00+05:00",
        },
    )
    assert refused.status_code == 422
    listed = tech.get("/api/sites/NM-AST/orders").json()
    assert made.json()["number"] in [o["number"] for o in listed]
