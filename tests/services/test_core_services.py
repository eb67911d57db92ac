"""Services of the application core: audit trail, sign-in, sites and settings, demo network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services import audit, auth, demo
from nucmed.services.audit import Event, ReasonRequiredError
from nucmed.services.clock import FixedClock
from nucmed.services.sites import SettingChange, SiteSpec, change_setting, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import Grant, NewUser, create_user, grant_role
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role, SiteKind

SITE = SiteSpec("S-AST", "Test site", SiteKind.DEPARTMENT, "Astana", "KZ", "Asia/Almaty")
PASSWORD = "correct horse battery"


def _site_and_physicist(factory: SessionFactory) -> tuple[int, int]:
    with transaction(factory) as store:
        site = create_site(store, None, SITE)
        user = create_user(
            store, None, NewUser("phys.t", "Physicist", PASSWORD), [(Role.PHYSICIST, site)]
        )
        return site.id, user.id


class TestAuditTrail:
    def test_change_without_required_reason_is_refused_and_nothing_is_written(
        self, factory: SessionFactory
    ) -> None:
        site_id, user_id = _site_and_physicist(factory)
        with (
            pytest.raises(ReasonRequiredError, match="needs a reason"),
            transaction(factory) as store,
        ):
            site, user = store.sites.by_id(site_id), store.users.by_id(user_id)
            assert site is not None and user is not None
            change_setting(store, user, site, SettingChange("eluate_expiry_h", 8, "SOP 12", " "))
        with transaction(factory) as store:
            assert store.sites.current_settings(site_id)["eluate_expiry_h"].value == 12
            assert store.audit.trail("site_setting", f"{site_id}:eluate_expiry_h") == []

    def test_change_with_reason_is_on_the_trail_and_keeps_the_old_value(
        self, factory: SessionFactory, clock: FixedClock
    ) -> None:
        site_id, user_id = _site_and_physicist(factory)
        with transaction(factory) as store:
            site, user = store.sites.by_id(site_id), store.users.by_id(user_id)
            assert site is not None and user is not None
            change = SettingChange("eluate_expiry_h", 8, "Department SOP 12", "local SOP")
            new = change_setting(store, user, site, change)
        with transaction(factory) as store:
            history = store.sites.setting_history(site_id, "eluate_expiry_h")
            trail = store.audit.trail("site_setting", f"{site_id}:eluate_expiry_h")
        assert [h.value for h in history] == [8, 12]
        assert history[0].supersedes_id == history[1].id == new.supersedes_id
        (entry,) = trail
        assert entry.actor_id == user_id
        assert entry.reason == "local SOP"
        assert entry.details == {
            "key": "eluate_expiry_h",
            "from": 12,
            "to": 8,
            "source": "Department SOP 12",
        }
        assert entry.at.tzinfo is UTC
        assert entry.at == clock.now()  # the clock a bare factory's transaction reads

    def test_correction_is_a_new_entry_pointing_to_the_original(
        self, factory: SessionFactory
    ) -> None:
        _, user_id = _site_and_physicist(factory)
        with transaction(factory) as store:
            user = store.users.by_id(user_id)
            original = audit.record(
                store, user, Event("note.add", "note", 1, details={"text": "typo"})
            )
            correction = audit.correct(store, user, original, "typo fixed", {"text": "fixed"})
        with transaction(factory) as store:
            trail = store.audit.trail("note", "1")
        assert [e.id for e in trail] == [original.id, correction.id]
        assert trail[0].details == {"text": "typo"}
        assert trail[1].corrects_id == original.id

    def test_granting_a_role_needs_a_reason(self, factory: SessionFactory) -> None:
        site_id, user_id = _site_and_physicist(factory)
        with pytest.raises(ReasonRequiredError), transaction(factory) as store:
            user, site = store.users.by_id(user_id), store.sites.by_id(site_id)
            assert user is not None
            grant_role(store, user, user, Grant(Role.RSO, site, ""))


class TestSignIn:
    def test_first_administrator_is_created_once(self, factory: SessionFactory) -> None:
        password = auth.ensure_first_admin(factory)
        assert password is not None and len(password) >= 16
        assert auth.ensure_first_admin(factory) is None
        with transaction(factory) as store:
            admin = auth.authenticate(store, "admin", password)
            assert store.users.roles_at(admin.id, None) == {Role.ADMIN}
            assert password not in admin.password_hash

    def test_wrong_password_and_unknown_user_say_the_same(self, factory: SessionFactory) -> None:
        _site_and_physicist(factory)
        messages = []
        for username, password in (("phys.t", "wrong password!"), ("nobody", PASSWORD)):
            with pytest.raises(auth.AuthenticationError) as info, transaction(factory) as store:
                auth.authenticate(store, username, password)
            messages.append(str(info.value))
        assert messages[0] == messages[1] == "wrong username or password"

    def test_tokens_resolve_until_revoked(self, factory: SessionFactory) -> None:
        _site_and_physicist(factory)
        with transaction(factory) as store:
            user = auth.authenticate(store, "phys.t", PASSWORD)
            secret = auth.issue_token(store, user, "api", 1.0)
        with transaction(factory) as store:
            identity = auth.resolve_token(store, secret, "api")
            assert identity is not None and identity.roles == {Role.PHYSICIST}
            assert auth.resolve_token(store, secret, "session") is None
            auth.revoke_token(store, identity)
        with transaction(factory) as store:
            assert auth.resolve_token(store, secret, "api") is None

    def test_short_password_refused(self, factory: SessionFactory) -> None:
        with pytest.raises(NucmedInputError, match="at least 10"), transaction(factory) as store:
            create_user(store, None, NewUser("x.y", "X", "short"), [])


class TestSites:
    def test_new_site_gets_default_settings_with_sources(self, factory: SessionFactory) -> None:
        site_id, _ = _site_and_physicist(factory)
        with transaction(factory) as store:
            settings = store.sites.current_settings(site_id)
        assert settings["worker_effective_dose_limit_msv_per_y"].value == 20
        assert settings["public_effective_dose_limit_msv_per_y"].value == 1
        assert all(s.source for s in settings.values())

    def test_breakthrough_default_agrees_with_the_physics(self, factory: SessionFactory) -> None:
        from nucmed.physics.generator import USP_LIMIT  # noqa: PLC0415

        site_id, _ = _site_and_physicist(factory)
        with transaction(factory) as store:
            value = store.sites.current_settings(site_id)["mo99_breakthrough_limit_kbq_per_mbq"]
        assert value.value == pytest.approx(USP_LIMIT.ratio * 1e3)

    @pytest.mark.parametrize(
        ("zone", "problem"),
        [("Mars/Olympus", "unknown time zone"), ("Asia/Almaty", "country code")],
        ids=["bad zone", "bad country"],
    )
    def test_bad_site_refused(self, factory: SessionFactory, zone: str, problem: str) -> None:
        country = "KZ" if zone != "Asia/Almaty" else "KAZ"
        spec = SiteSpec("B-1", "Bad", SiteKind.DEPARTMENT, "X", country, zone)
        with pytest.raises(NucmedInputError, match=problem), transaction(factory) as store:
            create_site(store, None, spec)


class TestDemoNetwork:
    def test_load_once(self, factory: SessionFactory) -> None:
        first = demo.load_demo(factory)
        second = demo.load_demo(factory)
        assert first.created and first.password
        assert not second.created and second.password is None
        with transaction(factory) as store:
            sites = {site.code: site for site in store.sites.all()}
        assert set(sites) == {spec.code for spec in demo.DEMO_SITES}
        assert sites["INP-ALA"].kind is SiteKind.PRODUCER
        cities = {site.city for site in sites.values()}
        assert cities == {"Алматы", "Астана", "Шымкент", "Семей", "Бишкек"}

    def test_every_role_but_admin_has_demo_users(self, factory: SessionFactory) -> None:
        result = demo.load_demo(factory)
        roles = {account.role for account in result.accounts}
        assert roles == set(Role) - {Role.ADMIN}
        assert result.password is not None
        with transaction(factory) as store:
            auth.authenticate(store, result.accounts[0].username, result.password)

    def test_time_zones_of_the_region(self, factory: SessionFactory) -> None:
        demo.load_demo(factory)
        moment = datetime(2026, 11, 22, 12, tzinfo=UTC)
        with transaction(factory) as store:
            offsets = {
                s.code: moment.astimezone(ZoneInfo(s.time_zone)).utcoffset()
                for s in store.sites.all()
            }
        assert offsets["NM-ALA"] == offsets["NM-AST"] == timedelta(hours=5)
        assert offsets["NM-BIS"] == timedelta(hours=6)


def test_demo_hot_lab_has_three_doses_ready(database: Database, clock: FixedClock) -> None:
    from sqlalchemy import select  # noqa: PLC0415

    from nucmed.services.hotlab.calibrators import constancy_problem  # noqa: PLC0415
    from nucmed.services.hotlab.doses import plan_draw  # noqa: PLC0415
    from nucmed.store.hotlab import DoseCalibrator, DoseRequest, Material  # noqa: PLC0415

    demo.load_demo(database)
    now = clock.now()
    with transaction(database) as store:
        site = store.sites.by_code("NM-ALA")
        assert site is not None
        requests = store.session.scalars(
            select(DoseRequest).where(DoseRequest.site_id == site.id)
        ).all()
        mdp = store.session.scalars(
            select(Material).where(Material.site_id == site.id, Material.kit_code == "mdp")
        ).one()
        device = store.session.scalars(
            select(DoseCalibrator).where(DoseCalibrator.site_id == site.id)
        ).one()
        assert constancy_problem(store, site, device, now) is None
        assert len(requests) == 3
        assert all(plan_draw(store, r, mdp, now).problems == () for r in requests)


def test_demo_department_has_a_therapy_course_within_its_limits(factory: SessionFactory) -> None:
    from sqlalchemy import select  # noqa: PLC0415

    from nucmed.services.therapy import cycles  # noqa: PLC0415
    from nucmed.services.therapy.courses import organ_totals  # noqa: PLC0415
    from nucmed.store.therapy import TherapyCourse  # noqa: PLC0415

    demo.load_demo(factory)
    with transaction(factory) as store:
        (course,) = store.session.scalars(select(TherapyCourse)).all()
        assert course.agent == "lu177-dotatate"
        assert organ_totals(store, course) == {
            "kidneys": pytest.approx(8.8, rel=0.01),  # 4.2 Gy entered, 4.6 Gy from measurements
            "red_marrow": pytest.approx(0.75),
        }
        second = cycles.cycles_of(store, course)[1]
        assert second.number == 2
        assert len(cycles.measurements_of(store, second, "kidneys")) == 3
