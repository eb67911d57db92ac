"""The radiation safety officer works through their dashboard in Russian (issue 14, item 6):
imports the dosimetry service's report (first with a dosimeter that was never issued, refused
on its line), sees the alert the over-level reading raised, closes it with a review (first
without one, refused beside the field), and the dashboard is clear again.

The demo's investigation level is 1 mSv for one whole-body reading; Айгерим Сапарова's badge
reads 1.6 mSv. Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

HEADER = "serial,period_start,period_end,dose_msv"


def _report(*lines: tuple[str, str]) -> str:
    today = datetime.now(UTC).date()
    start = today.replace(day=1)
    rows = [f"{serial},{start.isoformat()},{today.isoformat()},{dose}" for serial, dose in lines]
    return "\n".join([HEADER, *rows])


def _import(page: Page, report: str) -> None:
    page.fill("#import-report", report)
    page.fill("#import-batch", "ДОЗ-2026-11")
    submit(page, "#import form")


def test_rso_works_through_the_dashboard_in_russian(
    server: dict[str, str], browser: Browser
) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_as(page, server["base"], "rso.ala", server["demo"])
    page.click("nav a[href='/radiation-safety']")
    expect(page.locator("h1")).to_contain_text("Радиационная безопасность")
    expect(page.locator("#doses")).to_contain_text("Айгерим Сапарова")
    expect(page.locator("#no-alerts")).to_contain_text("Нет оповещений")
    expect(page.locator("#no-follow-ups")).to_contain_text(
        "Нет измерений выше контрольного уровня"
    )
    shot(page, "radiation-safety-1-dashboard-ru")

    _import(page, _report(("WB-999", "1.6")))  # never issued: refused on its line
    expect(page.locator("#import-report-note")).to_contain_text("строка 2")
    expect(page.locator("#import-report-note")).to_contain_text("WB-999")
    shot(page, "radiation-safety-2-wrong-serial-ru")

    _import(page, _report(("WB-101", "1.6"), ("R-101", "5"), ("WB-103", "0.2")))
    alert = page.locator("#alerts article")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Айгерим Сапарова")
    expect(alert).to_contain_text("превышен уровень расследования")
    expect(alert).to_contain_text("1,6 мЗв")
    shot(page, "radiation-safety-3-alert-ru")

    form = "#alerts article form"
    submit(page, form)  # no review written: refused beside the field
    expect(page.locator("#alerts .error")).to_contain_text("укажите, что установлено")
    shot(page, "radiation-safety-4-review-empty-ru")
    page.fill(
        f"{form} [name=note]", "Дозиметр оставлен у генератора; с работником проведена беседа"
    )
    submit(page, form)
    expect(page.locator("#no-alerts")).to_contain_text("Нет оповещений")
    expect(page.locator("#doses")).to_contain_text("1,6 мЗв")
    shot(page, "radiation-safety-5-reviewed-ru")
    context.close()
