"""``nucmed serve``: run the web application, in one process or several (``--workers``).

Several worker processes (:mod:`nucmed.cli.workers`: each opens its own socket once it is
ready, and the kernel shares the connections out among them) are safe on PostgreSQL and on
SQLite alike: every record and every
session lives in the database, and on SQLite (WAL journal) each write transaction takes the
write lock at its start, so writers of all processes queue for it (up to
``NUCMED_DB_BUSY_TIMEOUT_S``). SQLite still writes one transaction at a time, and its file
must be on a local disk (WAL needs shared memory: never a network file system); PostgreSQL
is the database for a busy department.
"""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed.cli.access_log import log_config
from nucmed.cli.workers import (
    APP,
    EVENT_LOOP,
    HTTP_PARSER,
    KEEP_ALIVE_S,
    Address,
    WorkerStartError,
    address_in_use,
    reuse_port_available,
    serve_one,
    supervise,
)
from nucmed.config import load_settings
from nucmed.errors import N_, refusal

__all__ = ["MAX_WORKERS", "WORKER_SILENCE_S", "register"]

MAX_WORKERS = 64
"""The most server processes ``--workers`` accepts."""
WORKER_SILENCE_S = 60
"""How long a worker process may leave its supervisor's ping unanswered before it is killed
and replaced (uvicorn's ``timeout_worker_healthcheck``). Its default, 5 s, can replace a
worker that is busy but healthy on loaded cores, dropping every request it holds: the ping is
answered by a thread that must wait for the interpreter's lock."""


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Server processes (each with its own database pool); 2 on a 2-core machine.",
        ),
    ] = 1,
) -> None:
    """Serve the web application; on first start, create the administrator and print it.

    The administrator is made once, here, before any worker process starts, so workers
    never race to make it.
    """
    # The web server and the database are loaded only when serving (start-up time of the CLI).
    import uvicorn  # noqa: PLC0415

    from nucmed.services import database  # noqa: PLC0415
    from nucmed.services.auth import ensure_first_admin  # noqa: PLC0415

    own_sockets = workers > 1 and reuse_port_available()
    if own_sockets and address_in_use(Address(host, port)):
        raise refusal(N_("{host}:{port} is in use by another program"), host=host, port=port)
    installation = database.open_database(load_settings().database_url)
    try:
        if not database.revision(installation).up_to_date:
            raise refusal(N_("the database is not up to date: run nucmed db upgrade first"))
        password = ensure_first_admin(installation.database)
    finally:
        database.close(installation)
    if password is not None:
        typer.echo(f"nucmed: first login: admin / {password}  (shown once: note it, change it)")
    processes = f" with {workers} worker processes" if workers > 1 else ""
    typer.echo(f"nucmed: serving on http://{host}:{port}/{processes} (Ctrl+C stops)")
    if own_sockets:
        try:
            supervise(Address(host, port), workers)
        except WorkerStartError:
            raise refusal(N_("a server process could not start: see the messages above")) from None
        return
    if workers == 1:
        serve_one(Address(host, port))
        return
    uvicorn.run(  # no SO_REUSEPORT: uvicorn's supervisor and its workers, as they come
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=WORKER_SILENCE_S,
        timeout_keep_alive=KEEP_ALIVE_S,
        http=HTTP_PARSER,
        loop=EVENT_LOOP,
        log_config=log_config(),
    )


def register(app: typer.Typer) -> None:
    """Add the command to the application."""
    app.command("serve")(serve)
