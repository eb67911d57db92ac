"""Revision 0015 (safety records: declared pregnancies) goes down and up again on SQLite, with
the append-only triggers of its table."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import alembic_config, current_revision, upgrade


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0015_safety_records")
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0014_supply")
    assert current_revision(engine) == "0014_supply"
    assert "safety_pregnancies" not in inspect(engine).get_table_names()
    upgrade(engine, "0015_safety_records")
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        triggers = set(connection.execute(query, {"t": "safety_pregnancies"}).scalars())
    assert triggers == {"safety_pregnancies_no_update", "safety_pregnancies_no_delete"}
    engine.dispose()
