"""Issue 12, item 8 in a browser: the demo's department and its patients' study read in the
reader's language (Russian, Kazakh, English), on the site's page and the day board."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as

pytestmark = NO_BROWSER

SEEN = {
    "ru-RU": ("Отделение ядерной медицины, Алматы (демо)", "Сцинтиграфия скелета (MDP)"),
    "kk-KZ": ("Ядролық медицина бөлімшесі, Алматы (демо)", "Қаңқа сцинтиграфиясы (MDP)"),
    "en-GB": ("Nuclear medicine department, Almaty (demo)", "Bone scintigraphy (MDP)"),
}


@pytest.mark.parametrize("locale", sorted(SEEN))
def test_the_department_and_its_study_read_in_the_language(
    browser: Browser, server: dict[str, str], locale: str
) -> None:
    name, study = SEEN[locale]
    context = browser.new_context(locale=locale, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in_as(page, server["base"], "tech.ala", server["demo"])
    assert page.locator("h1").first.inner_text() == name
    shot(page, f"demo-site-{locale}")
    page.goto(f"{server['base']}/sites/NM-ALA/hotlab")
    assert name in page.locator("h1").first.inner_text()
    assert page.get_by_text(study).count() >= 3  # the three waiting patients' bone scans
    shot(page, f"demo-board-{locale}")
    context.close()
