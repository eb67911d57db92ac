"""Reference tables shipped with nucmed (CSV), each row with its source; see README.md here."""

from __future__ import annotations

import csv
from importlib import resources

from nucmed.data.provenance import Status, weakest

__all__ = ["Status", "read_rows", "weakest"]


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of the CSV file ``name`` shipped in ``nucmed.data``; ``#`` lines are comments.

    Parameters
    ----------
    name
        File name inside this package, e.g. ``"clearance_levels.csv"``.

    Returns
    -------
    list of dict
        One mapping per data row, keyed by the header line (the first line not a comment).
    """
    text = resources.files("nucmed.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
