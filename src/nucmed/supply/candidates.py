"""Which departures can carry an order, and the activity each would need (decay outside the
solver).

For an order, a departure is a candidate when, in this order of checks (the first check that
leaves no departure is the reason an order cannot be served):

1. it goes to the order's site;
2. it arrives no later than the calibration time minus the site's receiving margin;
3. its carrier accepts radioactive goods (Class 7);
4. the product is within its shelf life at calibration (dispatch to calibration, the product
   being made on the day it leaves);
5. it leaves on one of the product's production days (the producer's local weekday);
6. the activity to dispatch fits a Type A package: :func:`nucmed.safety.transport.classify_package`
   (IAEA SSR-6, one order per package, liquid, not special form) does not make it Type B(U).
   Dose rates are not known before the package is made: they are checked when it is built.

The activity for each candidate is :func:`nucmed.supply.dispatch.dispatch_activity`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from nucmed.errors import N_, NucmedInputError
from nucmed.safety.transport import Content, classify_package
from nucmed.supply.dispatch import dispatch_activity
from nucmed.supply.scenario import Departure, Order, Scenario

__all__ = ["REASONS", "REASON_TEXT", "Candidate", "Reason", "candidates"]

Reason = Literal[
    "no_departure_to_site",
    "arrives_too_late",
    "carrier_refuses_class_7",
    "shelf_life",
    "no_production_day",
    "package_type_b",
    "capacity",
]
REASONS: tuple[str, ...] = get_args(Reason)
REASON_TEXT: dict[str, str] = {
    "no_departure_to_site": N_("no departure goes to the site"),
    "arrives_too_late": N_(
        "no departure arrives in time for the calibration (receiving margin included)"
    ),
    "carrier_refuses_class_7": N_(
        "the carriers that arrive in time refuse radioactive goods (Class 7)"
    ),
    "shelf_life": N_("the product would be past its shelf life at calibration"),
    "no_production_day": N_(
        "the product is not made on the days of the departures that could carry it"
    ),
    "package_type_b": N_(
        "the activity to dispatch exceeds the Type A limit (A2): it would need a Type B(U) package"
    ),
    "capacity": N_("the production capacity of the day is taken by other orders"),
}
"""What each reason means, for people (translated where it is shown)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A departure that can carry an order, and what it needs.

    Parameters
    ----------
    order, departure, product
        The order's id, the departure's id and the product's code.
    dispatched_bq
        Activity to dispatch at departure, margin included, in Bq.
    decay_factor
        Dispatched over ordered activity, margin excluded (≥ 1).
    production_day
        Midnight (UTC) beginning the producer's local day of the departure.
    package_type
        ``Excepted`` or ``Type A`` by activity (SSR-6).
    """

    order: str
    departure: str
    product: str
    dispatched_bq: float
    decay_factor: float
    production_day: datetime
    package_type: str


def _package_type(nuclide: str, activity_bq: float) -> str:
    """The package type by activity alone (dose rates are checked when the package is made)."""
    return classify_package([Content(nuclide, activity_bq)], 0.0, 0.0).package_type


def _checks(scenario: Scenario, order: Order) -> list[tuple[str, Callable[[Departure], bool]]]:
    site = scenario.sites[order.site]
    product = scenario.products[order.product]
    latest_arrival = order.calibration - timedelta(seconds=site.receiving_margin_s)
    shelf = timedelta(seconds=product.shelf_life_s)
    return [
        ("no_departure_to_site", lambda d: d.destination == order.site),
        ("arrives_too_late", lambda d: d.arrive <= latest_arrival),
        ("carrier_refuses_class_7", lambda d: d.accepts_radioactive),
        ("shelf_life", lambda d: order.calibration - d.depart <= shelf),
        ("no_production_day", lambda d: scenario.weekday(d.depart) in product.production_days),
    ]


def _candidate(
    scenario: Scenario, order: Order, departure: Departure, margin_fraction: float
) -> Candidate | None:
    """The candidate, or None when its package would be Type B(U) (or beyond any number)."""
    nuclide = scenario.products[order.product].nuclide
    try:
        needed = dispatch_activity(
            nuclide, order.activity_bq, order.calibration, departure.depart, margin_fraction
        )
    except NucmedInputError:  # beyond 1 PBq: no package could carry it
        return None
    package = _package_type(nuclide, needed.dispatched_bq)
    if package == "Type B(U)":
        return None
    return Candidate(
        order.id, departure.id, order.product, needed.dispatched_bq, needed.decay_factor,
        scenario.production_day(departure.depart), package,
    )  # fmt: skip


def candidates(
    scenario: Scenario,
    order: Order,
    margin_fraction: float = 0.0,
    departures: Iterable[Departure] | None = None,
) -> tuple[list[Candidate], str | None]:
    """The departures that can carry ``order``, or the reason none can.

    Parameters
    ----------
    scenario
        The scenario (sites, products, departures).
    order
        The order.
    margin_fraction
        Safety margin on the dispatched activity (0 to 1).
    departures
        The departures to consider (default: all of the scenario's).

    Returns
    -------
    tuple
        The candidates (by departure time) and None, or no candidate and the reason (one of
        :data:`REASONS`, see the module docstring for the order of the checks).
    """
    left = sorted(scenario.departures if departures is None else departures,
                  key=lambda d: (d.depart, d.id))  # fmt: skip
    for reason, keep in _checks(scenario, order):
        left = [departure for departure in left if keep(departure)]
        if not left:
            return [], reason
    found = [_candidate(scenario, order, departure, margin_fraction) for departure in left]
    kept = [candidate for candidate in found if candidate is not None]
    return (kept, None) if kept else ([], "package_type_b")
