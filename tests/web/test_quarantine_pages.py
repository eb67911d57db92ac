"""Quarantine at receipt, in the reader's language: the radiopharmacist receives a contaminated
package (Russian), the radiation safety officer (Kazakh) lists it and releases it; the API
does the same with its permission checks.

The package is the issue's I-131 capsule (issue 11): II-YELLOW, TI 0.5, 2500 µSv/h at the
surface, 150 µSv/h at 1 m, a wipe of 10 Bq/cm², over the limits of IAEA SSR-6 (2018) para.
529, 523 and 508.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
ALMATY = ZoneInfo("Asia/Almaty")


def _local(clock: FixedClock, minutes_ago: int) -> str:
    moment = clock.now() - timedelta(minutes=minutes_ago)
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _capsule(clock: FixedClock, loud: bool = True) -> dict[str, str]:
    return {
        "kind": "capsule",
        "nuclide": "I-131",
        "product": "Sodium iodide I-131 capsule",
        "lot": "C-1",
        "supplier": "Isotope producer",
        "activity": "3.7 GBq",
        "calibration_time": _local(clock, 60),
        "volume": "",
        "measured_at": _local(clock, 10),
        "surface": "2500 µSv/h" if loud else "3 µSv/h",
        "one_metre": "150 µSv/h" if loud else "0.3 µSv/h",
        "wipe": "10" if loud else "0",
        "measured_activity": "",
        "label_category": "II-YELLOW" if loud else "I-WHITE",
        "transport_index": "0.5" if loud else "0",
    }


def _receive(client: TestClient, form: dict[str, str], headers: dict[str, str]) -> str:
    token = csrf_of(client, "/sites/T-ALA/receive")
    answer = client.post(
        "/sites/T-ALA/receive",
        data={**form, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_received_in_russian_quarantined_with_findings(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    page = client.get(_receive(client, _capsule(clock), RU), headers=RU)
    assert 'id="quarantine"' in page.text
    assert "На карантине" in page.text and "II-ЖЕЛТАЯ" in page.text
    assert page.text.count('data-check="') == 3
    assert "2 500 мкЗв/ч" in page.text.replace("\xa0", " ")  # measured surface, Russian
    stock = client.get("/sites/T-ALA/stock", headers=RU)
    assert 'class="over quarantined"' in stock.text
    board = client.get("/sites/T-ALA/hotlab", headers=RU)
    assert 'id="quarantined"' in board.text


def test_a_clean_package_in_russian_is_ready(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    page = client.get(_receive(client, _capsule(clock, loud=False), RU), headers=RU)
    assert 'id="quarantine"' not in page.text and "Готово к использованию" in page.text


def test_the_receive_form_asks_for_the_label_in_kazakh(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    token = csrf_of(client, "/sites/T-ALA/receive")
    form = {**_capsule(clock), "label_category": "", "transport_index": "-1"}
    page = client.post("/sites/T-ALA/receive", data={**form, "csrf_token": token}, headers=KK)
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.text and "III-САРЫ" in page.text
    assert "choose the label category" not in page.text  # translated


def test_the_rso_releases_in_kazakh(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    material = _receive(tech, _capsule(clock), RU).rsplit("/", 1)[1]
    rso = sign_in(TestClient(app), people[Role.RSO])
    dashboard = rso.get("/sites/T-ALA", headers=KK)
    assert (
        'id="quarantine-alert"' in dashboard.text
        and "Карантиндегі қаптамалар: 1" in dashboard.text
    )
    listed = rso.get("/sites/T-ALA/quarantine", headers=KK)
    assert f'id="package-{material}"' in listed.text and "Карантин" in listed.text
    token = csrf_of(rso, "/sites/T-ALA/quarantine")
    refused = rso.post(
        f"/materials/{material}/release", data={"reason": " ", "csrf_token": token}, headers=KK
    )
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    released = rso.post(
        f"/materials/{material}/release",
        data={"reason": "Қайта өлшенді", "csrf_token": token},
        headers=KK,
        follow_redirects=False,
    )
    assert released.status_code == 303
    assert 'id="none"' in rso.get("/sites/T-ALA/quarantine", headers=KK).text
    assert 'id="quarantine"' not in tech.get(f"/materials/{material}", headers=RU).text


def test_a_radiopharmacist_may_not_release(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    material = _receive(tech, _capsule(clock), RU).rsplit("/", 1)[1]
    token = csrf_of(tech, "/sites/T-ALA/quarantine")
    page = tech.get("/sites/T-ALA/quarantine", headers=RU)
    assert f'action="/materials/{material}/release"' not in page.text
    answer = tech.post(f"/materials/{material}/release", data={"reason": "x", "csrf_token": token})
    assert answer.status_code == 403


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_the_api_lists_and_releases(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = TestClient(app)
    tech = _bearer(client, people[Role.RADIOPHARMACIST])
    body = {
        "kind": "capsule",
        "nuclide": "I-131",
        "product": "Sodium iodide I-131 capsule",
        "activity_bq": 3.7e9,
        "calibration_time": (clock.now() - timedelta(hours=1)).isoformat(),
        "measured_at": (clock.now() - timedelta(minutes=10)).isoformat(),
        "surface_dose_rate_sv_per_s": 2500e-6 / 3600,
        "one_metre_dose_rate_sv_per_s": 150e-6 / 3600,
        "wipe_bq_per_m2": 10e4,
        "label_category": "II-YELLOW",
        "transport_index": 0.5,
    }
    made = client.post("/api/sites/T-ALA/materials", headers=tech, json=body)
    assert made.status_code == 201, made.text
    assert made.json()["quarantined"] and len(made.json()["findings"]) == 3
    material = made.json()["id"]
    rso = _bearer(client, people[Role.RSO])
    listed = client.get("/api/sites/T-ALA/quarantine", headers=rso).json()
    assert listed["may_release"] and [p["material_id"] for p in listed["packages"]] == [material]
    assert {f["unit"] for f in listed["packages"][0]["findings"]} == {"Sv/s", "Bq/m2"}
    path = f"/api/materials/{material}/release"
    assert client.post(path, headers=tech, json={"reason": "x"}).status_code == 403
    assert client.post(path, headers=rso, json={"reason": ""}).status_code == 422
    answer = client.post(path, headers=rso, json={"reason": "resurveyed: clean"})
    assert answer.status_code == 200 and answer.json()["reason"] == "resurveyed: clean"
    assert client.get("/api/sites/T-ALA/quarantine", headers=rso).json()["packages"] == []
