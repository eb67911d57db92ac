"""Sealed sources (issue 14, item 2): a leak test due appears on the RSO's dashboard a month
before its date, and a failed test (185 Bq or more removable, 10 CFR 35.67(e)) lists the
source to withdraw."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.safety import dashboard, sources
from nucmed.services.safety.sources import SourceInput
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import SITE, site_and_tech


@pytest.fixture
def rso(database: Database) -> Identity:
    with transaction(database) as store:
        site, _ = site_and_tech(store)
        user = create_user(
            store, None, NewUser("rso.s", "Safety Officer", "correct horse battery"),
            [(Role.RSO, site)],
        )  # fmt: skip
        secret = issue_token(store, user, "api", 1.0)
    with transaction(database) as store:
        found = resolve_token(store, secret, "api")
    assert found is not None
    return found


@pytest.fixture
def today(database: Database) -> date:
    return database.clock.now().astimezone(ZoneInfo(SITE.time_zone)).date()


def _due(database: Database, rso: Identity) -> tuple[sources.SourceDue, ...]:
    return dashboard.read_dashboard(database, rso, SITE.code).sources


def _source(database: Database, rso: Identity, reference: date, interval: int = 183) -> int:
    given = SourceInput("Cs-137", "CS-1", 7.4e6, reference, interval)
    return sources.register_source(database, rso, SITE.code, given)


def test_due_appears_a_month_ahead(database: Database, rso: Identity, today: date) -> None:
    _source(database, rso, today - timedelta(days=152))  # due in 31 days: not yet listed
    assert _due(database, rso) == ()
    second = _source(database, rso, today - timedelta(days=153))  # due in 30 days
    (due,) = _due(database, rso)
    assert (due.id, due.due_on, due.overdue, due.failed) == (
        second, today + timedelta(days=30), False, False,
    )  # fmt: skip


def test_a_passed_test_moves_the_date_and_a_failed_one_withdraws(
    database: Database, rso: Identity, today: date
) -> None:
    source = _source(database, rso, today - timedelta(days=200))
    assert _due(database, rso)[0].overdue
    assert sources.record_leak_test(database, rso, source, today, 184.0)
    assert _due(database, rso) == ()
    assert not sources.record_leak_test(database, rso, source, today, 185.0)
    (failed,) = _due(database, rso)
    assert failed.failed


def test_refusals(database: Database, rso: Identity, today: date) -> None:
    with pytest.raises(NucmedInputError, match="1 to 183 days"):
        _source(database, rso, today, interval=365)
    with pytest.raises(NucmedInputError, match="after today"):
        _source(database, rso, today + timedelta(days=1))
    source = _source(database, rso, today - timedelta(days=10))
    with pytest.raises(NucmedInputError, match="between"):
        sources.record_leak_test(database, rso, source, today - timedelta(days=11), 0.0)
    with pytest.raises(NucmedInputError):
        sources.record_leak_test(database, rso, source, today, -1.0)
