"""ELN 2024 genetic risk for less-intensive therapy: every row and note of Table 1.

REFERENCE rows are **published** values, worked out by hand from Döhner H, et al., "Genetic
risk classification for adults with AML receiving less-intensive therapies: the 2024 ELN
recommendations", Blood 2024, Table 1 (rows and notes as named in each citation). Categories
are exact: no tolerance.
"""

from __future__ import annotations

import pytest

from nucmed.haematology import eln2024
from nucmed.haematology.eln2024 import Therapy
from nucmed.haematology.rules import RULES
from tests.haematology.conftest import case

T1 = "Döhner 2024, Table 1"
N = "46,XY[20]"
V, AI, U = Therapy.VENETOCLAX, Therapy.AZA_IVO, Therapy.UNSPECIFIED
# (id, karyotype, mutations, therapy, prior HMA, category, rule suffix, citation)
REFERENCE = [
    ("NPM1", N, "NPM1", V, False, "favorable", "favorable.npm1", f"{T1}, favorable row 1"),
    ("NPM1+FLT3-ITD", N, "NPM1 FLT3-ITD", V, False, "intermediate", "intermediate.other",
     f"{T1}, favorable row 1 needs FLT3-ITDneg; intermediate row"),
    ("IDH2", N, "IDH2", V, False, "favorable", "favorable.idh2", f"{T1}, favorable row 2"),
    ("IDH2+KRAS", N, "IDH2 KRAS", V, False, "intermediate", "intermediate.other",
     f"{T1}, favorable row 2 needs KRASwt"),
    ("IDH1 on AZA+IVO with NRAS", N, "IDH1 NRAS", AI, False, "favorable",
     "favorable.idh1-aza-ivo", f"{T1}, favorable row 3 and footnote *"),
    ("IDH1 on venetoclax with NRAS", N, "IDH1 NRAS", V, False, "intermediate",
     "intermediate.other", f"{T1}, footnote *: only with AZA+IVO irrespective of signalling"),
    ("IDH1 on venetoclax alone", N, "IDH1", V, False, "favorable", "favorable.other",
     f"{T1}, favorable row 5 (no signalling mutation)"),
    ("DDX41", N, "DDX41@0.48", V, False, "favorable", "favorable.ddx41",
     f"{T1}, favorable row 4 and footnote † (germline)"),
    ("other, no signalling", "47,XY,+8[20]", "ASXL1 RUNX1", V, False, "favorable",
     "favorable.other", f"{T1}, favorable row 5 and footnote ‡"),
    ("complex karyotype, no signalling", "45,XY,-7,del(5)(q13q33),+8[20]", "", V, False,
     "favorable", "favorable.other", f"{T1}, favorable row 5: the karyotype does not enter"),
    ("other with NRAS", N, "ASXL1 NRAS", V, False, "intermediate", "intermediate.other",
     f"{T1}, intermediate row"),
    ("FLT3-ITD alone", N, "FLT3-ITD", U, False, "intermediate", "intermediate.other",
     f"{T1}, intermediate row"),
    ("TP53", N, "TP53@0.35", V, False, "adverse", "adverse.tp53", f"{T1}, adverse row"),
    ("TP53 low VAF with NPM1", N, "NPM1 TP53@0.04", V, False, "adverse", "adverse.tp53",
     f"{T1}, adverse row (no VAF threshold; favorable rows need TP53wt)"),
    ("TP53 without VAF", N, "TP53", V, False, "adverse", "adverse.tp53", f"{T1}, adverse row"),
    ("prior HMA", N, "NPM1", V, True, "not-applicable", "not-applicable.prior-hma",
     f"{T1}, note: not after prior HMA"),
    ("APL", "46,XX,t(15;17)(q24;q21)[20]", "", V, False, "not-applicable",
     "not-applicable.apl", "APL is outside the classification"),
]  # fmt: skip


@pytest.mark.parametrize("row", REFERENCE, ids=[row[0] for row in REFERENCE])
def test_published_rows(row: tuple[str, str, str, Therapy, bool, str, str, str]) -> None:
    _, karyotype, mutations, therapy, prior_hma, category, rule, citation = row
    result = eln2024.classify(case(karyotype, mutations), therapy, prior_hma=prior_hma)
    assert (result.category, result.rule.id) == (category, f"eln2024.{rule}"), citation


def test_every_row_is_exercised() -> None:
    used = {f"eln2024.{row[6]}" for row in REFERENCE}
    assert {rule for rule in RULES if rule.startswith("eln2024")} == used
    assert len(REFERENCE) >= 10


def test_the_applicability_conditions_come_first() -> None:
    result = eln2024.classify(case(N, "NPM1"))
    assert "less-intensive" in result.reasons[0][0] and "prior HMA" in result.reasons[0][0]


def test_a_near_heterozygous_ddx41_suggests_a_germline_variant() -> None:
    near = eln2024.classify(case(N, "DDX41@0.5")).reasons
    low = eln2024.classify(case(N, "DDX41@0.1")).reasons
    assert any("germline" in template for template, _ in near)
    assert not any("germline" in template for template, _ in low)


def test_idh1_with_signalling_and_no_therapy_says_what_aza_ivo_would_give() -> None:
    result = eln2024.classify(case(N, "IDH1 KRAS"))
    assert result.rule.id == "eln2024.intermediate.other"
    assert any("ivosidenib" in template for template, _ in result.reasons)
