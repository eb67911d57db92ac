"""The radiation safety officer's registers page: surveyed areas, surveys and wipe tests,
decontamination that closes a follow-up, sealed sources and their leak tests, workers, their
dosimeters, single dose readings and declared pregnancies. Each form calls one use case of
:mod:`nucmed.services.safety` (which opens the transaction, checks the permission and audits);
a refused form is shown again with the reasons beside its fields (422).

Users type values with their units (``10 µSv/h``, ``4 Bq/cm²``, ``7.4 MBq``, ``0.4 mSv``),
dates as ``2026-11-30`` and times in the site's local time.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from nucmed import units
from nucmed.errors import N_, Message, refusal
from nucmed.safety.staff_doses import DOSIMETER_KINDS
from nucmed.safety.workplace import SURVEY_KINDS
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission
from nucmed.services.safety import dosimetry, pregnancy, sources, workplace
from nucmed.services.safety.records import SafetyRecords, read_records
from nucmed.web.deps import database, require
from nucmed.web.forms import Errors, Form, act, local_time, posted, read
from nucmed.web.templating import render

__all__ = ["router"]

router = APIRouter()

Officer = Annotated[Identity, Depends(require(Permission.SAFETY_WORK))]
FIELDS: dict[str, tuple[str, ...]] = {
    "areas": ("name", "dose_rate", "wipe"),
    "surveys": ("area", "kind", "value", "measured_at"),
    "decontaminations": ("survey", "action", "value_after"),
    "sources": ("nuclide", "serial", "activity", "reference_date", "interval_days"),
    "leak-tests": ("source", "tested_on", "removable"),
    "workers": ("staff_number", "name"),
    "dosimeters": ("worker", "serial", "kind"),
    "readings": ("dosimeter", "period_start", "period_end", "dose"),
    "pregnancies": ("worker", "declared_on", "expected_on"),
}
_SURVEY_KINDS = {"dose_rate": N_("dose rate"), "wipe": N_("wipe test")}
_DOSIMETER_KINDS = {
    "whole_body": N_("whole body"), "eye": N_("eye (lens)"), "ring": N_("ring (extremity)"),
}  # fmt: skip
_WIPE = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(?:(?:Bq|Бк)/(?:cm|см)(?:²|2))?\s*$"
)


def _path(code: str) -> str:
    return f"/sites/{code}/radiation-safety/registers"


def _page(request: Request, identity: Identity, code: str,
          failed: tuple[str, Form, Errors] | None = None) -> HTMLResponse:  # fmt: skip
    records = read_records(database(request), identity, code)
    context = {
        "site": records.site,
        "records": records,
        "survey_kinds": _SURVEY_KINDS,
        "dosimeter_kinds": _DOSIMETER_KINDS,
        "form_key": failed[0] if failed else "",
        "form": failed[1] if failed else {},
        "errors": failed[2] if failed else {},
    }
    return render(request, "safety_registers.html", context, status_code=422 if failed else 200)


@router.get("/sites/{code}/radiation-safety/registers", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def registers_page(request: Request, code: str, identity: Officer) -> HTMLResponse:
    """The registers of the site's radiation safety, with a form for each kind of record."""
    return _page(request, identity, code)


def _wipe(text: str) -> float:
    """A wipe result typed in Bq/cm² (``4``, ``4 Bq/cm²``) in Bq/m²."""
    found = _WIPE.match(text)
    if found is None:
        raise refusal(N_("write the contamination in Bq/cm², e.g. 4 Bq/cm²"))
    return float(found.group(1).replace(",", ".")) / units.M_PER_CM**2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(N_("'{text}' is not a date; write e.g. 2026-11-30"), text=text) from None


def _number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise refusal(N_("choose one from the list")) from None


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise refusal(N_("'{text}' is not a whole number of days"), text=text) from None


def _required(errors: Errors, name: str, text: str) -> str:
    if not text.strip():
        errors[name] = Message.of(refusal(N_("this field is required")))
    return text.strip()


@dataclass(frozen=True, slots=True)
class _Context:
    """What a form's step needs: the database, the person, the site's records."""

    request: Request
    identity: Identity
    records: SafetyRecords

    def call(self, use: Callable[..., object], *args: object) -> None:
        use(database(self.request), self.identity, *args)


def _value(kind: str) -> Callable[[str], float]:
    return units.parse_dose_rate if kind == "dose_rate" else _wipe


def _areas(ctx: _Context, form: Form, errors: Errors) -> None:
    rate = read(errors, "dose_rate", units.parse_dose_rate, form["dose_rate"])
    wipe = read(errors, "wipe", _wipe, form["wipe"])
    if rate is not None and wipe is not None and not errors:
        given = workplace.AreaInput(form["name"], rate, wipe)
        ctx.call(workplace.define_area, ctx.records.site.code, given)


