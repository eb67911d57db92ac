"""A labelled Tc-99m kit keeps the kit catalogue's English name as its product ("Tc-99m
medronate (MDP)"); the material page, the stock page and the quarantine list name it in the
reader's language by the label of its kit code, as the day board does
(:meth:`nucmed.web.i18n.Localizer.product`, found on the ru/kk walk)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import sign_in
from tests.web.test_quarantine_pages import _capsule, _receive

ML = 1e-6
HOUR = timedelta(hours=1)
MDP = {"ru": "99mTc-медронат (MDP)", "kk": "99mTc-медронат (MDP)"}
"""The MDP kit's name in each language (the catalogues' label of the kit code ``mdp``)."""
STORED = "Tc-99m medronate (MDP)"
"""The kit catalogue's name, which the labelled vial keeps as its product."""

LANGUAGES = pytest.mark.parametrize("language", ["ru", "kk"])


def _labelled(factory: SessionFactory, clock: FixedClock) -> tuple[int, int]:
    """An eluate at T-ALA and the MDP kit labelled from it: their ids."""
    now = clock.now()
    with transaction(Database(factory, clock)) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        delivery = Delivery(
            "generator",
            "Mo-99",
            "Generator",
            20e9,
            now - 24 * HOUR,
            expires_at=now + timedelta(days=10),
            package=Declaration("I-WHITE", 0.0),
        )
        survey = Survey(now - 23 * HOUR, 1e-9, 1e-10, 0.0)
        generator, _ = receive(store, tech, site, delivery, survey)
        eluted = now - HOUR
        eluate = elute(store, tech, site, generator, ElutionInput(eluted, 10e9, 10 * ML))
        record_qc(store, tech, site, eluate, QcInput("mo99_breakthrough", 1e5, "shield", eluted))
        record_qc(store, tech, site, eluate, QcInput("aluminium", 2e-3, "spot", eluted))
        mdp = prepare(store, tech, site, eluate, PreparationInput("mdp", 5 * ML, now - HOUR / 2))
        return eluate.id, mdp.id


@LANGUAGES
def test_the_material_page_names_the_kit_in_the_readers_language(
    app: FastAPI,
    people: dict[Role, str],
    factory: SessionFactory,
    clock: FixedClock,
    language: str,
) -> None:
    eluate, mdp = _labelled(factory, clock)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    headers = {"Accept-Language": language}
    page = client.get(f"/materials/{mdp}", headers=headers).text
    title = page.split("<title>")[1].split("</title>")[0]
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert MDP[language] in title and MDP[language] in heading
    assert STORED not in page
    made = client.get(f"/materials/{eluate}", headers=headers).text  # "Made from it"
    assert f"#{mdp} {MDP[language]}</a>" in made and STORED not in made


@LANGUAGES
def test_the_stock_page_names_the_kit_in_the_readers_language(
    app: FastAPI,
    people: dict[Role, str],
    factory: SessionFactory,
    clock: FixedClock,
    language: str,
) -> None:
    _, mdp = _labelled(factory, clock)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    page = client.get("/sites/T-ALA/stock", headers={"Accept-Language": language}).text
    line = page.split(f'href="/materials/{mdp}"')[1].split("</tr>")[0]
    assert f"<td>{MDP[language]}</td>" in line and STORED not in page


@LANGUAGES
def test_the_quarantine_list_names_the_kit_in_the_readers_language(
    app: FastAPI, people: dict[Role, str], clock: FixedClock, language: str
) -> None:
    """A delivered vial of labelled MDP (a central radiopharmacy's), over the survey's limits."""
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    vial = {**_capsule(clock), "kind": "vial", "nuclide": "Tc-99m", "product": STORED}
    material = _receive(tech, {**vial, "volume": "10 mL"}, {"Accept-Language": "ru"})
    material_id = material.rsplit("/", 1)[1]
    rso = sign_in(TestClient(app), people[Role.RSO])
    headers = {"Accept-Language": language}
    listed = rso.get("/sites/T-ALA/quarantine", headers=headers).text
    package = listed.split(f'id="package-{material_id}"')[1].split("</section>")[0]
    assert f"#{material_id} {MDP[language]}</a>" in package and STORED not in listed
    dashboard = rso.get("/sites/T-ALA/radiation-safety", headers=headers).text
    assert f"#{material_id} {MDP[language]}</a>" in dashboard and STORED not in dashboard
