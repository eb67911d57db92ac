"""A day in the Bishkek hot lab, in a real browser: receive a generator, elute, pass QC, label
MDP, check the calibrator, draw three patient doses, print a label, record waste.

Screenshots of each step are saved under ``test-artifacts/browser/``.

The server runs on the computer's clock, so the test places its times in Bishkek's current
local day (the day board shows that day): the doses are booked at most 30 min ahead and before
local midnight, the calibrator's check is never on yesterday's date, and a run started less than
:data:`ROOM` before midnight waits for the new local day.
"""

from __future__ import annotations

import time as system_time
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

BISHKEK = ZoneInfo("Asia/Bishkek")
AHEAD = timedelta(minutes=30)
"""How far ahead of "now" the doses are booked, when the local day leaves room."""
ROOM = timedelta(minutes=10)
"""The least time left before local midnight the test starts with: it books the doses at
least 5 min ahead and must draw them before they are due, on the same day."""
TC99M_HALF_LIFE_H = 6.015  # ICRP 107 (the value nucmed's nuclide data carry)


def _local(moment: datetime) -> str:
    return moment.astimezone(BISHKEK).strftime("%Y-%m-%d %H:%M")


def _day_start(moment: datetime) -> datetime:
    """Bishkek's local midnight that starts the day of ``moment``."""
    return datetime.combine(moment.astimezone(BISHKEK).date(), time(0), tzinfo=BISHKEK)


def _start() -> datetime:
    """The test's "now", to the minute, at least :data:`ROOM` before Bishkek's midnight (a run
    started later sleeps into the new local day: at most :data:`ROOM`)."""
    now = datetime.now(UTC)
    left = _day_start(now) + timedelta(days=1) - now
    if left < ROOM:
        system_time.sleep(left.total_seconds() + 1)
        now = datetime.now(UTC)
    return now.replace(second=0, microsecond=0)


