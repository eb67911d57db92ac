"""Revision 0016 (stored dose maps) goes down and up again on SQLite, with the append-only
triggers of its table; the migrated table matches the model."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.imaging_maps import DoseMap
from nucmed.store.migrate import alembic_config, current_revision, upgrade

TABLE = "dose_maps"
LATER_COLUMNS = {"activity_file", "activity_sha256", "max_activity_bq_per_m3"}  # 0018


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0016_dose_maps")
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015_safety_records")
    assert current_revision(engine) == "0015_safety_records"
    assert TABLE not in inspect(engine).get_table_names()
    upgrade(engine, "0016_dose_maps")
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert columns == set(DoseMap.__table__.columns.keys()) - LATER_COLUMNS
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        triggers = set(connection.execute(query, {"t": TABLE}).scalars())
    assert triggers == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    engine.dispose()
