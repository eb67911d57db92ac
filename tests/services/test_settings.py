"""Typed site settings: every stored setting read once, in SI (analytic conversions)."""

from __future__ import annotations

import dataclasses

import pytest

from nucmed.services.settings import SiteSettings, site_settings
from nucmed.services.sites import (
    SettingChange,
    SiteSpec,
    change_setting,
    create_site,
    setting_defaults,
)
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role, SiteKind

SITE = SiteSpec("S-SET", "Settings site", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")


def test_every_default_setting_has_a_typed_field() -> None:
    """A default key without a field (or a field without a key) is a packaging fault."""
    from nucmed.services.settings import _FIELDS  # noqa: PLC0415 - the table under test

    keys = {d.key for d in setting_defaults("KZ")} | {d.key for d in setting_defaults("KG")}
    assert keys == set(_FIELDS)
    names = {field.name for field in dataclasses.fields(SiteSettings)} - {"drl_bq"}
    assert names == {name for name, _ in _FIELDS.values()}


class TestAnalytic:
    """Each conversion follows from the unit in the key's name."""

    @pytest.fixture
    def settings(self, database: Database) -> SiteSettings:
        with transaction(database) as store:
            site = create_site(store, None, SITE)
            return site_settings(store, site)

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            pytest.param("eluate_expiry_s", 12 * 3600.0, id="12 h"),
            pytest.param("mo99_breakthrough_limit", 0.15e-3, id="0.15 kBq/MBq"),
            pytest.param("eluate_aluminium_limit_kg_per_m3", 10e-9 / 1e-6, id="10 ug/mL"),
            pytest.param("dispensing_tolerance", 0.10, id="10 %"),
            pytest.param(
                "receipt_surface_dose_rate_limit_sv_per_s", 2000e-6 / 3600, id="2000 uSv/h"
            ),
            pytest.param("receipt_wipe_limit_bq_per_m2", 4 * 1e4, id="4 Bq/cm2"),
            pytest.param("worker_effective_dose_limit_sv_per_y", 0.020, id="20 mSv/y"),
            pytest.param("therapy_kidney_limit_gy", 23.0, id="23 Gy"),
        ],
    )
    def test_defaults_in_si(self, settings: SiteSettings, name: str, expected: float) -> None:
        assert getattr(settings, name) == pytest.approx(expected, rel=1e-12)

    def test_flags_are_booleans(self, settings: SiteSettings) -> None:
        assert settings.waste_release_by_clearance is False


def test_a_changed_setting_and_a_drl_are_read_in_si(database: Database) -> None:
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        rso = create_user(
            store, None, NewUser("rso.s", "RSO", "correct horse"), [(Role.RSO, site)]
        )
        change_setting(store, rso, site, SettingChange("eluate_expiry_h", 8, "SOP 4", "local"))
        change_setting(
            store, rso, site, SettingChange("drl_bone_scintigraphy_mbq", 700, "national", "DRL")
        )
        change_setting(
            store, rso, site, SettingChange("waste_release_by_clearance", 1, "SOP 9", "policy")
        )
        settings = site_settings(store, site)
    assert settings.eluate_expiry_s == 8 * 3600.0
    assert settings.drl_bq == {"bone_scintigraphy": 700e6}
    assert settings.waste_release_by_clearance is True
