"""Recorded releases (issue 12, item 6): the assessment is stored with the leaflet printed for
it, audited, refused to a reader who may not record therapy, and the stored leaflet stays the
bytes printed even after the site's telephone changes."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services.hotlab import doses
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.therapy.courses import CourseInput, create_course
from nucmed.services.therapy.release import Instructions, ReleaseInput
from nucmed.services.therapy.release_records import (
    LeafletPrinter,
    record_release,
    release_leaflet,
    release_records,
)
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.models import AuditEntry
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech
from tests.services.test_hotlab_doses import identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

GIVEN = ReleaseInput("I-131", 1.1e9)
"""1.1 GBq of I-131 in the patient: below NUREG-1556 Vol. 9 Appendix U Table U-1's 1.2 GBq."""


def _leaflet(result: Instructions) -> bytes:
    """A stand-in for the PDF: the text that changes when the site's telephone does."""
    return f"{result.assessment.nuclide} · {result.site_phone}".encode()


def _course(factory: SessionFactory) -> tuple[int, int, int]:
    """A course at the test site; its physician's and a safety officer's user ids."""
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        site.phone = "+7 727 000 00 01"
        doctor = create_user(
            store, None, NewUser("doc.r", "Doctor R", "correct horse battery"),
            [(Role.PHYSICIAN, site)],
        )  # fmt: skip
        officer = create_user(
            store, None, NewUser("rso.r", "Officer R", "correct horse battery"),
            [(Role.RSO, site)],
        )  # fmt: skip
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("T-9", "Release patient", date(1960, 1, 1), "F")
        )
        course = create_course(
            store, doctor, site, CourseInput(patient.id, "Thyroid cancer", "i131-dtc", 1, T0)
        )
        return course.id, doctor.id, officer.id


def test_a_release_is_stored_with_its_leaflet_and_audited(factory: SessionFactory) -> None:
    course_id, doctor_id, officer_id = _course(factory)
    database = Database(factory)
    doctor = identity_of(factory, doctor_id)
    record_id = record_release(database, doctor, course_id, GIVEN, LeafletPrinter("kk", _leaflet))
    [listed] = release_records(database, identity_of(factory, officer_id), course_id)
    printed = b"I-131 \xc2\xb7 +7 727 000 00 01"
    assert (listed.id, listed.recorded_by, listed.nuclide) == (record_id, "Doctor R", "I-131")
    assert listed.activity_bq == pytest.approx(1.1e9)
    assert listed.language == "kk"
    assert listed.leaflet_sha256 == hashlib.sha256(printed).hexdigest()
    with transaction(factory) as store:
        entry = store.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "therapy.release_record")
        )
        assert entry is not None
        assert (entry.entity, entry.entity_id, entry.actor_id) == (
            "therapy_course",
            str(course_id),
            doctor_id,
        )
        assert entry.details["sha256"] == listed.leaflet_sha256
        site = store.sites.by_code(SITE.code)
        assert site is not None
        site.phone = "+7 727 999 99 99"
    stored = release_leaflet(database, identity_of(factory, officer_id), record_id)
    assert stored.pdf == printed
    assert stored.course_id == course_id


def test_a_reader_who_may_not_record_therapy_is_refused(factory: SessionFactory) -> None:
    course_id, _, officer_id = _course(factory)
    database = Database(factory)
    with pytest.raises(AccessDeniedError):
        officer = identity_of(factory, officer_id)
        record_release(database, officer, course_id, GIVEN, LeafletPrinter("ru", _leaflet))
    assert release_records(database, identity_of(factory, officer_id), course_id) == ()


def test_an_unknown_nuclide_stores_nothing(factory: SessionFactory) -> None:
    course_id, doctor_id, _ = _course(factory)
    database = Database(factory)
    doctor = identity_of(factory, doctor_id)
    with pytest.raises(NucmedInputError):
        record_release(
            database,
            doctor,
            course_id,
            ReleaseInput("Xx-999", 1e9),
            LeafletPrinter("ru", _leaflet),
        )
    assert release_records(database, doctor, course_id) == ()
