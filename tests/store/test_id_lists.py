"""A column among a list of ids bound as one parameter (nucmed.store.id_lists), on SQLite and
PostgreSQL: the rows it selects, the empty list, the largest 64-bit id, and one statement
text whatever the length of the list (what makes it cheaper than an expanding ``IN``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.id_lists import IDS, among
from nucmed.store.models import Site
from nucmed.vocabulary import SiteKind

NAMES = ("ID-A", "ID-B", "ID-C", "ID-D")
QUERY = select(Site.code).where(among(Site.id)).order_by(Site.code)


def _sites(factory: SessionFactory) -> dict[str, int]:
    with transaction(factory) as store:
        made = [
            create_site(
                store,
                None,
                SiteSpec(code, code, SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty"),
            )
            for code in NAMES
        ]
        return {site.code: site.id for site in made}


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ((), ()),
        (("ID-B",), ("ID-B",)),
        (("ID-D", "ID-A", "ID-C"), ("ID-A", "ID-C", "ID-D")),
        (("ID-A", "ID-A"), ("ID-A",)),  # an id given twice selects its row once
    ],
)
def test_the_rows_of_the_ids_given_and_no_other(
    factory: SessionFactory, chosen: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    ids = _sites(factory)
    with transaction(factory, read_only=True) as store:
        found = store.session.scalars(QUERY, {IDS: [ids[code] for code in chosen]}).all()
    assert tuple(found) == expected


def test_ids_that_match_nothing_and_the_largest_64_bit_id(factory: SessionFactory) -> None:
    ids = _sites(factory)
    given = [2**63 - 1, ids["ID-C"], 0, -1]
    with transaction(factory, read_only=True) as store:
        assert store.session.scalars(QUERY, {IDS: given}).all() == ["ID-C"]


def test_one_statement_text_whatever_the_length_of_the_list(factory: SessionFactory) -> None:
    ids = _sites(factory)
    engine: Engine = factory.kw["bind"]
    texts: list[str] = []

    def seen(*args: Any) -> None:
        if str(args[2]).startswith("SELECT"):  # not the test's savepoints
            texts.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with transaction(factory, read_only=True) as store:
            for count in (1, 2, 4, 1000):
                chosen = [*ids.values(), *range(10**9, 10**9 + count)][:count]
                store.session.scalars(QUERY, {IDS: chosen}).all()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(set(texts)) == 1
    assert len(texts) == 4
