"""Certificates of courses (PDF, in the participant's language) and the institution view:
per host site, the courses held and the specialists trained (certificates earned)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from nucmed.errors import N_
from nucmed.interop.certificate import Certificate, render_certificate_pdf
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, may
from nucmed.services.training.common import TrainingInputError
from nucmed.services.training.courses import CourseView, course_of, participant_of
from nucmed.services.uow import Database, transaction
from nucmed.store.training import TrainingCourse
from nucmed.training.programme import Text

__all__ = ["HostRow", "certificate_pdf", "institutions"]


def certificate_pdf(database: Database, identity: Identity, participant_id: int) -> bytes:
    """The certificate of a participant who attended every day, in their language (PDF).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such participant; the person may not read training at the host site.
    TrainingInputError
        The participant did not attend every day.
    """
    with transaction(database, read_only=True) as store:
        site, course, row = participant_of(
            store, identity, participant_id, Permission.TRAINING_READ
        )
        view = course_of(store, course, site)
        person = next(p for p in view.participants if p.id == row.id)
        if not person.certified:
            template = N_("{name} attended {days} of {held} days; a certificate needs every day")
            values = {
                "name": person.full_name,
                "days": len(person.days_present),
                "held": len(view.days),
            }
            raise TrainingInputError(parts=((template, values),))
        language = row.language
        return render_certificate_pdf(
            Certificate(
                language=language,
                number=f"{course.code}-{row.id:04d}",
                participant=row.full_name,
                institution=f"{row.institution}, {row.city}",
                kind=course.kind,
                title=view.title.in_language(language),
                host=view.organiser.in_language(language),
                venue=f"{course.venue}, {course.city}",
                starts_on=course.starts_on,
                ends_on=course.ends_on,
                days_attended=len(person.days_present),
                days_held=len(view.days),
                topics=tuple(topic.in_language(language) for _, topic, _ in view.sessions),
                issued_on=course.ends_on,
            )
        )


@dataclass(frozen=True, slots=True)
class HostRow:
    """A centre that held courses (in a city): how many courses, how many people took part,
    how many it trained (certificates earned)."""

    organiser: Text
    city: str
    courses: int
    participants: int
    trained: int


def institutions(database: Database, identity: Identity) -> tuple[HostRow, ...]:
    """Per centre, the courses held at the sites the person may read training at: courses,
    participants, and the specialists trained (certificates earned), most trained first."""
    with transaction(database, read_only=True) as store:
        found: dict[tuple[Text, str], list[CourseView]] = defaultdict(list)
        for site in store.sites.all():
            if not may(store, identity, site, Permission.TRAINING_READ):
                continue
            held = store.session.scalars(
                select(TrainingCourse).where(TrainingCourse.site_id == site.id)
            )
            for course in held:
                view = course_of(store, course, site)
                found[(view.organiser, view.city)].append(view)
        rows = [
            HostRow(
                organiser,
                city,
                len(views),
                sum(len(v.participants) for v in views),
                sum(p.certified for v in views for p in v.participants),
            )
            for (organiser, city), views in found.items()
        ]
        return tuple(sorted(rows, key=lambda row: -row.trained))
