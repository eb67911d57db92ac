"""ELN 2022 genetic risk of AML at diagnosis (Döhner et al., Blood 2022;140:1345, Table 6).

The rows and footnotes are applied in this order, each stated in :mod:`nucmed.haematology.rules`
with its source:

1. PML::RARA (APL) is outside the table: ``not-applicable``.
2. A TP53 mutation without a VAF: ``review`` (the TP53 row needs VAF >= 10 %, its footnote).
3. Core-binding-factor AML (t(8;21), inv(16)/t(16;16)) is favorable; adverse-risk gene
   mutations do not count with it (footnote ‡‡), nor KIT or FLT3 (footnote ‡), and the complex
   and monosomal karyotypes exclude it by definition (footnotes **, ††).
4. t(9;11)/MLLT3::KMT2A is intermediate and prevails over concurrent adverse-risk gene
   mutations (footnote ¶).
5. Mutated NPM1 is favorable without FLT3-ITD and intermediate with it; with adverse-risk
   cytogenetics it is adverse (footnote §); adverse-risk gene mutations do not count against
   the favorable subtype (footnote ‡‡).
6. bZIP in-frame mutated CEBPA is favorable (footnote ‡‡ as above).
7. Any adverse-risk lesion is adverse (which includes wild-type NPM1 with FLT3-ITD and an
   adverse-risk lesion); then FLT3-ITD alone is intermediate; anything else is intermediate.

Where a favorable or intermediate subtype of steps 3 to 6 meets an adverse-risk lesion that no
footnote rules on (e.g. t(8;21) with -7, CEBPA-bZIP with TP53, NPM1 and FLT3-ITD with
ASXL1, CEBPA-bZIP with FLT3-ITD), the answer is ``review`` with both candidate categories:
Table 6 does not say which prevails, and a haematologist decides.

The complex karyotype excludes, as footnote ** says, cases with a class-defining recurring
abnormality; we take those to be the recurrent rearrangements named in Table 6 (our reading).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from nucmed.errors import N_, MessagePart, Word
from nucmed.haematology.genetics import Findings, Lesion, Mutation
from nucmed.haematology.rules import Category, Classification, rule

__all__ = ["ADVERSE_GENES", "GUIDELINE", "TP53_VAF_THRESHOLD", "classify"]

GUIDELINE = "ELN 2022"
TP53_VAF_THRESHOLD = 0.10
"""TP53 counts as adverse at a VAF of at least 10 % (Table 6, footnote on 'Mutated TP53')."""
ADVERSE_GENES = (
    "ASXL1", "BCOR", "EZH2", "RUNX1", "SF3B1", "SRSF2", "STAG2", "U2AF1", "ZRSR2",
)  # fmt: skip
"""The myelodysplasia-related genes of Table 6, adverse row 9."""

_CBF = {Lesion.RUNX1_RUNX1T1: "runx1-runx1t1", Lesion.CBFB_MYH11: "cbfb-myh11"}
_ADVERSE_LESIONS = {
    Lesion.DEK_NUP214: "dek-nup214",
    Lesion.KMT2A_R: "kmt2a",
    Lesion.BCR_ABL1: "bcr-abl1",
    Lesion.KAT6A_CREBBP: "kat6a-crebbp",
    Lesion.GATA2_MECOM: "gata2-mecom",
    Lesion.MECOM_R: "mecom",
    Lesion.MINUS5_DEL5Q: "minus5-del5q",
    Lesion.MINUS7: "minus7",
    Lesion.ABN17P: "abn17p",
}
_CLASS_DEFINING = frozenset(_CBF) | {
    Lesion.MLLT3_KMT2A,
    Lesion.DEK_NUP214,
    Lesion.KMT2A_R,
    Lesion.BCR_ABL1,
    Lesion.KAT6A_CREBBP,
    Lesion.GATA2_MECOM,
    Lesion.MECOM_R,
}
_ORDER = (Category.FAVORABLE, Category.INTERMEDIATE, Category.ADVERSE)
_ALWAYS: MessagePart = (
    N_("ELN 2022 rests mainly on intensively treated patients; the risk may change with "
       "measurable residual disease during treatment"),
    {},
)  # fmt: skip


def _part(template: str, **values: object) -> MessagePart:
    return (template, values)


def classify(case: Findings) -> Classification:
    """The ELN 2022 genetic risk of one case.

    Parameters
    ----------
    case
        Karyotype, fusions and mutations (:func:`nucmed.haematology.genetics.findings`).

    Returns
    -------
    Classification
        Category (or ``not-applicable``/``review``), the deciding rule and the reasons.

    References
    ----------
    Döhner H, et al. Blood 2022;140(12):1345-1377, Table 6 and footnotes.

    Examples
    --------
    >>> from nucmed.haematology.genetics import findings, parse_mutation
    >>> from nucmed.haematology.karyotype import parse_karyotype
    >>> case = findings(parse_karyotype("46,XX[20]"), [parse_mutation("NPM1")])
    >>> classify(case).category, classify(case).rule.id
    (<Category.FAVORABLE: 'favorable'>, 'eln2022.favorable.npm1')
    """
    context = _Context(case)
    if Lesion.PML_RARA in case.lesions:
        return context.result("eln2022.not-applicable.apl")
    tp53 = case.mutation("TP53")
    if tp53 is not None and tp53.vaf is None:
        context.reasons.append(_part(N_("TP53 is mutated but its VAF is not given")))
        return context.result("eln2022.review.tp53-vaf", _tp53_candidates(case))
    return _decide(context)


def _tp53_candidates(case: Findings) -> list[Category]:
    """The categories the case would have with a TP53 VAF below and above 10 %."""
    found: set[Category] = set()
    for vaf in (TP53_VAF_THRESHOLD / 2, 1.0):
        mutations = [m if m.gene != "TP53" else Mutation("TP53", vaf) for m in case.mutations]
        result = _decide(_Context(replace(case, mutations=tuple(mutations))))
        found.update(result.candidates if result.review else (result.category,))
    return [c for c in _ORDER if c in found]


class _Context:
    """The case, its adverse-risk lesions and the reasons gathered so far."""

    def __init__(self, case: Findings) -> None:
        self.case = case
        self.reasons: list[MessagePart] = [_ALWAYS]
        self.cytogenetic = self._cytogenetic()
        self.genes = tuple(gene for gene in ADVERSE_GENES if case.mutated(gene))
        tp53 = case.mutation("TP53")
        self.tp53 = tp53 is not None and (tp53.vaf or 0.0) >= TP53_VAF_THRESHOLD
        self._notes()

    def _cytogenetic(self) -> list[str]:
        """The adverse cytogenetic rules that apply, by rule id."""
        found = [
            f"eln2022.adverse.{name}"
            for lesion, name in _ADVERSE_LESIONS.items()
            if lesion in self.case.lesions
        ]
        karyotype = self.case.karyotype
        class_defining = self.case.lesions & _CLASS_DEFINING
        if karyotype.complex and not class_defining:
            found.append("eln2022.adverse.complex")
        if karyotype.monosomal and not self.case.lesions & set(_CBF):
            found.append("eln2022.adverse.monosomal")
        return found

    def _notes(self) -> None:
        case, karyotype = self.case, self.case.karyotype
        if karyotype.hyperdiploid_exclusion:
            self.reasons.append(
                _part(N_("hyperdiploid with three or more trisomies and no structural "
                         "abnormality: not a complex karyotype (footnote **)"))
            )  # fmt: skip
        elif karyotype.complex and case.lesions & _CLASS_DEFINING:
            self.reasons.append(
                _part(N_("{count} abnormalities, but with a class-defining rearrangement: not "
                         "counted as complex (footnote **)"), count=karyotype.abnormality_count)
            )  # fmt: skip
        tp53 = case.mutation("TP53")
        if tp53 is not None and tp53.vaf is not None and not self.tp53:
            self.reasons.append(
                _part(N_("TP53 VAF {vaf} is below 10 %: not adverse by the TP53 row"),
                      vaf=f"{tp53.vaf:.0%}")
            )  # fmt: skip
        for gene, note in _GENE_NOTES.items():
            if case.mutated(gene):
                self.reasons.append(_part(note, gene=gene))

    def adverse(self) -> list[str]:
        """Every adverse rule that applies (cytogenetic, then genes, then TP53)."""
        genes = ["eln2022.adverse.genes"] if self.genes else []
        return [*self.cytogenetic, *genes, *(["eln2022.adverse.tp53"] if self.tp53 else [])]

    def result(self, rule_id: str, candidates: Iterable[Category] = ()) -> Classification:
        decided = rule(rule_id)
        karyotype = self.case.karyotype
        return Classification(
            guideline=GUIDELINE,
            category=decided.category,
            rule=decided,
            reasons=tuple(self.reasons),
            candidates=tuple(candidates),
            karyotype={
                "abnormalities": karyotype.abnormality_count,
                "complex": karyotype.complex,
                "monosomal": karyotype.monosomal,
                "hyperdiploid_exclusion": karyotype.hyperdiploid_exclusion,
            },
        )

    def applies(self, rule_ids: Iterable[str]) -> None:
        for rule_id in rule_ids:
            self.reasons.append(_part(N_("applies: {row}"), row=Word(rule(rule_id).text)))

    def ignored_genes(self, footnote: str) -> None:
        if self.genes:
            self.reasons.append(
                _part(N_("{genes} not counted as adverse with this subtype (footnote {mark})"),
                      genes=", ".join(self.genes), mark=footnote)
            )  # fmt: skip

    def conflict(self, subtype: str, against: list[str]) -> Classification:
        self.applies([subtype, *against])
        categories = {rule(rule_id).category for rule_id in (subtype, *against)}
        candidates = [c for c in _ORDER if c in categories]
        return self.result("eln2022.review.conflict", candidates)


_GENE_NOTES = {
    "KMT2A-PTD": N_("{gene} is not a KMT2A rearrangement (footnote #)"),
    "CEBPA": N_("a {gene} mutation outside the bZIP in-frame region is not favorable"),
}


def _decide(context: _Context) -> Classification:
    """The subtypes of steps 3 to 6 first, then the adverse and intermediate rows."""
    by_subtype = _by_subtype(context)
    if by_subtype is not None:
        return by_subtype
    case = context.case
    for gene in ("KIT", "FLT3-TKD"):
        if case.mutated(gene):
            context.reasons.append(_part(N_("{gene} is not in Table 6"), gene=gene))
    adverse = context.adverse()
    if adverse:
        context.applies(adverse)
        return context.result(adverse[0])
    if case.mutated("FLT3-ITD"):
        return context.result("eln2022.intermediate.flt3-itd")
    if case.karyotype.normal and not case.mutations and not case.fusions:
        context.reasons.append(_part(N_("normal karyotype and no listed mutation or fusion")))
    return context.result("eln2022.intermediate.other")


def _by_subtype(context: _Context) -> Classification | None:
    """CBF AML, t(9;11), mutated NPM1 or CEBPA-bZIP, in that order; None if none is present."""
    case = context.case
    cbf = next((name for lesion, name in _CBF.items() if lesion in case.lesions), None)
    if cbf is not None:
        for gene in ("KIT", "FLT3-ITD", "FLT3-TKD"):
            if case.mutated(gene):
                context.reasons.append(
                    _part(N_("{gene} does not change the risk of CBF AML (footnote ‡)"), gene=gene)
                )
        return _subtype(context, f"eln2022.favorable.{cbf}", context.cytogenetic, "‡‡")
    if Lesion.MLLT3_KMT2A in case.lesions:
        return _subtype(context, "eln2022.intermediate.mllt3-kmt2a", context.cytogenetic, "¶")
    if case.mutated("NPM1"):
        return _npm1(context)
    if case.mutated("CEBPA-BZIP"):
        against = [r for r in context.adverse() if r != "eln2022.adverse.genes"]
        if case.mutated("FLT3-ITD"):
            against.append("eln2022.intermediate.flt3-itd")
        return _subtype(context, "eln2022.favorable.cebpa-bzip", against, "‡‡")
    return None


def _subtype(context: _Context, subtype: str, against: list[str], footnote: str) -> Classification:
    """A favorable or intermediate subtype: ``review`` if an adverse lesion no footnote rules on
    is present, else the subtype (adverse-risk gene mutations ignored per ``footnote``)."""
    unsettled = [*against, *(["eln2022.adverse.tp53"] if context.tp53 and footnote != "¶" else [])]
    unsettled = list(dict.fromkeys(unsettled))
    if unsettled:
        return context.conflict(subtype, unsettled)
    context.ignored_genes(footnote)
    if footnote == "¶" and context.tp53:
        context.reasons.append(_part(N_("TP53 not counted as adverse with t(9;11) (footnote ¶)")))
    return context.result(subtype)


def _npm1(context: _Context) -> Classification:
    if context.cytogenetic:
        context.applies(context.cytogenetic)
        return context.result("eln2022.adverse.npm1-adverse-cytogenetics")
    if context.case.mutated("FLT3-ITD"):
        against = context.adverse()
        return _subtype(context, "eln2022.intermediate.npm1-flt3-itd", against, "‡‡")
    return _subtype(context, "eln2022.favorable.npm1", [], "‡‡")
