"""A physician classifies AML genetic risk in a real browser, in Russian and in Kazakh: one
garbled karyotype first (the error beside the field, in the reader's language), then the
corrected case, then a teaching case and an ELN 2024 case.

Screenshots of each step are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER


def test_a_physician_in_russian(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_as(page, server["base"], "doctor.ala", server["demo"])
    page.click("a[href='/haematology']")
    expect(page.locator("h1")).to_contain_text("Генетический риск ОМЛ")

    page.fill("#eln-karyotype", "46,XY,t(8;21)(q22;q22.1")
    page.fill("#eln-mutations", "KIT")
    submit(page, "#eln-form")
    expect(page.locator("#eln-karyotype-note")).to_contain_text("символе 24")
    expect(page.locator("#eln-karyotype")).to_have_value("46,XY,t(8;21)(q22;q22.1")
    shot(page, "haematology-1-ru-wrong-karyotype")

    page.fill("#eln-karyotype", "46,XY,t(8;21)(q22;q22.1)[20]")
    submit(page, "#eln-form")
    expect(page.locator("#eln-result [data-key=category]")).to_have_text("Благоприятный")
    expect(page.locator("#eln-reasons")).to_contain_text("KIT не меняет риск ОМЛ с CBF")
    shot(page, "haematology-2-ru-favorable")

    page.fill("#eln-karyotype", "46,XY[20]")
    page.fill("#eln-mutations", "NPM1 TP53")
    submit(page, "#eln-form")
    expect(page.locator("#eln-result [data-key=category]")).to_have_text("Решает гематолог")
    shot(page, "haematology-3-ru-review")
    context.close()


def test_a_physician_in_kazakh(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in_as(page, server["base"], "doctor.ala", server["demo"])
    page.goto(f"{server['base']}/haematology")
    page.fill("#eln-karyotype", "46,XX,inv(16)(p13.1q22")
    submit(page, "#eln-form")
    expect(page.locator("#eln-karyotype-note")).to_contain_text("23-таңбада")
    shot(page, "haematology-4-kk-wrong-karyotype")

    with page.expect_navigation():
        page.click("#cases a:text('T05')")
    expect(page.locator("#eln-result [data-key=category]")).to_have_text("Аралық")
    shot(page, "haematology-5-kk-teaching-case")

    page.select_option("#eln-guideline", "eln2024")
    page.fill("#eln-karyotype", "46,XX[20]")
    page.fill("#eln-mutations", "IDH1 NRAS")
    page.select_option("#eln-therapy", "aza-ivo")
    submit(page, "#eln-form")
    expect(page.locator("#eln-result [data-key=category]")).to_have_text("Қолайлы")
    expect(page.locator("#eln-reasons")).to_contain_text("қарқындылығы төмен ем")
    shot(page, "haematology-6-kk-eln2024")
    context.close()
