"""Camera calibration records: sensitivity from a phantom, corrections, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from nucmed.errors import NucmedInputError
from nucmed.imaging.quantify import sensitivity_cps_per_bq
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.event_times import EventTimeError
from nucmed.services.imaging import (
    CalibrationInput,
    camera_calibrations,
    current_calibration,
    installation_sensitivity,
    record_camera_calibration,
)
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.models import AuditEntry
from nucmed.vocabulary import Role, SiteKind
from tests.training.fixtures import identity_of

SITE = SiteSpec("IM-BIS", "Imaging", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")
PASSWORD = "correct horse battery"


@pytest.fixture
def people(database: Database) -> dict[Role, int]:
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        return {
            role: create_user(
                store, None, NewUser(name, name.title(), PASSWORD), [(role, site)]
            ).id
            for name, role in (("phys.a", Role.PHYSICIST), ("res.b", Role.RESIDENT))
        }


def _input(database: Database, **changes: object) -> CalibrationInput:
    now = database.clock.now()
    values: dict[str, object] = {
        "camera": "Discovery 670", "nuclide": "Lu177", "energy_window": "208 keV 20 %",
        "phantom_activity_bq": 400e6, "activity_reference_at": now - timedelta(hours=3),
        "acquired_at": now - timedelta(hours=1), "acquisition_duration_s": 1800.0,
        "counts": 6.5e6,
    }  # fmt: skip
    values.update(changes)
    return CalibrationInput(**values)  # type: ignore[arg-type]


def test_record_gives_the_mird26_sensitivity(database: Database, people: dict[Role, int]) -> None:
    physicist = identity_of(database, people[Role.PHYSICIST])
    view = record_camera_calibration(database, physicist, SITE.code, _input(database))
    expected = sensitivity_cps_per_bq(
        6.5e6, 1800.0, 400e6, 2 * 3600.0, get_nuclide("Lu-177").decay_constant_per_s
    )
    assert view.sensitivity_cps_per_bq == pytest.approx(expected, rel=1e-12)
    assert (view.nuclide, view.superseded) == ("Lu-177", False)
    current = current_calibration(database, physicist, SITE.code, "Discovery 670", "Lu-177")
    assert current.id == view.id
    with transaction(database, read_only=True) as store:
        actions = store.session.scalars(select(AuditEntry.action)).all()
    assert "camera_calibration.record" in actions


def test_correction_supersedes_and_needs_a_reason(
    database: Database, people: dict[Role, int]
) -> None:
    physicist = identity_of(database, people[Role.PHYSICIST])
    first = record_camera_calibration(database, physicist, SITE.code, _input(database))
    with pytest.raises(NucmedInputError, match="a correction needs a reason"):
        record_camera_calibration(
            database, physicist, SITE.code, _input(database, corrects_id=first.id)
        )
    fixed = record_camera_calibration(
        database, physicist, SITE.code,
        _input(database, counts=6.4e6, corrects_id=first.id, reason="background not subtracted"),
    )  # fmt: skip
    listed = camera_calibrations(database, physicist, SITE.code)
    assert listed.may_record
    views = {v.id: v for v in listed.calibrations}
    assert views[first.id].superseded and not views[fixed.id].superseded
    current = current_calibration(database, physicist, SITE.code, "Discovery 670", "Lu-177")
    assert current.id == fixed.id


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        pytest.param({"counts": 0.0}, NucmedInputError, "counts must be", id="no-counts"),
        pytest.param({"camera": " "}, NucmedInputError, "name the camera", id="no-camera"),
        pytest.param(
            {"nuclide": "Xx-999"}, NucmedInputError, "not in the nuclear data set", id="nuclide"
        ),
        pytest.param(
            {"activity_reference_at": "later"}, NucmedInputError, "measured before", id="order"
        ),
        pytest.param({"acquired_at": "future"}, EventTimeError, "in the future", id="future"),
    ],
)
def test_refusals(
    database: Database, people: dict[Role, int], changes: dict[str, object],
    error: type[Exception], message: str,
) -> None:  # fmt: skip
    now = database.clock.now()
    if changes.get("activity_reference_at") == "later":
        changes = {"activity_reference_at": now - timedelta(minutes=10)}
    if changes.get("acquired_at") == "future":
        changes = {"acquired_at": now + timedelta(days=1)}
    physicist = identity_of(database, people[Role.PHYSICIST])
    with pytest.raises(error, match=message):
        record_camera_calibration(database, physicist, SITE.code, _input(database, **changes))


def test_permissions_and_missing(database: Database, people: dict[Role, int]) -> None:
    resident = identity_of(database, people[Role.RESIDENT])
    with pytest.raises(AccessDeniedError):
        record_camera_calibration(database, resident, SITE.code, _input(database))
    physicist = identity_of(database, people[Role.PHYSICIST])
    with pytest.raises(NotFoundError):
        current_calibration(database, physicist, SITE.code, "Symbia", "Lu-177")


def test_records_are_append_only(database: Database, people: dict[Role, int]) -> None:
    physicist = identity_of(database, people[Role.PHYSICIST])
    record_camera_calibration(database, physicist, SITE.code, _input(database))
    with pytest.raises(DBAPIError), transaction(database) as store:
        store.session.execute(text("UPDATE camera_calibrations SET counts = 1"))


def test_installation_sensitivity_for_the_command_line(
    database: Database, people: dict[Role, int]
) -> None:
    physicist = identity_of(database, people[Role.PHYSICIST])
    first = record_camera_calibration(database, physicist, SITE.code, _input(database))
    fixed = record_camera_calibration(
        database, physicist, SITE.code, _input(database, counts=7e6, corrects_id=first.id,
                                               reason="counts misread"),
    )  # fmt: skip
    for site in (None, SITE.code):
        found = installation_sensitivity(database, " Discovery 670 ", "Lu177", site)
        assert found.id == fixed.id
    with pytest.raises(NotFoundError, match="no calibration of camera Discovery 670 for Y-90"):
        installation_sensitivity(database, "Discovery 670", "Y-90")
    with pytest.raises(NotFoundError, match="no site XX"):
        installation_sensitivity(database, "Discovery 670", "Lu-177", "XX")
