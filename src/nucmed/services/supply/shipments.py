"""Shipments from a confirmed plan: the order desk packs and dispatches each package (classified
for transport with :mod:`nucmed.safety.transport` from the dose rates measured on it), marks it
in transit; the hospital names the shipment a hot-lab receipt came from, and a measured activity
that differs from the declared one (decayed to the measurement time) by more than the
receiving site's setting ``supply_discrepancy_percent`` (default 10 %) is flagged for both
sides.

Every step is an event row, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, Word, refusal
from nucmed.physics.decay import Activity
from nucmed.safety.transport import Content, classify_package
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import AtSite, NotFoundError, Permission, site_for
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material, ReceiptSurvey
from nucmed.store.models import Site, User
from nucmed.store.supply import Departure, Order, Product, Shipment, ShipmentEvent

__all__ = [
    "ShipmentView",
    "desk_shipments",
    "dispatch_shipment",
    "dispatched",
    "mark_in_transit",
    "receive_shipment",
    "shipments_of",
    "site_shipments",
]

_NEXT = {None: "dispatched", "dispatched": "in_transit"}
_WORDS = {
    "planned": N_("planned for shipment"),
    "dispatched": N_("dispatched"),
    "in_transit": N_("in transit"),
    "received": N_("received"),
}
"""A shipment's status as a refusal names it (translated where shown)."""


@dataclass(frozen=True, slots=True)
class ShipmentView:
    """A shipment as both sides see it: the package's order, destination, departure, activity
    dispatched (Bq, at departure), its latest status (``planned`` before dispatch) and, once
    received, the measured and expected activities (Bq) and whether they differ too much."""

    id: int
    order_number: int
    site_code: str
    product: str
    nuclide: str
    departure: str
    mode: str
    depart_at: datetime
    arrive_at: datetime
    ordered_bq: float
    calibration_at: datetime
    dispatched_bq: float
    decay_factor: float
    status: str
    package: dict[str, Any]
    measured_bq: float | None
    expected_bq: float | None
    discrepancy: bool


def _events(store: Store, shipment: Shipment) -> list[ShipmentEvent]:
    return list(
        store.session.scalars(
            select(ShipmentEvent)
            .where(ShipmentEvent.shipment_id == shipment.id)
            .order_by(ShipmentEvent.id)
        )
    )


def _view(store: Store, shipment: Shipment) -> ShipmentView:
    order = store.session.get(Order, shipment.order_id)
    departure = store.session.get(Departure, shipment.departure_id)
    site = store.sites.by_id(shipment.site_id)
    assert order is not None and departure is not None and site is not None  # foreign keys
    product = store.session.get(Product, order.product_id)
    assert product is not None
    events = _events(store, shipment)
    packed = next((e.details for e in events if e.status == "dispatched"), {})
    received = next((e for e in events if e.status == "received"), None)
    return ShipmentView(
        shipment.id, order.root_id or order.id, site.code, product.code, product.nuclide,
        departure.code, departure.mode, departure.depart_at, departure.arrive_at,
        order.activity_bq, order.calibration_at, shipment.dispatched_bq, shipment.decay_factor,
        events[-1].status if events else "planned", packed,
        received.measured_bq if received else None, received.expected_bq if received else None,
        bool(received and received.discrepancy),
    )  # fmt: skip


def shipments_of(store: Store, site: Site, *, producer: bool) -> tuple[ShipmentView, ...]:
    """The shipments from the producer ``site`` (``producer``) or to the department ``site``,
    by departure."""
    column = Shipment.producer_id if producer else Shipment.site_id
    rows = store.session.scalars(
        select(Shipment).where(column == site.id).order_by(Shipment.depart_at, Shipment.id)
    )
    return tuple(_view(store, row) for row in rows)


def desk_shipments(
    database: Database, identity: Identity, producer_code: str
) -> tuple[ShipmentView, ...]:
    """Every shipment of the producer, by departure (the order desk)."""
    with transaction(database, read_only=True) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        return shipments_of(store, producer, producer=True)


def site_shipments(database: Database, identity: Identity, code: str) -> tuple[ShipmentView, ...]:
    """The shipments to site ``code``, by departure (its radiopharmacist)."""
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        return shipments_of(store, site, producer=False)


def _shipment(store: Store, site: Site, shipment_id: int, *, producer: bool) -> Shipment:
    row = store.session.get(Shipment, shipment_id)
    owner = row.producer_id if producer and row else row.site_id if row else None
    if row is None or owner != site.id:
        raise NotFoundError(N_("no shipment {id}"), id=shipment_id)
    return row


def dispatched(
    store: Store, site: Site, shipment_id: int, *, producer: bool
) -> tuple[ShipmentView, ShipmentEvent]:
    """The shipment from the producer ``site`` (``producer``) or to the department ``site``, and
    its dispatch event (the package's classification and dose rates in ``details``).

    Raises
    ------
    NotFoundError
        No such shipment of the site.
    NucmedInputError
        The shipment is not dispatched yet.
    """
    shipment = _shipment(store, site, shipment_id, producer=producer)
    event = next((e for e in _events(store, shipment) if e.status == "dispatched"), None)
    if event is None:
        raise refusal(
            N_("shipment {id} is {status}; its transport document is made when it is dispatched"),
            id=shipment.id, status=Word(_WORDS["planned"]),
        )  # fmt: skip
    return _view(store, shipment), event


