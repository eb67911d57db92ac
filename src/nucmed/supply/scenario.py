"""The supply scenario: a producer, the sites it serves, its products, departures and orders.

A scenario comes as a mapping (a JSON object, see ``docs/supply-scenario.schema.json``):

- ``producer``: ``{"code", "name"?, "time_zone"?}``; the time zone (IANA name, default
  ``UTC``) decides the production day of a departure;
- ``sites``: ``[{"code", "name"?, "receiving_margin_min"?}]``; the margin (minutes, default 0)
  is the time a site needs between arrival and calibration;
- ``products``: ``[{"code", "nuclide", "shelf_life_h", "batch_capacity_bq"?,
  "production_days"?}]``; the capacity is the activity (at departure, Bq) one production day
  can dispatch; production days are weekday names (``mon`` … ``sun``), default every day;
- ``departures``: ``[{"id", "from", "to", "mode", "depart", "arrive",
  "accepts_radioactive", "cost"?}]``, one destination each, leaving from the producer;
- ``orders``: ``[{"id", "site", "product", "activity_bq", "calibration"}]``.

Date-times are ISO 8601 with an offset; inside they are UTC. A bad field is refused with a
message naming it (``orders[3].calibration: …``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nucmed.bounds import ACTIVITY, DURATION, check_text
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.units import parse_datetime

__all__ = [
    "MODES",
    "WEEKDAYS",
    "Departure",
    "Mode",
    "Order",
    "Producer",
    "Product",
    "Scenario",
    "ScenarioFieldError",
    "Site",
    "parse_scenario",
]

Mode = Literal["road", "air", "rail"]
MODES: tuple[str, ...] = get_args(Mode)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names of ``production_days``, Monday first (``datetime.weekday()`` order)."""

_SECONDS_PER_MINUTE = 60.0
_SECONDS_PER_HOUR = 3600.0
_MARGIN_MAX_MIN = 24 * 60
"""A receiving margin above a day is a typing error (a site unpacks within hours)."""
_SHELF_LIFE_MAX_H = 24 * 366
_COST_MAX = 1e12
_CODE_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Producer:
    """The producer: its code, name and the time zone of its production days."""

    code: str
    name: str
    time_zone: str


@dataclass(frozen=True, slots=True)
class Site:
    """A site that orders: its code, name and receiving margin (s) before calibration."""

    code: str
    name: str
    receiving_margin_s: float


@dataclass(frozen=True, slots=True)
class Product:
    """A product: nuclide, shelf life (s), capacity per production day (Bq) and weekdays."""

    code: str
    nuclide: str
    shelf_life_s: float
    batch_capacity_bq: float | None
    production_days: frozenset[int]


@dataclass(frozen=True, slots=True)
class Departure:
    """A scheduled departure from the producer to one site; moments in UTC."""

    id: str
    origin: str
    destination: str
    mode: str
    depart: datetime
    arrive: datetime
    accepts_radioactive: bool
    cost: float


@dataclass(frozen=True, slots=True)
class Order:
    """An order: activity (Bq) of a product wanted at the site's calibration time (UTC)."""

    id: str
    site: str
    product: str
    activity_bq: float
    calibration: datetime


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario, its parts checked against each other."""

    producer: Producer
    sites: Mapping[str, Site]
    products: Mapping[str, Product]
    departures: tuple[Departure, ...]
    orders: tuple[Order, ...]

    def production_day(self, moment: datetime) -> datetime:
        """Midnight (UTC) beginning the producer's local day that holds ``moment``."""
        zone = ZoneInfo(self.producer.time_zone)
        local = moment.astimezone(zone)
        start = datetime(local.year, local.month, local.day, tzinfo=zone)
        return start.astimezone(UTC)

    def order_index(self) -> Mapping[str, Order]:
        """The orders by id."""
        return {order.id: order for order in self.orders}

    def departure_index(self) -> Mapping[str, Departure]:
        """The departures by id."""
        return {departure.id: departure for departure in self.departures}

    def weekday(self, moment: datetime) -> int:
        """The producer's local weekday of ``moment`` (0 Monday … 6 Sunday)."""
        return moment.astimezone(ZoneInfo(self.producer.time_zone)).weekday()


