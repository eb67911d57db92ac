"""Discarding a drawn syringe: the request waits again and is drawn anew (attempt 2); the day
board uses the live draw, reads a fixed number of queries and flags a line it cannot compute
instead of failing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from nucmed.errors import NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.clinic.administrations import AdministrationInput, administer
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import board, discards, doses
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

NOW = T0 + timedelta(hours=1)
EXPECTED = 740e6 * 2 ** (1 / 6.015)  # 740 MBq at T0 + 2 h, drawn an hour before


@dataclass(frozen=True, slots=True)
class Lab:
    """The hot-lab test site at :data:`NOW`: a technologist, a physician, an MDP vial, a
    checked calibrator and one request of the day."""

    database: Database
    tech: Identity
    physician: Identity
    vial_id: int
    device_id: int
    request_id: int

    def draw(self) -> doses.DrawMade:
        given = doses.DrawInput(self.request_id, self.vial_id, self.device_id, NOW, EXPECTED)
        return doses.draw_dose(self.database, self.tech, given)

    def line(self) -> board.BoardLine:
        day = board.read_board(self.database, self.tech, SITE.code)
        return next(line for line in day.lines if line.request.id == self.request_id)


def _request(factory: SessionFactory, local_id: str, prescribed_bq: float = 740e6) -> int:
    with transaction(factory) as store:
        site, tech = store.sites.by_code(SITE.code), store.users.by_username("tech.h")
        assert site is not None and tech is not None
        given = doses.PatientInput(local_id, "X", sex="M")
        patient = doses.register_patient(store, tech, site, given)
        order = doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", prescribed_bq, T0 + timedelta(hours=2)
        )
        return doses.request_dose(store, tech, site, order).id


@pytest.fixture
def lab(factory: SessionFactory) -> Lab:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        doctor = create_user(
            store,
            None,
            NewUser("doc.h", "Doctor", "correct horse battery"),
            [(Role.PHYSICIAN, site)],
        )
        vial, device = _mdp(store, site, tech).id, _calibrator(store, site, tech).id
        ids = (tech.id, doctor.id)
    return Lab(
        Database(factory, FixedClock(NOW)),
        identity_of(factory, ids[0]),
        identity_of(factory, ids[1]),
        vial,
        device,
        _request(factory, "P-1"),
    )


class TestDiscard:
    def test_the_request_waits_again_and_is_drawn_anew(
        self, lab: Lab, factory: SessionFactory
    ) -> None:
        first = lab.draw()
        assert lab.line().state == "drawn"
        made = discards.discard_draw(lab.database, lab.tech, first.id, "  dropped in the shield ")
        assert (made.draw_id, made.request_id, made.reason) == (
            first.id,
            lab.request_id,
            "dropped in the shield",
        )
        line = lab.line()
        assert line.state == "ready" and line.draw is None
        second = lab.draw()
        line = lab.line()
        assert line.state == "drawn" and line.draw is not None and line.draw.id == second.id
        with transaction(factory) as store:
            attempts = store.session.scalars(
                select(Draw.attempt).where(Draw.request_id == lab.request_id).order_by(Draw.id)
            ).all()
            assert discards.is_discarded(store, first.id)
            assert not discards.is_discarded(store, second.id)
            trail = store.audit.trail("dose_request", str(lab.request_id))
        assert attempts == [1, 2]
        discarded = [e for e in trail if e.action == "dose.discard"]
        assert len(discarded) == 1 and discarded[0].reason == "dropped in the shield"
        assert discarded[0].details["draw"] == first.id

    def test_a_live_draw_refuses_another(self, lab: Lab) -> None:
        lab.draw()
        with pytest.raises(doses.DoseRefusedError, match="drawn already"):
            lab.draw()

    def test_a_reason_is_needed(self, lab: Lab) -> None:
        drawn = lab.draw()
        with pytest.raises(NucmedInputError, match="say why"):
            discards.discard_draw(lab.database, lab.tech, drawn.id, "   ")

    def test_a_draw_is_discarded_once(self, lab: Lab) -> None:
        drawn = lab.draw()
        discards.discard_draw(lab.database, lab.tech, drawn.id, "contaminated")
        with pytest.raises(NucmedInputError, match="discarded already"):
            discards.discard_draw(lab.database, lab.tech, drawn.id, "again")

    def test_a_given_dose_is_not_discarded(self, lab: Lab, factory: SessionFactory) -> None:
        drawn = lab.draw()
        with transaction(factory) as store:
            site, tech = store.sites.by_code(SITE.code), store.users.by_username("tech.h")
            assert site is not None and tech is not None
            at = T0 + timedelta(hours=2)
            administer(
                store,
                tech,
                site,
                AdministrationInput(drawn.id, at, "intravenous", 0.0, at, "not_applicable"),
            )
        assert lab.line().state == "given"
        with pytest.raises(NucmedInputError, match="has been given"):
            discards.discard_draw(lab.database, lab.tech, drawn.id, "too late")

    def test_only_hot_lab_workers_discard(self, lab: Lab) -> None:
        drawn = lab.draw()
        with pytest.raises(AccessDeniedError):
            discards.discard_draw(lab.database, lab.physician, drawn.id, "dropped")
        with pytest.raises(NotFoundError):
            discards.discard_draw(lab.database, lab.tech, drawn.id + 1000, "dropped")
        assert discards.draw_site(lab.database, lab.tech, drawn.id).code == SITE.code


class TestBoardRows:
    """A page never fails because of one stored row: it is shown or flagged."""

    def _poison(self, factory: SessionFactory, prescribed_bq: float) -> int:
        with transaction(factory) as store:
            site = store.sites.by_code(SITE.code)
            assert site is not None
            patient = Patient(
                site_id=site.id, local_id="POISON", full_name="Poison", created_at=T0
            )
            store.session.add(patient)
            store.session.flush()
            request = DoseRequest(
                site_id=site.id,
                patient_id=patient.id,
                procedure="Bone scan",
                radiopharmaceutical="mdp",
                nuclide="Tc-99m",
                prescribed_bq=prescribed_bq,
                planned_at=T0 + timedelta(hours=2),
                requested_at=T0,
            )
            store.session.add(request)
            store.session.flush()
            return request.id

    @pytest.mark.parametrize("activity_bq", [1e300, 2e15], ids=["1e300 Bq", "2 PBq"])
    def test_an_implausible_request_is_flagged(
        self, lab: Lab, factory: SessionFactory, activity_bq: float
    ) -> None:
        poisoned = self._poison(factory, activity_bq)
        day = board.read_board(lab.database, lab.tech, SITE.code)
        states = {line.request.id: line for line in day.lines}
        assert states[lab.request_id].state == "ready" and not states[lab.request_id].flagged
        flagged = states[poisoned]
        assert flagged.flagged and flagged.state == "blocked" and flagged.plan is None
        assert flagged.blocked == ("cannot be computed: a stored number is out of range",)

    def test_a_drawn_line_with_an_implausible_measurement_keeps_its_draw(
        self, lab: Lab, factory: SessionFactory
    ) -> None:
        with transaction(factory) as store:
            tech = store.users.by_username("tech.h")
            assert tech is not None
            row = Draw(
                request_id=lab.request_id,
                material_id=lab.vial_id,
                calibrator_id=lab.device_id,
                drawn_at=NOW,
                volume_m3=1e-7,
                expected_bq=EXPECTED,
                measured_bq=1e300,
                deviation=1e291,
                override_reason="typed by mistake",
                expires_at=T0 + timedelta(hours=12),
                drawn_by_id=tech.id,
            )
            store.session.add(row)
            store.session.flush()
            draw_id = row.id
        line = lab.line()
        assert line.flagged and line.state == "drawn"
        assert line.draw is not None and line.draw.id == draw_id
        discards.discard_draw(lab.database, lab.tech, draw_id, "measurement typed by mistake")
        assert lab.line().state == "ready" and not lab.line().flagged

    @pytest.mark.parametrize("activity_bq", [float("inf"), 1e300], ids=["infinite", "1e300 Bq"])
    def test_a_vial_that_cannot_be_computed_blocks_only_its_nuclide(
        self, lab: Lab, factory: SessionFactory, activity_bq: float
    ) -> None:
        with transaction(factory) as store:
            site, tech = store.sites.by_code(SITE.code), store.users.by_username("tech.h")
            assert site is not None and tech is not None
            vial = Material(  # a stored activity no receipt takes (as an old version left it)
                site_id=site.id,
                kind="vial",
                nuclide="F-18",
                product="Fludeoxyglucose F-18",
                lot=None,
                supplier=None,
                activity_bq=activity_bq,
                reference_time=T0,
                volume_m3=1e-5,
                expires_at=T0 + timedelta(hours=10),
                parent_id=None,
                kit_code=None,
                details={},
                created_at=T0,
                created_by_id=tech.id,
            )
            store.session.add(vial)
            store.session.flush()
            bad = vial.id
            patient = doses.register_patient(store, tech, site, doses.PatientInput("F-1", "F"))
            order = doses.RequestInput(
                patient.id, "FDG PET", "fludeoxyglucose", "F-18", 250e6, T0 + timedelta(hours=2)
            )
            fdg = doses.request_dose(store, tech, site, order).id
        day = board.read_board(lab.database, lab.tech, SITE.code)
        lines = {line.request.id: line for line in day.lines}
        assert lines[lab.request_id].state == "ready"
        assert lines[fdg].state == "blocked"
        assert f"#{bad}: cannot be computed: a stored number is out of range" in lines[fdg].blocked


@contextmanager
def _counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_board_reads_the_same_queries_for_any_number_of_lines(
    lab: Lab, factory: SessionFactory, engine: Engine
) -> None:
    lab.draw()
    with _counted(engine) as few:
        assert len(board.read_board(lab.database, lab.tech, SITE.code).lines) == 1
    for number in range(8):
        _request(factory, f"M-{number}", 100e6)
    more = doses.DrawInput(
        _request(factory, "M-drawn", 100e6),
        lab.vial_id,
        lab.device_id,
        NOW,
        100e6 * 2 ** (1 / 6.015),
    )
    doses.draw_dose(lab.database, lab.tech, more)
    with _counted(engine) as many:
        assert len(board.read_board(lab.database, lab.tech, SITE.code).lines) == 10
    assert len(many) == len(few)
