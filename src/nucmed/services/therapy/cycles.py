"""The cycles of a therapy course: each administration, the activities measured in organs and
tumours after it, and an organ's absorbed dose from them by the MIRD scheme.

A cycle's administration comes from the hot lab (an :class:`~nucmed.store.hotlab.Administration`
of the course's patient: its time, nuclide and net activity are taken as recorded) or is typed
when the radiopharmaceutical was given elsewhere. Measurements are stored as measured (not
decay-corrected); the dose is computed from them with time counted from the administration:
a fitted curve (mono- or bi-exponential, or trapezoids with a physical-decay tail) integrated
from the administration to infinity, times the self-dose S-value of the organ (scaled by its
mass) or of a tumour sphere, per MIRD Pamphlet 21 (Bolch et al., J Nucl Med 50:477, 2009).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed.dosimetry.mird import (
    FloatArray,
    TacFit,
    elapsed_s,
    fit_bi_exponential,
    fit_mono_exponential,
    trapezoid_with_tail,
)
from nucmed.dosimetry.svalues import ORGANS, SValue, organ_self_s_value, sphere_s_value
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, now_utc, record
from nucmed.services.uow import Store
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import Site, User
from nucmed.store.therapy import TherapyCourse, TherapyCycle, TherapyMeasurement

__all__ = [
    "MODELS",
    "CycleAdministration",
    "MeasuredDose",
    "Measurements",
    "cycle_by_number",
    "cycles_of",
    "measured_dose",
    "measurements_of",
    "record_administration",
    "record_measurements",
]


@dataclass(frozen=True, slots=True)
class CycleAdministration:
    """A cycle's administration: from the hot lab (``administration_id``), or typed."""

    number: int
    administration_id: int | None = None
    administered_at: datetime | None = None
    nuclide: str | None = None
    activity_bq: float | None = None


def _from_hot_lab(store: Store, course: TherapyCourse, administration_id: int) -> Administration:
    given = store.session.get(Administration, administration_id)
    if given is None or given.patient_id != course.patient_id or given.site_id != course.site_id:
        raise refusal(
            N_("administration {id} is not one of this patient's at this site"),
            id=administration_id,
        )
    taken = store.session.scalar(
        select(TherapyCycle).where(TherapyCycle.administration_id == administration_id)
    )
    if taken is not None:
        raise refusal(N_("administration {id} is already a cycle's"), id=administration_id)
    return given


def _typed(given: CycleAdministration) -> tuple[datetime, str, float]:
    if given.administered_at is None or given.nuclide is None or given.activity_bq is None:
        raise refusal(
            N_("give the hot lab's administration, or the time, nuclide and activity given")
        )
    if not (math.isfinite(given.activity_bq) and given.activity_bq > 0):
        raise refusal(N_("the activity given must be above 0 Bq"))
    return given.administered_at, get_nuclide(given.nuclide).name, given.activity_bq


def record_administration(
    store: Store, actor: User, site: Site, course: TherapyCourse, given: CycleAdministration
) -> TherapyCycle:
    """Record the administration of cycle ``given.number`` of the course (audited)."""
    if not 1 <= given.number <= course.planned_cycles:
        raise refusal(N_("the cycle is 1 to {most} in this course"), most=course.planned_cycles)
    if cycle_by_number(store, course, given.number) is not None:
        raise refusal(N_("cycle {number} is already recorded"), number=given.number)
    if given.administration_id is not None:
        row = _from_hot_lab(store, course, given.administration_id)
        moment, nuclide, activity = row.administered_at, row.nuclide, row.net_activity_bq
    else:
        moment, nuclide, activity = _typed(given)
    cycle = TherapyCycle(
        course_id=course.id,
        number=given.number,
        administration_id=given.administration_id,
        administered_at=moment,
        nuclide=nuclide,
        activity_bq=activity,
        recorded_at=now_utc(),
        recorded_by_id=actor.id,
    )
    store.session.add(cycle)
    store.session.flush()
    details = {"cycle": cycle.number, "nuclide": nuclide, "activity_bq": activity}
    record(
        store,
        actor,
        Event(
            "therapy.cycle_administration",
            "therapy_course",
            course.id,
            site_id=site.id,
            details=details,
        ),
    )
    return cycle


def cycles_of(store: Store, course: TherapyCourse) -> list[TherapyCycle]:
    """The course's cycles, by number."""
    return list(
        store.session.scalars(
            select(TherapyCycle)
            .where(TherapyCycle.course_id == course.id)
            .order_by(TherapyCycle.number)
        )
    )


def cycle_by_number(store: Store, course: TherapyCourse, number: int) -> TherapyCycle | None:
    """The course's cycle ``number``, if its administration is recorded."""
    return store.session.scalar(
        select(TherapyCycle).where(
            TherapyCycle.course_id == course.id, TherapyCycle.number == number
        )
    )


@dataclass(frozen=True, slots=True)
class Measurements:
    """Activities measured in one region (an organ or a named tumour) after a cycle."""

    region: str
    moments: Sequence[datetime]
    activities_bq: Sequence[float]
    method: str


