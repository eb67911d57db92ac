"""Revision 0019 (recorded releases with their leaflets) goes down and up again on SQLite;
the table is append-only and matches the model."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import alembic_config, current_revision, upgrade
from nucmed.store.therapy import ReleaseRecord

TABLE = "release_records"


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
    upgrade(engine, "0019_release_records")
    assert _triggers(url) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0018_dose_map_activity")
    assert current_revision(engine) == "0018_dose_map_activity"
    assert TABLE not in inspect(engine).get_table_names()
    upgrade(engine, "0019_release_records")
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert columns == set(ReleaseRecord.__table__.columns.keys())
    assert _triggers(url) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    engine.dispose()
