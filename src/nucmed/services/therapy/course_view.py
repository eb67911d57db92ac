"""What a therapy course's page and record show: the organ totals against the limits (with the
over-limit flags), the cycles with the regions measured after each, the organ doses, and the
patient's hot-lab administrations not yet linked to a cycle."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed.dosimetry.region_dose import MODELS
from nucmed.dosimetry.release_iodine import CONDITIONS
from nucmed.dosimetry.svalues import ORGANS
from nucmed.services.auth import Identity
from nucmed.services.patients import CourseRow, PatientView, patient_view
from nucmed.services.permissions import Permission, may, row_at_site
from nucmed.services.site_defaults import effective_settings
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.therapy.courses import limits_for, organ_totals
from nucmed.services.therapy.cycles import cycles_of
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import Site
from nucmed.store.therapy import OrganDose, TherapyCourse, TherapyCycle, TherapyMeasurement

__all__ = [
    "AdministrationChoice",
    "CourseView",
    "CycleRow",
    "LimitRow",
    "OrganDoseRow",
    "RegionCount",
    "course_site",
    "read_course",
]


@dataclass(frozen=True, slots=True)
class LimitRow:
    """An organ's limit for the course (Gy), its source, the total so far and whether the total
    is over it (cumulative limits only: a per-treatment limit has no total)."""

    organ: str
    limit_gy: float
    cumulative: bool
    setting: str
    source: str
    so_far_gy: float | None
    over_limit: bool


@dataclass(frozen=True, slots=True)
class RegionCount:
    """A region measured after a cycle, and how many measurements it has."""

    region: str
    count: int


@dataclass(frozen=True, slots=True)
class CycleRow:
    """A cycle of the course and the regions measured after it."""

    id: int
    number: int
    administration_id: int | None
    administered_at: datetime
    nuclide: str
    activity_bq: float
    regions: tuple[RegionCount, ...]


@dataclass(frozen=True, slots=True)
class OrganDoseRow:
    """An organ's absorbed dose recorded for a cycle."""

    cycle: int
    organ: str
    absorbed_dose_gy: float
    method: str
    recorded_at: datetime
    override_reason: str | None


@dataclass(frozen=True, slots=True)
class AdministrationChoice:
    """A hot-lab administration of the patient that no cycle has taken yet."""

    id: int
    administered_at: datetime
    radiopharmaceutical: str
    net_activity_bq: float


@dataclass(frozen=True, slots=True)
class CourseView:
    """A therapy course as its page shows it; ``may_treat`` when the reader may record."""

    site: SiteView
    course: CourseRow
    patient: PatientView
    limits: tuple[LimitRow, ...]
    cycles: tuple[CycleRow, ...]
    organ_doses: tuple[OrganDoseRow, ...]
    unlinked: tuple[AdministrationChoice, ...]
    may_treat: bool
    models: tuple[str, ...] = MODELS
    organs: tuple[str, ...] = ORGANS
    i131_conditions: tuple[str, ...] = CONDITIONS


def _limits(store: Store, site: Site, course: TherapyCourse) -> tuple[LimitRow, ...]:
    totals = organ_totals(store, course)
    sources = effective_settings(store, site)
    rows = []
    for limit in limits_for(store, site, course.agent):
        so_far = totals.get(limit.organ, 0.0) if limit.cumulative else None
        over = so_far is not None and so_far > limit.limit_gy
        source = sources[limit.setting].source if limit.setting in sources else ""
        rows.append(
            LimitRow(
                limit.organ, limit.limit_gy, limit.cumulative, limit.setting, source, so_far, over
            )
        )
    return tuple(rows)


def _cycles(store: Store, course: TherapyCourse) -> tuple[CycleRow, ...]:
    given = cycles_of(store, course)
    counted: dict[int, Counter[str]] = {row.id: Counter() for row in given}
    found = store.session.scalars(
        select(TherapyMeasurement)
        .where(TherapyMeasurement.cycle_id.in_(list(counted)))
        .order_by(TherapyMeasurement.measured_at, TherapyMeasurement.id)
    )
    for row in found:
        counted[row.cycle_id][row.region] += 1
    return tuple(
        CycleRow(
            c.id,
            c.number,
            c.administration_id,
            c.administered_at,
            c.nuclide,
            c.activity_bq,
            tuple(RegionCount(region, count) for region, count in counted[c.id].items()),
        )
        for c in given
    )


def _organ_doses(store: Store, course: TherapyCourse) -> tuple[OrganDoseRow, ...]:
    rows = store.session.scalars(
        select(OrganDose)
        .where(OrganDose.course_id == course.id)
        .order_by(OrganDose.cycle, OrganDose.id)
    )
    return tuple(
        OrganDoseRow(
            d.cycle, d.organ, d.absorbed_dose_gy, d.method, d.recorded_at, d.override_reason
        )
        for d in rows
    )


def _unlinked(store: Store, course: TherapyCourse) -> tuple[AdministrationChoice, ...]:
    linked = select(TherapyCycle.administration_id).where(
        TherapyCycle.administration_id.is_not(None)
    )
    rows = store.session.scalars(
        select(Administration)
        .where(
            Administration.patient_id == course.patient_id,
            Administration.id.not_in(linked),
        )
        .order_by(Administration.administered_at)
    )
    return tuple(
        AdministrationChoice(a.id, a.administered_at, a.radiopharmaceutical, a.net_activity_bq)
        for a in rows
    )


def read_course(database: Database, identity: Identity, course_id: int) -> CourseView:
    """The course: limits and totals, cycles, organ doses, unlinked administrations.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not read therapy courses at its site.
    """
    with transaction(database, read_only=True) as store:
        site, course = row_at_site(
            store, identity, TherapyCourse, course_id, Permission.THERAPY_READ
        )
        patient = store.session.get(Patient, course.patient_id)
        if patient is None:  # pragma: no cover - a foreign key keeps the patient
            raise LookupError(f"course {course_id} has no patient")
        return CourseView(
            view_of_site(site),
            CourseRow(
                course.id,
                course.started_at,
                course.agent,
                course.indication,
                course.planned_cycles,
            ),
            patient_view(patient),
            _limits(store, site, course),
            _cycles(store, course),
            _organ_doses(store, course),
            _unlinked(store, course),
            may(store, identity, site, Permission.THERAPY_WRITE),
        )


def course_site(
    database: Database,
    identity: Identity,
    course_id: int,
    permission: Permission = Permission.THERAPY_WRITE,
) -> SiteView:
    """The course's site, if the person holds ``permission`` there (an interface reads its
    time zone before it parses the times typed for the course).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person does not hold ``permission`` at its site.
    """
    with transaction(database, read_only=True) as store:
        site, _ = row_at_site(store, identity, TherapyCourse, course_id, permission)
        return view_of_site(site)
