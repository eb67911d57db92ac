"""SSR-6 (2018) limits checked at the receipt of a package.

Published values: IAEA SSR-6 (2018) para. 508, 516, 523, 526, 527, 528, 529, read through the
UN Model Regulations 5.1.5.3.4 and 4.1.9.1.2 (same numbers). Each boundary is tested on both
sides at ±1 % (far beyond the 1e-9 relative tolerance of the comparison, far inside any
rounding of the published values).
"""

from __future__ import annotations

import math

import pytest

from nucmed.errors import NucmedInputError
from nucmed.safety import (
    ActionLevels,
    Declaration,
    Survey,
    check_package,
    non_fixed_limit_bq_per_m2,
    transport_index,
)

USV_H = 1e-6 / 3600  # Sv/s per µSv/h
MSV_H = 1e-3 / 3600  # Sv/s per mSv/h
BQ_CM2 = 1e4  # Bq/m² per Bq/cm²
BELOW, ABOVE = 0.99, 1.01

QUIET_1M = 0.0  # nothing at 1 m: only the surface is in question


def _checks(nuclide: str, declared: Declaration, survey: Survey) -> list[str]:
    return [f.check for f in check_package(nuclide, declared, survey).findings]


class TestPublishedSurfaceLimits:
    """Largest surface dose rate per category (para. 529 table, 516, 527, 528)."""

    @pytest.mark.parametrize(
        ("category", "ti", "exclusive", "limit_sv_per_s", "source"),
        [
            pytest.param("excepted", 0.0, False, 5 * USV_H, "para. 516", id="excepted 5 uSv/h"),
            pytest.param("I-WHITE", 0.0, False, 0.005 * MSV_H, "para. 529", id="I-WHITE 5 uSv/h"),
            pytest.param(
                "II-YELLOW", 1.0, False, 0.5 * MSV_H, "para. 529", id="II-YELLOW 0.5 mSv/h"
            ),
            pytest.param("III-YELLOW", 10.0, False, 2 * MSV_H, "para. 5", id="III-YELLOW 2 mSv/h"),
            pytest.param(
                "III-YELLOW", 12.0, True, 10 * MSV_H, "para. 528", id="exclusive use 10 mSv/h"
            ),
        ],
    )
    def test_limit_on_both_sides(
        self, category: str, ti: float, exclusive: bool, limit_sv_per_s: float, source: str
    ) -> None:
        declared = Declaration(category, ti, exclusive)
        within = Survey(limit_sv_per_s * BELOW, QUIET_1M, 0.0)
        assert check_package("Tc-99m", declared, within).findings == ()
        over = check_package("Tc-99m", declared, Survey(limit_sv_per_s * ABOVE, QUIET_1M, 0.0))
        (finding,) = over.findings
        assert finding.check == "surface dose rate" and over.quarantine
        assert finding.limit == pytest.approx(limit_sv_per_s, rel=1e-12)
        assert source in finding.source

    def test_without_exclusive_use_a_iii_yellow_surface_stays_at_2_msv_h(self) -> None:
        """Para. 527: 2 mSv/h unless under exclusive use."""
        over = check_package("I-131", Declaration("III-YELLOW", 5.0), Survey(3 * MSV_H, 0, 0))
        assert over.findings[0].limit == pytest.approx(2 * MSV_H)


class TestPublishedTransportIndex:
    """TI = 100 × mSv/h at 1 m, rounded up to the first decimal, ≤ 0.05 as 0 (para. 523)."""

    @pytest.mark.parametrize(
        ("usv_per_h", "ti"),
        [
            pytest.param(0.5, 0.0, id="0.05 taken as 0"),
            pytest.param(0.6, 0.1, id="0.06 rounded up to 0.1"),
            pytest.param(10.0, 1.0, id="10 uSv/h is TI 1"),
            pytest.param(10.1, 1.1, id="1.01 rounded up to 1.1"),
            pytest.param(150.0, 15.0, id="0.15 mSv/h is TI 15"),
        ],
    )
    def test_transport_index(self, usv_per_h: float, ti: float) -> None:
        assert transport_index(usv_per_h * USV_H) == pytest.approx(ti)

    @pytest.mark.parametrize(
        ("declared_ti", "allowed_usv_per_h"),
        [
            pytest.param(0.0, 0.5, id="TI 0 admits 0.5 uSv/h (0.05 rule)"),
            pytest.param(0.4, 4.0, id="TI 0.4 admits 4 uSv/h"),
            pytest.param(3.0, 30.0, id="TI 3 admits 30 uSv/h"),
        ],
    )
    def test_one_metre_above_declared_ti_is_a_discrepancy(
        self, declared_ti: float, allowed_usv_per_h: float
    ) -> None:
        declared = Declaration("III-YELLOW", declared_ti)
        within = Survey(0.0, allowed_usv_per_h * USV_H * BELOW, 0.0)
        assert check_package("Tc-99m", declared, within).findings == ()
        over = check_package("Tc-99m", declared, Survey(0, allowed_usv_per_h * USV_H * ABOVE, 0))
        (finding,) = over.findings
        assert finding.check == "dose rate at 1 m"
        assert finding.rule == "declared transport index" and "para. 523" in finding.source

    @pytest.mark.parametrize(
        ("category", "ti_max"),
        [
            pytest.param("I-WHITE", 0.0, id="I-WHITE TI 0"),
            pytest.param("II-YELLOW", 1.0, id="II-YELLOW TI 1"),
            pytest.param("III-YELLOW", 10.0, id="III-YELLOW TI 10"),
        ],
    )
    def test_declared_ti_of_the_category(self, category: str, ti_max: float) -> None:
        """Para. 529: the TI each category admits; above it, the label is wrong."""
        assert (
            check_package("Tc-99m", Declaration(category, ti_max), Survey(0, 0, 0)).findings == ()
        )
        over = check_package("Tc-99m", Declaration(category, ti_max + 0.1), Survey(0, 0, 0))
        assert [f.check for f in over.findings] == ["transport index"]

    def test_ti_above_10_only_under_exclusive_use(self) -> None:
        """Para. 526: TI above 10 only under exclusive use (then III-YELLOW, para. 529)."""
        assert (
            check_package("I-131", Declaration("III-YELLOW", 12.0, True), Survey(0, 0, 0)).findings
            == ()
        )
        over = check_package("I-131", Declaration("III-YELLOW", 12.0), Survey(0, 0, 0))
        assert {f.source for f in over.findings} >= {"SSR-6 (2018) para. 529"}


