"""The order desk's plan and the shipments (issue 15, items 3-4): the plan takes the latest
departure that arrives in time, passes over a later carrier that refuses Class 7 goods, reports
an order no departure serves with its reason; confirming makes shipments with the activity of
:func:`nucmed.supply.dispatch.dispatch_activity`; a package is classified (IAEA SSR-6) when
dispatched; the hospital names the shipment of a hot-lab receipt, and a measured activity more
than 10 % off the declared one decayed to the measurement is flagged on both sides.

Expected values: the departures are the demo's timetable (approximate lanes); the dispatched
activity is analytic (the decay law, computed independently by ``dispatch_activity``).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.physics.decay import Activity
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.permissions import AccessDeniedError, AtSite
from nucmed.services.sites import SettingChange, SiteSpec, change_setting, create_site
from nucmed.services.supply import orders, planning, shipments
from nucmed.services.supply.orders import Wanted
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.supply.dispatch import dispatch_activity
from nucmed.vocabulary import Role, SiteKind
from tests.services.test_supply_orders import (
    GBQ,
    WEEKDAY,
    at,
    identity_of,
    loaded,  # noqa: F401 - the fixture
    weekday_from,
)

USV_H = 1e-6 / 3600


DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
"""Weekdays as the demo week's departure ids end (``NQZ-AIR-KC-MON``)."""


@pytest.fixture
def planned(loaded: Database) -> dict[str, int]:  # noqa: F811 - the fixture above
    """Three orders on one production weekday: Astana at 12:00 and 20:00, and a site with no
    departures (Karaganda)."""
    with transaction(loaded) as store:
        site = create_site(
            store,
            None,
            SiteSpec(
                "NM-KAR", "Karaganda (test)", SiteKind.DEPARTMENT, "Karaganda", "KZ", "Asia/Almaty"
            ),
        )
        create_user(store, None, NewUser("tech.kar", "Technologist", "correct horse battery"),
                    [(Role.RADIOPHARMACIST, site)])  # fmt: skip
    day = weekday_from(loaded, 3, WEEKDAY)
    ast, kar = identity_of(loaded, "tech.ast"), identity_of(loaded, "tech.kar")
    tc = "GEN-TC99M"
    return {
        "day": day.toordinal(),
        "noon": orders.place_order(loaded, ast, "NM-AST", Wanted(10 * GBQ, at(day, 12), tc)),
        "evening": orders.place_order(loaded, ast, "NM-AST", Wanted(5 * GBQ, at(day, 20), tc)),
        "nowhere": orders.place_order(loaded, kar, "NM-KAR", Wanted(5 * GBQ, at(day, 12), tc)),
    }


def _request(planned: dict[str, int]) -> planning.PlanRequest:
    return planning.PlanRequest(date.fromordinal(planned["day"]), 1, 0.0)


def test_the_plan_takes_the_latest_departure_in_time(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],
) -> None:
    desk = identity_of(loaded, "orders.ala")
    plan = planning.preview_plan(loaded, desk, "INP-ALA", _request(planned))
    by_order = {row.order_number: row for row in plan.assigned}
    day = _request(planned).first_day
    noon = by_order[planned["noon"]]
    assert (
        noon.departure == f"NQZ-AIR-KC-{DAYS[day.weekday()]}-{day:%m%d}"
    )  # 05:30 the same day, arrives 11:00
    expected = dispatch_activity("Mo-99", 10 * GBQ, at(day, 12), noon.depart_at or at(day, 0))
    assert noon.dispatched_bq == pytest.approx(expected.dispatched_bq, rel=1e-12)
    # 14:00 arrives at 19:30, in time for 20:00, but its carrier refuses radioactive goods
    assert by_order[planned["evening"]].departure == f"NQZ-AIR-KC-{DAYS[day.weekday()]}-{day:%m%d}"
    (nowhere,) = [row for row in plan.unserved if row.order_number == planned["nowhere"]]
    assert nowhere.reason == "no_departure_to_site"


def test_a_sites_receiving_margin_keeps_a_departure_that_arrives_too_close_out(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],
) -> None:
    """Astana needs 90 min between arrival and calibration: the 05:30 flight that lands at
    11:00 no longer serves the noon order (it would leave 60 min)."""
    with transaction(loaded) as store:
        site, admin = store.sites.by_code("NM-AST"), store.users.by_username("physicist.ast")
        assert site is not None and admin is not None
        margin = SettingChange("supply_receiving_margin_min", 90, "Astana SOP 4", "unloading")
        change_setting(store, admin, site, margin)
    desk = identity_of(loaded, "orders.ala")
    plan = planning.preview_plan(loaded, desk, "INP-ALA", _request(planned))
    day = _request(planned).first_day
    late = f"NQZ-AIR-KC-{DAYS[day.weekday()]}-{day:%m%d}"
    served = {row.order_number: row for row in plan.assigned}
    unserved = {row.order_number: row for row in plan.unserved}
    noon = served.get(planned["noon"])
    if noon is None:
        assert unserved[planned["noon"]].reason == "arrives_too_late"
    else:
        assert noon.departure != late and noon.arrive_at is not None
        assert noon.arrive_at <= at(day, 12) - timedelta(minutes=90)


