"""The RSO's documents (issue 14, items 4 and 6): the transport document and package label of a
package from the shipping form (PDF read back with pdftotext, ru and kk; refusals shown again
beside the form, translated), and the records for the regulator as XLSX (read back with
openpyxl: translated headings with units, numbers as numbers, times in the site's local time)
and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from nucmed.services.safety import dosimetry, sources, workplace
from nucmed.services.uow import Database
from nucmed.vocabulary import Role
from tests.web.conftest import SITE, csrf_of, sign_in
from tests.web.test_radiation_safety_pages import _rso

BASE = f"/sites/{SITE.code}/radiation-safety"
FORM = f"{BASE}/transport"
PACKAGE = {
    "contents": "Tc-99m: 37 GBq\nI-131: 2 GBq", "surface": "0.3 mSv/h", "one_metre": "8 µSv/h",
    "form": "liquid", "consignee": "Городская больница №1", "consignee_city": "Бишкек",
    "consignee_country": "Кыргызстан", "certificate": "",
}  # fmt: skip


def _text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)  # fmt: skip
    return done.stdout.decode()


@pytest.fixture
def rso(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.RSO])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        pytest.param("ru", ("Транспортный документ", "Грузоотправитель", "Test department, "
                            "Almaty, Казахстан", "37 000 000 000 Бк", "Исключительное",
                            "РАДИОАКТИВНО", "Транспортный индекс"), id="ru"),
        pytest.param("kk", ("Тасымалдау құжаты", "Жүк жөнелтуші", "Test department, Almaty, "
                            "Қазақстан", "37 000 000 000 Бк", "Ерекше пайдалану",
                            "РАДИОАКТИВТІ", "Тасымалдау индексі"), id="kk"),
    ],
)  # fmt: skip
def test_the_shipping_form_answers_the_pdf(rso: TestClient, language: str,
                                           words: tuple[str, ...]) -> None:  # fmt: skip
    headers = {"Accept-Language": language}
    assert rso.get(FORM, headers=headers).status_code == 200
    answer = rso.post(FORM, data={**PACKAGE, "csrf_token": csrf_of(rso, FORM)}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    text = _text(answer.content)
    for word in (*words, "UN 2915", "II-YELLOW", "Городская больница №1, Бишкек, Кыргызстан",
                 "Tc-99m", "I-131", "37 GBq", "39 ГБк", "0,8"):  # fmt: skip
        assert word in text, word


@pytest.mark.parametrize(
    ("change", "field", "kk"),
    [
        pytest.param({"contents": "Tc-99m"}, "contents", "әр жолға бір радионуклид",
                     id="no-activity"),
        pytest.param({"surface": "12 mSv/h"}, "refused", "10 мЗв/сағ", id="surface-too-high"),
        pytest.param({"contents": "Mo-99: 2 TBq"}, "refused", "B(U) типті", id="type-b-no-cert"),
        pytest.param({"consignee_city": ""}, "consignee_city", "міндетті өріс", id="no-city"),
    ],
)  # fmt: skip
def test_a_wrong_package_is_shown_again_in_kazakh(rso: TestClient, change: dict[str, str],
                                                  field: str, kk: str) -> None:  # fmt: skip
    headers = {"Accept-Language": "kk"}
    data = {**PACKAGE, **change, "csrf_token": csrf_of(rso, FORM)}
    answer = rso.post(FORM, data=data, headers=headers)
    assert answer.status_code == 422
    marker = 'id="transport-refused"' if field == "refused" else f'id="transport-{field}-note"'
    assert marker in answer.text
    assert kk in answer.text, answer.text.split("<main")[1][:1500]


def _records(database: Database) -> None:
    """A worker with two readings, a wipe over its level, a sealed source with a leak test."""
    identity = _rso(database)
    worker = dosimetry.register_worker(database, identity, SITE.code, "T-5", "Асель Нурланова")
    dosimetry.issue_dosimeter(database, identity, worker, "WB-5", "whole_body")
    year = database.clock.now().year - 1
    report = (f"serial,period_start,period_end,dose_msv\nWB-5,{year}-01-01,{year}-01-31,0.4\n"
              f"WB-5,{year}-02-01,{year}-02-28,0.25\n")  # fmt: skip
    dosimetry.import_readings(database, identity, SITE.code, report, "r1")
    area = workplace.define_area(
        database, identity, SITE.code, workplace.AreaInput("Hot lab bench", 10e-6 / 3600, 4e4)
    )
    moment = database.clock.now() - timedelta(hours=2)
    workplace.record_survey(database, identity, workplace.SurveyInput(area, "wipe", 9e4, moment))
    reference = database.clock.now().date() - timedelta(days=100)
    source = sources.register_source(
        database, identity, SITE.code, sources.SourceInput("Cs-137", "CS-9", 7.4e6, reference, 183)
    )
    sources.record_leak_test(database, identity, source, reference + timedelta(days=1), 12.0)


def test_records_as_xlsx_in_kazakh(rso: TestClient, database: Database) -> None:
    _records(database)
    answer = rso.get(f"{BASE}/records.xlsx", headers={"Accept-Language": "kk"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    year = database.clock.now().astimezone(ZoneInfo(SITE.time_zone)).year  # the site's year
    assert book.sheetnames[:2] == [f"Персонал дозалары, {year}", "Дозиметр көрсеткіштері"]
    readings = [list(row) for row in book["Дозиметр көрсеткіштері"].iter_rows(values_only=True)]
    assert readings[0][-1] == "Доза, мЗв"
    assert [row[-1] for row in readings[1:]] == pytest.approx([0.4, 0.25], rel=1e-9)
    sums = [list(row) for row in book[f"Персонал дозалары, {year}"].iter_rows(values_only=True)]
    five = f"{year - 4}–{year} жылдардағы тиімді доза, мЗв"
    assert five in sums[0]
    assert sums[1][sums[0].index(five)] == pytest.approx(0.65, rel=1e-9)
    surveys = [list(r) for r in book["Өлшеулер мен жағындылар"].iter_rows(values_only=True)]
    assert surveys[0][4] == "Жағынды, Бк/см²"
    measured = database.clock.now() - timedelta(hours=2)
    local = measured.astimezone(ZoneInfo(SITE.time_zone))
    assert surveys[1][1] == datetime(local.year, local.month, local.day, local.hour,
                                     local.minute)  # fmt: skip
    assert surveys[1][4] == pytest.approx(9.0) and surveys[1][7] == "иә"
    tests = [list(r) for r in book["Ағып кетуге тексерулер"].iter_rows(values_only=True)]
    assert tests[0][3] == "Алынатын белсенділік, Бк" and tests[1][3] == pytest.approx(12.0)


def test_records_as_pdf_in_russian(app: FastAPI, people: dict[Role, str],
                                   database: Database) -> None:  # fmt: skip
    _records(database)
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    answer = physicist.get(f"{BASE}/records.pdf", headers={"Accept-Language": "ru"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = _text(answer.content)
    expected = (
        "Документы по радиационной безопасности: Test department", "Asia/Almaty",
        "Показания дозиметров", "Асель Нурланова", "0,4", "Измерения и мазки", "Hot lab bench",
        "Закрытые источники", "CS-9", "Проверки на утечку",
    )  # fmt: skip
    for words in expected:
        assert words in text, words


def test_who_may_have_the_documents(app: FastAPI, people: dict[Role, str]) -> None:
    tech = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    assert tech.get(f"{BASE}/records.xlsx").status_code == 403
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    assert physicist.get(FORM).status_code == 403
    data = {**PACKAGE, "csrf_token": csrf_of(physicist, "/me")}
    assert physicist.post(FORM, data=data).status_code == 403
