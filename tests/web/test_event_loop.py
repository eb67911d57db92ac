"""No blocking on the event loop: a slow request does not stall /health, and no handler of
nucmed.web runs a synchronous database transaction on the loop.

A handler that touches the database is a plain ``def`` (FastAPI runs it in its thread pool) or
an ``async def`` that only awaits the request's body or form and hands the work to
``run_in_threadpool`` (as ``forms.act_on_post`` does). The first two tests show it with a real
request in flight; the last one reads the source of every ``async`` handler and dependency.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import inspect
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx2
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from nucmed.web.app import routers

SLOW_S = 1.0
"""How long the test route holds its request (standing for a long synchronous transaction)."""

HANDS_OFF = (run_in_threadpool, anyio.to_thread.run_sync)
"""What an async handler may await to run synchronous work off the loop."""

READS_THE_REQUEST = frozenset({"form", "body", "json", "read"})
"""Methods of the request an async handler may await (they wait for the client, not the
database), and an uploaded file's ``read`` (Starlette reads a spooled file in its thread
pool)."""

BLOCKING_MODULES = ("nucmed.services", "nucmed.store", "sqlalchemy")
"""Functions from these modules open transactions or run queries: never on the loop."""


class _SlowRoute:
    """``/test-slow`` on an app: holds its request for :data:`SLOW_S` seconds, in a plain
    ``def`` (run in the thread pool) or, with ``blocking``, in an ``async def`` that sleeps on
    the loop (the mistake this module guards against). Records when its handler started."""

    def __init__(self, app: FastAPI, *, blocking: bool) -> None:
        self.started = threading.Event()
        self.began = 0.0

        def slow() -> dict[str, float]:
            self.began = time.monotonic()
            self.started.set()
            time.sleep(SLOW_S)
            return {"slept_s": SLOW_S}

        async def slow_on_the_loop() -> dict[str, float]:
            return slow()

        app.add_api_route("/test-slow", slow_on_the_loop if blocking else slow)


async def _health_while_slow(app: FastAPI, route: _SlowRoute) -> tuple[float, bool]:
    """Start ``/test-slow``; once its handler runs, ask ``/health``. Return how long after
    the slow handler started /health answered (s), and whether the slow one was still
    running then."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://nucmed.test") as client:
        assert (await client.get("/health")).status_code == 200  # the first connection made
        slow = asyncio.create_task(client.get("/test-slow"))
        while not route.started.is_set():
            await asyncio.sleep(0.005)
        health = await client.get("/health")
        answered, still_running = time.monotonic(), not slow.done()
        assert health.status_code == 200
        assert (await slow).json() == {"slept_s": SLOW_S}
    return answered - route.began, still_running


def _on_a_fresh_loop(app: FastAPI, route: _SlowRoute) -> tuple[float, bool]:
    """Run the scenario on a new event loop in a thread of its own (the test's thread may
    hold a loop another test left running)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_health_while_slow(app, route))).result()


def test_a_slow_request_does_not_stall_health(app: FastAPI) -> None:
    route = _SlowRoute(app, blocking=False)
    after_s, still_running = _on_a_fresh_loop(app, route)
    assert still_running
    assert after_s < SLOW_S / 2  # in practice a few milliseconds


def test_the_check_would_see_a_handler_that_blocks_the_loop(app: FastAPI) -> None:
    """The control: the same scenario with an ``async def`` that sleeps on the loop stalls
    /health for the whole sleep (so the test above would catch it)."""
    route = _SlowRoute(app, blocking=True)
    after_s, still_running = _on_a_fresh_loop(app, route)
    assert not still_running
    assert after_s >= SLOW_S * 0.9


# --- every async handler of nucmed.web, read from its source --------------------------------


def _resolve(function: Callable[..., Any], node: ast.expr) -> object | None:
    """The object a callee expression names in ``function``'s module (None: a local)."""
    if isinstance(node, ast.Name):
        namespace = {**vars(builtins), **function.__globals__}
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(function, node.value)
        return None if owner is None else getattr(owner, node.attr, None)
    return None


def _module_of(thing: object) -> str:
    return str(getattr(thing, "__module__", None) or getattr(thing, "__name__", ""))


