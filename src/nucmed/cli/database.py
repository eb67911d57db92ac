"""``nucmed db ...`` and ``nucmed demo ...``: the database and the demo network.

SQLAlchemy and Alembic are imported inside the commands that use them, so that the rest of
the command line (``nucmed --help``, the calculators) starts fast (see ``make bench``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed.cli.output import emit
from nucmed.config import load_settings

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def db_upgrade(as_json: JsonOption = False) -> None:
    """Create or migrate the database to this version's schema."""
    from nucmed.store.db import make_engine  # noqa: PLC0415 - start-up time
    from nucmed.store.migrate import current_revision, upgrade  # noqa: PLC0415

    settings = load_settings()
    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    rows = [
        ("database", url),
        ("from revision", before or "(empty)"),
        ("to revision", after or ""),
    ]
    emit(
        "Database migrated",
        rows,
        {"database": url, "from_revision": before, "to_revision": after},
        as_json=as_json,
    )


def db_status(as_json: JsonOption = False) -> None:
    """Show the database in use and whether it is up to date."""
    from nucmed.store.db import make_engine  # noqa: PLC0415 - start-up time
    from nucmed.store.migrate import current_revision, head_revision  # noqa: PLC0415

    settings = load_settings()
    engine = make_engine(settings.database_url)
    current = current_revision(engine)
    head = head_revision()
    url = engine.url.render_as_string(hide_password=True)
    rows = [
        ("database", url),
        ("revision", current or "(not migrated)"),
        ("newest", head),
        ("up to date", "yes" if current == head else "no: run nucmed db upgrade"),
    ]
    emit(
        "Database",
        rows,
        {
            "database": url,
            "revision": current,
            "head_revision": head,
            "up_to_date": current == head,
        },
        as_json=as_json,
    )


def demo_load(as_json: JsonOption = False) -> None:
    """Load the demo network (a producer and five departments with users of every role)."""
    from nucmed.services import demo  # noqa: PLC0415 - start-up time
    from nucmed.services.auth import ensure_first_admin  # noqa: PLC0415
    from nucmed.store.db import make_engine, make_session_factory  # noqa: PLC0415
    from nucmed.store.migrate import upgrade  # noqa: PLC0415

    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    admin_password = ensure_first_admin(factory)
    result = demo.load_demo(factory)
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
