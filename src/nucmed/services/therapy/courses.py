"""Therapy courses: cycles, the absorbed dose of each organ, running totals against limits.

A cycle whose organ doses would take a running total past the organ's limit is refused unless
a physician at the site accepts it with a written reason; that override is audited. The limits
are site settings, each with its source (``therapy_*_limit_gy``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from nucmed.errors import N_, NucmedInputError, Word, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, user_may
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Patient
from nucmed.store.models import Site, User
from nucmed.store.therapy import OrganDose, TherapyCourse, TherapyCycle

__all__ = [
    "AGENTS",
    "CourseInput",
    "CoursePlan",
    "CycleDoses",
    "CycleRefusedError",
    "LimitCheck",
    "OrganLimit",
    "create_course",
    "limits_for",
    "open_course",
    "organ_totals",
    "record_cycle",
    "record_organ_doses",
]

AGENTS = (
    "lu177-psma",
    "lu177-dotatate",
    "sirt",
    "i131-dtc",
    "i131-benign",
    "sm153",
    "ra223",
    "y90-ibritumomab",
    "other",
)


class CycleRefusedError(NucmedInputError):
    """A cycle that would pass an organ's limit, without a physician's reasoned override."""


@dataclass(frozen=True, slots=True)
class OrganLimit:
    """An organ's absorbed-dose limit (Gy) for a course: cumulative or per treatment."""

    organ: str
    limit_gy: float
    cumulative: bool
    setting: str


def limits_for(store: Store, site: Site, agent: str) -> list[OrganLimit]:
    """The organ limits that apply to a course of ``agent`` at the site (site settings, Gy)."""
    settings = site_settings(store, site)
    marrow = OrganLimit(
        "red_marrow", settings.therapy_red_marrow_limit_gy, True, "therapy_red_marrow_limit_gy"
    )
    if agent.startswith("lu177"):
        kidneys = OrganLimit(
            "kidneys", settings.therapy_kidney_limit_gy, True, "therapy_kidney_limit_gy"
        )
        return [kidneys, marrow]
    if agent == "sirt":
        return [
            OrganLimit(
                "lungs",
                settings.therapy_lung_limit_per_treatment_gy,
                False,
                "therapy_lung_limit_per_treatment_gy",
            ),
            OrganLimit(
                "lungs",
                settings.therapy_lung_limit_cumulative_gy,
                True,
                "therapy_lung_limit_cumulative_gy",
            ),
        ]
    return [marrow]


@dataclass(frozen=True, slots=True)
class CourseInput:
    """A new course: the patient, why, which agent, how many cycles are planned."""

    patient_id: int
    indication: str
    agent: str
    planned_cycles: int
    started_at: datetime


def create_course(store: Store, actor: User, site: Site, given: CourseInput) -> TherapyCourse:
    """Open a therapy course (audited)."""
    patient = store.session.get(Patient, given.patient_id)
    if patient is None or patient.site_id != site.id:
        raise refusal(
            N_("no patient {patient} at {site}"), patient=given.patient_id, site=site.code
        )
    if given.agent not in AGENTS:
        raise refusal(N_("the agent is one of {agents}"), agents=", ".join(AGENTS))
    if not 1 <= given.planned_cycles <= 12:  # noqa: PLR2004 - a sanity bound, not a rule
        raise refusal(N_("plan 1 to {most} cycles"), most=12)
    if not given.indication.strip():
        raise refusal(N_("give the indication"))
    course = TherapyCourse(
        site_id=site.id,
        patient_id=patient.id,
        indication=given.indication.strip(),
        agent=given.agent,
        planned_cycles=given.planned_cycles,
        started_at=given.started_at,
        created_by_id=actor.id,
    )
    store.session.add(course)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "therapy.course_open",
            "therapy_course",
            course.id,
            site_id=site.id,
            details={"agent": course.agent},
        ),
    )
    return course


def organ_totals(store: Store, course: TherapyCourse) -> dict[str, float]:
    """Running total of absorbed dose per organ over the course so far (Gy)."""
    totals: dict[str, float] = defaultdict(float)
    rows = store.session.scalars(select(OrganDose).where(OrganDose.course_id == course.id))
    for row in rows:
        totals[row.organ] += row.absorbed_dose_gy
    return dict(totals)


@dataclass(frozen=True, slots=True)
class LimitCheck:
    """An organ's total after a cycle against its limit."""

    limit: OrganLimit
    after_gy: float

    @property
    def passes(self) -> bool:
        """True when the limit is kept."""
        return self.after_gy <= self.limit.limit_gy


