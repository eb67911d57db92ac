"""The rules of the ELN genetic risk classifications, each with its source and provenance, and
the result of a classification.

Sources:

- ELN 2022: Döhner H, Wei AH, Appelbaum FR, et al. Diagnosis and management of AML in adults:
  2022 recommendations from an international expert panel on behalf of the ELN. Blood
  2022;140(12):1345-1377, Table 6 ("2022 ELN risk classification by genetics at initial
  diagnosis") and its footnotes. The rows were read in the publisher's copy of Table 6
  (``confirmed``); the footnotes' wording is recalled, not re-read (``recalled``), except
  where the marks were seen attached to their rows (§, #, **, ††, ‡‡ and the TP53 mark).
- ELN 2024: Döhner H, et al. Genetic risk classification for adults with AML receiving
  less-intensive therapies: the 2024 ELN recommendations. Blood 2024, Table 1 and its
  footnotes, read in the publisher's copy (``confirmed``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from nucmed.data.provenance import Status
from nucmed.errors import N_, MessagePart, english

__all__ = ["RULES", "Category", "Classification", "Rule", "rule"]


class Category(enum.StrEnum):
    """The answer of a classification."""

    FAVORABLE = "favorable"
    INTERMEDIATE = "intermediate"
    ADVERSE = "adverse"
    NOT_APPLICABLE = "not-applicable"
    """The classification does not apply (APL; ELN 2024 after an HMA)."""
    REVIEW = "review"
    """The published rules do not settle the case: a person decides (``candidates``)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One row or footnote of a published table that can decide a case."""

    id: str
    category: Category
    text: str
    source: str
    status: Status

    @property
    def publication(self) -> str:
        """The publication alone, as a page shows it beside the table's number."""
        return (
            "Döhner et al., Blood 2022;140:1345"
            if self.id.startswith("eln2022")
            else ("Döhner et al., Blood 2024")
        )

    @property
    def table(self) -> int:
        """The number of the publication's table."""
        return 6 if self.id.startswith("eln2022") else 1


_T6 = "Döhner et al., Blood 2022;140:1345, Table 6"
_T1 = "Döhner et al., Blood 2024 (ELN less-intensive), Table 1"
_C, _R = Status.CONFIRMED, Status.RECALLED
F, IM, A = Category.FAVORABLE, Category.INTERMEDIATE, Category.ADVERSE
NA, RV = Category.NOT_APPLICABLE, Category.REVIEW

