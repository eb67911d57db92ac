"""``nucmed db ...`` and ``nucmed demo ...``: the database and the demo network.

They go through :mod:`nucmed.services.database`, imported inside the commands (with SQLAlchemy
and Alembic behind it), so that the rest of the command line (``nucmed --help``, the
calculators) starts fast (see ``make bench``).
"""

from __future__ import annotations

import typer

from nucmed.cli.output import JsonOption, emit
from nucmed.config import load_settings

__all__ = ["register"]


def db_upgrade(as_json: JsonOption = False) -> None:
    """Create or migrate the database to this version's schema."""
    from nucmed.services import database  # noqa: PLC0415 - start-up time

    installation = database.open_database(load_settings().database_url)
    try:
        before, after = database.migrate(installation)
    finally:
        database.close(installation)
    rows = [
        ("database", after.url),
        ("from revision", before.current or "(empty)"),
        ("to revision", after.current or ""),
    ]
    emit(
        "Database migrated",
        rows,
        {"database": after.url, "from_revision": before.current, "to_revision": after.current},
        as_json=as_json,
    )


def db_status(as_json: JsonOption = False) -> None:
    """Show the database in use and whether it is up to date."""
    from nucmed.services import database  # noqa: PLC0415 - start-up time

    installation = database.open_database(load_settings().database_url)
    try:
        found = database.revision(installation)
    finally:
        database.close(installation)
    rows = [
        ("database", found.url),
        ("revision", found.current or "(not migrated)"),
        ("newest", found.head),
        ("up to date", "yes" if found.up_to_date else "no: run nucmed db upgrade"),
    ]
    emit(
        "Database",
        rows,
        {
            "database": found.url,
            "revision": found.current,
            "head_revision": found.head,
            "up_to_date": found.up_to_date,
        },
        as_json=as_json,
    )


def demo_load(as_json: JsonOption = False) -> None:
    """Load the demo network (a producer and five departments with users of every role)."""
    from nucmed.services import database, demo  # noqa: PLC0415 - start-up time
    from nucmed.services.auth import ensure_first_admin  # noqa: PLC0415

    installation = database.open_database(load_settings().database_url)
    try:
        database.migrate(installation)
        admin_password = ensure_first_admin(installation.database)
        result = demo.load_demo(installation.database)
    finally:
        database.close(installation)
    rows = [("demo network", "loaded now" if result.created else "already loaded")]
    if admin_password:
        rows.append(("first login", f"admin / {admin_password}  (shown once; change it)"))
    if result.password:
        rows.append(("demo users", f"{len(result.accounts)} accounts, password {result.password}"))
        rows.extend(
            (f"  {a.site_code}", f"{a.username} ({a.role.value})") for a in result.accounts
        )
    emit(
        "Demo network",
        rows,
        {
            "created": result.created,
            "admin_password": admin_password,
            "demo_password": result.password,
            "accounts": [
                {"username": a.username, "role": a.role.value, "site": a.site_code}
                for a in result.accounts
            ],
        },
        as_json=as_json,
    )


def register(app: typer.Typer) -> None:
    """Add the ``db`` and ``demo`` command groups."""
    db = typer.Typer(help="The database: migrate, status.", no_args_is_help=True)
    db.command("upgrade")(db_upgrade)
    db.command("status")(db_status)
    app.add_typer(db, name="db")
    demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
    demo_app.command("load")(demo_load)
    app.add_typer(demo_app, name="demo")
