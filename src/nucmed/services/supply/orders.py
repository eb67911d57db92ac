"""A hospital's orders to the producer: order, amend, cancel (each a new row, audited), and
standing weekly orders materialised into the coming week's orders.

A hospital's radiopharmacist orders for their site (:attr:`Permission.SUPPLY_ORDER`); the
producer's order desk reads every order addressed to it (:attr:`Permission.SUPPLY_DESK`).
Activities are in Bq, instants UTC; the calibration instant is the time the activity is wanted
at the hospital.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import NotFoundError, Permission, site_for
from nucmed.services.supply.catalogue import check_orderable, product_by_code
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.supply import Order, Product, Shipment, ShipmentEvent

__all__ = [
    "OrderView",
    "Wanted",
    "amend_order",
    "audit_order",
    "cancel_order",
    "current_orders",
    "live_version",
    "order_view",
    "place_order",
    "site_orders",
]

_REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class Wanted:
    """What an order asks for: the activity (Bq) at the calibration instant at the hospital;
    for a new order the catalogue product's code, for an amendment the reason."""

    activity_bq: float
    calibration_at: datetime
    product_code: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as its newest version stands: ``number`` is the first version's id; ``status``
    is ``ordered``, ``cancelled``, ``planned`` (a shipment is made), ``dispatched``,
    ``in_transit`` or ``received``; ``versions`` counts the amendments plus one."""

    number: int
    version_id: int
    site_code: str
    product: str
    nuclide: str
    activity_bq: float
    calibration_at: datetime
    status: str
    standing: bool
    versions: int
    shipment_id: int | None
    discrepancy: bool


def _root(row: Order) -> int:
    return row.root_id if row.root_id is not None else row.id


def live_version(store: Store, number: int) -> Order | None:
    """The newest version of order ``number`` (the first version's id), or None."""
    return store.session.scalars(
        select(Order)
        .where((Order.id == number) | (Order.root_id == number))
        .order_by(Order.id.desc())
        .limit(1)
    ).first()


def _shipment_of(store: Store, number: int) -> tuple[Shipment | None, ShipmentEvent | None]:
    versions = select(Order.id).where((Order.id == number) | (Order.root_id == number))
    shipment = store.session.scalars(
        select(Shipment).where(Shipment.order_id.in_(versions)).order_by(Shipment.id.desc())
    ).first()
    if shipment is None:
        return None, None
    event = store.session.scalars(
        select(ShipmentEvent)
        .where(ShipmentEvent.shipment_id == shipment.id)
        .order_by(ShipmentEvent.id.desc())
    ).first()
    return shipment, event


def order_view(store: Store, row: Order) -> OrderView:
    """The view of an order's newest version ``row``."""
    number = _root(row)
    product = store.session.get(Product, row.product_id)
    site = store.sites.by_id(row.site_id)
    assert product is not None and site is not None  # foreign keys
    shipment, event = _shipment_of(store, number)
    status = row.status
    if shipment is not None:
        status = event.status if event is not None else "planned"
    versions = store.session.scalars(
        select(Order.id).where((Order.id == number) | (Order.root_id == number))
    ).all()
    return OrderView(
        number, row.id, site.code, product.code, product.nuclide, row.activity_bq,
        row.calibration_at, status, row.standing_order_id is not None, len(versions),
        shipment.id if shipment else None, bool(event is not None and event.discrepancy),
    )  # fmt: skip


def current_orders(
    store: Store, *, site: Site | None = None, start: datetime | None = None,
    end: datetime | None = None,
) -> list[Order]:  # fmt: skip
    """The newest version of every order (of ``site``, or all), with a calibration in
    [``start``, ``end``) when given; by calibration time."""
    query = select(Order)
    if site is not None:
        query = query.where(Order.site_id == site.id)
    rows = store.session.scalars(query.order_by(Order.id)).all()
    newest: dict[int, Order] = {}
    for row in rows:
        newest[_root(row)] = row
    chosen = [
        row
        for row in newest.values()
        if (start is None or row.calibration_at >= start)
        and (end is None or row.calibration_at < end)
    ]
    return sorted(chosen, key=lambda row: (row.calibration_at, row.id))


def site_orders(database: Database, identity: Identity, code: str) -> tuple[OrderView, ...]:
    """The orders of site ``code`` (newest version of each), by calibration time."""
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        return tuple(order_view(store, row) for row in current_orders(store, site=site))


def _reason(text: str) -> str:
    cleaned = bounds.check_text(N_("reason"), text.strip(), _REASON_MAX)
    if not cleaned:
        raise refusal(N_("give the reason for the change"))
    return cleaned


def audit_order(store: Store, who: User | None, site: Site, row: Order, action: str) -> None:
    """Audit a new version ``row`` of an order (``action``: ``supply_order.<verb>``)."""
    record(
        store,
        who,
        Event(
            action, "supply_order", _root(row), site_id=site.id, reason=row.reason,
            details={"version": row.id, "product_id": row.product_id,
                     "activity_bq": row.activity_bq,
                     "calibration_at": row.calibration_at.isoformat(), "status": row.status},
        ),
    )  # fmt: skip


def place_order(database: Database, identity: Identity, code: str, wanted: Wanted) -> int:
    """Order the ``wanted`` activity of a catalogue product at site ``code`` (audited); the
    order's number.

    Raises
    ------
    NucmedInputError
        Unknown product, activity out of range, calibration not in the future, not within the
        shelf life after a production day, or past the production day's cut-off.
    """
    activity = bounds.ACTIVITY.check(wanted.activity_bq)
    calibration = bounds.check_moment(N_("calibration"), wanted.calibration_at)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        product = product_by_code(store, wanted.product_code)
        check_orderable(store, product, calibration, store.now())
        who = actor(store, identity)
        row = Order(
            site_id=site.id, product_id=product.id, activity_bq=activity,
            calibration_at=calibration, status="ordered", standing_order_id=None,
            root_id=None, amends_id=None, reason=None, recorded_at=store.now(),
            recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        audit_order(store, who, site, row, "supply_order.place")
        return row.id


def _changeable(store: Store, site: Site, number: int) -> Order:
    row = live_version(store, number)
    if row is None or row.site_id != site.id:
        raise NotFoundError(N_("no order {id}"), id=number)
    if row.status == "cancelled":
        raise refusal(N_("order {number} is cancelled; place a new order"), number=number)
    if _shipment_of(store, number)[0] is not None:
        raise refusal(
            N_("order {number} is already planned for shipment; call the order desk"),
            number=number,
        )
    return row


def amend_order(
    database: Database, identity: Identity, code: str, number: int, wanted: Wanted
) -> int:
    """Amend order ``number`` of site ``code``: a new version with the ``wanted`` activity,
    calibration time and reason (audited); the new version's id. The same rules as a new order
    apply to the new values.

    Raises
    ------
    NotFoundError
        No such order at the site.
    NucmedInputError
        No reason, the order is cancelled or planned for shipment, or the new values are refused.
    """
    activity = bounds.ACTIVITY.check(wanted.activity_bq)
    calibration = bounds.check_moment(N_("calibration"), wanted.calibration_at)
    why = _reason(wanted.reason)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        old = _changeable(store, site, number)
        product = store.session.get(Product, old.product_id)
        assert product is not None  # a foreign key
        check_orderable(store, product, calibration, store.now())
        who = actor(store, identity)
        row = Order(
            site_id=site.id, product_id=old.product_id, activity_bq=activity,
            calibration_at=calibration, status="ordered",
            standing_order_id=old.standing_order_id, root_id=number, amends_id=old.id,
            reason=why, recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        audit_order(store, who, site, row, "supply_order.amend")
        return row.id


def cancel_order(
    database: Database, identity: Identity, code: str, number: int, reason: str
) -> int:
    """Cancel order ``number`` of site ``code`` with a reason (a new version, audited); the new
    version's id.

    Raises
    ------
    NotFoundError
        No such order at the site.
    NucmedInputError
        No reason, already cancelled, or already planned for shipment.
    """
    why = _reason(reason)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        old = _changeable(store, site, number)
        who = actor(store, identity)
        row = Order(
            site_id=site.id, product_id=old.product_id, activity_bq=old.activity_bq,
            calibration_at=old.calibration_at, status="cancelled",
            standing_order_id=old.standing_order_id, root_id=number, amends_id=old.id,
            reason=why, recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        audit_order(store, who, site, row, "supply_order.cancel")
        return row.id
