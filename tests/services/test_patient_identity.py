"""Patient identity: a hospital number on file names one person; another name, birth date or
sex is refused with both identities, unless explicitly corrected (a record and an audit entry);
every path that registers a patient (registration, dose request, HL7 ADT/ORM) takes the rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from nucmed.errors import NucmedInputError
from nucmed.services import patients
from nucmed.services.clinic.exchange import import_hl7
from nucmed.services.hotlab import doses
from nucmed.services.patient_identity import (
    PatientIdentityError,
    PatientInput,
    name_key,
    register_patient,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Patient
from nucmed.store.models import AuditEntry, PatientCorrection, Site, User
from tests.services.hotlab_fixtures import T0, site_and_tech
from tests.services.test_hotlab_doses import identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

BORN = date(1971, 5, 2)


def _first(store: Store) -> tuple[Site, User, Patient]:
    site, tech = site_and_tech(store)
    patient = register_patient(
        store, tech, site, PatientInput("A-0100", "Досанов Данияр", BORN, "M")
    )
    return site, tech, patient


def _audit(store: Store, action: str) -> list[AuditEntry]:
    return list(store.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


class TestSamePerson:
    @pytest.mark.parametrize(
        "name",
        [
            pytest.param("Досанов Данияр", id="same"),
            pytest.param("  ДОСАНОВ   данияр ", id="case-and-spaces"),
            pytest.param("Досанов^Данияр", id="hl7-components"),
        ],
    )
    def test_same_name_is_the_same_patient(self, factory: SessionFactory, name: str) -> None:
        with transaction(factory) as store:
            site, tech, first = _first(store)
            again = register_patient(store, tech, site, PatientInput(" A-0100 ", name, BORN))
            assert again.id == first.id
            assert again.full_name == "Досанов Данияр"

    def test_a_birth_date_known_only_now_is_added_and_audited(
        self, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            first = register_patient(store, tech, site, PatientInput("B-1", "Seitkali Aigerim"))
            again = register_patient(
                store, tech, site, PatientInput("B-1", "Seitkali Aigerim", BORN, "F")
            )
            assert again.id == first.id
            assert (again.birth_date, again.sex) == (BORN, "F")
            (entry,) = _audit(store, "patient.complete")
            assert entry.details == {"birth_date": "1971-05-02", "sex": "F"}


class TestRefused:
    @pytest.mark.parametrize(
        ("given", "shown"),
        [
            pytest.param(
                PatientInput("A-0100", "Иванов Иван Иванович", BORN),
                "Иванов Иван Иванович, 1971-05-02",
                id="other-name",
            ),
            pytest.param(
                PatientInput("A-0100", "Досанов Данияр", date(1980, 1, 1)),
                "Досанов Данияр, 1980-01-01",
                id="other-birth-date",
            ),
            pytest.param(
                PatientInput("A-0100", "Досанов Данияр", BORN, "F"),
                "Досанов Данияр, 1971-05-02",
                id="other-sex",
            ),
        ],
    )
    def test_other_identity_is_refused_with_both_shown(
        self, factory: SessionFactory, given: PatientInput, shown: str
    ) -> None:
        with transaction(factory) as store:
            site, tech, first = _first(store)
            with pytest.raises(PatientIdentityError) as caught:
                register_patient(store, tech, site, given)
            assert caught.value.on_file.text() == "Досанов Данияр, 1971-05-02"
            assert caught.value.given.text() == shown
            message = str(caught.value)
            assert "A-0100" in message and "Досанов Данияр, 1971-05-02" in message
            assert shown in message
            assert first.full_name == "Досанов Данияр"
            assert store.session.scalars(select(PatientCorrection)).all() == []

    def test_latin_look_alike_letters_are_not_the_same_name(self, factory: SessionFactory) -> None:
        """ "Осипов" typed with a Latin O and c is another name: refused, saying why."""
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            register_patient(store, tech, site, PatientInput("C-1", "Осипов Олег"))
            with pytest.raises(PatientIdentityError, match="look alike"):
                register_patient(store, tech, site, PatientInput("C-1", "Ocипов Олег"))

    def test_a_correction_needs_a_reason(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech, _ = _first(store)
            given = PatientInput("A-0100", "Досанов Данияр Ерланович", corrected=True, reason=" ")
            with pytest.raises(NucmedInputError, match="say why"):
                register_patient(store, tech, site, given)


class TestCorrected:
    def test_correction_writes_a_record_an_audit_entry_and_shows_the_new_name(
        self, factory: SessionFactory, database: Database
    ) -> None:
        with transaction(factory) as store:
            site, tech, first = _first(store)
            tech_id, code = tech.id, site.code
        identity = identity_of(factory, tech_id)
        given = PatientInput(
            "A-0100", "Досанов Данияр Ерланович", corrected=True, reason="patronymic missing"
        )
        found = patients.register(database, identity, code, given)
        assert found.id == first.id and found.full_name == "Досанов Данияр Ерланович"
        assert found.birth_date == BORN  # not entered: kept
        record = patients.patient_record(database, identity, first.id)
        assert record.patient.full_name == "Досанов Данияр Ерланович"
        (correction,) = record.corrections
        assert (correction.previous_name, correction.full_name) == (
            "Досанов Данияр",
            "Досанов Данияр Ерланович",
        )
        assert correction.reason == "patronymic missing"
        with transaction(factory) as store:
            (entry,) = _audit(store, "patient.correct")
            assert entry.reason == "patronymic missing" and entry.actor_id == tech_id

    def test_corrections_are_append_only(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech, _ = _first(store)
            given = PatientInput("A-0100", "Dosanov Daniyar", corrected=True, reason="Latin")
            register_patient(store, tech, site, given)
        for statement in (
            "UPDATE patient_corrections SET reason = 'x'",
            "DELETE FROM patient_corrections",
        ):
            with pytest.raises(DBAPIError, match="append-only"), factory.begin() as session:
                session.execute(text(statement))


class TestEveryPath:
    def test_a_dose_request_for_a_number_with_another_name_is_refused(
        self, factory: SessionFactory, database: Database
    ) -> None:
        with transaction(factory) as store:
            site, tech, _ = _first(store)
            tech_id, code = tech.id, site.code
        identity = identity_of(factory, tech_id)
        order = doses.DoseOrder("Bone scan", "mdp", "Tc-99m", 740e6, T0 + timedelta(hours=2))
        with pytest.raises(PatientIdentityError, match="Иванов Иван Иванович"):
            doses.ask_for_dose(
                database, identity, code, PatientInput("A-0100", "Иванов Иван Иванович"), order
            )

    def test_hl7_a04_with_another_name_is_refused_and_a08_corrects(
        self, factory: SessionFactory
    ) -> None:
        pid = "PID|||A-0100^^^H^MR||Досанов^Данияр^Ерланович||19710502|M\r"
        msh = "MSH|^~\\&|HIS|H|NM|H|20261122083000+0500||ADT^{event}|{event}-1|P|2.5\r"
        with transaction(factory) as store:
            site, tech, first = _first(store)
            with pytest.raises(PatientIdentityError):
                import_hl7(store, tech, site, msh.format(event="A04") + pid)
            result = import_hl7(store, tech, site, msh.format(event="A08") + pid)
            assert result["patient_id"] == first.id
            assert name_key(first.full_name) == "досанов данияр ерланович"
            (correction,) = store.session.scalars(select(PatientCorrection)).all()
            assert correction.reason == "HL7 ADT^A08 update, message A08-1"
