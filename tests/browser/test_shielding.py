"""The medical physicist designs a PET uptake-room wall (AAPM TG-108 example 1) in Russian, and a
bench shield for Tc-99m in Kazakh, each with one wrong entry first: a distance without its unit
(refused beside the field), and iron asked for a nuclide that has no iron data (the whole design
refused, in Kazakh). Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

FORM = "#shielding"


def _open(page: Page, base: str, password: str) -> None:
    sign_in_as(page, base, "physicist.ala", password)
    page.goto(f"{base}/calculators")
    page.click("a[href='/calculators/shielding']")


def test_uptake_room_wall_in_russian(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    _open(page, server["base"], server["demo"])
    expect(page.locator("h1")).to_contain_text("Расчёт защиты")
    page.fill("#source-distance_1", "4")  # no unit: refused beside the field
    submit(page, FORM)
    expect(page.locator("#source-distance_1-note")).to_contain_text("4")
    expect(page.locator("#source-distance_1")).to_have_value("4")
    shot(page, "shielding-1-distance-without-unit-ru")

    page.fill("#source-distance_1", "4 м")
    submit(page, FORM)
    # TG-108 example 1: B = 0.189, 1.2 cm of lead.
    expect(page.locator("[data-key=transmission]")).to_have_text("0,189")
    expect(page.locator("[data-key=thickness]")).to_have_text("11,8 мм")
    shot(page, "shielding-2-uptake-room-ru")
    context.close()


def test_bench_shield_in_kazakh(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    _open(page, server["base"], server["demo"])
    page.fill("#source-nuclide_1", "Tc-99m")
    page.select_option("#source-kind_1", "vial")
    page.fill("#source-activity_1", "10 ГБк")
    page.fill("#source-per_week_1", "5")
    page.fill("#source-stay_1", "15 мин")
    page.fill("#source-distance_1", "0,5 м")
    page.select_option("#barrier-material", "iron")  # no iron data for Tc-99m
    page.select_option("#barrier-area", "controlled")
    submit(page, FORM)
    expect(page.locator("#result .error")).to_contain_text("Tc-99m")
    expect(page.locator("#result .error")).to_contain_text("қорғасын, бетон")
    shot(page, "shielding-3-iron-refused-kk")

    page.select_option("#barrier-material", "lead")
    submit(page, FORM)
    expect(page.locator("[data-key=thickness]")).to_contain_text("мм")
    shot(page, "shielding-4-bench-lead-kk")
    context.close()
