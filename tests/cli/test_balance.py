"""Server processes share kept-open connections evenly (issue #10: with 50 clients on two
workers, one held 47–56 connections and the other 24–37 for a whole run): a worker holding
more requests than the least loaded one by more than the margin asks the client to connect
again after the answer."""

from __future__ import annotations

import multiprocessing

import pytest
from starlette.types import Message, Receive, Scope, Send

from nucmed.cli.balance import GONE, SPARE, Balance, Loads, new_loads
from tests.cli.loops import run_apart

HTTP: Scope = {"type": "http", "method": "GET", "path": "/"}


class Answer:
    """An application that notes the loads it sees while it answers 200, or raises."""

    def __init__(self, loads: Loads, fail: bool = False) -> None:
        self.loads = loads
        self.fail = fail
        self.seen: list[int] = []

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        self.seen = list(self.loads)
        if self.fail:
            raise RuntimeError("the endpoint failed")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"1")]})
        await send({"type": "http.response.body", "body": b"ok"})


async def _nothing() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _answer(loads: Loads, slot: int) -> tuple[list[Message], list[int]]:
    sent: list[Message] = []

    async def keep(message: Message) -> None:
        sent.append(message)

    app = Answer(loads)
    run_apart(lambda: Balance(app, loads, slot)(HTTP, _nothing, keep))
    return sent, app.seen


def _closes(sent: list[Message]) -> bool:
    return (b"connection", b"close") in sent[0]["headers"]


def test_even_loads_keep_the_connection() -> None:
    loads = new_loads(2)
    loads[1] = 3
    sent, seen = _answer(loads, slot=0)
    assert seen == [1, 3]  # the request counts itself while it is held
    assert not _closes(sent)
    assert sent[0]["headers"] == [(b"a", b"1")]
    assert sent[1] == {"type": "http.response.body", "body": b"ok"}
    assert list(loads) == [0, 3]


@pytest.mark.parametrize(("held", "others", "closes"), [(SPARE, 0, False), (SPARE + 1, 0, True)])
def test_a_worker_more_than_the_margin_above_the_least_asks_to_reconnect(
    held: int, others: int, closes: bool
) -> None:
    loads = new_loads(3)
    loads[0], loads[1], loads[2] = held - 1, others, held + 5  # this request makes it ``held``
    sent, _ = _answer(loads, slot=0)
    assert _closes(sent) is closes
    assert loads[0] == held - 1


def test_a_dead_worker_draws_no_clients() -> None:
    loads = new_loads(2)
    loads[0], loads[1] = 40, GONE
    sent, _ = _answer(loads, slot=0)
    assert not _closes(sent)


def test_the_count_comes_down_when_the_application_fails() -> None:
    loads = new_loads(2)
    app = Answer(loads, fail=True)

    async def drop(_message: Message) -> None:
        return None

    with pytest.raises(RuntimeError):
        run_apart(lambda: Balance(app, loads, 1)(HTTP, _nothing, drop))
    assert app.seen == [0, 1]
    assert list(loads) == [0, 0]


def test_the_lifespan_is_not_counted() -> None:
    loads = new_loads(1)
    seen: list[int] = []

    async def app(_scope: Scope, _receive: Receive, _send: Send) -> None:
        seen.append(loads[0])

    async def drop(_message: Message) -> None:
        return None

    run_apart(lambda: Balance(app, loads, 0)({"type": "lifespan"}, _nothing, drop))
    assert seen == [0]


def _write(loads: Loads, slot: int, value: int) -> None:
    loads[slot] = value


def test_the_loads_are_shared_with_a_worker_process() -> None:
    loads = new_loads(2)
    child = multiprocessing.get_context("spawn").Process(target=_write, args=(loads, 1, 7))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert list(loads) == [0, 7]
