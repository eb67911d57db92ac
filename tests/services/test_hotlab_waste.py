"""Waste held for decay: release date from the site's rule, survey before disposal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.hotlab import waste
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from tests.services.hotlab_fixtures import T0, site_and_tech

HOUR = 3600.0


def test_ten_half_lives_then_a_survey_at_background(factory: SessionFactory) -> None:
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
        with pytest.raises(NucmedInputError, match="may be released from"):
            waste.survey(
                store, tech, site, box, waste.SurveyInput(T0 + timedelta(hours=24), 1e-10, 1e-10)
            )
        assert status.release_at is not None
        later = status.release_at + timedelta(hours=1)
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
