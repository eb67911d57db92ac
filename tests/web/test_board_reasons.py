"""The day board says the one reason that matters for a blocked request (the best vial and
why), with the other vials' reasons behind a disclosure, in the reader's language; the API
still lists every reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Material
from nucmed.vocabulary import Role
from tests.web.conftest import sign_in
from tests.web.test_board_discard import ML, _later, _ready

RU = {"Accept-Language": "ru"}


def _two_vials_and_a_large_request(factory: SessionFactory, now: datetime) -> tuple[int, int]:
    """Beside the ready MDP vial: a second MDP vial without its RCP test, and a request for
    more than either holds; the ids of the untested vial and of the large request."""
    vial_id, _, _ = _ready(factory, now)
    with transaction(Database(factory, FixedClock(now))) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        ready = store.session.get(Material, vial_id)
        assert ready is not None and ready.parent_id is not None
        eluate = store.session.get(Material, ready.parent_id)
        assert eluate is not None
        given = PreparationInput("mdp", 2 * ML, now - timedelta(minutes=20))
        untested = prepare(store, tech, site, eluate, given)
        patient = doses.register_patient(store, tech, site, doses.PatientInput("P-2", "Two"))
        order = doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", 5e11, now + _later(now, 90)
        )
        large = doses.request_dose(store, tech, site, order)
        return untested.id, large.id


def test_the_best_vial_and_why_then_the_others(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    untested, large = _two_vials_and_a_large_request(factory, clock.now())
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    row = client.get("/sites/T-ALA/hotlab", headers=RU).text.split(f'id="request-{large}"')[1]
    row = row.split("</tr>")[0]
    shown, hidden = row.split('<details class="other-reasons">')
    assert "флакон №" in shown and f"флакон № {untested}" not in shown
    assert f"флакон № {untested}" in hidden and "Другие флаконы (1)" in hidden
    assert "#" not in shown.split("заблокирован")[-1]  # no English "#3:" left
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    line = next(line for line in board["lines"] if line["request_id"] == large)
    assert line["state"] == "blocked"
    assert any(reason.startswith(f"#{untested}: ") for reason in line["blocked"])
    assert len(line["blocked"]) >= 2  # the usable vial's reason and the untested one's


def test_one_reason_of_many_vials_is_said_once(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    """Three untested kits behind the large request: their one reason is one line naming the
    three vials (not three lines), on the page in Russian and in the API."""
    first, large = _two_vials_and_a_large_request(factory, clock.now())
    with transaction(Database(factory, clock)) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        first_vial = store.session.get(Material, first)
        assert site is not None and tech is not None and first_vial is not None
        eluate = store.session.get(Material, first_vial.parent_id)
        assert eluate is not None
        given = PreparationInput("mdp", 1 * ML, clock.now() - timedelta(minutes=10))
        more = [prepare(store, tech, site, eluate, given).id for _ in range(2)]
    untested = sorted([first, *more])
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    line = next(line for line in board["lines"] if line["request_id"] == large)
    about_them = [r for r in line["blocked"] if "rcp QC missing" in r]
    assert len(about_them) == 1
    assert all(f"#{ident}" in about_them[0] for ident in untested)
    row = client.get("/sites/T-ALA/hotlab", headers=RU).text.split(f'id="request-{large}"')[1]
    hidden = row.split("</tr>")[0].split('<details class="other-reasons">')[1]
    assert "Другие флаконы (3)" in hidden
    assert hidden.count("флаконы №") == 1 and hidden.count("<li>") == 1
