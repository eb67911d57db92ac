"""Browser test (issue 12, item 6): the physicist sets the department's address and telephone
on the settings page, in Russian and Kazakh; a telephone typed in words is refused beside the
form in the reader's language, then the right one is saved (screenshots under
``test-artifacts/browser/``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
REFUSED = {"ru": "не номер телефона", "kk": "телефон нөмірі емес"}
SAVED = {"ru": "Сохранено", "kk": "Сақталды"}
ADDRESS = "050040, г. Алматы, пр. аль-Фараби, 1 (демо)"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_address_and_telephone_are_set_on_the_settings_page(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    context = browser.new_context(locale=LOCALES[language])
    page = context.new_page()
    sign_in_as(page, server["base"], "physicist.ala", server["demo"])

    page.goto(f"{server['base']}/sites/NM-ALA/settings")
    page.fill("#contact-address", ADDRESS)
    page.fill("#contact-phone", "позвонить в регистратуру")
    submit(page, "form[action='/sites/NM-ALA/contact']")
    alert = page.locator("#contact [role=alert]").first
    assert REFUSED[language] in alert.inner_text()
    assert page.input_value("#contact-address") == ADDRESS  # what was typed stays
    shot(page, f"{language}-site-contact-refused")

    page.fill("#contact-phone", "+7 727 000 00 21")
    submit(page, "form[action='/sites/NM-ALA/contact']")
    assert SAVED[language] in page.locator("main [role=status]").inner_text()
    assert page.input_value("#contact-phone") == "+7 727 000 00 21"
    page.locator("#contact").scroll_into_view_if_needed()
    shot(page, f"{language}-site-contact-saved")
    context.close()
