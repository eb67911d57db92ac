"""A nuclide name that leaves out its state is asked about, on the page and on the command line
(issue 11, item 6): ``Tc99`` was read as Tc-99 (211 000 years) and the activity "did not
change"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nucmed.cli.main import main

QUERY = {"calc": "decay", "nuclide": "Tc99", "activity": "740 MBq", "elapsed": "6 h"}


@pytest.mark.parametrize(
    ("language", "question"),
    [
        pytest.param("ru", "Tc99: Tc-99m или Tc-99? Напишите Tc-99m", id="ru"),
        pytest.param("kk", "Tc99: Tc-99m немесе Tc-99? Метастабильді күй", id="kk"),
    ],
)
def test_calculator_page_asks_which_state(
    client: TestClient, language: str, question: str
) -> None:
    page = client.get("/calculators", params=QUERY, headers={"Accept-Language": language})
    assert page.status_code == 422
    assert question in page.text
    assert 'value="Tc99"' in page.text  # what was typed is kept


def test_calculator_page_reads_tc99_in_full_as_the_ground_state(client: TestClient) -> None:
    page = client.get(
        "/calculators", params={**QUERY, "nuclide": "Tc-99"}, headers={"Accept-Language": "en"}
    )
    assert page.status_code == 200
    assert "740 MBq" in page.text  # 6 h is nothing to Tc-99's 211 000 years


def test_api_answers_422_with_the_question(client: TestClient) -> None:
    params = {name: value for name, value in QUERY.items() if name != "calc"}
    answer = client.get("/api/physics/decay", params=params)
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert detail["field"] == "nuclide"
    assert "Tc-99m or Tc-99?" in detail["message"]


def test_cli_exits_2_with_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["decay", "Tc99", "740 MBq", "--elapsed", "6 h"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Tc99: Tc-99m or Tc-99? Write Tc-99m for the metastable state" in err
    assert err.count("\n") == 1


def test_an_unknown_nuclide_is_refused_in_russian(client: TestClient) -> None:
    page = client.get(
        "/calculators", params={**QUERY, "nuclide": "Tc-98m"}, headers={"Accept-Language": "ru"}
    )
    assert page.status_code == 422
    assert "Tc-98m нет в наборе ядерных данных" in page.text
    assert "возможно, имелось в виду" in page.text
