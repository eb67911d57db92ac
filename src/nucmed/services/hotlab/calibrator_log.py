"""The dose calibrators of a site and their QC log: what the calibrator page and the API show,
and the use cases that register a calibrator and enter its QC (AAPM TG-181: constancy daily,
linearity quarterly, accuracy yearly, geometry at installation).

Each use case opens its own transaction, checks the permission at the site
(:data:`~nucmed.services.permissions.Permission.HOTLAB_READ` to read,
:data:`~nucmed.services.permissions.Permission.HOTLAB_WORK` to record) and returns view values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from nucmed.errors import N_, NucmedInputError
from nucmed.services.auth import Identity, actor
from nucmed.services.hotlab import calibrators
from nucmed.services.permissions import AtSite, NotFoundError, Permission, may, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import CalibratorQc, DoseCalibrator
from nucmed.store.models import Site, User

__all__ = [
    "QC_TESTS",
    "CalibratorQcView",
    "CalibratorView",
    "CalibratorsView",
    "DeviceView",
    "calibrator_site",
    "enter_accuracy",
    "enter_constancy",
    "enter_geometry",
    "enter_linearity",
    "read_calibrators",
    "register_calibrator",
]

QC_TESTS = ("constancy", "linearity", "accuracy", "geometry")
"""The four calibrator tests, in the order the page shows them."""

_NO_FIT_S = 1e30
"""A fitted half-life at or above this (or not finite) means the fit found no decay."""


@dataclass(frozen=True, slots=True)
class DeviceView:
    """A calibrator and its constancy check source (certified activity in Bq at a time)."""

    id: int
    name: str
    model: str
    serial: str
    check_source_nuclide: str
    check_source_bq: float
    check_source_reference_time: datetime


@dataclass(frozen=True, slots=True)
class CalibratorQcView:
    """A QC result: the test, when, the verdict, the tolerance (fraction), what was read and
    what was found (JSON-safe: a non-finite number is None), the relative deviation of a
    constancy or accuracy result (0.02 = 2 %; 0 for the other tests) and a linearity test's
    fitted half-life (s; None when the test is not linearity or the fit found no decay)."""

    id: int
    test: str
    performed_at: datetime
    passes: bool
    tolerance: float
    readings: Mapping[str, Any]
    result: Mapping[str, Any]
    deviation: float
    fitted_half_life_s: float | None


@dataclass(frozen=True, slots=True)
class CalibratorView:
    """A calibrator with its check source now (Bq), its QC by test (oldest first), all of it
    (oldest first) and why it may not be used for dispensing now (None: it may)."""

    device: DeviceView
    check_now_bq: float
    history: Mapping[str, tuple[CalibratorQcView, ...]]
    qc: tuple[CalibratorQcView, ...]
    problem: str | None

    @property
    def usable_for_dispensing(self) -> bool:
        """True when today's constancy check exists and passed."""
        return self.problem is None


@dataclass(frozen=True, slots=True)
class CalibratorsView:
    """The site's calibrators at ``at``, and whether the person may record QC there."""

    site: SiteView
    at: datetime
    calibrators: tuple[CalibratorView, ...]
    may_work: bool


def _finite(value: Any) -> Any:
    """JSON-safe copy: non-finite floats (a free-fit half-life of ``inf``) become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _fitted_half_life_s(row: CalibratorQc) -> float | None:
    fitted = (row.result or {}).get("fitted_half_life_s") if row.test == "linearity" else None
    if not isinstance(fitted, int | float) or not math.isfinite(fitted) or fitted >= _NO_FIT_S:
        return None
    return float(fitted)


def _qc_view(row: CalibratorQc) -> CalibratorQcView:
    return CalibratorQcView(
        row.id,
        row.test,
        row.performed_at,
        row.passes,
        row.tolerance,
        _finite(row.readings),
        _finite(row.result),
        float((row.result or {}).get("deviation") or 0.0),
        _fitted_half_life_s(row),
    )


def _device_view(device: DoseCalibrator) -> DeviceView:
    return DeviceView(
        device.id,
        device.name,
        device.model,
        device.serial,
        device.check_source_nuclide,
        device.check_source_bq,
        device.check_source_reference_time,
    )


def _calibrator_view(
    store: Store, site: Site, device: DoseCalibrator, at: datetime
) -> CalibratorView:
    qc = tuple(_qc_view(row) for row in calibrators.qc_history(store, device))
    return CalibratorView(
        _device_view(device),
        calibrators.expected_check_bq(device, at),
        {test: tuple(r for r in qc if r.test == test) for test in QC_TESTS},
        qc,
        calibrators.constancy_problem(store, site, device, at),
    )


def read_calibrators(database: Database, identity: Identity, code: str) -> CalibratorsView:
    """The calibrators of site ``code`` now (by the clock), for a person who may read its hot
    lab.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read its hot lab.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        at = store.now()
        devices = store.session.scalars(
            select(DoseCalibrator)
            .where(DoseCalibrator.site_id == site.id)
            .order_by(DoseCalibrator.id)
        )
        return CalibratorsView(
            view_of_site(site),
            at,
            tuple(_calibrator_view(store, site, device, at) for device in devices),
            may(store, identity, site, Permission.HOTLAB_WORK),
        )


