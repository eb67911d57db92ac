"""Enrolling residents, the minimums a programme enforces, and the credits of disciplines.

The programme director (a supervisor or an administrator) enrols a resident with a supervisor
and the chosen elective, and sets the minimums the programme enforces at the site (the
UEMS/EBNM numbers ship only as a reference, :func:`nucmed.training.progress.reference_minimums`);
a supervisor records the credits a resident has completed per discipline. Every change is a
new row; the audit trail says who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from nucmed.bounds import check_date
from nucmed.errors import N_
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, site_for
from nucmed.services.training.common import (
    TrainingInputError,
    current_enrolment,
    enrolment_of,
    local_today,
    required_text,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.training import TrainingCredit, TrainingEnrolment, TrainingRequirement
from nucmed.training.logbook import PROCEDURE_TYPES, AssessmentKind
from nucmed.training.programme import Component, Programme, programme
from nucmed.training.progress import Requirement
from nucmed.vocabulary import Role

__all__ = [
    "MINIMUM_ITEMS",
    "CreditEntry",
    "Enrolment",
    "MinimumSetting",
    "credit_discipline",
    "credits_of",
    "enrol",
    "enrol_resident",
    "record_credits",
    "requirements",
    "set_minimum",
    "set_requirement",
    "start_range",
]

MINIMUM_ITEMS = {
    "procedure": (*PROCEDURE_TYPES, "diagnostic", "paediatric"),
    "assessment": tuple(str(kind) for kind in AssessmentKind),
}
"""What a minimum may count: procedure items (types, all diagnostic, paediatric) and
assessment kinds (satisfactory ones)."""
_MOST_CASES = 10_000  # a bound on input, not a rule
_DAYS_A_YEAR = 366  # a calendar year at its longest: the start range errs on the wide side


def _refused(template: str, **values: object) -> TrainingInputError:
    return TrainingInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A resident to enrol: programme, supervisor, chosen elective (None: not yet), start."""

    resident_id: int
    supervisor_id: int
    programme_code: str
    elective_code: str | None
    started_on: date


def _holds(store: Store, user_id: int, site: Site, role: Role) -> bool:
    return role in store.users.roles_at(user_id, site.id)


def start_range(store: Store, site: Site, found: Programme) -> tuple[date, date]:
    """The first and last start date an enrolment may give at the site today: from the
    programme's length back (a resident entered in their last year) to one year ahead (an
    enrolment before the academic year begins)."""
    today = local_today(store, site)
    return today - timedelta(days=_DAYS_A_YEAR * found.years), today + timedelta(days=_DAYS_A_YEAR)


def _check_start(store: Store, site: Site, found: Programme, day: date) -> None:
    first, last = start_range(store, site, found)
    if not first <= day <= last:
        raise _refused(
            N_("the start date must lie from {first} to {last}; got {day}"),
            first=first.isoformat(),
            last=last.isoformat(),
            day=day.isoformat(),
        )


def enrol(store: Store, actor: User, site: Site, given: Enrolment) -> TrainingEnrolment:
    """Enrol a resident (or change an enrolment: the new row corrects the current one).

    Raises
    ------
    TrainingInputError
        The person is not a resident at the site, the supervisor not a supervisor there,
        the elective is not one the programme offers, or the start date lies outside
        :func:`start_range`.
    UnknownProgrammeError
        No such programme.
    """
    found = programme(given.programme_code)
    if not _holds(store, given.resident_id, site, Role.RESIDENT):
        raise _refused(
            N_("user {user} is not a resident at {site}"), user=given.resident_id, site=site.code
        )
    if not _holds(store, given.supervisor_id, site, Role.SUPERVISOR):
        raise _refused(
            N_("user {user} is not a supervisor at {site}"),
            user=given.supervisor_id,
            site=site.code,
        )
    offered = [e.code for e in found.electives]
    if given.elective_code is not None and given.elective_code not in offered:
        raise _refused(N_("the elective is one of {electives}"), electives=", ".join(offered))
    check_date(N_("start date"), given.started_on)
    _check_start(store, site, found, given.started_on)
    previous = current_enrolment(store, site, given.resident_id)
    row = TrainingEnrolment(
        site_id=site.id,
        resident_id=given.resident_id,
        programme_code=found.code,
        elective_code=given.elective_code,
        supervisor_id=given.supervisor_id,
        started_on=given.started_on,
        corrects_id=previous.id if previous else None,
        recorded_at=store.now(),
        recorded_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    details = {"programme": found.code, "elective": given.elective_code}
    record(
        store,
        actor,
        Event("training.enrol", "training_enrolment", row.id, site.id, details=details),
    )
    return row


def enrol_resident(database: Database, identity: Identity, code: str, given: Enrolment) -> int:
    """Enrol a resident at the site ``code`` (the programme director), with the elective
    chosen; returns the row's id.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not direct training there.
    TrainingInputError
        No elective chosen; see :func:`enrol`.
    """
    if given.elective_code is None or not given.elective_code.strip():
        programme(given.programme_code)  # an unknown programme is refused first
        raise _refused(N_("choose the elective: one of those the programme offers"))
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_DIRECT)
        return enrol(store, actor(store, identity), site, given).id


