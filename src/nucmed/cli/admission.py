"""Requests answered in the order they came, each to its end (a server process's queue).

A server process works on one request at a time in its request thread
(``NUCMED_REQUEST_THREADS``), but a request goes to that thread more than once: to read who is
signed in, to run the endpoint, and (for an endpoint with a declared answer) to check the
answer. Each time, it queued behind every request that had arrived meanwhile, so a request that
needed three turns waited about three times as long as the queue, and one that needed two,
twice (under ``make reliability`` on PostgreSQL: draws and kit preparations, three turns each,
had the run's p99 of 1.4–1.5 s; each turn waited 0.3–0.6 s).

:class:`Admission` lets at most ``limit`` requests into the application at once and the rest
wait at its door in arrival order; a request let in keeps its place until its answer is sent,
so its later turns in the thread wait only for the few requests inside. The connections are
still read and answered by the event loop meanwhile, and a request waiting at the door costs
nothing but its place in the queue.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["Admission"]


@dataclass(slots=True)
class Admission:
    """ASGI middleware: at most ``limit`` HTTP requests inside ``app`` at once, the others let
    in one by one in the order they came. Other scopes (the lifespan) pass straight through.

    It belongs to one event loop (a server process has one).
    """

    app: ASGIApp
    limit: int
    inside: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self._enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self._leave()

    async def _enter(self) -> None:
        if self.inside < self.limit and not self.waiting:
            self.inside += 1
            return
        turn = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if not turn.cancelled():  # let in and cancelled at once: the place goes on
                self._leave()
            raise

    def _leave(self) -> None:
        """Hand this request's place to the first still waiting, else free it (a request
        cancelled while it waited is passed over)."""
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.inside -= 1
