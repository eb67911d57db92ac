"""The radiation safety officer's dashboard (issue 14, item 6, first version): a dosimetry
report imported through the page raises an alert that stays until a review closes it; a wrong
report is refused beside its field; who may see and do what."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.safety import dashboard, dosimetry, sources, workplace
from nucmed.services.uow import Database, transaction
from nucmed.vocabulary import Role
from tests.web.conftest import SITE, csrf_of, sign_in

PAGE = f"/sites/{SITE.code}/radiation-safety"
RU = {"Accept-Language": "ru"}


def _rso(database: Database) -> Identity:
    with transaction(database) as store:
        user = store.users.by_username("rso.t")
        assert user is not None
        secret = issue_token(store, user, "api", 1.0)
    with transaction(database) as store:
        identity = resolve_token(store, secret, "api")
    assert identity is not None
    return identity


def _worker(database: Database) -> None:
    """A worker with a whole-body dosimeter, registered through the service as the RSO."""
    identity = _rso(database)
    worker = dosimetry.register_worker(database, identity, SITE.code, "T-1", "Асель Нурланова")
    dosimetry.issue_dosimeter(database, identity, worker, "WB-7", "whole_body")


def test_rso_imports_a_report_and_closes_the_alert(
    app: FastAPI, people: dict[Role, str], database: Database
) -> None:
    rso = sign_in(TestClient(app), people[Role.RSO])
    _worker(database)
    assert rso.get("/radiation-safety", headers=RU).status_code == 200
    page = rso.get(PAGE, headers=RU)
    assert "Радиационная безопасность" in page.text and 'id="no-alerts"' in page.text
    year = database.clock.now().year - 1
    token = csrf_of(rso, PAGE)
    wrong = f"serial,period_start,period_end,dose_msv\nWB-8,{year}-01-01,{year}-01-31,60\n"
    refused = rso.post(
        f"{PAGE}/readings", data={"report": wrong, "batch": "1", "csrf_token": token}, headers=RU
    )
    assert refused.status_code == 422
    assert "WB-8" in refused.text
    report = wrong.replace("WB-8", "WB-7")
    done = rso.post(
        f"{PAGE}/readings",
        data={"report": report, "batch": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = rso.get(PAGE, headers=RU)
    assert "Асель Нурланова" in page.text and 'id="alert-' in page.text
    alert_id = int(page.text.split('id="alert-')[1].split('"')[0])
    review = f"/sites/{SITE.code}/dose-alerts/{alert_id}/review"
    empty = rso.post(review, data={"note": " ", "csrf_token": token}, headers=RU)
    assert empty.status_code == 422
    closed = rso.post(
        review, data={"note": "Badge left in the hot lab", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert closed.status_code == 303
    assert 'id="no-alerts"' in rso.get(PAGE).text


def test_who_sees_the_dashboard(app: FastAPI, people: dict[Role, str]) -> None:
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    page = physicist.get(PAGE)
    assert page.status_code == 200 and 'id="import"' not in page.text
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    assert tech.get(PAGE).status_code == 403
    token = csrf_of(physicist, PAGE)
    refused = physicist.post(
        f"{PAGE}/readings", data={"report": "", "batch": "", "csrf_token": token}
    )
    assert refused.status_code == 403


def test_a_survey_over_its_level_is_listed_until_closed(
    app: FastAPI, people: dict[Role, str], database: Database
) -> None:
    identity = _rso(database)
    given = workplace.AreaInput("Uptake room 1", 10e-6 / 3600, 4e4)
    area = workplace.define_area(database, identity, SITE.code, given)
    moment = database.clock.now()
    workplace.record_survey(database, identity, workplace.SurveyInput(area, "wipe", 9e4, moment))
    rso = sign_in(TestClient(app), people[Role.RSO])
    page = rso.get(PAGE, headers=RU)
    row = page.text.split('id="follow-up-')[1].split("</tr>")[0]
    assert "Uptake room 1" in row and "9 Бк/см²" in row and "4 Бк/см²" in row
    (follow_up,) = dashboard.read_dashboard(database, identity, SITE.code).follow_ups
    workplace.record_decontamination(database, identity, follow_up.survey_id, "Wiped", 1e4)
    assert 'id="no-follow-ups"' in rso.get(PAGE).text


def test_a_leak_test_due_is_listed(
    app: FastAPI, people: dict[Role, str], database: Database
) -> None:
    identity = _rso(database)
    reference = database.clock.now().date() - timedelta(days=170)
    given = sources.SourceInput("Cs-137", "CS-9", 7.4e6, reference, 183)
    source = sources.register_source(database, identity, SITE.code, given)
    page = sign_in(TestClient(app), people[Role.RSO]).get(PAGE, headers=RU)
    item = page.text.split(f'id="source-{source}"')[1].split("</li>")[0]
    assert "CS-9" in item and "следующая проверка на утечку" in item