def _received(
    loaded: Database,  # noqa: F811
    clock: FixedClock,
    view: shipments.ShipmentView,
    measured_fraction: float,
) -> int:
    """Receive the shipment's package in the Astana hot lab an hour after it arrives,
    measuring ``measured_fraction`` of the declared activity decayed to then; the material."""
    clock.set(view.arrive_at + timedelta(hours=1))
    now = clock.now()
    expected = Activity.of(view.nuclide, view.dispatched_bq, view.depart_at).activity_at(now)
    with transaction(loaded) as store:
        site = store.sites.by_code("NM-AST")
        tech = store.users.by_username("tech.ast")
        assert site is not None and tech is not None
        delivery = Delivery(
            "generator", view.nuclide, view.product, view.dispatched_bq, view.depart_at,
            lot=f"S-{view.id}", package=Declaration("II-YELLOW", 0.8),
        )  # fmt: skip
        survey = Survey(now, 300 * USV_H, 8 * USV_H, 0.0, expected * measured_fraction)
        material, _ = receive(store, tech, site, delivery, survey)
        return material.id


def test_confirm_dispatch_transit_and_receipt(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],
    clock: FixedClock,
) -> None:
    desk = identity_of(loaded, "orders.ala")
    request = _request(planned)
    made = planning.confirm_plan(loaded, desk, "INP-ALA", request)
    assert made >= 2  # both Astana orders (and any standing order of that day)
    again = planning.preview_plan(loaded, desk, "INP-ALA", request)
    assert {planned["noon"], planned["evening"]}.isdisjoint(r.order_number for r in again.assigned)
    views = {v.order_number: v for v in shipments.desk_shipments(loaded, desk, "INP-ALA")}
    noon, evening = views[planned["noon"]], views[planned["evening"]]
    package = shipments.dispatch_shipment(loaded, desk, AtSite("INP-ALA", noon.id),
                                          (300 * USV_H, 8 * USV_H))  # fmt: skip
    assert (package["package_type"], package["label"]) == ("Type A", "II-YELLOW")
    assert package["transport_index"] == pytest.approx(0.8)
    with pytest.raises(NucmedInputError, match="cannot become"):
        shipments.dispatch_shipment(loaded, desk, AtSite("INP-ALA", noon.id), (0.0, 0.0))
    shipments.mark_in_transit(loaded, desk, "INP-ALA", noon.id)
    shipments.dispatch_shipment(loaded, desk, AtSite("INP-ALA", evening.id),
                                (300 * USV_H, 8 * USV_H))  # fmt: skip
    tech = identity_of(loaded, "tech.ast")
    with pytest.raises(NucmedInputError, match="cannot become"):
        shipments.mark_in_transit(loaded, desk, "INP-ALA", noon.id)
    low = _received(loaded, clock, noon, 0.85)  # 15 % low: flagged
    assert shipments.receive_shipment(loaded, tech, "NM-AST", noon.id, low)
    fine = _received(loaded, clock, evening, 0.95)  # 5 % low: within 10 %
    assert not shipments.receive_shipment(loaded, tech, "NM-AST", evening.id, fine)
    seen = {v.id: v for v in shipments.site_shipments(loaded, tech, "NM-AST")}
    assert (seen[noon.id].status, seen[noon.id].discrepancy) == ("received", True)
    assert seen[noon.id].measured_bq == pytest.approx(0.85 * (seen[noon.id].expected_bq or 0))
    assert not seen[evening.id].discrepancy
    desk_seen = {v.id: v for v in shipments.desk_shipments(loaded, desk, "INP-ALA")}
    assert desk_seen[noon.id].discrepancy
    mine = {o.number: o for o in orders.site_orders(loaded, tech, "NM-AST")}
    assert (mine[planned["noon"]].status, mine[planned["noon"]].discrepancy) == ("received", True)
    with pytest.raises(NucmedInputError, match="cannot become"):
        shipments.receive_shipment(loaded, tech, "NM-AST", noon.id, low)


def test_a_planned_order_can_no_longer_be_changed(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],
) -> None:
    planning.confirm_plan(loaded, identity_of(loaded, "orders.ala"), "INP-ALA", _request(planned))
    tech = identity_of(loaded, "tech.ast")
    with pytest.raises(NucmedInputError, match="already planned"):
        orders.cancel_order(loaded, tech, "NM-AST", planned["noon"], "camera broken")


def test_only_the_order_desk_plans(loaded: Database, planned: dict[str, int]) -> None:  # noqa: F811
    with pytest.raises(AccessDeniedError):
        planning.preview_plan(
            loaded, identity_of(loaded, "tech.ast"), "INP-ALA", _request(planned)
        )
    with pytest.raises(NucmedInputError, match="1 to 7 days"):
        planning.preview_plan(
            loaded, identity_of(loaded, "orders.ala"), "INP-ALA",
            planning.PlanRequest(_request(planned).first_day, 8),
        )  # fmt: skip
