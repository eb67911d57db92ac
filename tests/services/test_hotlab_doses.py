"""Hot lab: label MDP from an eluate, draw patient doses, and every refusal on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.hotlab import calibrators, doses
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.materials import remaining
from nucmed.services.hotlab.preparation import PreparationInput, PreparationRefusedError, prepare
from nucmed.services.uow import Database, Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseCalibrator, Material
from nucmed.store.models import Site, User
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import T0, generator_20_gbq, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

ML = 1e-6
HOUR = 3600.0


def identity_of(factory: SessionFactory, user_id: int) -> Identity:
    """The person as an interface passes them to a use case (through an API token)."""
    with transaction(factory) as store:
        user = store.users.by_id(user_id)
        assert user is not None
        secret = issue_token(store, user, "api", 1.0)
    with transaction(factory) as store:
        identity = resolve_token(store, secret, "api")
    assert identity is not None
    return identity


def draw_as(factory: SessionFactory, user_id: int, given: doses.DrawInput) -> doses.DrawMade:
    """Draw a dose as that person (the use case checks their roles at the request's site)."""
    return doses.draw_dose(Database(factory), identity_of(factory, user_id), given)


def _passed_eluate(store: Store, site: Site, tech: User) -> Material:
    gen = generator_20_gbq(store, site, tech)
    eluate = elute(store, tech, site, gen, ElutionInput(T0, 10e9, 10 * ML))
    record_qc(store, tech, site, eluate, QcInput("mo99_breakthrough", 10e9 * 1e-5, "shield", T0))
    record_qc(store, tech, site, eluate, QcInput("aluminium", 5e-3, "spot", T0))
    return eluate


def _calibrator(store: Store, site: Site, tech: User, *, constancy: bool = True) -> DoseCalibrator:
    device = calibrators.add_calibrator(
        store,
        tech,
        site,
        calibrators.CalibratorInput(
            "CRC-25R", "Capintec CRC-25R", "S-1", "Cs-137", 7.4e6, T0 - timedelta(days=365)
        ),
    )
    if constancy:
        expected = 7.4e6 * 2 ** (-(365 * 86400 + 1800) / (30.08 * 365.25 * 86400))
        checked = calibrators.ConstancyInput(expected, T0 + timedelta(minutes=30))
        calibrators.record_constancy(store, tech, device, checked)
    return device


def _mdp(store: Store, site: Site, tech: User) -> Material:
    eluate = _passed_eluate(store, site, tech)
    labelled = T0 + timedelta(minutes=30)
    mdp = prepare(store, tech, site, eluate, PreparationInput("MDP", 5 * ML, labelled))
    record_qc(store, tech, site, mdp, QcInput("rcp", 0.97, "ITLC", labelled))
    return mdp


def _request(store: Store, site: Site, tech: User, mbq: float = 740.0) -> int:
    patient = doses.register_patient(store, tech, site, doses.PatientInput("P-1", "Patient"))
    request = doses.request_dose(
        store,
        tech,
        site,
        doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", mbq * 1e6, T0 + timedelta(hours=2)
        ),
    )
    return request.id


class TestPreparation:
    def test_mdp_takes_activity_from_the_eluate(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp = _mdp(store, site, tech)
            eluate = store.session.get(Material, mdp.parent_id)
            assert eluate is not None
            left = remaining(store, eluate, T0 + timedelta(minutes=30))
        # Half the eluate's volume carries half its activity (decayed 30 min).
        assert mdp.activity_bq == pytest.approx(left.activity_bq, rel=1e-9)
        assert left.volume_m3 == pytest.approx(5 * ML)
        assert mdp.expires_at == T0 + timedelta(hours=12)  # the eluate's 12 h come first

    def test_eluate_without_qc_is_refused(self, factory: SessionFactory) -> None:
        with (
            pytest.raises(PreparationRefusedError, match="QC missing"),
            transaction(factory) as store,
        ):
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 10e9, 10 * ML))
            prepare(store, tech, site, eluate, PreparationInput("mdp", 1 * ML, T0))

    def test_kit_over_its_maximum_activity_is_refused(self, factory: SessionFactory) -> None:
        # PoltechDMSA: at most 7400 MBq in at most 5 mL (the catalogue's confirmed limits).
        with pytest.raises(PreparationRefusedError), transaction(factory) as store:
            site, tech = site_and_tech(store)
            eluate = _passed_eluate(store, site, tech)
            prepare(store, tech, site, eluate, PreparationInput("dmsa", 9 * ML, T0))


