"""Supply network tables: the producer's catalogue and departures, the hospitals' orders and
standing weekly orders, and the shipments made from a confirmed plan with their status events.
No business rules here.

Every table is append-only. An amended or cancelled order is a new row pointing at the row it
replaces (``amends_id``; all rows of one order share ``root_id``); a stopped standing order is a
new row (``active`` false) correcting the last; a shipment's status (dispatched, in transit,
received) is an event row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["Departure", "Order", "Product", "Shipment", "ShipmentEvent", "StandingOrder"]


class Product(Base):
    """A product of the producer's catalogue: its code, nuclide and form (``generator``,
    ``capsule``, ``solution``), the standard activities offered (Bq), the shelf life (s), the
    production weekdays (ISO 1 = Monday … 7) and the order cut-off: orders close this many
    seconds before the local midnight that starts the production day."""

    __tablename__ = "supply_products"
    __table_args__ = (Index("ix_supply_products_code", "producer_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    nuclide: Mapped[str] = mapped_column(String(16))
    form: Mapped[str] = mapped_column(String(16))
    standard_activities_bq: Mapped[list[float]] = mapped_column(JSON)
    shelf_life_s: Mapped[float] = mapped_column(Float)
    production_weekdays: Mapped[list[int]] = mapped_column(JSON)
    cutoff_before_s: Mapped[float] = mapped_column(Float)
    batch_capacity_bq: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class StandingOrder(Base):
    """A hospital's weekly order: the product and activity (Bq) at a calibration time of the
    site's local day (minutes after midnight) on an ISO weekday, from a date; stopping it is a
    new row (``active`` false) correcting the last."""

    __tablename__ = "supply_standing_orders"
    __table_args__ = (Index("ix_supply_standing_orders_site", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("supply_products.id"))
    activity_bq: Mapped[float] = mapped_column(Float)
    weekday: Mapped[int] = mapped_column(Integer)
    calibration_minute: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("supply_standing_orders.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Order(Base):
    """One version of a hospital's order: product, activity (Bq) wanted at the calibration
    instant at the hospital, and its ``status`` (``ordered`` or ``cancelled``). The first version
    has no ``root_id``; an amendment or cancellation is a new row with the first version's id
    in ``root_id`` and the version it replaces in ``amends_id``, with a reason."""

    __tablename__ = "supply_orders"
    __table_args__ = (
        Index("ix_supply_orders_site", "site_id", "calibration_at"),
        Index("ix_supply_orders_root", "root_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("supply_products.id"))
    activity_bq: Mapped[float] = mapped_column(Float)
    calibration_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    standing_order_id: Mapped[int | None] = mapped_column(ForeignKey("supply_standing_orders.id"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("supply_orders.id"))
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("supply_orders.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Departure(Base):
    """A scheduled departure of the producer's timetable: a truck, train or flight from a city
    to a destination site, its times (UTC), whether the carrier accepts radioactive goods
    (Class 7), its cost, and where the times come from."""

    __tablename__ = "supply_departures"
    __table_args__ = (Index("ix_supply_departures_depart", "producer_id", "depart_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    depart_at: Mapped[datetime]
    arrive_at: Mapped[datetime]
    accepts_radioactive: Mapped[bool] = mapped_column(Boolean)
    cost: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class Shipment(Base):
    """A package made when the order desk confirmed a plan: the order version it serves, the
    departure, and the activity to dispense (Bq) at departure, with the decay factor and the
    safety margin used."""

    __tablename__ = "supply_shipments"
    __table_args__ = (
        Index("ix_supply_shipments_site", "site_id"),
        Index("ix_supply_shipments_producer", "producer_id", "depart_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("supply_orders.id"))
    departure_id: Mapped[int] = mapped_column(ForeignKey("supply_departures.id"))
    depart_at: Mapped[datetime]
    dispatched_bq: Mapped[float] = mapped_column(Float)
    decay_factor: Mapped[float] = mapped_column(Float)
    margin_fraction: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ShipmentEvent(Base):
    """A step of a shipment: ``dispatched`` (with the package's transport classification in
    ``details``), ``in_transit``, or ``received`` (the hot-lab material it became, the measured
    and the declared activity decayed to the measurement time, in Bq, and whether they differ
    by more than the tolerance)."""

    __tablename__ = "supply_shipment_events"
    __table_args__ = (Index("ix_supply_shipment_events_shipment", "shipment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("supply_shipments.id"))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    measured_bq: Mapped[float | None] = mapped_column(Float)
    expected_bq: Mapped[float | None] = mapped_column(Float)
    discrepancy: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
