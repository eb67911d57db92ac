"""Browser tests: a person signs in and walks the main pages in Russian, Kazakh and English.

Playwright (Python) drives Debian's chromium (``/usr/bin/chromium``, installed by ``.ci/run``);
no browser is downloaded. A screenshot of each page is saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import NO_BROWSER, shot

pytestmark = NO_BROWSER

# The heading of the sign-in page in each language (the catalogues' translation of "Sign in").
SIGN_IN = {"ru": "Войти", "kk": "Кіру", "en": "Sign in"}
LOCALES = {"ru": "ru-RU", "kk": "kk-KZ", "en": "en-GB"}
# The demo department's city as its name reads in each language (sites.names).
ALMATY = {"ru": "Алматы", "kk": "Алматы", "en": "Almaty"}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_physicist_walks_the_main_pages(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    context = browser.new_context(locale=LOCALES[language])
    page = context.new_page()
    page.goto(f"{server['base']}/")
    assert page.locator("h1").inner_text() == SIGN_IN[language]
    shot(page, f"{language}-1-login")

    page.fill("#username", "physicist.ala")
    page.fill("#password", server["demo"])
    page.click("button[type=submit]")
    page.wait_for_url("**/sites/NM-ALA")
    assert page.locator("html").get_attribute("lang") == language
    assert ALMATY[language] in page.locator("h1").inner_text()
    shot(page, f"{language}-2-site")

    page.goto(f"{server['base']}/sites/NM-ALA/settings")
    assert page.locator("#setting-eluate_expiry_h").is_visible()
    shot(page, f"{language}-3-settings")

    page.goto(
        f"{server['base']}/calculators?calc=decay&nuclide=Tc-99m&activity=740+MBq&elapsed=6.015+h"
    )
    assert "370" in page.locator("[data-key=activity_bq]").inner_text()
    shot(page, f"{language}-4-calculators")

    page.goto(f"{server['base']}/audit")
    assert page.locator("table.grid").is_visible()
    shot(page, f"{language}-5-audit")

    page.goto(f"{server['base']}/me")
    shot(page, f"{language}-6-me")
    page.click("form.logout button")
    page.wait_for_url("**/login")
    context.close()


def test_error_beside_the_field_keeps_the_input(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{server['base']}/login")
    page.fill("#username", "tech.ala")
    page.fill("#password", server["demo"])
    page.click("button[type=submit]")
    page.wait_for_url("**/sites/NM-ALA")
    page.goto(f"{server['base']}/calculators")
    page.fill("#decay-activity", "740")
    page.evaluate("window.nucmedMarker = 'same page'")
    page.click("#decay button[type=submit]")
    expect(page.locator("#decay-activity-note")).to_contain_text("has no unit")
    assert page.input_value("#decay-activity") == "740"
    # HTMX swapped the card in place: the page was not reloaded.
    assert page.evaluate("window.nucmedMarker") == "same page"
    shot(page, "en-7-calculator-error")
    context.close()


def test_administrator_sees_the_users(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(f"{server['base']}/login")
    page.fill("#username", "admin")
    page.fill("#password", server["admin"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{server['base']}/")
    page.goto(f"{server['base']}/admin/users")
    assert page.locator("text=physicist.bis").is_visible()
    shot(page, "ru-8-users")
    context.close()
