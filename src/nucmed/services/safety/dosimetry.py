"""Staff dosimetry: workers, their dosimeters, readings imported from the dosimetry service's
CSV report, the site's investigation levels, and dose alerts for the radiation safety officer.

A reading passes through :func:`nucmed.safety.staff_doses.alerts_for` against the worker's
earlier readings and the site's limits (its settings) and investigation level; each alert is
a row the dashboard lists until the radiation safety officer reviews it. A reading sent again
for the same dosimeter and period corrects the earlier one (a new row; only the newest counts).

CSV report: a header line ``serial,period_start,period_end,dose_msv`` (ISO dates, the dose in
mSv, with a decimal point), then one line per dosimeter and period.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nucmed import bounds, units
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.safety.staff_doses import QUANTITIES, Alert, Dose, DoseLimits, alerts_for, quantity_of
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, site_for
from nucmed.services.safety.pregnancy import embryo_alert
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import (
    DoseAlert,
    DoseAlertReview,
    DoseReading,
    Dosimeter,
    InvestigationLevel,
    Worker,
)

__all__ = [
    "CSV_COLUMNS",
    "Imported",
    "LevelInput",
    "ReadingInput",
    "current_readings",
    "dose_limits",
    "import_readings",
    "investigation_level",
    "issue_dosimeter",
    "record_reading",
    "register_worker",
    "review_alert",
    "set_investigation_level",
]

CSV_COLUMNS = ("serial", "period_start", "period_end", "dose_msv")
_TEXT_MAX = 4000


def register_worker(database: Database, identity: Identity, code: str, staff_number: str,
                    name: str) -> int:  # fmt: skip
    """Register a monitored worker at site ``code`` (audited); returns the worker's id."""
    number = bounds.check_text(N_("staff number"), staff_number.strip(), 32)
    full_name = bounds.check_text(N_("name"), name.strip(), 200)
    if not number or not full_name:
        raise refusal(N_("give the worker's staff number and name"))
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        who = actor(store, identity)
        row = Worker(site_id=site.id, staff_number=number, name=full_name, active=True,
                     recorded_at=store.now(), recorded_by_id=who.id)  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_worker.register", "safety_worker", row.id, site.id))
        return row.id


def issue_dosimeter(database: Database, identity: Identity, worker_id: int, serial: str,
                    kind: str) -> int:  # fmt: skip
    """Issue a dosimeter of ``kind`` (``whole_body``, ``eye``, ``ring``) to a worker (audited)."""
    quantity_of(kind)
    number = bounds.check_text(N_("serial number"), serial.strip(), 64)
    if not number:
        raise refusal(N_("give the dosimeter's serial number"))
    with transaction(database) as store:
        site, worker = row_at_site(store, identity, Worker, worker_id, Permission.SAFETY_WORK)
        if _dosimeter(store, site, number) is not None:
            raise refusal(N_("dosimeter {serial} is already issued"), serial=number)
        who = actor(store, identity)
        row = Dosimeter(site_id=site.id, worker_id=worker.id, serial=number, kind=kind,
                        issued_on=store.now().date(), recorded_at=store.now(),
                        recorded_by_id=who.id)  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_dosimeter.issue", "safety_dosimeter", row.id, site.id))
        return row.id


def _dosimeter(store: Store, site: Site, serial: str) -> Dosimeter | None:
    return store.session.scalars(
        select(Dosimeter).where(Dosimeter.site_id == site.id, Dosimeter.serial == serial)
    ).first()


@dataclass(frozen=True, slots=True)
class LevelInput:
    """An investigation level for one reading of ``quantity`` (Sv) and why it is set."""

    quantity: str
    level_sv: float
    reason: str


def set_investigation_level(database: Database, identity: Identity, code: str,
                            given: LevelInput) -> None:  # fmt: skip
    """Set the site's investigation level for one reading of a quantity (audited)."""
    quantity, level_sv, reason = given.quantity, given.level_sv, given.reason
    if quantity not in QUANTITIES:
        raise refusal(N_("the quantity must be one of {allowed}"), allowed=", ".join(QUANTITIES))
    level = bounds.EFFECTIVE_DOSE.check(level_sv)
    why = bounds.check_text(N_("reason"), reason.strip(), _TEXT_MAX)
    if not why:
        raise refusal(N_("give a reason for the investigation level"))
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        who = actor(store, identity)
        row = InvestigationLevel(site_id=site.id, quantity=quantity, level_sv=level, reason=why,
                                 recorded_at=store.now(), recorded_by_id=who.id)  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_level.set", "safety_level", row.id, site.id, why))


