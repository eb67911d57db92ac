"""The provenance vocabulary: every shipped table uses it, and ``weakest`` orders it.

Analytic tests only: the expected values follow from the definition of the order
(confirmed > secondary > derived > recalled > unverified, ``nucmed.data.provenance``).
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from nucmed.data import Status, weakest

TRANSLATIONS = frozenset({"site_setting_sources.csv"})
"""Tables that translate another table's text and hold no reference value of their own (the
settings' sources in ru/kk: the values and their status are in site_setting_defaults.csv)."""
TABLES = sorted(
    entry.name
    for entry in resources.files("nucmed.data").iterdir()
    if entry.name.endswith(".csv") and entry.name not in TRANSLATIONS
)


def _table(name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = resources.files("nucmed.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("name", TABLES)
def test_every_table_states_the_status_of_every_row(name: str) -> None:
    columns, rows = _table(name)
    per_quantity = [c for c in columns if c.endswith("_status")]
    assert "status" in columns or per_quantity, f"{name}: no status column"
    assert rows, f"{name}: no rows"
    for number, row in enumerate(rows, start=1):
        assert None not in row, f"{name} row {number}: more fields than columns (quote it)"
        if "status" in columns:
            assert row["status"] in set(Status), f"{name} row {number}: {row['status']!r}"
        # A per-quantity status is empty only where its quantity is absent from the row.
        for column in per_quantity:
            assert row[column] in {*Status, ""}, f"{name} row {number} {column}: {row[column]!r}"


def test_tables_are_found() -> None:
    # Guards the parametrisation above against an empty package listing.
    assert "icrp107_nuclides.csv" in TABLES and len(TABLES) >= 20


class TestWeakest:
    def test_the_order_strongest_first(self) -> None:
        assert list(Status) == ["confirmed", "secondary", "derived", "recalled", "unverified"]
        assert (
            Status.CONFIRMED
            > Status.SECONDARY
            > Status.DERIVED
            > Status.RECALLED
            > Status.UNVERIFIED
        )

    @pytest.mark.parametrize(
        ("statuses", "expected"),
        [
            (("confirmed", "secondary"), Status.SECONDARY),
            (("secondary", "derived"), Status.DERIVED),
            (("derived", "recalled", "confirmed"), Status.RECALLED),
            (("unverified", "confirmed"), Status.UNVERIFIED),
            ((Status.RECALLED,), Status.RECALLED),
        ],
        ids=["pair", "secondary-derived", "three-unsorted", "weakest-first", "single"],
    )
    def test_picks_the_weakest(self, statuses: tuple[str, ...], expected: Status) -> None:
        assert weakest(*statuses) is expected
        assert weakest(*reversed(statuses)) is expected  # the order of the arguments is free

    def test_ties(self) -> None:
        assert weakest("derived", Status.DERIVED, "derived") is Status.DERIVED

    def test_empty_input_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one"):
            weakest()

    def test_unknown_word_is_refused(self) -> None:
        with pytest.raises(ValueError, match="not_listed"):
            weakest("confirmed", "not_listed")

    def test_a_status_is_its_word(self) -> None:
        assert Status("secondary") == "secondary" and f"{Status.DERIVED}" == "derived"
