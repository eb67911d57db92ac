"""Browser test (issue 11, item 2): the wrong patient. The radiopharmacist asks, in Russian,
for a dose for hospital number A-0100 with the name "Иванов Иван Иванович" (A-0100 is the demo
Lu-177 therapy patient): refused, both identities side by side. The physician, in Kazakh,
registers a patient, enters the number again with a corrected name, is refused, and takes the
explicit "same person, name corrected" with a reason: the patient's page shows the new name and
the old one in the history (screenshots under ``test-artifacts/browser/``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect

from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit

pytestmark = NO_BROWSER

ALMATY = ZoneInfo("Asia/Almaty")
REQUEST_FORM = "form[action='/sites/NM-ALA/dose-requests']"
REGISTER_FORM = "form#register"


def test_a_dose_for_a_known_number_with_another_name_is_refused_in_russian(
    server: dict[str, str], browser: Browser
) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_as(page, server["base"], "tech.ala", server["demo"])
    page.goto(f"{server['base']}/sites/NM-ALA/hotlab")
    planned = datetime.now(ALMATY) + timedelta(hours=1)
    values = {
        "patient_id": "A-0100",
        "patient_name": "Иванов Иван Иванович",
        "procedure": "Остеосцинтиграфия",
        "radiopharmaceutical": "mdp",
        "nuclide": "Tc-99m",
        "activity": "740 MBq",
        "planned_at": f"{planned:%Y-%m-%d %H:%M}",
    }
    for name, value in values.items():
        page.fill(f"{REQUEST_FORM} [name={name}]", value)
    submit(page, REQUEST_FORM)
    conflict = page.locator("#req-identity")
    expect(conflict).to_contain_text("Этот номер пациента уже записан на другого человека")
    expect(conflict.locator("tr.differs")).to_contain_text("Демо-пациент: Досанов Д.")
    expect(conflict.locator("tr.differs")).to_contain_text("Иванов Иван Иванович")
    expect(conflict).to_contain_text("Тот же человек, ФИО исправлены")
    assert page.input_value(f"{REQUEST_FORM} [name=patient_name]") == "Иванов Иван Иванович"
    shot(page, "ru-identity-dose-request-refused")
    context.close()


def test_a_corrected_name_is_taken_explicitly_in_kazakh(
    server: dict[str, str], browser: Browser
) -> None:
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in_as(page, server["base"], "doctor.ala", server["demo"])
    page.goto(f"{server['base']}/sites/NM-ALA/patients")
    first = {"local_id": "B-0777", "full_name": "Сейткали Айгерим", "birth_date": "1971-05-02"}
    for name, value in first.items():
        page.fill(f"{REGISTER_FORM} [name={name}]", value)
    page.select_option(f"{REGISTER_FORM} [name=sex]", "F")  # chosen from a list, never typed
    submit(page, REGISTER_FORM)
    page.goto(f"{server['base']}/sites/NM-ALA/patients")
    for name, value in {**first, "full_name": "Сейткалиева Айгерим Нұрланқызы"}.items():
        page.fill(f"{REGISTER_FORM} [name={name}]", value)
    submit(page, REGISTER_FORM)
    conflict = page.locator("#register-identity")
    expect(conflict).to_contain_text("Бұл пациент нөмірі басқа адамның атына жазылған")
    expect(conflict).to_contain_text("Жазбада")
    shot(page, "kk-identity-register-refused")

    page.check("#register-corrected")
    page.fill("#register-correction_reason", "Неке куәлігі бойынша тегі өзгерді")
    submit(page, REGISTER_FORM)
    expect(page.locator("h1")).to_have_text("Сейткалиева Айгерим Нұрланқызы")
    history = page.locator("#corrections")
    expect(history).to_contain_text("Сейткали Айгерим, 1971-05-02, әйел")
    expect(history).to_contain_text("Неке куәлігі бойынша тегі өзгерді")
    shot(page, "kk-identity-corrected")
    context.close()
