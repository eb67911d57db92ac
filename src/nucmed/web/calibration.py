"""Dose calibrator pages: the site's calibrators, their QC history, a constancy trend chart.

AAPM TG-181 asks for constancy results to be followed on a chart; the chart is an SVG drawn on
the server (:func:`constancy_chart` places the points, the template draws them), no script.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from nucmed import units
from nucmed.errors import NucmedInputError
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.auth import Identity
from nucmed.services.hotlab import calibrators
from nucmed.services.uow import Store, transaction
from nucmed.store.enums import Role
from nucmed.store.hotlab import CalibratorQc, DoseCalibrator
from nucmed.store.models import Site
from nucmed.web.deps import factory, require, site_for
from nucmed.web.forms import Action, Errors, Form, local_time, read, submit
from nucmed.web.hotlab import HOTLAB_READERS, HOTLAB_WORKERS
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["QC_TESTS", "ChartPoint", "TrendChart", "constancy_chart", "router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(*HOTLAB_READERS))]
Worker = Annotated[Identity, Depends(require(*HOTLAB_WORKERS))]

QC_TESTS = (N_("constancy"), N_("linearity"), N_("accuracy"), N_("geometry"))
"""The four calibrator tests, in the order the page shows them."""

T = TypeVar("T")


# --------------------------------------------------------------------------- trend chart
@dataclass(frozen=True, slots=True)
class ChartPoint:
    """A constancy result on the chart: position (SVG units), time, deviation (%), verdict."""

    x: float
    y: float
    at: datetime
    deviation_percent: float
    passes: bool


@dataclass(frozen=True, slots=True)
class TrendChart:
    """Where the template draws the constancy trend: plot box, band lines, points."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    limit_percent: float
    tolerance_percent: float
    upper_y: float
    zero_y: float
    lower_y: float
    points: tuple[ChartPoint, ...]

    @property
    def path(self) -> str:
        """The SVG polyline through the points, oldest first."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def constancy_chart(
    rows: Sequence[CalibratorQc], width: int = 640, height: int = 220
) -> TrendChart | None:
    """Place constancy results on a chart: x the time, y the deviation (%), ±tolerance band.

    The y axis is symmetric about 0 and shows at least 1.5 × the tolerance; None without rows.
    """
    if not rows:
        return None
    left, right, top, bottom = 56, width - 12, 12, height - 28
    tolerance = 100.0 * rows[-1].tolerance
    deviations = [100.0 * float(r.result["deviation"]) for r in rows]
    limit = max(1.5 * tolerance, 1.1 * max(abs(d) for d in deviations), 1.0)
    start, end = rows[0].performed_at, rows[-1].performed_at
    span = (end - start).total_seconds()

    def y_of(percent: float) -> float:
        return top + (limit - percent) / (2.0 * limit) * (bottom - top)

    def x_of(moment: datetime) -> float:
        if span <= 0:
            return (left + right) / 2.0
        pad = 10.0  # keep the first and last points off the frame
        return left + pad + (moment - start).total_seconds() / span * (right - left - 2 * pad)

    points = tuple(
        ChartPoint(x_of(r.performed_at), y_of(d), r.performed_at, d, r.passes)
        for r, d in zip(rows, deviations, strict=True)
    )
    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        limit_percent=limit,
        tolerance_percent=tolerance,
        upper_y=y_of(tolerance),
        zero_y=y_of(0.0),
        lower_y=y_of(-tolerance),
        points=points,
    )


# --------------------------------------------------------------------------- page views
@dataclass(frozen=True, slots=True)
class CalibratorView:
    """A calibrator with its QC by test, the trend chart and whether it may be used today."""

    device: DoseCalibrator
    check_now_bq: float
    history: dict[str, list[CalibratorQc]]
    chart: TrendChart | None
    problem: str | None


def _views(store: Store, site: Site, at: datetime) -> list[CalibratorView]:
    devices = store.session.scalars(
        select(DoseCalibrator).where(DoseCalibrator.site_id == site.id).order_by(DoseCalibrator.id)
    )
    views = []
    for device in devices:
        history = {test: calibrators.qc_history(store, device, test) for test in QC_TESTS}
        source = Activity.of(
            device.check_source_nuclide, device.check_source_bq, device.check_source_reference_time
        )
        views.append(
            CalibratorView(
                device,
                source.activity_at(at),
                history,
                constancy_chart(history["constancy"]),
                calibrators.constancy_problem(store, site, device, at),
            )
        )
    return views


def _page(
    request: Request,
    identity: Identity,
    code: str,
    failed: tuple[str, Form, Errors] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        views = _views(store, site, now)
        may_work = bool(store.users.roles_at(identity.user.id, site.id) & HOTLAB_WORKERS)
    key, form, errors = failed or ("", {}, {})
    local_now = now.astimezone(ZoneInfo(site.time_zone)).strftime("%Y-%m-%d %H:%M")
    context = {
        "site": site,
        "calibrators": views,
        "may_work": may_work,
        "now": now,
        "failed_key": key,
        "form": form,
        "errors": errors,
        "blank": {"measured_at": local_now},
        "tests": QC_TESTS,
    }
    return render(request, "calibrators.html", context, status_code=status_code)


def _page_again(
    request: Request, identity: Identity, code: str, failed: tuple[str, Form, Errors]
) -> Response:
    return _page(request, identity, code, failed, status_code=422)


@router.get("/sites/{code}/calibrators", response_class=HTMLResponse, include_in_schema=False)
def calibrators_page(request: Request, code: str, identity: Reader) -> HTMLResponse:
    """The site's dose calibrators: QC history by test, constancy trend, forms to record QC."""
    return _page(request, identity, code)


