"""Revision 0008 (receipt survey, quarantine) goes down and up again on SQLite, keeping the
append-only triggers of the tables it touches."""

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


def _append_only(table: str) -> set[str]:
    return {f"{table}_no_update", f"{table}_no_delete"}


def _triggers(engine: Engine, table: str) -> set[str]:
    """The triggers on ``table`` (those of protect_append_only fire per row, so an empty
    table cannot show them refusing)."""
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        return set(connection.execute(query, {"t": table}).scalars())


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0008_receipt_survey")
    _downgrade(url, "0007_patient_identity")
    assert current_revision(engine) == "0007_patient_identity"
    columns = {c["name"] for c in inspect(engine).get_columns("receipt_surveys")}
    assert "label_category" not in columns
    assert "quarantine_records" not in inspect(engine).get_table_names()
    assert _triggers(engine, "receipt_surveys") == _append_only("receipt_surveys")
    upgrade(engine, "0008_receipt_survey")
    columns = {c["name"] for c in inspect(engine).get_columns("receipt_surveys")}
    assert {"label_category", "transport_index", "exclusive_use"} <= columns
    assert _triggers(engine, "receipt_surveys") == _append_only("receipt_surveys")
    assert _triggers(engine, "quarantine_records") == _append_only("quarantine_records")
    engine.dispose()
