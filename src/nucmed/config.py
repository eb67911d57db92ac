"""Settings of an installation, read from the environment by the edges (CLI, web).

=====================  =====================================================================
Variable               Meaning (default)
=====================  =====================================================================
NUCMED_DATA_DIR        Folder for the embedded database and other data (``./var``).
NUCMED_DATABASE_URL    SQLAlchemy URL; PostgreSQL for a multi-user or multi-site deployment,
                       e.g. ``postgresql+psycopg://nucmed@db.example/nucmed``
                       (``sqlite:///<NUCMED_DATA_DIR>/nucmed.sqlite3``).
NUCMED_COOKIE_SECURE   ``1`` to send the session cookie over HTTPS only, ``0`` not to, or
                       ``auto`` (secure unless the app is served on a loopback address).
NUCMED_SESSION_HOURS   Lifetime of a web session and of an API token, in hours (``12``).
=====================  =====================================================================

Nothing is read at import: call :func:`load_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nucmed.errors import NucmedInputError

__all__ = ["Settings", "load_settings"]

CookieSecure = Literal["auto", "always", "never"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings of one installation.

    Parameters
    ----------
    data_dir
        Folder that holds the embedded database and other local data.
    database_url
        SQLAlchemy database URL.
    cookie_secure
        Whether the session cookie is marked Secure (``auto``: unless served on loopback).
    session_hours
        Lifetime of web sessions and API tokens, in hours.
    """

    data_dir: Path
    database_url: str
    cookie_secure: CookieSecure = "auto"
    session_hours: float = 12.0


_SECURE: dict[str, CookieSecure] = {
    "auto": "auto",
    "1": "always",
    "true": "always",
    "0": "never",
    "false": "never",
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from environment variables (see the module docstring).

    Raises
    ------
    NucmedInputError
        If a variable has a value that cannot be used; the message names it.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("NUCMED_DATA_DIR", "var")).resolve()
    default_url = f"sqlite:///{data_dir / 'nucmed.sqlite3'}"
    secure = _SECURE.get(env.get("NUCMED_COOKIE_SECURE", "auto").strip().lower())
    if secure is None:
        raise NucmedInputError("NUCMED_COOKIE_SECURE must be auto, 1 or 0")
    try:
        hours = float(env.get("NUCMED_SESSION_HOURS", "12"))
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 30:
        raise NucmedInputError("NUCMED_SESSION_HOURS must be a number of hours from 0 to 720")
    return Settings(
        data_dir=data_dir,
        database_url=env.get("NUCMED_DATABASE_URL", default_url),
        cookie_secure=secure,
        session_hours=hours,
    )
