"""What needs the radiation safety officer at a site now: dose alerts not yet reviewed, surveys
above an action level whose follow-up is open, leak tests due and sealed sources that failed
one, packages in quarantine, waste ready for release, each worker's doses this year and
over five years, and the pregnancies declared with the dose to the embryo or fetus since.

The lists reuse the hot lab's own use cases: quarantined packages from
:mod:`nucmed.services.hotlab.quarantine`, waste release dates from
:mod:`nucmed.services.hotlab.waste`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.safety.staff_doses import FIVE_YEARS, Dose, five_year_total, year_total
from nucmed.services.auth import Identity
from nucmed.services.hotlab.quarantine import QuarantineRef, quarantined_at_site
from nucmed.services.hotlab.waste import containers
from nucmed.services.permissions import Permission, may, site_for
from nucmed.services.safety.dosimetry import current_readings, dose_limits
from nucmed.services.safety.pregnancy import PregnancyView, pregnancies_at_site
from nucmed.services.safety.sources import SourceDue, leak_tests_due
from nucmed.services.safety.workplace import FollowUp, open_follow_ups
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import DoseAlert, DoseAlertReview, Worker

__all__ = [
    "AlertView",
    "RsoDashboard",
    "WasteReady",
    "WorkerDoses",
    "read_dashboard",
    "safety_sites",
    "waste_ready",
    "workers_now",
]


@dataclass(frozen=True, slots=True)
class AlertView:
    """A dose alert not yet reviewed: the worker, what was passed (kind, quantity, year), the
    value and limit (Sv), where the limit is written, and when it was raised."""

    id: int
    worker: str
    staff_number: str
    kind: str
    quantity: str
    year: int
    value_sv: float
    limit_sv: float
    source: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class WasteReady:
    """A sealed waste container whose release date has come and that is not yet released."""

    id: int
    label: str
    release_at: datetime


@dataclass(frozen=True, slots=True)
class WorkerDoses:
    """A worker's effective dose this calendar year and over the five years ending with it,
    lens and extremity doses this year (Sv), with the limits they are read against."""

    name: str
    staff_number: str
    effective_year_sv: float
    effective_five_years_sv: float
    lens_year_sv: float
    extremity_year_sv: float


@dataclass(frozen=True, slots=True)
class RsoDashboard:
    """The radiation safety officer's dashboard of a site (see the module docstring)."""

    site: SiteView
    now: datetime
    year: int
    alerts: tuple[AlertView, ...]
    follow_ups: tuple[FollowUp, ...]
    sources: tuple[SourceDue, ...]
    packages: tuple[QuarantineRef, ...]
    waste: tuple[WasteReady, ...]
    workers: tuple[WorkerDoses, ...]
    effective_limit_five_years_sv: float
    may_work: bool
    pregnancies: tuple[PregnancyView, ...] = ()


def safety_sites(database: Database, identity: Identity) -> tuple[str, ...]:
    """The codes of the sites whose radiation safety the person may read."""
    with transaction(database, read_only=True) as store:
        return tuple(
            site.code
            for site in store.sites.all()
            if may(store, identity, site, Permission.SAFETY_READ)
        )


def workers_now(store: Store, site: Site) -> list[Worker]:
    """The site's workers as they are now (the newest row of each), active ones only."""
    rows = list(store.session.scalars(select(Worker).where(Worker.site_id == site.id)))
    corrected = {row.corrects_id for row in rows}
    return sorted(
        (row for row in rows if row.id not in corrected and row.active), key=lambda w: w.name
    )


def _open_alerts(store: Store, site: Site, workers: dict[int, Worker]) -> tuple[AlertView, ...]:
    reviewed = select(DoseAlertReview.alert_id)
    rows = store.session.scalars(
        select(DoseAlert)
        .where(DoseAlert.site_id == site.id, DoseAlert.id.not_in(reviewed))
        .order_by(DoseAlert.id)
    )
    views = []
    for row in rows:
        worker = workers.get(row.worker_id) or store.session.get(Worker, row.worker_id)
        name, number = (worker.name, worker.staff_number) if worker else ("", "")
        views.append(
            AlertView(
                row.id,
                name,
                number,
                row.kind,
                row.quantity,
                row.year,
                row.value_sv,
                row.limit_sv,
                row.source,
                row.raised_at,
            )
        )
    return tuple(views)


def _doses(store: Store, workers: list[Worker], year: int) -> tuple[WorkerDoses, ...]:
    readings = current_readings(store, [w.id for w in workers])
    views = []
    for worker in workers:
        doses = [
            Dose(r.quantity, r.period_end, r.dose_sv) for r in readings if r.worker_id == worker.id
        ]
        views.append(
            WorkerDoses(
                worker.name,
                worker.staff_number,
                year_total(doses, "effective", year),
                five_year_total(doses, "effective", year),
                year_total(doses, "lens", year),
                year_total(doses, "extremity", year),
            )
        )
    return tuple(views)


def waste_ready(store: Store, site: Site, now: datetime) -> tuple[WasteReady, ...]:
    return tuple(
        WasteReady(status.container.id, status.container.label, status.release_at)
        for status in containers(store, site)
        if status.release_at is not None and status.release_at <= now and not status.disposed
    )


def read_dashboard(database: Database, identity: Identity, code: str) -> RsoDashboard:
    """The radiation safety dashboard of site ``code``; ``may_work``: the reader is its
    radiation safety officer (may review alerts).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read its radiation safety.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SAFETY_READ)
        now = store.now()
        year = now.astimezone(ZoneInfo(site.time_zone)).year
        workers = workers_now(store, site)
        return RsoDashboard(
            view_of_site(site),
            now,
            year,
            _open_alerts(store, site, {w.id: w for w in workers}),
            open_follow_ups(store, site),
            leak_tests_due(store, site),
            quarantined_at_site(store, site),
            waste_ready(store, site, now),
            _doses(store, workers, year),
            FIVE_YEARS * dose_limits(store, site).effective_per_year_sv,
            may(store, identity, site, Permission.SAFETY_WORK),
            pregnancies_at_site(store, site, now.astimezone(ZoneInfo(site.time_zone)).date()),
        )