def investigation_level(store: Store, site: Site, quantity: str) -> float | None:
    """The site's investigation level for ``quantity`` now (Sv; None: none set)."""
    row = store.session.scalars(
        select(InvestigationLevel)
        .where(InvestigationLevel.site_id == site.id, InvestigationLevel.quantity == quantity)
        .order_by(InvestigationLevel.id.desc())
        .limit(1)
    ).first()
    return None if row is None else row.level_sv


def dose_limits(store: Store, site: Site) -> DoseLimits:
    """The site's occupational dose limits (its settings, Sv)."""
    settings = site_settings(store, site)
    return DoseLimits(
        settings.worker_effective_dose_limit_sv_per_y,
        settings.worker_effective_dose_single_year_max_sv,
        settings.worker_lens_dose_limit_sv_per_y,
        settings.worker_extremity_dose_limit_sv_per_y,
        settings.worker_skin_dose_limit_sv_per_y,
    )


def current_readings(store: Store, worker_ids: Sequence[int]) -> list[DoseReading]:
    """The readings of the workers that no later reading corrects, oldest period first."""
    rows = list(
        store.session.scalars(
            select(DoseReading)
            .where(DoseReading.worker_id.in_(worker_ids))
            .order_by(DoseReading.period_end, DoseReading.id)
        )
    )
    corrected = {row.corrects_id for row in rows}
    return [row for row in rows if row.id not in corrected]


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    serial: str
    period_start: date
    period_end: date
    dose_sv: float


