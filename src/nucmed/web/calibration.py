"""Dose calibrator pages and API: the site's calibrators, their QC history, a constancy trend
chart, and the forms and endpoints that register a calibrator and enter its QC.

AAPM TG-181 asks for constancy results to be followed on a chart; the chart is an SVG drawn on
the server (:func:`nucmed.web.charts.constancy_chart` places the points, the template draws
them), no script.
Every handler calls one use case of :mod:`nucmed.services.hotlab.calibrator_log`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.errors import NucmedInputError
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.auth import Identity
from nucmed.services.hotlab import calibrator_log as log
from nucmed.services.hotlab.calibrators import (
    AccuracyInput,
    CalibratorInput,
    ConstancyInput,
    GeometryInput,
)
from nucmed.services.permissions import AtSite, Permission
from nucmed.services.sites import site_view
from nucmed.services.uow import Database
from nucmed.web.api_types import RecordId
from nucmed.web.charts import constancy_chart
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act_on_post, local_time, read, typed_local
from nucmed.web.labels import N_
from nucmed.web.templating import render

__all__ = ["QC_TESTS", "router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.HOTLAB_READ))]
Worker = Annotated[Identity, Depends(require(Permission.HOTLAB_WORK))]

QC_TESTS = (N_("constancy"), N_("linearity"), N_("accuracy"), N_("geometry"))
"""The four calibrator tests, in the order the page shows them."""


# --------------------------------------------------------------------------- the page
Failed = tuple[str, Form, Errors]
"""A form shown again: its key, what was typed, the errors by field."""


def _page(
    request: Request, identity: Identity, code: str, failed: Failed | None = None
) -> Response:
    view = log.read_calibrators(database(request), identity, code)
    key, form, errors = failed or ("", {}, {})
    local_now = typed_local(view.at, view.site.time_zone)
    context = {
        "site": view.site,
        "calibrators": view.calibrators,
        "charts": {c.device.id: constancy_chart(c.history["constancy"]) for c in view.calibrators},
        "may_work": view.may_work,
        "now": view.at,
        "failed_key": key,
        "form": form,
        "errors": errors,
        "blank": {"measured_at": local_now},
        "tests": QC_TESTS,
    }
    return render(request, "calibrators.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/calibrators", response_class=HTMLResponse, include_in_schema=False)
def calibrators_page(request: Request, code: str, identity: Reader) -> Response:
    """The site's dose calibrators: QC history by test, constancy trend, forms to record QC."""
    return _page(request, identity, code)


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


def _timed_readings(
    when: Callable[[str], datetime],
) -> Callable[[str], list[tuple[datetime, float]]]:
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


# --------------------------------------------------------------------------- page actions
_ADD_FIELDS = (
    "name",
    "model",
    "serial",
    "check_nuclide",
    "check_activity",
    "check_reference_time",
)


@router.post("/sites/{code}/calibrators", include_in_schema=False)
async def add_post(request: Request, code: str, identity: Worker) -> Response:
    """Register a dose calibrator and its constancy check source."""
    db = database(request)

    def step(form: Form, errors: Errors) -> None:
        site = site_view(db, identity, code, Permission.HOTLAB_WORK)
        nuclide = read(errors, "check_nuclide", _nuclide, form["check_nuclide"])
        activity = read(errors, "check_activity", units.parse_activity, form["check_activity"])
        when = local_time(site.time_zone)
        certified = read(errors, "check_reference_time", when, form["check_reference_time"])
        if not form["name"].strip():
            errors["name"] = N_("give the calibrator a name")
        if errors or nuclide is None or activity is None or certified is None:
            return
        given = CalibratorInput(
            form["name"], form["model"], form["serial"], nuclide, activity, certified
        )
        log.register_calibrator(db, identity, code, given)

    return await act_on_post(
        request, _ADD_FIELDS, "add", step, _again(request, identity, code), _done(code)
    )


def _again(request: Request, identity: Identity, code: str) -> Callable[[Failed], Response]:
    return lambda failed: _page(request, identity, code, failed)


def _done(code: str) -> str:
    return f"/sites/{code}/calibrators"


QcStep = Callable[[Form, Errors, Callable[[str], datetime]], None]
"""Parse a QC form (times with the site's parser) and enter it."""

