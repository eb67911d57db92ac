"""Gamma camera calibration, in a real browser (issue 18): the physicist records a phantom
acquisition in Russian, first with a wrong count, and reads the sensitivity; in Kazakh the page
shows it in use. Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

ALMATY = ZoneInfo("Asia/Almaty")
CAMERA = "Discovery NM/CT 670 (browser test)"


def _local(moment: datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _record_in_russian(page: Page, base: str) -> None:
    now = datetime.now(UTC)
    page.goto(f"{base}/sites/NM-ALA/cameras")
    expect(page.locator("h1")).to_contain_text("Калибровка гамма-камеры")
    values = {
        "camera": CAMERA, "nuclide": "Lu-177", "energy_window": "208 кэВ 20 %",
        "phantom_activity": "400 МБк", "activity_reference_time": _local(now - timedelta(hours=2)),
        "acquired_at": _local(now - timedelta(hours=1)), "duration": "30 мин",
        "counts": "много",
    }  # fmt: skip
    for name, value in values.items():
        page.fill(f"#record [name={name}]", value)
    submit(page, "#record")  # the counts are not a number: refused beside the field
    expect(page.locator("#cam-counts-note")).to_contain_text("укажите число отсчётов")
    shot(page, "camera-1-wrong-counts-ru")
    page.fill("#record [name=counts]", "6500000")
    submit(page, "#record")
    row = page.locator("#calibrations tr", has_text=CAMERA)
    expect(row).to_contain_text("имп/с/МБк")
    expect(row).to_contain_text("используется")
    shot(page, "camera-2-recorded-ru")


def test_physicist_calibrates_a_camera(server: dict[str, str], browser: Browser) -> None:
    base = server["base"]
    russian = browser.new_context(locale="ru-RU")
    page = russian.new_page()
    sign_in_as(page, base, "physicist.ala", server["demo"])
    _record_in_russian(page, base)
    russian.close()

    kazakh = browser.new_context(locale="kk-KZ")
    page = kazakh.new_page()
    sign_in_as(page, base, "physicist.ala", server["demo"])
    page.goto(f"{base}/sites/NM-ALA/cameras")
    expect(page.locator("h1")).to_contain_text("Гамма-камераны калибрлеу")
    expect(page.locator("#calibrations tr", has_text=CAMERA)).to_contain_text("қолданыста")
    shot(page, "camera-3-list-kk")
    kazakh.close()