def _ahead(now: datetime) -> timedelta:
    """How far ahead to book: :data:`AHEAD`, or half the time left in the local day, in whole
    minutes (at least 5 min, after :func:`_start`)."""
    half_left = (_day_start(now) + timedelta(days=1) - now) / 2
    return min(AHEAD, timedelta(minutes=half_left // timedelta(minutes=1)))


def _fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"{form} [name={name}]", value)


def _sign_in(page: Page, base: str, password: str) -> None:
    sign_in_as(page, base, "tech.bis", password)


def _receive_and_elute(page: Page, base: str, now: datetime) -> None:
    page.goto(f"{base}/sites/NM-BIS/receive")
    page.select_option("#rcv-kind", "generator")
    page.select_option("#rcv-label_category", "II-YELLOW")
    _fill(
        page,
        "form.card",
        {
            "nuclide": "Mo-99",
            "product": "Tc-99m generator 10 GBq",
            "lot": "G-BIS-1",
            "supplier": "Isotope producer, Almaty",
            "activity": "10 GBq",
            "calibration_time": _local(now - timedelta(hours=30)),
            "measured_at": _local(now - timedelta(hours=3)),
            "surface": "8 µSv/h",
            "one_metre": "0.3 µSv/h",
            "wipe": "0",
            "transport_index": "0.1",
        },
    )
    submit(page, "form.card")
    expect(page.locator("h1")).to_contain_text("Tc-99m generator 10 GBq")
    shot(page, "day-1-generator")
    eluted = now - timedelta(hours=2)
    _fill(
        page,
        "form[action$='/elute']",
        {"eluted_at": _local(eluted), "activity": "7 GBq", "volume": "10 mL"},
    )
    submit(page, "form[action$='/elute']")
    expect(page.locator("#status")).to_contain_text("Mo-99 breakthrough QC missing")
    for test, value in (("mo99_breakthrough", "0.7 kBq"), ("aluminium", "2")):
        page.select_option("#qc-test", test)
        _fill(
            page,
            "form[action$='/qc']",
            {"value": value, "method": "standard", "measured_at": _local(eluted)},
        )
        submit(page, "form[action$='/qc']")
    expect(page.locator("#status")).to_contain_text("Ready to use")
    shot(page, "day-2-eluate-qc-passed")


def _label_mdp(page: Page, now: datetime) -> None:
    page.select_option("#prep-kit", "mdp")
    _fill(
        page,
        "form[action$='/prepare']",
        {"volume": "6 mL", "labelled_at": _local(now - timedelta(minutes=90))},
    )
    submit(page, "form[action$='/prepare']")
    expect(page.locator("h1")).to_contain_text("MDP")
    _fill(
        page,
        "form[action$='/qc']",
        {"value": "96 %", "method": "ITLC", "measured_at": _local(now - timedelta(minutes=80))},
    )
    submit(page, "form[action$='/qc']")
    expect(page.locator("#status")).to_contain_text("Ready to use")
    shot(page, "day-3-mdp-labelled")


def _check_calibrator(page: Page, base: str, now: datetime) -> None:
    page.goto(f"{base}/sites/NM-BIS/calibrators")
    _fill(
        page,
        "form[action$='/calibrators']",
        {
            "name": "Hot lab calibrator",
            "model": "CRC-25R",
            "serial": "BIS-1",
            "check_nuclide": "Cs-137",
            "check_activity": "7.4 MBq",
            "check_reference_time": _local(now - timedelta(minutes=30)),
        },
    )
    submit(page, "form[action$='/calibrators']")
    checked = max(now - timedelta(minutes=30), _day_start(now))  # today's check
    _fill(
        page,
        "form[action$='/constancy']",
        {"reading": "7.4 MBq", "measured_at": _local(checked)},
    )
    submit(page, "form[action$='/constancy']")
    shot(page, "day-4-calibrator")


def _three_doses(page: Page, base: str, now: datetime) -> None:
    ahead = _ahead(now)
    page.goto(f"{base}/sites/NM-BIS/hotlab")
    for number in range(3):
        _fill(
            page,
            "form[action$='/dose-requests']",
            {
                "patient_id": f"B-{number}",
                "patient_name": f"Patient {number}",
                "procedure": "Bone scan",
                "radiopharmaceutical": "mdp",
                "nuclide": "Tc-99m",
                "activity": "555 MBq",
                "planned_at": _local(now + ahead),
            },
        )
        submit(page, "form[action$='/dose-requests']")
    expect(page.locator("tr.state-ready")).to_have_count(3)
    shot(page, "day-5-board-ready")
    hours_early = ahead / timedelta(hours=1)  # drawn now, given at the planned time
    syringe = f"{555 * 2 ** (hours_early / TC99M_HALF_LIFE_H):.0f} MBq"
    for _ in range(3):
        form = "tr.state-ready form.inline-form >> nth=0"
        page.fill(f"{form} >> [name=drawn_at]", _local(now))
        page.fill(f"{form} >> [name=measured]", syringe)
        with page.expect_navigation():
            page.click(f"{form} >> button[type=submit]")
    expect(page.locator("tr.state-drawn")).to_have_count(3)
    shot(page, "day-6-board-drawn")


def _record_waste(page: Page, base: str, now: datetime) -> None:
    page.goto(f"{base}/sites/NM-BIS/waste")
    _fill(page, "form[action$='/waste']", {"label": "W-BIS-1", "mass": "3 kg"})
    submit(page, "form[action$='/waste']")
    _fill(
        page,
        "form[action$='/items']",
        {"nuclide": "Tc-99m", "activity": "40 MBq", "reference_time": _local(now)},
    )
    submit(page, "form[action$='/items']")
    expect(page.locator("body")).to_contain_text("W-BIS-1")
    shot(page, "day-7-waste")


def test_a_day_in_the_hot_lab(server: dict[str, str], browser: Browser) -> None:
    base, now = server["base"], _start()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in(page, base, server["demo"])
    _receive_and_elute(page, base, now)
    _label_mdp(page, now)
    _check_calibrator(page, base, now)
    _three_doses(page, base, now)
    label_url = page.locator("a.label-link").first.get_attribute("href")
    label = page.request.get(f"{base}{label_url}")
    assert label.status == 200 and label.body().startswith(b"%PDF")
    _record_waste(page, base, now)
    context.close()
