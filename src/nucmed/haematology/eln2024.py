"""ELN 2024 genetic risk of AML for less-intensive therapy (Döhner et al., Blood 2024, "Genetic
risk classification for adults with AML receiving less-intensive therapies: the 2024 ELN
recommendations", Table 1 and its notes).

Applicability (stated in every answer's reasons): adults with AML treated with less-intensive
therapy (a hypomethylating agent or low-dose cytarabine with venetoclax, or azacitidine with
ivosidenib); not after prior treatment with a hypomethylating agent (table note), where the
answer is ``not-applicable``. APL is outside it as well.

Rows, in order: mutated TP53 is adverse (the table sets no VAF threshold); mutated NPM1 or
IDH2 without FLT3-ITD, NRAS or KRAS mutations is favorable; mutated IDH1 is favorable with
azacitidine and ivosidenib irrespective of those signalling mutations (footnote *); mutated
DDX41 is favorable (footnote †: a VAF near 50 % suggests a germline variant); any other
abnormality is favorable without, and intermediate with, FLT3-ITD, NRAS or KRAS mutations
(footnote ‡: tentative). The karyotype does not enter the table.
"""

from __future__ import annotations

import enum

from nucmed.errors import N_, MessagePart
from nucmed.haematology.genetics import Findings, Lesion
from nucmed.haematology.rules import Classification, rule

__all__ = ["GUIDELINE", "SIGNALLING", "Therapy", "classify"]

GUIDELINE = "ELN 2024 less-intensive"
SIGNALLING = ("FLT3-ITD", "NRAS", "KRAS")
"""The activating signalling mutations that Table 1 names."""
_GERMLINE_VAF = (0.4, 0.6)
"""A DDX41 VAF in this range is "near-heterozygous" (footnote †; our reading of 'near')."""


class Therapy(enum.StrEnum):
    """The less-intensive therapy, where it changes the category (footnote * of Table 1)."""

    UNSPECIFIED = "unspecified"
    VENETOCLAX = "venetoclax"
    """A hypomethylating agent or low-dose cytarabine with venetoclax."""
    AZA_IVO = "aza-ivo"
    """Azacitidine with ivosidenib."""


_APPLIES: MessagePart = (
    N_("ELN 2024 applies to adults with AML on less-intensive therapy (HMA or low-dose "
       "cytarabine with venetoclax, or azacitidine with ivosidenib), not after prior HMA"),
    {},
)  # fmt: skip


def _part(template: str, **values: object) -> MessagePart:
    return (template, values)


def classify(
    case: Findings, therapy: Therapy = Therapy.UNSPECIFIED, *, prior_hma: bool = False
) -> Classification:
    """The ELN 2024 genetic risk for less-intensive therapy.

    Parameters
    ----------
    case
        Karyotype, fusions and mutations.
    therapy
        The planned therapy; only azacitidine with ivosidenib changes a category (IDH1).
    prior_hma
        Whether the patient was treated with a hypomethylating agent before.

    Returns
    -------
    Classification
        ``favorable``, ``intermediate`` or ``adverse`` (``not-applicable`` after an HMA or for
        APL), the deciding row and the reasons, first the applicability conditions.

    References
    ----------
    Döhner H, et al. Blood 2024 (2024 ELN less-intensive recommendations), Table 1.

    Examples
    --------
    >>> from nucmed.haematology.genetics import findings, parse_mutation
    >>> from nucmed.haematology.karyotype import parse_karyotype
    >>> case = findings(parse_karyotype("46,XY[20]"), [parse_mutation("NPM1"),
    ...                                               parse_mutation("NRAS")])
    >>> classify(case).rule.id
    'eln2024.intermediate.other'
    """
    reasons: list[MessagePart] = [_APPLIES]
    rule_id = _decide(case, therapy, reasons, prior_hma=prior_hma)
    decided = rule(rule_id)
    return Classification(
        guideline=GUIDELINE, category=decided.category, rule=decided, reasons=tuple(reasons)
    )


def _decide(
    case: Findings, therapy: Therapy, reasons: list[MessagePart], *, prior_hma: bool
) -> str:
    if Lesion.PML_RARA in case.lesions:
        return "eln2024.not-applicable.apl"
    if prior_hma:
        return "eln2024.not-applicable.prior-hma"
    if case.mutated("TP53"):
        return "eln2024.adverse.tp53"
    signalling = [gene for gene in SIGNALLING if case.mutated(gene)]
    if signalling:
        reasons.append(_part(N_("signalling mutations: {genes}"), genes=", ".join(signalling)))
    _ddx41_note(case, reasons)
    if case.mutated("IDH1") and therapy is Therapy.AZA_IVO:
        return "eln2024.favorable.idh1-aza-ivo"
    if case.mutated("IDH1") and signalling and therapy is Therapy.UNSPECIFIED:
        reasons.append(_part(N_("IDH1 would be favorable with azacitidine and ivosidenib")))
    return _favorable_rows(case, bool(signalling))


def _favorable_rows(case: Findings, signalling: bool) -> str:
    """Rows 1, 2, 4 and 5 of the favorable category, else the intermediate row."""
    if not signalling:
        for gene in ("NPM1", "IDH2"):
            if case.mutated(gene):
                return f"eln2024.favorable.{gene.lower()}"
    if case.mutated("DDX41"):
        return "eln2024.favorable.ddx41"
    return "eln2024.intermediate.other" if signalling else "eln2024.favorable.other"


def _ddx41_note(case: Findings, reasons: list[MessagePart]) -> None:
    ddx41 = case.mutation("DDX41")
    if ddx41 is not None and ddx41.vaf is not None:
        low, high = _GERMLINE_VAF
        if low <= ddx41.vaf <= high:
            reasons.append(
                _part(N_("DDX41 VAF {vaf}: consider a germline DDX41 variant (footnote †)"),
                      vaf=f"{ddx41.vaf:.0%}")
            )  # fmt: skip
