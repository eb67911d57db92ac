"""Patient identity on the pages (issue 11): a hospital number on file entered with another
name is refused with both identities side by side in the reader's language; the explicit
"same person, name corrected" with a reason corrects it and the patient's page shows the new
name and the old one in its history; the day board's dose request takes the same rule."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
PAGE = "/sites/T-ALA/patients"
ON_FILE = {"local_id": "A-0100", "full_name": "Досанов Данияр", "birth_date": "1968-07-21"}
OTHER = {"local_id": "A-0100", "full_name": "Иванов Иван Иванович", "birth_date": ""}


def _post(client: TestClient, path: str, data: dict[str, str], headers: dict[str, str]) -> str:
    response = client.post(
        path, data={**data, "csrf_token": csrf_of(client)}, headers=headers, follow_redirects=False
    )
    if response.status_code == 303:
        return str(response.headers["location"])
    assert response.status_code == 422, response.text[-500:]
    return response.text


def _text(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def _conflict_rows(html: str) -> list[list[str]]:
    """The cells of the side-by-side table, row by row."""
    table = html.split('id="register-identity"')[1].split("</table>", maxsplit=1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [[_text(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", r, re.S)] for r in rows]


def test_other_name_refused_side_by_side_in_russian_then_corrected_in_kazakh(
    app: FastAPI, people: dict[Role, str]
) -> None:
    doctor = sign_in(TestClient(app), people[Role.PHYSICIAN])
    where = _post(doctor, PAGE, {**ON_FILE, "sex": "M"}, RU)
    assert where.startswith("/patients/")

    refused = _post(doctor, PAGE, {**OTHER, "sex": ""}, RU)
    assert "Этот номер пациента уже записан на другого человека" in refused
    rows = _conflict_rows(refused)
    assert rows[0][0].endswith("A-0100") and rows[0][1:] == ["В записи", "Введено"]
    assert rows[1][1:] == ["Досанов Данияр", "Иванов Иван Иванович"]
    assert rows[2][1:] == ["1968-07-21", "—"]
    assert rows[3][1:] == ["мужской", "—"]
    assert 'class="differs"' in refused and "Тот же человек, ФИО исправлены" in refused
    assert "Patient" not in refused.split("<main")[1]  # no English left on the form

    no_reason = _post(doctor, PAGE, {**OTHER, "sex": "", "corrected": "yes"}, KK)
    assert "неге түзетілетінін жазыңыз" in no_reason
    assert "Жазбада" in no_reason and "Енгізілді" in no_reason

    corrected = _post(
        doctor,
        PAGE,
        {**OTHER, "sex": "", "corrected": "yes", "correction_reason": "ЖСН бойынша тексерілді"},
        KK,
    )
    assert corrected == where
    page = doctor.get(where, headers=KK).text
    assert "<h1>Иванов Иван Иванович</h1>" in page
    history = page.split('id="corrections"')[1].split("</table>")[0]
    assert "Досанов Данияр, 1968-07-21, ер" in history
    assert "Иванов Иван Иванович, 1968-07-21, ер" in history
    assert "ЖСН бойынша тексерілді" in history
    assert "Жеке деректерді түзетулер" in page


def test_dose_request_for_a_number_with_another_name_is_refused_on_the_board(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    planned = (clock.now() + timedelta(hours=1)).isoformat()
    doctor = sign_in(TestClient(app), people[Role.PHYSICIAN])
    _post(doctor, PAGE, {**ON_FILE, "sex": "M"}, RU)
    board = _post(
        doctor,
        "/sites/T-ALA/dose-requests",
        {
            "patient_id": "A-0100",
            "patient_name": "Иванов Иван Иванович",
            "procedure": "Остеосцинтиграфия",
            "radiopharmaceutical": "mdp",
            "nuclide": "Tc-99m",
            "activity": "740 MBq",
            "planned_at": planned,
            "route": "intravenous",
        },
        KK,
    )
    assert 'id="req-identity"' in board
    assert "Бұл пациент нөмірі басқа адамның атына жазылған" in board
    table = board.split('id="req-identity"')[1].split("</table>", maxsplit=1)[0]
    assert "Досанов Данияр" in table and "Иванов Иван Иванович" in table
    assert "Сол адам, аты-жөні түзетілді" in board
