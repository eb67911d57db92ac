"""Recorded releases: the release assessment of a therapy course's patient stored with the
leaflet handed over, so that what the patient was told can be shown later exactly as printed
(the PDF's bytes and their SHA-256), even after the site's name, address or telephone change.

The assessment is :func:`nucmed.services.therapy.release.release_instructions` (NUREG-1556
Vol. 9 Appendix U under the site's rule). The leaflet's text is translated by the interface
(services hold no catalogues), so the caller passes the renderer: it turns the instructions
into the PDF's bytes in the patient's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.therapy.release import Instructions, ReleaseInput, release_instructions
from nucmed.services.uow import Database, transaction
from nucmed.store.models import User
from nucmed.store.therapy import ReleaseRecord, TherapyCourse

__all__ = [
    "LeafletPrinter",
    "LeafletRenderer",
    "RecordedRelease",
    "StoredLeaflet",
    "record_release",
    "release_leaflet",
    "release_records",
]

LeafletRenderer = Callable[[Instructions], bytes]
"""Turns the instructions into the leaflet's PDF bytes, in the patient's language."""


@dataclass(frozen=True, slots=True)
class LeafletPrinter:
    """The patient's language (``ru``, ``kk`` or ``en``) and the renderer of the leaflet in
    it."""

    language: str
    render: LeafletRenderer


@dataclass(frozen=True, slots=True)
class RecordedRelease:
    """A recorded release as the course page lists it (``recorded_at`` in UTC)."""

    id: int
    recorded_at: datetime
    recorded_by: str
    nuclide: str
    activity_bq: float
    releasable: bool | None
    language: str
    leaflet_sha256: str


@dataclass(frozen=True, slots=True)
class StoredLeaflet:
    """A recorded release's leaflet, the bytes as stored."""

    course_id: int
    pdf: bytes
    sha256: str


def record_release(
    database: Database,
    identity: Identity,
    course_id: int,
    given: ReleaseInput,
    printer: LeafletPrinter,
) -> int:
    """Assess the release of the course's patient, render the leaflet in the patient's
    language (``printer``) and store both (audited); return the record's id.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not record therapy at its site.
    NucmedInputError
        A nuclide, activity, half-life or condition the assessment cannot use.
    """
    with transaction(database) as store:
        site, course = row_at_site(
            store, identity, TherapyCourse, course_id, Permission.THERAPY_WRITE
        )
        who = actor(store, identity)
        result = release_instructions(store, site, given)
        pdf = printer.render(result)
        digest = hashlib.sha256(pdf).hexdigest()
        row = ReleaseRecord(
            course_id=course.id,
            site_id=site.id,
            recorded_at=store.now(),
            recorded_by_id=who.id,
            nuclide=get_nuclide(given.nuclide).name,
            activity_bq=given.activity_bq,
            effective_half_life_s=given.effective_half_life_s,
            i131_condition=given.i131_condition or None,
            releasable=result.site_rule_passes,
            restriction_days=dict(result.restriction_days),
            language=printer.language,
            leaflet_pdf=pdf,
            leaflet_sha256=digest,
        )
        store.session.add(row)
        store.session.flush()
        details = {"nuclide": row.nuclide, "activity_bq": row.activity_bq, "sha256": digest}
        record(
            store,
            who,
            Event("therapy.release_record", "therapy_course", course.id, site.id, details=details),
        )
        return row.id


def release_records(
    database: Database, identity: Identity, course_id: int
) -> tuple[RecordedRelease, ...]:
    """The course's recorded releases, newest first (a reader of therapy courses at its site).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such course; the person may not read therapy courses at its site.
    """
    with transaction(database, read_only=True) as store:
        row_at_site(store, identity, TherapyCourse, course_id, Permission.THERAPY_READ)
        rows = store.session.execute(
            select(ReleaseRecord, User.full_name)
            .outerjoin(User, User.id == ReleaseRecord.recorded_by_id)
            .where(ReleaseRecord.course_id == course_id)
            .order_by(ReleaseRecord.recorded_at.desc(), ReleaseRecord.id.desc())
        ).all()
        return tuple(
            RecordedRelease(
                r.id,
                r.recorded_at,
                name or "",
                r.nuclide,
                r.activity_bq,
                r.releasable,
                r.language,
                r.leaflet_sha256,
            )
            for r, name in rows
        )


def release_leaflet(database: Database, identity: Identity, record_id: int) -> StoredLeaflet:
    """The leaflet of a recorded release, as stored (a reader of therapy courses at its site).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such record; the person may not read therapy courses at its site.
    """
    with transaction(database, read_only=True) as store:
        _, row = row_at_site(store, identity, ReleaseRecord, record_id, Permission.THERAPY_READ)
        return StoredLeaflet(row.course_id, row.leaflet_pdf, row.leaflet_sha256)
