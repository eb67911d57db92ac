"""Browser test (issue 11, items 4 and 5): the physicist types the issue's dispensing tolerance
of 250 % on the settings page and opens the DRL audit of year 1, in Russian and Kazakh; both
are refused on the page, in the reader's language, with the range (screenshots under
``test-artifacts/browser/``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
TOLERANCE = {
    "ru": "допустимо от 1 до 25 %; получено 250 %",
    "kk": "рұқсат етілген аралық 1 … 25 %; берілгені 250 %",
}
YEAR = {
    "ru": "год должен быть от 1900 до 2100; получено 1",
    "kk": "жыл 1900 мен 2100 аралығында болуы керек; берілгені 1",
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_tolerance_of_250_percent_and_year_1_are_refused_on_the_page(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    context = browser.new_context(locale=LOCALES[language])
    page = context.new_page()
    sign_in_as(page, server["base"], "physicist.ala", server["demo"])

    page.goto(f"{server['base']}/sites/NM-ALA/settings")
    page.select_option("#change-key", "dispensing_tolerance_percent")
    page.fill("#change-value", "250")
    page.fill("#change-source", "SOP 7")
    page.fill("#change-reason", "issue 11")
    submit(page, "form[action='/sites/NM-ALA/settings']")
    alert = page.locator("section.card [role=alert]").first
    assert TOLERANCE[language] in alert.inner_text()
    assert page.input_value("#change-value") == "250"  # what was typed stays
    shot(page, f"{language}-settings-tolerance-250")

    page.goto(f"{server['base']}/sites/NM-ALA/drl?year=1")
    assert YEAR[language] in page.locator("main [role=alert]").inner_text()
    assert page.locator("a[rel=next]").count() == 0  # this year is the last of the data
    shot(page, f"{language}-drl-year-1")
    context.close()
