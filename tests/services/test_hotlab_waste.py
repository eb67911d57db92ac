"""Waste held for decay: release date from the site's rule, survey before disposal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.accounts import sign_in
from nucmed.services.auth import identify
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import disposal, waste
from nucmed.services.permissions import AtSite, NotFoundError
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from tests.services.hotlab_fixtures import T0, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

HOUR = 3600.0


def test_ten_half_lives_then_a_survey_at_background(
    factory: SessionFactory, clock: FixedClock
) -> None:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        box = waste.create_container(store, tech, site, "W-1")
        waste.add_item(store, tech, box, waste.WasteItemInput("Tc-99m", 50e6, T0))
        waste.add_item(store, tech, box, waste.WasteItemInput("I-123", 5e6, T0))
        waste.seal(store, tech, box, T0 + timedelta(hours=1))
        status = waste.container_status(store, site, box)
        # Ten half-lives of the longest-lived content (I-123, 13.27 h) after sealing.
        assert status.release_at == pytest.approx(
            T0 + timedelta(hours=1 + 132.7), abs=timedelta(seconds=1)
        )
        clock.set(T0 + timedelta(hours=24))  # each survey is entered as it is made
        with pytest.raises(NucmedInputError, match="may be released from"):
            waste.survey(
                store, tech, site, box, waste.SurveyInput(T0 + timedelta(hours=24), 1e-10, 1e-10)
            )
        assert status.release_at is not None
        later = status.release_at + timedelta(hours=1)
        clock.set(later)
        failed = waste.survey(store, tech, site, box, waste.SurveyInput(later, 3e-10, 1e-10))
        assert not failed.passes and not failed.disposed
        passed = waste.survey(store, tech, site, box, waste.SurveyInput(later, 1e-10, 1e-10))
        assert passed.disposed
        assert waste.container_status(store, site, box).disposed


def test_a_sealed_container_takes_nothing_more(factory: SessionFactory) -> None:
    with pytest.raises(NucmedInputError, match="sealed"), transaction(factory) as store:
        site, tech = site_and_tech(store)
        box = waste.create_container(store, tech, site, "W-2")
        waste.add_item(store, tech, box, waste.WasteItemInput("F-18", 1e6, T0))
        waste.seal(store, tech, box, T0)
        waste.add_item(store, tech, box, waste.WasteItemInput("F-18", 1e6, T0))


def test_the_book_says_when_the_survey_is_due(database: Database, clock: FixedClock) -> None:
    with transaction(database) as store:
        site_and_tech(store)
    secret = sign_in(database, "tech.h", "correct horse battery", "api", 1.0)
    tech = identify(database, secret, None)
    assert tech is not None
    code = "H-ALA"
    box = disposal.open_container(database, tech, code, "W-3", None)
    sealed_at = clock.now() - timedelta(days=2)
    given = waste.WasteItemInput("F-18", 1e6, sealed_at)
    disposal.add_waste(database, tech, AtSite(code, box.id), given)
    sealed = disposal.seal_container(
        database, tech, AtSite(code, box.id), sealed_at, "sealed at the weekend, entered now"
    )
    assert sealed.release_at is not None and sealed.due
    book = disposal.read_waste(database, tech, code)
    assert book.at == clock.now() and book.may_work
    assert book.rule == waste.ReleaseRule("half_lives", 10.0, 0.0)
    assert [c.due for c in book.containers] == [True]
    with pytest.raises(NotFoundError):
        disposal.seal_container(database, tech, AtSite("X-1", box.id), None)
