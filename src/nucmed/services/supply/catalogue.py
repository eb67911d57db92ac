"""The producer's catalogue and the rules an order must meet to be accepted: a product made on
the production weekdays, a calibration within the product's shelf life after a production day,
and an order placed before the cut-off of that production day.

Dates and weekdays are the producer's local ones (its site's time zone); instants are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.store.supply import Product

__all__ = [
    "WEEKDAYS",
    "ProductView",
    "check_orderable",
    "producer_of",
    "product_by_code",
    "product_view",
    "production_day",
]

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
"""The ISO weekdays 1 (Monday) to 7, as shown."""
_LOOK_BACK_DAYS = 7
"""How far back from the calibration date a production weekday is looked for."""


@dataclass(frozen=True, slots=True)
class ProductView:
    """A product as the order pages show it (activities in Bq, shelf life and cut-off in s)."""

    id: int
    code: str
    name: str
    nuclide: str
    form: str
    standard_activities_bq: tuple[float, ...]
    shelf_life_s: float
    production_weekdays: tuple[int, ...]
    cutoff_before_s: float
    source: str


def product_view(row: Product) -> ProductView:
    """The view of a catalogue row."""
    return ProductView(
        row.id, row.code, row.name, row.nuclide, row.form,
        tuple(row.standard_activities_bq), row.shelf_life_s,
        tuple(row.production_weekdays), row.cutoff_before_s, row.source,
    )  # fmt: skip


def product_by_code(store: Store, code: str) -> Product:
    """The catalogue product with that code (any producer).

    Raises
    ------
    NucmedInputError
        No product has that code (the message lists the codes).
    """
    rows = store.session.scalars(select(Product).order_by(Product.code)).all()
    for row in rows:
        if row.code == code.strip():
            return row
    raise refusal(
        N_("no product {code} in the catalogue; choose one of {allowed}"),
        code=code,
        allowed=", ".join(row.code for row in rows),
    )


def producer_of(store: Store, product: Product) -> Site:
    """The producer site that makes ``product``."""
    site = store.sites.by_id(product.producer_id)
    if site is None:  # a foreign key: cannot happen
        raise LookupError(f"product {product.code} has no producer")
    return site


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def production_day(product: Product, producer: Site, calibration_at: datetime) -> date:
    """The latest production day of ``product`` on or before the calibration date (producer's
    local calendar) whose start is within the shelf life before the calibration.

    Raises
    ------
    NucmedInputError
        No production day is within the shelf life before the calibration.
    """
    zone = ZoneInfo(producer.time_zone)
    local_day = calibration_at.astimezone(zone).date()
    for back in range(_LOOK_BACK_DAYS):
        day = local_day - timedelta(days=back)
        if day.isoweekday() in product.production_weekdays:
            made = _midnight(day, zone)
            if (calibration_at - made).total_seconds() <= product.shelf_life_s:
                return day
            break
    raise refusal(
        N_(
            "{product} is made on weekdays {days} (1 is Monday) and keeps {hours} h; no "
            "production day is within its shelf life before a calibration on {day}: choose "
            "another calibration day"
        ),
        product=product.code,
        days=", ".join(str(d) for d in sorted(product.production_weekdays)),
        hours=f"{product.shelf_life_s / 3600:.0f}",
        day=local_day.isoformat(),
    )


def check_orderable(
    store: Store, product: Product, calibration_at: datetime, now: datetime
) -> date:
    """Check that ``product`` may still be ordered for ``calibration_at``; its production day.

    Raises
    ------
    NucmedInputError
        The calibration is not in the future, no production day fits (see
        :func:`production_day`), or the production day's order cut-off has passed.
    """
    if calibration_at <= now:
        raise refusal(N_("the calibration time must be in the future"))
    producer = producer_of(store, product)
    day = production_day(product, producer, calibration_at)
    zone = ZoneInfo(producer.time_zone)
    cutoff = _midnight(day, zone) - timedelta(seconds=product.cutoff_before_s)
    if now > cutoff:
        raise refusal(
            N_(
                "orders of {product} for the production of {day} closed at {cutoff} (the "
                "producer's local time); choose a later calibration or call the order desk"
            ),
            product=product.code,
            day=day.isoformat(),
            cutoff=cutoff.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        )
    return day
