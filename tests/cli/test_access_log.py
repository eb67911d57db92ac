"""The server's access log keeps no query strings (search terms name patients)."""

from __future__ import annotations

import logging

from nucmed.cli.access_log import QueryScrubber, log_config


def _access_record(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )


def test_the_access_log_drops_query_strings() -> None:
    record = _access_record("/sites/T-ALA/patients?q=Ivanov%20Ivan")
    assert QueryScrubber().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /sites/T-ALA/patients HTTP/1.1" 200'


def test_uvicorn_logs_access_through_the_scrubber() -> None:
    config = log_config()
    assert config["handlers"]["access"]["filters"] == ["no_query"]
    assert config["filters"]["no_query"] == {"()": QueryScrubber}
    assert config["loggers"]["uvicorn.access"]["handlers"] == ["access"]
