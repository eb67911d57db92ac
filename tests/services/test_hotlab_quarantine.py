"""A package over an SSR-6 limit at receipt is quarantined: not usable until the radiation safety
officer releases it, with a reason (issue 11, item 3).

The issue's example (published limits, IAEA SSR-6 (2018) para. 508, 523, 529): an I-131
capsule labelled II-YELLOW, TI 0.5, with 2500 µSv/h at the surface (limit 500 µSv/h), 150 µSv/h
at 1 m (TI 0.5 admits 5 µSv/h) and a wipe of 10 Bq/cm² (limit 4 Bq/cm²).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.hotlab import doses, elution, preparation, quarantine, stock
from nucmed.services.hotlab.materials import read_material
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, record_receipt
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import Material, QuarantineRecord
from nucmed.store.models import AuditEntry
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import SITE, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

USV_H = 1e-6 / 3600
BQ_CM2 = 1e4
ML = 1e-6
People = Callable[[str], Identity]


@pytest.fixture
def people(database: Database) -> People:
    """The hot-lab test site with a radiopharmacist (``tech``) and its RSO (``rso``)."""
    with transaction(database) as store:
        site, _ = site_and_tech(store)
        create_user(
            store,
            None,
            NewUser("rso.h", "Safety Officer", "correct horse battery"),
            [(Role.RSO, site)],
        )

    def identity(name: str) -> Identity:
        username = {"tech": "tech.h", "rso": "rso.h"}[name]
        with transaction(database) as store:
            user = store.users.by_username(username)
            assert user is not None
            secret = issue_token(store, user, "api", 1.0)
        with transaction(database) as store:
            found = resolve_token(store, secret, "api")
        assert found is not None
        return found

    return identity


def _receive(
    database: Database, who: Identity, kind: str, nuclide: str, loud: bool
) -> tuple[int, bool]:
    now = database.clock.now()
    if loud:
        package = Declaration("II-YELLOW", 0.5)
        survey = Survey(now - timedelta(minutes=10), 2500 * USV_H, 150 * USV_H, 10 * BQ_CM2)
    else:
        package = Declaration("I-WHITE", 0.0)
        survey = Survey(now - timedelta(minutes=10), 3 * USV_H, 0.3 * USV_H, 0.0)
    delivery = Delivery(
        kind,
        nuclide,
        f"{nuclide} {kind}",
        4e9,
        now - timedelta(hours=1),
        volume_m3=2 * ML if kind == "vial" else None,
        expires_at=now + timedelta(days=5),
        package=package,
    )
    receipt = record_receipt(database, who, SITE.code, delivery, survey)
    return receipt.material.id, receipt.quarantined


class TestReceipt:
    def test_the_issue_example_is_quarantined_with_three_findings(
        self, database: Database, people: People
    ) -> None:
        now = database.clock.now()
        survey = Survey(now - timedelta(minutes=10), 2500 * USV_H, 150 * USV_H, 10 * BQ_CM2)
        delivery = Delivery(
            "capsule",
            "I-131",
            "Sodium iodide I-131 capsule",
            3.7e9,
            now - timedelta(hours=2),
            package=Declaration("II-YELLOW", 0.5),
        )
        receipt = record_receipt(database, people("tech"), SITE.code, delivery, survey)
        assert receipt.quarantined
        found = {f["check"]: f for f in receipt.findings}
        assert set(found) == {"surface dose rate", "dose rate at 1 m", "wipe test"}
        assert found["surface dose rate"]["limit"] == pytest.approx(500 * USV_H)
        assert found["dose rate at 1 m"]["limit"] == pytest.approx(5 * USV_H)
        assert found["wipe test"]["limit"] == pytest.approx(4 * BQ_CM2)
        assert "para. 529" in found["surface dose rate"]["source"]
        view = receipt.material
        assert view.quarantine is not None and len(view.quarantine.findings) == 3
        assert any("quarantine" in reason for reason in view.blocked)

    def test_a_clean_package_is_ready(self, database: Database, people: People) -> None:
        material_id, quarantined = _receive(database, people("tech"), "vial", "Lu-177", False)
        view = read_material(database, people("tech"), material_id)
        assert not quarantined and view.quarantine is None and view.blocked == ()

    def test_the_declaration_is_recorded(self, database: Database, people: People) -> None:
        material_id, _ = _receive(database, people("tech"), "capsule", "I-131", True)
        listed = quarantine.read_quarantine(database, people("rso"), SITE.code)
        (package,) = listed.packages
        assert package.material_id == material_id and package.label_category == "II-YELLOW"
        assert package.transport_index == 0.5 and package.exclusive_use is False
        assert package.surface_dose_rate_sv_per_s == pytest.approx(2500 * USV_H)
        assert listed.may_release

    def test_an_unknown_category_is_refused(self, database: Database, people: People) -> None:
        now = database.clock.now()
        delivery = Delivery("vial", "F-18", "FDG", 1e9, now, package=Declaration("YELLOW", 0.0))
        with pytest.raises(NucmedInputError, match="label category"):
            record_receipt(database, people("tech"), SITE.code, delivery, Survey(now, 0, 0, 0))


class TestNotUsable:
    def test_no_preparation_from_a_quarantined_vial(
        self, database: Database, people: People
    ) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", True)
        given = preparation.ProductPreparationInput(
            "Lu-177 PSMA", 1 * ML, database.clock.now(), 8 * 3600.0, 0.95
        )
        with pytest.raises(NucmedInputError, match="quarantine"):
            preparation.make_product(database, people("tech"), material_id, given)

    def test_no_elution_of_a_quarantined_generator(
        self, database: Database, people: People
    ) -> None:
        material_id, _ = _receive(database, people("tech"), "generator", "Mo-99", True)
        given = elution.ElutionInput(database.clock.now(), 10e9, 10 * ML)
        with pytest.raises(NucmedInputError, match="quarantine"):
            elution.elute_generator(database, people("tech"), material_id, given)

    def test_no_draw_from_a_quarantined_vial(self, database: Database, people: People) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", True)
        now = database.clock.now()
        with transaction(database) as store:
            site = store.sites.by_code(SITE.code)
            tech = store.users.by_username("tech.h")
            assert site is not None and tech is not None
            patient = doses.register_patient(store, tech, site, doses.PatientInput("Q-1", "Q"))
            request = doses.request_dose(
                store,
                tech,
                site,
                doses.RequestInput(
                    patient.id,
                    "Therapy",
                    "Lu-177 chloride",
                    "Lu-177",
                    1e9,
                    now + timedelta(minutes=30),
                ),
            )
            vial = store.session.get(Material, material_id)
            assert vial is not None
            plan = doses.plan_draw(store, request, vial, now)
        assert any("quarantine" in problem for problem in plan.problems)

    def test_the_stock_shows_it_blocked(self, database: Database, people: People) -> None:
        material_id, _ = _receive(database, people("tech"), "capsule", "I-131", True)
        lines = stock.read_stock(database, people("tech"), SITE.code).lines
        (line,) = [line for line in lines if line.id == material_id]
        assert line.quarantined and any("quarantine" in reason for reason in line.blocked)


class TestRelease:
    def test_the_rso_releases_with_a_reason_audited(
        self, database: Database, people: People
    ) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", True)
        released = quarantine.release(database, people("rso"), material_id, "decontaminated")
        assert released.reason == "decontaminated"
        assert quarantine.read_quarantine(database, people("rso"), SITE.code).packages == ()
        view = read_material(database, people("tech"), material_id)
        assert view.quarantine is None and view.blocked == ()
        with transaction(database, read_only=True) as store:
            actions = [
                row.action
                for row in store.session.scalars(
                    select(QuarantineRecord).where(QuarantineRecord.material_id == material_id)
                )
            ]
            audit = store.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "material.release")
            ).one()
        assert actions == ["quarantine", "release"]  # append-only: the quarantine stays
        assert audit.reason == "decontaminated" and audit.entity_id == str(material_id)

    def test_a_radiopharmacist_may_not_release(self, database: Database, people: People) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", True)
        with pytest.raises(AccessDeniedError):
            quarantine.release(database, people("tech"), material_id, "looks fine")
        assert not quarantine.read_quarantine(database, people("tech"), SITE.code).may_release

    @pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
    def test_a_reason_is_needed(self, database: Database, people: People, reason: str) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", True)
        with pytest.raises(NucmedInputError, match="reason"):
            quarantine.release(database, people("rso"), material_id, reason)

    def test_a_package_not_in_quarantine_is_not_released(
        self, database: Database, people: People
    ) -> None:
        material_id, _ = _receive(database, people("tech"), "vial", "Lu-177", False)
        with pytest.raises(NucmedInputError, match="not in quarantine"):
            quarantine.release(database, people("rso"), material_id, "why not")
