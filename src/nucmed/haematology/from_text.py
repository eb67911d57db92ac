"""A case as typed (karyotype, mutations and fusions as text) and its classification by either
guideline: what the command line, the page and the API share.

Each field is read by its parser; an error names the field (``karyotype``, ``mutations``,
``fusions``) so that an interface can show it beside that field or name its option.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nucmed.errors import NucmedInputError
from nucmed.haematology import eln2022, eln2024
from nucmed.haematology.eln2024 import Therapy
from nucmed.haematology.genetics import findings, parse_fusion, parse_mutation
from nucmed.haematology.karyotype import parse_karyotype
from nucmed.haematology.rules import Classification

__all__ = ["CaseText", "Guideline", "HaematologyInputError", "Therapy", "classify"]

T = TypeVar("T")


class Guideline(enum.StrEnum):
    """Which classification to apply."""

    ELN2022 = "eln2022"
    ELN2024 = "eln2024"


class HaematologyInputError(NucmedInputError):
    """A field of the case that cannot be read; ``field`` names it (karyotype, mutations,
    fusions)."""

    def __init__(self, field: str, error: NucmedInputError) -> None:
        self.field = field
        super().__init__(str(error), parts=error.parts)


@dataclass(frozen=True, slots=True)
class CaseText:
    """A case as typed: the ISCN karyotype, mutations (``TP53@0.12``) and fusions."""

    karyotype: str
    mutations: Sequence[str] = ()
    fusions: Sequence[str] = ()
    therapy: Therapy = Therapy.UNSPECIFIED
    prior_hma: bool = False


def _read(field: str, parse: Callable[[str], T], text: str) -> T:
    try:
        return parse(text)
    except NucmedInputError as error:
        raise HaematologyInputError(field, error) from None


def classify(guideline: Guideline, case: CaseText) -> Classification:
    """Classify a typed case by ``guideline``.

    Raises
    ------
    HaematologyInputError
        A field cannot be read (its message gives the fault, e.g. the karyotype's position).
    """
    karyotype = _read("karyotype", parse_karyotype, case.karyotype)
    mutations = [_read("mutations", parse_mutation, text) for text in case.mutations if text]
    fusions = [_read("fusions", parse_fusion, text) for text in case.fusions if text]
    try:
        found = findings(karyotype, mutations, fusions)
    except NucmedInputError as error:
        raise HaematologyInputError("mutations", error) from None
    if guideline is Guideline.ELN2024:
        return eln2024.classify(found, case.therapy, prior_hma=case.prior_hma)
    return eln2022.classify(found)
