"""``nucmed dicom listen`` and ``nucmed dicom allow``: the site's DICOM node.

``listen`` runs the node in the foreground (a systemd service, see docs/admin-guide.md) until
it is stopped (SIGTERM or Ctrl-C): Verification, Storage of RRDSR, NM, PET and CT objects, and
the Modality Worklist, as the site's DICOM device account. ``allow`` accepts a camera's calling
AE title at a site. pynetdicom and the database are imported inside the commands, so that the
rest of the command line starts fast (see ``make bench``).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from nucmed.cli.output import JsonOption, emit
from nucmed.config import load_settings
from nucmed.errors import NucmedInputError

__all__ = ["register"]

T = TypeVar("T")

SiteOption = Annotated[
    str | None,
    typer.Option("--site", help="Site code (default: the installation's first department)."),
]


def _refused_as_input(call: Callable[[], T]) -> T:
    """``call()``, a refusal (no such site) as bad input: one line and status 2."""
    from nucmed.services.permissions import NotFoundError  # noqa: PLC0415 - start-up time

    try:
        return call()
    except NotFoundError as missing:
        raise NucmedInputError(parts=missing.parts) from None


def listen(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 11112,
    ae_title: Annotated[str, typer.Option("--ae-title", help="This node's AE title.")] = "NUCMED",
    site: SiteOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (all: 0.0.0.0).")] = "0.0.0.0",
) -> None:
    """Run the site's DICOM node (C-ECHO, C-STORE, worklist C-FIND) until stopped."""
    from nucmed.listeners.dicom import (  # noqa: PLC0415 - start-up time
        DicomNode,
        receive_large_objects_into_files,
        start,
    )
    from nucmed.services import database  # noqa: PLC0415
    from nucmed.services.network import open_device  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    receive_large_objects_into_files()
    settings = load_settings()
    installation = database.open_database(settings.database_url)
    stop = threading.Event()
    try:
        device = _refused_as_input(lambda: open_device(installation.database, "dicom", site))
        node = DicomNode(installation.database, device, settings.data_dir / "dicom", ae_title)
        server = start(node, host, port)
        for sign in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sign, lambda *_: stop.set())
        stop.wait()
        server.shutdown()
    finally:
        database.close(installation)


def allow(
    ae_title: Annotated[str, typer.Argument(help="The camera's calling AE title.")],
    site: Annotated[str, typer.Option("--site", help="Site code, e.g. NM-ALA.")],
    description: Annotated[str, typer.Option(help="What the node is.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Accept a calling AE title at a site (restart the listener to apply)."""
    from nucmed.services import database  # noqa: PLC0415 - start-up time
    from nucmed.services.network import allow_calling_ae  # noqa: PLC0415

    installation = database.open_database(load_settings().database_url)
    try:
        title = _refused_as_input(
            lambda: allow_calling_ae(installation.database, site, ae_title, description)
        )
    finally:
        database.close(installation)
    emit("Calling AE title accepted", [("site", site), ("AE title", title)],
         {"site": site, "ae_title": title}, as_json=as_json)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the ``dicom`` commands to the application."""
    group = typer.Typer(help="The site's DICOM node: listen, allow a camera.",
                        no_args_is_help=True, rich_markup_mode=None)  # fmt: skip
    group.command("listen")(listen)
    group.command("allow")(allow)
    app.add_typer(group, name="dicom")
