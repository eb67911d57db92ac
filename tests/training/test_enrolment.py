"""Enrolment: the programme director enrols; a change is a new row that corrects the previous
(the chosen elective changes what may be logged); bad enrolments are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.training.dashboards import resident_dashboard
from nucmed.services.training.enrolment import Enrolment, enrol_resident
from nucmed.services.uow import Database
from tests.training.fixtures import Department, department, identity_of


def _enrolment(dept: Department, **changes: object) -> Enrolment:
    base: dict[str, object] = {
        "resident_id": dept.resident_id,
        "supervisor_id": dept.supervisor_id,
        "programme_code": "7R01108",
        "elective_code": "liver-therapy",
        "started_on": dept.today - timedelta(days=30),
    }
    base.update(changes)
    return Enrolment(**base)  # type: ignore[arg-type]


def test_a_new_enrolment_corrects_the_previous(database: Database) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    enrol_resident(database, director, dept.code, _enrolment(dept))
    view = resident_dashboard(database, identity_of(database, dept.resident_id), dept.code)
    assert view.elective is not None and view.elective.en.endswith("liver cancer")
    assert [d.code for d in view.disciplines][-1] == "liver-therapy"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"elective_code": "medical-physics"}, "the elective is one of", id="elective"
        ),
        pytest.param({"programme_code": "7R0"}, "no programme 7R0", id="programme"),
        pytest.param({"supervisor_id": 10**6}, "is not a supervisor", id="supervisor"),
    ],
)
def test_bad_enrolments_are_refused(
    database: Database, changes: dict[str, object], message: str
) -> None:
    dept = department(database)
    director = identity_of(database, dept.supervisor_id)
    with pytest.raises(NucmedInputError, match=message):
        enrol_resident(database, director, dept.code, _enrolment(dept, **changes))


def test_a_technologist_does_not_enrol(database: Database) -> None:
    dept = department(database)
    with pytest.raises(AccessDeniedError):
        enrol_resident(database, identity_of(database, dept.tech_id), dept.code, _enrolment(dept))