class TestPublishedContamination:
    """Non-fixed contamination: 4 Bq/cm² beta/gamma and low-toxicity alpha, 0.4 Bq/cm² other
    alpha (para. 508); low-toxicity alpha: half-life below 10 days (para. 226)."""

    @pytest.mark.parametrize(
        ("nuclide", "limit_bq_per_cm2"),
        [
            pytest.param("I-131", 4.0, id="I-131 beta/gamma"),
            pytest.param("Mo-99", 4.0, id="Mo-99 beta/gamma"),
            pytest.param("Lu-177", 4.0, id="Lu-177 beta/gamma"),
            pytest.param("Ra-223", 0.4, id="Ra-223 alpha 11.4 d"),
            pytest.param("Ac-225", 0.4, id="Ac-225 alpha 10.0 d, not below 10 d"),
            pytest.param("Pb-212", 4.0, id="Pb-212 progeny alpha below 10 d"),
            pytest.param("U-238", 4.0, id="U-238 named low-toxicity"),
        ],
    )
    def test_limit(self, nuclide: str, limit_bq_per_cm2: float) -> None:
        limit = non_fixed_limit_bq_per_m2(nuclide)
        assert limit == pytest.approx(limit_bq_per_cm2 * BQ_CM2)
        declared = Declaration("I-WHITE", 0.0)
        assert _checks(nuclide, declared, Survey(0, 0, limit * BELOW)) == []
        assert _checks(nuclide, declared, Survey(0, 0, limit * ABOVE)) == ["wipe test"]


class TestIssueExample:
    """Issue 11: an I-131 capsule, 2500 µSv/h at the surface, 150 µSv/h at 1 m, a wipe of
    10 Bq/cm²: three findings, quarantined."""

    def test_three_findings(self) -> None:
        loud = Survey(2500 * USV_H, 150 * USV_H, 10 * BQ_CM2)
        found = check_package("I-131", Declaration("II-YELLOW", 0.5), loud)
        assert found.quarantine
        by_check = {f.check: f for f in found.findings}
        assert set(by_check) == {"surface dose rate", "dose rate at 1 m", "wipe test"}
        assert by_check["surface dose rate"].limit == pytest.approx(0.5 * MSV_H)
        assert by_check["dose rate at 1 m"].limit == pytest.approx(5 * USV_H)  # TI 0.5
        assert by_check["wipe test"].limit == pytest.approx(4 * BQ_CM2)


class TestSiteLevels:
    def test_a_lower_site_level_is_the_limit(self) -> None:
        site = ActionLevels(1000 * USV_H, 50 * USV_H, 1 * BQ_CM2)
        survey = Survey(1500 * USV_H, 0.0, 2 * BQ_CM2)
        found = check_package("I-131", Declaration("III-YELLOW", 1.0), survey, site)
        assert {f.rule for f in found.findings} == {"site action level"}

    def test_a_higher_site_level_changes_nothing(self) -> None:
        site = ActionLevels(5 * MSV_H, 1 * MSV_H, 40 * BQ_CM2)
        survey = Survey(0.6 * MSV_H, 0.0, 5 * BQ_CM2)
        found = check_package("I-131", Declaration("II-YELLOW", 1.0), survey, site)
        assert {f.rule for f in found.findings} == {"II-YELLOW", "non-fixed contamination"}


class TestRefused:
    @pytest.mark.parametrize(
        ("declared", "survey"),
        [
            pytest.param(Declaration("YELLOW", 0.0), Survey(0, 0, 0), id="unknown category"),
            pytest.param(Declaration("I-WHITE", -1.0), Survey(0, 0, 0), id="negative TI"),
            pytest.param(Declaration("I-WHITE", math.nan), Survey(0, 0, 0), id="nan TI"),
            pytest.param(Declaration("I-WHITE", 0.0), Survey(-1, 0, 0), id="negative rate"),
            pytest.param(Declaration("I-WHITE", 0.0), Survey(0, 0, math.inf), id="inf wipe"),
        ],
    )
    def test_bad_input(self, declared: Declaration, survey: Survey) -> None:
        with pytest.raises(NucmedInputError):
            check_package("Tc-99m", declared, survey)
