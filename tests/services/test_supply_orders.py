"""Orders to the producer (issue 15, item 1): a hospital's radiopharmacist orders from the demo
catalogue; the cut-off of the production day and the production days are enforced; amendments
and cancellations are new rows with the audit trail; standing orders become the coming week's
orders once.

Days are chosen from the clock's Almaty date so that the tests hold on any weekday and at the
edges of the local day (``NUCMED_TEST_NOW``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services import auth, demo
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.supply import orders, standing
from nucmed.services.supply.orders import Wanted
from nucmed.services.uow import Database, transaction
from nucmed.store.models import AuditEntry
from nucmed.store.supply import Order

ALMATY = ZoneInfo("Asia/Almaty")
GBQ = 1e9


def identity_of(database: Database, username: str) -> auth.Identity:
    """The demo user ``username``, signed in."""
    with transaction(database) as store:
        user = store.users.by_username(username)
        assert user is not None
        found = auth.resolve_token(store, auth.issue_token(store, user, "api", 1.0), "api")
    assert found is not None
    return found


@pytest.fixture
def loaded(database: Database) -> Database:
    assert demo.load_demo(database).created
    return database


def weekday_from(database: Database, days_ahead: int, weekdays: tuple[int, ...]) -> date:
    """The first local day at least ``days_ahead`` after the clock's whose ISO weekday is
    among ``weekdays``."""
    day = database.clock.now().astimezone(ALMATY).date() + timedelta(days=days_ahead)
    while day.isoweekday() not in weekdays:
        day += timedelta(days=1)
    return day


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ALMATY)


WEEKDAY = (1, 2, 3, 4, 5)


def test_an_order_is_placed_and_listed(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.ast")
    day = weekday_from(loaded, 3, WEEKDAY)  # made that day; the cut-off is 2 days before noon
    number = orders.place_order(loaded, tech, "NM-AST", Wanted(10 * GBQ, at(day, 12), "GEN-TC99M"))
    shown = [o for o in orders.site_orders(loaded, tech, "NM-AST") if o.number == number]
    assert [(o.product, o.activity_bq, o.status, o.versions) for o in shown] == [
        ("GEN-TC99M", 10 * GBQ, "ordered", 1)
    ]


def test_the_cut_off_refuses_an_order_too_late(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.ast")
    day = weekday_from(loaded, 1, WEEKDAY)  # its production closed the day before yesterday
    with pytest.raises(NucmedInputError, match="closed at"):
        orders.place_order(loaded, tech, "NM-AST", Wanted(10 * GBQ, at(day, 12), "GEN-TC99M"))


def test_a_calibration_past_the_shelf_life_after_production_is_refused(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.ast")
    monday = weekday_from(loaded, 3, (1,))  # Sm-153 is made Tue/Thu and keeps 48 h
    with pytest.raises(NucmedInputError, match="no production day"):
        orders.place_order(
            loaded, tech, "NM-AST", Wanted(1.5 * GBQ, at(monday, 10), "SM153-EDTMP")
        )


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        pytest.param(Wanted(10 * GBQ, datetime(2020, 1, 1, 8, tzinfo=ALMATY), "GEN-TC99M"),
                     "in the future", id="past calibration"),
        pytest.param(Wanted(-1.0, datetime(2099, 1, 5, 8, tzinfo=ALMATY), "GEN-TC99M"),
                     "activity", id="negative activity"),
        pytest.param(Wanted(10 * GBQ, datetime(2099, 1, 5, 8, tzinfo=ALMATY), "NOPE"),
                     "no product NOPE", id="unknown product"),
    ],
)  # fmt: skip
def test_bad_orders_are_refused(loaded: Database, wanted: Wanted, message: str) -> None:
    tech = identity_of(loaded, "tech.ast")
    with pytest.raises(NucmedInputError, match=message):
        orders.place_order(loaded, tech, "NM-AST", wanted)


def test_only_the_sites_radiopharmacist_orders(loaded: Database) -> None:
    day = weekday_from(loaded, 3, WEEKDAY)
    wanted = Wanted(10 * GBQ, at(day, 12), "GEN-TC99M")
    with pytest.raises(AccessDeniedError):
        orders.place_order(loaded, identity_of(loaded, "tech.ala"), "NM-AST", wanted)
    with pytest.raises(AccessDeniedError):
        orders.place_order(loaded, identity_of(loaded, "doctor.ast"), "NM-AST", wanted)
    with pytest.raises(AccessDeniedError):
        orders.site_orders(loaded, identity_of(loaded, "orders.ala"), "NM-AST")


def test_amend_and_cancel_are_new_rows_with_the_audit_trail(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.sem")
    day = weekday_from(loaded, 3, WEEKDAY)
    number = orders.place_order(loaded, tech, "NM-SEM", Wanted(10 * GBQ, at(day, 12), "GEN-TC99M"))
    with pytest.raises(NucmedInputError, match="reason"):
        orders.amend_order(loaded, tech, "NM-SEM", number, Wanted(20 * GBQ, at(day, 12)))
    orders.amend_order(
        loaded, tech, "NM-SEM", number, Wanted(20 * GBQ, at(day, 14), reason="two more patients")
    )
    orders.cancel_order(loaded, tech, "NM-SEM", number, "camera broken")
    with pytest.raises(NucmedInputError, match="cancelled"):
        orders.cancel_order(loaded, tech, "NM-SEM", number, "again")
    with transaction(loaded) as store:
        rows = store.session.scalars(
            select(Order)
            .where((Order.id == number) | (Order.root_id == number))
            .order_by(Order.id)
        ).all()
        trail = store.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "supply_order", AuditEntry.entity_id == str(number))
            .order_by(AuditEntry.id)
        ).all()
    assert [(r.activity_bq, r.status, r.reason) for r in rows] == [
        (10 * GBQ, "ordered", None),
        (20 * GBQ, "ordered", "two more patients"),
        (20 * GBQ, "cancelled", "camera broken"),
    ]
    assert [r.amends_id for r in rows] == [None, rows[0].id, rows[1].id]
    assert trail == ["supply_order.place", "supply_order.amend", "supply_order.cancel"]
    (shown,) = [o for o in orders.site_orders(loaded, tech, "NM-SEM") if o.number == number]
    assert (shown.status, shown.versions, shown.activity_bq) == ("cancelled", 3, 20 * GBQ)


def test_standing_orders_become_the_weeks_orders_once(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.sem")
    desk = identity_of(loaded, "orders.ala")
    today = loaded.clock.now().astimezone(ALMATY).date()
    target = today + timedelta(days=3)
    number = standing.add_standing_order(
        loaded, tech, "NM-SEM",
        standing.StandingInput("I131-CAPS", 3.7 * GBQ, target.isoweekday(), 10 * 60, today),
    )  # fmt: skip
    assert standing.materialise_week(loaded, desk, "INP-ALA") == 1
    assert standing.materialise_week(loaded, desk, "INP-ALA") == 0
    made = [o for o in orders.site_orders(loaded, tech, "NM-SEM") if o.standing]
    assert [(o.product, o.calibration_at) for o in made] == [("I131-CAPS", at(target, 10))]
    standing.stop_standing_order(loaded, tech, "NM-SEM", number)
    assert standing.site_standing_orders(loaded, tech, "NM-SEM") == ()
    with pytest.raises(NucmedInputError, match="weekday"):
        standing.add_standing_order(
            loaded, tech, "NM-SEM", standing.StandingInput("I131-CAPS", GBQ, 8, 600, today)
        )


def test_the_demo_materialised_its_standing_orders(loaded: Database) -> None:
    tech = identity_of(loaded, "tech.ast")
    now = loaded.clock.now()
    day = now.astimezone(ALMATY).date()
    week = [day + timedelta(days=k) for k in range(7)]
    expected = [at(d, 8) for d in week if d.isoweekday() == 1 and at(d, 8) > now]
    mondays = [o.calibration_at for o in orders.site_orders(loaded, tech, "NM-AST") if o.standing]
    assert mondays == expected  # every Monday at 08:00 in the coming week, not one past
