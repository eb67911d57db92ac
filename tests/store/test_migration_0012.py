"""Revision 0012 (radiation safety) goes down and up again on SQLite, with the append-only
triggers of its tables."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import alembic_config, current_revision, upgrade

TABLES = (
    "safety_workers",
    "safety_dosimeters",
    "safety_dose_readings",
    "safety_investigation_levels",
    "safety_dose_alerts",
    "safety_dose_alert_reviews",
    "safety_areas",
    "safety_area_surveys",
    "safety_decontaminations",
    "safety_sealed_sources",
    "safety_leak_tests",
)


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0012_radiation_safety")
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011_imaging")
    assert current_revision(engine) == "0011_imaging"
    assert not set(TABLES) & set(inspect(engine).get_table_names())
    upgrade(engine, "0012_radiation_safety")
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        for table in TABLES:
            triggers = set(connection.execute(query, {"t": table}).scalars())
            assert triggers == {f"{table}_no_update", f"{table}_no_delete"}
    engine.dispose()
