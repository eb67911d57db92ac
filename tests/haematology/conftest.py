"""Helpers of the haematology tests: a case from the command line's words."""

from __future__ import annotations

from nucmed.haematology.genetics import Findings, findings, parse_fusion, parse_mutation
from nucmed.haematology.karyotype import parse_karyotype


def case(karyotype: str, mutations: str = "", fusions: str = "") -> Findings:
    """Findings from a karyotype and space-separated mutations and fusions."""
    return findings(
        parse_karyotype(karyotype),
        [parse_mutation(m) for m in mutations.split()],
        [parse_fusion(f) for f in fusions.split()],
    )
