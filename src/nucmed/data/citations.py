"""A reference as a page shows it: the citation, without how nucmed's copy was obtained.

A data row's source says both what is cited (author, journal, year, table) and where nucmed
read it (a repository and its commit, nucmed's reference notes). Pages and command tables show
only the first; the second stays in the data files and in ``docs/data-sources.md`` (issue #12,
Deliver 3).
"""

from __future__ import annotations

import re

__all__ = ["citation"]

_PROVENANCE = (
    re.compile(r",?\s*\bas (?:transcribed|shipped|read) in\b[^;]*"),
    re.compile(r"[,;]?\s*\btranscribed in\b[^;]*"),
    re.compile(r",?\s*\bvia \S+ \(as above\)"),
    re.compile(r",?\s*\bvia [\w.-]+/[\w.-]+(?: [\w./-]+\.\w+)?"),
    re.compile(r",?\s*\bquoted in https?://\S+"),
    re.compile(r"\s*\(sources/[^)]*\)"),
    re.compile(r";\s*not read in\b[^;]*"),
    re.compile(r";\s*scaled from\b[^;]*$"),
    re.compile(r"\s*\(commit [0-9a-f]{7,40}\)"),
)
"""Clauses that say how nucmed's copy was made, not what is cited."""


def citation(source: str) -> str:
    """``source`` without the clauses that say where nucmed read it.

    Examples
    --------
    >>> citation("Golzaryan et al. 2025, Table S4 (sphere S-values), as transcribed in "
    ...          "nlmixr2/nlmixr2lib x.Rmd")
    'Golzaryan et al. 2025, Table S4 (sphere S-values)'
    >>> citation("NUREG-1556 Vol. 9 Appendix U, Table U.1, row Cu-64; as transcribed in the "
    ...          "nucmed reference notes (dosimetry.md section 4.1)")
    'NUREG-1556 Vol. 9 Appendix U, Table U.1, row Cu-64'
    """
    shown = source
    for clause in _PROVENANCE:
        shown = clause.sub("", shown)
    return _balanced(shown.strip().rstrip(";,").strip())


def _balanced(text: str) -> str:
    """``text`` without an opening parenthesis left unclosed by a removed clause (and what
    follows it)."""
    while text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].rstrip(" ,;")
    return text
