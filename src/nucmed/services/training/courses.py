"""Short courses and exchange programmes: sessions, participants, attendance, certificates.

A site runs a course over one or more days, each day with its sessions (topic and speaker);
participants come from several institutions and cities (and abroad) as participants, guests
or speakers. Attendance is marked per participant and day (a new mark supersedes the
previous). A certificate (PDF, in the participant's language) is issued to whoever attended
every day. The institution view counts, per host site, the courses held and the people trained
(certificates earned).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from nucmed.errors import N_
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import NotFoundError, Permission, row_at_site, site_for
from nucmed.services.training.common import TrainingInputError, local_today, required_text
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site, User
from nucmed.store.training import (
    CourseAttendance,
    CourseParticipant,
    CourseSession,
    TrainingCourse,
)
from nucmed.training.programme import LANGUAGES, Text

__all__ = [
    "KINDS",
    "PARTICIPANT_ROLES",
    "CourseInput",
    "CourseView",
    "ParticipantInput",
    "ParticipantView",
    "add_participant",
    "add_session",
    "course_at",
    "course_of",
    "course_view",
    "create_course",
    "hold_course",
    "mark",
    "mark_attendance",
    "participant_of",
]

KINDS = ("course", "exchange")
PARTICIPANT_ROLES = ("participant", "guest", "speaker")
_LONGEST_DAYS = 31  # a bound on input: a short course, not a programme


def _refused(template: str, **values: object) -> TrainingInputError:
    return TrainingInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class CourseInput:
    """A course to hold: code, kind (:data:`KINDS`), title, the centre that holds it (as the
    certificate names it), days, city and venue."""

    code: str
    kind: str
    title: Text
    organiser: Text
    starts_on: date
    ends_on: date
    city: str
    venue: str


def create_course(store: Store, actor: User, site: Site, given: CourseInput) -> TrainingCourse:
    """Record a course held by the site (audited).

    Raises
    ------
    TrainingInputError
        An unknown kind, a code in use, days out of order or longer than 31, an empty text.
    """
    if given.kind not in KINDS:
        raise _refused(N_("the kind is one of {kinds}"), kinds=", ".join(KINDS))
    code = required_text(N_("code"), given.code, 32)
    if store.session.scalar(select(TrainingCourse.id).where(TrainingCourse.code == code)):
        raise _refused(N_("a course with code {code} exists already"), code=code)
    days = (given.ends_on - given.starts_on).days + 1
    if not 1 <= days <= _LONGEST_DAYS:
        raise _refused(N_("a course lasts 1 to {most} days"), most=_LONGEST_DAYS)
    row = TrainingCourse(
        site_id=site.id,
        code=code,
        kind=given.kind,
        title_kk=required_text(N_("title"), given.title.kk, 300),
        title_ru=required_text(N_("title"), given.title.ru, 300),
        title_en=required_text(N_("title"), given.title.en, 300),
        organiser_kk=required_text(N_("organiser"), given.organiser.kk, 300),
        organiser_ru=required_text(N_("organiser"), given.organiser.ru, 300),
        organiser_en=required_text(N_("organiser"), given.organiser.en, 300),
        starts_on=given.starts_on,
        ends_on=given.ends_on,
        city=required_text(N_("city"), given.city, 100),
        venue=required_text(N_("venue"), given.venue, 300),
        recorded_at=store.now(),
        recorded_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(store, actor, Event("training.course", "training_course", row.id, site.id))
    return row


def hold_course(database: Database, identity: Identity, code: str, given: CourseInput) -> str:
    """Record a course held by the site ``code`` (the programme director); returns its code.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not direct training there.
    TrainingInputError
        See :func:`create_course`.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.TRAINING_DIRECT)
        return create_course(store, actor(store, identity), site, given).code


def add_session(
    store: Store, course: TrainingCourse, day: date, topic: Text, speaker: str
) -> CourseSession:
    """Add a session on a day of the course.

    Raises
    ------
    TrainingInputError
        A day outside the course, an empty topic.
    """
    if not course.starts_on <= day <= course.ends_on:
        raise _refused(
            N_("the day must lie from {first} to {last}"),
            first=course.starts_on,
            last=course.ends_on,
        )
    row = CourseSession(
        course_id=course.id,
        day=day,
        topic_kk=required_text(N_("topic"), topic.kk, 300),
        topic_ru=required_text(N_("topic"), topic.ru, 300),
        topic_en=required_text(N_("topic"), topic.en, 300),
        speaker=speaker.strip(),
    )
    store.session.add(row)
    store.session.flush()
    return row


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """A person taking part: name, institution, city, country, role, certificate language."""

    full_name: str
    institution: str
    city: str
    country_code: str
    role: str = "participant"
    language: str = "ru"


