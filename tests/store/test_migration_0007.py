"""Revision 0007 (patient identity corrections, the route of a dose request) goes down and up
again on SQLite, keeping the append-only triggers of the tables it touches."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from nucmed.store.migrate import alembic_config, current_revision, upgrade


def _downgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def _triggers(engine: Engine, table: str) -> set[str]:
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        return set(connection.execute(query, {"t": table}).scalars())


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    append_only = {"dose_requests_no_update", "dose_requests_no_delete"}
    upgrade(engine, "0007_patient_identity")
    _downgrade(url, "0006_reliability")
    assert current_revision(engine) == "0006_reliability"
    assert "patient_corrections" not in inspect(engine).get_table_names()
    assert "route" not in {c["name"] for c in inspect(engine).get_columns("dose_requests")}
    assert _triggers(engine, "dose_requests") == append_only
    upgrade(engine, "0007_patient_identity")
    assert "route" in {c["name"] for c in inspect(engine).get_columns("dose_requests")}
    assert _triggers(engine, "dose_requests") == append_only
    assert _triggers(engine, "patient_corrections") == {
        "patient_corrections_no_update",
        "patient_corrections_no_delete",
    }
    engine.dispose()
