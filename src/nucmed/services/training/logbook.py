"""The resident's logbook: cases logged by the resident, signed off by a supervisor.

A case names its procedure type, the resident's role, the discipline and learning outcomes it
serves, and links to the administration or therapy course of the site where there is one. A
supervisor approves it or returns it with a comment (each decision a new row; the newest
counts). A correction is a new case that points to the one it corrects; the corrected case no
longer counts and the new one waits for its own sign-off. Only approved cases count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from nucmed.errors import N_
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, site_for
from nucmed.services.training.common import (
    TrainingInputError,
    check_day,
    enrolment_of,
    required_text,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration
from nucmed.store.models import Site, User
from nucmed.store.therapy import TherapyCourse
from nucmed.store.training import TrainingCase, TrainingSignOff
from nucmed.training.logbook import PROCEDURE_TYPES, CaseRole, SignOff
from nucmed.training.programme import Component, Programme

__all__ = [
    "CaseEntry",
    "Decision",
    "add_case",
    "decisions",
    "live_cases",
    "log_case",
    "sign_case",
    "sign_off",
]


def _refused(template: str, **values: object) -> TrainingInputError:
    return TrainingInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class CaseEntry:
    """A case as the resident logs it."""

    performed_on: date
    procedure_type: str
    role: str
    discipline_code: str
    outcomes: tuple[str, ...]
    description: str
    paediatric: bool = False
    administration_id: int | None = None
    therapy_course_id: int | None = None
    corrects_id: int | None = field(default=None)


def _check_links(store: Store, site: Site, given: CaseEntry) -> None:
    if given.administration_id is not None:
        administration = store.session.get(Administration, given.administration_id)
        if administration is None or administration.site_id != site.id:
            raise _refused(
                N_("no administration {id} at {site}"), id=given.administration_id, site=site.code
            )
    if given.therapy_course_id is not None:
        course = store.session.get(TherapyCourse, given.therapy_course_id)
        if course is None or course.site_id != site.id:
            raise _refused(
                N_("no therapy course {id} at {site}"), id=given.therapy_course_id, site=site.code
            )


def _check_entry(found: Programme, elective: str | None, given: CaseEntry) -> None:
    if given.procedure_type not in PROCEDURE_TYPES:
        raise _refused(
            N_("the procedure type is one of {types}"), types=", ".join(PROCEDURE_TYPES)
        )
    if given.role not in tuple(CaseRole):
        raise _refused(N_("the role is one of {roles}"), roles=", ".join(CaseRole))
    taught = [d.code for d in found.disciplines if d.component is Component.COMPULSORY]
    taught += [elective] if elective else []
    if given.discipline_code not in taught:
        raise _refused(N_("the discipline is one of {disciplines}"), disciplines=", ".join(taught))
    known = [o.code for o in found.outcomes]
    if not given.outcomes or not set(given.outcomes) <= set(known):
        raise _refused(
            N_("tag one or more learning outcomes of {outcomes}"), outcomes=", ".join(known)
        )


def add_case(store: Store, resident: User, site: Site, given: CaseEntry) -> TrainingCase:
    """Log a case in the resident's logbook (audited).

    Raises
    ------
    TrainingInputError
        Not enrolled; an unknown type, role, discipline or outcome; a date before the
        enrolment or in the future; a link to an administration or course not at the site;
        a correction of a case that is not the resident's own live case.
    """
    enrolment, found = enrolment_of(store, site, resident.id)
    _check_entry(found, enrolment.elective_code, given)
    check_day(store, site, given.performed_on, enrolment.started_on)
    _check_links(store, site, given)
    if given.corrects_id is not None:
        live = {case.id for case in live_cases(store, site, resident.id)}
        if given.corrects_id not in live:
            raise _refused(
                N_("case {id} is not one of your cases to correct"), id=given.corrects_id
            )
    row = TrainingCase(
        site_id=site.id,
        resident_id=resident.id,
        programme_code=found.code,
        performed_on=given.performed_on,
        procedure_type=given.procedure_type,
        role=given.role,
        discipline_code=given.discipline_code,
        outcomes=" ".join(sorted(set(given.outcomes), key=lambda code: int(code[2:]))),
        paediatric=given.paediatric,
        administration_id=given.administration_id,
        therapy_course_id=given.therapy_course_id,
        description=required_text(N_("description"), given.description, 2000),
        corrects_id=given.corrects_id,
        recorded_at=store.now(),
        recorded_by_id=resident.id,
    )
    store.session.add(row)
    store.session.flush()
    details = {"type": row.procedure_type, "administration": row.administration_id}
    record(
        store, resident, Event("training.case", "training_case", row.id, site.id, details=details)
    )
    return row


def log_case(database: Database, identity: Identity, code: str, given: CaseEntry) -> int:
    """Log a case in one's own logbook at the site ``code`` (a resident); returns its id.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person is not a resident there.
    TrainingInputError
        See :func:`add_case`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_LOG)
        return add_case(store, actor(store, identity), site, given).id


