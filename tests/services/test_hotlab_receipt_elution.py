"""Hot lab: receipt of material, elution of a generator, eluate QC that blocks use."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.physics import generator
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.materials import blocking_reasons, remaining
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from tests.services.hotlab_fixtures import T0, generator_20_gbq, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

ML = 1e-6
HOUR = 3600.0


class TestReceipt:
    def test_declared_activity_is_decay_corrected_to_the_measurement(
        self, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            delivery = Delivery(
                "vial",
                "I-131",
                "Sodium iodide I-131",
                4e9,
                T0 - timedelta(days=8.0207),
                package=Declaration("II-YELLOW", 0.1),
            )
            survey = Survey(T0, 5e-9, 1e-10, 0.0, measured_activity_bq=2e9)  # 18 µSv/h
            _, receipt = receive(store, tech, site, delivery, survey)
        assert receipt.expected_activity_bq == pytest.approx(2e9, rel=1e-6)
        assert receipt.findings == []

    def test_action_levels_exceeded_are_findings(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            package = Declaration("III-YELLOW", 0.1)
            delivery = Delivery("vial", "Tc-99m", "Pertechnetate", 1e9, T0, package=package)
            # 3 mSv/h at the surface (limit 2), 10 Bq/cm2 wipe (limit 4), activity 20 % low.
            survey = Survey(T0, 3e-3 / HOUR, 1e-10, 10 / 1e-4, measured_activity_bq=0.8e9)
            _, receipt = receive(store, tech, site, delivery, survey)
        checks = {finding["check"] for finding in receipt.findings}
        assert checks == {"surface dose rate", "wipe test", "activity"}

    def test_bad_delivery_refused(self, factory: SessionFactory) -> None:
        with pytest.raises(NucmedInputError, match="positive"), transaction(factory) as store:
            site, tech = site_and_tech(store)
            receive(
                store,
                tech,
                site,
                Delivery("vial", "F-18", "FDG", -1.0, T0, package=Declaration("I-WHITE", 0)),
                Survey(T0, 0, 0, 0),
            )


class TestElution:
    def test_predicted_yield_from_the_generator_model(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 9e9, 10 * ML))
        # Column clean at the calibration (12 h before): the model's Tc-99m at T0.
        expected = generator.tc99m_activity_bq(20e9, 12 * HOUR)
        assert eluate.details["predicted_bq"] == pytest.approx(expected, rel=1e-9)
        assert eluate.expires_at == T0 + timedelta(hours=12)

    def test_eluate_is_blocked_until_both_qc_tests_pass(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 9e9, 10 * ML))
            assert blocking_reasons(store, eluate, T0) == [
                "mo99_breakthrough QC missing",
                "aluminium QC missing",
            ]
            record_qc(
                store,
                tech,
                site,
                eluate,
                QcInput("mo99_breakthrough", 9e9 * 1e-5, "moly shield", T0),
            )
            record_qc(store, tech, site, eluate, QcInput("aluminium", 5e-3, "colour spot", T0))
            assert blocking_reasons(store, eluate, T0 + timedelta(hours=1)) == []
            assert "expired" in blocking_reasons(store, eluate, T0 + timedelta(hours=13))[0]

    def test_failed_breakthrough_blocks(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 9e9, 10 * ML))
            result = record_qc(
                store,
                tech,
                site,
                eluate,
                QcInput("mo99_breakthrough", 9e9 * 2e-4, "moly shield", T0),
            )
            assert not result.passes
            failed = "mo99_breakthrough QC failed: 0.2 kBq/MBq (limit 0.15 kBq/MBq)"
            assert failed in blocking_reasons(store, eluate, T0)

    def test_breakthrough_that_grows_over_the_limit_blocks_later(
        self, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 9e9, 10 * ML))
            # 1.0e-4 at elution: the ratio doubles every 6.6 h, so it passes 1.5e-4 by ~4 h.
            record_qc(
                store,
                tech,
                site,
                eluate,
                QcInput("mo99_breakthrough", 9e9 * 1.0e-4, "moly shield", T0),
            )
            record_qc(store, tech, site, eluate, QcInput("aluminium", 5e-3, "spot", T0))
            assert blocking_reasons(store, eluate, T0 + timedelta(hours=3)) == []
            later = blocking_reasons(store, eluate, T0 + timedelta(hours=5))
            assert later and "breakthrough" in later[0]

    def test_remaining_activity_decays(self, factory: SessionFactory) -> None:
        with transaction(factory) as store:
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            eluate = elute(store, tech, site, gen, ElutionInput(T0, 8e9, 10 * ML))
            left = remaining(store, eluate, T0 + timedelta(hours=6.015))
        assert left.activity_bq == pytest.approx(4e9, rel=1e-9)
        assert left.volume_m3 == pytest.approx(10 * ML)

    def test_second_elution_before_the_first_refused(self, factory: SessionFactory) -> None:
        with (
            pytest.raises(NucmedInputError, match="after the previous"),
            transaction(factory) as store,
        ):
            site, tech = site_and_tech(store)
            gen = generator_20_gbq(store, site, tech)
            elute(store, tech, site, gen, ElutionInput(T0, 8e9, 10 * ML))
            elute(store, tech, site, gen, ElutionInput(T0 - timedelta(hours=1), 8e9, 10 * ML))
