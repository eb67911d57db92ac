"""Many simultaneous draws from one vial never overdraw it (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from nucmed.services.hotlab import doses
from nucmed.services.hotlab.materials import remaining
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Draw, Material
from tests.services.hotlab_fixtures import T0, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

THREADS = 12
ML = 1e-6


def test_concurrent_draws_never_overdraw(committing_factory: SessionFactory) -> None:
    factory = committing_factory
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
        requests = []
        for number in range(THREADS):
            patient = doses.register_patient(
                store, tech, site, doses.PatientInput(f"P-{number}", f"Patient {number}")
            )
            requests.append(
                doses.request_dose(
                    store,
                    tech,
                    site,
                    doses.RequestInput(
                        patient.id, "Bone scan", "mdp", "Tc-99m", 1000e6, T0 + timedelta(hours=2)
                    ),
                ).id
            )
        ids = (site.id, tech.id, mdp.id, device.id)
    drawn_at = T0 + timedelta(hours=1)
    expected = 1000e6 * 2 ** (1 / 6.015)
    tech_identity, database = identity_of(factory, ids[1]), Database(factory)

    def draw(request_id: int) -> str:
        try:
            doses.draw_dose(
                database,
                tech_identity,
                doses.DrawInput(request_id, ids[2], ids[3], drawn_at, expected),
            )
        except doses.DoseRefusedError as error:
            assert "not enough" in str(error)
            return "refused"
        return "drawn"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(draw, requests))
    with transaction(factory) as store:
        draws = store.session.query(Draw).filter(Draw.material_id == ids[2]).all()
        vial = store.session.get(Material, ids[2])
        assert vial is not None and vial.volume_m3 is not None
        left = remaining(store, vial, drawn_at)
    # The vial holds about 3.5 GBq at the draw time: three doses of 1.12 GBq fit, not four.
    assert outcomes.count("drawn") == len(draws) == 3
    assert sum(d.volume_m3 for d in draws) <= vial.volume_m3
    assert left.volume_m3 is not None and left.volume_m3 >= 0
