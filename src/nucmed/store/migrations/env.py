"""Alembic environment: uses the connection handed over by nucmed.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nucmed.store.schema import metadata

config = context.config
target_metadata = metadata


def run() -> None:
    """Run the migrations on the given connection, or on a new one from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as new_connection:
        context.configure(
            connection=new_connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()


run()
