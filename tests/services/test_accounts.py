"""The use cases of the application core: sign-in on the installation's clock, the dashboard,
settings, people and the audit trail, each refusing what the person's roles do not grant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.services import accounts, administration, dashboard, sites
from nucmed.services.auth import Identity, identify
from nucmed.services.clock import FixedClock
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.sites import SettingChange, SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role, SiteKind

PASSWORD = "correct horse battery"
ALMATY = SiteSpec("S-ALA", "Almaty", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
BISHKEK = SiteSpec("S-BIS", "Bishkek", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")
CHANGE = SettingChange("eluate_expiry_h", 8, "SOP 12", "stricter")


@pytest.fixture
def staff(database: Database) -> dict[str, Identity]:
    """An RSO at Almaty, a technologist at Almaty who is RSO at Bishkek, and the admin."""
    with transaction(database) as store:
        almaty = create_site(store, None, ALMATY)
        bishkek = create_site(store, None, BISHKEK)
        people = {
            "rso": [(Role.RSO, almaty)],
            "tech": [(Role.RADIOPHARMACIST, almaty), (Role.RSO, bishkek)],
            "admin": [(Role.ADMIN, None)],
        }
        for name, roles in people.items():
            create_user(store, None, NewUser(name, name.title(), PASSWORD), roles)
    found = {}
    for name in ("rso", "tech", "admin"):
        secret = accounts.sign_in(database, name, PASSWORD, "api", 1.0)
        identity = identify(database, secret, None)
        assert identity is not None
        found[name] = identity
    return found


def test_a_token_lasts_its_lifetime_on_the_installation_clock(
    database: Database, clock: FixedClock, staff: dict[str, Identity]
) -> None:
    secret = accounts.sign_in(database, "rso", PASSWORD, "api", 1.0)
    clock.advance(timedelta(minutes=59))
    assert identify(database, secret, None) is not None
    clock.advance(timedelta(minutes=2))
    assert identify(database, secret, None) is None


def test_sign_out_ends_the_token(database: Database, staff: dict[str, Identity]) -> None:
    secret = accounts.sign_in(database, "rso", PASSWORD, "session", 1.0)
    identity = identify(database, None, secret)
    assert identity is not None
    accounts.sign_out(database, identity)
    assert identify(database, None, secret) is None


def test_my_account_and_preferences(database: Database, staff: dict[str, Identity]) -> None:
    me = accounts.save_preferences(database, staff["tech"], "kk", "mCi")
    assert (me.language, me.activity_unit) == ("kk", "mCi")
    assert set(me.roles) == {
        accounts.RoleAt("radiopharmacist", "S-ALA"),
        accounts.RoleAt("rso", "S-BIS"),
    }


def test_the_dashboard_reads_the_clock(
    database: Database, clock: FixedClock, staff: dict[str, Identity]
) -> None:
    board = dashboard.site_dashboard(database, staff["tech"], "S-BIS")
    assert board.now == clock.now() and board.my_roles == ("rso",)
    assert {s.code for s in dashboard.visible_sites(database, staff["rso"])} == {"S-ALA"}
    assert len(dashboard.visible_sites(database, staff["admin"])) == 2
    with pytest.raises(NotFoundError, match="no site S-BIS"):
        dashboard.site_dashboard(database, staff["rso"], "S-BIS")


def test_settings_change_where_the_role_grants_it(
    database: Database, staff: dict[str, Identity]
) -> None:
    assert sites.read_settings(database, staff["tech"], "S-BIS").editable
    assert not sites.read_settings(database, staff["tech"], "S-ALA").editable
    changed = sites.change_site_setting(database, staff["tech"], "S-BIS", CHANGE)
    assert changed.value == 8 and changed.reason == "stricter"
    with pytest.raises(AccessDeniedError, match="does not allow"):
        sites.change_site_setting(database, staff["tech"], "S-ALA", CHANGE)
    history = sites.setting_history(database, staff["tech"], "S-BIS", CHANGE.key)
    assert [h.value for h in history] == [8, 12]


def test_people_are_the_administrator_s(database: Database, staff: dict[str, Identity]) -> None:
    new = NewUser("n.ew", "New", PASSWORD)
    assert administration.create_person(database, staff["admin"], new, "resident", "") == "n.ew"
    assert "n.ew" in {p.username for p in administration.people(database, staff["admin"]).people}
    with pytest.raises(AccessDeniedError):
        administration.people(database, staff["rso"])


def test_a_correction_is_asked_at_the_entry_s_site(
    database: Database, staff: dict[str, Identity]
) -> None:
    sites.change_site_setting(database, staff["rso"], "S-ALA", CHANGE)
    (entry,) = [
        e
        for e in administration.recent_entries(database, staff["rso"])
        if e.action == "site_setting.change"
    ]
    with pytest.raises(AccessDeniedError):
        administration.correct_entry(database, staff["tech"], entry.id, "typo", {})
    fixed = administration.correct_entry(database, staff["rso"], entry.id, "typo", {"x": 1})
    assert fixed.corrects_id == entry.id and fixed.actor == "rso"
    with pytest.raises(NotFoundError, match="no audit entry"):
        administration.correct_entry(database, staff["rso"], 10**9, "typo", {})
