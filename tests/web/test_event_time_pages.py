"""Event times on the pages, in the reader's language: an elution typed two hours ahead is
refused with what was typed and the site's time; a container sealed yesterday needs the reason
for a late entry (the field is on the form); a request whose time has passed is on the day
board's overdue list. Times are relative to the app's clock (the suite runs at any hour)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

ALMATY = ZoneInfo("Asia/Almaty")
RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
FUTURE = {
    "ru": ("ещё не наступило: в учреждении сейчас", "Время элюирования"),
    "kk": ("уақыты әлі келген жоқ: мекемеде қазір", "Элюция уақыты"),
}
LATE = {
    "ru": "для запоздалой записи нужна причина",
    "kk": "кешіктірілген жазбаға себеп қажет",
}
FIELD = {"ru": "Причина запоздалой записи", "kk": "Кешіктірілген жазбаның себебі"}
OVERDUE = {"ru": "Просрочено", "kk": "Мерзімі өтті"}


def _typed(moment: datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _shown(moment: datetime) -> str:
    """As the refusal shows a time: the site's wall clock and its zone."""
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") + " (Asia/Almaty)"


def _post(client: TestClient, url: str, data: dict[str, str], language: str) -> Any:
    token = csrf_of(client, "/sites/T-ALA/receive")
    return client.post(
        url,
        data={**data, "csrf_token": token},
        headers={"Accept-Language": language},
        follow_redirects=False,
    )


def _generator(client: TestClient, now: datetime) -> str:
    received = _post(
        client,
        "/sites/T-ALA/receive",
        {
            "kind": "generator",
            "nuclide": "Mo-99",
            "product": "Tc-99m generator",
            "lot": "G-7",
            "supplier": "INP Almaty",
            "activity": "20 GBq",
            "calibration_time": _typed(now + timedelta(days=1)),  # not an event: may be ahead
            "volume": "",
            "measured_at": _typed(now - timedelta(hours=1)),
            "surface": "3 µSv/h",
            "one_metre": "0.1 µSv/h",
            "wipe": "0.1",
            "measured_activity": "",
            "label_category": "I-WHITE",
            "transport_index": "0",
            "late_entry_reason": "",
        },
        "en",
    )
    assert received.status_code == 303, received.text[-2000:]
    return str(received.headers["location"])


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_elution_ahead_of_the_clock_is_refused_in_the_readers_language(
    app: FastAPI, people: dict[Role, str], clock: FixedClock, language: str
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    now = clock.now().replace(second=0, microsecond=0)
    clock.set(now)
    generator = _generator(client, now)
    ahead = now + timedelta(hours=2)
    data = {"eluted_at": _typed(ahead), "activity": "14 GBq", "volume": "10 mL"}
    refused = _post(client, f"{generator}/elute", data, language)
    text = refused.text
    assert refused.status_code == 422
    words, label = FUTURE[language]
    assert words in text and label in text
    assert _shown(ahead) in text and _shown(now) in text
    assert "in the future" not in text
    assert f'value="{_typed(ahead)}"' in text  # what was typed is kept
    assert FIELD[language] in text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_late_seal_needs_its_reason_in_the_readers_language(
    app: FastAPI, people: dict[Role, str], clock: FixedClock, language: str
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    now = clock.now()
    page = "/sites/T-ALA/waste"
    assert _post(client, page, {"label": "W-1", "mass": ""}, "en").status_code == 303
    box = client.get("/api/sites/T-ALA/waste").json()["containers"][0]["id"]
    item = {"nuclide": "I-131", "activity": "5 MBq", "reference_time": _typed(now)}
    assert _post(client, f"{page}/{box}/items", item, "en").status_code == 303
    yesterday = now - timedelta(hours=30)
    sealed = {"sealed_at": _typed(yesterday), "late_entry_reason": ""}
    refused = _post(client, f"{page}/{box}/seal", sealed, language)
    text = refused.text
    assert refused.status_code == 422
    assert LATE[language] in text and FIELD[language] in text
    assert _shown(yesterday) in text and "late entry" not in text
    reason = {"ru": "запечатан в ночную смену", "kk": "түнгі ауысымда жабылды"}[language]
    done = _post(client, f"{page}/{box}/seal", {**sealed, "late_entry_reason": reason}, language)
    assert done.status_code == 303
    (container,) = client.get("/api/sites/T-ALA/waste").json()["containers"]
    assert container["sealed_at"] is not None


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_request_past_its_time_is_on_the_overdue_list(
    app: FastAPI,
    people: dict[Role, str],
    factory: SessionFactory,
    clock: FixedClock,
    language: str,
) -> None:
    now = clock.now()
    with transaction(Database(factory, clock)) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username(people[Role.RADIOPHARMACIST])
        assert site is not None and tech is not None
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("A-7", "Арман Серікұлы", None, "M")
        )
        planned = now - timedelta(minutes=40)  # typed after the patient came
        given = doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, planned)
        doses.request_dose(store, tech, site, given)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    board = client.get("/sites/T-ALA/hotlab", headers={"Accept-Language": language})
    assert board.status_code == 200
    overdue = board.text.split('id="overdue"')[1].split("</section>")[0]
    assert OVERDUE[language] in overdue and "Арман Серікұлы" in overdue
    assert 'class="error overdue"' in board.text
    assert client.get("/api/sites/T-ALA/hotlab/board").json()["lines"][0]["overdue"] is True
