"""``nucmed backup PATH`` and ``nucmed restore PATH``: a consistent copy of the database and of
the stored dose-map files while it runs, in one archive, and putting one back (with the server
stopped).

They go through :mod:`nucmed.services.backup`, imported inside the commands (start-up time of
the command line); the PostgreSQL client programs are looked up on ``PATH`` here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nucmed.cli.output import JsonOption, emit
from nucmed.config import load_settings

if TYPE_CHECKING:
    from nucmed.services.backup import BackupView, Tools

__all__ = ["register"]


def _tools() -> Tools:
    from nucmed.services.backup import Tools  # noqa: PLC0415 - start-up time

    return Tools(pg_dump=shutil.which("pg_dump"), pg_restore=shutil.which("pg_restore"))


def _show(title: str, view: BackupView, *, as_json: bool) -> None:
    rows = [
        ("file", str(view.path)),
        ("database", f"{view.database} ({view.kind})"),
        ("size", f"{view.size_bytes} bytes"),
        ("files", f"{view.files} (dose maps)"),
        ("revision", view.revision),
        ("up to date", "yes" if view.up_to_date else "no: run nucmed db upgrade"),
    ]
    data = {
        "path": str(view.path),
        "kind": view.kind,
        "database": view.database,
        "size_bytes": view.size_bytes,
        "files": view.files,
        "revision": view.revision,
        "head_revision": view.head,
        "up_to_date": view.up_to_date,
    }
    emit(title, rows, data, as_json=as_json)


def backup(
    path: Annotated[Path, typer.Argument(help="The backup archive to write (must not exist).")],
    as_json: JsonOption = False,
) -> None:
    """Write the database (SQLite backup API; pg_dump -Fc) and the stored dose maps while the
    server runs, as one archive."""
    from nucmed.services import backup as service  # noqa: PLC0415 - start-up time

    settings = load_settings()
    view = service.backup(settings.database_url, path, _tools(), settings.data_dir)
    _show("Backup written", view, as_json=as_json)


def restore(
    path: Annotated[Path, typer.Argument(help="A file written by nucmed backup.")],
    as_json: JsonOption = False,
) -> None:
    """Replace the database with a backup and put its dose maps back; stop the server first
    (see the admin guide)."""
    from nucmed.services import backup as service  # noqa: PLC0415 - start-up time

    settings = load_settings()
    view = service.restore(settings.database_url, path, _tools(), settings.data_dir)
    _show("Database restored", view, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``backup`` and ``restore`` commands."""
    app.command("backup")(backup)
    app.command("restore")(restore)
