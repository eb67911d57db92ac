"""Revision 0019 (recorded releases with their leaflets) goes down and up again on SQLite;
the table is append-only and matches the model."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from nucmed.store.migrate import current_revision, upgrade
from nucmed.store.therapy import ReleaseRecord
from tests.store.migration_steps import downgrade, triggers

TABLE = "release_records"


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0019_release_records")
    assert triggers(url, TABLE) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    downgrade(engine, url, "0018_dose_map_activity")
    assert current_revision(engine) == "0018_dose_map_activity"
    assert TABLE not in inspect(engine).get_table_names()
    upgrade(engine, "0019_release_records")
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert columns == set(ReleaseRecord.__table__.columns.keys())
    assert triggers(url, TABLE) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    engine.dispose()
