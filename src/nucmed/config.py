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
NUCMED_DB_POOL_SIZE    Database connections each server process keeps open (``10``; up to
                       10 more at a peak). With ``nucmed serve --workers N`` the server
                       opens up to N × (pool size + 10): keep it within PostgreSQL's
                       ``max_connections`` (100 by default).
NUCMED_DB_BUSY_TIMEOUT_S
                       Seconds a request waits for a database lock (SQLite's busy timeout,
                       PostgreSQL's ``lock_timeout``) or a free connection before it is
                       answered 503 "busy" (``10``).
NUCMED_DB_STATEMENT_TIMEOUT_S
                       PostgreSQL: the longest a statement of the server may run, in seconds
                       (``60``); the commands (``nucmed db upgrade``) run without a limit.
NUCMED_REQUEST_THREADS
                       Requests each server process works on at once (``1``); more wait
                       their turn in arrival order, and one let in keeps its place until
                       it is answered (:mod:`nucmed.cli.admission`). Python runs one thread
                       at a time, so a second thread only shares the processor more finely:
                       a writer holding the database's write lock then waits behind another
                       request (under ``make reliability``, 2 threads answered about 10 %
                       fewer requests than 1, and 8 about 25 % fewer). Serve with as many processes
                       as cores (``--workers``), one more if long computations (voxel
                       dosimetry, supply planning) share the server, since each holds its
                       process while it runs.
=====================  =====================================================================

Nothing is read at import: call :func:`load_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nucmed.errors import N_, refusal

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
    db_pool_size
        Database connections each server process keeps open.
    db_busy_timeout_s
        Seconds a request waits for a database lock or connection before it is refused as busy.
    db_statement_timeout_s
        Seconds a statement of the server may run (PostgreSQL).
    request_threads
        Requests each server process works on at once; more wait in arrival order.
    """

    data_dir: Path
    database_url: str
    cookie_secure: CookieSecure = "auto"
    session_hours: float = 12.0
    db_pool_size: int = 10
    db_busy_timeout_s: float = 10.0
    db_statement_timeout_s: float = 60.0
    request_threads: int = 1


_SECURE: dict[str, CookieSecure] = {
    "auto": "auto",
    "1": "always",
    "true": "always",
    "0": "never",
    "false": "never",
}


def _number(env: Mapping[str, str], name: str, default: float, most: float) -> float:
    """The variable ``name`` as a number greater than 0 and at most ``most``.

    Raises
    ------
    NucmedInputError
        If it is not such a number; the message names the variable and the range.
    """
    try:
        value = float(env.get(name, str(default)))
    except ValueError:
        value = -1.0
    if not 0 < value <= most:
        raise refusal(
            N_("{name} must be a number greater than 0 and at most {most}"),
            name=name,
            most=f"{most:g}",
        )
    return value


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
        raise refusal(N_("NUCMED_COOKIE_SECURE must be auto, 1 or 0"))
    pool_size = _number(env, "NUCMED_DB_POOL_SIZE", 10, 1000)
    if not pool_size.is_integer():
        raise refusal(N_("NUCMED_DB_POOL_SIZE must be a whole number of connections"))
    threads = _number(env, "NUCMED_REQUEST_THREADS", 1, 200)
    if not threads.is_integer():
        raise refusal(N_("NUCMED_REQUEST_THREADS must be a whole number of threads"))
    return Settings(
        data_dir=data_dir,
        database_url=env.get("NUCMED_DATABASE_URL", default_url),
        cookie_secure=secure,
        session_hours=_number(env, "NUCMED_SESSION_HOURS", 12, 24 * 30),
        db_pool_size=int(pool_size),
        db_busy_timeout_s=_number(env, "NUCMED_DB_BUSY_TIMEOUT_S", 10, 600),
        db_statement_timeout_s=_number(env, "NUCMED_DB_STATEMENT_TIMEOUT_S", 60, 86400),
        request_threads=int(threads),
    )
