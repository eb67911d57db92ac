"""Programme 7R01108 as data: the document's totals, its disciplines and outcomes, and the
checks that refuse data which do not add up."""

from __future__ import annotations

import dataclasses

import pytest

from nucmed.training.programme import (
    Component,
    ProgrammeDataError,
    UnknownProgrammeError,
    _check,
    programme,
    programme_codes,
)

# Published: the numbers the programme document itself states (sources/000_f6b3b2995e2970b3.txt,
# the table of profile disciplines): "Міндетті компонент БП МК 134", "Таңдау бойынша компонент
# БП ТК 4", "Қорытынды аттестаттау ҚА 2", "Барлығы 140"; item 16 "Кредиттер көлемі 140", item 17
# "2 жыл". Exact integers: no tolerance.
REFERENCE_TOTALS = {
    "total": 140,
    Component.COMPULSORY: 134,
    Component.ELECTIVE: 4,
    Component.ATTESTATION: 2,
    "years": 2,
}
# Published: the credits and years of each row of the same table (БП МК / БП ТК / ҚА rows).
REFERENCE_DISCIPLINES = [
    pytest.param("medical-physics", 6, (1,), id="Медициналық физика 6, 1"),
    pytest.param("radiopharmacology", 4, (1,), id="Радиациялық фармакология 4, 1"),
    pytest.param("radionuclide-diagnostics", 48, (1, 2), id="Радионуклидтік диагностика 48"),
    pytest.param("radiology", 12, (1,), id="Радиология 12, 1"),
    pytest.param("radionuclide-therapy", 60, (1, 2), id="Радионуклидтік терапия 60, 1-2"),
    pytest.param("intensive-care", 4, (2,), id="қарқынды терапия 4, 2"),
    pytest.param("elective", 4, (2,), id="Таңдау бойынша компонент 4, 2"),
    pytest.param("intermediate-attestation", 0, (1, 2), id="Аралық аттестаттау, no credits"),
    pytest.param("final-attestation", 2, (2,), id="Қорытынды аттестаттау 2, 2"),
]


def test_published_totals_match_the_document() -> None:
    found = programme("7R01108")
    sums = found.credits_by_component()
    assert found.total_credits == REFERENCE_TOTALS["total"] == sum(sums.values())
    for component in Component:
        assert sums[component] == REFERENCE_TOTALS[component]
    assert found.years == REFERENCE_TOTALS["years"]


@pytest.mark.parametrize(("code", "credits", "years"), REFERENCE_DISCIPLINES)
def test_published_discipline_credits_and_years(
    code: str, credits: int, years: tuple[int]
) -> None:
    discipline = programme("7R01108").discipline(code)
    assert discipline is not None
    assert (discipline.credits, discipline.years) == (credits, years)


def test_five_electives_of_four_credits_in_year_two() -> None:
    electives = programme("7R01108").electives
    assert len(electives) == 5
    assert {(e.credits, e.years, e.component) for e in electives} == {(4, (2,), "elective")}


def test_ten_outcomes_in_three_languages() -> None:
    outcomes = programme("7R01108").outcomes
    assert [o.code for o in outcomes] == [f"ОН{n}" for n in range(1, 11)]
    for outcome in outcomes:
        assert all((outcome.title.kk, outcome.title.ru, outcome.title.en, outcome.text.kk))
        assert outcome.text.ru and outcome.text.en
    assert outcomes[2].title.kk.startswith("Радиациялық қауіпсіздікті")


def test_analytic_hours_are_credits_times_hours_per_credit() -> None:
    found = programme("7R01108")
    therapy = found.discipline("radionuclide-therapy")
    assert therapy is not None and found.hours_per_credit == 30
    assert found.hours(therapy) == 60 * 30


def test_unknown_code_names_the_codes_there_are() -> None:
    with pytest.raises(UnknownProgrammeError, match="no programme X1; the programmes are 7R0"):
        programme("X1")
    assert "7R01108" in programme_codes()


def test_data_that_do_not_add_up_are_refused() -> None:
    found = programme("7R01108")
    broken = dataclasses.replace(found, total_credits=141)
    with pytest.raises(ProgrammeDataError, match="credits add up"):
        _check(broken)
    wrong_outcome = dataclasses.replace(found.disciplines[0], outcomes=("ОН11",))
    with pytest.raises(ProgrammeDataError, match="unknown outcomes"):
        _check(dataclasses.replace(found, disciplines=(wrong_outcome, *found.disciplines[1:])))
