"""Dashboards: a resident's progress, a supervisor's sign-offs waiting, a programme's cohort.

A resident's progress counts only approved cases and satisfactory assessments: credits per
discipline toward the programme's total, each minimum the programme enforces (beside the
UEMS/EBNM reference, shown, not enforced), the learning outcomes with evidence, and the gate
to the final attestation (:func:`nucmed.training.progress.attestation_gate`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from nucmed.services.auth import Identity
from nucmed.services.permissions import AccessDeniedError, Permission, may, site_for
from nucmed.services.site_names import site_name_in
from nucmed.services.training.assessments import live_assessments, satisfactory_counts
from nucmed.services.training.common import (
    current_enrolment,
    enrolment_of,
    enrolments_at,
    user_name,
)
from nucmed.services.training.enrolment import credits_of, requirements
from nucmed.services.training.logbook import decisions, live_cases
from nucmed.services.training.views import AssessmentView, CaseView, assessment_view, case_view
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.training import TrainingCourse
from nucmed.training.programme import Component, Text, programme_codes
from nucmed.training.progress import (
    CaseFacts,
    CreditGap,
    ItemProgress,
    Requirement,
    against,
    attestation_gate,
    count_cases,
    reference_minimums,
)

__all__ = [
    "CohortRow",
    "DisciplineView",
    "MinimumView",
    "OutcomeView",
    "ResidentDashboard",
    "TrainingHome",
    "cohort",
    "resident_dashboard",
    "sign_offs_waiting",
    "training_home",
    "training_sites",
]


@dataclass(frozen=True, slots=True)
class DisciplineView:
    """A discipline of the resident's curriculum with the credits recorded."""

    code: str
    name: Text
    component: str
    credits: int
    done: int


@dataclass(frozen=True, slots=True)
class MinimumView:
    """A minimum the programme enforces, done against required, and the reference number."""

    kind: str
    item: str
    required: int
    done: int
    met: bool
    reference: int | None


@dataclass(frozen=True, slots=True)
class OutcomeView:
    """A learning outcome and how many approved cases and satisfactory assessments show it."""

    code: str
    title: Text
    evidence: int


@dataclass(frozen=True, slots=True)
class ResidentDashboard:
    """Everything the resident's page shows."""

    site_code: str
    resident_id: int
    resident: str
    supervisor: str
    programme_code: str
    programme_title: Text
    elective: Text | None
    started_on: date
    credits_done: int
    total_credits: int
    disciplines: tuple[DisciplineView, ...]
    minimums: tuple[MinimumView, ...]
    outcomes: tuple[OutcomeView, ...]
    cases: tuple[CaseView, ...]
    assessments: tuple[AssessmentView, ...]
    gate_open: bool
    gate_credits_done: int
    gate_credits_needed: int
    gate_gaps: tuple[CreditGap, ...]
    gate_unmet: tuple[ItemProgress, ...]
    may_log: bool
    may_sign: bool


def _progress(store: Store, site: Site, resident_id: int) -> ResidentDashboard:
    enrolment, found = enrolment_of(store, site, resident_id)
    rows = live_cases(store, site, resident_id)
    signed = decisions(store, [row.id for row in rows])
    cases = tuple(case_view(store, found, row, signed.get(row.id)) for row in rows)
    assessed = live_assessments(store, site, resident_id)
    counts = count_cases(CaseFacts(c.procedure_type, c.paediatric, c.counts) for c in cases)
    enforced = requirements(store, site, found.code)
    progress = (
        *against(enforced, "procedure", counts),
        *against(enforced, "assessment", satisfactory_counts(assessed)),
    )
    credits = credits_of(store, site, resident_id)
    gate = attestation_gate(found, enrolment.elective_code, credits, progress)
    reference = {m.item: m.minimum for m in reference_minimums()}
    evidence: Counter[str] = Counter()
    for case in cases:
        evidence.update(case.outcomes if case.counts else ())
    assessments = tuple(assessment_view(store, row) for row in assessed)
    for assessment in assessments:
        evidence.update(assessment.outcomes if assessment.satisfactory else ())
    elective = found.discipline(enrolment.elective_code) if enrolment.elective_code else None
    curriculum = [d for d in found.disciplines if d.component is not Component.ELECTIVE]
    curriculum += [elective] if elective else []
    return ResidentDashboard(
        site_code=site.code,
        resident_id=resident_id,
        resident=user_name(store, resident_id),
        supervisor=user_name(store, enrolment.supervisor_id),
        programme_code=found.code,
        programme_title=found.title,
        elective=elective.name if elective else None,
        started_on=enrolment.started_on,
        credits_done=sum(credits.values()),
        total_credits=found.total_credits,
        disciplines=tuple(
            DisciplineView(d.code, d.name, str(d.component), d.credits, credits.get(d.code, 0))
            for d in curriculum
        ),
        minimums=tuple(
            MinimumView(p.kind, p.item, p.required, p.done, p.met, reference.get(p.item))
            for p in progress
        ),
        outcomes=tuple(OutcomeView(o.code, o.title, evidence[o.code]) for o in found.outcomes),
        cases=cases,
        assessments=assessments,
        gate_open=gate.open,
        gate_credits_done=gate.credits_done,
        gate_credits_needed=gate.credits_needed,
        gate_gaps=gate.gaps,
        gate_unmet=gate.unmet,
        may_log=False,
        may_sign=False,
    )


