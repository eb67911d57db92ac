"""Shared fixtures: migrated databases on SQLite and, where reachable, PostgreSQL.

Each database is created and migrated once per test session; each test runs inside a
transaction that is rolled back at its end (services' own transactions become savepoints).

PostgreSQL: ``NUCMED_TEST_DATABASE_URL`` (a server URL; a fresh database is created on it and
dropped afterwards), else a server on 127.0.0.1:5432 as user postgres. Without a server the
PostgreSQL cases are skipped, unless ``NUCMED_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import sessionmaker

from nucmed.services.clock import FixedClock, SystemClock
from nucmed.services.uow import Database
from nucmed.store.db import SessionFactory, make_engine
from nucmed.store.migrate import upgrade

BACKENDS = ["sqlite", "postgresql"]


def _postgres_server_url() -> str | None:
    explicit = os.environ.get("NUCMED_TEST_DATABASE_URL")
    if explicit:
        return explicit
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    except OSError:
        return None


def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database of its own (a copy of ``template`` when given), dropped after."""
    server = _postgres_server_url()
    if server is None:
        if os.environ.get("NUCMED_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (NUCMED_REQUIRE_POSTGRES=1) but not reachable")
        pytest.skip("no PostgreSQL server reachable (set NUCMED_TEST_DATABASE_URL)")
    name = f"nucmed_test_{os.getpid()}_{secrets.token_hex(4)}"
    copied = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copied}'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a freshly migrated database, once per backend per test session."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "nucmed.sqlite3"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    for url in _postgres_database():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the migrated database."""
    created = make_engine(database_url)
    yield created
    created.dispose()


@pytest.fixture
def factory(engine: Engine) -> Iterator[SessionFactory]:
    """Sessions inside one outer transaction, rolled back when the test ends."""
    connection = engine.connect()
    outer = connection.begin()
    sessions = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    yield sessions
    outer.rollback()
    connection.close()


@pytest.fixture
def clock() -> FixedClock:
    """The clock of the application under test: today at 04:00 UTC (09:00 in Almaty, 10:00 in
    Bishkek), so that what a test books "in 30 minutes" stays on the same local day whatever
    the hour the suite runs at; a test moves it with ``clock.advance``.

    ``NUCMED_TEST_NOW`` (an ISO 8601 moment with its offset) puts it elsewhere, e.g. at 23:50
    in Almaty, to run the suite at the edges of the local day (with ``faketime`` moving the
    computer's clock there too; see CONTRIBUTING.md)."""
    given = os.environ.get("NUCMED_TEST_NOW")
    if given:
        return FixedClock(datetime.fromisoformat(given))
    today = datetime.now(UTC).date()
    return FixedClock(datetime.combine(today, time(4, 0), tzinfo=UTC))


@pytest.fixture
def t0_evening(clock: FixedClock) -> FixedClock:
    """The test clock (which a bare session factory's transaction reads too) at
    ``tests.services.hotlab_fixtures.EVENING``, for the tests that record events at fixed
    times on that day: none of them then lies ahead of the clock or more than a day before
    it."""
    from tests.services.hotlab_fixtures import EVENING  # noqa: PLC0415 - only these tests

    clock.set(EVENING)
    return clock


@pytest.fixture(autouse=True)
def system_clock_reads_the_test_clock(
    request: pytest.FixtureRequest, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a test opens without naming a clock (a transaction on a bare session factory, a
    ``Database(factory)``: its set-up, mostly) reads the test's :func:`clock`, as the
    application under test does, instead of the computer's: otherwise what a test records
    "now" by its clock lies hours ahead of, or behind, the computer's clock whenever the suite
    runs before 04:00 UTC, and the event-time checks rightly refuse it. Tests of the system
    clock itself are marked ``real_clock``."""
    if request.node.get_closest_marker("real_clock") is None:
        monkeypatch.setattr(SystemClock, "now", lambda _self: clock.now())


@pytest.fixture
def database(factory: SessionFactory, clock: FixedClock) -> Database:
    """The test database (rolled back after the test) with the fixed :func:`clock`."""
    return Database(factory, clock)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with minimal cost in tests (the production parameters stay in the code)."""
    from argon2 import PasswordHasher  # noqa: PLC0415

    from nucmed.services import auth  # noqa: PLC0415

    fast = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: fast)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Migrated empty databases that :func:`committing_factory` copies, so that each of its
    tests starts from a copy instead of running every migration again: an SQLite file, and
    (when a server answers) a PostgreSQL database used as a ``TEMPLATE``, by backend name."""
    path: Path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    made = {"sqlite": str(path)}
    if _postgres_server_url() is None:
        yield made
        return
    for url in _postgres_database():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()  # a template must have no open connection while it is copied
        yield {**made, "postgresql": str(make_url(url).database)}


@pytest.fixture(params=BACKENDS)
def committing_factory(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: dict[str, str]
) -> Iterator[SessionFactory]:
    """Sessions on a fresh, migrated database of their own (a copy of the migrated template),
    whose commits are real (for tests of concurrent transactions); dropped afterwards."""
    if request.param == "sqlite":
        copy = tmp_path / "concurrent.sqlite3"
        shutil.copyfile(migrated_templates["sqlite"], copy)
        urls: Iterator[str] = iter([f"sqlite:///{copy}"])
    else:
        urls = _postgres_database(migrated_templates.get("postgresql"))
    for url in urls:
        engine = make_engine(url)
        yield sessionmaker(engine, expire_on_commit=False)
        engine.dispose()