def _date(text: str, line: int, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(
            N_("line {line}: {column} '{text}' is not a date; write e.g. 2026-11-30"),
            line=line, column=column, text=text,
        ) from None  # fmt: skip


def _line(number: int, row: dict[str | None, str], today: date) -> _Line:
    if None in row or any(row.get(column) is None for column in CSV_COLUMNS):
        raise refusal(
            N_("line {line}: write the 4 columns {columns} (a decimal point, not a comma)"),
            line=number, columns=",".join(CSV_COLUMNS),
        )  # fmt: skip
    start = _date(row["period_start"], number, "period_start")
    end = _date(row["period_end"], number, "period_end")
    if end < start or end > today:
        raise refusal(
            N_("line {line}: the period must end on or after its start and not after today"),
            line=number,
        )
    try:
        dose = units.parse_effective_dose(f"{row['dose_msv'].strip()} mSv")
    except NucmedInputError as error:
        raise NucmedInputError(
            parts=((N_("line {line}"), {"line": number}), *error.parts)
        ) from None
    return _Line(number, row["serial"].strip(), start, end, dose)


def _parse(text: str, today: date) -> list[_Line]:
    reader = csv.DictReader(io.StringIO(text.strip()))
    if tuple(name.strip() for name in reader.fieldnames or ()) != CSV_COLUMNS:
        raise refusal(N_("the first line must be {columns}"), columns=",".join(CSV_COLUMNS))
    lines = [_line(n, dict(row), today) for n, row in enumerate(reader, start=2)]
    if not lines:
        raise refusal(N_("the report has no readings"))
    return lines


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import stored: how many readings (of them corrections) and the alerts raised."""

    readings: int
    corrections: int
    alerts: tuple[Alert, ...]


def import_readings(database: Database, identity: Identity, code: str, text: str,
                    batch: str) -> Imported:  # fmt: skip
    """Import a dosimetry report (CSV, see the module docstring) at site ``code`` (audited).

    Raises
    ------
    NucmedInputError
        A bad header, date, period or dose, or a serial number not issued at the site (the
        message names the line); nothing is stored then.
    NotFoundError, AccessDeniedError
        No such site, or the person is not its radiation safety officer.
    """
    name = bounds.check_text(N_("batch"), batch.strip(), 64) or "csv"
    return _import(database, identity, code, lambda today: _parse(text, today), name)


@dataclass(frozen=True, slots=True)
class ReadingInput:
    """One reading typed in a form: the dosimeter's serial, the period's first and last day,
    and the dose (Sv)."""

    serial: str
    period_start: date
    period_end: date
    dose_sv: float


def record_reading(database: Database, identity: Identity, code: str,
                   given: ReadingInput) -> Imported:  # fmt: skip
    """Record one dosimeter reading typed in a form, with the same checks, corrections and
    alerts as an import (batch ``form``)."""
    dose = bounds.EFFECTIVE_DOSE.check(given.dose_sv)

    def lines(today: date) -> list[_Line]:
        if given.period_end < given.period_start or given.period_end > today:
            raise refusal(N_("the period must end on or after its start and not after today"))
        return [_Line(1, given.serial.strip(), given.period_start, given.period_end, dose)]

    return _import(database, identity, code, lines, "form")


def _import(database: Database, identity: Identity, code: str,
            read: Callable[[date], list[_Line]], name: str) -> Imported:  # fmt: skip
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        lines = sorted(read(store.now().date()), key=lambda line: line.period_end)
        who = actor(store, identity)
        limits, alerts, corrections = dose_limits(store, site), [], 0
        for line in lines:
            dosimeter = _dosimeter(store, site, line.serial)
            if dosimeter is None:
                raise refusal(N_("line {line}: no dosimeter {serial} is issued at this site"),
                              line=line.number, serial=line.serial)  # fmt: skip
            earlier = current_readings(store, [dosimeter.worker_id])
            replaced = next((r for r in earlier if r.dosimeter_id == dosimeter.id
                             and (r.period_start, r.period_end)
                             == (line.period_start, line.period_end)), None)  # fmt: skip
            corrections += replaced is not None
            reading = _store_reading(store, dosimeter, line, replaced, _Origin(name, who.id))
            doses = [_dose(r) for r in earlier if r is not replaced]
            level = investigation_level(store, site, reading.quantity)
            for alert in alerts_for(_dose(reading), doses, limits, level):
                _store_alert(store, site, reading, alert)
                alerts.append(alert)
            embryo = embryo_alert(store, site, reading)
            alerts.extend([] if embryo is None else [embryo])
        record(store, who, Event("safety_readings.import", "site", site.id, site.id,
                                 details={"batch": name, "readings": len(lines),
                                          "alerts": len(alerts)}))  # fmt: skip
        return Imported(len(lines), corrections, tuple(alerts))


def _dose(reading: DoseReading) -> Dose:
    return Dose(reading.quantity, reading.period_end, reading.dose_sv)


@dataclass(frozen=True, slots=True)
class _Origin:
    batch: str
    by_id: int


def _store_reading(store: Store, dosimeter: Dosimeter, line: _Line, replaced: DoseReading | None,
                   origin: _Origin) -> DoseReading:  # fmt: skip
    row = DoseReading(
        site_id=dosimeter.site_id, worker_id=dosimeter.worker_id, dosimeter_id=dosimeter.id,
        quantity=quantity_of(dosimeter.kind), period_start=line.period_start,
        period_end=line.period_end, dose_sv=line.dose_sv, batch=origin.batch,
        corrects_id=None if replaced is None else replaced.id, recorded_at=store.now(),
        recorded_by_id=origin.by_id,
    )  # fmt: skip
    store.session.add(row)
    store.session.flush()
    return row


def _store_alert(store: Store, site: Site, reading: DoseReading, alert: Alert) -> None:
    store.session.add(
        DoseAlert(
            site_id=site.id,
            worker_id=reading.worker_id,
            reading_id=reading.id,
            kind=alert.kind,
            quantity=alert.quantity,
            year=alert.year,
            value_sv=alert.value_sv,
            limit_sv=alert.limit_sv,
            source=alert.source,
            raised_at=store.now(),
        )
    )
    store.session.flush()


def review_alert(database: Database, identity: Identity, alert_id: int, note: str) -> None:
    """Close a dose alert with the radiation safety officer's review (audited).

    Raises
    ------
    NucmedInputError
        No note, or the alert is already reviewed.
    """
    text = bounds.check_text(N_("note"), note.strip(), _TEXT_MAX)
    if not text:
        raise refusal(N_("say what the review found and did"))
    with transaction(database) as store:
        site, alert = row_at_site(store, identity, DoseAlert, alert_id, Permission.SAFETY_WORK)
        reviewed = store.session.scalars(
            select(DoseAlertReview.id).where(DoseAlertReview.alert_id == alert.id)
        ).first()
        if reviewed is not None:
            raise refusal(N_("this alert is already reviewed"))
        who = actor(store, identity)
        review = DoseAlertReview(
            alert_id=alert.id, note=text, reviewed_at=store.now(), reviewed_by_id=who.id
        )
        store.session.add(review)
        record(store, who, Event("safety_alert.review", "safety_alert", alert.id, site.id, text))
