"""A dispatched shipment's transport document on the supply pages (issue 15, item 4): the order
desk's row links to it, and so does the receiving department's; each downloads the PDF in its
language; a planned shipment has no link and its address answers the error page (422); each
side is refused the other's address."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.permissions import AtSite
from nucmed.services.supply import orders, planning, shipments
from nucmed.services.supply.orders import Wanted
from nucmed.services.uow import Database
from tests.services.test_supply_orders import GBQ, WEEKDAY, at, identity_of, weekday_from
from tests.web.conftest import sign_in

USV_H = 1e-6 / 3600
DESK, ORDERS = "/sites/INP-ALA/order-desk", "/sites/NM-AST/orders"


@pytest.fixture
def password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def _two_shipments(database: Database) -> tuple[int, int]:
    """Two Astana orders planned into shipments; the first dispatched (300 and 8 µSv/h), the
    second still planned."""
    day = weekday_from(database, 3, WEEKDAY)
    tech, desk = identity_of(database, "tech.ast"), identity_of(database, "orders.ala")
    for hour in (12, 13):
        orders.place_order(database, tech, "NM-AST", Wanted(10 * GBQ, at(day, hour), "GEN-TC99M"))
    planning.confirm_plan(database, desk, "INP-ALA", planning.PlanRequest(day, 1, 0.0))
    made = shipments.desk_shipments(database, desk, "INP-ALA")
    ours = [s for s in made if s.site_code == "NM-AST"]
    shipments.dispatch_shipment(database, desk, AtSite("INP-ALA", ours[0].id),
                                (300 * USV_H, 8 * USV_H))  # fmt: skip
    return ours[0].id, ours[1].id


@pytest.mark.parametrize("case", [("orders.ala", DESK, "kk"), ("tech.ast", ORDERS, "ru")],
                         ids=("desk-kk", "hospital-ru"))  # fmt: skip
def test_each_side_downloads_the_document_of_a_dispatched_shipment(
    app: FastAPI, database: Database, password: str, case: tuple[str, str, str]
) -> None:
    who, page, language = case
    sent, waiting = _two_shipments(database)
    client = sign_in(TestClient(app), who, password)
    headers = {"Accept-Language": language}
    shown = client.get(page, headers=headers).text
    link = f"{page}/shipments/{sent}/transport.pdf"
    assert f'id="transport-{sent}" href="{link}"' in shown
    assert f'id="transport-{waiting}"' not in shown
    pdf = client.get(link, headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    refused = client.get(f"{page}/shipments/{waiting}/transport.pdf", headers=headers)
    assert refused.status_code == 422 and "%PDF" not in refused.text


def test_each_side_is_refused_the_others_address(
    app: FastAPI, database: Database, password: str
) -> None:
    sent, _ = _two_shipments(database)
    tech = sign_in(TestClient(app), "tech.ast", password)
    assert tech.get(f"{DESK}/shipments/{sent}/transport.pdf").status_code == 403
    desk = sign_in(TestClient(app), "orders.ala", password)
    assert desk.get(f"{ORDERS}/shipments/{sent}/transport.pdf").status_code == 403
    other = sign_in(TestClient(app), "tech.ala", password)  # another department
    assert other.get(f"/sites/NM-ALA/orders/shipments/{sent}/transport.pdf").status_code == 404
