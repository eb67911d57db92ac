"""Engines: how long they wait for a lock, their pool, hidden SQL parameters, and which errors
mean "busy" (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from nucmed.services.uow import transaction
from nucmed.store.db import EngineLimits, SessionFactory, is_busy, make_engine
from nucmed.store.hotlab import Patient

SECRET_NAME = "Aigerim Secretova"
LIMITS = EngineLimits(busy_timeout_s=1.5, statement_timeout_s=30, pool_size=3, max_overflow=2)


@pytest.fixture
def limited(database_url: str) -> Iterator[Engine]:
    """An engine on the test database with :data:`LIMITS`."""
    engine = make_engine(database_url, LIMITS)
    yield engine
    engine.dispose()


def test_the_engine_waits_as_long_as_its_limits_say(limited: Engine) -> None:
    with limited.connect() as connection:
        if limited.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1500
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        else:
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "1500ms"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "30s"
    assert limited.pool.size() == LIMITS.pool_size  # type: ignore[attr-defined]
    assert limited.pool.timeout() == LIMITS.busy_timeout_s  # type: ignore[attr-defined]


def test_commands_run_without_a_statement_timeout(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a statement timeout is PostgreSQL's")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "10s"
    finally:
        engine.dispose()


def test_sql_parameters_never_reach_an_error_message(factory: SessionFactory) -> None:
    """A failed write names its statement, not the patient (``hide_parameters``)."""
    with pytest.raises(IntegrityError) as raised, transaction(factory) as store:
        store.session.add(
            Patient(
                site_id=987654321,  # no such site: a foreign-key violation
                local_id="H-0001",
                full_name=SECRET_NAME,
                created_at=datetime(2026, 1, 5, 4, tzinfo=UTC),
            )
        )
        store.session.flush()
    message = str(raised.value)
    assert "INSERT INTO patients" in message
    assert "parameters hidden" in message
    assert SECRET_NAME not in message and "H-0001" not in message


class _Driver(Exception):
    """A driver error carrying a SQLSTATE (psycopg) or an SQLite result code."""

    def __init__(self, sqlstate: str | None = None, sqlite_errorcode: int | None = None) -> None:
        super().__init__("driver error")
        self.sqlstate = sqlstate
        self.sqlite_errorcode = sqlite_errorcode


@pytest.mark.parametrize(
    ("driver", "busy"),
    [
        pytest.param(_Driver(sqlstate="55P03"), True, id="pg-lock-not-available"),
        pytest.param(_Driver(sqlstate="40P01"), True, id="pg-deadlock"),
        pytest.param(_Driver(sqlstate="40001"), True, id="pg-serialization-failure"),
        pytest.param(_Driver(sqlstate="57014"), True, id="pg-statement-timeout"),
        pytest.param(_Driver(sqlstate="23505"), False, id="pg-unique-violation"),
        pytest.param(_Driver(sqlite_errorcode=5), True, id="sqlite-busy"),
        pytest.param(_Driver(sqlite_errorcode=517), True, id="sqlite-busy-snapshot"),
        pytest.param(_Driver(sqlite_errorcode=6), True, id="sqlite-locked"),
        pytest.param(_Driver(sqlite_errorcode=1), False, id="sqlite-error"),
        pytest.param(_Driver(), False, id="no-code"),
    ],
)
def test_which_driver_errors_are_busy(driver: _Driver, busy: bool) -> None:
    assert is_busy(OperationalError("SELECT 1", {}, driver)) is busy


def test_a_pool_without_a_free_connection_is_busy() -> None:
    assert is_busy(PoolTimeoutError("QueuePool limit reached"))
    assert not is_busy(RuntimeError("database is locked"))
