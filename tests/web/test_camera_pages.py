"""Gamma camera calibration page (issue 18): the physicist records a phantom acquisition in
Russian (one wrong entry first), reads the sensitivity in cps/MBq; a resident may not record.

Kinds of expected value: **analytic** (the sensitivity shown is N·λ/(A·e^(−λt₀)·(1 − e^(−λΔt)))
in cps/MBq, MIRD Pamphlet No. 26).
"""

from __future__ import annotations

import math
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.physics.nuclides import get_nuclide
from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
ALMATY = ZoneInfo("Asia/Almaty")
PAGE = "/sites/T-ALA/cameras"


def _local(clock: FixedClock, minutes_ago: int) -> str:
    moment = clock.now() - timedelta(minutes=minutes_ago)
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _form(clock: FixedClock, counts: str) -> dict[str, str]:
    return {
        "camera": "Discovery 670", "nuclide": "Lu-177", "energy_window": "208 keV 20 %",
        "phantom_activity": "400 MBq", "activity_reference_time": _local(clock, 120),
        "acquired_at": _local(clock, 60), "duration": "30 min", "counts": counts,
        "late_entry_reason": "",
    }  # fmt: skip


def test_physicist_records_a_calibration(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    page = physicist.get(PAGE, headers=RU)
    assert page.status_code == 200
    assert "Калибровка гамма-камеры" in page.text and 'id="record"' in page.text
    token = csrf_of(physicist, PAGE)
    refused = physicist.post(
        PAGE, data={**_form(clock, "many"), "csrf_token": token}, headers=RU,
        follow_redirects=False,
    )  # fmt: skip
    assert refused.status_code == 422
    assert "укажите число отсчётов больше 0" in refused.text
    done = physicist.post(
        PAGE, data={**_form(clock, "6.5e6"), "csrf_token": token}, headers=RU,
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    shown = physicist.get(PAGE, headers=KK).text
    rate = get_nuclide("Lu-177").decay_constant_per_s
    expected = 6.5e6 * rate / (400e6 * math.exp(-rate * 3600) * -math.expm1(-rate * 1800))
    assert f"{expected * 1e6:.4g}".replace(".", ",") in shown  # cps/MBq, kk decimal comma
    assert "имп/с/МБк" in shown and "қолданыста" in shown


def test_resident_may_read_but_not_record(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    resident = sign_in(TestClient(app), people[Role.RESIDENT])
    page = resident.get(PAGE, headers=RU)  # residents read the hot lab's records
    assert page.status_code == 200
    assert 'id="record"' not in page.text
    token = csrf_of(resident)
    answer = resident.post(
        PAGE, data={**_form(clock, "6.5e6"), "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 403
