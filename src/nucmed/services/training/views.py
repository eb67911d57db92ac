"""Views of logbook cases and assessments as the pages and the dashboards show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nucmed.services.training.common import user_name
from nucmed.services.uow import Store
from nucmed.store.hotlab import Administration
from nucmed.store.training import TrainingAssessment, TrainingCase, TrainingSignOff
from nucmed.training.logbook import Rating, SignOff
from nucmed.training.programme import Programme, Text

__all__ = ["AssessmentView", "CaseView", "assessment_view", "case_view"]

WAITING = "waiting"


@dataclass(frozen=True, slots=True)
class CaseView:
    """A logbook case: what, when, in which role, its link and its sign-off.

    ``status`` is ``waiting`` (no sign-off yet), ``approved`` or ``returned``; ``counts`` is
    True only for an approved case.
    """

    id: int
    resident_id: int
    resident: str
    performed_on: date
    procedure_type: str
    role: str
    discipline: Text
    outcomes: tuple[str, ...]
    paediatric: bool
    administration_id: int | None
    administration: str
    therapy_course_id: int | None
    description: str
    corrects_id: int | None
    status: str
    comment: str
    signed_by: str

    @property
    def counts(self) -> bool:
        """True when the supervisor approved the case."""
        return self.status == SignOff.APPROVED


def case_view(
    store: Store, found: Programme, row: TrainingCase, decision: TrainingSignOff | None
) -> CaseView:
    """The view of a case with its newest sign-off."""
    discipline = found.discipline(row.discipline_code)
    linked = (
        store.session.get(Administration, row.administration_id)
        if row.administration_id is not None
        else None
    )
    return CaseView(
        id=row.id,
        resident_id=row.resident_id,
        resident=user_name(store, row.resident_id),
        performed_on=row.performed_on,
        procedure_type=row.procedure_type,
        role=row.role,
        discipline=discipline.name if discipline else Text(*(row.discipline_code,) * 3),
        outcomes=tuple(row.outcomes.split()),
        paediatric=row.paediatric,
        administration_id=row.administration_id,
        administration=f"{linked.procedure}, {linked.radiopharmaceutical}" if linked else "",
        therapy_course_id=row.therapy_course_id,
        description=row.description,
        corrects_id=row.corrects_id,
        status=decision.decision if decision else WAITING,
        comment=decision.comment if decision else "",
        signed_by=user_name(store, decision.signed_by_id) if decision else "",
    )


@dataclass(frozen=True, slots=True)
class AssessmentView:
    """A workplace-based assessment as shown to the resident and the supervisor."""

    id: int
    kind: str
    assessed_on: date
    subject: str
    rating: str
    satisfactory: bool
    feedback: str
    outcomes: tuple[str, ...]
    assessor: str


def assessment_view(store: Store, row: TrainingAssessment) -> AssessmentView:
    """The view of an assessment."""
    return AssessmentView(
        id=row.id,
        kind=row.kind,
        assessed_on=row.assessed_on,
        subject=row.subject,
        rating=row.rating,
        satisfactory=Rating(row.rating).satisfactory,
        feedback=row.feedback,
        outcomes=tuple(row.outcomes.split()),
        assessor=user_name(store, row.assessor_id),
    )
