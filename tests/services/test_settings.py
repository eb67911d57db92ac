"""Typed site settings: every stored setting read once, in SI (analytic conversions)."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.setting_ranges import (
    SETTING_UNITS,
    SettingRangeError,
    drl_range,
    setting_range,
)
from nucmed.services.settings import SiteSettings, site_settings
from nucmed.services.site_defaults import effective_settings, setting_defaults
from nucmed.services.sites import (
    SettingChange,
    SiteSpec,
    change_setting,
    create_site,
    setting_view,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.models import Site, SiteSetting, User
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


# --------------------------------------------------------------------------- ranges (issue 11)


def test_every_default_lies_within_its_declared_range() -> None:
    """Each shipped default passes its own range, has a unit pages can translate and a reason."""
    for default in {*setting_defaults("KZ"), *setting_defaults("KG")}:
        allowed = setting_range(default.key)
        assert allowed is not None, default.key
        assert allowed.holds(default.value), default.key
        assert allowed.unit in SETTING_UNITS, default.key
        assert allowed.reason.strip(), default.key
        assert allowed.low < allowed.high, default.key


def _site_and_editor(store: Store) -> tuple[Site, User]:
    site = create_site(store, None, SITE)
    rso = create_user(store, None, NewUser("rso.r", "RSO", "correct horse"), [(Role.RSO, site)])
    return site, rso


def _change(database: Database, key: str, value: float) -> float:
    """Change ``key`` to ``value`` through the service; return what the site reads back."""
    with transaction(database) as store:
        site, rso = _site_and_editor(store)
        row = change_setting(store, rso, site, SettingChange(key, value, "SOP 1", "test"))
        return float(row.value)


class TestBounds:
    """Each kind of bound: closed, open at 0 (a limit), a ceiling, a count, a yes/no flag."""

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            pytest.param("dispensing_tolerance_percent", 1, id="tolerance at its floor, 1 %"),
            pytest.param("dispensing_tolerance_percent", 25, id="tolerance at its ceiling, 25 %"),
            pytest.param("worker_effective_dose_limit_msv_per_y", 0.001, id="limit just above 0"),
            pytest.param("receipt_wipe_limit_bq_per_cm2", 0.4, id="wipe action level 0.4"),
            pytest.param("waste_release_half_lives", 20, id="20 half-lives"),
            pytest.param("waste_release_by_clearance", 1, id="flag yes"),
            pytest.param("waste_release_by_clearance", 0, id="flag no"),
            pytest.param("waste_release_margin_usv_per_h", 0, id="margin 0, closed at 0"),
            pytest.param("elution_yield_warn_above_percent", 200, id="yield band edge 200 %"),
            pytest.param("event_time_future_tolerance_min", 0, id="no minutes ahead"),
            pytest.param("drl_bone_scintigraphy_mbq", 700, id="DRL of a bone scan 700 MBq"),
        ],
    )
    def test_a_value_within_its_range_is_stored(
        self, database: Database, key: str, value: float
    ) -> None:
        assert _change(database, key, value) == value

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            pytest.param(
                "dispensing_tolerance_percent",
                250,
                "dispensing_tolerance_percent must be from 1 to 25 %; got 250 %",
                id="the issue's tolerance of 250 %",
            ),
            pytest.param(
                "dispensing_tolerance_percent",
                0.5,
                "must be from 1 to 25 %; got 0.5 %",
                id="tolerance below 1 %",
            ),
            pytest.param(
                "worker_effective_dose_limit_msv_per_y",
                0,
                "must be above 0 and at most 50 mSv/y; got 0 mSv/y",
                id="a limit of 0",
            ),
            pytest.param(
                "worker_effective_dose_limit_msv_per_y",
                51,
                "must be above 0 and at most 50 mSv/y; got 51 mSv/y",
                id="a limit above the single-year maximum",
            ),
            pytest.param(
                "receipt_wipe_limit_bq_per_cm2",
                -1,
                "must be above 0 and at most 4 Bq/cm²; got -1 Bq/cm²",
                id="a negative action level",
            ),
            pytest.param(
                "waste_release_half_lives", 0.5, "from 1 to 20 half-lives", id="half a half-life"
            ),
            pytest.param(
                "waste_release_half_lives", 21, "from 1 to 20 half-lives", id="21 half-lives"
            ),
            pytest.param(
                "waste_release_by_clearance",
                0.5,
                "waste_release_by_clearance must be 0 (no) or 1 (yes); got 0.5",
                id="a flag of 0.5",
            ),
            pytest.param(
                "elution_yield_warn_below_percent",
                150,
                "from 0 to 100 %; got 150 %",
                id="yield warning floor above 100 %",
            ),
            pytest.param(
                "late_entry_after_h", 169, "from 1 to 168 h; got 169 h", id="late after 169 h"
            ),
            pytest.param(
                "eluate_expiry_h", math.inf, "at most 24 h; got inf h", id="an infinite expiry"
            ),
            pytest.param(
                "mo99_breakthrough_limit_kbq_per_mbq", math.nan, "got nan", id="NaN breakthrough"
            ),
            pytest.param(
                "drl_bone_scintigraphy_mbq",
                7401,
                "the DRL of bone_scintigraphy must be above 0 and at most 7400 MBq; got 7401 MBq",
                id="a DRL above ten times the bone scan's 740 MBq",
            ),
            pytest.param(
                "drl_bone_scintigraphy_mbq", 0, "above 0 and at most 7400 MBq", id="a DRL of 0"
            ),
            pytest.param(
                "drl_some_local_study_mbq",
                9000,
                "at most 8500 MBq; got 9000 MBq",
                id="a DRL of a study the catalogue does not know: the catalogue's ceiling",
            ),
        ],
    )
    def test_a_value_outside_its_range_is_refused_with_the_range(
        self, database: Database, key: str, value: float, message: str
    ) -> None:
        with pytest.raises(SettingRangeError, match=re.escape(message)):
            _change(database, key, value)

    def test_the_refusal_is_translatable(self) -> None:
        allowed = setting_range("dispensing_tolerance_percent")
        assert allowed is not None
        with pytest.raises(SettingRangeError) as caught:
            allowed.check(250)
        (template, values), *_ = caught.value.parts
        assert template == "{setting} must be from {low} to {high} {unit}; got {value} {unit}"
        assert values["unit"] == "%" and values["setting"] == "dispensing_tolerance_percent"

    def test_an_unknown_key_is_refused(self, database: Database) -> None:
        with pytest.raises(NucmedInputError, match="unknown setting no_such_key"):
            _change(database, "no_such_key", 1)


class TestDrlRange:
    """The DRL rule: above 0, at most ten times the procedure's highest published number."""

    @pytest.mark.parametrize(
        ("key", "ceiling_mbq"),
        [
            # bone: usual adult 300-740 MBq and the French DRL 700 MBq -> 10 x 740
            pytest.param("drl_bone_mbq", 7400.0, id="catalogue code"),
            pytest.param("drl_bone_scintigraphy_mbq", 7400.0, id="name without brackets"),
            pytest.param("drl_bone_scan_mbq", 7400.0, id="first word is the code"),
            # thyroid-i123: DRL 10 MBq, no adult range -> 10 x 10
            pytest.param("drl_thyroid_i123_mbq", 100.0, id="I-123 thyroid, 10 x its DRL"),
            # parathyroid: no number in the catalogue -> its highest, MUGA/MIBI 2-day 850 MBq
            pytest.param("drl_parathyroid_mbq", 8500.0, id="a procedure without numbers"),
        ],
    )
    def test_the_ceiling_follows_the_catalogue(self, key: str, ceiling_mbq: float) -> None:
        allowed = drl_range(key)
        assert (allowed.low, allowed.low_open, allowed.unit) == (0.0, True, "MBq")
        assert allowed.high == pytest.approx(ceiling_mbq, rel=1e-12)


def test_a_stored_value_outside_its_new_range_is_read_as_stored_and_flagged(
    database: Database,
) -> None:
    """A row stored before the ranges existed (250 %) still reads; the settings page flags it."""
    with transaction(database) as store:
        site, rso = _site_and_editor(store)
        store.sites.add_setting(
            SiteSetting(
                site_id=site.id,
                key="dispensing_tolerance_percent",
                value=250.0,
                source="old",
                set_at=store.now(),
                set_by_id=rso.id,
                reason="before the ranges",
                supersedes_id=None,
            )
        )
        settings = site_settings(store, site)
        views = {row.key: setting_view(row) for row in effective_settings(store, site).values()}
    assert settings.dispensing_tolerance == pytest.approx(2.5)
    assert views["dispensing_tolerance_percent"].in_range is False
    assert views["eluate_expiry_h"].in_range is True
