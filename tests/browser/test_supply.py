"""A hospital orders from the producer in Russian and the order desk plans and ships in Kazakh
(issue 15): the Astana technologist orders a generator (first with an activity whose unit is
misspelt, refused beside the field); the Almaty order desk plans the day (first with an
impossible date), confirms the plan and dispatches the package (first with a dose rate
without its unit). Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER


DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
"""Weekdays as the demo week's departure ids end (``NQZ-AIR-KC-MON``)."""


def _production_weekday() -> date:
    """The first Monday-to-Friday at least three days ahead in Almaty (the demo generator is
    made that day and orders close two days before it at noon)."""
    day = datetime.now(UTC).astimezone(ZoneInfo("Asia/Almaty")).date() + timedelta(days=3)
    while day.isoweekday() > 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def test_a_hospital_orders_in_russian_and_the_desk_ships_in_kazakh(
    server: dict[str, str], browser: Browser
) -> None:
    day = _production_weekday()
    hospital = browser.new_context(locale="ru-RU").new_page()
    sign_in_as(hospital, server["base"], "tech.ast", server["demo"])
    hospital.click("a[href='/sites/NM-AST/orders']")
    expect(hospital.locator("h1")).to_contain_text("Заказы производителю")
    shot(hospital, "supply-1-orders-ru")
    hospital.select_option("#order-product", "GEN-TC99M")
    hospital.fill("#order-activity", "10 ГБкк")
    hospital.fill("#order-calibration", f"{day} 12:00")
    submit(hospital, "#new-order form")
    expect(hospital.locator("#order-activity-note")).to_be_visible()
    expect(hospital.locator("#order-activity")).to_have_attribute("aria-invalid", "true")
    shot(hospital, "supply-2-wrong-activity-ru")
    hospital.fill("#order-activity", "10 ГБк")
    submit(hospital, "#new-order form")
    expect(hospital.locator("#orders")).to_contain_text("заказан")
    shot(hospital, "supply-3-ordered-ru")

    desk = browser.new_context(locale="kk-KZ").new_page()
    sign_in_as(desk, server["base"], "orders.ala", server["demo"])
    desk.click("a[href='/sites/INP-ALA/order-desk']")
    expect(desk.locator("h1")).to_contain_text("Тапсырыстар бөлімі")
    shot(desk, "supply-4-desk-kk")
    plan_form = "#plan form[action$='/plan']"
    desk.fill("#plan-first_day", "2026-13-01")
    submit(desk, plan_form)
    expect(desk.locator("#plan-first_day")).to_have_attribute("aria-invalid", "true")
    shot(desk, "supply-5-wrong-day-kk")
    desk.fill("#plan-first_day", str(day))
    desk.fill("#plan-margin", "5 %")
    submit(desk, plan_form)
    expect(desk.locator("#assignments")).to_contain_text(
        f"NQZ-AIR-KC-{DAYS[day.weekday()]}-{day:%m%d}"
    )
    shot(desk, "supply-6-plan-kk")
    submit(desk, "#plan form[action$='/confirm']")
    row = desk.locator("#shipments tr", has_text="NM-AST").first
    expect(row).to_contain_text("жөнелтуге жоспарланды")
    row.locator("[name=surface]").fill("300")
    row.locator("[name=one_metre]").fill("8 мкЗв/сағ")
    with desk.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(desk.locator("[aria-invalid=true]").first).to_be_visible()
    shot(desk, "supply-7-wrong-dose-rate-kk")
    row = desk.locator("#shipments tr", has_text="NM-AST").first
    row.locator("[name=surface]").fill("300 мкЗв/сағ")
    row.locator("[name=one_metre]").fill("8 мкЗв/сағ")
    with desk.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(desk.locator("#shipments")).to_contain_text("UN 2915")
    shot(desk, "supply-8-dispatched-kk")
