"""The genetic findings of one AML: karyotype lesions, fusions and mutations, as the rules name
them.

Mutations are written ``GENE`` or ``GENE@VAF`` with the variant allele fraction as a fraction
(``TP53@0.12``); the special forms are ``FLT3-ITD``, ``FLT3-TKD``, ``CEBPA-bZIP`` (an in-frame
mutation of the bZIP region) and ``KMT2A-PTD``. Fusions are written ``GENE::GENE``
(``RUNX1::RUNX1T1``; HGNC style, a single ``-`` is read too). A karyotype lesion is recognised
from its breakpoints at the band named in ELN 2022 Table 6 (Döhner et al., Blood
2022;140:1345), matched at any finer sub-band (``q22`` matches ``q22.1``), with the older band
names of the same lesions (9p22 for 9p21.3 in t(9;11), 6p23 or 6p22 in t(6;9), 15q22 in
t(15;17)).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nucmed.errors import N_, NucmedInputError
from nucmed.haematology.karyotype import Abnormality, Karyotype

__all__ = [
    "Findings",
    "GeneticsInputError",
    "Lesion",
    "Mutation",
    "findings",
    "parse_fusion",
    "parse_mutation",
]

_GENE = re.compile(r"[A-Z][A-Z0-9]{1,9}(?:-(?:ITD|TKD|BZIP|PTD))?")
_SPECIAL = {"FLT3-ITD", "FLT3-TKD", "CEBPA-BZIP", "KMT2A-PTD"}
MAX_FINDINGS = 40
"""The most mutations or fusions read for one case (a large panel reports about 30 genes)."""


class GeneticsInputError(NucmedInputError):
    """A mutation or fusion that cannot be read."""


class Lesion(enum.StrEnum):
    """A lesion the rules name, from the karyotype or a fusion."""

    PML_RARA = "PML::RARA"
    RUNX1_RUNX1T1 = "RUNX1::RUNX1T1"
    CBFB_MYH11 = "CBFB::MYH11"
    MLLT3_KMT2A = "MLLT3::KMT2A"
    DEK_NUP214 = "DEK::NUP214"
    KMT2A_R = "KMT2A-rearranged"
    BCR_ABL1 = "BCR::ABL1"
    KAT6A_CREBBP = "KAT6A::CREBBP"
    GATA2_MECOM = "GATA2, MECOM(EVI1)"
    MECOM_R = "MECOM(EVI1)-rearranged"
    MINUS5_DEL5Q = "-5 or del(5q)"
    MINUS7 = "-7"
    ABN17P = "-17/abn(17p)"


@dataclass(frozen=True, slots=True)
class Mutation:
    """A mutated gene (``FLT3-ITD`` and the other special forms named as such) and its variant
    allele fraction (0..1) if given."""

    gene: str
    vaf: float | None = None

    def __str__(self) -> str:
        return self.gene if self.vaf is None else f"{self.gene}@{self.vaf:g}"


def parse_mutation(text: str) -> Mutation:
    """Read ``GENE`` or ``GENE@VAF`` (VAF a fraction above 0 and at most 1).

    Raises
    ------
    GeneticsInputError
        Not a gene symbol, the ambiguous ``FLT3``, or a VAF that is not a fraction.

    Examples
    --------
    >>> parse_mutation("tp53@0.12"), parse_mutation("CEBPA-bZIP")
    (Mutation(gene='TP53', vaf=0.12), Mutation(gene='CEBPA-BZIP', vaf=None))
    """
    name, at, vaf_text = text.strip().partition("@")
    gene = name.strip().upper()
    if not _GENE.fullmatch(gene) or ("-" in gene and gene not in _SPECIAL):
        raise GeneticsInputError(
            parts=(
                (
                    N_(
                        "'{text}' is not a mutation: write a gene symbol, optionally with its "
                        "VAF as a fraction (TP53@0.12); special forms FLT3-ITD, FLT3-TKD, "
                        "CEBPA-bZIP, KMT2A-PTD"
                    ),
                    {"text": text},
                ),
            )
        )
    if gene == "FLT3":
        raise GeneticsInputError(parts=((N_("write FLT3-ITD or FLT3-TKD, not FLT3 alone"), {}),))
    return Mutation(gene, _vaf(text, vaf_text) if at else None)


def _vaf(text: str, vaf_text: str) -> float:
    try:
        vaf = float(vaf_text.strip().replace(",", "."))
    except ValueError:
        vaf = -1.0
    if not 0.0 < vaf <= 1.0:
        raise GeneticsInputError(
            parts=(
                (
                    N_("'{text}': the VAF is a fraction above 0 and at most 1, e.g. TP53@0.12"),
                    {"text": text},
                ),
            )
        )
    return vaf


def parse_fusion(text: str) -> str:
    """Read a fusion such as ``RUNX1::RUNX1T1`` (``RUNX1-RUNX1T1`` is read too).

    Examples
    --------
    >>> parse_fusion("pml-rara")
    'PML::RARA'
    """
    genes = re.split(r"::|-|/", text.strip().upper())
    if len(genes) != len(("5'", "3'")) or not all(
        re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", gene) for gene in genes
    ):
        raise GeneticsInputError(
            parts=(
                (
                    N_("'{text}' is not a fusion: write two genes, e.g. RUNX1::RUNX1T1"),
                    {"text": text},
                ),
            )
        )
    return "::".join(genes)


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything known about one case: karyotype, lesions (from karyotype and fusions),
    mutations and fusions as given."""

    karyotype: Karyotype
    lesions: frozenset[Lesion]
    mutations: tuple[Mutation, ...]
    fusions: tuple[str, ...]

    def mutated(self, gene: str) -> bool:
        """Whether ``gene`` (or a special form such as ``FLT3-ITD``) is mutated."""
        return any(m.gene == gene for m in self.mutations)

    def mutation(self, gene: str) -> Mutation | None:
        """The mutation of ``gene`` with the highest VAF (one without a VAF first)."""
        found = [m for m in self.mutations if m.gene == gene]
        found.sort(key=lambda m: -1.0 if m.vaf is None else -m.vaf)
        return found[0] if found else None


