"""The tools outside the suite still run against today's services and API.

``make bench`` and ``make reliability`` are not part of ``make test``; these checks (no timing)
keep them from breaking unseen when a service or an endpoint changes: the board benchmark
builds its 300-line day, and every action of the load test's mix is answered without a server
error or a refusal against the demo department.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.config import Settings
from nucmed.services import demo
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import board
from nucmed.services.uow import Database
from nucmed.store.db import SessionFactory
from nucmed.web.app import create_app

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def _tool(name: str) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_the_board_benchmark_builds_its_day(tmp_path: Path) -> None:
    bench_board = _tool("bench_board")
    bench = bench_board.build(f"sqlite:///{tmp_path / 'board.sqlite3'}")
    try:
        day = board.read_board(
            bench.database, bench.identity, bench.code, board.PageAsked(per_page=bench_board.LINES)
        )
    finally:
        bench.engine.dispose()
    states = Counter(line.state for line in day.lines)
    assert len(day.lines) == bench_board.LINES
    assert states["ready"] and states["blocked"] and states["drawn"] and states["given"]


@pytest.fixture
def demo_app(
    committing_factory: SessionFactory, clock: FixedClock, tmp_path: Path
) -> tuple[FastAPI, Database, str]:
    """The demo network served from a database whose commits are real (the mix races)."""
    database = Database(committing_factory, clock)
    password = demo.load_demo(database).password
    assert password is not None
    url = committing_factory.kw["bind"].url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, cookie_secure="never")
    application = create_app(settings, clock)
    application.state.database = database
    return application, database, password


def test_every_action_of_the_load_mix_is_answered(
    demo_app: tuple[FastAPI, Database, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load = _tool("reliability_load")
    app, database, password = demo_app
    client = TestClient(app, base_url="http://127.0.0.1")
    answer = client.post("/api/auth/token", json={"username": "tech.ala", "password": password})
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    monkeypatch.setattr(load, "now", database.clock.now)  # the load's times: the test clock
    lab = load.prepare_lab(client)
    tally = load.Tally()
    worker = load.Worker(client, lab, tally, "t", random.Random(7))
    for action, _weight in load._mix(worker):
        action()
    assert tally.server_errors == 0 and tally.connection_errors == 0
    assert tally.refused == 1  # the same request's second syringe, in the race of two draws
    assert tally.races_doubled == 0
    assert {"dose_request", "draw", "material", "qc"} <= set(tally.acked)
    findings = load.verify(client, tally, lab)
    assert (findings.lost, findings.doubled, findings.overdrawn) == (0, 0, 0)
    app.state.installation.engine.dispose()


def test_the_supply_benchmark_plans_a_small_week() -> None:
    """The supply benchmark's pipeline on 40 drawn orders (``make bench`` draws 600)."""
    bench_supply = _tool("bench_supply")
    result = bench_supply.run(40)
    saved, fraction, common = result.saved()
    assert result.best.status == "optimal"
    assert 0 < common <= len(result.best.assignments)
    assert saved >= 0 and 0 <= fraction < 1
