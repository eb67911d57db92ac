"""``nucmed serve``: run the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed.config import load_settings
from nucmed.errors import NucmedInputError

__all__ = ["register"]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web application; on first start, create the administrator and print it."""
    # The web server and the database are loaded only when serving (start-up time of the CLI).
    import uvicorn  # noqa: PLC0415

    from nucmed.services import database  # noqa: PLC0415
    from nucmed.services.auth import ensure_first_admin  # noqa: PLC0415

    installation = database.open_database(load_settings().database_url)
    try:
        if not database.revision(installation).up_to_date:
            raise NucmedInputError("the database is not up to date: run nucmed db upgrade first")
        password = ensure_first_admin(installation.database)
    finally:
        database.close(installation)
    if password is not None:
        typer.echo(f"nucmed: first login: admin / {password}  (shown once: note it, change it)")
    typer.echo(f"nucmed: serving on http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run("nucmed.web.app:create_app", factory=True, host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("serve")(serve)
