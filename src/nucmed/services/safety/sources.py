"""Sealed sources and their leak tests (the radiation safety officer): register a source, record
a leak test, and list the tests due (from a month before their date) and the sources whose last
test failed (:mod:`nucmed.safety.sealed_sources`).

The site's "today" is its local calendar day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.safety import sealed_sources as rules
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, site_for
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import LeakTest, SealedSource

__all__ = ["SourceDue", "SourceInput", "leak_tests_due", "record_leak_test", "register_source"]


@dataclass(frozen=True, slots=True)
class SourceInput:
    """A sealed source: nuclide, serial, activity (Bq) on its reference date, and the leak-test
    interval in days."""

    nuclide: str
    serial: str
    activity_bq: float
    reference_date: date
    interval_days: int


def _today(store: Store, site: Site) -> date:
    return store.now().astimezone(ZoneInfo(site.time_zone)).date()


def register_source(database: Database, identity: Identity, code: str, given: SourceInput) -> int:
    """Register a sealed source at site ``code`` (audited); its id."""
    nuclide = get_nuclide(given.nuclide).name
    serial = bounds.check_text(N_("serial number"), given.serial.strip(), 64)
    if not serial:
        raise refusal(N_("give the source's serial number"))
    activity = bounds.ACTIVITY.check(given.activity_bq)
    interval = rules.check_interval(given.interval_days)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        if given.reference_date > _today(store, site):
            raise refusal(N_("the reference date may not be after today"))
        who = actor(store, identity)
        row = SealedSource(
            site_id=site.id, nuclide=nuclide, serial=serial, activity_bq=activity,
            reference_date=given.reference_date, leak_test_interval_days=interval,
            recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_source.register", "safety_source", row.id, site.id))
        return row.id


def record_leak_test(database: Database, identity: Identity, source_id: int, tested_on: date,
                     removable_bq: float) -> bool:  # fmt: skip
    """Record a leak test of a source (audited); True when it passed (below 185 Bq).

    Raises
    ------
    NucmedInputError
        A negative activity, or a day after today or before the source's reference date.
    """
    passed = rules.leak_test_passes(removable_bq)
    with transaction(database) as store:
        site, source = row_at_site(
            store, identity, SealedSource, source_id, Permission.SAFETY_WORK
        )
        if not source.reference_date <= tested_on <= _today(store, site):
            raise refusal(
                N_("the test day must lie between the source's reference date and today")
            )
        who = actor(store, identity)
        row = LeakTest(
            site_id=site.id, source_id=source.id, tested_on=tested_on, removable_bq=removable_bq,
            passed=passed, recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        details = {"removable_bq": removable_bq, "passed": passed}
        event = Event(
            "safety_leak_test.record", "safety_source", source.id, site.id, None, details
        )
        record(store, who, event)
        return passed


@dataclass(frozen=True, slots=True)
class SourceDue:
    """A sealed source that needs the RSO: its next leak test is due (or overdue), or its last
    test failed (``failed``: withdraw it)."""

    id: int
    nuclide: str
    serial: str
    due_on: date
    overdue: bool
    failed: bool


def leak_tests_due(store: Store, site: Site) -> tuple[SourceDue, ...]:
    """The site's sources whose leak test is due from a month ahead, or whose last test failed;
    soonest first."""
    today = _today(store, site)
    listed = []
    for source in store.session.scalars(
        select(SealedSource).where(SealedSource.site_id == site.id)
    ):
        last = store.session.scalars(
            select(LeakTest)
            .where(LeakTest.source_id == source.id)
            .order_by(LeakTest.tested_on.desc(), LeakTest.id.desc())
            .limit(1)
        ).first()
        due = rules.next_due(
            source.reference_date, source.leak_test_interval_days, last.tested_on if last else None
        )
        failed = last is not None and not last.passed
        if failed or rules.shown_as_due(due, today):
            listed.append(
                SourceDue(source.id, source.nuclide, source.serial, due, due < today, failed)
            )
    return tuple(sorted(listed, key=lambda s: s.due_on))
