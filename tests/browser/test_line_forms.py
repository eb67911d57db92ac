"""The day board and the therapy course page in a real browser, in Russian and Kazakh, with one
wrong entry per form (found on the ru/kk walk): each refused form comes back where it was
filled in (the board at its line, the course page at its form), with its problem beside it and
the other forms empty; the board names the demo's MDP vial in the reader's language.

Screenshots of what the reader sees after each refusal are saved under
``test-artifacts/pages/``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import NO_BROWSER, ROOT, open_demo_course, sign_in_as, submit

pytestmark = NO_BROWSER

ARTIFACTS = ROOT / "test-artifacts" / "pages"
LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
MDP = "99mTc-медронат (MDP)"
"""The demo vial's kit (``mdp``) as both catalogues name it."""
MUCH = {"ru": "много", "kk": "көп"}
SEVENTY = {"ru": "семьдесят", "kk": "жетпіс"}
"""Wrong entries, typed in the reader's language."""
ENGLISH = re.compile(r"\b(?:medronate|Sodium|pertechnetate|kit)\b")


def _shot(page: Page, name: str) -> None:
    """Save what the reader sees (the viewport, where the page landed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _in_view(page: Page, element: Locator) -> None:
    """The page landed on ``element``: it is in the viewport."""
    expect(element).to_be_in_viewport()
    assert page.evaluate("window.location.hash")


def _mbq(text: str) -> float:
    """The activity a ready line expects now, in MBq, from its ``≈ 826 МБк`` (or ГБк)."""
    found = re.search(r"≈\s*([\d\s\u00a0\u202f]+(?:,\d+)?)\s*([МГ])Бк", text)
    assert found, text
    value = float(re.sub(r"\s", "", found[1]).replace(",", "."))
    return value * (1000 if found[2] == "Г" else 1)


def _draw_refused_then_drawn(page: Page, language: str) -> None:
    ready = page.locator("tr.state-ready").first
    line_id = ready.get_attribute("id")
    assert line_id
    line = page.locator(f"#{line_id}")
    assert MDP in ready.inner_text() and not ENGLISH.search(ready.inner_text())
    form = line.locator("form.inline-form")
    form.locator("[name=measured]").fill(MUCH[language])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"#{line_id}")
    error = page.locator(f"#{line_id} form.inline-form p.error")
    expect(error).to_have_count(2)  # the time and the activity
    _in_view(page, error.first)
    expect(page.locator(f"#{line_id} [name=measured]")).to_have_value(MUCH[language])
    _shot(page, f"board-draw-refused-{language}")
    expected = _mbq(page.locator(f"#{line_id}").inner_text())
    page.fill(f"#{line_id} [name=drawn_at]", page.evaluate("new Date().toISOString()"))
    page.fill(f"#{line_id} [name=measured]", f"{expected:.0f} MBq")
    with page.expect_navigation():
        page.click(f"#{line_id} form.inline-form button[type=submit]")
    expect(page.locator(f"#{line_id}.state-drawn")).to_have_count(1)


def _drawn_forms_refused(page: Page, language: str) -> None:
    drawn = page.locator("tr.state-drawn").first
    line_id = drawn.get_attribute("id")
    assert line_id
    page.fill(f"#{line_id} form[id^=draw-] [name=weight]", SEVENTY[language])
    with page.expect_navigation():
        page.click(f"#{line_id} form[id^=draw-] button[type=submit]")
    assert page.url.endswith(f"#{line_id}")
    errors = page.locator(f"#{line_id} form[id^=draw-] p.error")
    expect(errors.first).to_be_visible()
    _in_view(page, errors.first)
    weight = page.locator(f"#{line_id} form[id^=draw-] [name=weight]")
    expect(weight).to_have_value(SEVENTY[language])
    expect(page.locator(f"#{line_id} .discard-form p.error")).to_have_count(0)
    _shot(page, f"board-administration-refused-{language}")
    page.fill(f"#{line_id} .discard-form [name=reason]", " ")
    with page.expect_navigation():
        page.click(f"#{line_id} .discard-form button[type=submit]")
    assert page.url.endswith(f"#{line_id}")
    error = page.locator(f"#{line_id} .discard-form p.error")
    expect(error).to_have_count(1)
    _in_view(page, error)
    expect(page.locator(f"#{line_id} form[id^=draw-] p.error")).to_have_count(0)
    _shot(page, f"board-discard-refused-{language}")


def _empty(page: Page, form: str) -> None:
    """No value typed and no problem said in ``form``."""
    for field in page.locator(f"{form} input[type=text]").all():
        expect(field).to_have_value("")
    expect(page.locator(f"{form} p.error")).to_have_count(0)


def _course_forms_refused(page: Page, language: str) -> None:
    page.fill("#administration-number", "3")
    page.fill("#administration-administered_at", "2026-11-23 10:00")
    page.fill("#administration-nuclide", "Lu-177")
    page.fill("#administration-activity", MUCH[language])
    submit(page, "#administration-form")
    note = page.locator("#administration-activity-note")
    expect(note).to_have_class("error")
    _in_view(page, note)
    expect(page.locator("#administration-nuclide")).to_have_value("Lu-177")
    _empty(page, "#release-form")
    _empty(page, "#measurement-form")
    _shot(page, f"course-administration-refused-{language}")
    page.fill("#release-nuclide", "Lu-177")
    page.fill("#release-activity", MUCH[language])
    submit(page, "#release-form")
    note = page.locator("#release-activity-note")
    expect(note).to_have_class("error")
    _in_view(page, note)
    _empty(page, "#administration-form")
    _shot(page, f"course-release-refused-{language}")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_refused_forms_come_back_where_they_were_filled_in(
    server: dict[str, str], browser: Browser, language: str
) -> None:
    base = server["base"]
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    sign_in_as(page, base, "tech.ala", server["demo"])
    page.goto(f"{base}/sites/NM-ALA/hotlab")
    _draw_refused_then_drawn(page, language)
    _drawn_forms_refused(page, language)
    context.close()
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    open_demo_course(page, base, server["demo"])
    _course_forms_refused(page, language)
    context.close()
