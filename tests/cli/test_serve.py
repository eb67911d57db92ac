"""``nucmed serve``: one process runs uvicorn; several run under nucmed's supervisor, each
with its own socket (:mod:`nucmed.cli.workers`), or under uvicorn's (with a patient health
check of the workers) where the system cannot share a port; the administrator is made once
before the workers start; a taken address and a busy database are one line and a status (no
server is started)."""

from __future__ import annotations

import gc
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from nucmed.cli import serve, workers
from nucmed.cli.access_log import log_config
from nucmed.cli.admission import Admission
from nucmed.cli.main import main
from nucmed.cli.serve import MAX_WORKERS, WORKER_SILENCE_S
from nucmed.cli.workers import GC_THRESHOLDS, KEEP_ALIVE_S, Address
from nucmed.services import auth
from nucmed.services.uow import BUSY_MESSAGE, DatabaseBusyError


@pytest.fixture
def started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[list[dict[str, Any]]]:
    """A migrated SQLite database the commands use, and uvicorn's ``run`` replaced by a
    recorder of its arguments (the garbage collector's thresholds put back afterwards)."""
    monkeypatch.setenv("NUCMED_DATABASE_URL", f"sqlite:///{tmp_path / 'nucmed.sqlite3'}")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **options: calls.append(options | {"app": app})
    )
    monkeypatch.setattr(
        serve, "supervise", lambda address, count: calls.append({"own": address, "count": count})
    )
    monkeypatch.setattr(serve, "serve_one", lambda address: calls.append({"one": address}))
    thresholds = gc.get_threshold()
    yield calls
    gc.set_threshold(*thresholds)  # a served start set the test process's own


def test_workers_open_their_own_sockets_after_the_first_admin(
    started: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", "2", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    assert started == [{"own": Address("127.0.0.1", 8123), "count": 2}]
    assert out.index("first login: admin /") < out.index("with 2 worker processes")
    assert main(["serve"]) == 0
    assert started[-1] == {"one": Address("127.0.0.1", 8000)}  # one process, uvicorn's socket
    assert "first login" not in capsys.readouterr().out  # made once, by the first start


def test_one_server_process_lets_requests_in_in_turn_and_collects_less_often(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUCMED_REQUEST_THREADS", "3")
    thresholds: list[tuple[int, ...]] = []
    monkeypatch.setattr(gc, "set_threshold", lambda *given: thresholds.append(given))
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    served: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: served.append(server.config))
    workers.serve_one(Address("127.0.0.1", 8123))
    (config,) = served
    assert (config.host, config.port, config.http, config.loop) == (
        "127.0.0.1",
        8123,
        "httptools",  # the parser and loop in C: less processor per answer
        "uvloop",
    )
    assert config.timeout_keep_alive == KEEP_ALIVE_S
    assert isinstance(config.loaded_app, Admission)
    assert config.loaded_app.limit == 3  # as many requests at once as request threads
    assert thresholds == [GC_THRESHOLDS]
    assert frozen == [True]  # what the application holds is out of the collector's sight


def test_workers_reach_uvicorn_where_a_port_cannot_be_shared(
    started: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serve, "reuse_port_available", lambda: False)
    assert main(["serve", "--workers", "2", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    assert started[0].pop("log_config") == log_config()  # the access log without query strings
    assert started == [
        {
            "app": "nucmed.web.app:served_app",
            "factory": True,
            "host": "127.0.0.1",
            "port": 8123,
            "workers": 2,
            "timeout_worker_healthcheck": WORKER_SILENCE_S,
            "timeout_keep_alive": KEEP_ALIVE_S,
            "http": "httptools",  # the parser and loop in C: less processor per answer
            "loop": "uvloop",
        }
    ]
    assert out.index("first login: admin /") < out.index("with 2 worker processes")


def test_a_taken_address_is_refused_before_anything_starts(
    started: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert main(["serve", "--workers", "2", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"nucmed: error: 127.0.0.1:{port} is in use by another program\n"
    )
    assert started == []


@pytest.mark.parametrize("workers", ["0", "-1", str(MAX_WORKERS + 1), "two"], ids=str)
def test_a_worker_count_out_of_range_is_refused(
    started: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    assert main(["serve", "--workers", workers]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nucmed: error: ") and "--workers" in err
    assert started == []


def test_a_busy_database_is_one_line_and_status_1(
    started: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def busy(*_args: object, **_kwargs: object) -> None:
        raise DatabaseBusyError

    monkeypatch.setattr(auth, "ensure_first_admin", busy)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err == f"nucmed: error: {BUSY_MESSAGE}\n"
    assert started == []
