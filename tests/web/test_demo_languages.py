"""The demo's own data in the reader's language (issue 12, item 8): a site's name and city, and
a study of the procedure catalogue, read in Russian, Kazakh and English; a name typed by a
person (a procedure not in the catalogue) is shown as typed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.dosimetry.diagnostic import procedures
from nucmed.services.demo import load_demo
from nucmed.services.uow import Database
from nucmed.web.i18n import localizer
from nucmed.web.study_labels import STUDY_NAMES
from tests.web.conftest import sign_in

SEEN = {
    "ru": ("Отделение ядерной медицины, Алматы (демо)", "Алматы", "Сцинтиграфия скелета (MDP)"),
    "kk": ("Ядролық медицина бөлімшесі, Алматы (демо)", "Алматы", "Қаңқа сцинтиграфиясы (MDP)"),
    "en": ("Nuclear medicine department, Almaty (demo)", "Almaty", "Bone scintigraphy (MDP)"),
}
"""The Almaty department, its city and its waiting patients' study, in each language."""


@pytest.fixture
def technologist(app: FastAPI, database: Database) -> TestClient:
    """The demo's technologist at Almaty, signed in."""
    loaded = load_demo(database)
    assert loaded.password is not None
    return sign_in(TestClient(app), "tech.ala", loaded.password)


@pytest.mark.parametrize("language", sorted(SEEN))
def test_the_site_and_the_procedure_read_in_the_language(
    technologist: TestClient, language: str
) -> None:
    name, city, study = SEEN[language]
    headers = {"Accept-Language": language}
    dashboard = technologist.get("/", headers=headers)
    assert dashboard.status_code == 200
    assert name in dashboard.text and city in dashboard.text
    board = technologist.get("/sites/NM-ALA/hotlab", headers=headers)
    assert board.status_code == 200
    assert f"{name}</h1>" in board.text
    assert board.text.count(study) >= 3  # the three waiting patients' bone scans
    others = {other for key, (other, _, _) in SEEN.items() if key != language}
    assert not any(other in board.text for other in others)


def test_every_study_of_the_catalogue_has_its_name_translated() -> None:
    names = {procedure.name for procedure in procedures()}
    assert names == STUDY_NAMES
    for language in ("ru", "kk"):
        shown = localizer(language)
        untranslated = [name for name in names if shown.procedure(name) == name]
        assert untranslated == [], language


def test_a_procedure_typed_by_a_person_is_shown_as_typed() -> None:
    assert localizer("ru").procedure("Остеосцинтиграфия всего тела") == (
        "Остеосцинтиграфия всего тела"
    )
    assert localizer("kk").procedure("Patients") == "Patients"  # a message, not a study


@pytest.mark.parametrize("typed", ["Досанов", "досанов", "ДОСАНОВ", "a-0100"])
def test_a_cyrillic_name_is_found_in_any_case(technologist: TestClient, typed: str) -> None:
    found = technologist.get("/sites/NM-ALA/patients", params={"q": typed})
    assert found.status_code == 200
    assert "Демо-пациент: Досанов Д." in found.text
