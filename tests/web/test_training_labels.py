"""The training module's codes read in the reader's language: every code has its label, the
audit trail names the training actions' codes, the course page names the certificates'
languages, and the progress links a therapy course only for those who may open it."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.training.courses import KINDS
from nucmed.services.training.enrolment import MINIMUM_ITEMS
from nucmed.services.uow import Database
from nucmed.training.logbook import PROCEDURE_TYPES, AssessmentKind, CaseRole, Rating, SignOff
from nucmed.web.audit_details import detail_rows
from nucmed.web.i18n import localizer
from nucmed.web.training_labels import (
    ASSESSMENT_LABELS,
    CASE_ROLE_LABELS,
    COURSE_KIND_LABELS,
    MINIMUM_ITEM_LABELS,
    MINIMUM_KIND_LABELS,
    PROCEDURE_LABELS,
    RATING_LABELS,
    SIGN_OFF_LABELS,
)
from tests.web.conftest import sign_in

_LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def demo_password(database: Database) -> str:
    loaded = load_demo(database)
    assert loaded.password is not None
    return loaded.password


def test_every_training_code_has_a_label() -> None:
    assert set(PROCEDURE_TYPES) <= set(PROCEDURE_LABELS)
    assert set(CaseRole) == set(CASE_ROLE_LABELS)
    assert set(SignOff) < set(SIGN_OFF_LABELS)
    assert set(AssessmentKind) == set(ASSESSMENT_LABELS)
    assert set(Rating) == set(RATING_LABELS)
    assert set(MINIMUM_ITEMS) == set(MINIMUM_KIND_LABELS)
    assert {item for items in MINIMUM_ITEMS.values() for item in items} == set(MINIMUM_ITEM_LABELS)
    assert set(KINDS) == set(COURSE_KIND_LABELS)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_audit_trail_names_the_training_codes(language: str) -> None:
    details = {
        "type": "bone-joint",
        "decision": "approved",
        "kind": "mini-cex",
        "rating": "meets",
        "discipline": "medical-physics",
        "elective": "thyroid-therapy",
        "item": "therapy",
        "minimum": 4,
    }
    rows = detail_rows(localizer(language), {**details, "kind": "procedure"}, "UTC")
    assert [row.label for row in rows if _LATIN.search(row.label)] == []
    assert [row.value for row in rows if _LATIN.search(row.value)] == []
    assessment = detail_rows(localizer(language), details, "UTC")[2]
    assert assessment.value == localizer(language).gettext(ASSESSMENT_LABELS["mini-cex"])


def test_the_audit_trail_in_english_and_unknown_codes() -> None:
    english = localizer("en")
    rows = detail_rows(english, {"discipline": "radiology", "type": "oncology"}, "UTC")
    assert [row.value for row in rows] == ["Radiology", "Oncology"]
    assert detail_rows(english, {"discipline": "no-such-code"}, "UTC")[0].value == "no-such-code"


def test_the_course_page_names_the_certificates_languages(
    app: FastAPI, demo_password: str
) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    page = supervisor.get("/training/courses/AML-2024-05").text
    languages = set(re.findall(r"PDF \(([^)]*)\)", page))
    assert languages and languages <= {"Русский", "Қазақша", "English"}


def test_the_therapy_course_is_linked_only_for_a_reader_of_therapy(
    app: FastAPI, demo_password: str
) -> None:
    resident = sign_in(TestClient(app), "resident.ala", demo_password)
    own = resident.get("/sites/NM-ALA/training").text
    assert "/therapy-courses/" not in own
    assert re.search(r'<tr id="case-\d+"', own)

    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    home = supervisor.get("/sites/NM-ALA/training").text
    resident_page = re.findall(r'href="(/sites/NM-ALA/training/residents/\d+)"', home)[0]
    linked = re.findall(r'href="(/therapy-courses/\d+)"', supervisor.get(resident_page).text)
    assert linked
    assert supervisor.get(linked[0]).status_code == 200


def test_a_minimums_trail_is_named_by_its_item_and_a_yield_warning_by_its_side(
    app: FastAPI, demo_password: str
) -> None:
    supervisor = sign_in(TestClient(app), "supervisor.ala", demo_password)
    page = supervisor.get("/audit?entity=training_requirement").text
    assert "entity_id=oncology" in page
    assert "oncology</a>" not in page and "Онкология</a>" in page
    side = detail_rows(localizer("kk"), {"yield_warning": {"side": "above"}}, "UTC")[0]
    assert not _LATIN.search(side.value)