def findings(
    karyotype: Karyotype, mutations: Iterable[Mutation] = (), fusions: Iterable[str] = ()
) -> Findings:
    """Collect the lesions of the karyotype and the fusions with the mutations.

    Raises
    ------
    GeneticsInputError
        More than :data:`MAX_FINDINGS` mutations or fusions.
    """
    mutation_list = tuple(mutations)
    fusion_list = tuple(fusions)
    if len(mutation_list) > MAX_FINDINGS or len(fusion_list) > MAX_FINDINGS:
        raise GeneticsInputError(
            parts=((N_("give at most {most} mutations and fusions each"), {"most": MAX_FINDINGS}),)
        )
    lesions = {lesion for item in karyotype.abnormalities for lesion in _lesions(item)}
    lesions.update(lesion for fusion in fusion_list for lesion in _fusion_lesions(fusion))
    if Lesion.MLLT3_KMT2A in lesions:
        lesions.discard(Lesion.KMT2A_R)
    if Lesion.GATA2_MECOM in lesions:
        lesions.discard(Lesion.MECOM_R)
    return Findings(karyotype, frozenset(lesions), mutation_list, fusion_list)


_PAIRS: tuple[tuple[Lesion, tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]], ...] = (
    (Lesion.PML_RARA, ("15", ("q24", "q22")), ("17", ("q21", "q12", "q11"))),
    (Lesion.RUNX1_RUNX1T1, ("8", ("q22",)), ("21", ("q22",))),
    (Lesion.CBFB_MYH11, ("16", ("p13",)), ("16", ("q22",))),
    (Lesion.MLLT3_KMT2A, ("9", ("p21", "p22")), ("11", ("q23",))),
    (Lesion.DEK_NUP214, ("6", ("p23", "p22")), ("9", ("q34",))),
    (Lesion.BCR_ABL1, ("9", ("q34",)), ("22", ("q11",))),
    (Lesion.KAT6A_CREBBP, ("8", ("p11",)), ("16", ("p13",))),
    (Lesion.GATA2_MECOM, ("3", ("q21",)), ("3", ("q26",))),
)
"""The recurrent rearrangements of Table 6 by their two breakpoints (ELN's bands, then older
names of the same lesion)."""

