"""The logbook loop: a case linked to a real administration, signed by the supervisor, moves
the resident's dashboard; an unsigned or returned case does not count; minimums enforced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.training.dashboards import cohort, resident_dashboard, sign_offs_waiting
from nucmed.services.training.enrolment import MinimumSetting, set_minimum
from nucmed.services.training.logbook import CaseEntry, log_case, sign_off
from nucmed.services.uow import Database
from tests.training.fixtures import Department, administration, department, identity_of


def _case(dept: Department, **changes: object) -> CaseEntry:
    base: dict[str, object] = {
        "performed_on": dept.today,
        "procedure_type": "bone-joint",
        "role": "supervised",
        "discipline_code": "radionuclide-diagnostics",
        "outcomes": ("ОН1", "ОН3"),
        "description": "Whole-body bone scan, metastases excluded",
    }
    base.update(changes)
    return CaseEntry(**base)  # type: ignore[arg-type]


def _minimum(database: Database, dept: Department, item: str, minimum: int) -> None:
    director = identity_of(database, dept.supervisor_id)
    given = MinimumSetting("7R01108", "procedure", item, minimum, "programme director, 2026")
    set_minimum(database, director, dept.code, given)


def test_signed_case_linked_to_an_administration_moves_the_dashboard(
    database: Database,
) -> None:
    dept = department(database)
    _minimum(database, dept, "bone-joint", 1)
    resident = identity_of(database, dept.resident_id)
    supervisor = identity_of(database, dept.supervisor_id)
    given = _case(dept, administration_id=administration(database, dept))
    case_id = log_case(database, resident, dept.code, given)

    before = resident_dashboard(database, resident, dept.code)
    assert [m.done for m in before.minimums] == [0] and not before.minimums[0].met
    assert before.cases[0].status == "waiting" and not before.cases[0].counts
    assert before.cases[0].administration == "Bone scan, Tc-99m MDP"
    assert [c.id for c in sign_offs_waiting(database, supervisor, dept.code)] == [case_id]

    sign_off(database, supervisor, case_id, "approved", "Well reported")
    after = resident_dashboard(database, resident, dept.code)
    assert [(m.item, m.done, m.met, m.reference) for m in after.minimums] == [
        ("bone-joint", 1, True, 600)
    ]
    assert after.cases[0].counts and after.cases[0].signed_by == "Super.B"
    assert {o.code: o.evidence for o in after.outcomes}["ОН1"] == 1
    assert sign_offs_waiting(database, supervisor, dept.code) == ()


def test_unsigned_and_returned_cases_do_not_count(database: Database) -> None:
    dept = department(database)
    _minimum(database, dept, "diagnostic", 1)
    resident = identity_of(database, dept.resident_id)
    supervisor = identity_of(database, dept.supervisor_id)
    log_case(database, resident, dept.code, _case(dept))
    returned = log_case(database, resident, dept.code, _case(dept, procedure_type="oncology"))
    with pytest.raises(NucmedInputError, match="write the comment"):
        sign_off(database, supervisor, returned, "returned", " ")
    sign_off(database, supervisor, returned, "returned", "Report the SUV")
    view = resident_dashboard(database, resident, dept.code)
    assert [(m.done, m.met) for m in view.minimums] == [(0, False)]
    assert {c.status for c in view.cases} == {"waiting", "returned"}
    assert not view.gate_open


def test_correction_replaces_the_case_and_needs_its_own_sign_off(database: Database) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    supervisor = identity_of(database, dept.supervisor_id)
    first = log_case(database, resident, dept.code, _case(dept))
    sign_off(database, supervisor, first, "approved")
    fixed = log_case(
        database, resident, dept.code, _case(dept, role="performed", corrects_id=first)
    )
    view = resident_dashboard(database, resident, dept.code)
    assert [(c.id, c.status, c.corrects_id) for c in view.cases] == [(fixed, "waiting", first)]
    with pytest.raises(NucmedInputError, match="has been corrected"):
        sign_off(database, supervisor, first, "approved")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"procedure_type": "x-ray"}, "procedure type is one of", id="type"),
        pytest.param({"role": "watched"}, "role is one of", id="role"),
        pytest.param({"discipline_code": "liver-therapy"}, "discipline is one of", id="elective"),
        pytest.param({"outcomes": ("ОН11",)}, "learning outcomes of", id="outcome"),
        pytest.param({"outcomes": ()}, "learning outcomes of", id="no outcome"),
        pytest.param({"administration_id": 999999}, "no administration 999999", id="link"),
        pytest.param({"description": ""}, "write the description", id="description"),
    ],
)
def test_bad_entries_are_refused(
    database: Database, changes: dict[str, object], message: str
) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    with pytest.raises(NucmedInputError, match=message):
        log_case(database, resident, dept.code, _case(dept, **changes))


def test_a_future_date_is_refused(database: Database) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    tomorrow = dept.today + timedelta(days=1)
    with pytest.raises(NucmedInputError, match="must lie from"):
        log_case(database, resident, dept.code, _case(dept, performed_on=tomorrow))


def test_roles_are_checked(database: Database) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    supervisor = identity_of(database, dept.supervisor_id)
    tech = identity_of(database, dept.tech_id)
    case_id = log_case(database, resident, dept.code, _case(dept))
    with pytest.raises(AccessDeniedError):
        sign_off(database, resident, case_id, "approved")
    with pytest.raises(AccessDeniedError):
        log_case(database, supervisor, dept.code, _case(dept))
    with pytest.raises(AccessDeniedError):
        resident_dashboard(database, tech, dept.code)
    with pytest.raises(AccessDeniedError):
        resident_dashboard(database, resident, dept.code, dept.supervisor_id)
    rows = cohort(database, supervisor, dept.code)
    assert [(r.resident, r.waiting_cases, r.gate_open) for r in rows] == [("Resident.A", 1, False)]