class ScenarioFieldError(NucmedInputError):
    """A bad value of one scenario field: the field's path, then the message (whose
    translatable parts it keeps; ``option`` is where interfaces look for the path)."""

    def __init__(self, path: str, error: NucmedInputError) -> None:
        super().__init__(f"{path}: {error}", parts=error.parts)
        self.option = path


def _field(path: str, error: NucmedInputError) -> NucmedInputError:
    """The same error, its message prefixed by the field it concerns."""
    return ScenarioFieldError(path, error)


def _get(data: Mapping[str, object], key: str, path: str) -> object:
    if key not in data:
        raise refusal(N_("{field} is missing"), field=f"{path}.{key}" if path else key)
    return data[key]


def _object(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise refusal(N_("{field} must be a JSON object"), field=path)
    return value


def _list(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise refusal(N_("{field} must be a JSON list"), field=path)
    return value


def _text(data: Mapping[str, object], key: str, path: str, default: str | None = None) -> str:
    """The text under ``key``. A field is named by its path (``orders[3].site``): the file's
    own keys, codes its writer typed, never translated; a refusal's sentence around it is."""
    value = data.get(key, default) if default is not None else _get(data, key, path)
    if not isinstance(value, str) or not value.strip():
        raise refusal(N_("{field} must be a non-empty text"), field=f"{path}.{key}")
    try:
        return check_text(N_("text"), value.strip(), _CODE_LENGTH * 4)
    except NucmedInputError as error:
        raise _field(f"{path}.{key}", error) from None


def _number(data: Mapping[str, object], key: str, path: str, low: float, high: float) -> float:
    value = _get(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise refusal(
            N_("{field} must be a number from {low} to {high}; got {value}"),
            field=f"{path}.{key}",
            low=f"{low:g}",
            high=f"{high:g}",
            value=str(value)[:40],
        )
    return float(value)


def _moment(data: Mapping[str, object], key: str, path: str) -> datetime:
    value = _get(data, key, path)
    if not isinstance(value, str):
        raise refusal(
            N_("{field} must be an ISO 8601 date-time with offset"), field=f"{path}.{key}"
        )
    try:
        return parse_datetime(value)
    except NucmedInputError as error:
        raise _field(f"{path}.{key}", error) from None


def _producer(value: object) -> Producer:
    data = _object(value, "producer")
    zone = _text(data, "time_zone", "producer", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            N_("{field} must be an IANA time zone such as Asia/Almaty; got {value}"),
            field="producer.time_zone",
            value=zone[:40],
        ) from None
    code = _text(data, "code", "producer")
    return Producer(code, _text(data, "name", "producer", code), zone)


def _site(value: object, path: str) -> Site:
    data = _object(value, path)
    code = _text(data, "code", path)
    margin = 0.0
    if "receiving_margin_min" in data:
        margin = _number(data, "receiving_margin_min", path, 0.0, _MARGIN_MAX_MIN)
    return Site(code, _text(data, "name", path, code), margin * _SECONDS_PER_MINUTE)


def _days(data: Mapping[str, object], path: str) -> frozenset[int]:
    if "production_days" not in data:
        return frozenset(range(len(WEEKDAYS)))
    days = _list(data["production_days"], f"{path}.production_days")
    if not days or any(day not in WEEKDAYS for day in days):
        raise refusal(
            N_("{field} must list weekdays among {allowed}"),
            field=f"{path}.production_days",
            allowed=", ".join(WEEKDAYS),
        )
    return frozenset(WEEKDAYS.index(str(day)) for day in days)


def _product(value: object, path: str) -> Product:
    data = _object(value, path)
    nuclide = _text(data, "nuclide", path)
    try:
        canonical = get_nuclide(nuclide).name
    except NucmedInputError as error:
        raise _field(f"{path}.nuclide", error) from None
    shelf_h = _number(data, "shelf_life_h", path, 0.0, _SHELF_LIFE_MAX_H)
    if shelf_h <= 0:
        raise refusal(N_("{field} must be above 0"), field=f"{path}.shelf_life_h")
    capacity = None
    if "batch_capacity_bq" in data:
        capacity = _number(data, "batch_capacity_bq", path, 0.0, ACTIVITY.high)
    return Product(
        _text(data, "code", path), canonical, shelf_h * _SECONDS_PER_HOUR, capacity,
        _days(data, path),
    )  # fmt: skip


def _departure(value: object, path: str) -> Departure:
    data = _object(value, path)
    mode = _text(data, "mode", path)
    if mode not in MODES:
        raise refusal(
            N_("{field} must be one of {allowed}; got {value}"),
            field=f"{path}.mode",
            allowed=", ".join(MODES),
            value=mode[:40],
        )
    accepts = _get(data, "accepts_radioactive", path)
    if not isinstance(accepts, bool):
        raise refusal(N_("{field} must be true or false"), field=f"{path}.accepts_radioactive")
    depart, arrive = _moment(data, "depart", path), _moment(data, "arrive", path)
    if not timedelta(0) < arrive - depart <= timedelta(seconds=DURATION.high):
        raise refusal(N_("{field} must be after the departure"), field=f"{path}.arrive")
    cost = _number(data, "cost", path, 0.0, _COST_MAX) if "cost" in data else 0.0
    return Departure(
        _text(data, "id", path), _text(data, "from", path), _text(data, "to", path), mode,
        depart, arrive, accepts, cost,
    )  # fmt: skip


def _order(value: object, path: str) -> Order:
    data = _object(value, path)
    activity = _number(data, "activity_bq", path, 0.0, ACTIVITY.high)
    if activity <= 0:
        raise refusal(N_("{field} must be above 0"), field=f"{path}.activity_bq")
    return Order(
        _text(data, "id", path), _text(data, "site", path), _text(data, "product", path),
        activity, _moment(data, "calibration", path),
    )  # fmt: skip


def _unique(codes: Sequence[str], path: str) -> None:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            raise refusal(N_("{field} repeats {value}"), field=f"{path}[{index}]", value=code)
        seen.add(code)


def _known(value: str, known: Mapping[str, object], path: str) -> None:
    if value not in known:
        raise refusal(
            N_("{field} names {value}, which is not declared"), field=path, value=value[:64]
        )


def _cross_check(scenario: Scenario) -> None:
    for index, departure in enumerate(scenario.departures):
        path = f"departures[{index}]"
        if departure.origin != scenario.producer.code:
            raise refusal(
                N_("{field} must be the producer {value}"), field=f"{path}.from",
                value=scenario.producer.code,
            )  # fmt: skip
        _known(departure.destination, scenario.sites, f"{path}.to")
    for index, order in enumerate(scenario.orders):
        _known(order.site, scenario.sites, f"orders[{index}].site")
        _known(order.product, scenario.products, f"orders[{index}].product")


def _items(data: Mapping[str, object], key: str) -> Sequence[object]:
    return _list(_get(data, key, ""), key)


def parse_scenario(value: object) -> Scenario:
    """Read a scenario from a decoded JSON object (see the module docstring).

    Raises
    ------
    NucmedInputError
        A missing or malformed field, an unknown nuclide, site or product, a repeated code or
        id, a departure not from the producer or arriving before it leaves; the message names
        the field (``orders[3].calibration``).
    """
    data = _object(value, "scenario")
    sites = [_site(item, f"sites[{i}]") for i, item in enumerate(_items(data, "sites"))]
    products = [_product(p, f"products[{i}]") for i, p in enumerate(_items(data, "products"))]
    departures = [
        _departure(item, f"departures[{i}]") for i, item in enumerate(_items(data, "departures"))
    ]
    orders = [_order(item, f"orders[{i}]") for i, item in enumerate(_items(data, "orders"))]
    _unique([site.code for site in sites], "sites")
    _unique([product.code for product in products], "products")
    _unique([departure.id for departure in departures], "departures")
    _unique([order.id for order in orders], "orders")
    scenario = Scenario(
        _producer(_get(data, "producer", "")),
        {site.code: site for site in sites},
        {product.code: product for product in products},
        tuple(departures),
        tuple(orders),
    )
    _cross_check(scenario)
    return scenario