_REARRANGING = {"t", "inv", "ins", "der", "dic"}


def _at(breaks: tuple[tuple[str, str], ...], chromosome: str, bands: tuple[str, ...]) -> bool:
    return any(c == chromosome and b.startswith(bands) for c, b in breaks)


def _lesions(item: Abnormality) -> set[Lesion]:
    found: set[Lesion] = set()
    if item.kind == "-":
        found |= {Lesion.MINUS5_DEL5Q} if item.chromosomes == ("5",) else set()
        found |= {Lesion.MINUS7} if item.chromosomes == ("7",) else set()
        found |= {Lesion.ABN17P} if item.chromosomes == ("17",) else set()
        return found
    if item.kind == "del" and _at(item.breaks, "5", ("q",)):
        found.add(Lesion.MINUS5_DEL5Q)
    if item.structural and (
        _at(item.breaks, "17", ("p",)) or (item.kind == "i" and item.breaks == (("17", "q10"),))
    ):
        found.add(Lesion.ABN17P)
    if item.kind in _REARRANGING or item.parts:
        found |= _rearrangements(item)
    return found


def _rearrangements(item: Abnormality) -> set[Lesion]:
    found = {
        lesion
        for lesion, (first, first_bands), (second, second_bands) in _PAIRS
        if _two_breaks(item.breaks, first, first_bands, second, second_bands)
    }
    if _at(item.breaks, "11", ("q23",)) and Lesion.MLLT3_KMT2A not in found:
        found.add(Lesion.KMT2A_R)
    if _at(item.breaks, "3", ("q26",)) and Lesion.GATA2_MECOM not in found:
        found.add(Lesion.MECOM_R)
    return found


def _two_breaks(
    breaks: tuple[tuple[str, str], ...],
    first: str,
    first_bands: tuple[str, ...],
    second: str,
    second_bands: tuple[str, ...],
) -> bool:
    remaining = list(breaks)
    for chromosome, band in remaining:
        if chromosome == first and band.startswith(first_bands):
            remaining.remove((chromosome, band))
            return _at(tuple(remaining), second, second_bands)
    return False


_FUSIONS = {
    frozenset({"PML", "RARA"}): Lesion.PML_RARA,
    frozenset({"RUNX1", "RUNX1T1"}): Lesion.RUNX1_RUNX1T1,
    frozenset({"CBFB", "MYH11"}): Lesion.CBFB_MYH11,
    frozenset({"MLLT3", "KMT2A"}): Lesion.MLLT3_KMT2A,
    frozenset({"DEK", "NUP214"}): Lesion.DEK_NUP214,
    frozenset({"BCR", "ABL1"}): Lesion.BCR_ABL1,
    frozenset({"KAT6A", "CREBBP"}): Lesion.KAT6A_CREBBP,
    frozenset({"GATA2", "MECOM"}): Lesion.GATA2_MECOM,
}


def _fusion_lesions(fusion: str) -> set[Lesion]:
    genes = frozenset(fusion.split("::"))
    known = _FUSIONS.get(genes)
    if known is not None:
        return {known}
    found = set()
    if "KMT2A" in genes:
        found.add(Lesion.KMT2A_R)
    if "MECOM" in genes:
        found.add(Lesion.MECOM_R)
    return found
