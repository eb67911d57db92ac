"""Several server processes, each with its own listening socket (``nucmed serve --workers N``).

uvicorn's own supervisor binds one socket before it starts its workers and lets them share it.
Two things then go wrong under load (found by ``make reliability``, 50 clients that keep their
connections open):

- a client that connects while the workers are still starting waits in the socket's queue
  until one of them is ready, however long that takes;
- the clients are not shared out evenly: after a restart the worker ready first accepted
  nearly all of them and kept them, so that one process did the work of two for the rest of
  the run (p99 1.17 s instead of 0.79 s over 2 minutes with a kill -9 half way).

Here each worker builds the application first and only then opens its own socket on the
address with ``SO_REUSEPORT``, so that the kernel shares new connections out among the
workers that are ready, by a hash of each connection's addresses. At a start the workers open
their sockets together, once all have loaded: the first one ready would otherwise take every
client that was waiting (seen on PostgreSQL after a kill -9: one worker did 45 times the
work of the other). A client that connects
before any worker is ready is refused at once and tries again. The supervisor starts the
workers, starts a new one when one dies after it was ready (one that dies before stops them
all: it could not start, and would not the next time), and stops them all on SIGINT or
SIGTERM. Where the system has no ``SO_REUSEPORT``, ``nucmed serve`` uses uvicorn's
supervisor instead.

The hash shares clients out by chance, and a client keeps its connection: each worker
therefore asks clients to connect again when it holds more requests than the least loaded
worker by more than a margin (:mod:`nucmed.cli.balance`); each lets requests into the
application in arrival order, each to its end (:mod:`nucmed.cli.admission`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from types import FrameType
from typing import TYPE_CHECKING, Final

from nucmed.cli.admission import Admission
from nucmed.cli.balance import GONE, Balance, Loads, new_loads
from nucmed.config import load_settings

if TYPE_CHECKING:
    import uvicorn

__all__ = [
    "APP",
    "EVENT_LOOP",
    "GC_THRESHOLDS",
    "HTTP_PARSER",
    "KEEP_ALIVE_S",
    "WORKER_CHECK_S",
    "Address",
    "WorkerStartError",
    "address_in_use",
    "reuse_port_available",
    "serve_one",
    "served_config",
    "supervise",
    "tune_collector",
]

WORKER_CHECK_S = 0.5
"""How often the supervisor looks whether each worker is alive (seconds)."""
STOP_GRACE_S = 30.0
"""How long the workers have to finish the requests they hold after SIGTERM (seconds)."""
APP = "nucmed.web.app:served_app"
"""The application factory each worker loads."""
KEEP_ALIVE_S = 75
"""How long a server process keeps a client's idle connection open (seconds; uvicorn's
``timeout_keep_alive``, whose default is 5 s). It must outlast the idle time after which a
client or a proxy closes the connection itself (httpx 5 s, nginx's upstream connections
60 s): were both equal, a client could send a request on a connection just as the server
closes it, and the request would be dropped unanswered (seen once in ``make reliability``,
where an httpx client's second connection sat idle between two races)."""
HTTP_PARSER: Final = "httptools"
"""The HTTP/1.1 parser of the server processes: httptools (llhttp, Node.js's parser, in C)
rather than h11 (in Python). With the event loop below, a server process spent about 7 % less
processor per answer under ``make reliability``'s load on PostgreSQL (15.5 against 16.7 ms,
2026-12-03)."""
EVENT_LOOP: Final = "uvloop"
"""The server processes' event loop: uvloop (libuv) rather than asyncio's own."""
GC_THRESHOLDS = (50_000, 20, 100)
"""The server processes' garbage-collector thresholds (Python's own: 700, 10, 10). A request
allocates tens of thousands of objects (the records it reads, a page's lines), so with the
default the youngest generation was collected many times in every request. Under
``make reliability``'s load on PostgreSQL a server process spent 5-8 % less processor per
answer with these (11.5 and 11.0 against 12.6 and 11.9 ms in runs taken in turn,
2026-12-03); what is left unreachable in cycles waits a little longer to be freed."""
_LOAD_CHECK_S = 0.05
"""How often the supervisor looks whether the workers have loaded the application (seconds)."""
_BACKLOG = 2048
"""Connections the kernel queues for a worker (uvicorn's default)."""


@dataclass(frozen=True, slots=True)
class Address:
    """Where the workers listen."""

    host: str
    port: int


def reuse_port_available() -> bool:
    """Whether the system shares a port among sockets (``SO_REUSEPORT``: Linux, BSD, macOS)."""
    return hasattr(socket, "SO_REUSEPORT")


def _family(address: Address) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address.host else socket.AF_INET


def _listen(address: Address) -> socket.socket:
    sock = socket.socket(_family(address), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((address.host, address.port))
    sock.listen(_BACKLOG)
    return sock


class WorkerStartError(RuntimeError):
    """A worker died before it was ready (its own error is in the log above)."""


@dataclass(frozen=True, slots=True)
class Share:
    """A worker's place in the shared count of requests held (:mod:`nucmed.cli.balance`)."""

    loads: Loads
    slot: int


@dataclass(frozen=True, slots=True)
class _Worker:
    process: BaseProcess
    loaded: EventType
    """Set by the worker once it has built the application."""
    ready: EventType
    """Set by the worker once its socket is open."""


def address_in_use(address: Address) -> bool:
    """Whether another program listens on the address (a socket without ``SO_REUSEPORT``
    cannot be bound beside one with it, so this also finds another nucmed server)."""
    with socket.socket(_family(address), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address.host, address.port))
        except OSError:
            return True
    return False


def _leave_with_parent(server: uvicorn.Server, parent: int) -> None:
    """Stop the worker's server when its supervisor is gone (killed without stopping it)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    server.should_exit = True


def tune_collector() -> None:
    """Set the server process's garbage-collector thresholds (:data:`GC_THRESHOLDS`), then
    put everything the loaded application holds (modules, classes, the compiled templates and
    catalogues) out of the collector's sight for good (``gc.freeze``).

    Without the freeze, each full collection walked all of it: under ``make reliability``'s
    load on PostgreSQL a server process stopped 4 to 6 times in 50 s for 80-230 ms at a time,
    longer as the run went on, and every request it held waited as long; with it, no full
    collection came during the load (2026-12-03, timed with ``gc.callbacks``).
    """
    gc.set_threshold(*GC_THRESHOLDS)
    gc.collect()
    gc.freeze()


def served_config(host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """uvicorn's settings for a server process, with the application built and let in
    through :class:`~nucmed.cli.admission.Admission` (as many requests at once as
    ``NUCMED_REQUEST_THREADS``); ``host`` and ``port`` are used when uvicorn opens the socket
    itself (one process)."""
    import uvicorn  # noqa: PLC0415 (in the server process only: start-up time of the CLI)

    from nucmed.cli.access_log import log_config  # noqa: PLC0415

    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        log_config=log_config(),
        timeout_keep_alive=KEEP_ALIVE_S,
        http=HTTP_PARSER,
        loop=EVENT_LOOP,
    )
    config.load()
    config.loaded_app = Admission(config.loaded_app, load_settings().request_threads)
    return config


def serve_one(address: Address) -> None:
    """Serve in this process alone (``nucmed serve`` without ``--workers``): uvicorn opens
    the socket; the application as in :func:`served_config`, the collector's thresholds as
    :func:`tune_collector` sets them."""
    import uvicorn  # noqa: PLC0415 (in the server process only)

    config = served_config(address.host, address.port)
    tune_collector()
    uvicorn.Server(config).run()


def run_worker(
    address: Address, loaded: EventType, go: EventType, ready: EventType, share: Share
) -> None:
    """One worker process: build the application (:func:`served_config`) inside
    :class:`~nucmed.cli.balance.Balance`, say so (``loaded``), wait for ``go``, then open its
    socket, say it is ready and serve."""
    import uvicorn  # noqa: PLC0415 (in the worker process only)

    config = served_config()
    config.loaded_app = Balance(config.loaded_app, share.loads, share.slot)
    tune_collector()
    loaded.set()
    go.wait()
    sock = _listen(address)
    share.loads[share.slot] = 0
    ready.set()
    server = uvicorn.Server(config)
    watch = threading.Thread(target=_leave_with_parent, args=(server, os.getppid()), daemon=True)
    watch.start()
    server.run(sockets=[sock])


def _start(address: Address, go: EventType, share: Share) -> _Worker:
    context = multiprocessing.get_context("spawn")
    loaded, ready = context.Event(), context.Event()
    process = context.Process(
        target=run_worker, args=(address, loaded, go, ready, share), name="nucmed-worker"
    )
    process.start()
    return _Worker(process, loaded, ready)


def _all_loaded(workers: list[_Worker], stopping: threading.Event) -> None:
    """Wait until every worker has loaded the application (or a stop is asked for).

    Raises
    ------
    WorkerStartError
        A worker died while loading.
    """
    while not stopping.wait(_LOAD_CHECK_S):
        if any(not w.process.is_alive() for w in workers):
            raise WorkerStartError
        if all(w.loaded.is_set() for w in workers):
            return


def _stop(workers: list[BaseProcess]) -> None:
    for worker in workers:
        if worker.is_alive():
            worker.terminate()  # SIGTERM: uvicorn finishes the requests it holds
    deadline = time.monotonic() + STOP_GRACE_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join()


def _checked(worker: _Worker, address: Address, go: EventType, share: Share) -> _Worker:
    """The worker, or a new one in place of a worker that died after it was ready (its slot
    of the loads says :data:`~nucmed.cli.balance.GONE` until the new one is ready)."""
    if worker.process.is_alive():
        return worker
    if not worker.ready.is_set():
        raise WorkerStartError
    share.loads[share.slot] = GONE
    return _start(address, go, share)


def supervise(address: Address, count: int) -> None:
    """Run ``count`` workers on ``address`` until SIGINT or SIGTERM; start a new worker in
    place of one that dies.

    Raises
    ------
    WorkerStartError
        A worker died before it was ready (a port taken, a database that cannot be opened);
        the others were stopped.
    """
    stopping = threading.Event()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    go = multiprocessing.get_context("spawn").Event()
    loads = new_loads(count)
    shares = [Share(loads, slot) for slot in range(count)]
    workers = [_start(address, go, share) for share in shares]
    try:
        _all_loaded(workers, stopping)
        go.set()
        while not stopping.wait(WORKER_CHECK_S):
            workers = [
                _checked(worker, address, go, share)
                for worker, share in zip(workers, shares, strict=True)
            ]
    finally:
        _stop([worker.process for worker in workers])
        for sig, handler in previous.items():
            signal.signal(sig, handler)