def live_cases(store: Store, site: Site, resident_id: int) -> list[TrainingCase]:
    """The resident's cases at the site that no later case corrects, newest first."""
    rows = list(
        store.session.scalars(
            select(TrainingCase)
            .where(TrainingCase.site_id == site.id, TrainingCase.resident_id == resident_id)
            .order_by(TrainingCase.id.desc())
        )
    )
    corrected = {row.corrects_id for row in rows if row.corrects_id is not None}
    return [row for row in rows if row.id not in corrected]


def decisions(store: Store, case_ids: list[int]) -> dict[int, TrainingSignOff]:
    """The newest sign-off of each case that has one."""
    if not case_ids:
        return {}
    rows = store.session.scalars(
        select(TrainingSignOff)
        .where(TrainingSignOff.case_id.in_(case_ids))
        .order_by(TrainingSignOff.id)
    )
    return {row.case_id: row for row in rows}


@dataclass(frozen=True, slots=True)
class Decision:
    """A supervisor's decision on a case (:class:`SignOff`) and the comment."""

    decision: str
    comment: str = ""


def sign_case(
    store: Store, supervisor: User, site: Site, case: TrainingCase, given: Decision
) -> TrainingSignOff:
    """Approve a case or return it with a comment (audited).

    Raises
    ------
    TrainingInputError
        An unknown decision, a return without a comment, one's own case, or a case that a
        later case corrects.
    """
    decision, comment = given.decision, given.comment
    if decision not in tuple(SignOff):
        raise _refused(N_("the decision is one of {decisions}"), decisions=", ".join(SignOff))
    if case.resident_id == supervisor.id:
        raise _refused(N_("a case is signed by a supervisor, not by its resident"))
    if case.id not in {row.id for row in live_cases(store, site, case.resident_id)}:
        raise _refused(N_("case {id} has been corrected; sign the correction"), id=case.id)
    text = comment.strip()
    if decision == SignOff.RETURNED:
        text = required_text(N_("comment"), comment, 2000)
    row = TrainingSignOff(
        case_id=case.id,
        decision=decision,
        comment=text,
        signed_at=store.now(),
        signed_by_id=supervisor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        supervisor,
        Event(
            "training.sign_off", "training_case", case.id, site.id, details={"decision": decision}
        ),
    )
    return row


def sign_off(
    database: Database, identity: Identity, case_id: int, decision: str, comment: str = ""
) -> None:
    """Approve a logbook case or return it with a comment (a supervisor at the case's site).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such case; the person is not a supervisor at its site.
    TrainingInputError
        See :func:`sign_case`.
    """
    with transaction(database) as store:
        site, case = row_at_site(store, identity, TrainingCase, case_id, Permission.TRAINING_SIGN)
        sign_case(store, actor(store, identity), site, case, Decision(decision, comment))
