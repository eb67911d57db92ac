"""Dose calibrators and their QC (constancy, accuracy, linearity, geometry).

Dispensing needs a constancy check of the calibrator, passed, on the same local day at the
site; without it no dose is drawn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, select

from nucmed.errors import N_, refusal
from nucmed.physics import calibrator as qc
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.hotlab.materials import reason
from nucmed.services.uow import Store
from nucmed.store.hotlab import CalibratorQc, DoseCalibrator
from nucmed.store.models import Site, User

__all__ = [
    "AccuracyInput",
    "CalibratorInput",
    "ConstancyInput",
    "GeometryInput",
    "add_calibrator",
    "constancy_problem",
    "expected_check_bq",
    "get_calibrator",
    "qc_history",
    "record_accuracy",
    "record_constancy",
    "record_geometry",
    "record_linearity",
]


@dataclass(frozen=True, slots=True)
class CalibratorInput:
    """A calibrator and its long-lived constancy check source (activity at a time)."""

    name: str
    model: str
    serial: str
    check_nuclide: str
    check_activity_bq: float
    check_reference_time: datetime


def add_calibrator(
    store: Store, actor: User, site: Site, given: CalibratorInput
) -> DoseCalibrator:
    """Register a calibrator at a site (audited)."""
    if not given.name.strip():
        raise refusal(N_("give the calibrator a name"))
    if given.check_activity_bq <= 0:
        raise refusal(N_("the check source needs a positive certified activity"))
    row = DoseCalibrator(
        site_id=site.id,
        name=given.name.strip(),
        model=given.model.strip(),
        serial=given.serial.strip(),
        check_source_nuclide=get_nuclide(given.check_nuclide).name,
        check_source_bq=given.check_activity_bq,
        check_source_reference_time=given.check_reference_time,
        created_at=store.now(),
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "calibrator.add",
            "calibrator",
            row.id,
            site_id=site.id,
            details={"name": row.name, "serial": row.serial},
        ),
    )
    return row


def get_calibrator(store: Store, site: Site, calibrator_id: int) -> DoseCalibrator:
    """The calibrator of that id at that site, or a clear error."""
    row = store.session.get(DoseCalibrator, calibrator_id)
    if row is None or row.site_id != site.id:
        raise refusal(N_("no dose calibrator {id} at {site}"), id=calibrator_id, site=site.code)
    return row


def _jsonable(result: Any) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    data["tolerance"] = dataclasses.asdict(result.tolerance)
    return {
        key: [v.isoformat() if isinstance(v, datetime) else v for v in value]
        if isinstance(value, tuple)
        else value
        for key, value in data.items()
    }


@dataclass(frozen=True, slots=True)
class _Outcome:
    test: str
    readings: dict[str, Any]
    result: Any
    at: datetime
    late_entry_reason: str | None = None


def _save(store: Store, actor: User, device: DoseCalibrator, outcome: _Outcome) -> CalibratorQc:
    """Record a check made at ``outcome.at`` (an event time: not in the future; a late entry
    needs its reason and is audited as one)."""
    site = store.session.get_one(Site, device.site_id)
    late = check_event_time(store, site, outcome.at, outcome.late_entry_reason)
    result = outcome.result
    row = CalibratorQc(
        calibrator_id=device.id,
        test=outcome.test,
        performed_at=outcome.at,
        readings=outcome.readings,
        result=_jsonable(result),
        tolerance=result.tolerance.fraction,
        passes=result.passed,
        performed_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            f"calibrator_qc.{outcome.test}",
            "calibrator",
            device.id,
            site_id=device.site_id,
            details={"passes": result.passed, "qc_id": row.id},
        ),
    )
    record_late_entry(store, actor, late, "calibrator_qc", row.id)
    return row


def _check_source(device: DoseCalibrator) -> Activity:
    return Activity.of(
        device.check_source_nuclide, device.check_source_bq, device.check_source_reference_time
    )


def expected_check_bq(device: DoseCalibrator, at: datetime) -> float:
    """The check source's certified activity decayed to ``at`` (Bq)."""
    return _check_source(device).activity_at(at)


@dataclass(frozen=True, slots=True)
class ConstancyInput:
    """The check source's reading (Bq) at a time."""

    reading_bq: float
    measured_at: datetime
    late_entry_reason: str | None = None
    """Why the check is entered more than the site's late-entry limit after it was made."""


def record_constancy(
    store: Store, actor: User, device: DoseCalibrator, given: ConstancyInput
) -> CalibratorQc:
    """Daily constancy: the check source read against its decayed certified activity."""
    result = qc.evaluate_constancy(_check_source(device), given.reading_bq, given.measured_at)
    outcome = _Outcome(
        "constancy",
        {"reading_bq": given.reading_bq},
        result,
        given.measured_at,
        given.late_entry_reason,
    )
    return _save(store, actor, device, outcome)


