"""What the two supply pages show, each read in one transaction: a hospital's orders page (the
catalogue, its orders and standing orders, the shipments coming to it and the hot-lab receipts
they can be matched with) and the producer's order desk (the coming days' orders, the
shipments, the discrepancies found at receipt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.supply.catalogue import ProductView, product_view
from nucmed.services.supply.orders import OrderView, current_orders, order_view
from nucmed.services.supply.shipments import ShipmentView, shipments_of
from nucmed.services.supply.standing import StandingView, standing_views
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import Material, ReceiptSurvey
from nucmed.store.supply import Product, ShipmentEvent

__all__ = ["DeskPage", "OrdersPage", "ReceiptChoice", "desk_page", "orders_page"]

DESK_DAYS = 7
"""How many local days of incoming orders the order desk sees ahead (a week)."""
_RECEIPTS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class ReceiptChoice:
    """A hot-lab receipt with a measured activity that a shipment may be matched with."""

    material_id: int
    nuclide: str
    product: str
    measured_at: datetime


@dataclass(frozen=True, slots=True)
class OrdersPage:
    """A hospital's orders page."""

    site: SiteView
    now: datetime
    products: tuple[ProductView, ...]
    orders: tuple[OrderView, ...]
    standing: tuple[StandingView, ...]
    shipments: tuple[ShipmentView, ...]
    receipts: tuple[ReceiptChoice, ...]


@dataclass(frozen=True, slots=True)
class DeskPage:
    """The order desk: orders by local day from today, the shipments, the discrepancies."""

    site: SiteView
    now: datetime
    days: tuple[tuple[str, tuple[OrderView, ...]], ...]
    shipments: tuple[ShipmentView, ...]
    discrepancies: tuple[ShipmentView, ...]


def orders_page(database: Database, identity: Identity, code: str) -> OrdersPage:
    """The orders page of site ``code`` (its radiopharmacist)."""
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        products = store.session.scalars(select(Product).order_by(Product.code))
        matched = select(ShipmentEvent.material_id).where(ShipmentEvent.material_id.is_not(None))
        receipts = store.session.execute(
            select(Material, ReceiptSurvey)
            .join(ReceiptSurvey, ReceiptSurvey.material_id == Material.id)
            .where(Material.site_id == site.id, ReceiptSurvey.measured_activity_bq.is_not(None))
            .where(Material.id.not_in(matched))
            .order_by(ReceiptSurvey.measured_at.desc())
            .limit(_RECEIPTS_SHOWN)
        ).all()
        return OrdersPage(
            view_of_site(site), store.now(), tuple(product_view(p) for p in products),
            tuple(order_view(store, row) for row in current_orders(store, site=site)),
            standing_views(store, site), shipments_of(store, site, producer=False),
            tuple(ReceiptChoice(m.id, m.nuclide, m.product, r.measured_at) for m, r in receipts),
        )  # fmt: skip


def desk_page(database: Database, identity: Identity, producer_code: str) -> DeskPage:
    """The order desk of producer ``producer_code``: the orders with a calibration in the
    coming :data:`DESK_DAYS` local days, grouped by day (ISO date)."""
    with transaction(database, read_only=True) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        zone = ZoneInfo(producer.time_zone)
        today = store.now().astimezone(zone).date()
        start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
        rows = current_orders(store, start=start, end=start + timedelta(days=DESK_DAYS))
        grouped: dict[str, list[OrderView]] = {}
        for row in rows:
            day = row.calibration_at.astimezone(zone).date().isoformat()
            grouped.setdefault(day, []).append(order_view(store, row))
        shipped = shipments_of(store, producer, producer=True)
        return DeskPage(
            view_of_site(producer), store.now(),
            tuple((day, tuple(views)) for day, views in grouped.items()),
            shipped, tuple(view for view in shipped if view.discrepancy),
        )  # fmt: skip
