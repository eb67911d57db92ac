"""ELN 2022 genetic risk: every row of Table 6 and every footnote, as published values.

REFERENCE rows are **published** values: the category each case has by the row or footnote
of Döhner H, et al., Blood 2022;140(12):1345-1377, Table 6, named in the row's citation (worked
out by hand from the table; the classifier's code was not used to make them). Categories are
exact, so there is no tolerance. The ``review`` rows are the cases the table and footnotes do
not settle (``nucmed.haematology.eln2022``, module docstring). The property tests are
**analytic**: they follow from the precedence the table states.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nucmed.haematology import eln2022
from nucmed.haematology.rules import RULES, Category
from tests.haematology.conftest import case

T6 = "Döhner 2022, Table 6"
N = "46,XY[20]"
# (id, karyotype, mutations, fusions, category, rule suffix, citation)
REFERENCE = [
    ("t8;21", "46,XY,t(8;21)(q22;q22.1)[20]", "", "", "favorable", "favorable.runx1-runx1t1",
     f"{T6}, favorable row 1"),
    ("RUNX1::RUNX1T1 by RT-PCR", N, "", "RUNX1::RUNX1T1", "favorable",
     "favorable.runx1-runx1t1", f"{T6}, favorable row 1 (the fusion)"),
    ("inv16", "46,XX,inv(16)(p13.1q22)[20]", "", "", "favorable", "favorable.cbfb-myh11",
     f"{T6}, favorable row 2"),
    ("t16;16", "46,XX,t(16;16)(p13.1;q22)[20]", "", "", "favorable", "favorable.cbfb-myh11",
     f"{T6}, favorable row 2"),
    ("NPM1", N, "NPM1", "", "favorable", "favorable.npm1", f"{T6}, favorable row 3"),
    ("CEBPA-bZIP", N, "CEBPA-bZIP", "", "favorable", "favorable.cebpa-bzip",
     f"{T6}, favorable row 4"),
    ("NPM1+FLT3-ITD", N, "NPM1 FLT3-ITD", "", "intermediate", "intermediate.npm1-flt3-itd",
     f"{T6}, intermediate row 1"),
    ("FLT3-ITD", N, "FLT3-ITD", "", "intermediate", "intermediate.flt3-itd",
     f"{T6}, intermediate row 2"),
    ("t9;11", "46,XY,t(9;11)(p21.3;q23.3)[20]", "", "", "intermediate",
     "intermediate.mllt3-kmt2a", f"{T6}, intermediate row 3"),
    ("normal karyotype", N, "", "", "intermediate", "intermediate.other",
     f"{T6}, intermediate row 4"),
    ("+8 alone", "47,XY,+8[20]", "DNMT3A", "", "intermediate", "intermediate.other",
     f"{T6}, intermediate row 4"),
    ("t6;9", "46,XY,t(6;9)(p23.3;q34.1)[20]", "", "", "adverse", "adverse.dek-nup214",
     f"{T6}, adverse row 1"),
    ("t11;19", "46,XY,t(11;19)(q23.3;p13.1)[20]", "", "", "adverse", "adverse.kmt2a",
     f"{T6}, adverse row 2"),
    ("KMT2A::AFF1", N, "", "KMT2A::AFF1", "adverse", "adverse.kmt2a",
     f"{T6}, adverse row 2 (the fusion)"),
    ("t9;22", "46,XY,t(9;22)(q34.1;q11.2)[20]", "", "", "adverse", "adverse.bcr-abl1",
     f"{T6}, adverse row 3"),
    ("t8;16", "46,XY,t(8;16)(p11.2;p13.3)[20]", "", "", "adverse", "adverse.kat6a-crebbp",
     f"{T6}, adverse row 4"),
    ("inv3", "46,XY,inv(3)(q21.3q26.2)[20]", "", "", "adverse", "adverse.gata2-mecom",
     f"{T6}, adverse row 5"),
    ("t3;3", "46,XY,t(3;3)(q21.3;q26.2)[20]", "", "", "adverse", "adverse.gata2-mecom",
     f"{T6}, adverse row 5"),
    ("t3;21", "46,XY,t(3;21)(q26.2;q22)[20]", "", "", "adverse", "adverse.mecom",
     f"{T6}, adverse row 6"),
    ("-5", "45,XY,-5[20]", "", "", "adverse", "adverse.minus5-del5q", f"{T6}, adverse row 7"),
    ("del5q", "46,XY,del(5)(q13q33)[20]", "", "", "adverse", "adverse.minus5-del5q",
     f"{T6}, adverse row 7"),
    ("-7", "45,XY,-7[20]", "", "", "adverse", "adverse.minus7", f"{T6}, adverse row 7"),
    ("-17", "45,XY,-17[20]", "", "", "adverse", "adverse.abn17p", f"{T6}, adverse row 7"),
    ("i17q", "46,XY,i(17)(q10)[20]", "", "", "adverse", "adverse.abn17p",
     f"{T6}, adverse row 7 (abn(17p): isochromosome 17q loses 17p)"),
    ("complex", "47,XY,+8,del(9)(q22),t(1;3)(p36;q21)[20]", "", "", "adverse",
     "adverse.complex", f"{T6}, adverse row 8, footnote **"),
    ("monosomal", "44,XY,-13,-18[20]", "", "", "adverse", "adverse.monosomal",
     f"{T6}, adverse row 8, footnote ††"),
    ("ASXL1", N, "ASXL1", "", "adverse", "adverse.genes", f"{T6}, adverse row 9"),
    ("ZRSR2+STAG2", N, "ZRSR2 STAG2", "", "adverse", "adverse.genes", f"{T6}, adverse row 9"),
    ("TP53 12 %", N, "TP53@0.12", "", "adverse", "adverse.tp53",
     f"{T6}, adverse row 10 and its footnote (VAF >= 10 %)"),
    ("TP53 at 10 %", N, "TP53@0.10", "", "adverse", "adverse.tp53",
     f"{T6}, TP53 footnote: at least 10 % includes 10 %"),
    ("TP53 8 %", N, "TP53@0.08", "", "intermediate", "intermediate.other",
     f"{T6}, TP53 footnote: below 10 % is not the TP53 row"),
    ("MRD footnote", N, "NPM1", "", "favorable", "favorable.npm1",
     f"{T6}, footnote † (intensive therapy, MRD) is stated, does not change the row"),
    ("t8;21+KIT", "46,XY,t(8;21)(q22;q22.1)[20]", "KIT FLT3-ITD", "", "favorable",
     "favorable.runx1-runx1t1", f"{T6}, footnote ‡: KIT/FLT3 do not alter CBF risk"),
    ("NPM1+-7", "45,XY,-7[20]", "NPM1", "", "adverse", "adverse.npm1-adverse-cytogenetics",
     f"{T6}, footnote §: NPM1 with adverse cytogenetics is adverse"),
    ("NPM1+ITD+complex", "47,XY,+8,del(9)(q22),t(1;3)(p36;q21)[20]", "NPM1 FLT3-ITD", "",
     "adverse", "adverse.npm1-adverse-cytogenetics", f"{T6}, footnote §"),
    ("CEBPA not bZIP", N, "CEBPA", "", "intermediate", "intermediate.other",
     f"{T6}, footnote ‖: only in-frame bZIP mutations are favorable"),
    ("t9;11+ASXL1", "46,XY,t(9;11)(p21.3;q23.3)[20]", "ASXL1 RUNX1", "", "intermediate",
     "intermediate.mllt3-kmt2a", f"{T6}, footnote ¶: t(9;11) prevails over gene mutations"),
    ("t9;11 old bands", "46,XY,t(9;11)(p22;q23)[20]", "", "", "intermediate",
     "intermediate.mllt3-kmt2a", f"{T6}, intermediate row 3 (ISCN 1995 band names)"),
    ("KMT2A-PTD", N, "KMT2A-PTD", "", "intermediate", "intermediate.other",
     f"{T6}, footnote #: KMT2A-PTD is not KMT2A-rearranged"),
    ("hyperdiploid", "50,XY,+8,+10,+21,+22[20]", "", "", "intermediate", "intermediate.other",
     f"{T6}, footnote **: hyperdiploid with trisomies only is not complex"),
    ("complex with t(9;11)", "48,XY,t(9;11)(p21.3;q23.3),+8,+19[20]", "", "", "intermediate",
     "intermediate.mllt3-kmt2a", f"{T6}, footnote **: not complex with a class-defining lesion"),
    ("inv16 with -7, not MK", "45,XX,inv(16)(p13.1q22),-9[20]", "", "", "favorable",
     "favorable.cbfb-myh11", f"{T6}, footnote ††: monosomal karyotype excludes CBF AML"),
    ("NPM1+ASXL1", N, "NPM1 ASXL1", "", "favorable", "favorable.npm1",
     f"{T6}, footnote ‡‡: gene mutations not adverse with favorable subtypes"),
    ("CEBPA+RUNX1", N, "CEBPA-bZIP RUNX1", "", "favorable", "favorable.cebpa-bzip",
     f"{T6}, footnote ‡‡"),
    ("inv16+BCOR", "46,XX,inv(16)(p13.1q22)[20]", "BCOR", "", "favorable",
     "favorable.cbfb-myh11", f"{T6}, footnote ‡‡"),
    ("ITD+RUNX1", N, "FLT3-ITD RUNX1", "", "adverse", "adverse.genes",
     f"{T6}, intermediate row 2 holds only without adverse-risk lesions"),
    ("APL", "46,XX,t(15;17)(q24.1;q21.2)[20]", "", "", "not-applicable",
     "not-applicable.apl", f"{T6}: APL is outside the table"),
    ("APL by PML::RARA", N, "FLT3-ITD", "PML::RARA", "not-applicable",
     "not-applicable.apl", f"{T6}: APL is outside the table"),
]  # fmt: skip
REVIEW = [
    ("TP53 without VAF", N, "TP53", "tp53-vaf", ["intermediate", "adverse"],
     f"{T6}, TP53 footnote needs the VAF"),
    ("NPM1+TP53 without VAF", N, "NPM1 TP53", "tp53-vaf", ["favorable", "adverse"],
     f"{T6}, TP53 footnote needs the VAF"),
    ("t(8;21) with -7", "45,XY,t(8;21)(q22;q22.1),-7[20]", "", "conflict",
     ["favorable", "adverse"], f"{T6}: no footnote rules on CBF with -7"),
    ("inv16 with TP53", "46,XX,inv(16)(p13.1q22)[20]", "TP53@0.4", "conflict",
     ["favorable", "adverse"], f"{T6}: footnote ‡‡ covers the genes of row 9 only"),
    ("NPM1 with TP53", N, "NPM1 TP53@0.4", "conflict", ["favorable", "adverse"],
     f"{T6}: footnote § names cytogenetics only"),
    ("NPM1+ITD with ASXL1", N, "NPM1 FLT3-ITD ASXL1", "conflict",
     ["intermediate", "adverse"], f"{T6}: footnote ‡‡ protects favorable subtypes only"),
    ("CEBPA-bZIP with FLT3-ITD", N, "CEBPA-bZIP FLT3-ITD", "conflict",
     ["favorable", "intermediate"], f"{T6}: favorable row 4 and intermediate row 2 both apply"),
    ("t(9;11) with -7", "45,XY,t(9;11)(p21.3;q23.3),-7[20]", "", "conflict",
     ["intermediate", "adverse"], f"{T6}: footnote ¶ names gene mutations only"),
]  # fmt: skip


@pytest.mark.parametrize("row", REFERENCE, ids=[row[0] for row in REFERENCE])
def test_published_rows_and_footnotes(row: tuple[str, ...]) -> None:
    _, karyotype, mutations, fusions, category, rule, citation = row
    result = eln2022.classify(case(karyotype, mutations, fusions))
    assert (result.category, result.rule.id) == (category, f"eln2022.{rule}"), citation


@pytest.mark.parametrize(
    ("karyotype", "mutations", "rule", "candidates", "citation"),
    [pytest.param(*row[1:], id=row[0]) for row in REVIEW],
)
def test_cases_the_table_does_not_settle_are_flagged(
    karyotype: str, mutations: str, rule: str, candidates: list[str], citation: str
) -> None:
    result = eln2022.classify(case(karyotype, mutations))
    assert result.review and result.category is Category.REVIEW, citation
    assert result.rule.id == f"eln2022.review.{rule}"
    assert [str(c) for c in result.candidates] == candidates


def test_every_rule_of_table_6_is_exercised() -> None:
    used = {f"eln2022.{row[5]}" for row in REFERENCE} | {f"eln2022.review.{r[3]}" for r in REVIEW}
    assert {rule for rule in RULES if rule.startswith("eln2022")} == used
    assert len(REFERENCE) >= 30


@pytest.mark.parametrize("mark", ["†", "‡", "§", "‖", "¶", "#", "**", "††", "‡‡", "TP53 footnote"])
def test_every_footnote_of_table_6_decides_a_case(mark: str) -> None:
    citations = [row[-1] for row in REFERENCE] + [row[-1] for row in REVIEW]
    assert any(f"footnote {mark}" in c or (mark in c and "footnote" in c) for c in citations)


def test_every_answer_states_the_intensive_therapy_footnote() -> None:
    reasons = eln2022.classify(case(N, "NPM1")).reasons
    assert "measurable residual disease" in reasons[0][0]


def test_the_answer_as_json() -> None:
    data = eln2022.classify(case("45,XY,-7[20]", "TP53@0.3")).as_json()
    assert data["category"] == "adverse" and data["rule"] == "eln2022.adverse.minus7"
    assert data["source"] and data["status"] in {"confirmed", "recalled"}
    assert any("TP53" in reason for reason in data["reasons"])  # type: ignore[attr-defined]


ABNORMALITIES = [
    "t(9;11)(p21.3;q23.3)", "t(6;9)(p23.3;q34.1)", "t(9;22)(q34.1;q11.2)", "-7",
    "del(5)(q13q33)", "+8", "+21", "del(9)(q22)", "-17", "+mar", "t(1;3)(p36;q21)", "-Y",
    "inv(3)(q21.3q26.2)", "-13",
]  # fmt: skip
GENES = [
    "NPM1", "FLT3-ITD", "CEBPA-bZIP", "ASXL1", "RUNX1", "TP53@0.3", "TP53@0.05", "KIT",
    "NRAS", "KMT2A-PTD", "DNMT3A",
]  # fmt: skip
cases = st.tuples(
    st.lists(st.sampled_from(ABNORMALITIES), max_size=5, unique=True),
    st.lists(st.sampled_from(GENES), max_size=4, unique=True),
)


def _classify(abnormalities: list[str], genes: list[str], extra: str = "") -> Category:
    karyotype = ",".join(["46,XY", *abnormalities, *([extra] if extra else [])])
    return eln2022.classify(case(karyotype, " ".join(genes))).category


@settings(max_examples=150, deadline=None)
@given(cases)
def test_adding_a_cbf_lesion_never_yields_intermediate_or_adverse(
    drawn: tuple[list[str], list[str]],
) -> None:
    category = _classify(*drawn, extra="t(8;21)(q22;q22.1)")
    assert category in {Category.FAVORABLE, Category.REVIEW}


@settings(max_examples=150, deadline=None)
@given(cases)
def test_a_tp53_mutation_at_30_percent_never_yields_favorable(
    drawn: tuple[list[str], list[str]],
) -> None:
    abnormalities, genes = drawn
    genes = [g for g in genes if not g.startswith("TP53")] + ["TP53@0.3"]
    assert _classify(abnormalities, genes) is not Category.FAVORABLE


@settings(max_examples=150, deadline=None)
@given(cases)
def test_gene_mutations_of_row_9_never_take_npm1_out_of_favorable(
    drawn: tuple[list[str], list[str]],
) -> None:
    """Footnote ‡‡: NPM1 without FLT3-ITD and without adverse cytogenetics stays favorable
    whatever row-9 genes are added."""
    _, genes = drawn
    genes = [g for g in genes if g in {"ASXL1", "RUNX1", "KIT", "DNMT3A", "NRAS"}]
    assert _classify(["+8"], ["NPM1", *genes]) is Category.FAVORABLE


@settings(max_examples=150, deadline=None)
@given(cases)
def test_minus_7_without_a_favorable_or_t9_11_subtype_is_adverse(
    drawn: tuple[list[str], list[str]],
) -> None:
    abnormalities, genes = drawn
    abnormalities = [a for a in abnormalities if not a.startswith("t(9;11)")]
    genes = [g for g in genes if g not in {"NPM1", "CEBPA-bZIP"}]
    assert _classify(abnormalities, genes, extra="-7") is Category.ADVERSE


@settings(max_examples=200, deadline=None)
@given(cases)
def test_the_deciding_rule_has_the_category_given(drawn: tuple[list[str], list[str]]) -> None:
    abnormalities, genes = drawn
    karyotype = ",".join(["46,XY", *abnormalities])
    result = eln2022.classify(case(karyotype, " ".join(genes)))
    assert result.rule.category is result.category
    assert bool(result.candidates) == result.review
