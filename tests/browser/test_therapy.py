"""A physician in Almaty, in a real browser and in Russian: find the demo Lu-177 DOTATATE
patient, record the third cycle's administration and the kidney measurements after it, see the
fitted curve and the dose, record it, and give the patient release instructions in Kazakh.

Screenshots of each step are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, open_demo_course, shot, sign_in_as, submit

pytestmark = NO_BROWSER

ALMATY = ZoneInfo("Asia/Almaty")


def _local(moment: datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _find_the_course(page: Page, base: str, password: str) -> None:
    open_demo_course(page, base, password)
    expect(page.locator("h1")).to_contain_text("Курс терапии")
    shot(page, "therapy-1-course")


def test_a_third_cycle_and_the_release(server: dict[str, str], browser: Browser) -> None:
    base = server["base"]
    given = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=5)
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    _find_the_course(page, base, server["demo"])

    page.fill("#administration-number", "3")
    page.fill("#administration-administered_at", _local(given))
    page.fill("#administration-nuclide", "Lu-177")
    page.fill("#administration-activity", "7,4 ГБк")
    page.fill("#administration-late_entry_reason", "введено после возвращения из стационара")
    submit(page, "#administration-form")
    expect(page.locator("#cycles")).to_contain_text("7,4")

    points = "\n".join(
        f"{_local(given + timedelta(hours=h))}; {300 * math.exp(-math.log(2) * h / 50):.1f} MBq"
        for h in (4, 24, 96)
    )
    page.fill("#measurement-cycle", "3")
    page.select_option("#measurement-region", "kidneys")
    page.fill("#measurement-instrument", "ОФЭКТ/КТ")
    page.fill("#measurement-points", points)
    page.fill("#measurement-late_entry_reason", "снимки описаны позже")
    submit(page, "#measurement-form")
    expect(page.locator("#tac svg")).to_be_visible()
    shot(page, "therapy-2-curve")

    submit(page, "#dose-form")  # the form is filled in with the computed kidney dose
    expect(page.locator("#organ-doses")).to_contain_text("MIRD")
    shot(page, "therapy-3-doses")

    page.fill("#release-nuclide", "Lu-177")
    page.fill("#release-activity", "1,2 ГБк")
    page.select_option("#release-language", "kk")
    submit(page, "#release-form")
    expect(page.locator("#instructions")).to_contain_text("Сіз Lu-177 препаратымен ем алдыңыз")
    shot(page, "therapy-4-release")
    context.close()


def test_the_release_recorded_with_its_leaflet_in_kazakh(
    server: dict[str, str], browser: Browser
) -> None:
    """The physician in the Kazakh interface: a wrong activity, corrected, then the release
    recorded and the stored leaflet listed in site time and served as a PDF."""
    base = server["base"]
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in_as(page, base, "doctor.ala", server["demo"])
    page.click("a[href='/sites/NM-ALA/patients']")
    page.fill("#patients-q", "Досанов")
    submit(page, "form.search")
    page.click("text=Досанов Д.")
    page.click("#courses a")

    page.fill("#release-nuclide", "Lu-177")
    page.fill("#release-activity", "көп")
    submit(page, "#release-form")
    expect(page.locator("#release-activity-note")).to_contain_text("саннан басталмайды")
    shot(page, "therapy-5-release-wrong-kk")
    page.fill("#release-activity", "1,2 ГБк")
    submit(page, "#release-form")
    expect(page.locator("#release-record-form button")).to_have_text(
        "Шығаруды жазу және жадынаманы сақтау"
    )
    submit(page, "#release-record-form")
    records = page.locator("#release-records")
    expect(records).to_contain_text("Сақталған жадынама (PDF)")
    expect(records).to_contain_text("Қазақша")
    records.scroll_into_view_if_needed()
    shot(page, "therapy-6-release-recorded-kk")
    href = records.locator("a").first.get_attribute("href")
    assert href is not None
    leaflet = page.request.get(f"{base}{href}")
    assert leaflet.headers["content-type"] == "application/pdf"
    assert leaflet.body().startswith(b"%PDF")
    context.close()