def _step(
    store: Store, who: User, at: tuple[Site, Shipment], status: str, details: dict[str, Any]
) -> None:
    site, shipment = at
    events = _events(store, shipment)
    last = events[-1].status if events else None
    if _NEXT.get(last) != status:
        raise refusal(
            N_("shipment {id} is {status}; it cannot become {wanted}"),
            id=shipment.id, status=Word(_WORDS[last or "planned"]), wanted=Word(_WORDS[status]),
        )  # fmt: skip
    store.session.add(
        ShipmentEvent(
            shipment_id=shipment.id, status=status, at=store.now(), details=details,
            material_id=None, measured_bq=None, expected_bq=None, discrepancy=False,
            recorded_at=store.now(), recorded_by_id=who.id,
        )
    )  # fmt: skip
    store.session.flush()
    record(store, who, Event(f"supply_shipment.{status}", "supply_shipment", shipment.id,
                             site_id=site.id, details=details))  # fmt: skip


def dispatch_shipment(
    database: Database, identity: Identity, at: AtSite, dose_rates_sv_per_s: tuple[float, float]
) -> dict[str, Any]:
    """Dispatch a planned shipment: classify its package (IAEA SSR-6 (2018), by
    :func:`nucmed.safety.transport.classify_package`) from the dose rates measured on it (at
    the surface and at 1 m, Sv/s) and its dispatched activity; the classification, audited.
    ``at``: the producer's code and the shipment's id.

    Raises
    ------
    NotFoundError
        No such shipment of the producer.
    NucmedInputError
        A dose rate out of range, a package that cannot be transported as measured, or a
        shipment already dispatched.
    """
    surface = bounds.DOSE_RATE.check(dose_rates_sv_per_s[0])
    one_metre = bounds.DOSE_RATE.check(dose_rates_sv_per_s[1])
    with transaction(database) as store:
        producer = site_for(store, identity, at.code, Permission.SUPPLY_DESK)
        shipment = _shipment(store, producer, at.id, producer=True)
        view = _view(store, shipment)
        classified = classify_package(
            [Content(view.nuclide, shipment.dispatched_bq)], surface, one_metre
        )
        details = classified.as_json() | {
            "surface_dose_rate_sv_per_s": surface,
            "one_metre_dose_rate_sv_per_s": one_metre,
        }
        _step(store, actor(store, identity), (producer, shipment), "dispatched", details)
        return details


def mark_in_transit(
    database: Database, identity: Identity, producer_code: str, shipment_id: int
) -> None:
    """Record that a dispatched shipment left with its carrier (audited).

    Raises
    ------
    NotFoundError
        No such shipment of the producer.
    NucmedInputError
        The shipment is not dispatched yet, or already further on.
    """
    with transaction(database) as store:
        producer = site_for(store, identity, producer_code, Permission.SUPPLY_DESK)
        shipment = _shipment(store, producer, shipment_id, producer=True)
        _step(store, actor(store, identity), (producer, shipment), "in_transit", {})


def _receipt(store: Store, site: Site, material_id: int, nuclide: str) -> ReceiptSurvey:
    material = store.session.get(Material, material_id)
    if material is None or material.site_id != site.id:
        raise NotFoundError(N_("no material {id}"), id=material_id)
    if material.nuclide != nuclide:
        raise refusal(
            N_("material {id} is {found}, the shipment carries {expected}"),
            id=material_id, found=material.nuclide, expected=nuclide,
        )  # fmt: skip
    survey = store.session.scalars(
        select(ReceiptSurvey).where(ReceiptSurvey.material_id == material.id)
    ).first()
    if survey is None or survey.measured_activity_bq is None:
        raise refusal(
            N_("material {id} has no receipt with a measured activity; record the receipt "
               "with the activity measured in the dose calibrator first"), id=material_id,
        )  # fmt: skip
    return survey


def receive_shipment(
    database: Database, identity: Identity, code: str, shipment_id: int, material_id: int
) -> bool:
    """Name the shipment a hot-lab receipt at site ``code`` came from; whether the measured
    activity differs from the declared one, decayed from departure to the measurement, by more
    than the site's ``supply_discrepancy_percent`` setting (then flagged for the hospital and
    the order desk).

    Raises
    ------
    NotFoundError
        No such shipment to the site, or no such material at the site.
    NucmedInputError
        The material is another nuclide or has no measured activity, or the shipment is
        already received or not dispatched.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SUPPLY_ORDER)
        shipment = _shipment(store, site, shipment_id, producer=False)
        view = _view(store, shipment)
        if view.status not in ("dispatched", "in_transit"):
            raise refusal(
                N_("shipment {id} is {status}; it cannot become {wanted}"),
                id=shipment.id, status=Word(_WORDS[view.status]), wanted=Word(_WORDS["received"]),
            )  # fmt: skip
        survey = _receipt(store, site, material_id, view.nuclide)
        measured = survey.measured_activity_bq
        assert measured is not None  # checked in _receipt
        declared = Activity.of(view.nuclide, shipment.dispatched_bq, shipment.depart_at)
        expected = declared.activity_at(survey.measured_at)
        limit = site_settings(store, site).supply_discrepancy
        flagged = abs(measured - expected) / expected > limit
        who = actor(store, identity)
        store.session.add(
            ShipmentEvent(
                shipment_id=shipment.id, status="received", at=survey.measured_at,
                details={"discrepancy_limit": limit},
                material_id=material_id, measured_bq=measured, expected_bq=expected,
                discrepancy=flagged, recorded_at=store.now(), recorded_by_id=who.id,
            )
        )  # fmt: skip
        store.session.flush()
        record(store, who, Event(
            "supply_shipment.received", "supply_shipment", shipment.id, site_id=site.id,
            details={"material_id": material_id, "measured_bq": measured,
                     "expected_bq": expected, "discrepancy": flagged,
                     "discrepancy_limit": limit},
        ))  # fmt: skip
        return flagged
