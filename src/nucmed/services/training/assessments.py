"""Workplace-based assessments of residents: DOPS, mini-CEX and case-based discussion.

A supervisor records what was observed, the overall rating against the expectation for the
stage of training, written feedback and the learning outcomes it bears on; the resident sees
it on the dashboard. A correction is a new assessment pointing to the one it corrects. The
satisfactory assessments (rated "meets" or "above") count toward the programme's minimums.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nucmed.errors import N_
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, site_for
from nucmed.services.training.common import (
    TrainingInputError,
    check_day,
    enrolment_of,
    required_text,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.training import TrainingAssessment
from nucmed.training.logbook import AssessmentKind, Rating

__all__ = [
    "AssessmentEntry",
    "add_assessment",
    "live_assessments",
    "record_assessment",
    "satisfactory_counts",
]


def _refused(template: str, **values: object) -> TrainingInputError:
    return TrainingInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class AssessmentEntry:
    """An assessment as the supervisor records it."""

    resident_id: int
    kind: str
    assessed_on: date
    subject: str
    rating: str
    feedback: str
    outcomes: tuple[str, ...] = ()
    corrects_id: int | None = None


def add_assessment(
    store: Store, assessor: User, site: Site, given: AssessmentEntry
) -> TrainingAssessment:
    """Record an assessment of a resident (audited).

    Raises
    ------
    TrainingInputError
        Not enrolled; an unknown kind, rating or outcome; no subject or feedback; a date
        before the enrolment or in the future; assessing oneself; a correction of an
        assessment that is not the resident's.
    """
    enrolment, found = enrolment_of(store, site, given.resident_id)
    if given.kind not in tuple(AssessmentKind):
        raise _refused(N_("the assessment is one of {kinds}"), kinds=", ".join(AssessmentKind))
    if given.rating not in tuple(Rating):
        raise _refused(N_("the rating is one of {ratings}"), ratings=", ".join(Rating))
    known = [o.code for o in found.outcomes]
    if not set(given.outcomes) <= set(known):
        raise _refused(
            N_("tag one or more learning outcomes of {outcomes}"), outcomes=", ".join(known)
        )
    if given.resident_id == assessor.id:
        raise _refused(N_("a resident is assessed by someone else"))
    check_day(store, site, given.assessed_on, enrolment.started_on)
    if given.corrects_id is not None:
        live = {row.id for row in live_assessments(store, site, given.resident_id)}
        if given.corrects_id not in live:
            raise _refused(
                N_("assessment {id} is not one of this resident's"), id=given.corrects_id
            )
    row = TrainingAssessment(
        site_id=site.id,
        resident_id=given.resident_id,
        programme_code=found.code,
        kind=given.kind,
        assessed_on=given.assessed_on,
        subject=required_text(N_("subject"), given.subject, 200),
        rating=given.rating,
        feedback=required_text(N_("feedback"), given.feedback, 4000),
        outcomes=" ".join(code for code in known if code in given.outcomes),
        corrects_id=given.corrects_id,
        recorded_at=store.now(),
        assessor_id=assessor.id,
    )
    store.session.add(row)
    store.session.flush()
    details = {"kind": given.kind, "rating": given.rating, "resident": given.resident_id}
    record(
        store,
        assessor,
        Event("training.assessment", "training_assessment", row.id, site.id, details=details),
    )
    return row


def record_assessment(
    database: Database, identity: Identity, code: str, given: AssessmentEntry
) -> int:
    """Record an assessment of a resident at the site ``code`` (a supervisor); returns its id.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person is not a supervisor there.
    TrainingInputError
        See :func:`add_assessment`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_SIGN)
        return add_assessment(store, actor(store, identity), site, given).id


def live_assessments(store: Store, site: Site, resident_id: int) -> list[TrainingAssessment]:
    """The resident's assessments at the site that no later one corrects, newest first."""
    rows = list(
        store.session.scalars(
            select(TrainingAssessment)
            .where(
                TrainingAssessment.site_id == site.id,
                TrainingAssessment.resident_id == resident_id,
            )
            .order_by(TrainingAssessment.id.desc())
        )
    )
    corrected = {row.corrects_id for row in rows if row.corrects_id is not None}
    return [row for row in rows if row.id not in corrected]


def satisfactory_counts(rows: list[TrainingAssessment]) -> dict[str, int]:
    """How many assessments of each kind were rated satisfactory."""
    return dict(Counter(row.kind for row in rows if Rating(row.rating).satisfactory))
