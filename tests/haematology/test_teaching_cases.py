"""The teaching cases the training module uses: every one gives its stated answer.

The expected answers are **published** values worked out by hand from the rows each case's
``source`` names (status ``derived`` in the data file).
"""

from __future__ import annotations

import pytest

from nucmed.haematology.cases import TeachingCase, teaching_cases
from nucmed.services.haematology import CaseText, Guideline, classify


@pytest.mark.parametrize("taught", teaching_cases(), ids=lambda c: c.id)
def test_each_case_gives_its_answer(taught: TeachingCase) -> None:
    case = CaseText(
        taught.karyotype, taught.mutations, taught.fusions, taught.therapy, taught.prior_hma
    )
    result = classify(Guideline(taught.guideline), case)
    assert (result.category, result.rule.id) == (taught.category, taught.rule), taught.source


def test_both_guidelines_and_a_review_case_are_taught() -> None:
    cases = teaching_cases()
    assert {c.guideline for c in cases} == {"eln2022", "eln2024"}
    assert any(c.category == "review" for c in cases) and len(cases) >= 15
