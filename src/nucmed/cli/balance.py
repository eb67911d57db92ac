"""Sharing kept-open connections evenly among the server processes (``--workers``).

The kernel gives each new connection to one worker by a hash of its addresses
(``SO_REUSEPORT``, :mod:`nucmed.cli.workers`), and the connection stays with that worker for
as long as the client keeps it open. Clients that keep their connections open are then shared
out by chance: with 50 such clients on 2 workers under ``make reliability`` one worker held
47–56 connections and the other 24–37 for a whole run, while both were busy all the time. A
worker answers its requests one after another, so the clients of the fuller worker waited up
to twice as long as the others' (the p99 of the run comes from them).

Each worker therefore counts the requests it holds (received and not yet answered) in a slot
of an array shared by all workers (:class:`Loads`), and a worker that holds more than
:data:`SPARE` requests above the least loaded one asks the client to close the connection
after the answer it is sending (``Connection: close``, which HTTP/1.1 clients honour: the next
request opens a new connection, which the kernel gives to any worker). Nothing is refused or
delayed: the answer is whole, and the client connects again in well under a millisecond on a
local network.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import MutableSequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["GONE", "SPARE", "Balance", "Loads", "new_loads"]

SPARE: Final = 2
"""How many requests a worker may hold above the least loaded worker before it asks clients
to connect again (a margin, so that two workers with nearly even loads do not hand clients
back and forth)."""
GONE: Final = 2**31 - 1
"""The load the supervisor writes in the slot of a worker that has died (not yet replaced),
so that the others do not send clients to a worker that is not there (its last count could be
0)."""


Loads = MutableSequence[int]
"""The requests each worker holds, one slot per worker (a shared array of C ints)."""


def new_loads(workers: int) -> Loads:
    """An array of ``workers`` slots shared with the worker processes (each starts at 0).

    Each worker writes only its own slot, from its event loop's thread, and reads the others;
    a reader may see a count some milliseconds old, which is harmless here.
    """
    loads: Loads = multiprocessing.get_context("spawn").RawArray("i", workers)
    return loads


@dataclass(frozen=True, slots=True)
class Balance:
    """ASGI middleware of one worker: counts the HTTP requests it holds in its slot of
    ``loads`` and, when it holds more than :data:`SPARE` above the least loaded worker, adds
    ``Connection: close`` to the answer it is starting."""

    app: ASGIApp
    loads: Loads
    slot: int

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def start(message: Message) -> None:
            if message["type"] == "http.response.start" and self.crowded():
                headers = [*message.get("headers", ()), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        self.loads[self.slot] += 1
        try:
            await self.app(scope, receive, start)
        finally:
            self.loads[self.slot] -= 1

    def crowded(self) -> bool:
        """Whether this worker holds more than :data:`SPARE` requests above the least loaded
        worker (the request being answered included)."""
        return self.loads[self.slot] > min(self.loads) + SPARE