# fmt: off
_ALL = (
    Rule("eln2022.not-applicable.apl", NA, N_("APL (PML::RARA) is outside ELN 2022 Table 6"),
         f"{_T6}: the recommendations cover AML other than APL", _R),
    Rule("eln2022.favorable.runx1-runx1t1", F, N_("t(8;21)(q22;q22.1)/RUNX1::RUNX1T1"),
         f"{_T6}, favorable row 1", _C),
    Rule("eln2022.favorable.cbfb-myh11", F,
         N_("inv(16)(p13.1q22) or t(16;16)(p13.1;q22)/CBFB::MYH11"),
         f"{_T6}, favorable row 2", _C),
    Rule("eln2022.favorable.npm1", F, N_("Mutated NPM1 without FLT3-ITD"),
         f"{_T6}, favorable row 3 (footnote ‡‡: adverse-risk gene mutations do not count)", _C),
    Rule("eln2022.favorable.cebpa-bzip", F, N_("bZIP in-frame mutated CEBPA"),
         f"{_T6}, favorable row 4", _C),
    Rule("eln2022.intermediate.npm1-flt3-itd", IM, N_("Mutated NPM1 with FLT3-ITD"),
         f"{_T6}, intermediate row 1", _C),
    Rule("eln2022.intermediate.flt3-itd", IM,
         N_("Wild-type NPM1 with FLT3-ITD (without adverse-risk genetic lesions)"),
         f"{_T6}, intermediate row 2", _C),
    Rule("eln2022.intermediate.mllt3-kmt2a", IM, N_("t(9;11)(p21.3;q23.3)/MLLT3::KMT2A"),
         f"{_T6}, intermediate row 3; footnote ¶: it takes precedence over rare concurrent "
         "adverse-risk gene mutations", _R),
    Rule("eln2022.intermediate.other", IM,
         N_("Cytogenetic and/or molecular abnormalities not classified as favorable or adverse"),
         f"{_T6}, intermediate row 4", _C),
    Rule("eln2022.adverse.dek-nup214", A, N_("t(6;9)(p23.3;q34.1)/DEK::NUP214"),
         f"{_T6}, adverse row 1", _C),
    Rule("eln2022.adverse.kmt2a", A, N_("t(v;11q23.3)/KMT2A-rearranged"),
         f"{_T6}, adverse row 2 (footnote #: excluding KMT2A-PTD)", _C),
    Rule("eln2022.adverse.bcr-abl1", A, N_("t(9;22)(q34.1;q11.2)/BCR::ABL1"),
         f"{_T6}, adverse row 3", _C),
    Rule("eln2022.adverse.kat6a-crebbp", A, N_("t(8;16)(p11.2;p13.3)/KAT6A::CREBBP"),
         f"{_T6}, adverse row 4", _C),
    Rule("eln2022.adverse.gata2-mecom", A,
         N_("inv(3)(q21.3q26.2) or t(3;3)(q21.3;q26.2)/GATA2, MECOM(EVI1)"),
         f"{_T6}, adverse row 5", _C),
    Rule("eln2022.adverse.mecom", A, N_("t(3q26.2;v)/MECOM(EVI1)-rearranged"),
         f"{_T6}, adverse row 6", _C),
    Rule("eln2022.adverse.minus5-del5q", A, N_("-5 or del(5q)"), f"{_T6}, adverse row 7", _C),
    Rule("eln2022.adverse.minus7", A, N_("-7"), f"{_T6}, adverse row 7", _C),
    Rule("eln2022.adverse.abn17p", A, N_("-17/abn(17p)"), f"{_T6}, adverse row 7", _C),
    Rule("eln2022.adverse.complex", A, N_("Complex karyotype"),
         f"{_T6}, adverse row 8, footnote **: three or more unrelated abnormalities without a "
         "class-defining one; not hyperdiploid with three or more trisomies and no "
         "structural abnormality", _R),
    Rule("eln2022.adverse.monosomal", A, N_("Monosomal karyotype"),
         f"{_T6}, adverse row 8, footnote ††: two or more autosomal monosomies, or one with a "
         "structural abnormality; not core-binding-factor AML", _R),
    Rule("eln2022.adverse.genes", A,
         N_("Mutated ASXL1, BCOR, EZH2, RUNX1, SF3B1, SRSF2, STAG2, U2AF1, and/or ZRSR2"),
         f"{_T6}, adverse row 9 (footnote ‡‡: not with favorable-risk subtypes)", _C),
    Rule("eln2022.adverse.tp53", A, N_("Mutated TP53 (VAF at least 10 %)"),
         f"{_T6}, adverse row 10 and its footnote: VAF at least 10 %", _R),
    Rule("eln2022.adverse.npm1-adverse-cytogenetics", A,
         N_("Mutated NPM1 with adverse-risk cytogenetic abnormalities"),
         f"{_T6}, footnote § on the NPM1 rows: adverse risk", _R),
    Rule("eln2022.review.tp53-vaf", RV,
         N_("TP53 mutated without a VAF: the TP53 row needs a VAF of at least 10 %"),
         f"{_T6}, footnote on 'Mutated TP53'", _R),
    Rule("eln2022.review.conflict", RV,
         N_("Rows of different categories apply and Table 6 does not say which prevails"),
         f"{_T6} and its footnotes (§, ¶, ‡‡ settle only the cases they name)", _R),
    Rule("eln2024.not-applicable.apl", NA, N_("APL (PML::RARA) is outside ELN 2024"),
         f"{_T1}: for AML treated with less-intensive therapy", _R),
    Rule("eln2024.not-applicable.prior-hma", NA,
         N_("Not applicable after prior treatment with a hypomethylating agent"),
         f"{_T1}, table note", _C),
    Rule("eln2024.adverse.tp53", A, N_("Mutated TP53"), f"{_T1}, adverse row", _C),
    Rule("eln2024.favorable.npm1", F, N_("Mutated NPM1 (FLT3-ITDneg, NRASwt, KRASwt, TP53wt)"),
         f"{_T1}, favorable row 1", _C),
    Rule("eln2024.favorable.idh2", F, N_("Mutated IDH2 (FLT3-ITDneg, NRASwt, KRASwt, TP53wt)"),
         f"{_T1}, favorable row 2", _C),
    Rule("eln2024.favorable.idh1-aza-ivo", F,
         N_("Mutated IDH1 (TP53wt) treated with azacitidine and ivosidenib"),
         f"{_T1}, favorable row 3 and footnote *", _C),
    Rule("eln2024.favorable.ddx41", F, N_("Mutated DDX41"), f"{_T1}, favorable row 4", _C),
    Rule("eln2024.favorable.other", F,
         N_("Other cytogenetic and/or molecular abnormalities (FLT3-ITDneg, NRASwt, KRASwt, "
            "TP53wt)"),
         f"{_T1}, favorable row 5 (footnote ‡: tentative)", _C),
    Rule("eln2024.intermediate.other", IM,
         N_("Other cytogenetic and molecular abnormalities (FLT3-ITDpos and/or NRASmut and/or "
            "KRASmut; TP53wt)"),
         f"{_T1}, intermediate row (footnote ‡: tentative)", _C),
)
# fmt: on

RULES: Mapping[str, Rule] = {item.id: item for item in _ALL}
"""Every rule by its id (``eln2022.favorable.npm1``)."""


def rule(rule_id: str) -> Rule:
    """The rule with that id."""
    return RULES[rule_id]


@dataclass(frozen=True, slots=True)
class Classification:
    """The category of a case, the rule that decided it and why.

    ``reasons`` are translatable message parts (:mod:`nucmed.errors`); ``candidates`` are the
    categories between which a person decides when ``category`` is ``review``.
    """

    guideline: str
    category: Category
    rule: Rule
    reasons: tuple[MessagePart, ...]
    candidates: tuple[Category, ...] = ()
    karyotype: Mapping[str, object] = field(default_factory=dict)

    @property
    def review(self) -> bool:
        """Whether a person must decide (the published rules do not settle the case)."""
        return self.category is Category.REVIEW

    def as_json(self) -> dict[str, object]:
        """The JSON object the command line prints and the API returns."""
        return {
            "guideline": self.guideline,
            "category": str(self.category),
            "rule": self.rule.id,
            "rule_text": self.rule.text,
            "review": self.review,
            "candidates": [str(c) for c in self.candidates],
            "reasons": [english((part,)) for part in self.reasons],
            "source": self.rule.source,
            "status": str(self.rule.status),
            "karyotype": dict(self.karyotype),
        }
