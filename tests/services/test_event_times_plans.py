"""Times that are not typed by hand at the moment: a dose request's planned time (it may have
passed; the board then lists the request as overdue) and an imported administration (old by
nature: a late entry with the reason "imported", but never one ahead of the clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from nucmed.interop.rrdsr import AdministrationRecord, lookup_code
from nucmed.services.clinic.exchange import import_rrdsr
from nucmed.services.clock import FixedClock
from nucmed.services.event_times import IMPORTED, LATE_ENTRY_ACTION, EventTimeError
from nucmed.services.hotlab import doses
from nucmed.services.hotlab.board import read_board
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.models import AuditEntry, Site, User
from tests.services.hotlab_fixtures import SITE, T0, site_and_tech
from tests.services.test_hotlab_doses import identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")

NOW = T0 + timedelta(hours=3)  # 10:00 in Almaty


def _ask(store: Store, site: Site, tech: User, local_id: str, planned_h: float) -> int:
    """A request for a new patient, planned ``planned_h`` hours from now (negative: past)."""
    patient = doses.register_patient(
        store, tech, site, doses.PatientInput(local_id, f"Patient {local_id}", None, "M")
    )
    planned = NOW + timedelta(hours=planned_h)
    given = doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, planned)
    return doses.request_dose(store, tech, site, given).id


def test_a_plan_older_than_the_late_entry_limit_is_refused(
    factory: SessionFactory, clock: FixedClock
) -> None:
    clock.set(NOW)
    with pytest.raises(EventTimeError) as refused, transaction(factory) as store:
        site, tech = site_and_tech(store)
        _ask(store, site, tech, "P-1", -25)
    message = str(refused.value)
    assert "planned time 22.11.2026 09:00 (Asia/Almaty) is more than 24 h before now" in message
    assert "(23.11.2026 10:00 (Asia/Almaty) at the site)" in message


def test_a_request_typed_after_its_time_is_on_the_board_as_overdue(
    factory: SessionFactory, clock: FixedClock
) -> None:
    """Yesterday's undrawn request (20 h back) and this morning's (1 h back) are overdue;
    one planned in an hour is not. Yesterday's would be on no day board without the list."""
    clock.set(NOW)
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        yesterday = _ask(store, site, tech, "P-1", -20)
        morning = _ask(store, site, tech, "P-2", -1)
        later = _ask(store, site, tech, "P-3", 1)
        tech_id = tech.id
    board = read_board(Database(factory), identity_of(factory, tech_id), SITE.code)
    assert [line.request.id for line in board.lines] == [yesterday, morning, later]
    assert [line.request.id for line in board.overdue] == [yesterday, morning]


def _record(start_h: float) -> AdministrationRecord:
    return AdministrationRecord(
        "2.25.424242",
        lookup_code("radiopharmaceutical", "MDP"),
        lookup_code("radionuclide", "Tc-99m"),
        7.4e8,
        NOW + timedelta(hours=start_h),
        lookup_code("route", "IV"),
        patient_id="EXT-1",
        patient_name="Ext^Patient",
        patient_sex="M",
    )


def test_an_old_imported_administration_is_a_late_entry_imported(
    factory: SessionFactory, clock: FixedClock
) -> None:
    clock.set(NOW)
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        row, created = import_rrdsr(store, tech, site, _record(-24 * 30))
        assert created
        [audited] = store.session.scalars(
            select(AuditEntry).where(AuditEntry.action == LATE_ENTRY_ACTION)
        )
    assert audited.reason == IMPORTED and audited.entity_id == str(row.id)
    assert audited.details["late_by_h"] == pytest.approx(24 * 30)


def test_an_imported_administration_ahead_of_the_clock_is_refused(
    factory: SessionFactory, clock: FixedClock
) -> None:
    clock.set(NOW)
    with pytest.raises(EventTimeError, match="is in the future"), transaction(factory) as store:
        site, tech = site_and_tech(store)
        import_rrdsr(store, tech, site, _record(2))
