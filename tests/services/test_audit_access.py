"""Access to the audit trail and the imports: a reader sees the entries of the sites where
they may read the trail (an entry of no site: administrators only); a correction needs the
right at the entry's site; an import needs the permission of what it does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from nucmed.services import accounts, administration
from nucmed.services.auth import Identity, identify
from nucmed.services.clinic import exchange
from nucmed.services.hotlab import doses
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import DoseRequest
from nucmed.vocabulary import Role, SiteKind
from tests.services.test_clinic_exchange import ADT, ORM

PASSWORD = "correct horse battery"
ALMATY = SiteSpec("A-ALA", "Almaty", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
BISHKEK = SiteSpec("A-BIS", "Bishkek", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")
STAFF = {
    "rso.ala": (Role.RSO, "A-ALA"),
    "physicist.ala": (Role.PHYSICIST, "A-ALA"),
    "supervisor.ala": (Role.SUPERVISOR, "A-ALA"),
    "rso.bis": (Role.RSO, "A-BIS"),
    "physicist.bis": (Role.PHYSICIST, "A-BIS"),
    "supervisor.bis": (Role.SUPERVISOR, "A-BIS"),
    "admin": (Role.ADMIN, None),
}


@pytest.fixture
def staff(database: Database) -> dict[str, Identity]:
    """Readers of the trail at Almaty and at Bishkek, the administrator, and a patient
    registered at Almaty (an entry of that site naming the patient)."""
    with transaction(database) as store:
        sites = {spec.code: create_site(store, None, spec) for spec in (ALMATY, BISHKEK)}
        for name, (role, code) in STAFF.items():
            where = sites[code] if code else None
            create_user(store, None, NewUser(name, name, PASSWORD), [(role, where)])
        admin = store.users.by_username("admin")
        given = doses.PatientInput("H-12345", "Ivanova Aigul", None, "F")
        assert admin is not None
        doses.register_patient(store, admin, sites["A-ALA"], given)
    found = {}
    for name in STAFF:
        identity = identify(database, accounts.sign_in(database, name, PASSWORD, "api", 1.0), None)
        assert identity is not None
        found[name] = identity
    return found


def _actions(entries: tuple[administration.EntryView, ...]) -> set[str]:
    return {entry.action for entry in entries}


@pytest.mark.parametrize("reader", ["rso.bis", "physicist.bis", "supervisor.bis"])
def test_a_reader_of_another_site_sees_none_of_its_entries(
    database: Database, staff: dict[str, Identity], reader: str
) -> None:
    seen = administration.recent_entries(database, staff[reader])
    assert "patient.register" not in _actions(seen)
    assert all(entry.site_id is not None for entry in seen)
    assert administration.record_trail(database, staff[reader], "patient", "1") == ()


@pytest.mark.parametrize("reader", ["rso.ala", "physicist.ala", "supervisor.ala"])
def test_a_reader_at_the_site_sees_its_entries_but_none_without_a_site(
    database: Database, staff: dict[str, Identity], reader: str
) -> None:
    seen = administration.recent_entries(database, staff[reader])
    assert "patient.register" in _actions(seen)
    assert all(entry.site_id is not None for entry in seen)
    assert "user.create" not in _actions(seen) and "sign_in.succeed" not in _actions(seen)


def test_an_administrator_sees_every_entry(database: Database, staff: dict[str, Identity]) -> None:
    seen = _actions(administration.recent_entries(database, staff["admin"]))
    assert {"patient.register", "user.create", "sign_in.succeed"} <= seen


def _entry(database: Database, identity: Identity, action: str) -> administration.EntryView:
    entries = administration.recent_entries(database, identity)
    return next(entry for entry in entries if entry.action == action)


def test_only_a_corrector_at_the_entry_site_may_correct_it(
    database: Database, staff: dict[str, Identity]
) -> None:
    entry = _entry(database, staff["admin"], "patient.register")
    with pytest.raises(AccessDeniedError):
        administration.correct_entry(database, staff["rso.bis"], entry.id, "wrong", {})
    fixed = administration.correct_entry(database, staff["rso.ala"], entry.id, "typo", {"a": 1})
    assert fixed.corrects_id == entry.id


def test_an_entry_of_no_site_is_corrected_only_by_an_administrator(
    database: Database, staff: dict[str, Identity]
) -> None:
    entry = _entry(database, staff["admin"], "user.create")
    with pytest.raises(AccessDeniedError):
        administration.correct_entry(database, staff["rso.ala"], entry.id, "wrong", {})
    assert administration.correct_entry(database, staff["admin"], entry.id, "typo", {}).id


def _requests(database: Database) -> int:
    with transaction(database) as store:
        return int(store.session.scalar(select(func.count()).select_from(DoseRequest)) or 0)


@pytest.mark.parametrize("who", ["physicist.ala", "rso.ala", "supervisor.ala"])
def test_an_hl7_order_needs_the_right_to_ask_for_doses(
    database: Database, staff: dict[str, Identity], who: str
) -> None:
    with pytest.raises(AccessDeniedError):
        exchange.receive_hl7(database, staff[who], "A-ALA", ORM)
    assert _requests(database) == 0


def test_an_hl7_admission_needs_the_right_to_register_patients(
    database: Database, staff: dict[str, Identity]
) -> None:
    assert exchange.receive_hl7(database, staff["physicist.ala"], "A-ALA", ADT).patient_id
    for who in ("rso.ala", "supervisor.ala"):
        with pytest.raises(AccessDeniedError):
            exchange.receive_hl7(database, staff[who], "A-ALA", ADT)


@pytest.mark.parametrize("who", ["rso.ala", "supervisor.ala"])
def test_an_rrdsr_import_needs_the_right_to_record_administrations(
    database: Database, staff: dict[str, Identity], who: str
) -> None:
    with pytest.raises(AccessDeniedError):
        exchange.receive_rrdsr(database, staff[who], "A-ALA", b"not read: refused before")
