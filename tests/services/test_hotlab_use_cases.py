"""Hot-lab use cases as the interfaces call them: each opens its transaction, checks the
permission at the site and returns view values (receipt, elution, QC, kits, stock, licence
limits, calibrators)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.hotlab import calibrator_log, elution, preparation, receiving, stock
from nucmed.services.hotlab.calibrators import CalibratorInput, ConstancyInput
from nucmed.services.hotlab.materials import read_material
from nucmed.services.permissions import AccessDeniedError, AtSite, NotFoundError
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

ML = 1e-6
HOUR = 3600.0
People = Callable[[str], Identity]


@pytest.fixture
def people(database: Database) -> People:
    """The hot-lab test site with a technologist (``tech``) and a resident (``resident``)."""
    with transaction(database) as store:
        site, _ = site_and_tech(store)
        create_user(
            store,
            None,
            NewUser("resident.h", "Resident", "correct horse battery"),
            [(Role.RESIDENT, site)],
        )

    def identity(name: str) -> Identity:
        username = {"tech": "tech.h", "resident": "resident.h"}[name]
        with transaction(database) as store:
            user = store.users.by_username(username)
            assert user is not None
            secret = issue_token(store, user, "api", 1.0)
        with transaction(database) as store:
            found = resolve_token(store, secret, "api")
        assert found is not None
        return found

    return identity


GENERATOR = receiving.Delivery(
    "generator",
    "Mo-99",
    "Tc-99m generator",
    20e9,
    T0 - timedelta(hours=12),
    lot="G-1",
    package=receiving.Declaration("I-WHITE", 0.0),
)


def _eluate(database: Database, tech: Identity) -> int:
    survey = receiving.Survey(T0, 1e-9, 1e-10, 0.0)
    receipt = receiving.record_receipt(database, tech, SITE.code, GENERATOR, survey)
    eluate = elution.elute_generator(
        database, tech, receipt.material.id, elution.ElutionInput(T0, 10e9, 10 * ML)
    )
    return eluate.id


def test_receipt_findings_are_in_si(database: Database, people: People) -> None:
    loud = receiving.Survey(T0, 3e-3 / HOUR, 1e-10, 10 / 1e-4)
    yellow = dataclasses.replace(GENERATOR, package=receiving.Declaration("III-YELLOW", 1.0))
    receipt = receiving.record_receipt(database, people("tech"), SITE.code, yellow, loud)
    surface = next(f for f in receipt.findings if f["check"] == "surface dose rate")
    assert surface["unit"] == "Sv/s" and surface["value"] == pytest.approx(3e-3 / HOUR)
    assert surface["limit"] == pytest.approx(2e-3 / HOUR)  # 2 mSv/h, III-YELLOW (SSR-6 529)
    assert receipt.quarantined
    assert receipt.material.kind == "generator" and receipt.material.site.code == SITE.code


def test_a_resident_may_read_but_not_receive(database: Database, people: People) -> None:
    survey = receiving.Survey(T0, 1e-9, 1e-10, 0.0)
    with pytest.raises(AccessDeniedError):
        receiving.record_receipt(database, people("resident"), SITE.code, GENERATOR, survey)
    assert stock.read_stock(database, people("resident"), SITE.code).lines == ()


def test_eluate_qc_and_a_kit(database: Database, people: People) -> None:
    tech = people("tech")
    eluate_id = _eluate(database, tech)
    blocked = read_material(database, tech, eluate_id, T0)
    assert blocked.blocked == ("mo99_breakthrough QC missing", "aluminium QC missing")
    assert blocked.qc_tests == ("mo99_breakthrough", "aluminium") and blocked.kits
    for qc in (
        elution.QcInput("mo99_breakthrough", 10e9 * 1e-5, "shield", T0),
        elution.QcInput("aluminium", 5e-3, "spot", T0),
    ):
        view = elution.enter_qc(database, tech, eluate_id, qc)
    assert view.blocked == () and view.qc["aluminium"].passes
    labelled = T0 + timedelta(minutes=30)
    made = preparation.label_kit(
        database, tech, eluate_id, preparation.PreparationInput("mdp", 5 * ML, labelled)
    )
    assert made.kind == "preparation" and made.parent_id == eluate_id
    assert read_material(database, tech, eluate_id, labelled).left.volume_m3 == pytest.approx(
        5 * ML
    )


def test_a_kit_from_a_blocked_eluate_is_refused(database: Database, people: People) -> None:
    tech = people("tech")
    eluate_id = _eluate(database, tech)
    with pytest.raises(preparation.PreparationRefusedError, match="QC missing"):
        preparation.label_kit(
            database, tech, eluate_id, preparation.PreparationInput("mdp", 5 * ML, T0)
        )


def test_unknown_material(database: Database, people: People) -> None:
    with pytest.raises(NotFoundError, match="no material 999"):
        read_material(database, people("tech"), 999)


def test_licence_limits_need_a_licence_editor(database: Database, people: People) -> None:
    given = stock.LicenceLimitInput("Mo-99", 50e9, "Licence 1")
    with pytest.raises(AccessDeniedError):
        stock.set_limit(database, people("tech"), SITE.code, given)
    with pytest.raises(NotFoundError, match="no site X"):
        stock.read_stock(database, people("tech"), "X")


def test_calibrators(database: Database, people: People) -> None:
    tech = people("tech")
    given = CalibratorInput("C1", "M", "S", "Cs-137", 7.4e6, T0)
    device = calibrator_log.register_calibrator(database, tech, SITE.code, given)
    qc = calibrator_log.enter_constancy(
        database, tech, AtSite(SITE.code, device.id), ConstancyInput(7.4e6, T0)
    )
    assert qc.passes and qc.deviation == pytest.approx(0.0, abs=1e-9)
    assert qc.fitted_half_life_s is None
    seen = calibrator_log.read_calibrators(database, people("resident"), SITE.code)
    assert not seen.may_work and [c.device.name for c in seen.calibrators] == ["C1"]
    assert seen.calibrators[0].history["constancy"] == (qc,)
    with pytest.raises(NotFoundError):
        calibrator_log.enter_constancy(
            database, tech, AtSite(SITE.code, 999), ConstancyInput(7.4e6, T0)
        )
    with pytest.raises(NucmedInputError, match="at least 3 readings"):
        calibrator_log.enter_linearity(
            database,
            tech,
            AtSite(SITE.code, device.id),
            [(T0, 1e9), (T0 + timedelta(hours=6), 5e8)],
        )