def _own_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions defined inside it (run later,
    elsewhere: the steps handed to the thread pool)."""
    for child in ast.iter_child_nodes(tree):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield child
            yield from _own_nodes(child)


def _definition(function: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


class _LoopCheck:
    """Finds what a function run on the event loop does that blocks it, following the
    nucmed.web helpers it calls or awaits."""

    def __init__(self) -> None:
        self.seen: set[Callable[..., Any]] = set()

    def problems(self, function: Callable[..., Any]) -> list[str]:
        if function in self.seen or not _module_of(function).startswith("nucmed.web"):
            return []
        self.seen.add(function)
        name = f"{function.__module__}.{function.__qualname__}"
        nodes = list(_own_nodes(_definition(function)))
        awaits = [node for node in nodes if isinstance(node, ast.Await)]
        awaited = {id(node.value) for node in awaits}
        found = [p for node in awaits for p in self._awaited(function, node.value)]
        found += [
            p
            for node in nodes
            if isinstance(node, ast.Call) and id(node) not in awaited
            for p in self._called(function, node)
        ]
        return [f"{name}: {problem}" for problem in found]

    def _awaited(self, function: Callable[..., Any], value: ast.expr) -> list[str]:
        if not isinstance(value, ast.Call):
            return [f"awaits {ast.unparse(value)}"]
        if isinstance(value.func, ast.Attribute) and value.func.attr in READS_THE_REQUEST:
            return []
        callee = _resolve(function, value.func)
        if any(callee is allowed for allowed in HANDS_OFF):
            return self._arguments(function, value)
        if inspect.iscoroutinefunction(callee) and _module_of(callee).startswith("nucmed.web"):
            return self._arguments(function, value) + self.problems(callee)
        return [f"awaits {ast.unparse(value.func)}, which is not known to leave the loop"]

    def _arguments(self, function: Callable[..., Any], call: ast.Call) -> list[str]:
        inner = [*call.args, *(keyword.value for keyword in call.keywords)]
        return [
            problem
            for argument in inner
            for node in [argument, *_own_nodes(argument)]
            if isinstance(node, ast.Call)
            for problem in self._called(function, node)
        ]

    def _called(self, function: Callable[..., Any], call: ast.Call) -> list[str]:
        callee = _resolve(function, call.func)
        if not inspect.isfunction(callee):
            return []  # a class (an input value), a builtin or a local's method
        if _module_of(callee).startswith(BLOCKING_MODULES):
            return [f"calls {callee.__module__}.{callee.__qualname__} on the event loop"]
        return self.problems(callee)


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The callables a route depends on; a callable object (``require(...)``) by its
    ``__call__``."""
    for dependency in dependant.dependencies:
        call = dependency.call
        if call is not None:
            yield call if inspect.isfunction(call) else type(call).__call__
        yield from _dependencies(dependency)


def _routes(app: FastAPI) -> Iterator[APIRoute]:
    """The app's own routes (``/health``) and those of every router it includes (FastAPI
    keeps an included router as one entry of ``app.routes``)."""
    for route in [*app.routes, *(r for router in routers() for r in router.routes)]:
        if isinstance(route, APIRoute):
            yield route


def _async_web_callables(app: FastAPI) -> Iterator[Callable[..., Any]]:
    for route in _routes(app):
        for call in (route.endpoint, *_dependencies(route.dependant)):
            if inspect.iscoroutinefunction(call) and _module_of(call).startswith("nucmed.web"):
                yield call


def test_no_async_handler_runs_a_transaction_on_the_loop(app: FastAPI) -> None:
    check = _LoopCheck()
    handlers = set(_async_web_callables(app))
    assert handlers, "the app has async handlers (the form posts): the walk found none"
    problems = sorted({p for handler in handlers for p in check.problems(handler)})
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "async def f(request):\n"
            "    form = await request.form()\n"
            "    return await run_in_threadpool(service.step, form)\n",
            [],
            id="awaits the form, hands off to the thread pool",
        ),
        pytest.param(
            "async def f(request):\n    with transaction(request) as store:\n        return 1\n",
            ["calls nucmed.services.uow.transaction on the event loop"],
            id="opens a transaction on the loop",
        ),
        pytest.param(
            "def helper(request):\n"
            "    with transaction(request) as store:\n"
            "        return 1\n"
            "async def f(request):\n"
            "    return helper(await request.form())\n",
            ["nucmed.web.example.helper: calls nucmed.services.uow.transaction on the event loop"],
            id="calls a web helper that opens one",
        ),
    ],
)
def test_the_source_check_tells_the_two_apart(
    source: str, expected: list[str], tmp_path: Path
) -> None:
    from nucmed.services import uow  # noqa: PLC0415

    module = tmp_path / "example.py"  # a file, so that inspect can read the source back
    module.write_text(source, encoding="utf-8")
    namespace: dict[str, Any] = {
        "__name__": "nucmed.web.example",
        "run_in_threadpool": run_in_threadpool,
        "transaction": uow.transaction,
        "service": uow,
    }
    exec(compile(source, str(module), "exec"), namespace)
    found = _LoopCheck().problems(namespace["f"])
    assert [problem.split(": ", 1)[1] for problem in found] == expected
