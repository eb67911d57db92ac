"""Languages: complete catalogues, the choice of language, locale-aware numbers and units."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.site_defaults import setting_defaults
from nucmed.vocabulary import Role
from nucmed.web.i18n import LANGUAGES, catalogue_path, localizer
from nucmed.web.labels import ROLE_LABELS, SETTING_LABELS
from tests.web.conftest import sign_in

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _extracted() -> set[str]:
    spec = importlib.util.spec_from_file_location("nucmed_i18n_tool", TOOLS / "i18n.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return {str(message.id) for message in tool.extract() if message.id}


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str, extracted: set[str]) -> None:
    with open(catalogue_path(language), "rb") as po_file:
        catalogue = read_po(po_file, locale=language, domain="nucmed")
    translated = {str(m.id): m for m in catalogue if m.id}
    missing = sorted(extracted - set(translated))
    untranslated = sorted(i for i in extracted & set(translated) if not translated[i].string)
    fuzzy = sorted(i for i in extracted & set(translated) if translated[i].fuzzy)
    assert missing == [], f"run python tools/i18n.py and translate: {missing}"
    assert untranslated == [], f"{language}: untranslated {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy}"


def test_every_role_and_default_setting_has_a_label() -> None:
    assert set(ROLE_LABELS) == {role.value for role in Role}
    assert {d.key for d in setting_defaults("KZ")} <= set(SETTING_LABELS)
    assert {d.key for d in setting_defaults("KG")} <= set(SETTING_LABELS)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("kk-KZ,kk;q=0.9", "Кіру"),
        ("ru-RU", "Войти"),
        ("en-GB,en;q=0.8", "Sign in"),
        ("de-DE", "Войти"),
        (None, "Войти"),
    ],
    ids=[
        "Kazakh browser",
        "Russian browser",
        "English browser",
        "German: Russian default",
        "no header: Russian default",
    ],
)
def test_login_page_follows_the_browser(app: FastAPI, accept: str | None, expected: str) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    page = TestClient(app).get("/login", headers=headers)
    assert f"<h1>{expected}</h1>" in page.text


def test_user_setting_beats_the_browser(app: FastAPI, people: dict[Role, str]) -> None:
    client = sign_in(TestClient(app), people[Role.PHYSICIAN])
    page = client.get("/me", headers={"Accept-Language": "en"})
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    saved = client.post(
        "/me",
        data={"language": "kk", "activity_unit": "mCi", "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert saved.status_code == 200
    assert '<html lang="kk">' in saved.text
    assert "20 мКи" in saved.text


@pytest.mark.parametrize(
    ("language", "unit", "activity_bq", "shown"),
    [
        ("ru", "MBq", 740.5e6, "740,5 МБк"),
        ("kk", "MBq", 1.5e9, "1,5 ГБк"),
        ("en", "MBq", 740.5e6, "740.5 MBq"),
        ("en", "mCi", 740e6, "20 mCi"),
        ("ru", "mCi", 740e6, "20 мКи"),
    ],
    ids=["ru comma", "kk GBq", "en point", "en mCi", "ru mCi"],
)
def test_activities_follow_locale_and_preference(
    language: str, unit: str, activity_bq: float, shown: str
) -> None:
    assert localizer(language, unit).activity(activity_bq).replace("\xa0", " ") == shown


def test_every_material_kind_and_qc_test_has_a_label() -> None:
    from nucmed.services.hotlab.materials import KINDS, REQUIRED_QC  # noqa: PLC0415
    from nucmed.web.labels import MATERIAL_KIND_LABELS, QC_TEST_LABELS  # noqa: PLC0415

    assert set(MATERIAL_KIND_LABELS) == set(KINDS)
    assert {test for tests in REQUIRED_QC.values() for test in tests} <= set(QC_TEST_LABELS)


def test_every_route_has_a_label() -> None:
    from nucmed.services.clinic.administrations import ROUTES  # noqa: PLC0415
    from nucmed.web.labels import ROUTE_LABELS  # noqa: PLC0415

    assert set(ROUTE_LABELS) == set(ROUTES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    import string  # noqa: PLC0415

    with open(catalogue_path(language), "rb") as po_file:
        catalogue = read_po(po_file, locale=language, domain="nucmed")

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    broken = [
        m.id for m in catalogue if m.id and m.string and fields(str(m.id)) != fields(str(m.string))
    ]
    assert broken == []


def test_a_unit_error_is_shown_in_the_readers_language(
    app: FastAPI, people: dict[Role, str]
) -> None:
    client = sign_in(TestClient(app), people[Role.PHYSICIAN])
    params = {"calc": "decay", "nuclide": "Tc-99m", "activity": "740", "elapsed": "6 m"}
    russian = client.get("/calculators", params=params, headers={"Accept-Language": "ru"})
    assert "у 740 нет единицы" in russian.text
    assert "это метр, а не единица времени" in russian.text
    kazakh = client.get("/calculators", params=params, headers={"Accept-Language": "kk"})
    assert "740 бірлігі жоқ" in kazakh.text
