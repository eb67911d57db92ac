"""A dispatched shipment's transport document and label (issue 15, item 4) in the browser: the
Astana technologist orders (Russian), the Almaty order desk plans, confirms and dispatches the
package, first with a dose rate without its unit (Kazakh), then downloads the PDF from the
shipment's row; the technologist downloads the same document from the orders page.
Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER


def _production_weekday() -> date:
    """A Monday-to-Friday at least four days ahead in Almaty (orders close two days before
    production at noon; a day apart from ``test_supply.py``'s)."""
    day = datetime.now(UTC).astimezone(ZoneInfo("Asia/Almaty")).date() + timedelta(days=4)
    while day.isoweekday() > 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def _download(page: Page, link: str) -> bytes:
    with page.expect_download() as started:
        page.click(link)
    path = started.value.path()
    with open(path, "rb") as pdf:
        return pdf.read()


def _dispatch(desk: Page, day: date) -> str:
    """Plan and confirm ``day``, dispatch the first Astana package still to dispatch (first
    with a dose rate without its unit); its shipment row's id."""
    desk.click("a[href='/sites/INP-ALA/order-desk']")
    desk.fill("#plan-first_day", str(day))
    submit(desk, "#plan form[action$='/plan']")
    submit(desk, "#plan form[action$='/confirm']")
    row = desk.locator("#shipments tr", has_text="NM-AST").filter(
        has=desk.locator("[name=surface]")
    )
    row_id = str(row.first.get_attribute("id"))
    row = desk.locator(f"#{row_id}")
    row.locator("[name=surface]").fill("300")
    row.locator("[name=one_metre]").fill("8 мкЗв/сағ")
    with desk.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(desk.locator("[aria-invalid=true]").first).to_be_visible()
    row = desk.locator(f"#{row_id}")
    row.locator("[name=surface]").fill("300 мкЗв/сағ")
    row.locator("[name=one_metre]").fill("8 мкЗв/сағ")
    with desk.expect_navigation():
        row.locator("button[type=submit]").click()
    return row_id


def test_both_sides_download_the_transport_document(
    server: dict[str, str], browser: Browser
) -> None:
    day = _production_weekday()
    hospital = browser.new_context(locale="ru-RU", accept_downloads=True).new_page()
    sign_in_as(hospital, server["base"], "tech.ast", server["demo"])
    hospital.click("a[href='/sites/NM-AST/orders']")
    hospital.select_option("#order-product", "GEN-TC99M")
    hospital.fill("#order-activity", "10 ГБк")
    hospital.fill("#order-calibration", f"{day} 12:00")
    submit(hospital, "#new-order form")

    desk = browser.new_context(locale="kk-KZ", accept_downloads=True).new_page()
    sign_in_as(desk, server["base"], "orders.ala", server["demo"])
    row_id = _dispatch(desk, day)
    shipment = row_id.removeprefix("shipment-")
    link = desk.locator(f"#transport-{shipment}")
    expect(link).to_have_text("Тасымалдау құжаты және белгі (PDF)")
    shot(desk, "supply-transport-1-desk-kk")
    assert _download(desk, f"#transport-{shipment}").startswith(b"%PDF")

    hospital.reload()
    link = hospital.locator(f"#transport-{shipment}")
    expect(link).to_have_text("Транспортный документ и знак (PDF)")
    shot(hospital, "supply-transport-2-orders-ru")
    assert _download(hospital, f"#transport-{shipment}").startswith(b"%PDF")