def _surveys(ctx: _Context, form: Form, errors: Errors) -> None:
    area = read(errors, "area", _number, form["area"])
    kind = form["kind"] if form["kind"] in SURVEY_KINDS else "dose_rate"
    if form["kind"] not in SURVEY_KINDS:
        errors["kind"] = Message.of(refusal(N_("choose one from the list")))
    value = read(errors, "value", _value(kind), form["value"])
    moment = read(errors, "measured_at", local_time(ctx.records.site.time_zone),
                  form["measured_at"])  # fmt: skip
    if area is not None and value is not None and moment is not None and not errors:
        ctx.call(workplace.record_survey, workplace.SurveyInput(area, kind, value, moment))


def _decontaminations(ctx: _Context, form: Form, errors: Errors) -> None:
    survey_id = read(errors, "survey", _number, form["survey"])
    survey = next((s for s in ctx.records.surveys if s.id == survey_id), None)
    kind = survey.kind if survey is not None else "dose_rate"
    action = _required(errors, "action", form["action"])
    value = read(errors, "value_after", _value(kind), form["value_after"])
    if survey_id is not None and value is not None and not errors:
        ctx.call(workplace.record_decontamination, survey_id, action, value)


def _sources(ctx: _Context, form: Form, errors: Errors) -> None:
    activity = read(errors, "activity", units.parse_activity, form["activity"])
    reference = read(errors, "reference_date", _day, form["reference_date"])
    interval = read(errors, "interval_days", _whole, form["interval_days"])
    if activity is None or reference is None or interval is None or errors:
        return
    given = sources.SourceInput(form["nuclide"].strip(), form["serial"], activity, reference,
                                interval)  # fmt: skip
    ctx.call(sources.register_source, ctx.records.site.code, given)


def _leak_tests(ctx: _Context, form: Form, errors: Errors) -> None:
    source = read(errors, "source", _number, form["source"])
    tested_on = read(errors, "tested_on", _day, form["tested_on"])
    removable = read(errors, "removable", units.parse_activity, form["removable"])
    if source is not None and tested_on is not None and removable is not None and not errors:
        ctx.call(sources.record_leak_test, source, tested_on, removable)


def _workers(ctx: _Context, form: Form, errors: Errors) -> None:
    ctx.call(dosimetry.register_worker, ctx.records.site.code, form["staff_number"],
             form["name"])  # fmt: skip


def _dosimeters(ctx: _Context, form: Form, errors: Errors) -> None:
    worker = read(errors, "worker", _number, form["worker"])
    if form["kind"] not in DOSIMETER_KINDS:
        errors["kind"] = Message.of(refusal(N_("choose one from the list")))
    if worker is not None and not errors:
        ctx.call(dosimetry.issue_dosimeter, worker, form["serial"], form["kind"])


def _readings(ctx: _Context, form: Form, errors: Errors) -> None:
    serial = _required(errors, "dosimeter", form["dosimeter"])
    start = read(errors, "period_start", _day, form["period_start"])
    end = read(errors, "period_end", _day, form["period_end"])
    dose = read(errors, "dose", units.parse_effective_dose, form["dose"])
    if start is None or end is None or dose is None or errors:
        return
    given = dosimetry.ReadingInput(serial, start, end, dose)
    ctx.call(dosimetry.record_reading, ctx.records.site.code, given)


def _pregnancies(ctx: _Context, form: Form, errors: Errors) -> None:
    worker = read(errors, "worker", _number, form["worker"])
    declared = read(errors, "declared_on", _day, form["declared_on"])
    expected = read(errors, "expected_on", _day, form["expected_on"])
    if worker is not None and declared is not None and expected is not None and not errors:
        ctx.call(pregnancy.declare_pregnancy, worker, declared, expected)


_STEPS: dict[str, Callable[[_Context, Form, Errors], None]] = {
    "areas": _areas, "surveys": _surveys, "decontaminations": _decontaminations,
    "sources": _sources, "leak-tests": _leak_tests, "workers": _workers,
    "dosimeters": _dosimeters, "readings": _readings, "pregnancies": _pregnancies,
}  # fmt: skip


def _act(request: Request, identity: Identity, code: str, kind: str, form: Form) -> Response:
    ctx = _Context(request, identity, read_records(database(request), identity, code))

    def step(form: Form, errors: Errors) -> None:
        _STEPS[kind](ctx, form, errors)

    def again(shown: tuple[str, Form, Errors]) -> Response:
        return _page(request, identity, code, shown)

    return act(kind, form, step, again, f"{_path(code)}#{kind}")


def _handler(kind: str) -> Callable[[Request, str, Identity], Awaitable[Response]]:
    """The POST handler of one form."""

    async def registers_post(request: Request, code: str, identity: Officer) -> Response:
        form = await posted(request, FIELDS[kind])
        return await run_in_threadpool(_act, request, identity, code, kind, form)

    registers_post.__doc__ = f"Record one entry of the register of {kind}."
    return registers_post


for _kind in FIELDS:
    router.add_api_route(f"/sites/{{code}}/radiation-safety/registers/{_kind}", _handler(_kind),
                         methods=["POST"], include_in_schema=False)  # fmt: skip
