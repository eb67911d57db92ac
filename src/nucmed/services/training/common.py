"""What the training use cases share: a resident's current enrolment, the site's local date,
and the checks of texts and dates typed into the logbook."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.bounds import check_text
from nucmed.errors import N_, NucmedInputError, Word, refusal
from nucmed.services.uow import Store
from nucmed.store.models import Site, User
from nucmed.store.training import TrainingEnrolment
from nucmed.training.programme import Programme, programme

__all__ = [
    "TrainingInputError",
    "check_day",
    "current_enrolment",
    "enrolment_of",
    "enrolments_at",
    "local_today",
    "required_text",
    "user_name",
]


class TrainingInputError(NucmedInputError):
    """A logbook entry, assessment, enrolment or course record that cannot be accepted."""


def local_today(store: Store, site: Site) -> date:
    """The date at the site now (its own time zone)."""
    return store.now().astimezone(ZoneInfo(site.time_zone)).date()


def check_day(store: Store, site: Site, day: date, earliest: date) -> date:
    """``day`` if it lies from ``earliest`` to the site's today.

    Raises
    ------
    TrainingInputError
        A day in the future or before ``earliest``.
    """
    today = local_today(store, site)
    if not earliest <= day <= today:
        raise TrainingInputError(
            parts=(
                (
                    N_("the date must lie from {first} to today ({today}); got {day}"),
                    {"first": earliest.isoformat(), "today": today.isoformat(), "day": day},
                ),
            )
        )
    return day


def required_text(name: str, text: str, max_length: int) -> str:
    """``text`` stripped, if not empty and within ``max_length`` characters.

    Raises
    ------
    NucmedInputError
        Empty, too long, or holding a character that cannot be stored.
    """
    stripped = check_text(name, text, max_length).strip()
    if not stripped:
        raise refusal(N_("write the {name}"), name=Word(name))
    return stripped


def enrolments_at(store: Store, site: Site) -> list[TrainingEnrolment]:
    """The current enrolments at the site: those no later enrolment corrects, oldest first."""
    rows = list(
        store.session.scalars(
            select(TrainingEnrolment)
            .where(TrainingEnrolment.site_id == site.id)
            .order_by(TrainingEnrolment.id)
        )
    )
    corrected = {row.corrects_id for row in rows if row.corrects_id is not None}
    return [row for row in rows if row.id not in corrected]


def current_enrolment(store: Store, site: Site, resident_id: int) -> TrainingEnrolment | None:
    """The resident's current enrolment at the site, if any."""
    return next((e for e in enrolments_at(store, site) if e.resident_id == resident_id), None)


def enrolment_of(
    store: Store, site: Site, resident_id: int
) -> tuple[TrainingEnrolment, Programme]:
    """The resident's current enrolment and its programme.

    Raises
    ------
    TrainingInputError
        The person is not enrolled at the site.
    """
    found = current_enrolment(store, site, resident_id)
    if found is None:
        raise TrainingInputError(
            parts=(
                (
                    N_("{resident} is not enrolled at {site}"),
                    {"resident": resident_id, "site": site.code},
                ),
            )
        )
    return found, programme(found.programme_code)


def user_name(store: Store, user_id: int | None) -> str:
    """The full name of a user ('' for none)."""
    user: User | None = store.users.by_id(user_id) if user_id is not None else None
    return user.full_name if user is not None else ""