class TestDraw:
    def test_draw_volume_and_activity(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
            request_id, ids = _request(store, site, tech), (site.id, tech.id)
        drawn_at = T0 + timedelta(hours=1)
        expected = 740e6 * 2 ** (1 / 6.015)  # one hour before the planned administration
        draw = draw_as(
            factory,
            ids[1],
            doses.DrawInput(request_id, mdp.id, device.id, drawn_at, expected),
        )
        assert draw.expected_bq == pytest.approx(expected, rel=1e-4)
        with transaction(factory) as store:
            vial = store.session.get(Material, mdp.id)
            assert vial is not None
            left = remaining(store, vial, drawn_at)
        assert left.volume_m3 == pytest.approx(5 * ML - draw.volume_m3)

    def test_no_constancy_today_blocks(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech, constancy=False)
            request_id, ids = _request(store, site, tech), (site.id, tech.id)
        with pytest.raises(doses.DoseRefusedError, match="no constancy check"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(request_id, mdp.id, device.id, T0 + timedelta(hours=1), 900e6),
            )

    def test_outside_tolerance_needs_a_reason_and_the_right_role(
        self, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            doctor = create_user(
                store,
                None,
                NewUser("doc.h", "Doctor", "correct horse battery"),
                [(Role.PHYSICIAN, site)],
            )
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
            request_id, ids = _request(store, site, tech), (site.id, tech.id, doctor.id)
        low = doses.DrawInput(request_id, mdp.id, device.id, T0 + timedelta(hours=1), 500e6)
        with pytest.raises(doses.DoseRefusedError, match="beyond ±10%"):
            draw_as(factory, ids[1], low)
        with pytest.raises(doses.DoseRefusedError, match="only a physician"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(
                    request_id, mdp.id, device.id, low.drawn_at, 500e6, "patient is small"
                ),
            )
        accepted = draw_as(
            factory,
            ids[2],
            doses.DrawInput(
                request_id, mdp.id, device.id, low.drawn_at, 500e6, "paediatric patient, 25 kg"
            ),
        )
        assert accepted.override_reason == "paediatric patient, 25 kg"
        with transaction(factory) as store:
            trail = store.audit.trail("dose_request", str(request_id))
        override = [e for e in trail if e.action == "dose.draw_override"]
        assert len(override) == 1 and override[0].actor_id == ids[2]
        assert override[0].reason == "paediatric patient, 25 kg"

    def test_overdraw_refused(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
            request_id, ids = _request(store, site, tech, mbq=20000.0), (site.id, tech.id)
        with pytest.raises(doses.DoseRefusedError, match="not enough"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(request_id, mdp.id, device.id, T0 + timedelta(hours=1), 20e9),
            )

    def test_wrong_radiopharmaceutical_refused(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
            patient = doses.register_patient(store, tech, site, doses.PatientInput("P-2", "X"))
            request = doses.request_dose(
                store,
                tech,
                site,
                doses.RequestInput(
                    patient.id, "Lung perfusion", "maa", "Tc-99m", 150e6, T0 + timedelta(hours=2)
                ),
            )
            ids = (site.id, tech.id, request.id)
        with pytest.raises(doses.DoseRefusedError, match="not maa"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(ids[2], mdp.id, device.id, T0 + timedelta(hours=1), 180e6),
            )


class TestOtherProducts:
    def test_lu177_psma_from_a_vial_then_dispensed(self, factory: SessionFactory) -> None:
        from nucmed.services.hotlab.preparation import (  # noqa: PLC0415
            ProductPreparationInput,
            prepare_product,
        )
        from nucmed.services.hotlab.receiving import Delivery, receive  # noqa: PLC0415
        from tests.services.hotlab_fixtures import QUIET, WHITE  # noqa: PLC0415

        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            vial, _ = receive(
                store,
                tech,
                site,
                Delivery(
                    "vial",
                    "Lu-177",
                    "Lu-177 chloride",
                    16e9,
                    T0,
                    volume_m3=2 * ML,
                    expires_at=T0 + timedelta(days=5),
                    package=WHITE,
                ),
                QUIET,
            )
            psma = prepare_product(
                store,
                tech,
                site,
                vial,
                ProductPreparationInput(
                    "Lu-177 PSMA-617", 1 * ML, T0 + timedelta(hours=1), 8 * HOUR, 0.95
                ),
            )
            assert psma.nuclide == "Lu-177"
            assert psma.activity_bq == pytest.approx(8e9 * 2 ** (-1 / (6.647 * 24)), rel=1e-6)
            assert psma.expires_at == T0 + timedelta(hours=9)
            record_qc(store, tech, site, psma, QcInput("rcp", 0.98, "radio-HPLC", T0))
            assert remaining(store, vial, T0).volume_m3 == pytest.approx(1 * ML)

    def test_expired_vial_and_failed_constancy_refuse_the_draw(
        self, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech, constancy=False)
            checked = calibrators.ConstancyInput(1e6, T0 + timedelta(minutes=30))
            calibrators.record_constancy(store, tech, device, checked)
            request_id, ids = _request(store, site, tech), (site.id, tech.id)
        with pytest.raises(doses.DoseRefusedError, match="constancy check of CRC-25R failed"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(request_id, mdp.id, device.id, T0 + timedelta(hours=1), 800e6),
            )
        with pytest.raises(doses.DoseRefusedError, match="expired"):
            draw_as(
                factory,
                ids[1],
                doses.DrawInput(request_id, mdp.id, device.id, T0 + timedelta(hours=13), 800e6),
            )
