"""Revision 0018 (a dose map's activity map) goes down and up again on SQLite, keeping the
append-only triggers of ``dose_maps``; the migrated table matches the model."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from nucmed.store.imaging_maps import DoseMap
from nucmed.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade, triggers

TABLE = "dose_maps"
ADDED = {"activity_file", "activity_sha256", "max_activity_bq_per_m3"}


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0018_dose_map_activity")
    downgrade(engine, url, "0017_site_names")
    assert current_revision(engine) == "0017_site_names"
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert not columns & ADDED
    assert triggers(url, TABLE) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    upgrade(engine, "0018_dose_map_activity")
    columns = {column["name"] for column in inspect(engine).get_columns(TABLE)}
    assert columns == set(DoseMap.__table__.columns.keys())
    assert triggers(url, TABLE) == {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
    engine.dispose()
