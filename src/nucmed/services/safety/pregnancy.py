"""Declared pregnancies of workers and the dose to the embryo or fetus (the radiation safety
officer): record a declaration, estimate the dose since it from the whole-body readings
(:mod:`nucmed.safety.pregnancy`), and alert the officer when a reading takes it above 1 mSv,
as the other dose alerts do (a :class:`~nucmed.store.safety.DoseAlert` of kind
``embryo_limit``, listed on the dashboard until reviewed).

The site's "today" is its local calendar day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.safety.pregnancy import (
    EMBRYO_LIMIT_SOURCE,
    EMBRYO_LIMIT_SV,
    Pregnancy,
    Reading,
    check_pregnancy,
    crosses_limit,
    embryo_dose_sv,
)
from nucmed.safety.staff_doses import Alert
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import DoseAlert, DoseReading, PregnancyDeclaration, Worker

__all__ = [
    "EMBRYO_KIND",
    "PregnancyView",
    "declare_pregnancy",
    "embryo_alert",
    "pregnancies_at_site",
]

EMBRYO_KIND = "embryo_limit"
"""The kind of the dose alert raised when the embryo dose passes 1 mSv."""


def _current(store: Store, worker_id: int) -> PregnancyDeclaration | None:
    """The worker's newest declaration that no later row corrects (None: none)."""
    rows = list(
        store.session.scalars(
            select(PregnancyDeclaration)
            .where(PregnancyDeclaration.worker_id == worker_id)
            .order_by(PregnancyDeclaration.id)
        )
    )
    corrected = {row.corrects_id for row in rows}
    current = [row for row in rows if row.id not in corrected]
    return current[-1] if current else None


def _whole_body(store: Store, worker_id: int) -> list[DoseReading]:
    """The worker's effective-dose (whole-body Hp(10)) readings no later reading corrects."""
    rows = list(
        store.session.scalars(
            select(DoseReading)
            .where(DoseReading.worker_id == worker_id, DoseReading.quantity == "effective")
            .order_by(DoseReading.period_end, DoseReading.id)
        )
    )
    corrected = {row.corrects_id for row in rows}
    return [row for row in rows if row.id not in corrected]


def _reading(row: DoseReading) -> Reading:
    return Reading(row.period_start, row.period_end, row.dose_sv)


def _pregnancy(row: PregnancyDeclaration) -> Pregnancy:
    return Pregnancy(row.declared_on, row.expected_on)


def declare_pregnancy(database: Database, identity: Identity, worker_id: int,
                      declared_on: date, expected_on: date) -> int:  # fmt: skip
    """Record a worker's declared pregnancy (audited); a later declaration corrects the one
    before it. Returns the new row's id.

    When the readings already recorded since the declaration day pass 1 mSv, an
    ``embryo_limit`` alert is raised at once.

    Raises
    ------
    NucmedInputError
        A declaration after today, an expected date not after it or more than 44 weeks later.
    NotFoundError, AccessDeniedError
        No such worker, or the person is not the radiation safety officer of her site.
    """
    pregnancy = Pregnancy(declared_on, expected_on)
    with transaction(database) as store:
        site, worker = row_at_site(store, identity, Worker, worker_id, Permission.SAFETY_WORK)
        check_pregnancy(pregnancy, store.now().astimezone(ZoneInfo(site.time_zone)).date())
        earlier = _current(store, worker.id)
        who = actor(store, identity)
        row = PregnancyDeclaration(
            site_id=site.id, worker_id=worker.id, declared_on=declared_on,
            expected_on=expected_on, corrects_id=None if earlier is None else earlier.id,
            recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_pregnancy.declare", "safety_worker", worker.id,
                                 site.id, details={"declaration": row.id}))  # fmt: skip
        readings = _whole_body(store, worker.id)
        dose = embryo_dose_sv([_reading(r) for r in readings], pregnancy)
        if dose > EMBRYO_LIMIT_SV and readings:
            _store_alert(store, site, readings[-1], dose)
        return row.id


def _store_alert(store: Store, site: Site, reading: DoseReading, dose_sv: float) -> Alert:
    store.session.add(
        DoseAlert(
            site_id=site.id, worker_id=reading.worker_id, reading_id=reading.id,
            kind=EMBRYO_KIND, quantity="effective", year=reading.period_end.year,
            value_sv=dose_sv, limit_sv=EMBRYO_LIMIT_SV, source=EMBRYO_LIMIT_SOURCE,
            raised_at=store.now(),
        )
    )  # fmt: skip
    store.session.flush()
    year = reading.period_end.year
    return Alert(EMBRYO_KIND, "effective", year, dose_sv, EMBRYO_LIMIT_SV, EMBRYO_LIMIT_SOURCE)


def embryo_alert(store: Store, site: Site, reading: DoseReading) -> Alert | None:
    """Raise an ``embryo_limit`` alert if this new whole-body reading of a worker with a
    declared pregnancy takes the embryo dose above 1 mSv (called by the dosimetry import within
    its transaction); the alert raised, or None."""
    if reading.quantity != "effective":
        return None
    declaration = _current(store, reading.worker_id)
    if declaration is None:
        return None
    pregnancy = _pregnancy(declaration)
    earlier = [_reading(r) for r in _whole_body(store, reading.worker_id) if r.id != reading.id]
    if not crosses_limit(earlier, _reading(reading), pregnancy):
        return None
    dose = embryo_dose_sv([*earlier, _reading(reading)], pregnancy)
    return _store_alert(store, site, reading, dose)


@dataclass(frozen=True, slots=True)
class PregnancyView:
    """A worker's pregnancy in progress: the dates, the embryo dose so far and the limit (Sv)."""

    worker_id: int
    worker: str
    staff_number: str
    declared_on: date
    expected_on: date
    dose_sv: float
    limit_sv: float
    source: str

    @property
    def over(self) -> bool:
        """The estimate is above the limit."""
        return self.dose_sv > self.limit_sv


def pregnancies_at_site(store: Store, site: Site, today: date) -> tuple[PregnancyView, ...]:
    """The pregnancies declared at the site whose expected date is today or later."""
    worker_ids = store.session.scalars(
        select(PregnancyDeclaration.worker_id)
        .where(PregnancyDeclaration.site_id == site.id)
        .distinct()
    )
    views = []
    for worker_id in sorted(worker_ids):
        declaration, worker = _current(store, worker_id), store.session.get(Worker, worker_id)
        if declaration is None or worker is None or declaration.expected_on < today:
            continue
        readings = [_reading(r) for r in _whole_body(store, worker_id)]
        dose = embryo_dose_sv(readings, _pregnancy(declaration))
        views.append(
            PregnancyView(worker_id, worker.name, worker.staff_number, declaration.declared_on,
                          declaration.expected_on, dose, EMBRYO_LIMIT_SV, EMBRYO_LIMIT_SOURCE)
        )  # fmt: skip
    return tuple(views)
