"""The ELN page and API: a physician classifies in Russian and Kazakh, a wrong karyotype is
shown beside its field in the reader's language, and the API answers what the CLI prints."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.haematology import CaseText, Guideline, classify
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
CASE = {"guideline": "eln2022", "karyotype": "46,XX[20]", "mutations": "NPM1 FLT3-ITD"}


@pytest.fixture
def physician(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.PHYSICIAN])


def test_the_result_in_russian(physician: TestClient) -> None:
    page = physician.get("/haematology", params=CASE, headers=RU)
    assert page.status_code == 200
    assert "Генетический риск ОМЛ" in page.text
    assert "Промежуточный" in page.text and "Мутация NPM1 с FLT3-ITD" in page.text
    assert "Учебные случаи" in page.text and "T01" in page.text


def test_the_result_in_kazakh(physician: TestClient) -> None:
    page = physician.get("/haematology", params=CASE, headers=KK)
    assert page.status_code == 200
    assert "ЖМЛ генетикалық қаупі" in page.text and "Аралық" in page.text
    assert "FLT3-ITD бар NPM1 мутациясы" in page.text


def test_a_review_case_says_a_haematologist_decides(physician: TestClient) -> None:
    params = {**CASE, "mutations": "TP53"}
    page = physician.get("/haematology", params=params, headers=RU)
    assert "Решает гематолог" in page.text and "решение принимает гематолог" in page.text


def test_eln2024_with_its_conditions(physician: TestClient) -> None:
    params = {"guideline": "eln2024", "karyotype": "46,XY", "mutations": "IDH1 NRAS",
              "therapy": "aza-ivo"}  # fmt: skip
    page = physician.get("/haematology", params=params, headers=KK)
    assert page.status_code == 200 and "Қолайлы" in page.text
    assert "қарқындылығы төмен ем алатын" in page.text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(RU, "кариотип не удаётся прочитать в символе 24", id="ru"),
        pytest.param(KK, "кариотипті 24-таңбада оқу мүмкін емес", id="kk"),
    ],
)
def test_a_garbled_karyotype_is_shown_beside_its_field(
    physician: TestClient, headers: dict[str, str], expected: str
) -> None:
    params = {**CASE, "karyotype": "46,XY,t(8;21)(q22;q22.1"}
    page = physician.get("/haematology", params=params, headers=headers)
    assert page.status_code == 422
    assert expected in page.text and 'value="46,XY,t(8;21)(q22;q22.1"' in page.text
    assert "expected" not in page.text  # no English left in the message


def test_the_api_answers_what_the_command_line_prints(physician: TestClient) -> None:
    response = physician.get(
        "/api/haematology/eln2022",
        params={"karyotype": "46,XX[20]", "mutation": ["NPM1", "FLT3-ITD"]},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["category"] == "intermediate"
    assert data["rule"] == "eln2022.intermediate.npm1-flt3-itd"
    printed = classify(Guideline.ELN2022, CaseText("46,XX[20]", ("NPM1", "FLT3-ITD")))
    assert data == printed.as_json()  # the object `nucmed eln2022 --json` prints


def test_the_api_refuses_a_bad_mutation_with_422(physician: TestClient) -> None:
    response = physician.get(
        "/api/haematology/eln2024", params={"karyotype": "46,XX", "mutation": "TP53@7"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "mutations"


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.SUPERVISOR])
def test_residents_and_supervisors_may_use_it(
    app: FastAPI, people: dict[Role, str], role: Role
) -> None:
    client = sign_in(TestClient(app), people[role], PASSWORD)
    assert client.get("/haematology").status_code == 200


def test_a_technologist_may_not(client: TestClient) -> None:
    assert client.get("/haematology").status_code == 403
    assert client.get("/api/haematology/eln2022", params={"karyotype": "46,XY"}).status_code == 403


@pytest.mark.parametrize(
    ("name", "value"), [pytest.param("guideline", " ", id="guideline"), ("therapy", "x")]
)
def test_a_value_not_in_a_list_is_refused_beside_its_field(
    physician: TestClient, name: str, value: str
) -> None:
    page = physician.get("/haematology", params={**CASE, name: value}, headers=RU)
    assert page.status_code == 422
    assert f'id="eln-{name}-note"' in page.text and "выберите одно из значений списка" in page.text
    assert 'id="eln-result"' not in page.text