@dataclass(frozen=True, slots=True)
class MinimumSetting:
    """A minimum to enforce: ``kind`` (procedure or assessment), the item, how many, why."""

    programme_code: str
    kind: str
    item: str
    minimum: int
    reason: str


def set_requirement(store: Store, actor: User, site: Site, given: MinimumSetting) -> None:
    """Set a minimum of the programme at the site (0 removes it); audited with its reason.

    Raises
    ------
    TrainingInputError
        An unknown kind or item, a number outside 0 to 10000, no reason.
    """
    found = programme(given.programme_code)
    items = MINIMUM_ITEMS.get(given.kind)
    if items is None or given.item not in items:
        raise _refused(
            N_("a minimum counts one of {items}"),
            items=", ".join(MINIMUM_ITEMS["procedure"] + MINIMUM_ITEMS["assessment"]),
        )
    if not 0 <= given.minimum <= _MOST_CASES:
        raise _refused(N_("a minimum is a whole number from 0 to {most}"), most=_MOST_CASES)
    reason = required_text(N_("reason"), given.reason, 500)
    store.session.add(
        TrainingRequirement(
            site_id=site.id,
            programme_code=found.code,
            kind=given.kind,
            item=given.item,
            minimum=given.minimum,
            reason=reason,
            set_at=store.now(),
            set_by_id=actor.id,
        )
    )
    store.session.flush()
    details = {
        "programme": found.code,
        "kind": given.kind,
        "item": given.item,
        "minimum": given.minimum,
    }
    record(
        store,
        actor,
        Event(
            "training.minimum",
            "training_requirement",
            given.item,
            site.id,
            reason,
            details=details,
        ),
    )


def set_minimum(database: Database, identity: Identity, code: str, given: MinimumSetting) -> None:
    """Set a minimum of a programme at the site ``code`` (the programme director).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not direct training there.
    TrainingInputError
        See :func:`set_requirement`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_DIRECT)
        set_requirement(store, actor(store, identity), site, given)


def requirements(store: Store, site: Site, programme_code: str) -> tuple[Requirement, ...]:
    """The minimums the programme enforces at the site (the newest setting of each item)."""
    rows = store.session.scalars(
        select(TrainingRequirement)
        .where(
            TrainingRequirement.site_id == site.id,
            TrainingRequirement.programme_code == programme_code,
        )
        .order_by(TrainingRequirement.id)
    )
    newest = {(row.kind, row.item): row.minimum for row in rows}
    return tuple(Requirement(kind, item, n) for (kind, item), n in newest.items() if n > 0)


@dataclass(frozen=True, slots=True)
class CreditEntry:
    """Credits of a discipline a resident has completed, with a note."""

    resident_id: int
    discipline_code: str
    credits: int
    note: str = ""


def record_credits(store: Store, actor: User, site: Site, given: CreditEntry) -> TrainingCredit:
    """Record the credits of a discipline the resident has completed (the newest row counts).

    Raises
    ------
    TrainingInputError
        Not enrolled; a discipline not in the programme (or an elective not chosen); credits
        outside 0 to the discipline's credits.
    """
    resident_id, credits = given.resident_id, given.credits
    enrolment, found = enrolment_of(store, site, resident_id)
    discipline = found.discipline(given.discipline_code)
    countable = [d.code for d in found.disciplines if d.component is Component.COMPULSORY]
    countable += [enrolment.elective_code] if enrolment.elective_code else []
    countable += [d.code for d in found.disciplines if d.component is Component.ATTESTATION]
    if discipline is None or discipline.code not in countable:
        raise _refused(
            N_("credits are recorded for one of {disciplines}"), disciplines=", ".join(countable)
        )
    if not 0 <= credits <= discipline.credits:
        raise _refused(
            N_("{discipline} has {most} credits; got {credits}"),
            discipline=discipline.code,
            most=discipline.credits,
            credits=credits,
        )
    previous = store.session.scalar(
        select(TrainingCredit)
        .where(
            TrainingCredit.site_id == site.id,
            TrainingCredit.resident_id == resident_id,
            TrainingCredit.discipline_code == discipline.code,
        )
        .order_by(TrainingCredit.id.desc())
        .limit(1)
    )
    row = TrainingCredit(
        site_id=site.id,
        resident_id=resident_id,
        programme_code=found.code,
        discipline_code=discipline.code,
        credits=credits,
        note=given.note.strip(),
        corrects_id=previous.id if previous else None,
        recorded_at=store.now(),
        recorded_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    details = {"discipline": discipline.code, "credits": credits}
    record(
        store,
        actor,
        Event("training.credits", "training_credit", row.id, site.id, details=details),
    )
    return row


def credit_discipline(
    database: Database, identity: Identity, code: str, given: CreditEntry
) -> None:
    """Record a resident's credits of a discipline at the site ``code`` (a supervisor).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not sign for residents there.
    TrainingInputError
        See :func:`record_credits`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_SIGN)
        record_credits(store, actor(store, identity), site, given)


def credits_of(store: Store, site: Site, resident_id: int) -> dict[str, int]:
    """The credits recorded per discipline for the resident (the newest row of each)."""
    rows = store.session.scalars(
        select(TrainingCredit)
        .where(TrainingCredit.site_id == site.id, TrainingCredit.resident_id == resident_id)
        .order_by(TrainingCredit.id)
    )
    return {row.discipline_code: row.credits for row in rows}