def _finite(value: Any) -> Any:
    """JSON-safe copy: non-finite floats (a free-fit half-life of ``inf``) become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _qc_json(row: CalibratorQc) -> dict[str, Any]:
    return {
        "id": row.id,
        "test": row.test,
        "performed_at": row.performed_at.isoformat(),
        "passes": row.passes,
        "tolerance": row.tolerance,
        "readings": _finite(row.readings),
        "result": _finite(row.result),
    }


@router.get("/api/sites/{code}/calibrators", tags=["hot lab"])
def calibrators_api(request: Request, code: str, identity: Reader) -> JSONResponse:
    """The site's calibrators, each with its QC results (oldest first) and today's status."""
    now = datetime.now(UTC)
    with transaction(factory(request)) as store:
        site = site_for(store, identity, code, HOTLAB_READERS)
        body = [
            {
                "id": v.device.id,
                "name": v.device.name,
                "model": v.device.model,
                "serial": v.device.serial,
                "check_source": {
                    "nuclide": v.device.check_source_nuclide,
                    "activity_bq": v.device.check_source_bq,
                    "reference_time": v.device.check_source_reference_time.isoformat(),
                    "activity_now_bq": v.check_now_bq,
                },
                "usable_for_dispensing": v.problem is None,
                "problem": v.problem,
                "qc": [_qc_json(r) for r in calibrators.qc_history(store, v.device)],
            }
            for v in _views(store, site, now)
        ]
    return JSONResponse({"site": site.code, "at": now.isoformat(), "calibrators": body})


# --------------------------------------------------------------------------- reading forms


def _nuclide(text: str) -> str:
    return get_nuclide(text.strip()).name


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _split(line: str, message: str) -> tuple[str, str]:
    first, sep, second = line.rpartition(";")
    if not sep or not first.strip() or not second.strip():
        raise NucmedInputError(message)
    return first.strip(), second.strip()


_LINEARITY_LINE = N_(
    "write one reading per line: date and time; activity, e.g. 2026-11-23 08:00; 25 GBq"
)
_GEOMETRY_LINE = N_("write one geometry per line: label; reading, e.g. syringe 3 mL; 104 MBq")
_NO_READINGS = N_("give at least one reading")


def _timed_readings(site: Site) -> Callable[[str], list[tuple[datetime, float]]]:
    when = local_time(site)

    def parse(text: str) -> list[tuple[datetime, float]]:
        pairs = [_split(line, _LINEARITY_LINE) for line in _lines(text)]
        if not pairs:
            raise NucmedInputError(_LINEARITY_LINE)
        return [(when(t), units.parse_activity(a)) for t, a in pairs]

    return parse


def _labelled_readings(text: str) -> list[tuple[str, float]]:
    pairs = [_split(line, _GEOMETRY_LINE) for line in _lines(text)]
    if not pairs:
        raise NucmedInputError(_GEOMETRY_LINE)
    return [(label, units.parse_activity(reading)) for label, reading in pairs]


def _readings(text: str) -> list[float]:
    parts = [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()]
    if not parts:
        raise NucmedInputError(_NO_READINGS)
    return [units.parse_activity(p) for p in parts]


# --------------------------------------------------------------------------- actions


def _device(store: Store, site: Site, calibrator_id: int) -> DoseCalibrator:
    try:
        return calibrators.get_calibrator(store, site, calibrator_id)
    except NucmedInputError:
        raise HTTPException(status_code=404, detail=f"no calibrator {calibrator_id}") from None


def _add(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
    nuclide = read(errors, "check_nuclide", _nuclide, form["check_nuclide"])
    activity = read(errors, "check_activity", units.parse_activity, form["check_activity"])
    when = read(errors, "check_reference_time", local_time(site), form["check_reference_time"])
    if not form["name"].strip():
        errors["name"] = N_("give the calibrator a name")
    if errors or nuclide is None or activity is None or when is None:
        return
    given = calibrators.CalibratorInput(
        form["name"], form["model"], form["serial"], nuclide, activity, when
    )
    calibrators.add_calibrator(store, store.session.merge(identity.user), site, given)


_ADD_FIELDS = (
    "name",
    "model",
    "serial",
    "check_nuclide",
    "check_activity",
    "check_reference_time",
)


def _here(code: str) -> tuple[str, frozenset[Role], str]:
    """Calibrator forms act at this site, for hot-lab workers, and return to the page."""
    return code, HOTLAB_WORKERS, f"/sites/{code}/calibrators"


@router.post("/sites/{code}/calibrators", include_in_schema=False)
async def add_post(request: Request, code: str, identity: Worker) -> Response:
    """Register a dose calibrator and its constancy check source."""
    return await submit(
        request,
        identity,
        _here(code),
        _ADD_FIELDS,
        ("add", _add, _page_again),
    )


def _constancy(calibrator_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        device = _device(store, site, calibrator_id)
        reading = read(errors, "reading", units.parse_activity, form["reading"])
        when = read(errors, "measured_at", local_time(site), form["measured_at"])
        if reading is not None and when is not None and not errors:
            actor = store.session.merge(identity.user)
            calibrators.record_constancy(store, actor, device, reading, when)

    return act


def _linearity(calibrator_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        device = _device(store, site, calibrator_id)
        readings = read(errors, "readings", _timed_readings(site), form["readings"])
        if readings is not None:
            actor = store.session.merge(identity.user)
            calibrators.record_linearity(store, actor, device, readings)

    return act


def _accuracy(calibrator_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        device = _device(store, site, calibrator_id)
        when = local_time(site)
        nuclide = read(errors, "source_nuclide", _nuclide, form["source_nuclide"])
        activity = read(errors, "source_activity", units.parse_activity, form["source_activity"])
        certified = read(errors, "source_time", when, form["source_time"])
        readings = read(errors, "readings", _readings, form["readings"])
        measured = read(errors, "measured_at", when, form["measured_at"])
        if errors or None in (nuclide, activity, certified, readings, measured):
            return
        assert nuclide is not None and activity is not None and certified is not None
        assert readings is not None and measured is not None
        source = Activity.of(nuclide, activity, certified)
        given = calibrators.AccuracyInput(source, readings, measured)
        calibrators.record_accuracy(store, store.session.merge(identity.user), device, given)

    return act


def _geometry(calibrator_id: int) -> Action:
    def act(store: Store, identity: Identity, site: Site, form: Form, errors: Errors) -> None:
        device = _device(store, site, calibrator_id)
        reference = read(errors, "reference", units.parse_activity, form["reference"])
        measured = read(errors, "geometries", _labelled_readings, form["geometries"])
        when = read(errors, "measured_at", local_time(site), form["measured_at"])
        if errors or reference is None or measured is None or when is None:
            return
        given = calibrators.GeometryInput(reference, measured, when)
        calibrators.record_geometry(store, store.session.merge(identity.user), device, given)

    return act


_QC_FORMS: dict[str, tuple[tuple[str, ...], Callable[[int], Action]]] = {
    "constancy": (("reading", "measured_at"), _constancy),
    "linearity": (("readings",), _linearity),
    "accuracy": (
        ("source_nuclide", "source_activity", "source_time", "readings", "measured_at"),
        _accuracy,
    ),
    "geometry": (("reference", "geometries", "measured_at"), _geometry),
}


async def _qc(
    request: Request, identity: Identity, code: str, test: str, calibrator_id: int
) -> Response:
    names, action = _QC_FORMS[test]
    key = f"{test}-{calibrator_id}"
    return await submit(
        request,
        identity,
        _here(code),
        names,
        (key, action(calibrator_id), _page_again),
    )


@router.post("/sites/{code}/calibrators/{calibrator_id}/constancy", include_in_schema=False)
async def constancy_post(
    request: Request, code: str, calibrator_id: int, identity: Worker
) -> Response:
    """Record the daily constancy reading of the check source."""
    return await _qc(request, identity, code, "constancy", calibrator_id)


@router.post("/sites/{code}/calibrators/{calibrator_id}/linearity", include_in_schema=False)
async def linearity_post(
    request: Request, code: str, calibrator_id: int, identity: Worker
) -> Response:
    """Record a linearity test by the decay method (one line per reading)."""
    return await _qc(request, identity, code, "linearity", calibrator_id)


@router.post("/sites/{code}/calibrators/{calibrator_id}/accuracy", include_in_schema=False)
async def accuracy_post(
    request: Request, code: str, calibrator_id: int, identity: Worker
) -> Response:
    """Record an accuracy test with a reference source."""
    return await _qc(request, identity, code, "accuracy", calibrator_id)


@router.post("/sites/{code}/calibrators/{calibrator_id}/geometry", include_in_schema=False)
async def geometry_post(
    request: Request, code: str, calibrator_id: int, identity: Worker
) -> Response:
    """Record a geometry test: the reference reading and the readings in other geometries."""
    return await _qc(request, identity, code, "geometry", calibrator_id)
