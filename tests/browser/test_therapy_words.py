"""The MIRD form of a therapy course in Russian and Kazakh, in a real browser (issue 12): the
organ is chosen from translated organs; a tumour without its name and a badly typed time of
administration are refused in the reader's language and in the format the field shows.

The Kazakh course page after a tumour's measurements: the fit's note in Kazakh, the tumour by
the name typed, the organ-dose form in Kazakh organs, every moment day.month.year hours:minutes.

Screenshots are saved under ``test-artifacts/words/`` and ``test-artifacts/course/``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, NO_BROWSER, open_demo_course, submit

pytestmark = NO_BROWSER

WORDS = ARTIFACTS.parent / "words"
COURSE = ARTIFACTS.parent / "course"

SAID = {
    "ru": {
        "locale": "ru-RU",
        "marrow": "красный костный мозг",
        "no_name": "укажите название измеренной опухоли",
        "bad_time": "«вчера» — не дата и время; укажите дату и местное время, например "
        "2026-12-02 09:15 или 02.12.2026 09:15",
    },
    "kk": {
        "locale": "kk-KZ",
        "marrow": "қызыл сүйек кемігі",
        "no_name": "өлшенген ісіктің атауын жазыңыз",
        "bad_time": "«вчера» күн мен уақыт емес; күнді және жергілікті уақытты жазыңыз, мысалы "
        "2026-12-02 09:15 немесе 02.12.2026 09:15",
    },
}


def _shot(page: Page, name: str) -> None:
    WORDS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(WORDS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_mird_form_in_the_readers_language(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    said = SAID[language]
    context = browser.new_context(locale=said["locale"])
    page = context.new_page()
    open_demo_course(page, server["base"], server["demo"])

    organs = page.locator("#measurement-region option")
    expect(organs).to_contain_text([said["marrow"]])
    expect(page.locator("#measurement-region")).not_to_contain_text("red_marrow")
    page.fill("#measurement-cycle", "1")
    page.select_option("#measurement-region", "tumour")
    page.fill("#measurement-instrument", "SPECT/CT")
    page.fill("#measurement-points", "23.11.2026 14:00; 2 GBq\n24.11.2026 10:00; 1 GBq")
    submit(page, "#measurement-form")
    expect(page.locator("#measurement-region")).to_have_value("tumour")
    expect(page.locator("#measurement-tumour-note")).to_have_text(said["no_name"])
    page.locator("#measurements").scroll_into_view_if_needed()
    _shot(page, f"mird-tumour-without-name-{language}")

    page.fill("#administration-number", "9")
    page.fill("#administration-administered_at", "вчера")
    page.fill("#administration-nuclide", "Lu-177")
    page.fill("#administration-activity", "7,4 ГБк")
    submit(page, "#administration-form")
    expect(page.locator("#administration-administered_at-note")).to_have_text(said["bad_time"])
    page.locator("#administration-form").scroll_into_view_if_needed()
    _shot(page, f"given-at-wrong-{language}")
    context.close()


def test_the_kazakh_course_page_after_a_tumours_measurements(
    server: dict[str, str], browser: Browser
) -> None:
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    open_demo_course(page, server["base"], server["demo"])
    given_at = page.locator("#cycles tbody tr").nth(1).locator("td").nth(1).inner_text()
    given = datetime.strptime(given_at.splitlines()[0].strip(), "%d.%m.%Y %H:%M")
    slow = [  # 11.6 d: longer than Lu-177's 6.65 d, so the fit notes it
        f"{given + timedelta(hours=h):%d.%m.%Y %H:%M}; {300 * math.exp(-h / 400):.1f} МБк"
        for h in (4, 24, 96)
    ]
    page.fill("#measurement-cycle", "2")
    page.select_option("#measurement-region", "tumour")
    page.fill("#measurement-tumour", "очаг в печени 1")
    page.fill("#measurement-mass", "20 г")
    page.fill("#measurement-instrument", "ОФЭКТ/КТ")
    page.fill("#measurement-points", "\n".join(slow))
    page.fill("#measurement-late_entry_reason", "енгізу кейін")
    submit(page, "#measurement-form")

    expect(page.locator("#tac small.note")).to_have_text(
        re.compile(
            r"^тиімді жартылай шығарылу кезеңі 11,6 тәул Lu-177 .* Оларды түзетуге болмайды$"
        )
    )
    expect(page.locator("#tac svg")).to_contain_text("уақыт (сағ)")
    expect(page.locator("#measurement-tumour")).to_have_value("очаг в печени 1")
    expect(page.locator("#dose-doses")).to_have_value(re.compile(r"^очаг в печени 1: .* Гр$"))
    expect(page.locator("#dose-doses-note")).to_have_text(
        "мысалы, бүйректер: 4,1 Гр; қызыл сүйек кемігі: 0,3 Гр"
    )
    expect(page.locator("#cycles")).to_contain_text("очаг в печени 1: 3")
    body = page.locator("main").inner_text()
    assert re.findall(r"\d\d:\d\d:\d\d", body) == []
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", body)
    COURSE.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(COURSE / "course-kk.png"), full_page=True)
    page.locator("#tac").screenshot(path=str(COURSE / "curve-kk.png"))
    context.close()