def resident_dashboard(
    database: Database, identity: Identity, code: str, resident_id: int | None = None
) -> ResidentDashboard:
    """A resident's progress at the site ``code``: one's own (``resident_id`` None or one's
    id), or any resident's for a supervisor or the programme director.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not read training there, or a resident asked for
        another resident's progress.
    TrainingInputError
        The resident is not enrolled there.
    """
    own = identity.user.id
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.TRAINING_READ)
        may_sign = may(store, identity, site, Permission.TRAINING_SIGN)
        wanted = own if resident_id is None else resident_id
        if wanted != own and not (
            may_sign or may(store, identity, site, Permission.TRAINING_DIRECT)
        ):
            raise AccessDeniedError("your role at this site does not allow this")
        view = _progress(store, site, wanted)
        may_log = wanted == own and may(store, identity, site, Permission.TRAINING_LOG)
        return replace(view, may_log=may_log, may_sign=may_sign and wanted != own)


def sign_offs_waiting(database: Database, identity: Identity, code: str) -> tuple[CaseView, ...]:
    """The cases at the site ``code`` waiting for a supervisor's sign-off, oldest first.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person is not a supervisor there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.TRAINING_SIGN)
        waiting: list[CaseView] = []
        for enrolment in enrolments_at(store, site):
            _, found = enrolment_of(store, site, enrolment.resident_id)
            rows = live_cases(store, site, enrolment.resident_id)
            signed = decisions(store, [row.id for row in rows])
            waiting += [case_view(store, found, r, None) for r in rows if r.id not in signed]
        return tuple(sorted(waiting, key=lambda case: case.id))


@dataclass(frozen=True, slots=True)
class CohortRow:
    """A resident of the programme's cohort at the site: supervisor, elective and start,
    credits, cases, the gate."""

    resident_id: int
    resident: str
    supervisor: str
    elective: Text | None
    started_on: date
    programme_code: str
    credits_done: int
    total_credits: int
    approved_cases: int
    waiting_cases: int
    gate_open: bool


def cohort(database: Database, identity: Identity, code: str) -> tuple[CohortRow, ...]:
    """Every resident enrolled at the site ``code`` and their progress (programme director).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not direct training there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.TRAINING_DIRECT)
        rows = []
        for enrolment in enrolments_at(store, site):
            view = _progress(store, site, enrolment.resident_id)
            rows.append(
                CohortRow(
                    resident_id=view.resident_id,
                    resident=view.resident,
                    supervisor=view.supervisor,
                    elective=view.elective,
                    started_on=view.started_on,
                    programme_code=view.programme_code,
                    credits_done=view.credits_done,
                    total_credits=view.total_credits,
                    approved_cases=sum(1 for case in view.cases if case.counts),
                    waiting_cases=sum(1 for case in view.cases if case.status == "waiting"),
                    gate_open=view.gate_open,
                )
            )
        return tuple(rows)


@dataclass(frozen=True, slots=True)
class TrainingHome:
    """The training page of a site for the person: their own progress if enrolled, the
    sign-offs waiting if they supervise, the cohort if they direct."""

    site_code: str
    site: Text
    """The site's name in each language."""
    own: ResidentDashboard | None
    waiting: tuple[CaseView, ...] | None
    cohort: tuple[CohortRow, ...] | None
    courses: tuple[tuple[str, Text], ...]
    programmes: tuple[str, ...]
    requirements: tuple[tuple[str, Requirement], ...]
    """The minimums each programme enforces at the site (for the programme director)."""


def training_home(database: Database, identity: Identity, code: str) -> TrainingHome:
    """What the site's training page shows this person (see :class:`TrainingHome`).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not read training there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.TRAINING_READ)
        enrolled = current_enrolment(store, site, identity.user.id) is not None
        signs = may(store, identity, site, Permission.TRAINING_SIGN)
        directs = may(store, identity, site, Permission.TRAINING_DIRECT)
        site_name = Text(*(site_name_in(site, language) for language in ("kk", "ru", "en")))
        held = store.session.scalars(
            select(TrainingCourse)
            .where(TrainingCourse.site_id == site.id)
            .order_by(TrainingCourse.starts_on.desc())
        )
        courses = tuple((c.code, Text(c.title_kk, c.title_ru, c.title_en)) for c in held)
        enforced = tuple(
            (each, item) for each in programme_codes() for item in requirements(store, site, each)
        )
    own = resident_dashboard(database, identity, code) if enrolled else None
    return TrainingHome(
        site_code=code,
        site=site_name,
        own=own,
        waiting=sign_offs_waiting(database, identity, code) if signs else None,
        cohort=cohort(database, identity, code) if directs else None,
        courses=courses,
        programmes=programme_codes(),
        requirements=enforced if directs else (),
    )


def training_sites(database: Database, identity: Identity) -> tuple[str, ...]:
    """The codes of the sites where the person may read training."""
    with transaction(database, read_only=True) as store:
        return tuple(
            site.code
            for site in store.sites.all()
            if may(store, identity, site, Permission.TRAINING_READ)
        )
