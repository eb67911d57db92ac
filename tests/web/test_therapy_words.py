"""The therapy course page in the reader's language (issue 12): the MIRD form's organ is chosen
from a list of translated organs, a time is asked for in the format its field shows, the fit's
notes and the organs of the organ-dose form are in the reader's words, a tumour keeps the name
typed, and every moment reads day.month.year hours:minutes in the site's time."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

ALMATY = ZoneInfo("Asia/Almaty")
RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
LATE = "введено после возвращения пациента"


@pytest.fixture(autouse=True)
def _clock_after_the_images(clock: FixedClock) -> None:
    clock.set(datetime(2026, 11, 27, 11, 0, tzinfo=ALMATY))


@pytest.fixture
def course(
    app: FastAPI, factory: SessionFactory, people: dict[Role, str]
) -> tuple[TestClient, str]:
    """A physician signed in, and a Lu-177 course of a patient opened by them."""
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username(people[Role.RADIOPHARMACIST])
        assert site is not None and tech is not None
        given = doses.PatientInput("T-79", "Пациент Терапии", date(1960, 1, 2), "F")
        patient_id = doses.register_patient(store, tech, site, given).id
    doctor = sign_in(TestClient(app), people[Role.PHYSICIAN])
    status, where = _post(
        doctor,
        f"/patients/{patient_id}/therapy-courses",
        {"indication": "NET", "agent": "lu177-dotatate", "planned_cycles": "4"},
    )
    assert status == 303, where
    return doctor, where


def _post(client: TestClient, url: str, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(
        url, data={**data, "csrf_token": csrf_of(client)}, headers=RU, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", response.text)


def _cycle_one(doctor: TestClient, url: str, given_at: str) -> tuple[int, str]:
    typed = {"number": "1", "administered_at": given_at, "nuclide": "Lu-177"}
    return _post(
        doctor,
        f"{url}/administrations",
        {**typed, "activity": "7,4 ГБк", "late_entry_reason": LATE},
    )


def _measurements(
    region: str, tumour: str = "", mass: str = "", hours: float = 72
) -> dict[str, str]:
    """The MIRD form with three activities falling as e^(-t/``hours``) after 23.11.2026 10:00."""
    given = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
    lines = [
        f"{(given + timedelta(hours=h)):%d.%m.%Y %H:%M}; {300 * math.exp(-h / hours):.1f} MBq"
        for h in (4, 24, 96)
    ]
    return {
        "cycle": "1",
        "region": region,
        "tumour": tumour,
        "mass": mass,
        "instrument": "ОФЭКТ/КТ",
        "points": "\n".join(lines),
    }


@pytest.mark.parametrize(
    ("headers", "marrow", "tumour"),
    [(RU, "красный костный мозг", "опухоль"), (KK, "қызыл сүйек кемігі", "ісік")],
    ids=["ru", "kk"],
)
def test_the_organ_is_chosen_from_translated_organs(
    course: tuple[TestClient, str], headers: dict[str, str], marrow: str, tumour: str
) -> None:
    doctor, url = course
    page = doctor.get(url, headers=headers).text
    region = page.split('id="measurement-region"')[1].split("</select>")[0]
    assert f'<option value="red_marrow">{marrow}</option>' in region
    assert f'<option value="tumour">{tumour}' in region
    assert ">red_marrow<" not in region and "salivary_glands<" not in region


def test_an_unknown_organ_posted_is_refused_in_russian(course: tuple[TestClient, str]) -> None:
    doctor, url = course
    assert _cycle_one(doctor, url, "23.11.2026 10:00")[0] == 303
    status, text = _post(doctor, f"{url}/measurements", _measurements("brain"))
    assert status == 422 and text.lstrip().lower().startswith("<!doctype html>")
    note = re.search(r'id="measurement-region-note" role="alert">([^<]*)<', text)
    assert note is not None
    assert note.group(1) == (
        "«brain» нет в списке: выберите орган или опухоль и укажите её название"
    )
    status, text = _post(doctor, f"{url}/measurements", _measurements("tumour"))
    assert status == 422
    note = re.search(r'id="measurement-tumour-note" role="alert">([^<]*)<', text)
    assert note is not None and note.group(1) == "укажите название измеренной опухоли"
    assert 'value="tumour" selected' in text


def test_a_tumour_is_measured_by_its_name(course: tuple[TestClient, str]) -> None:
    doctor, url = course
    assert _cycle_one(doctor, url, "2026-11-23 10:00")[0] == 303
    typed = _measurements("tumour", "очаг в печени 1", "20 г")
    status, where = _post(doctor, f"{url}/measurements", typed)
    assert status == 303, where
    page = doctor.get(where, headers=RU).text
    assert 'value="tumour" selected' in page
    assert 'name="tumour" type="text"\n         value="очаг в печени 1"' in page  # as typed
    cycles = page.split('id="cycles"')[1].split("</table>")[0]
    assert ">очаг в печени 1</a>: 3" in cycles and "очаг_в" not in page
    doses = re.search(r'name="doses" type="text"\s+value="([^"]*)"', page)
    assert doses is not None and doses.group(1).startswith("очаг в печени 1: ")
    again = {"cycle": "1", "region": "Очаг  в печени 1", "mass": "20 г"}  # typed otherwise
    page = doctor.get(url, params=again, headers=RU)
    assert page.status_code == 200 and 'id="mird-dose"' in page.text


@pytest.mark.parametrize(
    ("headers", "note"),
    [
        (
            RU,
            "эффективный период полувыведения 11,6 сут длиннее физического периода "
            "полураспада Lu-177 (6,647 сут): не были ли активности скорректированы на распад? "
            "Их не следует корректировать",
        ),
        (
            KK,
            "тиімді жартылай шығарылу кезеңі 11,6 тәул Lu-177 физикалық жартылай ыдырау "
            "кезеңінен (6,647 тәул) ұзақ: белсенділіктер ыдырауға түзетілген жоқ па? Оларды "
            "түзетуге болмайды",
        ),
    ],
    ids=["ru", "kk"],
)
def test_the_fits_note_is_in_the_readers_language(
    course: tuple[TestClient, str], headers: dict[str, str], note: str
) -> None:
    doctor, url = course
    assert _cycle_one(doctor, url, "23.11.2026 10:00")[0] == 303
    slow = _measurements("kidneys", hours=400)  # 11.6 d: longer than Lu-177's 6.65 d
    status, where = _post(doctor, f"{url}/measurements", slow)
    assert status == 303, where
    figure = doctor.get(where, headers=headers).text.split('id="tac"')[1].split("</figure>")[0]
    shown = re.findall(r'<small class="note">([^<]*)</small>', figure)
    assert shown == [note]
    assert "time (h)" not in figure and "activity (MBq)" not in figure  # the axes too
    api = doctor.get(f"/api{url}/region-dose", params={"cycle": "1", "region": "kidneys"})
    assert api.json()["fit"]["notes"] == [  # the API speaks English
        "effective half-life 11.6 d is longer than the physical half-life of Lu-177 "
        "(6.647 d): were the activities decay-corrected? They must not be"
    ]


@pytest.mark.parametrize(
    ("headers", "hint", "filled"),
    [
        (RU, "например, почки: 4,1 Гр; красный костный мозг: 0,3 Гр", "почки: "),
        (KK, "мысалы, бүйректер: 4,1 Гр; қызыл сүйек кемігі: 0,3 Гр", "бүйректер: "),
    ],
    ids=["ru", "kk"],
)
def test_organ_doses_are_asked_and_read_in_the_readers_words(
    course: tuple[TestClient, str], headers: dict[str, str], hint: str, filled: str
) -> None:
    doctor, url = course
    page = doctor.get(url, headers=headers).text
    assert f'id="dose-doses-note">{hint}</p>' in page and "red_marrow:" not in page
    assert _cycle_one(doctor, url, "23.11.2026 10:00")[0] == 303
    status, where = _post(doctor, f"{url}/measurements", _measurements("kidneys"))
    assert status == 303, where
    page = doctor.get(where, headers=headers).text
    doses = re.search(r'name="doses" type="text"\s+value="([^"]*)"', page)
    assert doses is not None and doses.group(1).startswith(filled), doses
    typed = {"cycle": "1", "doses": f"{hint.split(', ', 1)[1]}", "method": "MIRD", "reason": ""}
    assert _post(doctor, f"{url}/organ-doses", typed)[0] == 303
    recorded = doctor.get(f"/api{url}").json()["organ_doses"]
    assert {(d["organ"], d["absorbed_dose_gy"]) for d in recorded} == {
        ("kidneys", 4.1),
        ("red_marrow", 0.3),
    }


def test_every_moment_of_the_kazakh_page_reads_day_month_year_and_minutes(
    course: tuple[TestClient, str],
) -> None:
    doctor, url = course
    assert _cycle_one(doctor, url, "23.11.2026 10:00")[0] == 303
    typed = {"cycle": "1", "doses": "kidneys: 1 Gy", "method": "MIRD", "reason": ""}
    assert _post(doctor, f"{url}/organ-doses", typed)[0] == 303
    page = doctor.get(url, headers=KK).text
    assert re.findall(r"\d\d:\d\d:\d\d", page) == []
    assert "23.11.2026 10:00" in page.split('id="cycles"')[1]
    assert "27.11.2026 11:00" in page.split('id="organ-doses"')[1]


def test_a_badly_typed_given_at_asks_for_the_fields_format_in_russian(
    course: tuple[TestClient, str],
) -> None:
    doctor, url = course
    status, text = _cycle_one(doctor, url, "вчера в 10")
    assert status == 422
    note = re.search(r'id="administration-administered_at-note" role="alert">([^<]*)<', text)
    assert note is not None
    assert note.group(1) == (
        "«вчера в 10» — не дата и время; укажите дату и местное время, например "
        "2026-12-02 09:15 или 02.12.2026 09:15"
    )
    assert "ISO 8601" not in text
    assert _cycle_one(doctor, url, "23.11.2026 10:00")[0] == 303