_LATE = "late_entry_reason"
"""Every QC form's field for the reason of a late entry (a test entered long after it)."""


def _late(form: Form) -> str | None:
    return form[_LATE] or None


def _constancy(db: Database, identity: Identity, where: AtSite) -> QcStep:
    def step(form: Form, errors: Errors, when: Callable[[str], datetime]) -> None:
        reading = read(errors, "reading", units.parse_activity, form["reading"])
        measured = read(errors, "measured_at", when, form["measured_at"])
        if reading is not None and measured is not None and not errors:
            given = ConstancyInput(reading, measured, _late(form))
            log.enter_constancy(db, identity, where, given)

    return step


def _linearity(db: Database, identity: Identity, where: AtSite) -> QcStep:
    def step(form: Form, errors: Errors, when: Callable[[str], datetime]) -> None:
        readings = read(errors, "readings", _timed_readings(when), form["readings"])
        if readings is not None:
            log.enter_linearity(db, identity, where, readings, _late(form))

    return step


def _accuracy(db: Database, identity: Identity, where: AtSite) -> QcStep:
    def step(form: Form, errors: Errors, when: Callable[[str], datetime]) -> None:
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
        given = AccuracyInput(source, readings, measured, _late(form))
        log.enter_accuracy(db, identity, where, given)

    return step


def _geometry(db: Database, identity: Identity, where: AtSite) -> QcStep:
    def step(form: Form, errors: Errors, when: Callable[[str], datetime]) -> None:
        reference = read(errors, "reference", units.parse_activity, form["reference"])
        measured = read(errors, "geometries", _labelled_readings, form["geometries"])
        at = read(errors, "measured_at", when, form["measured_at"])
        if errors or reference is None or measured is None or at is None:
            return
        given = GeometryInput(reference, measured, at, _late(form))
        log.enter_geometry(db, identity, where, given)

    return step


_QC_FORMS: dict[str, tuple[tuple[str, ...], Callable[..., QcStep]]] = {
    "constancy": (("reading", "measured_at"), _constancy),
    "linearity": (("readings",), _linearity),
    "accuracy": (
        ("source_nuclide", "source_activity", "source_time", "readings", "measured_at"),
        _accuracy,
    ),
    "geometry": (("reference", "geometries", "measured_at"), _geometry),
}


async def _qc(request: Request, identity: Identity, where: AtSite, test: str) -> Response:
    code, calibrator_id = where.code, where.id
    names, make = _QC_FORMS[test]
    names = (*names, _LATE)
    db = database(request)
    enter = make(db, identity, where)

    def step(form: Form, errors: Errors) -> None:
        site = log.calibrator_site(db, identity, code, calibrator_id)
        enter(form, errors, local_time(site.time_zone))

    key = f"{test}-{calibrator_id}"
    again = _again(request, identity, code)
    return await act_on_post(request, names, key, step, again, _done(code))


@router.post("/sites/{code}/calibrators/{calibrator_id}/constancy", include_in_schema=False)
async def constancy_post(
    request: Request, code: str, calibrator_id: RecordId, identity: Worker
) -> Response:
    """Record the daily constancy reading of the check source."""
    return await _qc(request, identity, AtSite(code, calibrator_id), "constancy")


@router.post("/sites/{code}/calibrators/{calibrator_id}/linearity", include_in_schema=False)
async def linearity_post(
    request: Request, code: str, calibrator_id: RecordId, identity: Worker
) -> Response:
    """Record a linearity test by the decay method (one line per reading)."""
    return await _qc(request, identity, AtSite(code, calibrator_id), "linearity")


@router.post("/sites/{code}/calibrators/{calibrator_id}/accuracy", include_in_schema=False)
async def accuracy_post(
    request: Request, code: str, calibrator_id: RecordId, identity: Worker
) -> Response:
    """Record an accuracy test with a reference source."""
    return await _qc(request, identity, AtSite(code, calibrator_id), "accuracy")


@router.post("/sites/{code}/calibrators/{calibrator_id}/geometry", include_in_schema=False)
async def geometry_post(
    request: Request, code: str, calibrator_id: RecordId, identity: Worker
) -> Response:
    """Record a geometry test: the reference reading and the readings in other geometries."""
    return await _qc(request, identity, AtSite(code, calibrator_id), "geometry")
