"""The training tables are append-only (database triggers of migration 0009): a sign-off or a
correction is a new row, never an edit."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from nucmed.services.training.logbook import CaseEntry, log_case, sign_off
from nucmed.services.uow import Database
from tests.training.fixtures import department, identity_of

TABLES = [
    "training_enrolments",
    "training_cases",
    "training_sign_offs",
    "training_credits",
    "training_requirements",
    "training_assessments",
    "training_courses",
    "training_course_sessions",
    "training_course_participants",
    "training_course_attendance",
]


@pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
def test_logbook_rows_cannot_be_changed(database: Database, verb: str) -> None:
    dept = department(database)
    resident = identity_of(database, dept.resident_id)
    entry = CaseEntry(dept.today, "therapy", "observed", "radionuclide-therapy", ("ОН2",), "I-131")
    case_id = log_case(database, resident, dept.code, entry)
    sign_off(database, identity_of(database, dept.supervisor_id), case_id, "approved")
    for table in ("training_cases", "training_sign_offs", "training_enrolments"):
        statement = f"UPDATE {table} SET id = id" if verb == "UPDATE" else f"DELETE FROM {table}"
        with pytest.raises(DBAPIError, match="append-only"), database.factory.begin() as session:
            session.execute(text(statement))


def test_every_training_table_has_its_trigger(database: Database) -> None:
    with database.factory() as session:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            query = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT event_object_table FROM information_schema.triggers"
        protected = {row[0] for row in session.execute(text(query))}
    assert set(TABLES) <= protected
