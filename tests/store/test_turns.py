"""The writers' turn lock serves threads in the order they came, once each, and lets a
waiter give up (:mod:`nucmed.store.turns`)."""

from __future__ import annotations

import threading
import time

import pytest

from nucmed.store.turns import TurnLock

WAIT_S = 10.0


def _until(condition: object, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.001)


def test_waiters_get_the_lock_in_the_order_they_came() -> None:
    lock = TurnLock()
    assert lock.acquire(timeout=1.0)
    served: list[int] = []

    def take(number: int) -> None:
        assert lock.acquire(timeout=WAIT_S)
        served.append(number)
        lock.release()

    threads = []
    for number in range(8):
        thread = threading.Thread(target=take, args=(number,))
        thread.start()
        threads.append(thread)
        _until(lambda n=number: lock.waiting == n + 1)  # queued before the next one starts
    lock.release()
    for thread in threads:
        thread.join(WAIT_S)
    assert served == list(range(8))


def test_a_newcomer_does_not_pass_those_already_waiting() -> None:
    lock = TurnLock()
    assert lock.acquire(timeout=1.0)
    served: list[str] = []
    waiter = threading.Thread(
        target=lambda: (lock.acquire(timeout=WAIT_S), served.append("waiter"), lock.release())
    )
    waiter.start()
    _until(lambda: lock.waiting == 1)
    lock.release()  # handed to the waiter, not free for whoever asks next
    assert lock.acquire(timeout=WAIT_S)
    served.append("newcomer")
    lock.release()
    waiter.join(WAIT_S)
    assert served == ["waiter", "newcomer"]


def test_the_holder_may_enter_again_and_leaves_as_often() -> None:
    lock = TurnLock()
    assert lock.acquire(timeout=1.0)
    assert lock.acquire(timeout=1.0)
    lock.release()
    others: list[bool] = []
    other = threading.Thread(target=lambda: others.append(lock.acquire(timeout=0.05)))
    other.start()
    other.join(WAIT_S)
    assert others == [False]  # still held once
    lock.release()
    other = threading.Thread(target=lambda: others.append(lock.acquire(timeout=1.0)))
    other.start()
    other.join(WAIT_S)
    assert others == [False, True]


def test_a_waiter_that_gives_up_leaves_the_queue_and_is_never_handed_the_lock() -> None:
    lock = TurnLock()
    assert lock.acquire(timeout=1.0)
    answers: list[bool] = []
    quitter = threading.Thread(target=lambda: answers.append(lock.acquire(timeout=0.05)))
    quitter.start()
    quitter.join(WAIT_S)
    assert answers == [False]
    assert lock.waiting == 0
    lock.release()
    assert lock.acquire(timeout=0.05)  # free: nobody was handed it
    lock.release()


def test_only_the_holder_may_release() -> None:
    lock = TurnLock()
    with pytest.raises(RuntimeError, match="does not hold"):
        lock.release()
    assert lock.acquire(timeout=1.0)
    failures: list[BaseException] = []

    def release_from_another_thread() -> None:
        try:
            lock.release()
        except RuntimeError as error:
            failures.append(error)

    thread = threading.Thread(target=release_from_another_thread)
    thread.start()
    thread.join(WAIT_S)
    assert len(failures) == 1
    lock.release()


def test_one_holder_at_a_time_under_many_threads() -> None:
    lock = TurnLock()
    inside = 0
    most_inside = 0
    count = 0

    def work() -> None:
        nonlocal inside, most_inside, count
        for _ in range(200):
            assert lock.acquire(timeout=WAIT_S)
            inside += 1
            most_inside = max(most_inside, inside)
            time.sleep(0)  # let another thread run here, were the lock not held
            count += 1
            inside -= 1
            lock.release()

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S * 3)
    assert (count, most_inside, lock.waiting) == (16 * 200, 1, 0)
