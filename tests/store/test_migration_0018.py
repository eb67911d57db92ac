"""Revision 0018 (a dose map's activity map) goes down and up again on SQLite, keeping the
append-only triggers of ``dose_maps``; the migrated table matches the model."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.imaging_maps import DoseMap
from nucmed.store.migrate import alembic_config, current_revision, upgrade

TABLE = "dose_maps"
ADDED = {"activity_file", "activity_sha256", "max_activity_bq_per_m3"}


def _triggers(engine_url: str) -> set[str]:
    engine = create_engine(engine_url)
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        found = set(connection.execute(query, {"t": TABLE}).scalars())
    engine.dispose()
    return found


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0018_dose_map_activity")
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0017_site_names")
    assert current_revision(engine) == "0017_site_names"
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert not columns & ADDED
    assert _triggers(url) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    upgrade(engine, "0018_dose_map_activity")
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert columns == set(DoseMap.__table__.columns.keys())
    assert _triggers(url) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    engine.dispose()
