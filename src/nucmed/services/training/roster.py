"""The site's roster for the programme director: who may be enrolled (the site's residents),
who may supervise (its supervisors), the programmes with their electives, the start dates an
enrolment may give, and every current enrolment with its progress (the enrolment page and the
training API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, site_for
from nucmed.services.site_names import site_name_in
from nucmed.services.training.dashboards import CohortRow, cohort
from nucmed.services.training.enrolment import start_range
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Membership, Site, User
from nucmed.training.programme import Text, programme, programme_codes
from nucmed.vocabulary import Role

__all__ = ["Choice", "Person", "ProgrammeChoice", "Roster", "roster"]


@dataclass(frozen=True, slots=True)
class Person:
    """A person to choose from a list: their user id and full name."""

    id: int
    full_name: str


@dataclass(frozen=True, slots=True)
class Choice:
    """An elective to choose: its code and its name."""

    code: str
    name: Text


@dataclass(frozen=True, slots=True)
class ProgrammeChoice:
    """A programme, the electives it offers, and the start dates an enrolment may give."""

    code: str
    title: Text
    electives: tuple[Choice, ...]
    first_start: date
    last_start: date


@dataclass(frozen=True, slots=True)
class Roster:
    """What the enrolment page shows the programme director at a site."""

    site_code: str
    site: Text
    """The site's name in each language."""
    residents: tuple[Person, ...]
    supervisors: tuple[Person, ...]
    programmes: tuple[ProgrammeChoice, ...]
    enrolled: tuple[CohortRow, ...]


def _holding(store: Store, site: Site, role: Role) -> tuple[Person, ...]:
    """The people holding ``role`` at the site, by name (their ids as keys)."""
    people = store.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.site_id == site.id, Membership.role == role)
        .order_by(User.full_name, User.id)
    )
    return tuple(Person(person.id, person.full_name) for person in people)


def _programmes(store: Store, site: Site) -> tuple[ProgrammeChoice, ...]:
    found = []
    for code in programme_codes():
        each = programme(code)
        first, last = start_range(store, site, each)
        electives = tuple(Choice(e.code, e.name) for e in each.electives)
        found.append(ProgrammeChoice(each.code, each.title, electives, first, last))
    return tuple(found)


def roster(database: Database, identity: Identity, code: str) -> Roster:
    """The site's residents, supervisors, programmes and current enrolments with progress
    (the programme director).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not direct training there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.TRAINING_DIRECT)
        residents = _holding(store, site, Role.RESIDENT)
        supervisors = _holding(store, site, Role.SUPERVISOR)
        programmes = _programmes(store, site)
        name = Text(*(site_name_in(site, language) for language in ("kk", "ru", "en")))
    return Roster(code, name, residents, supervisors, programmes, cohort(database, identity, code))
