"""The unit of work under contention: writers queue for the lock instead of failing, a lock
held past the busy timeout is a :class:`DatabaseBusyError`, and the connection comes back
clean (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, insert, select

from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import (
    Database,
    DatabaseBusyError,
    ReadOnlyTransactionError,
    StoredValueError,
    transaction,
)
from nucmed.store.db import EngineLimits, SessionFactory, make_engine, make_session_factory
from nucmed.store.hotlab import Patient
from nucmed.store.models import AuditEntry, Site
from nucmed.vocabulary import SiteKind

THREADS = 12
EACH = 20
SHORT_S = 0.2
SITE = SiteSpec("U-ALA", "Unit of work", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
UNSTORABLE_SITE = SiteSpec(
    "U-BAD", "Bad values", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty"
)


def _backend(factory: SessionFactory) -> str:
    engine: Engine = factory.kw["bind"]
    return engine.dialect.name


@pytest.fixture
def impatient(committing_factory: SessionFactory) -> Iterator[SessionFactory]:
    """A second engine on the same database that waits only ``SHORT_S`` for a lock and holds
    one connection (so that the connection reused after a failure is the one that failed)."""
    url = committing_factory.kw["bind"].url.render_as_string(hide_password=False)
    engine = make_engine(url, EngineLimits(busy_timeout_s=SHORT_S, pool_size=1, max_overflow=0))
    yield make_session_factory(engine)
    engine.dispose()


def _site(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        create_site(store, None, SITE)


def _read_then_write(database: Database, number: int) -> None:
    """A short write that reads first (the pattern that fails when a deferred transaction
    must upgrade its read lock)."""
    with transaction(database) as store:
        seen = store.session.scalar(select(func.count()).select_from(AuditEntry))
        store.audit.add(
            AuditEntry(
                at=store.now(),
                action="test.write",
                entity="thread",
                entity_id=str(number),
                details={"seen": seen},
            )
        )


def test_concurrent_writers_queue_instead_of_failing(committing_factory: SessionFactory) -> None:
    database = Database(committing_factory)

    def writer(number: int) -> None:
        for _ in range(EACH):
            _read_then_write(database, number)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(writer, range(THREADS)))  # re-raises the first failure
    with transaction(database, read_only=True) as store:
        written = store.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "test.write")
        )
    assert written == THREADS * EACH


def test_a_deferred_writer_fails_at_once_when_another_wrote(
    committing_factory: SessionFactory,
) -> None:
    """Why writers take the lock at their start: a deferred transaction (forced here by
    opening it read-only and writing past the session) that has read, then writes after
    another transaction committed, fails without waiting (SQLite's SQLITE_BUSY_SNAPSHOT; the
    busy timeout cannot help)."""
    if _backend(committing_factory) != "sqlite":
        pytest.skip("a deferred transaction's lock upgrade is SQLite's")
    database = Database(committing_factory)
    with pytest.raises(DatabaseBusyError), transaction(database, read_only=True) as reader:
        reader.session.scalar(select(func.count()).select_from(AuditEntry))
        _read_then_write(database, 1)
        reader.session.execute(
            insert(AuditEntry).values(at=reader.now(), action="late", entity="t", entity_id="2")
        )


def test_a_read_only_transaction_that_writes_is_stopped(database: Database) -> None:
    with pytest.raises(ReadOnlyTransactionError), transaction(database, read_only=True) as store:
        store.audit.add(AuditEntry(at=store.now(), action="sneaky", entity="t", entity_id="1"))
        store.session.flush()
    with transaction(database, read_only=True) as store:
        sneaky = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sneaky")
        assert store.session.scalar(sneaky) == 0


def _lock_sites(factory: SessionFactory, *, read_only: bool = False) -> list[Site]:
    with transaction(factory, read_only=read_only) as store:
        query = select(Site) if read_only else select(Site).with_for_update()
        return list(store.session.scalars(query))


def test_a_lock_held_past_the_busy_timeout_is_busy(
    committing_factory: SessionFactory, impatient: SessionFactory
) -> None:
    _site(committing_factory)
    with transaction(committing_factory) as holder:
        holder.session.scalars(select(Site).with_for_update()).all()
        with pytest.raises(DatabaseBusyError) as raised:
            _lock_sites(impatient)
        # A reader does not wait for the writer (WAL on SQLite, MVCC on PostgreSQL).
        assert [site.code for site in _lock_sites(impatient, read_only=True)] == ["U-ALA"]
    assert raised.value.retry_after_s > 0
    assert "busy" in str(raised.value)


def test_the_connection_is_clean_after_a_busy_failure(
    committing_factory: SessionFactory, impatient: SessionFactory
) -> None:
    _site(committing_factory)
    with transaction(committing_factory) as holder:
        holder.session.scalars(select(Site).with_for_update()).all()
        with pytest.raises(DatabaseBusyError):
            _lock_sites(impatient)
    engine: Engine = impatient.kw["bind"]
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # The pool's only connection is the one that failed: it writes again at once.
    _read_then_write(Database(impatient), 3)
    assert [site.code for site in _lock_sites(impatient)] == ["U-ALA"]


def test_a_read_only_transaction_cannot_be_write_locked(database: Database) -> None:
    with (
        pytest.raises(ValueError, match="read-only"),
        transaction(database, write_lock=True, read_only=True),
    ):
        pass  # pragma: no cover - refused before the block runs


class TestUnstorableValues:
    """A value the database cannot hold is bad input (422), not a server error. SQLite holds
    any text; an id beyond 64 bits never reaches it (the web's RecordId and guard refuse it)."""

    def test_a_nul_character_or_an_overlong_name_is_refused_as_input(
        self, database: Database, database_url: str
    ) -> None:
        if database_url.startswith("sqlite"):
            pytest.skip("SQLite stores NUL characters and text of any length")
        with (
            pytest.raises(StoredValueError, match="outside what the database can store"),
            transaction(database) as store,
        ):
            site = create_site(store, None, UNSTORABLE_SITE)
            store.session.add(
                Patient(
                    site_id=site.id,
                    local_id="A\x00B",
                    full_name="x" * 201,
                    created_at=store.now(),
                )
            )
            store.session.flush()
