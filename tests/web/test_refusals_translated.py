"""Hot-lab refusals in the reader's language: the rule and each reason are translated."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_hotlab_pages import EN, GENERATOR

RU = {"Accept-Language": "ru"}


@pytest.fixture(autouse=True)
def _clock_on_the_day(clock: FixedClock) -> None:
    """The forms type fixed times from 23.11.2026 09:00 to 24.11.2026 07:30 in Almaty: the
    clock stands after them, less than a day after the first (an event time may not lie ahead
    of the clock, and one more than a day back is a late entry)."""
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Almaty")))


def test_labelling_an_eluate_without_qc_is_refused_in_russian(
    app: FastAPI, people: dict[Role, str]
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    token = csrf_of(client, "/sites/T-ALA/receive")
    received = client.post(
        "/sites/T-ALA/receive",
        data={**GENERATOR, "csrf_token": token},
        headers=EN,
        follow_redirects=False,
    )
    assert received.status_code == 303, received.text
    eluted = client.post(
        f"{received.headers['location']}/elute",
        data={
            "eluted_at": "2026-11-24 07:00",
            "activity": "14 GBq",
            "volume": "10 mL",
            "csrf_token": token,
        },
        headers=EN,
        follow_redirects=False,
    )
    assert eluted.status_code == 303, eluted.text
    eluate_page = eluted.headers["location"]
    eluate_id = eluate_page.rsplit("/", 1)[1]
    kit = {"kit": "mdp", "volume": "5 mL", "labelled_at": "2026-11-24 07:30", "shelf_life": ""}

    refused = client.post(f"{eluate_page}/prepare", data={**kit, "csrf_token": token}, headers=RU)

    assert refused.status_code == 422
    assert f"элюат №{eluate_id} нельзя использовать" in refused.text
    assert "Проскок Mo-99: нет результата контроля качества" in refused.text
    assert "Алюминий (Al³⁺): нет результата контроля качества" in refused.text
    assert "may not be used" not in refused.text
    english = client.post(f"{eluate_page}/prepare", data={**kit, "csrf_token": token}, headers=EN)
    assert english.status_code == 422
    assert f"eluate #{eluate_id} may not be used" in english.text
