"""The order desk's plan: the open orders of a day or a week assigned to the producer's
departures by :func:`nucmed.supply.planner.plan` (OR-Tools CP-SAT; decay outside the solver),
reviewed with the orders it cannot serve and why, then confirmed into shipments.

The scenario is built from the store: the producer's catalogue, its departures not yet gone,
and the newest version of every order still ``ordered`` without a shipment whose calibration
falls within the days planned (the producer's local days). Shipments already made take their
production capacity and have their departures paid for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, site_for
from nucmed.services.settings import site_settings
from nucmed.services.supply.orders import current_orders
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.supply import Departure, Order, Product, Shipment
from nucmed.supply import planner, scenario

__all__ = ["MAX_DAYS", "PlanRequest", "PlanRow", "PlanView", "confirm_plan", "preview_plan"]

MAX_DAYS = 7
"""The longest window planned at once (a week)."""
_TIME_LIMIT_S = 10.0
"""CP-SAT's time limit per stage: a page waits for it."""


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What to plan: the first local day of the producer, how many days (1 to 7), and the
    safety margin added to every dispatched activity (a fraction, 0 to 1)."""

    first_day: date
    days: int = 1
    margin_fraction: float = 0.0


@dataclass(frozen=True, slots=True)
class PlanRow:
    """An order of the plan: where it goes and, when served, on which departure with the
    activity to dispatch (Bq); when not, the reason's code (:data:`~nucmed.supply.candidates.
    REASON_TEXT`)."""

    order_number: int
    site_code: str
    product: str
    activity_bq: float
    calibration_at: datetime
    departure: str = ""
    mode: str = ""
    depart_at: datetime | None = None
    arrive_at: datetime | None = None
    dispatched_bq: float = 0.0
    decay_factor: float = 0.0
    package_type: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan to review: assigned and unserved orders, the total dispatched activity (Bq), the
    departures' cost and the solver's status."""

    request: PlanRequest
    assigned: tuple[PlanRow, ...]
    unserved: tuple[PlanRow, ...]
    total_dispatched_bq: float
    total_cost: float
    status: str


def _check(request: PlanRequest) -> None:
    bounds.check_date(N_("first day"), request.first_day)
    if not 1 <= request.days <= MAX_DAYS:
        raise refusal(N_("plan 1 to {most} days at once"), most=MAX_DAYS)
    bounds.FRACTION.check(request.margin_fraction)


def _window(producer: Site, request: PlanRequest) -> tuple[datetime, datetime]:
    zone = ZoneInfo(producer.time_zone)
    start = datetime.combine(request.first_day, time(0), tzinfo=zone).astimezone(UTC)
    return start, start + timedelta(days=request.days)


def _open_orders(store: Store, start: datetime, end: datetime) -> list[Order]:
    shipped = set(store.session.scalars(select(Shipment.order_id)))
    return [
        row
        for row in current_orders(store, start=start, end=end)
        if row.status == "ordered" and row.id not in shipped
    ]


def _products(store: Store, producer: Site) -> dict[int, Product]:
    rows = store.session.scalars(select(Product).where(Product.producer_id == producer.id))
    return {row.id: row for row in rows}


def _departures(store: Store, producer: Site, end: datetime) -> list[Departure]:
    return list(
        store.session.scalars(
            select(Departure)
            .where(Departure.producer_id == producer.id)
            .where(Departure.depart_at > store.now(), Departure.depart_at < end)
            .order_by(Departure.depart_at, Departure.id)
        )
    )


def _scenario(
    store: Store, producer: Site, orders: list[Order], end: datetime
) -> scenario.Scenario:
    products = _products(store, producer)
    sites = {site.id: site for site in store.sites.all()}
    codes = {ident: site.code for ident, site in sites.items()}
    departures = _departures(store, producer, end)
    return scenario.Scenario(
        scenario.Producer(producer.code, producer.name, producer.time_zone),
        {
            site.code: scenario.Site(
                site.code, site.code, site_settings(store, site).supply_receiving_margin_s
            )
            for site in sites.values()
            if site.id != producer.id
        },
        {
            row.code: scenario.Product(
                row.code, row.nuclide, row.shelf_life_s, row.batch_capacity_bq,
                frozenset(day - 1 for day in row.production_weekdays),
            )
            for row in products.values()
        },
        tuple(
            scenario.Departure(
                str(row.id), producer.code, codes[row.site_id], row.mode, row.depart_at,
                row.arrive_at, row.accepts_radioactive, row.cost,
            )
            for row in departures
        ),
        tuple(
            scenario.Order(str(row.id), codes[row.site_id], products[row.product_id].code,
                           row.activity_bq, row.calibration_at)
            for row in orders
            if row.product_id in products
        ),
    )  # fmt: skip


def _kept(store: Store, producer: Site, plan_scenario: scenario.Scenario) -> planner.Kept:
    """Capacity taken and departures paid by the shipments already made."""
    reserved: dict[planner.CapacityKey, float] = {}
    paid = set()
    for shipment in store.session.scalars(
        select(Shipment).where(Shipment.producer_id == producer.id)
    ):
        order = store.session.get(Order, shipment.order_id)
        product = store.session.get(Product, order.product_id) if order else None
        if product is None:
            continue
        key = (product.code, plan_scenario.production_day(shipment.depart_at))
        reserved[key] = reserved.get(key, 0.0) + shipment.dispatched_bq
        paid.add(str(shipment.departure_id))
    return planner.Kept(reserved, frozenset(paid))


def _rows(
    store: Store, request: PlanRequest, result: planner.Plan, orders: list[Order]
) -> PlanView:
    by_id = {str(row.id): row for row in orders}
    codes = {site.id: site.code for site in store.sites.all()}

    def base(order_id: str) -> PlanRow:
        row = by_id[order_id]
        product = store.session.get(Product, row.product_id)
        code = product.code if product else ""
        return PlanRow(row.root_id or row.id, codes[row.site_id], code, row.activity_bq,
                       row.calibration_at)  # fmt: skip

    assigned = []
    for item in result.assignments:
        departure = store.session.get(Departure, int(item.departure))
        assert departure is not None  # planned from the store
        row = base(item.order)
        assigned.append(
            PlanRow(row.order_number, row.site_code, row.product, row.activity_bq,
                    row.calibration_at, departure.code, departure.mode, item.depart,
                    item.arrive, item.dispatched_bq, item.decay_factor, item.package_type)
        )  # fmt: skip
    unserved = []
    for missed in result.unserved:
        row = base(missed.order)
        unserved.append(
            PlanRow(row.order_number, row.site_code, row.product, row.activity_bq,
                    row.calibration_at, reason=missed.reason)
        )  # fmt: skip
    return PlanView(
        request, tuple(sorted(assigned, key=lambda r: (r.depart_at or r.calibration_at))),
        tuple(unserved), result.total_dispatched_bq, result.total_cost, result.status,
    )  # fmt: skip


def _plan(
    store: Store, producer: Site, request: PlanRequest
) -> tuple[PlanView, list[Order], planner.Plan]:
    start, end = _window(producer, request)
    orders = _open_orders(store, start, end)
    built = _scenario(store, producer, orders, end)
    settings = planner.Settings(request.margin_fraction, _TIME_LIMIT_S, 1)
    result = planner.plan(built, settings, kept=_kept(store, producer, built))
    return _rows(store, request, result, orders), orders, result


def preview_plan(
    database: Database, identity: Identity, producer_code: str, request: PlanRequest
) -> PlanView:
    """The plan of the days asked for, to review (nothing is written).

    Raises
    ------
    NucmedInputError
        A first day out of range, a window of more than :data:`MAX_DAYS` days, a margin out of
        0 to 1, or no plan found within the solver's time limit.
    """
    _check(request)
    with transaction(database, read_only=True) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        return _plan(store, producer, request)[0]


def confirm_plan(
    database: Database, identity: Identity, producer_code: str, request: PlanRequest
) -> int:
    """Plan the days asked for again and make a shipment for every assignment (audited); how
    many shipments were made. Orders changed since the preview are planned as they are now.

    Raises
    ------
    NucmedInputError
        As :func:`preview_plan`.
    """
    _check(request)
    with transaction(database) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        view, orders, result = _plan(store, producer, request)
        by_id = {str(row.id): row for row in orders}
        who = actor(store, identity)
        for item in result.assignments:
            order = by_id[item.order]
            shipment = Shipment(
                producer_id=producer.id, site_id=order.site_id, order_id=order.id,
                departure_id=int(item.departure), depart_at=item.depart,
                dispatched_bq=item.dispatched_bq, decay_factor=item.decay_factor,
                margin_fraction=request.margin_fraction, recorded_at=store.now(),
                recorded_by_id=who.id,
            )  # fmt: skip
            store.session.add(shipment)
            store.session.flush()
            record(store, who, Event(
                "supply_shipment.plan", "supply_shipment", shipment.id, site_id=producer.id,
                details={"order": order.root_id or order.id, "departure": int(item.departure),
                         "dispatched_bq": item.dispatched_bq},
            ))  # fmt: skip
        return len(view.assigned)
