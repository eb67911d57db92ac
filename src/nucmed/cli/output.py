"""How commands print: a readable table with units, or one JSON object with ``--json``.

The table's title and labels are shown in the run's language (``--lang``, see
:mod:`nucmed.cli.lang`) when they are marked for translation (``N_``); the JSON object is the
same in every language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Annotated

import typer

from nucmed.cli.lang import tr

__all__ = ["JsonOption", "emit"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
"""The ``--json`` option of every command that prints a result."""


def _json_safe(value: object) -> object:
    """JSON has no infinity: an infinite time (never reached) is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit(
    title: str,
    rows: Sequence[tuple[str, str]],
    data: Mapping[str, object],
    *,
    as_json: bool,
    values: Mapping[str, object] | None = None,
) -> None:
    """Print ``data`` as one JSON object, or ``title`` and ``rows`` as an aligned table.

    Parameters
    ----------
    title
        First line of the table.
    rows
        (label, value with its unit) pairs.
    data
        The JSON object; numeric keys end in their unit.
    as_json
        Print JSON instead of the table.
    values
        The fields of ``title`` when it is a template (``N_("Decay of {nuclide}")``),
        filled in after it is translated.
    """
    if as_json:
        safe = {key: _json_safe(value) for key, value in data.items()}
        typer.echo(json.dumps(safe, ensure_ascii=False))
        return
    shown = [(tr(label), value) for label, value in rows]
    width = max(len(label) for label, _ in shown)
    heading = tr(title).format(**values) if values is not None else tr(title)
    lines = [heading, *(f"  {label.ljust(width)}  {value}" for label, value in shown)]
    typer.echo("\n".join(lines))
