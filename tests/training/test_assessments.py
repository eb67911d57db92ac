"""Workplace-based assessments (DOPS, mini-CEX) and the gate to the final attestation: closed
until credits, minimums and assessments are met, open when they are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.training.assessments import AssessmentEntry, record_assessment
from nucmed.services.training.dashboards import resident_dashboard
from nucmed.services.training.enrolment import (
    CreditEntry,
    MinimumSetting,
    credit_discipline,
    set_minimum,
)
from nucmed.services.training.logbook import CaseEntry, log_case, sign_off
from nucmed.services.uow import Database
from nucmed.training.programme import Component, programme
from tests.training.fixtures import Department, department, identity_of


def _dops(dept: Department, **changes: object) -> AssessmentEntry:
    base: dict[str, object] = {
        "resident_id": dept.resident_id,
        "kind": "dops",
        "assessed_on": dept.today,
        "subject": "I-131 therapy administration",
        "rating": "meets",
        "feedback": "Safe handling; explain the restrictions more slowly",
        "outcomes": ("ОН2", "ОН3"),
    }
    base.update(changes)
    return AssessmentEntry(**base)  # type: ignore[arg-type]


def test_dops_and_mini_cex_are_recorded_and_shown(database: Database) -> None:
    dept = department(database)
    supervisor = identity_of(database, dept.supervisor_id)
    record_assessment(database, supervisor, dept.code, _dops(dept))
    record_assessment(
        database,
        supervisor,
        dept.code,
        _dops(dept, kind="mini-cex", subject="Pre-therapy consent", rating="borderline"),
    )
    view = resident_dashboard(database, identity_of(database, dept.resident_id), dept.code)
    assert [(a.kind, a.satisfactory, a.assessor) for a in view.assessments] == [
        ("mini-cex", False, "Super.B"),
        ("dops", True, "Super.B"),
    ]
    assert {o.code: o.evidence for o in view.outcomes}["ОН3"] == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"kind": "osce"}, "assessment is one of", id="kind"),
        pytest.param({"rating": "good"}, "rating is one of", id="rating"),
        pytest.param({"feedback": " "}, "write the feedback", id="feedback"),
    ],
)
def test_bad_assessments_are_refused(
    database: Database, changes: dict[str, object], message: str
) -> None:
    dept = department(database)
    supervisor = identity_of(database, dept.supervisor_id)
    with pytest.raises(NucmedInputError, match=message):
        record_assessment(database, supervisor, dept.code, _dops(dept, **changes))


def test_a_resident_does_not_assess(database: Database) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    with pytest.raises(AccessDeniedError):
        record_assessment(database, resident, dept.code, _dops(dept))


def _credit_everything_but_one(database: Database, dept: Department) -> None:
    supervisor = identity_of(database, dept.supervisor_id)
    found = programme("7R01108")
    for discipline in found.disciplines:
        if discipline.component is Component.COMPULSORY:
            entry = CreditEntry(dept.resident_id, discipline.code, discipline.credits, "rotation")
            credit_discipline(database, supervisor, dept.code, entry)


def test_gate_opens_only_when_credits_minimums_and_assessments_are_met(
    database: Database,
) -> None:
    dept = department(database)
    supervisor = identity_of(database, dept.supervisor_id)
    resident = identity_of(database, dept.resident_id)
    for kind, item in (("procedure", "therapy"), ("assessment", "dops")):
        setting = MinimumSetting("7R01108", kind, item, 1, "local minimum for the test")
        set_minimum(database, supervisor, dept.code, setting)

    def gate() -> tuple[bool, int, list[str | None], list[str]]:
        view = resident_dashboard(database, resident, dept.code)
        gaps = [g.discipline for g in view.gate_gaps]
        return view.gate_open, view.gate_credits_done, gaps, [u.item for u in view.gate_unmet]

    assert gate() == (False, 0, [*_compulsory(), "thyroid-therapy"], ["therapy", "dops"])
    _credit_everything_but_one(database, dept)
    assert gate() == (False, 134, ["thyroid-therapy"], ["therapy", "dops"])
    credit_discipline(
        database, supervisor, dept.code, CreditEntry(dept.resident_id, "thyroid-therapy", 4)
    )
    assert gate() == (False, 138, [], ["therapy", "dops"])
    case = CaseEntry(
        dept.today - timedelta(days=1),
        "therapy",
        "performed",
        "thyroid-therapy",
        ("ОН2",),
        "Radioiodine for Graves' disease",
    )
    case_id = log_case(database, resident, dept.code, case)
    assert gate()[3] == ["therapy", "dops"]  # not signed yet: does not count
    sign_off(database, supervisor, case_id, "approved")
    assert gate() == (False, 138, [], ["dops"])
    record_assessment(database, supervisor, dept.code, _dops(dept, rating="borderline"))
    assert gate() == (False, 138, [], ["dops"])  # not satisfactory: does not count
    record_assessment(database, supervisor, dept.code, _dops(dept))
    assert gate() == (True, 138, [], [])


def _compulsory() -> list[str | None]:
    found = programme("7R01108")
    return [d.code for d in found.disciplines if d.component is Component.COMPULSORY]


def test_credits_beyond_a_discipline_or_for_an_elective_not_chosen_are_refused(
    database: Database,
) -> None:
    dept = department(database)
    supervisor = identity_of(database, dept.supervisor_id)
    with pytest.raises(NucmedInputError, match="has 6 credits; got 7"):
        entry = CreditEntry(dept.resident_id, "medical-physics", 7)
        credit_discipline(database, supervisor, dept.code, entry)
    with pytest.raises(NucmedInputError, match="credits are recorded for one of"):
        entry = CreditEntry(dept.resident_id, "liver-therapy", 4)
        credit_discipline(database, supervisor, dept.code, entry)
