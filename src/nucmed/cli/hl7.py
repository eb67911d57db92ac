"""``nucmed hl7 listen``: the site's HL7 v2 node over MLLP.

It runs in the foreground (a systemd service, see docs/admin-guide.md) until it is stopped
(SIGTERM or Ctrl-C), as the site's HL7 device account: ADT^A01, A04, A08 and ORM^O01 are
applied as the file import applies them and answered AA, AE or AR. ``--sex-code`` gives the
site's local PID-8 codes, e.g. ``--sex-code 1=M --sex-code 2=F --sex-code 9=U``. The services
are imported inside the command, so that the rest of the command line starts fast.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer

from nucmed.config import load_settings
from nucmed.errors import NucmedInputError

__all__ = ["register"]


def listen(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 2575,
    site: Annotated[
        str | None,
        typer.Option("--site", help="Site code (default: the installation's first department)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (all: 0.0.0.0).")] = "0.0.0.0",
    sex_code: Annotated[
        list[str] | None,
        typer.Option("--sex-code", help="A local PID-8 code, CODE=SEX (M, F, O, U); repeat."),
    ] = None,
) -> None:
    """Run the site's HL7 v2 node (MLLP) until stopped."""
    from nucmed.listeners.hl7 import Hl7Node, start  # noqa: PLC0415 - start-up time
    from nucmed.services import database  # noqa: PLC0415
    from nucmed.services.network import open_device, sex_code_map  # noqa: PLC0415
    from nucmed.services.permissions import NotFoundError  # noqa: PLC0415

    codes = sex_code_map(sex_code or [])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    installation = database.open_database(load_settings().database_url)
    stop = threading.Event()
    try:
        try:
            device = open_device(installation.database, "hl7", site)
        except NotFoundError as missing:
            raise NucmedInputError(parts=missing.parts) from None
        server = start(Hl7Node(installation.database, device, codes), host, port)
        for sign in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sign, lambda *_: stop.set())
        stop.wait()
        server.shutdown()
        server.server_close()
    finally:
        database.close(installation)


def register(app: typer.Typer) -> None:
    """Add the ``hl7`` commands to the application."""
    group = typer.Typer(help="The site's HL7 v2 node over MLLP.", no_args_is_help=True,
                        rich_markup_mode=None)  # fmt: skip
    group.command("listen")(listen)
    app.add_typer(group, name="hl7")
