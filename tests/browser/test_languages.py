"""Issue 12 in a browser: the audit trail of the demo in Kazakh fits a 1366-px window, and a
page a role may not open is a page in the reader's language, not JSON."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as

pytestmark = NO_BROWSER

WINDOW = {"width": 1366, "height": 768}


def test_the_audit_trail_fits_and_reads_in_kazakh(
    browser: Browser, server: dict[str, str]
) -> None:
    context = browser.new_context(locale="kk-KZ", viewport=WINDOW)
    page = context.new_page()
    sign_in_as(page, server["base"], "rso.ala", server["demo"])
    page.goto(f"{server['base']}/audit")
    assert page.locator("h1").inner_text() == "Аудит журналы"
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW["width"]
    shot(page, "i18n-audit-kk")
    page.select_option("select[name=action]", "material.receive")
    with page.expect_navigation():
        page.click("form.audit-filters button[type=submit]")
    assert "Жеткізілім қабылданды" in page.locator("table.audit").inner_text()
    page.fill("input[name=entity]", "material")
    page.fill("input[name=entity_id]", "x")
    with page.expect_navigation():
        page.click("form.audit-filters button[type=submit]")
    assert page.locator("tr[id^=entry-]").count() == 0
    context.close()


def test_a_refused_page_reads_in_russian(browser: Browser, server: dict[str, str]) -> None:
    context = browser.new_context(locale="ru-RU", viewport=WINDOW)
    page = context.new_page()
    sign_in_as(page, server["base"], "resident.ala", server["demo"])
    answer = page.goto(f"{server['base']}/admin/users")
    assert answer is not None and answer.status == 403
    assert page.locator("h1").inner_text() == "Недостаточно прав"
    assert page.locator("nav[aria-label='Основное меню']").count() == 1
    shot(page, "i18n-403-ru")
    answer = page.goto(f"{server['base']}/sites/NM-ALA/no-such-page")
    assert answer is not None and answer.status == 404
    assert page.locator("h1").inner_text() == "Не найдено"
    shot(page, "i18n-404-ru")
    context.close()
