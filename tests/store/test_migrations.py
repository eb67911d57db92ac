"""The schema: migrations match the models; append-only tables refuse changes (both backends)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from nucmed.store.db import SessionFactory
from nucmed.store.migrate import current_revision, head_revision
from nucmed.store.schema import metadata


def test_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def _insert_audit_row(factory: SessionFactory) -> None:
    with factory.begin() as session:
        session.execute(
            text(
                "INSERT INTO audit_entries (at, action, entity, entity_id, details) "
                "VALUES (CURRENT_TIMESTAMP, 'test.add', 'test', '1', '{}')"
            )
        )


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entries SET reason = 'rewritten'", "DELETE FROM audit_entries"],
    ids=["update", "delete"],
)
def test_audit_trail_is_append_only(factory: SessionFactory, statement: str) -> None:
    _insert_audit_row(factory)
    with pytest.raises(DBAPIError, match="append-only"), factory.begin() as session:
        session.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE site_settings SET value = '1'", "DELETE FROM site_settings"],
    ids=["update", "delete"],
)
def test_site_settings_are_append_only(factory: SessionFactory, statement: str) -> None:
    with factory.begin() as session:
        session.execute(
            text(
                "INSERT INTO sites (code, name, kind, city, country_code, time_zone, created_at) "
                "VALUES ('X', 'X', 'department', 'Almaty', 'KZ', 'Asia/Almaty', CURRENT_TIMESTAMP)"
            )
        )
        session.execute(
            text(
                "INSERT INTO site_settings (site_id, key, value, source, set_at) "
                "SELECT id, 'k', '1', 'test', CURRENT_TIMESTAMP FROM sites WHERE code = 'X'"
            )
        )
    with pytest.raises(DBAPIError, match="append-only"), factory.begin() as session:
        session.execute(text(statement))


def test_foreign_keys_are_enforced(factory: SessionFactory) -> None:
    with pytest.raises(DBAPIError), factory.begin() as session:
        session.execute(
            text("INSERT INTO memberships (user_id, site_id, role) VALUES (999999, NULL, 'admin')")
        )


def test_sqlite_runs_in_wal_mode(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("WAL is a SQLite journal mode")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
