"""The demo placed by the clock: whatever the hour it is loaded at, the Almaty day board shows
three patients ready to draw, and nothing it records happens after the moment of loading.

The clock fixture is set to moments of the Almaty local day (Asia/Almaty, UTC+5), including the
two edges that used to fail: late evening (patients booked on tomorrow's board) and just after
midnight (the calibrator's constancy check on yesterday's date, which blocks every draw).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from nucmed.services import auth, demo
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import board
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Base, UTCDateTime

ALMATY = ZoneInfo("Asia/Almaty")

MOMENTS = [
    pytest.param(time(23, 59), id="23:59, a minute before local midnight"),
    pytest.param(time(0, 0, 30), id="00:00:30, just after local midnight"),
    pytest.param(time(12, 0), id="12:00, midday"),
    pytest.param(time(22, 30), id="22:30, 90 min left: spacing compressed"),
]

NOT_EVENTS = frozenset(
    {"planned_at", "expires_at", "revoked_at", "calibration_at", "depart_at", "arrive_at"}
)
"""Time columns that hold a plan or a limit, not something that happened (an order's
calibration and a departure's times are ahead)."""

RECORDED = frozenset(
    {
        "materials",  # the generator's receipt, the elution, the labelling
        "receipt_surveys",
        "qc_results",  # the eluate's and the kit's QC
        "calibrator_qc",  # the constancy check
        "waste_items",
        "therapy_courses",
        "therapy_cycles",
        "therapy_measurements",
        "audit_entries",
    }
)
"""Tables the demo must write to (so that the check below has something to check)."""


def _load_at(database: Database, clock: FixedClock, local: time) -> datetime:
    """Load the demo with the clock at ``local`` on the clock's Almaty date; return now."""
    day = clock.now().astimezone(ALMATY).date()
    clock.set(datetime.combine(day, local, tzinfo=ALMATY))
    assert demo.load_demo(database).created
    return clock.now()


def _todays_board(database: Database) -> board.BoardView:
    """The Almaty board as its page reads it, by the demo's technologist (the site's local
    day of the clock's now)."""
    with transaction(database) as store:
        user = store.users.by_username("tech.ala")
        assert user is not None
        identity = auth.resolve_token(store, auth.issue_token(store, user, "api", 1.0), "api")
    assert identity is not None
    return board.read_board(database, identity, "NM-ALA")


@pytest.mark.parametrize("local", MOMENTS)
def test_three_patients_ready_on_todays_board(
    database: Database, clock: FixedClock, local: time
) -> None:
    now = _load_at(database, clock, local)
    midnight = datetime.combine(
        now.astimezone(ALMATY).date() + timedelta(days=1), time(0), tzinfo=ALMATY
    )
    seen = _todays_board(database)
    lines = [(line.patient.local_id, line.state, line.blocked) for line in seen.lines]
    planned = [line.request.planned_at for line in seen.lines]
    assert seen.now == now and seen.day == now.astimezone(ALMATY).date()
    assert lines == [(f"A-000{n}", "ready", ()) for n in (1, 2, 3)]
    assert [check.problem for check in seen.calibrators] == [None]  # checked today, passed
    assert all(now < at < midnight for at in planned)


def test_at_midday_the_patients_keep_their_spacing(database: Database, clock: FixedClock) -> None:
    now = _load_at(database, clock, time(12, 0))
    planned = [line.request.planned_at for line in _todays_board(database).lines]
    assert [at - now for at in planned] == [timedelta(minutes=m) for m in (60, 90, 120)]


def _recorded_times(store: Store) -> dict[str, list[datetime]]:
    """Every moment at which something happened, by table (plans and limits left out)."""
    found: dict[str, list[datetime]] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UTCDateTime) and column.name not in NOT_EVENTS:
                moments = store.session.scalars(select(column).where(column.is_not(None)))
                found.setdefault(table.name, []).extend(moments)
    return {name: moments for name, moments in found.items() if moments}


@pytest.mark.parametrize("local", MOMENTS)
def test_nothing_recorded_after_the_moment_of_loading(
    database: Database, clock: FixedClock, local: time
) -> None:
    now = _load_at(database, clock, local)
    with transaction(database) as store:
        recorded = _recorded_times(store)
    assert RECORDED <= set(recorded)
    late = {name: [m for m in moments if m > now] for name, moments in recorded.items()}
    assert {name: moments for name, moments in late.items() if moments} == {}


def test_the_constancy_check_is_of_the_local_day_just_after_midnight(
    database: Database, clock: FixedClock
) -> None:
    now = _load_at(database, clock, time(0, 0, 30))
    with transaction(database) as store:
        (checked,) = _recorded_times(store)["calibrator_qc"]
    assert checked.astimezone(ALMATY).date() == now.astimezone(ALMATY).date()
    assert checked <= now
