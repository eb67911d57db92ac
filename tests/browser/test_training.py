"""The resident–supervisor loop in Kazakh, in a real browser: the resident logs a bone scan
(first without a learning outcome: refused, in Kazakh, what was typed kept), the supervisor
tries to return it without a comment (refused) and approves it, and the resident's count of
signed bone cases moves from 1 to 2; the supervisor then opens the AML exchange course.

Screenshots of each step are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER


def _training(page: Page) -> None:
    with page.expect_navigation():
        page.click("nav a[href='/training']")
    expect(page.locator("h1")).to_contain_text("Оқыту")


def test_resident_and_supervisor_in_kazakh(server: dict[str, str], browser: Browser) -> None:
    yesterday = datetime.now(ZoneInfo("Asia/Almaty")).date() - timedelta(days=1)
    resident_context = browser.new_context(locale="kk-KZ")
    resident = resident_context.new_page()
    sign_in_as(resident, server["base"], "resident.ala", server["demo"])
    _training(resident)
    bone = resident.locator("#minimums tr[data-item='bone-joint'] .done")
    expect(bone).to_have_text("1")
    shot(resident, "training-1-kk-resident-dashboard")

    resident.fill("#case-performed_on", yesterday.isoformat())
    resident.select_option("#case-procedure_type", "bone-joint")
    resident.select_option("#case-role", "supervised")
    resident.select_option("#case-discipline_code", "radionuclide-diagnostics")
    resident.fill("#case-description", "Остеосцинтиграфия, метастаз жоқ")
    submit(resident, "#case-form")
    expect(resident.locator("#case-form-error")).to_contain_text("оқу нәтижесін белгілеңіз")
    expect(resident.locator("#case-description")).to_have_value("Остеосцинтиграфия, метастаз жоқ")
    shot(resident, "training-2-kk-case-refused")

    resident.check("#case-outcomes input[value='ОН1']")
    resident.check("#case-outcomes input[value='ОН3']")
    submit(resident, "#case-form")
    logged = resident.locator("#cases tr", has_text="метастаз жоқ")
    expect(logged).to_have_attribute("data-status", "waiting")
    expect(logged.locator(".status")).to_contain_text("растауды күтуде")
    expect(bone).to_have_text("1")
    shot(resident, "training-3-kk-case-waiting")

    supervisor_context = browser.new_context(locale="kk-KZ")
    supervisor = supervisor_context.new_page()
    sign_in_as(supervisor, server["base"], "supervisor.ala", server["demo"])
    _training(supervisor)
    waiting = supervisor.locator("#waiting form.sign-off", has_text="метастаз жоқ")
    form_id = waiting.get_attribute("id")
    with supervisor.expect_navigation():
        waiting.locator("button[value='returned']").click()
    expect(supervisor.locator(f"#{form_id}-error")).to_contain_text("өрісін толтырыңыз")
    shot(supervisor, "training-4-kk-return-refused")
    with supervisor.expect_navigation():
        supervisor.locator(f"#{form_id} button[value='approved']").click()
    expect(supervisor.locator(f"#{form_id}")).to_have_count(0)
    shot(supervisor, "training-5-kk-approved")

    resident.reload()
    expect(logged).to_have_attribute("data-status", "approved")
    expect(bone).to_have_text("2")
    shot(resident, "training-6-kk-dashboard-moved")

    with supervisor.expect_navigation():
        supervisor.click("#courses a")
    expect(supervisor.locator("#course-summary")).to_contain_text("Қалалар саны: 10")
    expect(supervisor.locator("#participants a[href$='certificate.pdf']")).to_have_count(16)
    shot(supervisor, "training-7-kk-aml-exchange")
    supervisor_context.close()
    resident_context.close()


def test_supervisor_assesses_in_russian(server: dict[str, str], browser: Browser) -> None:
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_as(page, server["base"], "supervisor.ala", server["demo"])
    with page.expect_navigation():
        page.click("nav a[href='/training']")
    with page.expect_navigation():
        page.click("#cohort a[href*='/training/residents/']")
    expect(page.locator("h1")).to_contain_text("Обучение")

    page.select_option("#assessment-kind", "dops")
    page.fill("#assessment-assessed_on", today.isoformat())
    page.fill("#assessment-subject", "Элюирование генератора и контроль качества")
    page.select_option("#assessment-rating", "meets")
    submit(page, "#assessment-form")
    expect(page.locator("#assessment-form-error")).to_contain_text("заполните поле")
    expect(page.locator("#assessment-subject")).to_have_value(
        "Элюирование генератора и контроль качества"
    )
    shot(page, "training-8-ru-assessment-refused")

    page.fill("#assessment-feedback", "Работа аккуратная; проверять пробу на Mo-99 сразу")
    submit(page, "#assessment-form")
    row = page.locator("#assessments tr", has_text="Элюирование генератора")
    expect(row).to_contain_text("соответствует ожиданиям")
    expect(page.locator("#minimums tr[data-item='dops'] .done")).to_have_text("2")
    shot(page, "training-9-ru-assessment-recorded")
    context.close()
