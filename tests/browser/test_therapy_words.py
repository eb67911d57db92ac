"""The MIRD form of a therapy course in Russian and Kazakh, in a real browser (issue 12): the
organ is chosen from translated organs; a tumour without its name and a badly typed time of
administration are refused in the reader's language and in the format the field shows.

Screenshots are saved under ``test-artifacts/words/``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, NO_BROWSER, sign_in_as, submit

pytestmark = NO_BROWSER

WORDS = ARTIFACTS.parent / "words"

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


def _the_course(page: Page, base: str, password: str) -> None:
    sign_in_as(page, base, "doctor.ala", password)
    page.click("a[href='/sites/NM-ALA/patients']")
    page.fill("#patients-q", "Досанов")
    submit(page, "form.search")
    page.click("text=Досанов Д.")
    page.click("#courses a")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_mird_form_in_the_readers_language(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    said = SAID[language]
    context = browser.new_context(locale=said["locale"])
    page = context.new_page()
    _the_course(page, server["base"], server["demo"])

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
