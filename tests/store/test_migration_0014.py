"""Revision 0014 (supply) goes down and up again on SQLite, with the append-only triggers of its
tables."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import alembic_config, current_revision, upgrade

TABLES = (
    "supply_products",
    "supply_departures",
    "supply_standing_orders",
    "supply_orders",
    "supply_shipments",
    "supply_shipment_events",
)


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0014_supply")
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013_site_address")
    assert current_revision(engine) == "0013_site_address"
    assert not set(TABLES) & set(inspect(engine).get_table_names())
    upgrade(engine, "0014_supply")
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        for table in TABLES:
            triggers = set(connection.execute(query, {"t": table}).scalars())
            assert triggers == {f"{table}_no_update", f"{table}_no_delete"}
    engine.dispose()
