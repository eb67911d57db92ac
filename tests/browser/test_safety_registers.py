"""The radiation safety officer works through the dashboard and the registers in Kazakh (issue
14, items 4-6), one wrong entry per form first (shown again with the reason beside its field or
above the form, in Kazakh), then the right one: a surveyed area, a wipe test above its level and
the decontamination that closes it, a sealed source and its leak test, a worker, her dosimeter,
a dose reading and her declared pregnancy; then the transport document of a package (PDF) and
the records for the regulator (XLSX). The readings stay below the demo's investigation level,
so the Russian walk's dashboard is unchanged. Screenshots are under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

ZONE = ZoneInfo("Asia/Almaty")  # the demo's Almaty department, where rso.ala works


def _fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#{form}-form [name={name}]", value)


def _areas_and_surveys(page: Page) -> None:
    _fill(
        page, "areas", {"name": "Ыстық зертхана үстелі", "dose_rate": "10 µSv/h", "wipe": "төрт"}
    )
    submit(page, "#areas-form")
    expect(page.locator("#areas-wipe-note")).to_contain_text("Бк/см²")
    shot(page, "safety-registers-1-area-wrong-kk")
    page.fill("#areas-form [name=wipe]", "4 Bq/cm²")
    submit(page, "#areas-form")
    expect(page.locator("#areas")).to_contain_text("Ыстық зертхана үстелі")
    page.select_option("#surveys-area", label="Ыстық зертхана үстелі")
    page.select_option("#surveys-kind", "wipe")
    _fill(page, "surveys", {"value": "9 Bq/cm²", "measured_at": "кеше"})
    submit(page, "#surveys-form")
    expect(page.locator("#surveys-measured_at-note")).to_be_visible()
    shot(page, "safety-registers-2-survey-wrong-kk")
    moment = datetime.now(ZONE) - timedelta(minutes=10)
    page.fill("#surveys-form [name=measured_at]", f"{moment:%Y-%m-%d %H:%M}")
    submit(page, "#surveys-form")
    page.select_option("#decontaminations-survey", index=1)
    page.fill("#decontaminations-form [name=value_after]", "1 Bq/cm²")
    submit(page, "#decontaminations-form")  # nothing said about what was done
    expect(page.locator("#decontaminations-action-note")).to_contain_text("міндетті өріс")
    shot(page, "safety-registers-3-decontamination-wrong-kk")
    page.select_option("#decontaminations-survey", index=1)
    _fill(page, "decontaminations", {"action": "Үстел екі рет сүртілді", "value_after": "1"})
    submit(page, "#decontaminations-form")
    expect(page.locator("#no-open-follow-ups")).to_be_visible()


def _sources(page: Page) -> None:
    reference = (datetime.now(ZONE) - timedelta(days=30)).date().isoformat()
    _fill(
        page,
        "sources",
        {
            "nuclide": "Cs-137",
            "serial": "CS-KK-1",
            "activity": "7.4 MBq",
            "reference_date": reference,
            "interval_days": "жарты жыл",
        },
    )
    submit(page, "#sources-form")
    expect(page.locator("#sources-interval_days-note")).to_contain_text("жарты жыл")
    shot(page, "safety-registers-4-source-wrong-kk")
    page.fill("#sources-form [name=interval_days]", "183")
    submit(page, "#sources-form")
    page.select_option("#leak-tests-source", label="Cs-137 · CS-KK-1")
    _fill(page, "leak-tests", {"tested_on": "2000-01-01", "removable": "12 Bq"})
    submit(page, "#leak-tests-form")
    expect(page.locator("#leak-tests-refused")).to_be_visible()
    shot(page, "safety-registers-5-leak-test-wrong-kk")
    page.select_option("#leak-tests-source", label="Cs-137 · CS-KK-1")
    _fill(page, "leak-tests", {"tested_on": reference, "removable": "12 Bq"})
    submit(page, "#leak-tests-form")
    expect(page.locator("#sources")).to_contain_text("өтті")


def _worker(page: Page) -> None:
    submit(page, "#workers-form")  # no staff number, no name
    expect(page.locator("#workers-refused")).to_be_visible()
    shot(page, "safety-registers-6-worker-wrong-kk")
    _fill(page, "workers", {"staff_number": "KK-7", "name": "Мәдина Серікқызы"})
    submit(page, "#workers-form")
    worker = "Мәдина Серікқызы (KK-7)"
    page.select_option("#dosimeters-worker", label=worker)
    page.fill("#dosimeters-form [name=serial]", "WB-KK-7")
    submit(page, "#dosimeters-form")  # no kind chosen
    expect(page.locator("#dosimeters-kind-note")).to_contain_text("тізімнен таңдаңыз")
    shot(page, "safety-registers-7-dosimeter-wrong-kk")
    page.select_option("#dosimeters-worker", label=worker)
    page.fill("#dosimeters-form [name=serial]", "WB-KK-7")
    page.select_option("#dosimeters-kind", "whole_body")
    submit(page, "#dosimeters-form")
    today = datetime.now(ZONE).date()
    start = today.replace(day=1)
    page.select_option("#readings-dosimeter", "WB-KK-7")
    _fill(
        page,
        "readings",
        {"period_start": start.isoformat(), "period_end": today.isoformat(), "dose": "0.4 kg"},
    )
    submit(page, "#readings-form")
    expect(page.locator("#readings-dose-note")).to_be_visible()
    shot(page, "safety-registers-8-reading-wrong-kk")
    page.select_option("#readings-dosimeter", "WB-KK-7")
    _fill(
        page,
        "readings",
        {"period_start": start.isoformat(), "period_end": today.isoformat(), "dose": "0.4 mSv"},
    )
    submit(page, "#readings-form")
    declared = today - timedelta(days=20)
    page.select_option("#pregnancies-worker", label=worker)
    _fill(
        page,
        "pregnancies",
        {
            "declared_on": declared.isoformat(),
            "expected_on": (declared - timedelta(days=1)).isoformat(),
        },
    )
    submit(page, "#pregnancies-form")
    expect(page.locator("#pregnancies-refused")).to_contain_text("мәлімдеген күннен кейін")
    shot(page, "safety-registers-9-pregnancy-wrong-kk")
    page.select_option("#pregnancies-worker", label=worker)
    _fill(
        page,
        "pregnancies",
        {
            "declared_on": declared.isoformat(),
            "expected_on": (declared + timedelta(days=200)).isoformat(),
        },
    )
    submit(page, "#pregnancies-form")


def _transport(page: Page) -> None:
    page.click("#transport-link")
    expect(page.locator("h1")).to_contain_text("Тасымалдау құжаты")
    page.fill("#transport-contents", "Tc-99m")
    page.fill("#transport-surface", "0.3 mSv/h")
    page.fill("#transport-one_metre", "8 µSv/h")
    page.fill("#transport-consignee", "Қалалық аурухана")
    page.fill("#transport-consignee_city", "Бішкек")
    page.fill("#transport-consignee_country", "Қырғызстан")
    submit(page, "#transport form")
    expect(page.locator("#transport-contents-note")).to_contain_text("әр жолға бір радионуклид")
    shot(page, "safety-registers-10-transport-wrong-kk")
    page.fill("#transport-contents", "Tc-99m: 37 GBq")
    with page.expect_download() as download:
        page.click("#transport form button[type=submit]")
    assert download.value.suggested_filename.endswith(".pdf")


def test_rso_keeps_the_registers_in_kazakh(server: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="kk-KZ", accept_downloads=True)
    page = context.new_page()
    sign_in_as(page, server["base"], "rso.ala", server["demo"])
    page.click("nav a[href='/radiation-safety']")
    expect(page.locator("h1")).to_contain_text("Радиациялық қауіпсіздік")
    shot(page, "safety-registers-0-dashboard-kk")
    page.click("#registers-link")
    expect(page.locator("h1")).to_contain_text("Радиациялық қауіпсіздік журналдары")
    _areas_and_surveys(page)
    _sources(page)
    _worker(page)
    shot(page, "safety-registers-11-registers-done-kk")
    page.goto(page.url.split("/registers")[0])
    expect(page.locator("#pregnancies")).to_contain_text("Мәдина Серікқызы")
    expect(page.locator("#no-alerts")).to_be_visible()
    shot(page, "safety-registers-12-dashboard-after-kk")
    with page.expect_download() as download:
        page.click("#records-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    _transport(page)
    context.close()