@dataclass(frozen=True, slots=True)
class AccuracyInput:
    """Repeated readings (Bq) of a reference source (its certified activity) at a time."""

    source: Activity
    readings_bq: Sequence[float]
    measured_at: datetime
    late_entry_reason: str | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


def record_accuracy(
    store: Store, actor: User, device: DoseCalibrator, given: AccuracyInput
) -> CalibratorQc:
    """Accuracy with a reference source: mean of repeated readings against its activity."""
    result = qc.evaluate_accuracy(given.source, given.readings_bq, given.measured_at)
    readings = {
        "source": given.source.nuclide.name,
        "source_bq": given.source.activity_bq,
        "source_time": given.source.reference_time.isoformat(),
        "readings_bq": list(given.readings_bq),
    }
    outcome = _Outcome("accuracy", readings, result, given.measured_at, given.late_entry_reason)
    return _save(store, actor, device, outcome)


def record_linearity(
    store: Store,
    actor: User,
    device: DoseCalibrator,
    readings: Sequence[tuple[datetime, float]],
    late_entry_reason: str | None = None,
) -> CalibratorQc:
    """Linearity by the decay method (Tc-99m readings over about 60–72 h); the test is done
    at its last reading (a late entry when that is past the site's late-entry limit)."""
    result = qc.evaluate_linearity_decay(readings)
    data = {"readings": [[t.isoformat(), bq] for t, bq in readings]}
    last = max(t for t, _ in readings)
    return _save(
        store, actor, device, _Outcome("linearity", data, result, last, late_entry_reason)
    )


@dataclass(frozen=True, slots=True)
class GeometryInput:
    """One activity (Bq) read in the reference geometry and in others (label, Bq)."""

    reference_bq: float
    measured: Sequence[tuple[str, float]]
    at: datetime
    late_entry_reason: str | None = None
    """Why the test is entered more than the site's late-entry limit after it was made."""


def record_geometry(
    store: Store, actor: User, device: DoseCalibrator, given: GeometryInput
) -> CalibratorQc:
    """Geometry: the same activity in other volumes/containers; correction factors."""
    result = qc.evaluate_geometry(given.reference_bq, given.measured)
    data = {"reference_bq": given.reference_bq, "measured": [list(m) for m in given.measured]}
    outcome = _Outcome("geometry", data, result, given.at, given.late_entry_reason)
    return _save(store, actor, device, outcome)


def qc_history(
    store: Store, device: DoseCalibrator, test: str | None = None
) -> list[CalibratorQc]:
    """QC results of a calibrator, oldest first (optionally of one test)."""
    query = select(CalibratorQc).where(CalibratorQc.calibrator_id == device.id)
    if test is not None:
        query = query.where(CalibratorQc.test == test)
    return list(store.session.scalars(query.order_by(CalibratorQc.performed_at)))


def constancy_problem(
    store: Store, site: Site, device: DoseCalibrator, at: datetime
) -> str | None:
    """Why the calibrator may not be used for dispensing at ``at`` (None: it may).

    The newest constancy check of the site-local day of ``at`` must exist and have passed.
    The answer keeps its translatable parts (see :func:`~nucmed.services.hotlab.materials.reason`).
    """
    zone = ZoneInfo(site.time_zone)
    day = at.astimezone(zone).date()
    since = datetime.combine(day, time(), tzinfo=zone)
    given = {"device": device.id, "since": since, "at": at}
    passes = store.session.scalar(_newest_constancy_query(), given)
    if passes is None:
        return reason(
            N_("no constancy check of {calibrator} today ({day})"),
            calibrator=device.name,
            day=day.isoformat(),
        )
    if not passes:
        return reason(N_("today's constancy check of {calibrator} failed"), calibrator=device.name)
    return None


@cache
def _newest_constancy_query() -> Select[bool]:
    """Whether the newest constancy check of a calibrator (``device``) from ``since`` up to
    ``at`` passed (no row: none); of two at the same moment, the one entered last. One row
    read, however long the device's history (built once)."""
    return (
        select(CalibratorQc.passes)
        .where(
            CalibratorQc.calibrator_id == bindparam("device"),
            CalibratorQc.test == "constancy",
            CalibratorQc.performed_at >= bindparam("since"),
            CalibratorQc.performed_at <= bindparam("at"),
        )
        .order_by(CalibratorQc.performed_at.desc(), CalibratorQc.id.desc())
        .limit(1)
    )
