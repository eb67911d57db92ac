"""Standing weekly orders (e.g. a generator every Monday at 08:00): a hospital's radiopharmacist
sets one up or stops it (new rows, audited); the order desk materialises them into the orders
of the coming week.

A standing order's changes are new rows whose ``corrects_id`` is the first row's id; the orders
made from it name that first row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import NotFoundError, Permission, site_for
from nucmed.services.supply.catalogue import producer_of, product_by_code, production_day
from nucmed.services.supply.orders import audit_order
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.supply import Order, Product, StandingOrder

__all__ = [
    "StandingInput",
    "StandingView",
    "add_standing_order",
    "materialise_standing",
    "materialise_week",
    "site_standing_orders",
    "standing_views",
    "stop_standing_order",
]

_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class StandingInput:
    """A standing order: product code, activity (Bq) at the calibration, ISO weekday (1 =
    Monday), calibration minute of the site's local day, and the first day it applies (None:
    the site's local today)."""

    product_code: str
    activity_bq: float
    weekday: int
    calibration_minute: int
    starts_on: date | None = None


@dataclass(frozen=True, slots=True)
class StandingView:
    """An active standing order as shown (``number``: its first row's id)."""

    number: int
    product: str
    activity_bq: float
    weekday: int
    calibration_minute: int
    starts_on: date


def _starts(given: StandingInput) -> date:
    if given.starts_on is None:  # filled by add_standing_order
        raise LookupError("a standing order's first day is set before it is stored")
    return given.starts_on


def _number(row: StandingOrder) -> int:
    return row.corrects_id if row.corrects_id is not None else row.id


def _newest(store: Store, site: Site | None = None) -> list[StandingOrder]:
    query = select(StandingOrder).order_by(StandingOrder.id)
    if site is not None:
        query = query.where(StandingOrder.site_id == site.id)
    newest: dict[int, StandingOrder] = {}
    for row in store.session.scalars(query):
        newest[_number(row)] = row
    return list(newest.values())


def _instants(standing: StandingOrder, site: Site, first: date) -> list[datetime]:
    zone = ZoneInfo(site.time_zone)
    minute = timedelta(minutes=standing.calibration_minute)
    days = [first + timedelta(days=k) for k in range(7)]
    return [
        (datetime.combine(day, time(0), tzinfo=zone) + minute).astimezone(UTC)
        for day in days
        if day.isoweekday() == standing.weekday and day >= standing.starts_on
    ]


def _check(store: Store, given: StandingInput, site: Site) -> Product:
    product = product_by_code(store, given.product_code)
    if not 1 <= given.weekday <= 7:  # noqa: PLR2004 (ISO weekdays)
        raise refusal(N_("the weekday must be from 1 (Monday) to 7 (Sunday)"))
    if not 0 <= given.calibration_minute < _MINUTES_PER_DAY:
        raise refusal(N_("the calibration time must be a time of day, 00:00 to 23:59"))
    first = _instants(_row(site, product, given, None, None), site, _starts(given))
    production_day(product, producer_of(store, product), first[0])  # seven days: one fits
    return product


def _row(
    site: Site, product: Product, given: StandingInput, who: User | None, now: datetime | None
) -> StandingOrder:
    return StandingOrder(
        site_id=site.id, product_id=product.id, activity_bq=given.activity_bq,
        weekday=given.weekday, calibration_minute=given.calibration_minute,
        starts_on=_starts(given), active=True, corrects_id=None, recorded_at=now,
        recorded_by_id=who.id if who else None,
    )  # fmt: skip


def add_standing_order(
    database: Database, identity: Identity, code: str, given: StandingInput
) -> int:
    """Set up a standing weekly order at site ``code`` (audited); its number.

    Raises
    ------
    NucmedInputError
        Unknown product, activity out of range, a weekday or time of day out of range, or a
        weekday on which the product cannot be calibrated (no production day within its shelf
        life before it).
    """
    bounds.ACTIVITY.check(given.activity_bq)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        today = store.now().astimezone(ZoneInfo(site.time_zone)).date()
        given = replace(
            given, starts_on=bounds.check_date(N_("first day"), given.starts_on or today)
        )
        product = _check(store, given, site)
        who = actor(store, identity)
        row = _row(site, product, given, who, store.now())
        store.session.add(row)
        store.session.flush()
        record(
            store, who,
            Event("supply_standing.add", "supply_standing_order", row.id, site_id=site.id,
                  details={"product_id": product.id, "activity_bq": given.activity_bq,
                           "weekday": given.weekday, "minute": given.calibration_minute}),
        )  # fmt: skip
        return row.id


def stop_standing_order(database: Database, identity: Identity, code: str, number: int) -> None:
    """Stop standing order ``number`` of site ``code`` (a new inactive row, audited); orders
    already made from it stay.

    Raises
    ------
    NotFoundError
        No such active standing order at the site.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        current = [row for row in _newest(store, site) if _number(row) == number and row.active]
        if not current:
            raise NotFoundError(N_("no standing order {id}"), id=number)
        old = current[0]
        who = actor(store, identity)
        row = StandingOrder(
            site_id=site.id, product_id=old.product_id, activity_bq=old.activity_bq,
            weekday=old.weekday, calibration_minute=old.calibration_minute,
            starts_on=old.starts_on, active=False, corrects_id=number,
            recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("supply_standing.stop", "supply_standing_order", number,
                                 site_id=site.id))  # fmt: skip


def standing_views(store: Store, site: Site) -> tuple[StandingView, ...]:
    """The active standing orders of ``site``."""
    shown = []
    for row in _newest(store, site):
        product = store.session.get(Product, row.product_id)
        if row.active and product is not None:
            shown.append(
                StandingView(_number(row), product.code, row.activity_bq, row.weekday,
                             row.calibration_minute, row.starts_on)
            )  # fmt: skip
    return tuple(shown)


def site_standing_orders(
    database: Database, identity: Identity, code: str
) -> tuple[StandingView, ...]:
    """The active standing orders of site ``code``."""
    with transaction(database, read_only=True) as store:
        return standing_views(store, site_for(store, identity, code, Permission.SUPPLY_ORDER))


def materialise_standing(store: Store, who: User | None, first: date) -> list[int]:
    """Make the orders of every active standing order for the seven local days from ``first``
    (each once; instants already past are skipped); the new orders' ids, audited. Standing
    orders were agreed ahead, so the cut-off does not apply."""
    made = []
    for standing in _newest(store):
        site = store.sites.by_id(standing.site_id)
        if not standing.active or site is None:
            continue
        for instant in _instants(standing, site, first):
            done = store.session.scalars(
                select(Order.id).where(
                    Order.standing_order_id == _number(standing), Order.calibration_at == instant
                )
            ).first()
            if done is not None or instant <= store.now():
                continue
            row = Order(
                site_id=site.id, product_id=standing.product_id,
                activity_bq=standing.activity_bq, calibration_at=instant, status="ordered",
                standing_order_id=_number(standing), root_id=None, amends_id=None, reason=None,
                recorded_at=store.now(), recorded_by_id=who.id if who else None,
            )  # fmt: skip
            store.session.add(row)
            store.session.flush()
            audit_order(store, who, site, row, "supply_order.standing")
            made.append(row.id)
    return made


def materialise_week(database: Database, identity: Identity, producer_code: str) -> int:
    """The order desk makes the standing orders of the coming seven days (from the producer's
    local today); how many orders were made."""
    with transaction(database) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        today = store.now().astimezone(ZoneInfo(producer.time_zone)).date()
        return len(materialise_standing(store, actor(store, identity), today))
