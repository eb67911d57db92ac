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

from nucmed.dosimetry.mird import elapsed_s
from nucmed.dosimetry.region_dose import RegionDose, region_dose
from nucmed.dosimetry.svalues import ORGANS
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import Site, User
from nucmed.store.therapy import TherapyCourse, TherapyCycle, TherapyMeasurement

__all__ = [
    "SEXES",
    "CycleAdministration",
    "CycleView",
    "DoseQuery",
    "MeasuredDose",
    "Measurements",
    "cycle_by_number",
    "cycle_view",
    "cycles_of",
    "measured_dose",
    "measurements_of",
    "record_administration",
    "record_cycle_administration",
    "record_measurements",
    "record_region_measurements",
    "region_dose_of",
    "region_name",
]


@dataclass(frozen=True, slots=True)
class CycleAdministration:
    """A cycle's administration: from the hot lab (``administration_id``), or typed."""

    number: int
    administration_id: int | None = None
    administered_at: datetime | None = None
    nuclide: str | None = None
    activity_bq: float | None = None
    late_entry_reason: str | None = None
    """Why a typed administration is entered more than the site's late-entry limit after it."""


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
        late = None  # the hot lab checked its time when it was recorded
    else:
        moment, nuclide, activity = _typed(given)
        late = check_event_time(store, site, moment, given.late_entry_reason)
    cycle = TherapyCycle(
        course_id=course.id,
        number=given.number,
        administration_id=given.administration_id,
        administered_at=moment,
        nuclide=nuclide,
        activity_bq=activity,
        recorded_at=store.now(),
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
    record_late_entry(store, actor, late, "therapy_course", course.id)
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
    late_entry_reason: str | None = None
    """Why the measurements are entered more than the site's late-entry limit after the last
    of them."""


def _same_region(name: str) -> str:
    """What two spellings of one region share: case, underscores and spaces aside."""
    return " ".join(name.replace("_", " ").split()).casefold()


def region_name(name: str) -> str:
    """A region as stored: an organ of the S-value table by its key (``Red marrow`` is
    ``red_marrow``), a tumour by its name as typed (spaces inside kept, ends trimmed).

    Examples
    --------
    >>> region_name(" Red marrow"), region_name("Очаг в печени 1 ")
    ('red_marrow', 'Очаг в печени 1')
    """
    organ = _same_region(name).replace(" ", "_")
    return organ if organ in ORGANS else " ".join(name.split())


def _stored_region(store: Store, cycle: TherapyCycle, name: str) -> str:
    """The region as stored after the cycle: the spelling it was first given, when ``name``
    differs from it only in case, underscores or spaces (a region stored before tumours kept
    their names as typed, ``liver_lesion_1``, is found as ``Liver lesion 1``), else
    :func:`region_name`."""
    region = region_name(name)
    stored = store.session.scalars(
        select(TherapyMeasurement.region).where(TherapyMeasurement.cycle_id == cycle.id).distinct()
    )
    wanted = _same_region(region)
    return next((known for known in stored if _same_region(known) == wanted), region)


def record_measurements(
    store: Store, actor: User, site: Site, cycle: TherapyCycle, given: Measurements
) -> list[TherapyMeasurement]:
    """Store the measurements of a region after the cycle's administration (audited). The
    set is entered when its last measurement is made: none may lie in the future, and a last
    one past the site's late-entry limit needs its reason (a late entry)."""
    region = _stored_region(store, cycle, given.region)
    if not region:
        raise refusal(N_("name the organ or tumour measured"))
    if len(given.moments) != len(given.activities_bq) or not given.moments:
        raise refusal(N_("give one activity for each time of measurement"))
    elapsed = elapsed_s(given.moments, cycle.administered_at)
    if (elapsed <= 0).any():
        raise refusal(N_("every measurement must be after the cycle's administration"))
    if not all(math.isfinite(a) and a > 0 for a in given.activities_bq):
        raise refusal(N_("a measured activity is above 0 Bq"))
    late = check_event_time(store, site, max(given.moments), given.late_entry_reason)
    now = store.now()
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
    record_late_entry(store, actor, late, "therapy_course", cycle.course_id)
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


SEXES = {"F": "female", "M": "male"}
"""The sexes of a patient record (HL7 v2 PID-8) that choose a reference adult's S-value."""


def _sex(store: Store, cycle: TherapyCycle, given: str | None) -> str | None:
    """The reference adult for the patient's organ S-values: the sex given (F or M), else the
    recorded one; None when neither is known (an organ's S-value then asks for it)."""
    if given and given.strip():
        code = given.strip().upper()[:1]
        if code not in SEXES:
            raise refusal(N_("the sex for an organ's S-value is F or M"))
        return SEXES[code]
    course = store.session.get(TherapyCourse, cycle.course_id)
    patient = store.session.get(Patient, course.patient_id) if course else None
    return SEXES.get(patient.sex or "") if patient is not None else None


def measured_dose(
    store: Store,
    cycle: TherapyCycle,
    region: str,
    fit_as: tuple[str, float | None] = ("mono", None),
    sex: str | None = None,
) -> RegionDose:
    """The region's absorbed dose from its stored measurements after the cycle (MIRD, by
    :func:`nucmed.dosimetry.region_dose.region_dose`).

    ``fit_as`` is the curve (:data:`~nucmed.dosimetry.region_dose.MODELS`) and the region's
    mass in kg (None: the reference organ). An organ takes the S-value of the reference adult of
    ``sex`` (``F`` or ``M``) when given, else of the patient's recorded sex; with neither, the
    patient's sex is asked for. Any other region with a mass is a tumour, a unit-density sphere.

    Raises
    ------
    NucmedInputError
        With too few measurements for the curve, activities that do not fit it, a region,
        nuclide or mass with no S-value, or an organ of a patient whose sex is not known.
    """
    rows = measurements_of(store, cycle, region)
    times = elapsed_s([row.measured_at for row in rows], cycle.administered_at)
    points = ([float(t) for t in times], [row.activity_bq for row in rows])
    return region_dose(cycle.nuclide, region, points, fit_as, _sex(store, cycle, sex))


# --------------------------------------------------------------------------- use cases


@dataclass(frozen=True, slots=True)
class DoseQuery:
    """Which region's dose to compute after which cycle: the curve (``model``), the region's
    mass in kg (None: the reference organ) and the sex of the reference adult (``F``/``M``;
    None: the patient's recorded sex)."""

    cycle: int
    region: str
    model: str = "mono"
    mass_kg: float | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class CycleView:
    """A cycle as the course page shows it."""

    id: int
    number: int
    administration_id: int | None
    administered_at: datetime
    nuclide: str
    activity_bq: float


def cycle_view(cycle: TherapyCycle) -> CycleView:
    """The view of a stored cycle."""
    return CycleView(
        cycle.id,
        cycle.number,
        cycle.administration_id,
        cycle.administered_at,
        cycle.nuclide,
        cycle.activity_bq,
    )


@dataclass(frozen=True, slots=True)
class MeasuredDose:
    """A region's dose after a cycle (:class:`~nucmed.dosimetry.region_dose.RegionDose`)."""

    cycle: CycleView
    region: str
    dose: RegionDose


def _course(
    store: Store, identity: Identity, course_id: int, permission: Permission
) -> tuple[Site, TherapyCourse]:
    return row_at_site(store, identity, TherapyCourse, course_id, permission)


def _numbered(store: Store, course: TherapyCourse, number: int) -> TherapyCycle:
    found = cycle_by_number(store, course, number)
    if found is None:
        raise refusal(N_("record cycle {number}'s administration first"), number=number)
    return found


def record_cycle_administration(
    database: Database, identity: Identity, course_id: int, given: CycleAdministration
) -> CycleView:
    """Record a cycle's administration in the course: the hot lab's, or typed (audited).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not record therapy at its site.
    NucmedInputError
        See :func:`record_administration`.
    """
    with transaction(database) as store:
        site, course = _course(store, identity, course_id, Permission.THERAPY_WRITE)
        row = record_administration(store, actor(store, identity), site, course, given)
        return cycle_view(row)


def record_region_measurements(
    database: Database, identity: Identity, course_id: int, given: Measurements, query: DoseQuery
) -> MeasuredDose:
    """Store a region's measurements after cycle ``query.cycle`` and return its dose (audited).

    The measurements and the dose are checked together: measurements from which no dose can be
    computed (fewer than 3, not falling, no S-value, no sex for an organ) are not stored.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not record therapy at its site.
    NucmedInputError
        No such cycle, bad measurements, or no dose from them (see :func:`measured_dose`).
    """
    with transaction(database) as store:
        site, course = _course(store, identity, course_id, Permission.THERAPY_WRITE)
        cycle = _numbered(store, course, query.cycle)
        rows = record_measurements(store, actor(store, identity), site, cycle, given)
        region = rows[0].region
        found = measured_dose(store, cycle, region, (query.model, query.mass_kg), query.sex)
        return MeasuredDose(cycle_view(cycle), region, found)


def region_dose_of(
    database: Database, identity: Identity, course_id: int, query: DoseQuery
) -> MeasuredDose:
    """A region's dose from its stored measurements after a cycle of the course (MIRD).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not read therapy courses at its site.
    NucmedInputError
        No such cycle, or no dose from the measurements (see :func:`measured_dose`).
    """
    with transaction(database, read_only=True) as store:
        _, course = _course(store, identity, course_id, Permission.THERAPY_READ)
        cycle = _numbered(store, course, query.cycle)
        region = _stored_region(store, cycle, query.region)
        found = measured_dose(store, cycle, region, (query.model, query.mass_kg), query.sex)
        return MeasuredDose(cycle_view(cycle), region, found)
