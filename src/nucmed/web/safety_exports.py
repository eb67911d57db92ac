"""The radiation safety records a regulator asks for, as XLSX and PDF, in the reader's
language: staff doses (each worker's sums for the year and the five years ending with it, and
every reading), surveys and wipe tests with their decontamination follow-up, sealed sources
and their leak tests, and waste ready for release.

Headings are translated and carry the unit (mSv, µSv/h, Bq/cm², MBq, Bq); times are in the
site's local time (the subtitle names the time zone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from nucmed import units
from nucmed.errors import N_
from nucmed.interop.tables import Cell, Sheet, render_tables_pdf, render_xlsx
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.safety.records import SafetyRecords, SurveyRow, read_records
from nucmed.web.deps import database, request_localizer, require
from nucmed.web.i18n import Localizer

__all__ = ["router"]

router = APIRouter()

Reader = Annotated[Identity, Depends(require(Permission.SAFETY_READ))]

_QUANTITIES = {
    "effective": N_("effective dose"),
    "lens": N_("lens of the eye"),
    "extremity": N_("extremities"),
    "skin": N_("skin"),
}
_MSV = units.SV_PER_MSV
_USV_H = units.SV_PER_USV / units.SECONDS_PER_HOUR
_BQ_CM2 = 1 / units.M_PER_CM**2


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment as the site's wall-clock time (naive, for the workbook)."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _h(loc: Localizer, text: str, **values: object) -> str:
    """A heading: ``text`` translated, then its fields filled (the unit already translated)."""
    return loc.message(text).format(**values)


def _yes(loc: Localizer, value: bool) -> str:
    return loc.message(N_("yes") if value else N_("no"))


def _doses(records: SafetyRecords, loc: Localizer) -> list[Sheet]:
    _ = loc.message
    year, msv = records.year, loc.message("mSv")
    sums = Sheet(
        _h(loc, N_("Staff doses {year}"), year=year),
        (_(N_("Staff number")), _(N_("Worker")),
         _h(loc, N_("Effective dose {year}, {unit}"), year=year, unit=msv),
         _h(loc, N_("Effective dose {first}–{year}, {unit}"), first=year - 4, year=year,
            unit=msv),
         _h(loc, N_("Lens of the eye {year}, {unit}"), year=year, unit=msv),
         _h(loc, N_("Extremities {year}, {unit}"), year=year, unit=msv)),
        tuple((w.staff_number, w.name, w.effective_year_sv / _MSV,
               w.effective_five_years_sv / _MSV, w.lens_year_sv / _MSV,
               w.extremity_year_sv / _MSV) for w in records.workers),
    )  # fmt: skip
    readings = Sheet(
        _(N_("Dosimeter readings")),
        (_(N_("Staff number")), _(N_("Worker")), _(N_("Dosimeter")), _(N_("Quantity")),
         _(N_("Period start")), _(N_("Period end")), _h(loc, N_("Dose, {unit}"), unit=msv)),
        tuple((w.staff_number, w.name, r.serial, _(_QUANTITIES.get(r.quantity, r.quantity)),
               r.period_start, r.period_end, r.dose_sv / _MSV)
              for w in records.workers for r in w.readings),
    )  # fmt: skip
    return [sums, readings]


def _survey_values(kind: str, value: float) -> tuple[Cell, Cell]:
    """(dose rate in µSv/h, wipe in Bq/cm²): the one the survey measured, the other empty."""
    return (value / _USV_H, None) if kind == "dose_rate" else (None, value / _BQ_CM2)


def _survey_row(survey: SurveyRow, zone: ZoneInfo, loc: Localizer) -> tuple[Cell, ...]:
    rate, wipe = _survey_values(survey.kind, survey.value)
    rate_level, wipe_level = _survey_values(survey.kind, survey.action_level)
    return (survey.area, _local(survey.measured_at, zone), rate, rate_level, wipe, wipe_level,
            _yes(loc, survey.over), _yes(loc, survey.open))  # fmt: skip


def _surveys(records: SafetyRecords, loc: Localizer) -> list[Sheet]:
    _ = loc.message
    zone = ZoneInfo(records.site.time_zone)
    rate = _h(loc, N_("Dose rate, {unit}"), unit=_("µSv/h"))
    wipe = _h(loc, N_("Wipe, {unit}"), unit=_("Bq/cm²"))
    level = _(N_("action level"))
    surveys = Sheet(
        _(N_("Surveys and wipe tests")),
        (
            _(N_("Area")),
            _(N_("Measured at")),
            rate,
            f"{rate} ({level})",
            wipe,
            f"{wipe} ({level})",
            _(N_("Above the action level")),
            _(N_("Follow-up open")),
        ),
        tuple(_survey_row(s, zone, loc) for s in records.surveys),
    )
    steps = Sheet(
        _(N_("Decontamination")),
        (_(N_("Area")), _(N_("Measured at")), _(N_("Recorded at")), _(N_("What was done")),
         _h(loc, N_("{heading} after it"), heading=rate),
         _h(loc, N_("{heading} after it"), heading=wipe),
         _(N_("Closes the follow-up"))),
        tuple((s.area, _local(s.measured_at, zone), _local(d.recorded_at, zone), d.action,
               *_survey_values(s.kind, d.value_after), _yes(loc, d.closes))
              for s in records.surveys for d in s.decontaminations),
    )  # fmt: skip
    return [surveys, steps]


def _sources(records: SafetyRecords, loc: Localizer) -> list[Sheet]:
    _ = loc.message
    zone = ZoneInfo(records.site.time_zone)
    sources = Sheet(
        _(N_("Sealed sources")),
        (_(N_("Nuclide")), _(N_("Serial number")),
         _h(loc, N_("Activity on the reference date, {unit}"), unit=_("MBq")),
         _(N_("Reference date")), _(N_("Leak-test interval, days"))),
        tuple((s.nuclide, s.serial, s.activity_bq / units.BQ_PER_MBQ, s.reference_date,
               s.interval_days) for s in records.sources),
    )  # fmt: skip
    tests = Sheet(
        _(N_("Leak tests")),
        (_(N_("Nuclide")), _(N_("Serial number")), _(N_("Tested on")),
         _h(loc, N_("Removable activity, {unit}"), unit=_("Bq")), _(N_("Passed"))),
        tuple((s.nuclide, s.serial, t.tested_on, t.removable_bq, _yes(loc, t.passed))
              for s in records.sources for t in s.tests),
    )  # fmt: skip
    waste = Sheet(
        _(N_("Waste ready for release")),
        (_(N_("Container")), _(N_("May be released since"))),
        tuple((w.label, _local(w.release_at, zone)) for w in records.waste),
    )
    return [sources, tests, waste]


def _sheets(records: SafetyRecords, loc: Localizer) -> list[Sheet]:
    return [*_doses(records, loc), *_surveys(records, loc), *_sources(records, loc)]


def _subtitle(records: SafetyRecords, loc: Localizer) -> str:
    site = records.site
    made = loc.moment(records.now, site.time_zone)
    return _h(loc, N_("{site}, {city} · made {moment} ({zone})"),
              site=site.name_in(loc.language), city=site.city_in(loc.language),
              moment=made, zone=site.time_zone)  # fmt: skip


@router.get("/sites/{code}/radiation-safety/records.xlsx", include_in_schema=False)
def records_xlsx(request: Request, code: str, identity: Reader) -> Response:
    """The site's radiation safety records as an XLSX workbook."""
    loc = request_localizer(request)
    records = read_records(database(request), identity, code)
    return Response(
        render_xlsx(_sheets(records, loc)),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="radiation-safety-{code}.xlsx"'},
    )


@router.get("/sites/{code}/radiation-safety/records.pdf", include_in_schema=False)
def records_pdf(request: Request, code: str, identity: Reader) -> Response:
    """The site's radiation safety records as a PDF."""
    loc = request_localizer(request)
    records = read_records(database(request), identity, code)
    title = _h(
        loc, N_("Radiation safety records: {site}"), site=records.site.name_in(loc.language)
    )
    pdf = render_tables_pdf(title, _subtitle(records, loc), _sheets(records, loc), loc.language)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="radiation-safety-{code}.pdf"'},
    )
