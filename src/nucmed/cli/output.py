"""How commands print: a readable table with units, or one JSON object with ``--json``."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import typer

__all__ = ["emit"]


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
    """
    if as_json:
        safe = {key: _json_safe(value) for key, value in data.items()}
        typer.echo(json.dumps(safe, ensure_ascii=False))
        return
    width = max(len(label) for label, _ in rows)
    lines = [title, *(f"  {label.ljust(width)}  {value}" for label, value in rows)]
    typer.echo("\n".join(lines))
