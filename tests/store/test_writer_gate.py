"""The SQLite writers' gate queues writers across processes (``nucmed serve --workers N``)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from nucmed.store.db import (
    EngineLimits,
    WriterGate,
    make_engine,
    make_session_factory,
    writer_gate,
)


def _hold(url: str, entered: threading.Event, release: threading.Event) -> None:
    """In another process: take the gate, say so, and hold it until told to let go."""
    gate = writer_gate(make_session_factory(make_engine(url)))
    assert gate is not None
    assert gate.enter()
    entered.set()
    release.wait(30)
    gate.leave()


def _gate(url: str, timeout_s: float) -> WriterGate:
    gate = writer_gate(make_session_factory(make_engine(url, EngineLimits(timeout_s))))
    assert gate is not None
    return gate


def test_a_writer_of_another_process_holds_the_turn_until_it_leaves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gate.sqlite3'}"
    context = multiprocessing.get_context("spawn")
    entered, release = context.Event(), context.Event()
    other = context.Process(target=_hold, args=(url, entered, release))
    other.start()
    try:
        assert entered.wait(60)
        gate = _gate(url, 0.2)
        assert not gate.enter()  # the other process has the turn: this one times out
        release.set()
        other.join(30)
        assert gate.enter()  # and gets it once the other has left
        gate.leave()
    finally:
        release.set()
        other.join(30)


def test_the_threads_of_one_process_take_turns_and_may_enter_again(tmp_path: Path) -> None:
    gate = _gate(f"sqlite:///{tmp_path / 'gate.sqlite3'}", 0.2)
    assert gate.enter()
    assert gate.enter()  # a nested transaction of the same thread
    gate.leave()
    answers: list[bool] = []
    waiting = threading.Thread(target=lambda: answers.append(gate.enter()))
    waiting.start()
    waiting.join()
    assert answers == [False]  # another thread waits while this one still writes
    gate.leave()
    waiting = threading.Thread(target=lambda: answers.append(gate.enter() and _leave(gate)))
    waiting.start()
    waiting.join()
    assert answers == [False, True]


def _leave(gate: WriterGate) -> bool:
    gate.leave()
    return True


def test_an_in_memory_database_queues_its_threads_without_a_file() -> None:
    gate = _gate("sqlite://", 0.2)
    assert gate.lock_path is None
    assert gate.enter()
    gate.leave()