def record_measurements(
    store: Store, actor: User, site: Site, cycle: TherapyCycle, given: Measurements
) -> list[TherapyMeasurement]:
    """Store the measurements of a region after the cycle's administration (audited)."""
    region = given.region.strip().lower().replace(" ", "_")
    if not region:
        raise refusal(N_("name the organ or tumour measured"))
    if len(given.moments) != len(given.activities_bq) or not given.moments:
        raise refusal(N_("give one activity for each time of measurement"))
    elapsed = elapsed_s(given.moments, cycle.administered_at)
    if (elapsed <= 0).any():
        raise refusal(N_("every measurement must be after the cycle's administration"))
    if not all(math.isfinite(a) and a > 0 for a in given.activities_bq):
        raise refusal(N_("a measured activity is above 0 Bq"))
    now = now_utc()
    rows = [
        TherapyMeasurement(
            cycle_id=cycle.id,
            region=region,
            measured_at=moment,
            activity_bq=activity,
            method=given.method.strip() or "not stated",
            recorded_at=now,
            recorded_by_id=actor.id,
        )
        for moment, activity in zip(given.moments, given.activities_bq, strict=True)
    ]
    store.session.add_all(rows)
    store.session.flush()
    details = {"cycle": cycle.number, "region": region, "count": len(rows)}
    record(
        store,
        actor,
        Event(
            "therapy.measurements",
            "therapy_course",
            cycle.course_id,
            site_id=site.id,
            details=details,
        ),
    )
    return rows


def measurements_of(store: Store, cycle: TherapyCycle, region: str) -> list[TherapyMeasurement]:
    """A region's measurements after the cycle, in time order."""
    return list(
        store.session.scalars(
            select(TherapyMeasurement)
            .where(TherapyMeasurement.cycle_id == cycle.id, TherapyMeasurement.region == region)
            .order_by(TherapyMeasurement.measured_at, TherapyMeasurement.id)
        )
    )


MODELS = ("mono", "bi_uptake", "bi_clearance", "trapezoid")
"""Time-activity models: mono-exponential; bi-exponential uptake and washout (3 parameters) or
two clearances (4); trapezoids with an uptake from zero and a physical-decay tail."""


@dataclass(frozen=True, slots=True)
class MeasuredDose:
    """A region's absorbed dose (Gy) in a cycle, with the fit, the points and the S-value."""

    absorbed_dose_gy: float
    fit: TacFit
    times_s: Sequence[float]
    activities_bq: Sequence[float]
    s_value: SValue


def _fit(model: str, times: FloatArray, activities: list[float], nuclide: str) -> TacFit:
    if model == "mono":
        return fit_mono_exponential(times, activities, nuclide=nuclide)
    if model == "bi_uptake":
        return fit_bi_exponential(times, activities, form="uptake", nuclide=nuclide)
    if model == "bi_clearance":
        return fit_bi_exponential(times, activities, form="clearance", nuclide=nuclide)
    if model == "trapezoid":
        return trapezoid_with_tail(times, activities, nuclide, origin="zero")
    raise refusal(N_("the curve is one of {models}"), models=", ".join(MODELS))


def _s_value(nuclide: str, region: str, mass_kg: float | None, sex: str) -> SValue:
    if region in ORGANS:
        return organ_self_s_value(nuclide, region, sex=sex, mass_kg=mass_kg)
    if mass_kg is None:
        raise refusal(
            N_(
                "{region} is not an organ of the S-value table: give its mass to treat it as a "
                "tumour (sphere)"
            ),
            region=region,
        )
    return sphere_s_value(nuclide, mass_kg)


def measured_dose(
    store: Store,
    cycle: TherapyCycle,
    region: str,
    fit_as: tuple[str, float | None] = ("mono", None),
) -> MeasuredDose:
    """The region's absorbed dose from its stored measurements after the cycle (MIRD).

    ``fit_as`` is the curve (:data:`MODELS`) and the region's mass in kg (None: the reference
    organ). An organ of :data:`~nucmed.dosimetry.svalues.ORGANS` takes the self-dose S-value of
    the patient's sex (male when not recorded), scaled by mass; any other region with a mass is
    a tumour, a unit-density sphere.

    Raises
    ------
    NucmedInputError
        With too few measurements for the curve, activities that do not fit it, or a region,
        nuclide or mass with no S-value.
    """
    model, mass_kg = fit_as
    rows = measurements_of(store, cycle, region)
    times = elapsed_s([row.measured_at for row in rows], cycle.administered_at)
    activities = [row.activity_bq for row in rows]
    fit = _fit(model, times, activities, cycle.nuclide)
    course = store.session.get(TherapyCourse, cycle.course_id)
    patient = store.session.get(Patient, course.patient_id) if course else None
    sex = "female" if patient is not None and patient.sex == "F" else "male"
    s_value = _s_value(cycle.nuclide, region, mass_kg, sex)
    return MeasuredDose(
        fit.tia_bq_s * s_value.s_gy_per_bq_s,
        fit,
        [float(t) for t in times],
        activities,
        s_value,
    )
