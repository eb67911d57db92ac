"""Running a coroutine in a test whose thread may already run an event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_apart(make: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Make the coroutine and run it on a new event loop in a thread of its own; its result
    or its exception comes back here. The suite's browser tests leave an event loop running
    in the main thread, where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
