"""The radiation safety records of a site as a regulator asks for them, and the choices the
officer's forms offer: the workers with their dosimeters, readings and dose sums (this year and
the five years ending with it), the surveyed areas, the surveys with their decontamination
follow-up, the sealed sources with their leak tests, and the waste ready for release.

Read only; the records are in SI (Sv, Sv/s, Bq/m², Bq) and UTC, the interfaces convert them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.safety.staff_doses import Dose, five_year_total, year_total
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, site_for
from nucmed.services.safety.dashboard import WasteReady, waste_ready, workers_now
from nucmed.services.safety.dosimetry import current_readings
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import (
    AreaSurvey,
    Decontamination,
    Dosimeter,
    LeakTest,
    SealedSource,
    SurveyArea,
    Worker,
)

__all__ = [
    "AreaRow",
    "DecontaminationRow",
    "LeakTestRow",
    "ReadingRow",
    "SafetyRecords",
    "SourceRow",
    "SurveyRow",
    "WorkerRow",
    "read_records",
]


@dataclass(frozen=True, slots=True)
class ReadingRow:
    """A dosimeter reading: serial, quantity, period and dose (Sv)."""

    serial: str
    quantity: str
    period_start: date
    period_end: date
    dose_sv: float


@dataclass(frozen=True, slots=True)
class WorkerRow:
    """A worker, her dosimeters (serial, kind), readings, and sums (Sv) for ``year``."""

    id: int
    staff_number: str
    name: str
    dosimeters: tuple[tuple[str, str], ...]
    readings: tuple[ReadingRow, ...]
    effective_year_sv: float
    effective_five_years_sv: float
    lens_year_sv: float
    extremity_year_sv: float


@dataclass(frozen=True, slots=True)
class AreaRow:
    """A surveyed area (the newest row of it) and its action levels (Sv/s, Bq/m²)."""

    id: int
    name: str
    dose_rate_action_sv_per_s: float
    wipe_action_bq_per_m2: float


@dataclass(frozen=True, slots=True)
class DecontaminationRow:
    """What was done about a survey, the value after it (SI) and whether that closed it."""

    recorded_at: datetime
    action: str
    value_after: float
    closes: bool


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """A survey: area, kind, value and action level (SI), time, and its follow-up."""

    id: int
    area: str
    kind: str
    value: float
    action_level: float
    over: bool
    measured_at: datetime
    decontaminations: tuple[DecontaminationRow, ...]

    @property
    def open(self) -> bool:
        """Above its level and not yet closed by a decontamination."""
        return self.over and not any(d.closes for d in self.decontaminations)


@dataclass(frozen=True, slots=True)
class LeakTestRow:
    """A leak test: the day, the removable activity (Bq), passed or not."""

    tested_on: date
    removable_bq: float
    passed: bool


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A sealed source with its leak tests, oldest first."""

    id: int
    nuclide: str
    serial: str
    activity_bq: float
    reference_date: date
    interval_days: int
    tests: tuple[LeakTestRow, ...]


@dataclass(frozen=True, slots=True)
class SafetyRecords:
    """The site's radiation safety records at ``now`` (``year``: its local calendar year)."""

    site: SiteView
    now: datetime
    year: int
    workers: tuple[WorkerRow, ...]
    areas: tuple[AreaRow, ...]
    surveys: tuple[SurveyRow, ...]
    sources: tuple[SourceRow, ...]
    waste: tuple[WasteReady, ...]


def _workers(store: Store, workers: Sequence[Worker], year: int) -> tuple[WorkerRow, ...]:
    readings = current_readings(store, [w.id for w in workers])
    dosimeters = list(
        store.session.scalars(
            select(Dosimeter).where(Dosimeter.worker_id.in_([w.id for w in workers]))
        )
    )
    serials = {d.id: d.serial for d in dosimeters}
    rows = []
    for worker in workers:
        own = [r for r in readings if r.worker_id == worker.id]
        doses = [Dose(r.quantity, r.period_end, r.dose_sv) for r in own]
        rows.append(
            WorkerRow(
                worker.id, worker.staff_number, worker.name,
                tuple((d.serial, d.kind) for d in dosimeters if d.worker_id == worker.id),
                tuple(ReadingRow(serials.get(r.dosimeter_id, ""), r.quantity, r.period_start,
                                 r.period_end, r.dose_sv) for r in own),
                year_total(doses, "effective", year), five_year_total(doses, "effective", year),
                year_total(doses, "lens", year), year_total(doses, "extremity", year),
            )
        )  # fmt: skip
    return tuple(rows)


def _areas(store: Store, site: Site) -> list[SurveyArea]:
    rows = list(store.session.scalars(select(SurveyArea).where(SurveyArea.site_id == site.id)))
    corrected = {row.corrects_id for row in rows}
    return sorted((row for row in rows if row.id not in corrected), key=lambda a: a.name)


def _area_rows(store: Store, site: Site) -> tuple[AreaRow, ...]:
    return tuple(
        AreaRow(a.id, a.name, a.dose_rate_action_sv_per_s, a.wipe_action_bq_per_m2)
        for a in _areas(store, site)
    )


def _surveys(store: Store, site: Site) -> tuple[SurveyRow, ...]:
    names = {
        a.id: a.name
        for a in store.session.scalars(select(SurveyArea).where(SurveyArea.site_id == site.id))
    }
    surveys = store.session.scalars(
        select(AreaSurvey)
        .where(AreaSurvey.site_id == site.id)
        .order_by(AreaSurvey.measured_at, AreaSurvey.id)
    )
    steps: dict[int, list[DecontaminationRow]] = {}
    for row in store.session.scalars(
        select(Decontamination)
        .where(Decontamination.site_id == site.id)
        .order_by(Decontamination.id)
    ):
        steps.setdefault(row.survey_id, []).append(
            DecontaminationRow(row.recorded_at, row.action, row.value_after, row.closes)
        )
    return tuple(
        SurveyRow(s.id, names.get(s.area_id, ""), s.kind, s.value, s.action_level, s.over,
                  s.measured_at, tuple(steps.get(s.id, ())))
        for s in surveys
    )  # fmt: skip


def _sources(store: Store, site: Site) -> tuple[SourceRow, ...]:
    tests: dict[int, list[LeakTestRow]] = {}
    for row in store.session.scalars(
        select(LeakTest)
        .where(LeakTest.site_id == site.id)
        .order_by(LeakTest.tested_on, LeakTest.id)
    ):
        tests.setdefault(row.source_id, []).append(
            LeakTestRow(row.tested_on, row.removable_bq, row.passed)
        )
    return tuple(
        SourceRow(s.id, s.nuclide, s.serial, s.activity_bq, s.reference_date,
                  s.leak_test_interval_days, tuple(tests.get(s.id, ())))
        for s in store.session.scalars(
            select(SealedSource).where(SealedSource.site_id == site.id).order_by(SealedSource.id)
        )
    )  # fmt: skip


def read_records(database: Database, identity: Identity, code: str) -> SafetyRecords:
    """The radiation safety records of site ``code`` (see the module docstring).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read its radiation safety.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SAFETY_READ)
        now = store.now()
        year = now.astimezone(ZoneInfo(site.time_zone)).year
        return SafetyRecords(
            view_of_site(site),
            now,
            year,
            _workers(store, workers_now(store, site), year),
            _area_rows(store, site),
            _surveys(store, site),
            _sources(store, site),
            waste_ready(store, site, now),
        )
