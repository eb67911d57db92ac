"""Which constancy check lets a dose calibrator dispense (issue #10: the check is read as one
row, not as the device's whole history): the newest of the site's local day up to the moment
of the draw; of two entered for one moment, the one entered last."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from nucmed.services.hotlab import calibrators
from nucmed.services.uow import Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseCalibrator
from nucmed.store.models import Site, User
from tests.services.hotlab_fixtures import T0, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")

SOURCE_BQ = 7.4e6
CERTIFIED = T0 - timedelta(days=365)
PASSING, FAILING = "passing", "failing"
CHECKED = T0 + timedelta(minutes=30)
"""07:30 in Almaty on T0's day."""


def _device(store: Store, site: Site, tech: User) -> DoseCalibrator:
    given = calibrators.CalibratorInput(
        "CRC-25R", "Capintec CRC-25R", "S-1", "Cs-137", SOURCE_BQ, CERTIFIED
    )
    return calibrators.add_calibrator(store, tech, site, given)


def _check(store: Store, tech: User, device: DoseCalibrator, verdict: str, at: datetime) -> None:
    expected = calibrators.expected_check_bq(device, at)
    reading = expected if verdict == PASSING else expected * 0.5
    late = "entered from the paper log" if at < T0 else None
    calibrators.record_constancy(
        store, tech, device, calibrators.ConstancyInput(reading, at, late_entry_reason=late)
    )


@pytest.mark.parametrize(
    ("entered", "problem"),
    [
        ((FAILING, PASSING), None),  # a repeat that passed, entered last, clears the failure
        ((PASSING, FAILING), "failed"),  # a failure entered last stops dispensing
    ],
)
def test_of_two_checks_at_one_moment_the_one_entered_last_counts(
    factory: SessionFactory, entered: tuple[str, str], problem: str | None
) -> None:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        device = _device(store, site, tech)
        for verdict in entered:
            _check(store, tech, device, verdict, CHECKED)
        found = calibrators.constancy_problem(store, site, device, T0 + timedelta(hours=1))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_only_a_check_of_the_same_local_day_and_not_after_the_draw_counts(
    factory: SessionFactory,
) -> None:
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        device = _device(store, site, tech)
        _check(store, tech, device, PASSING, T0 - timedelta(hours=8))  # 23:00 the day before
        _check(store, tech, device, PASSING, CHECKED)
        before = calibrators.constancy_problem(store, site, device, CHECKED - timedelta(minutes=1))
        after = calibrators.constancy_problem(store, site, device, CHECKED)
    assert before is not None and "no constancy check" in before
    assert after is None
