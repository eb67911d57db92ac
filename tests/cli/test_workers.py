"""``nucmed serve --workers 2`` for real (issue #10): two worker processes answer on one port,
each with its own socket; one killed with SIGKILL is replaced and the server goes on
answering; an idle connection stays open longer than a client keeps it; SIGTERM stops the
supervisor and every worker; a worker that cannot start (its port held by another program)
stops the supervisor and the other workers."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from nucmed.cli.workers import KEEP_ALIVE_S, Address, WorkerStartError, supervise

pytestmark = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT") or not Path("/proc").is_dir(),
    reason="own sockets per worker need SO_REUSEPORT; the test reads /proc",
)

NUCMED = Path(sys.executable).parent / "nucmed"
READY_S = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers(parent: int) -> set[int]:
    """The worker processes of the supervisor (not multiprocessing's resource tracker)."""
    found = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in command:
                found.add(int(child))
    return found


def _wait(condition: object, what: str) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    pytest.fail(f"not within {READY_S} s: {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "NUCMED_DATA_DIR": str(tmp_path),
        "NUCMED_DATABASE_URL": f"sqlite:///{tmp_path / 'nucmed.sqlite3'}",
    }
    subprocess.run([str(NUCMED), "db", "upgrade"], env=env, check=True, capture_output=True)
    return env


@pytest.fixture
def server(
    environment: dict[str, str], tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(NUCMED), "serve", "--workers", "2", "--port", str(port)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_two_workers_answer_and_one_killed_is_replaced(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, url = server
    _wait(lambda: _answers(url) and len(_workers(process.pid)) == 2, "two workers answering")
    first = _workers(process.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _wait(lambda: len(_workers(process.pid) - first) == 1, "a new worker in place of the killed")
    _wait(lambda: _answers(url), "answers again")
    assert victim not in _workers(process.pid)
    workers = _workers(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=READY_S) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


CLIENT_IDLE_S = 5.0
"""How long httpx (and uvicorn's default on the server side) keeps an idle connection."""


def test_an_idle_connection_outlasts_a_clients_own_keep_alive(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    """A request sent on a connection left idle as long as a client keeps one is answered
    (with uvicorn's 5 s default the server had closed it: the request was dropped)."""
    process, url = server
    _wait(lambda: _answers(url) and len(_workers(process.pid)) == 2, "two workers answering")
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
    try:
        for pause in (0.0, CLIENT_IDLE_S + 0.5):
            time.sleep(pause)
            connection.request("GET", "/health")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200
            assert answer.getheader("connection") != "close"
    finally:
        connection.close()
    assert KEEP_ALIVE_S > 60  # outlasts a proxy's idle connections too (nginx: 60 s)


def test_a_worker_that_cannot_start_stops_the_server(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NUCMED_DATA_DIR", "NUCMED_DATABASE_URL"):
        monkeypatch.setenv(name, environment[name])  # what the spawned workers read
    with socket.socket() as other:  # no SO_REUSEPORT: the workers' sockets cannot share it
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(WorkerStartError):
            supervise(Address("127.0.0.1", other.getsockname()[1]), 2)
