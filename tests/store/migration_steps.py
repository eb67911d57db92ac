"""What the tests of one migration do on a SQLite file: go down to a revision, and list the
triggers of a table (the append-only guards)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, create_engine, text

from nucmed.store.migrate import alembic_config


def downgrade(engine: Engine, url: str, revision: str) -> None:
    """Take the database at ``url`` (opened as ``engine``) down to ``revision``."""
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def triggers(url: str, table: str) -> set[str]:
    """The names of the SQLite triggers on ``table``."""
    engine = create_engine(url)
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
    with engine.connect() as connection:
        found = set(connection.execute(query, {"t": table}).scalars())
    engine.dispose()
    return found
