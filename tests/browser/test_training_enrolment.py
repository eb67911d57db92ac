"""Enrolment and attendance in a real browser, in Russian and in Kazakh, one wrong entry per
form: the programme director (the demo supervisor) enrols the demo resident again (no elective
chosen: refused in Russian; a start date out of range: refused in Kazakh), and marks the AML
exchange's attendance (a day outside the course: refused in each language), a participant
absent on the last day loses the certificate link and gets it back when a new mark corrects it.

The demo resident keeps the same elective and start date, and every mark is put back, so the
other walks of the shared demo server see the demo as it was. Screenshots are saved under
``test-artifacts/browser/``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

WORDS = {
    "ru": {
        "h1": "Зачисление",
        "attendance": "Посещаемость",
        "elective": "выберите элективную дисциплину",
        "start": "дата начала должна быть",
        "day": "день должен быть",
    },
    "kk": {
        "h1": "Қабылдау",
        "attendance": "Қатысу",
        "elective": "таңдау бойынша пәнді таңдаңыз",
        "start": "басталу күні",
        "day": "күн",
    },
}


def _director(browser: Browser, server: dict[str, str], language: str) -> Page:
    context = browser.new_context(locale=f"{language}-KZ")
    page = context.new_page()
    sign_in_as(page, server["base"], "supervisor.ala", server["demo"])
    with page.expect_navigation():
        page.click("nav a[href='/training']")
    return page


def _enrol(page: Page, language: str) -> None:
    words = WORDS[language]
    with page.expect_navigation():
        page.click("#enrolments-link")
    expect(page.locator("h1")).to_contain_text(words["h1"])
    row = page.locator("#enrolled tr[data-resident]")
    expect(row).to_have_count(1)
    started = row.locator("td.start").inner_text()
    page.select_option("#enrol-resident_id", index=1)
    page.select_option("#enrol-supervisor_id", index=1)
    page.fill("#enrol-started_on", started)
    if language == "ru":
        page.select_option("#enrol-elective", "")
        submit(page, "#enrol-form")
        expect(page.locator("#enrol-form-error")).to_contain_text(words["elective"])
    else:
        page.select_option("#enrol-elective", "thyroid-therapy")
        page.fill("#enrol-started_on", "2000-01-01")
        submit(page, "#enrol-form")
        expect(page.locator("#enrol-form-error")).to_contain_text(words["start"])
    shot(page, f"training-enrol-1-{language}-refused")
    page.select_option("#enrol-elective", "thyroid-therapy")
    page.fill("#enrol-started_on", started)
    submit(page, "#enrol-form")
    expect(page.locator("#enrol-form-error")).to_have_count(0)
    expect(row.locator("td.start")).to_have_text(started)
    shot(page, f"training-enrol-2-{language}-enrolled")


def _mark(page: Page, day: str, present: str) -> None:
    page.select_option("#attendance-participant_id", index=1)
    page.fill("#attendance-day", day)
    page.select_option("#attendance-present", present)
    submit(page, "#attendance-form")


def _attendance(page: Page, language: str) -> None:
    words = WORDS[language]
    with page.expect_navigation():
        page.click("#courses a[href^='/training/courses/']")
    with page.expect_navigation():
        page.click("#attendance-link")
    expect(page.locator("h1")).to_contain_text(words["attendance"])
    certificates = page.locator("#attendance a[href$='certificate.pdf']")
    expect(certificates).to_have_count(16)
    _mark(page, "2024-05-25" if language == "ru" else "2024-05-21", "no")
    expect(page.locator("#attendance-form-error")).to_contain_text("2024-05-22")
    expect(page.locator("#attendance-form-error")).to_contain_text(words["day"])
    shot(page, f"training-attendance-1-{language}-refused")

    _mark(page, "2024-05-24", "no")
    expect(certificates).to_have_count(15)
    first = page.locator("#attendance tbody tr").first
    expect(first.locator("td.day[data-day='2024-05-24']")).to_have_attribute("data-present", "no")
    shot(page, f"training-attendance-2-{language}-absent")
    _mark(page, "2024-05-24", "yes")
    expect(certificates).to_have_count(16)
    expect(page.locator("#marks tr.superseded").first).to_be_visible()
    shot(page, f"training-attendance-3-{language}-corrected")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_enrolment_and_attendance(server: dict[str, str], browser: Browser, language: str) -> None:
    page = _director(browser, server, language)
    _enrol(page, language)
    with page.expect_navigation():
        page.click("nav a[href='/training']")
    _attendance(page, language)
    page.context.close()
