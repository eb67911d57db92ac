"""What pages and command tables show of a data row's source is its citation: no repository,
file or commit nucmed read the numbers from (issue #12, Deliver 3; ``nucmed.data.citations``)."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

from nucmed.data.citations import citation

REPOSITORY_TRACE = re.compile(
    r"\b[\w.-]+/[\w./-]+\.(?:csv|py|Rmd|yml|yaml|json|cpp|txt)\b"
    r"|\(commit [0-9a-f]+\)|\btranscribed in\b|\bas shipped in\b",
    re.IGNORECASE,
)


def _sources() -> list[tuple[str, str]]:
    found = []
    for path in sorted(resources.files("nucmed.data").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".csv"):
            continue
        lines = [
            line for line in path.read_text("utf-8").splitlines(True) if not line.startswith("#")
        ]
        for row in csv.DictReader(io.StringIO("".join(lines))):
            if row.get("source"):
                found.append((path.name, row["source"]))
    return found


SOURCES = _sources()


def test_the_data_files_do_name_where_their_numbers_were_read() -> None:
    traced = [source for _, source in SOURCES if REPOSITORY_TRACE.search(source)]
    assert len(traced) >= 10  # the check below has something to take away


@pytest.mark.parametrize(("name", "source"), SOURCES, ids=lambda value: str(value)[:40])
def test_a_citation_keeps_no_trace_of_a_repository(name: str, source: str) -> None:
    shown = citation(source)
    assert shown, name
    assert not REPOSITORY_TRACE.search(shown), (name, shown)
    assert shown.count("(") <= shown.count(")"), (name, shown)  # none left open ("item a)")