def register_calibrator(
    database: Database, identity: Identity, code: str, given: calibrators.CalibratorInput
) -> DeviceView:
    """Register a calibrator and its check source at site ``code`` (hot-lab work; audited).

    Raises
    ------
    NucmedInputError
        No name, unknown nuclide or a check source without a positive activity.
    NotFoundError, AccessDeniedError
        No such site, or the person may not work in its hot lab.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_WORK)
        return _device_view(calibrators.add_calibrator(store, actor(store, identity), site, given))


def _device(
    store: Store, identity: Identity, code: str, calibrator_id: int
) -> tuple[Site, DoseCalibrator]:
    site = site_for(store, identity, code, Permission.HOTLAB_WORK)
    try:
        return site, calibrators.get_calibrator(store, site, calibrator_id)
    except NucmedInputError:
        raise NotFoundError(
            N_("no dose calibrator {id} at {site}"), id=calibrator_id, site=site.code
        ) from None


def calibrator_site(
    database: Database, identity: Identity, code: str, calibrator_id: int
) -> SiteView:
    """The site of a calibrator, for a person who may record its QC there.

    Raises
    ------
    NotFoundError
        No such site, or no such calibrator at it.
    AccessDeniedError
        The person may not work in the site's hot lab.
    """
    with transaction(database, read_only=True) as store:
        site, _ = _device(store, identity, code, calibrator_id)
        return view_of_site(site)


_Record = Callable[[Store, User, DoseCalibrator], CalibratorQc]


def _enter(
    database: Database, identity: Identity, where: AtSite, record: _Record
) -> CalibratorQcView:
    code, calibrator_id = where.code, where.id
    with transaction(database) as store:
        _, device = _device(store, identity, code, calibrator_id)
        return _qc_view(record(store, actor(store, identity), device))


def enter_constancy(
    database: Database,
    identity: Identity,
    where: AtSite,
    given: calibrators.ConstancyInput,
) -> CalibratorQcView:
    """Record the daily constancy reading (Bq) of calibrator ``where``.

    Raises
    ------
    NucmedInputError
        A reading the physics refuses (not positive); a time in the future, or a late entry
        without its reason (:mod:`nucmed.services.event_times`).
    NotFoundError, AccessDeniedError
        No such site or calibrator, or the person may not work in the site's hot lab.
    """
    return _enter(
        database,
        identity,
        where,
        lambda store, actor, device: calibrators.record_constancy(store, actor, device, given),
    )


def enter_linearity(
    database: Database,
    identity: Identity,
    where: AtSite,
    readings: Sequence[tuple[datetime, float]],
    late_entry_reason: str | None = None,
) -> CalibratorQcView:
    """Record a linearity test by the decay method: (time, reading in Bq) pairs; the reason
    for a late entry when the last reading is past the site's late-entry limit.

    Raises
    ------
    NucmedInputError
        Too few readings, or readings the fit cannot use.
    NotFoundError, AccessDeniedError
        No such site or calibrator, or the person may not work in the site's hot lab.
    """
    return _enter(
        database,
        identity,
        where,
        lambda store, actor, device: calibrators.record_linearity(
            store, actor, device, readings, late_entry_reason
        ),
    )


def enter_accuracy(
    database: Database,
    identity: Identity,
    where: AtSite,
    given: calibrators.AccuracyInput,
) -> CalibratorQcView:
    """Record an accuracy test: repeated readings of a reference source.

    Raises
    ------
    NucmedInputError
        No readings, or readings the physics refuses.
    NotFoundError, AccessDeniedError
        No such site or calibrator, or the person may not work in the site's hot lab.
    """
    return _enter(
        database,
        identity,
        where,
        lambda store, actor, device: calibrators.record_accuracy(store, actor, device, given),
    )


def enter_geometry(
    database: Database,
    identity: Identity,
    where: AtSite,
    given: calibrators.GeometryInput,
) -> CalibratorQcView:
    """Record a geometry test: one activity read in the reference and in other geometries.

    Raises
    ------
    NucmedInputError
        No geometries, or readings the physics refuses.
    NotFoundError, AccessDeniedError
        No such site or calibrator, or the person may not work in the site's hot lab.
    """
    return _enter(
        database,
        identity,
        where,
        lambda store, actor, device: calibrators.record_geometry(store, actor, device, given),
    )
