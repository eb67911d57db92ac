"""The radiation safety officer's registers page (issue 14, item 6): each form records its
entry through the page, and a wrong entry is shown again with the reason beside its field in
the reader's language (422); who may use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.safety import dashboard
from nucmed.services.uow import Database
from nucmed.vocabulary import Role
from tests.web.conftest import SITE, csrf_of, sign_in
from tests.web.test_radiation_safety_pages import _rso

PAGE = f"/sites/{SITE.code}/radiation-safety/registers"
KK = {"Accept-Language": "kk"}
RU = {"Accept-Language": "ru"}


def _post(client: TestClient, kind: str, data: dict[str, str],
          headers: dict[str, str] | None = None) -> tuple[int, str]:  # fmt: skip
    token = csrf_of(client, PAGE)
    answer = client.post(f"{PAGE}/{kind}", data={**data, "csrf_token": token},
                         headers=headers or KK, follow_redirects=False)  # fmt: skip
    return answer.status_code, answer.text


def _ids(text: str, prefix: str) -> list[int]:
    return [int(part.split('"')[0]) for part in text.split(f'id="{prefix}-')[1:]]


@pytest.fixture
def rso(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.RSO])


def test_surveys_and_decontamination(rso: TestClient, database: Database) -> None:
    status, text = _post(rso, "areas", {"name": "Hot lab bench", "dose_rate": "10 µSv/h",
                                        "wipe": "four"})  # fmt: skip
    assert status == 422 and "Бк/см²" in text and 'aria-invalid="true"' in text
    assert _post(rso, "areas", {"name": "Hot lab bench", "dose_rate": "10 µSv/h",
                                "wipe": "4 Bq/cm²"})[0] == 303  # fmt: skip
    (area,) = _ids(rso.get(PAGE).text, "area")
    status, text = _post(rso, "surveys", {"area": str(area), "kind": "wipe", "value": "9",
                                          "measured_at": "yesterday"})  # fmt: skip
    assert status == 422 and 'id="surveys-measured_at-note"' in text
    today = database.clock.now().date().isoformat()
    assert _post(rso, "surveys", {"area": str(area), "kind": "wipe", "value": "9 Bq/cm²",
                                  "measured_at": f"{today}T00:00+00:00"})[0] == 303  # fmt: skip
    (survey,) = dashboard.read_dashboard(database, _rso(database), SITE.code).follow_ups
    assert survey.value == pytest.approx(9e4)
    status, text = _post(rso, "decontaminations", {"survey": str(survey.survey_id),
                                                   "action": "", "value_after": "1"})  # fmt: skip
    assert status == 422 and 'id="decontaminations-action-note"' in text
    assert _post(rso, "decontaminations", {"survey": str(survey.survey_id), "action": "Wiped",
                                           "value_after": "1 Bq/cm²"})[0] == 303  # fmt: skip
    assert dashboard.read_dashboard(database, _rso(database), SITE.code).follow_ups == ()


def test_sources_and_leak_tests(rso: TestClient, database: Database) -> None:
    reference = (database.clock.now().date() - timedelta(days=30)).isoformat()
    given = {"nuclide": "Cs-137", "serial": "CS-9", "activity": "7.4 MBq",
             "reference_date": reference, "interval_days": "half a year"}  # fmt: skip
    status, text = _post(rso, "sources", given)
    assert status == 422 and "half a year" in text
    assert _post(rso, "sources", {**given, "interval_days": "183"})[0] == 303
    (source,) = _ids(rso.get(PAGE).text, "source")
    status, text = _post(rso, "leak-tests", {"source": str(source), "tested_on": "2000-01-01",
                                             "removable": "12 Bq"})  # fmt: skip
    assert status == 422 and 'id="leak-tests-refused"' in text
    assert _post(rso, "leak-tests", {"source": str(source), "tested_on": reference,
                                     "removable": "12 Bq"})[0] == 303  # fmt: skip
    assert "CS-9" in rso.get(PAGE, headers=KK).text


def test_workers_dosimeters_readings_and_pregnancy(rso: TestClient, database: Database) -> None:
    status, text = _post(rso, "workers", {"staff_number": "", "name": ""})
    assert status == 422 and 'id="workers-refused"' in text
    assert _post(rso, "workers", {"staff_number": "T-9", "name": "Айгүл Сәрсенова"})[0] == 303
    (worker,) = _ids(rso.get(PAGE).text, "worker")
    status, _ = _post(rso, "dosimeters", {"worker": str(worker), "serial": "WB-9", "kind": ""})
    assert status == 422
    assert _post(rso, "dosimeters", {"worker": str(worker), "serial": "WB-9",
                                     "kind": "whole_body"})[0] == 303  # fmt: skip
    year = database.clock.now().year - 1
    reading = {"dosimeter": "WB-9", "period_start": f"{year}-04-01",
               "period_end": f"{year}-04-30", "dose": "0.7 kg"}  # fmt: skip
    status, text = _post(rso, "readings", reading)
    assert status == 422 and 'id="readings-dose-note"' in text
    backwards = {"worker": str(worker), "declared_on": f"{year}-05-01",
                 "expected_on": f"{year}-04-01"}  # fmt: skip
    status, text = _post(rso, "pregnancies", backwards)
    assert status == 422 and 'id="pregnancies-refused"' in text
    assert _post(rso, "pregnancies", {"worker": str(worker), "declared_on": f"{year}-03-20",
                                      "expected_on": f"{year}-11-01"})[0] == 303  # fmt: skip
    assert _post(rso, "readings", {**reading, "dose": "0.7 mSv"})[0] == 303
    second = {**reading, "period_start": f"{year}-05-01", "period_end": f"{year}-05-31",
              "dose": "0.4 mSv"}  # fmt: skip
    assert _post(rso, "readings", second)[0] == 303
    board = rso.get(f"/sites/{SITE.code}/radiation-safety", headers=RU).text
    assert "эмбрион" in board  # the embryo-dose alert, in Russian
    (alert,) = [a for a in dashboard.read_dashboard(database, _rso(database), SITE.code).alerts
                if a.kind == "embryo_limit"]  # fmt: skip
    assert alert.value_sv == pytest.approx(1.1e-3)


def test_who_may_use_the_registers(app: FastAPI, people: dict[Role, str]) -> None:
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    assert physicist.get(PAGE).status_code == 403
    token = csrf_of(physicist, "/me")
    refused = physicist.post(f"{PAGE}/workers", data={"staff_number": "X", "name": "Y",
                                                      "csrf_token": token})  # fmt: skip
    assert refused.status_code == 403