@dataclass(frozen=True, slots=True)
class CycleDoses:
    """One cycle: its number, the absorbed dose per organ (Gy) and how it was obtained."""

    cycle: int
    doses_gy: Mapping[str, float]
    method: str
    administration_id: int | None = None
    override_reason: str | None = None


def _checks(
    store: Store, site: Site, course: TherapyCourse, given: CycleDoses
) -> list[LimitCheck]:
    totals = organ_totals(store, course)
    checks = []
    for limit in limits_for(store, site, course.agent):
        cycle_gy = given.doses_gy.get(limit.organ, 0.0)
        after = totals.get(limit.organ, 0.0) + cycle_gy if limit.cumulative else cycle_gy
        checks.append(LimitCheck(limit, after))
    return checks


def record_cycle(
    store: Store, actor: User, site: Site, course: TherapyCourse, given: CycleDoses
) -> list[LimitCheck]:
    """Record a cycle's organ doses; refuse one that passes a limit without a physician's
    reasoned override (audited). Returns the checks against every limit."""
    for organ, dose in given.doses_gy.items():
        if not organ.strip() or not math.isfinite(dose) or dose < 0:
            raise refusal(N_("{organ}: an absorbed dose is a number of 0 Gy or more"), organ=organ)
    checks = _checks(store, site, course, given)
    failed = [c for c in checks if not c.passes]
    reason = (given.override_reason or "").strip() or None
    if failed and (
        reason is None or not user_may(store, actor.id, site, Permission.PHYSICIAN_DECISION)
    ):
        worst = failed[0]
        template = N_(
            "{organ}: {after} Gy would pass the limit of {limit} Gy ({setting}); only a "
            "physician may go on, with a written reason"
        )
        values = {
            "organ": Word(worst.limit.organ),
            "after": f"{worst.after_gy:.1f}",
            "limit": f"{worst.limit.limit_gy:g}",
            "setting": Word(worst.limit.setting),
        }
        raise CycleRefusedError(parts=((template, values),))
    now = store.now()
    for organ, dose in given.doses_gy.items():
        store.session.add(
            OrganDose(
                course_id=course.id,
                cycle=given.cycle,
                organ=organ.strip(),
                absorbed_dose_gy=dose,
                method=given.method,
                administration_id=given.administration_id,
                override_reason=reason if failed else None,
                recorded_at=now,
                recorded_by_id=actor.id,
            )
        )
    store.session.flush()
    action = "therapy.cycle_override" if failed else "therapy.cycle"
    record(
        store,
        actor,
        Event(
            action,
            "therapy_course",
            course.id,
            site_id=site.id,
            reason=reason if failed else None,
            details={
                "cycle": given.cycle,
                "doses_gy": dict(given.doses_gy),
                "passed_limits": [c.limit.setting for c in failed],
            },
        ),
    )
    return checks


# --------------------------------------------------------------------------- use cases


@dataclass(frozen=True, slots=True)
class CoursePlan:
    """A course to open for a patient: why, which agent (:data:`AGENTS`), how many cycles."""

    indication: str
    agent: str
    planned_cycles: int


def open_course(database: Database, identity: Identity, patient_id: int, plan: CoursePlan) -> int:
    """Open a therapy course for the patient, started now (audited); returns its id.

    Raises
    ------
    NotFoundError
        No such patient.
    AccessDeniedError
        The person may not plan therapy at the patient's site.
    NucmedInputError
        An unknown agent, a number of cycles outside 1 to 12, no indication.
    """
    with transaction(database) as store:
        site, patient = row_at_site(store, identity, Patient, patient_id, Permission.THERAPY_WRITE)
        given = CourseInput(
            patient.id, plan.indication, plan.agent, plan.planned_cycles, store.now()
        )
        return create_course(store, actor(store, identity), site, given).id


def record_organ_doses(
    database: Database, identity: Identity, course_id: int, given: CycleDoses
) -> tuple[LimitCheck, ...]:
    """Record a cycle's organ doses in the course (linked to the cycle's hot-lab
    administration, if any); a limit passed needs a physician's written reason (audited).

    Raises
    ------
    NotFoundError
        No such course.
    AccessDeniedError
        The person may not record therapy at the course's site.
    CycleRefusedError
        A limit would be passed without a physician's reason.
    NucmedInputError
        A dose that is not a number of 0 Gy or more.
    """
    with transaction(database) as store:
        site, course = row_at_site(
            store, identity, TherapyCourse, course_id, Permission.THERAPY_WRITE
        )
        linked = store.session.scalar(
            select(TherapyCycle.administration_id).where(
                TherapyCycle.course_id == course.id, TherapyCycle.number == given.cycle
            )
        )
        cycle = replace(given, administration_id=linked)
        return tuple(record_cycle(store, actor(store, identity), site, course, cycle))
