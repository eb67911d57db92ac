"""Revision 0020 (the hot lab's indexes) goes down and up again on SQLite; the board's count
of a site's requests of a day uses its index."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from nucmed.store.migrate import current_revision, upgrade
from tests.store.migration_steps import downgrade

ADDED = {
    "dose_requests": "ix_dose_requests_site_planned",
    "draws": "ix_draws_material",
    "materials": "ix_materials_parent",
}


def _indexes(url: str) -> dict[str, set[str]]:
    engine = create_engine(url)
    found = {table: {i["name"] for i in inspect(engine).get_indexes(table)} for table in ADDED}
    engine.dispose()
    return found


def test_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite'}"
    engine = create_engine(url)
    upgrade(engine, "0020_hotlab_indexes")
    downgrade(engine, url, "0019_release_records")
    assert current_revision(engine) == "0019_release_records"
    assert all(ADDED[table] not in names for table, names in _indexes(url).items())
    upgrade(engine, "0020_hotlab_indexes")
    assert all(ADDED[table] in names for table, names in _indexes(url).items())
    plan = text(
        "EXPLAIN QUERY PLAN SELECT count(id) FROM dose_requests "
        "WHERE site_id = 1 AND planned_at >= '2026-12-02' AND planned_at < '2026-12-03'"
    )
    with engine.connect() as connection:
        steps = " ".join(str(row[-1]) for row in connection.execute(plan))
    assert "ix_dose_requests_site_planned" in steps
    engine.dispose()
