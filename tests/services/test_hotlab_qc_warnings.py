"""Eluate QC in units, the Mo-99 limit time, elution-yield warnings and duplicate lots (issue 11,
item 8). Times are booked relative to the test clock, minutes before it."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.physics import generator
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.materials import MaterialView, blocking_reasons, material_view
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.hotlab.receiving import Delivery, Survey, receive
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material
from nucmed.store.models import AuditEntry, Site, User
from nucmed.units import KG_PER_UG, M3_PER_ML
from tests.services.hotlab_fixtures import WHITE, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

ML = 1e-6
HOUR = 3600.0
USP_LIMIT = 1.5e-4  # the site default: 0.15 kBq/MBq (10 CFR 35.204(a)(1))
ELUATE_BQ = 9e9  # about 95 % of a complete elution 12 h after the calibration


def _receive(
    store: Store, site: Site, tech: User, now: datetime, lot: str, **changes: object
) -> Material:
    """A 20 GBq generator calibrated 12 h ago (column clean then), surveyed 10 minutes ago."""
    given: dict[str, object] = {
        "kind": "generator",
        "nuclide": "Mo-99",
        "product": "Tc-99m generator 20 GBq",
        "activity_bq": 20e9,
        "calibration_time": now - timedelta(hours=12),
        "lot": lot,
        "expires_at": now + timedelta(days=14),
        **changes,
    }
    delivery = Delivery(**given, package=WHITE)  # type: ignore[arg-type]
    survey = Survey(now - timedelta(minutes=10), 1e-9, 1e-10, 0.0)
    material, _ = receive(store, tech, site, delivery, survey)
    return material


def _eluted(clock: FixedClock) -> datetime:
    return clock.now() - timedelta(minutes=5)


def _elute_with_yield(
    database: Database, clock: FixedClock, fraction: float
) -> tuple[Material, MaterialView]:
    """Elute the generator 12 h after its calibration with ``fraction`` of the prediction."""
    now = clock.now()
    with transaction(database) as store:
        site, tech = site_and_tech(store)
        gen = _receive(store, site, tech, _eluted(clock), "G-1")
        predicted = generator.tc99m_activity_bq(20e9, 12 * HOUR)
        eluate = elute(
            store, tech, site, gen, ElutionInput(_eluted(clock), fraction * predicted, 10 * ML)
        )
        return eluate, material_view(store, site, eluate, now)


class TestElutionYield:
    def test_low_yield_is_accepted_with_a_stored_warning(
        self, database: Database, clock: FixedClock
    ) -> None:
        eluate, view = _elute_with_yield(database, clock, 0.668)
        assert eluate.details["yield"] == pytest.approx(0.668, rel=1e-9)
        assert eluate.details["yield_warning"] == {"side": "below", "level": pytest.approx(0.8)}
        (warning,) = view.warnings
        assert "elution yield 66.8 % is below the site's warning level of 80 %" in warning
        with transaction(database, read_only=True) as store:
            entry = store.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "material.elute")
            ).one()
        assert entry.details["yield_warning"]["side"] == "below"

    @pytest.mark.parametrize("fraction", [1.09, 1.12], ids=["109 %", "112 %"])
    def test_high_yield_is_warned(
        self, database: Database, clock: FixedClock, fraction: float
    ) -> None:
        _, view = _elute_with_yield(database, clock, fraction)
        (warning,) = view.warnings
        percent = f"{fraction * 100:.3g} %"
        assert f"elution yield {percent} is above the site's warning level of 105 %" in warning

    def test_yield_inside_the_band_says_nothing(
        self, database: Database, clock: FixedClock
    ) -> None:
        eluate, view = _elute_with_yield(database, clock, 0.95)
        assert "yield_warning" not in eluate.details
        assert view.warnings == ()

    def test_yield_over_200_percent_is_refused_with_the_range(
        self, database: Database, clock: FixedClock
    ) -> None:
        with pytest.raises(NucmedInputError, match=r"250 % .*a yield from 0 to 200 % is accepted"):
            _elute_with_yield(database, clock, 2.5)


class TestQcInUnits:
    def _eluate(self, store: Store, clock: FixedClock) -> tuple[Site, User, Material]:
        site, tech = site_and_tech(store)
        gen = _receive(store, site, tech, _eluted(clock), "G-1")
        given = ElutionInput(_eluted(clock), ELUATE_BQ, 10 * ML)
        return site, tech, elute(store, tech, site, gen, given)

    def test_breakthrough_reaches_its_limit_when_the_ratio_has_doubled(
        self, database: Database, clock: FixedClock
    ) -> None:
        # Analytic: R(t) = R(0) exp((λ_Tc − λ_Mo) t), so from half the limit the limit is
        # reached after t = ln 2 / (λ_Tc − λ_Mo) = 1 / (1/T_Tc − 1/T_Mo) (6.62 h, ICRP-107).
        with transaction(database) as store:
            site, tech, eluate = self._eluate(store, clock)
            mo99_bq = USP_LIMIT / 2 * ELUATE_BQ
            record_qc(
                store,
                tech,
                site,
                eluate,
                QcInput("mo99_breakthrough", mo99_bq, "", _eluted(clock)),
            )
            view = material_view(store, site, eluate, clock.now())
            reached = view.qc["mo99_breakthrough"].limit_reached_at
            before = blocking_reasons(store, eluate, reached - timedelta(minutes=1))
            after = blocking_reasons(store, eluate, reached + timedelta(minutes=1))
        t_tc = get_nuclide("Tc-99m").half_life_s
        t_mo = get_nuclide("Mo-99").half_life_s
        expected_s = 1 / (1 / t_tc - 1 / t_mo)
        assert reached is not None
        assert (reached - _eluted(clock)).total_seconds() == pytest.approx(expected_s, rel=1e-9)
        assert expected_s / HOUR == pytest.approx(6.62, abs=0.005)
        qc = view.qc["mo99_breakthrough"]
        assert (qc.unit, qc.value_in_unit, qc.limit_in_unit) == (
            "kBq/MBq",
            pytest.approx(0.075),
            pytest.approx(0.15),
        )
        assert not any("Mo-99 breakthrough" in r for r in before)
        assert any("over the limit 0.15 kBq/MBq by now" in r for r in after)

    def test_no_mo99_never_reaches_the_limit(self, database: Database, clock: FixedClock) -> None:
        with transaction(database) as store:
            site, tech, eluate = self._eluate(store, clock)
            record_qc(
                store, tech, site, eluate, QcInput("mo99_breakthrough", 0.0, "", _eluted(clock))
            )
            view = material_view(store, site, eluate, clock.now())
        assert view.qc["mo99_breakthrough"].limit_reached_at is None

    def test_failed_results_name_their_values_and_limits_in_units(
        self, database: Database, clock: FixedClock
    ) -> None:
        aluminium = 20 * KG_PER_UG / M3_PER_ML  # 20 µg/mL, limit 10
        with transaction(database) as store:
            site, tech, eluate = self._eluate(store, clock)
            at = _eluted(clock)
            record_qc(
                store, tech, site, eluate, QcInput("mo99_breakthrough", 3e-4 * ELUATE_BQ, "", at)
            )
            record_qc(store, tech, site, eluate, QcInput("aluminium", aluminium, "", at))
            view = material_view(store, site, eluate, clock.now())
        assert "mo99_breakthrough QC failed: 0.3 kBq/MBq (limit 0.15 kBq/MBq)" in view.blocked
        assert "aluminium QC failed: 20 µg/mL (limit 10 µg/mL)" in view.blocked
        assert view.qc["aluminium"].unit == "µg/mL"
        assert view.qc["aluminium"].value_in_unit == pytest.approx(20)
        assert view.qc["mo99_breakthrough"].limit_reached_at == at  # over at the measurement

    def test_radiochemical_purity_in_percent(self, database: Database, clock: FixedClock) -> None:
        at = _eluted(clock)
        with transaction(database) as store:
            site, tech, eluate = self._eluate(store, clock)
            record_qc(store, tech, site, eluate, QcInput("mo99_breakthrough", 0.0, "", at))
            record_qc(store, tech, site, eluate, QcInput("aluminium", 0.0, "", at))
            mdp = prepare(store, tech, site, eluate, PreparationInput("MDP", 5 * ML, at))
            record_qc(store, tech, site, mdp, QcInput("rcp", 0.8, "ITLC", at))
            view = material_view(store, site, mdp, clock.now())
        rcp = view.qc["rcp"]
        assert (rcp.unit, rcp.value_in_unit) == ("%", pytest.approx(80.0))
        limit = f"{rcp.limit_in_unit:.3g}"
        assert f"rcp QC failed: 80 % (limit {limit} %)" in view.blocked


class TestDuplicateLot:
    def _audited(self, store: Store) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.action == "material.duplicate_lot")
        return list(store.session.scalars(query))

    def test_second_generator_with_a_lot_in_stock_is_warned(
        self, database: Database, clock: FixedClock
    ) -> None:
        now = clock.now()
        with transaction(database) as store:
            site, tech = site_and_tech(store)
            first = _receive(
                store, site, tech, now, "TL-2611", calibration_time=now - timedelta(days=7)
            )
            second = _receive(store, site, tech, now, " tl-2611")
            view = material_view(store, site, second, now)
            first_view = material_view(store, site, first, now)
            (entry,) = self._audited(store)
        (warning,) = view.warnings
        assert f"is also on #{first.id} Tc-99m generator 20 GBq in stock" in warning
        assert f"#{second.id}" in first_view.warnings[0]
        assert entry.details == {"lot": " tl-2611", "others": [first.id]}
        assert all("lot" not in r for r in view.blocked)  # a warning, not a stop

    def test_vials_of_one_batch_share_their_lot_without_a_word(
        self, database: Database, clock: FixedClock
    ) -> None:
        now = clock.now()
        vial = {"kind": "vial", "nuclide": "I-131", "product": "Sodium iodide I-131 capsule"}
        with transaction(database) as store:
            site, tech = site_and_tech(store)
            _receive(store, site, tech, now, "I-55", **vial, activity_bq=4e9)
            second = _receive(store, site, tech, now, "I-55", **vial, activity_bq=4e9)
            assert material_view(store, site, second, now).warnings == ()
            assert self._audited(store) == []

    def test_no_lot_no_warning(self, database: Database, clock: FixedClock) -> None:
        now = clock.now()
        with transaction(database) as store:
            site, tech = site_and_tech(store)
            _receive(store, site, tech, now, "", calibration_time=now - timedelta(days=7))
            second = _receive(store, site, tech, now, "")
            assert material_view(store, site, second, now).warnings == ()


def test_usp_limit_is_the_site_default() -> None:
    # The expected values above assume the default limit; the physics' USP constant agrees.
    assert math.isclose(generator.USP_LIMIT.ratio, USP_LIMIT)
