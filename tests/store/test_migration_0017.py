"""Revision 0017 (the sites' names in the readers' languages) goes down and up again on SQLite;
a site that existed before it has no other names (``{}``) and keeps its name."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade

SITE = (
    "INSERT INTO sites (code, name, kind, city, country_code, time_zone, created_at) "
    "VALUES ('NM-X', 'Отделение X', 'department', 'Алматы', 'KZ', 'Asia/Almaty', "
    "'2026-12-01 04:00:00')"
)


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0016_dose_maps")
    with engine.begin() as connection:
        connection.execute(text(SITE))
    upgrade(engine, "0017_site_names")
    assert current_revision(engine) == "0017_site_names"
    with engine.connect() as connection:
        name, names = connection.execute(text("SELECT name, names FROM sites")).one()
    assert name == "Отделение X" and json.loads(names) == {}
    downgrade(engine, url, "0016_dose_maps")
    assert "names" not in {column["name"] for column in inspect(engine).get_columns("sites")}
    upgrade(engine, "0017_site_names")
    assert "names" in {column["name"] for column in inspect(engine).get_columns("sites")}
    engine.dispose()
