"""The release assessment on the therapy course page reads in Russian and Kazakh (issue #12):
its reasons and basis are translated, its source and the S-value's are shown as citations
without the repository nucmed read them from, and the organ limits' sources are translated
above the citation."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from nucmed.services.setting_sources import default_sources, translated_source
from nucmed.vocabulary import Role
from tests.web.crawl import _Text, allowed_patterns, foreign_runs
from tests.web.test_therapy_pages import _open_course, _physician, app_client, patient_id  # noqa: F401 - the fixtures

HEADERS = {"ru": {"Accept-Language": "ru"}, "kk": {"Accept-Language": "kk"}}
WORDS = {
    "ru": ("доза по формуле U-2", "при пределе 5 мЗв", "гипертиреоз", "сут"),
    "kk": ("U-2 формуласы бойынша доза", "шегі 5 мЗв", "тәул"),
}


@pytest.fixture
def course(
    app_client: TestClient,  # noqa: F811
    people: dict[Role, str],
    patient_id: int,  # noqa: F811
) -> tuple[TestClient, str]:
    """The physician, signed in, and the address of a new course of the patient."""
    doctor = _physician(app_client, people)
    return doctor, _open_course(doctor, patient_id)


def _foreign(html: str) -> list[tuple[str, str]]:
    text = _Text()
    text.feed(html)
    return list(foreign_runs(text.words, allowed_patterns()))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_refused_release_says_why_in_the_readers_language(
    course: tuple[TestClient, str], language: str
) -> None:
    doctor, url = course
    query = {
        "nuclide": "I-131",
        "activity": "30 GBq",
        "i131_condition": "hyperthyroid",
    }
    page = doctor.get(f"{url}/release", params=query, headers=HEADERS[language])
    assert page.status_code == 200, page.text[-2000:]
    verdict = page.text.split('<p id="release-verdict"')[1].split("<table")[0].split(">", 1)[1]
    assert 'class="error"' in verdict  # 30 GBq: the dose to others passes 5 mSv
    for word in WORDS[language]:
        assert word in verdict, word
    assert _foreign(verdict) == [], _foreign(verdict)
    assert "transcribed" not in verdict and "nucmed reference notes" not in verdict
    assert "<cite" in verdict


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_limits_sources_are_translated_above_the_citation(
    course: tuple[TestClient, str], language: str
) -> None:
    doctor, url = course
    page = doctor.get(url, headers=HEADERS[language]).text
    limits = page.split("</h2>", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="source"><small>(.*?)</small></td>', limits, re.DOTALL)
    assert cells
    for cell in cells:  # the label, the source's prose in the language, then the citation
        cited = html.unescape(cell.split('<cite lang="en">')[1].split("</cite>")[0])
        key = next(k for k, texts in default_sources().items() if cited in texts)
        prose = translated_source(key, cited, language)
        assert prose and html.escape(prose, quote=False) in cell.split("<br>")[0], key
    assert _foreign(limits) == []
