"""A server process lets requests into the application in the order they came, at most as many
at once as its limit, each until its answer is sent (issue #10: a request that went to the
request thread three times had waited three times behind the queue)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from starlette.types import Message, Receive, Scope, Send

from nucmed.cli.admission import Admission
from tests.cli.loops import run_apart

HTTP: Scope = {"type": "http", "method": "GET", "path": "/"}


async def _nothing() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _drop(_message: Message) -> None:
    return None


class Recorder:
    """An application that notes when each request comes in and leaves, yielding to the event
    loop in between (as a request does while its endpoint runs in a thread)."""

    def __init__(self, turns: int = 3) -> None:
        self.events: list[str] = []
        self.turns = turns
        self.inside = 0
        self.most_inside = 0

    async def __call__(self, scope: Scope, _receive: Receive, _send: Send) -> None:
        name = scope.get("name", scope["type"])
        self.events.append(f"in {name}")
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            for _ in range(self.turns):
                await asyncio.sleep(0)
            if scope.get("fail"):
                raise RuntimeError(name)
        finally:
            self.inside -= 1
            self.events.append(f"out {name}")


def _request(name: str, **more: object) -> Scope:
    return {**HTTP, "name": name, **more}


def _run(main: Callable[[], Awaitable[None]]) -> None:
    """Run ``main`` on a new event loop in a thread of its own (the suite's browser tests
    leave one running in this thread); a request left waiting fails the test in 10 s."""
    run_apart(lambda: asyncio.wait_for(main(), timeout=10))


def _let_in(names: str, limit: int) -> tuple[Recorder, Admission]:
    """Requests named by the letters of ``names``, sent at once through a door of ``limit``."""
    app = Recorder()
    door = Admission(app, limit=limit)

    async def main() -> None:
        await asyncio.gather(*(door(_request(n), _nothing, _drop) for n in names))

    _run(main)
    return app, door


def test_one_at_a_time_in_arrival_order_each_to_its_end() -> None:
    app, door = _let_in("abc", limit=1)
    assert app.events == ["in a", "out a", "in b", "out b", "in c", "out c"]
    assert (door.inside, len(door.waiting)) == (0, 0)


def test_a_limit_of_two_lets_two_in_and_keeps_the_order() -> None:
    app, door = _let_in("abcd", limit=2)
    assert app.most_inside == 2
    assert [e for e in app.events if e.startswith("in")] == ["in a", "in b", "in c", "in d"]
    assert door.inside == 0


def test_a_request_that_fails_frees_its_place() -> None:
    app = Recorder()
    door = Admission(app, limit=1)

    async def main() -> None:
        results = await asyncio.gather(
            door(_request("a", fail=True), _nothing, _drop),
            door(_request("b"), _nothing, _drop),
            return_exceptions=True,
        )
        assert isinstance(results[0], RuntimeError)
        assert results[1] is None

    _run(main)
    assert app.events == ["in a", "out a", "in b", "out b"]
    assert door.inside == 0


def test_a_request_cancelled_while_it_waits_is_passed_over() -> None:
    app = Recorder(turns=5)
    door = Admission(app, limit=1)

    async def main() -> None:
        first = asyncio.create_task(door(_request("a"), _nothing, _drop))
        await asyncio.sleep(0)
        gone = asyncio.create_task(door(_request("b"), _nothing, _drop))
        last = asyncio.create_task(door(_request("c"), _nothing, _drop))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.gather(first, last)
        with pytest.raises(asyncio.CancelledError):
            await gone

    _run(main)
    assert app.events == ["in a", "out a", "in c", "out c"]
    assert door.inside == 0


def test_a_request_cancelled_as_it_is_let_in_hands_its_place_on() -> None:
    app = Recorder()
    door = Admission(app, limit=1)

    async def main() -> None:
        door.inside = 1  # a request holds the only place
        second = asyncio.create_task(door(_request("b"), _nothing, _drop))
        third = asyncio.create_task(door(_request("c"), _nothing, _drop))
        await asyncio.sleep(0)
        assert len(door.waiting) == 2
        door._leave()  # the holder's answer is sent: its place goes to the second
        second.cancel()  # before the second has run again
        await third
        with pytest.raises(asyncio.CancelledError):
            await second

    _run(main)
    assert app.events == ["in c", "out c"]
    assert door.inside == 0


def test_the_lifespan_passes_while_the_door_is_full() -> None:
    app = Recorder(turns=1)
    door = Admission(app, limit=1)

    async def main() -> None:
        door.inside = 1  # a request holds the only place
        await asyncio.wait_for(door({"type": "lifespan"}, _nothing, _drop), timeout=5)

    _run(main)
    assert app.events == ["in lifespan", "out lifespan"]
