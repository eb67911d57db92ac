"""Teaching cases of the ELN genetic risk classifications, for the training module.

Each case of ``nucmed/data/eln_teaching_cases.csv`` gives a karyotype, mutations and fusions
as the command line takes them, and the category and rule the published table gives, with the
row or footnote that decides it (``source``) and how that answer was reached (``status``:
``derived``, worked out by hand from the table, never from nucmed's own output).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.data.provenance import Status
from nucmed.haematology.eln2024 import Therapy
from nucmed.haematology.genetics import Findings, findings, parse_fusion, parse_mutation
from nucmed.haematology.karyotype import parse_karyotype
from nucmed.haematology.rules import Category

__all__ = ["TeachingCase", "teaching_cases"]


@dataclass(frozen=True, slots=True)
class TeachingCase:
    """One teaching case and its expected answer."""

    id: str
    guideline: str
    karyotype: str
    mutations: tuple[str, ...]
    fusions: tuple[str, ...]
    therapy: Therapy
    prior_hma: bool
    category: Category
    rule: str
    note: str
    source: str
    status: Status

    def findings(self) -> Findings:
        """The case's findings, parsed as the command line parses them."""
        return findings(
            parse_karyotype(self.karyotype),
            [parse_mutation(text) for text in self.mutations],
            [parse_fusion(text) for text in self.fusions],
        )


@cache
def teaching_cases() -> tuple[TeachingCase, ...]:
    """Every teaching case, in the order of the file."""
    return tuple(
        TeachingCase(
            id=row["id"],
            guideline=row["guideline"],
            karyotype=row["karyotype"],
            mutations=tuple(row["mutations"].split()),
            fusions=tuple(row["fusions"].split()),
            therapy=Therapy(row["therapy"] or Therapy.UNSPECIFIED),
            prior_hma=row["prior_hma"] == "yes",
            category=Category(row["category"]),
            rule=row["rule"],
            note=row["note"],
            source=row["source"],
            status=Status(row["status"]),
        )
        for row in read_rows("eln_teaching_cases.csv")
    )
