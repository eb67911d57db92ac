"""The server's access log without patient data: uvicorn's logging configuration with a filter
that drops query strings (search terms such as ``?q=Ivanov`` name patients). ``nucmed serve``
passes it to uvicorn."""

from __future__ import annotations

import copy
import logging
from typing import Any

__all__ = ["QueryScrubber", "log_config"]

_ACCESS_ARGS = 5
"""uvicorn's access record arguments: client, method, path, HTTP version, status."""


class QueryScrubber(logging.Filter):
    """Drop the query string from uvicorn's access log lines (``GET /sites/X/patients`` for
    ``GET /sites/X/patients?q=Ivanov``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the path argument of an access record; keep every record."""
        args = record.args
        if isinstance(args, tuple) and len(args) == _ACCESS_ARGS:
            client, method, path, version, status = args
            record.args = (client, method, str(path).partition("?")[0], version, status)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration with :class:`QueryScrubber` on the access
    log (``uvicorn.run(..., log_config=log_config())``)."""
    from uvicorn.config import LOGGING_CONFIG  # noqa: PLC0415 (only when serving)

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query"] = {"()": QueryScrubber}
    config["handlers"]["access"]["filters"] = ["no_query"]
    return config