def add_participant(
    store: Store, actor: User, course: TrainingCourse, given: ParticipantInput
) -> CourseParticipant:
    """Register a participant of the course.

    Raises
    ------
    TrainingInputError
        An unknown role or language, a country that is not two letters, an empty name.
    """
    if given.role not in PARTICIPANT_ROLES:
        raise _refused(N_("the role is one of {roles}"), roles=", ".join(PARTICIPANT_ROLES))
    if given.language not in LANGUAGES:
        raise _refused(N_("the language is one of {languages}"), languages=", ".join(LANGUAGES))
    country = given.country_code.strip().upper()
    if len(country) != 2 or not country.isalpha():  # noqa: PLR2004 - ISO 3166-1 alpha-2
        raise _refused(N_("the country is a two-letter code such as KZ"))
    row = CourseParticipant(
        course_id=course.id,
        full_name=required_text(N_("name"), given.full_name, 200),
        institution=required_text(N_("institution"), given.institution, 300),
        city=required_text(N_("city"), given.city, 100),
        country_code=country,
        role=given.role,
        language=given.language,
        recorded_at=store.now(),
        recorded_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    return row


def mark(
    store: Store, actor: User, participant: CourseParticipant, day: date, present: bool
) -> None:
    """Mark a participant present or absent on a day of the course (a new mark supersedes).

    Raises
    ------
    TrainingInputError
        A day outside the course or after the site's today.
    """
    course = store.session.get(TrainingCourse, participant.course_id)
    assert course is not None
    site = store.sites.by_id(course.site_id)
    assert site is not None
    if not course.starts_on <= day <= min(course.ends_on, local_today(store, site)):
        raise _refused(
            N_("the day must lie from {first} to {last}"),
            first=course.starts_on,
            last=course.ends_on,
        )
    store.session.add(
        CourseAttendance(
            participant_id=participant.id,
            day=day,
            present=present,
            recorded_at=store.now(),
            recorded_by_id=actor.id,
        )
    )
    store.session.flush()


def participant_of(
    store: Store, identity: Identity, participant_id: int, permission: Permission
) -> tuple[Site, TrainingCourse, CourseParticipant]:
    """A participant, their course and its host site, if the person holds ``permission``
    there.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such participant; the person may not do that at the host site.
    """
    row = store.session.get(CourseParticipant, participant_id)
    course = store.session.get(TrainingCourse, row.course_id) if row is not None else None
    if row is None or course is None:
        raise NotFoundError(N_("no participant {id}"), id=participant_id)
    site, _ = row_at_site(store, identity, TrainingCourse, course.id, permission)
    return site, course, row


def mark_attendance(
    database: Database, identity: Identity, participant_id: int, day: date, present: bool
) -> None:
    """Mark a participant's attendance on a day (the programme director at the host site).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such participant; the person may not direct training at the host site.
    TrainingInputError
        See :func:`mark`.
    """
    with transaction(database) as store:
        _, _, participant = participant_of(
            store, identity, participant_id, Permission.TRAINING_DIRECT
        )
        mark(store, actor(store, identity), participant, day, present)


def _days_present(store: Store, participant_ids: list[int]) -> dict[int, set[date]]:
    rows = store.session.scalars(
        select(CourseAttendance)
        .where(CourseAttendance.participant_id.in_(participant_ids))
        .order_by(CourseAttendance.id)
    )
    newest: dict[tuple[int, date], bool] = {(r.participant_id, r.day): r.present for r in rows}
    present: dict[int, set[date]] = defaultdict(set)
    for (participant_id, day), was in newest.items():
        if was:
            present[participant_id].add(day)
    return present


@dataclass(frozen=True, slots=True)
class ParticipantView:
    """A participant and their attendance; ``certified`` when present every day."""

    id: int
    full_name: str
    institution: str
    city: str
    country_code: str
    role: str
    language: str
    days_present: tuple[date, ...]
    certified: bool


@dataclass(frozen=True, slots=True)
class CourseView:
    """A course: its days, sessions, participants and how many cities and institutions."""

    code: str
    kind: str
    title: Text
    organiser: Text
    host: str
    city: str
    venue: str
    days: tuple[date, ...]
    sessions: tuple[tuple[date, Text, str], ...]
    participants: tuple[ParticipantView, ...]
    cities: int
    institutions: int


def _days(course: TrainingCourse) -> tuple[date, ...]:
    count = (course.ends_on - course.starts_on).days + 1
    return tuple(course.starts_on + timedelta(days=n) for n in range(count))


def course_of(store: Store, course: TrainingCourse, site: Site) -> CourseView:
    """The view of a course held at ``site``: sessions, participants and who attended."""
    people = list(
        store.session.scalars(
            select(CourseParticipant)
            .where(CourseParticipant.course_id == course.id)
            .order_by(CourseParticipant.id)
        )
    )
    present = _days_present(store, [p.id for p in people])
    days = _days(course)
    sessions = store.session.scalars(
        select(CourseSession)
        .where(CourseSession.course_id == course.id)
        .order_by(CourseSession.day, CourseSession.id)
    )
    return CourseView(
        code=course.code,
        kind=course.kind,
        title=Text(course.title_kk, course.title_ru, course.title_en),
        organiser=Text(course.organiser_kk, course.organiser_ru, course.organiser_en),
        host=site.name,
        city=course.city,
        venue=course.venue,
        days=days,
        sessions=tuple(
            (s.day, Text(s.topic_kk, s.topic_ru, s.topic_en), s.speaker) for s in sessions
        ),
        participants=tuple(
            ParticipantView(
                p.id,
                p.full_name,
                p.institution,
                p.city,
                p.country_code,
                p.role,
                p.language,
                tuple(sorted(present[p.id])),
                set(days) <= present[p.id],
            )
            for p in people
        ),
        cities=len({p.city for p in people}),
        institutions=len({p.institution for p in people}),
    )


def course_view(database: Database, identity: Identity, course_code: str) -> CourseView:
    """A course by its code, with sessions, participants and attendance.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not read training at its host site.
    """
    with transaction(database, read_only=True) as store:
        site, course = course_at(store, identity, course_code, Permission.TRAINING_READ)
        return course_of(store, course, site)


def course_at(
    store: Store, identity: Identity, course_code: str, permission: Permission
) -> tuple[Site, TrainingCourse]:
    """A course by its code and its host site, if the person holds ``permission`` there.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not do that at its host site.
    """
    course = store.session.scalar(select(TrainingCourse).where(TrainingCourse.code == course_code))
    if course is None:
        raise NotFoundError(N_("no course {code}"), code=course_code)
    return row_at_site(store, identity, TrainingCourse, course.id, permission)
