"""Races on both databases: clients that act at the same moment never get two syringes for
one request, never take more than an eluate holds, never elute twice at once, never make two
patients of one hospital number, and never get anything but a success or a clean refusal.

Each race starts its threads together on a barrier, on a database of its own whose commits are
real (``committing_factory``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from nucmed.errors import NucmedInputError
from nucmed.services import patient_identity, patients
from nucmed.services.hotlab import doses
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, elute_generator, record_qc
from nucmed.services.hotlab.preparation import PreparationInput, PreparationRefusedError, label_kit
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient
from tests.services.hotlab_fixtures import T0, generator_20_gbq, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

ML = 1e-6
T = TypeVar("T")


def _together(actions: Sequence[Callable[[], T]]) -> list[T | NucmedInputError]:
    """Run the actions at once (threads released together); each one's result or refusal.
    Any other exception fails the test."""
    barrier = threading.Barrier(len(actions))

    def run(action: Callable[[], T]) -> T | NucmedInputError:
        barrier.wait()
        try:
            return action()
        except NucmedInputError as refusal:
            return refusal

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


def _request(factory: SessionFactory, site_id: int, tech_id: int, number: int) -> int:
    with transaction(factory) as store:
        site, tech = store.sites.by_id(site_id), store.users.by_id(tech_id)
        assert site is not None and tech is not None
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput(f"R-{number}", f"Racer {number}")
        )
        order = doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", 300e6, T0 + timedelta(hours=2)
        )
        return doses.request_dose(store, tech, site, order).id


ROUNDS = 3


def test_two_vials_at_once_for_one_request_make_one_draw(
    committing_factory: SessionFactory,
) -> None:
    factory = committing_factory
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        vials = (_mdp(store, site, tech).id, _mdp(store, site, tech).id)
        device, ids = _calibrator(store, site, tech).id, (site.id, tech.id)
    database, identity = Database(factory), identity_of(factory, ids[1])
    drawn_at = T0 + timedelta(hours=1)
    expected = 300e6 * 2 ** (1 / 6.015)
    for number in range(ROUNDS):
        request_id = _request(factory, *ids, number)
        inputs = [doses.DrawInput(request_id, vial, device, drawn_at, expected) for vial in vials]
        outcomes = _together(
            [
                lambda given=given: doses.draw_dose(database, identity, given)  # type: ignore[misc]
                for given in inputs
            ]
        )
        made = [o for o in outcomes if isinstance(o, doses.DrawMade)]
        refused = [o for o in outcomes if isinstance(o, NucmedInputError)]
        assert len(made) == 1 and len(refused) == 1
        assert "drawn already" in str(refused[0])
        with transaction(factory) as store:
            count = store.session.scalar(
                select(func.count()).select_from(Draw).where(Draw.request_id == request_id)
            )
        assert count == 1


def test_twenty_preparations_of_1_ml_from_a_5_ml_eluate(
    committing_factory: SessionFactory,
) -> None:
    factory = committing_factory
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        gen = generator_20_gbq(store, site, tech)
        eluate = elute(store, tech, site, gen, ElutionInput(T0, 5e9, 5 * ML))
        record_qc(store, tech, site, eluate, QcInput("mo99_breakthrough", 5e4, "shield", T0))
        record_qc(store, tech, site, eluate, QcInput("aluminium", 5e-3, "spot", T0))
        eluate_id, tech_id = eluate.id, tech.id
    database, identity = Database(factory), identity_of(factory, tech_id)
    kit = PreparationInput("mdp", 1 * ML, T0 + timedelta(minutes=30))
    outcomes = _together([lambda: label_kit(database, identity, eluate_id, kit)] * 20)
    refused = [o for o in outcomes if isinstance(o, NucmedInputError)]
    assert all(isinstance(o, PreparationRefusedError) for o in refused)
    assert len(outcomes) - len(refused) == 5
    with transaction(factory) as store:
        taken = store.session.scalar(
            select(func.sum(Material.volume_m3)).where(Material.parent_id == eluate_id)
        )
    assert taken is not None and taken <= 5 * ML * (1 + 1e-9)


def test_two_elutions_at_once_make_one_eluate(committing_factory: SessionFactory) -> None:
    factory = committing_factory
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        generator_id, tech_id = generator_20_gbq(store, site, tech).id, tech.id
    database, identity = Database(factory), identity_of(factory, tech_id)
    elution = ElutionInput(T0, 10e9, 10 * ML)
    outcomes = _together([lambda: elute_generator(database, identity, generator_id, elution)] * 4)
    refused = [o for o in outcomes if isinstance(o, NucmedInputError)]
    assert len(refused) == 3
    assert all("after the previous one" in str(o) for o in refused)
    with transaction(factory) as store:
        eluates = store.session.scalar(
            select(func.count()).select_from(Material).where(Material.parent_id == generator_id)
        )
    assert eluates == 1


def test_ten_requests_at_once_for_one_new_patient(committing_factory: SessionFactory) -> None:
    """Dose requests (which register the patient) and registrations from the patients page, all
    at once for one new hospital number: one patient, and every answer a success."""
    factory = committing_factory
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        code, tech_id = site.code, tech.id
    database, identity = Database(factory), identity_of(factory, tech_id)
    person = doses.PatientInput("NEW-1", "New patient")
    order = doses.DoseOrder("Bone scan", "mdp", "Tc-99m", 740e6, T0 + timedelta(hours=2))
    asks = [lambda: doses.ask_for_dose(database, identity, code, person, order)] * 7
    registrations = [lambda: patients.register(database, identity, code, person)] * 3
    outcomes = _together([*asks, *registrations])
    assert not [o for o in outcomes if isinstance(o, NucmedInputError)]
    with transaction(factory) as store:
        found = store.session.scalars(select(Patient).where(Patient.local_id == "NEW-1")).all()
        requests = store.session.scalar(select(func.count()).select_from(DoseRequest))
    assert len(found) == 1 and requests == 7
    assert {o.patient_id for o in outcomes if isinstance(o, doses.DoseAsked)} == {found[0].id}
    assert {o.id for o in outcomes if isinstance(o, patients.PatientView)} == {found[0].id}


def test_a_draw_that_passes_the_check_meets_the_unique_index(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the lock and the check ever passed by two draws of one request, the index on
    (request, attempt) refuses the second, cleanly."""
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        vials = (_mdp(store, site, tech).id, _mdp(store, site, tech).id)
        device, tech_id = _calibrator(store, site, tech).id, tech.id
    request_id = _request(factory, site.id, tech_id, 1)
    database, identity = Database(factory), identity_of(factory, tech_id)
    drawn_at, expected = T0 + timedelta(hours=1), 300e6 * 2 ** (1 / 6.015)
    doses.draw_dose(
        database, identity, doses.DrawInput(request_id, vials[0], device, drawn_at, expected)
    )
    monkeypatch.setattr(doses, "live_draw", lambda store, request: None)
    with pytest.raises(doses.DoseRefusedError, match="drawn already"):
        doses.draw_dose(
            database, identity, doses.DrawInput(request_id, vials[1], device, drawn_at, expected)
        )


def test_a_registration_that_meets_the_index_reads_the_patient_back(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other transaction registered the number between the look-up and the insert."""
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        first = doses.register_patient(store, tech, site, doses.PatientInput("P-7", "Seven"))
        looked_up, missed = patient_identity._patient_at, list[bool]()

        def misses_once(*args: object) -> Patient | None:
            if not missed:
                missed.append(True)
                return None
            return looked_up(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(patient_identity, "_patient_at", misses_once)
        again = doses.register_patient(store, tech, site, doses.PatientInput("P-7", "Seven"))
        assert again.id == first.id
        count = store.session.scalar(select(func.count()).select_from(Patient))
    assert count == 1
