"""Tests of the Mo-99 breakthrough functions of nucmed.physics.generator."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.errors import NucmedInputError
from nucmed.physics.generator import (
    PH_EUR_LIMIT,
    USP_LIMIT,
    BreakthroughLimit,
    breakthrough_ratio,
    check_breakthrough,
    tc99m_activity_bq,
    time_until_breakthrough_limit_s,
    transient_equilibrium_ratio,
)
from nucmed.physics.nuclides import get_nuclide

HOUR = 3600.0
KBQ_PER_MBQ = 1e3 / 1e6  # a ratio in kBq/MBq, as a pure number
MICROCURIE_PER_MILLICURIE = 1e-6 / 1e-3

ratios = st.floats(min_value=1e-9, max_value=1e-2, allow_nan=False)
elapsed = st.floats(min_value=0.0, max_value=48 * HOUR, allow_nan=False)


def growth_rate_per_s() -> float:
    return get_nuclide("Tc-99m").decay_constant_per_s - get_nuclide("Mo-99").decay_constant_per_s


class TestAnalytic:
    @given(r0=ratios, t=elapsed)
    def test_ratio_grows_as_exp_of_lambda_difference(self, r0: float, t: float) -> None:
        expected = r0 * math.exp(growth_rate_per_s() * t)
        assert breakthrough_ratio(r0 * 1e10, 1e10, t) == pytest.approx(expected, rel=1e-12)

    def test_ratio_doubles_every_6_62_h(self) -> None:
        doubling = math.log(2) / growth_rate_per_s()
        assert breakthrough_ratio(1.0, 1e4, doubling) == pytest.approx(2e-4, rel=1e-12)
        # ln 2 / (ln 2/6.015 h − ln 2/65.94 h) = 6.619 h
        assert doubling / HOUR == pytest.approx(6.619, abs=0.001)

    def test_ratio_is_the_plain_quotient_at_zero_time(self) -> None:
        assert breakthrough_ratio(3e5, 2e9, 0.0) == pytest.approx(1.5e-4, rel=1e-15)

    @given(
        r0=st.floats(min_value=1e-9, max_value=1.4e-4),
        limit=st.sampled_from([USP_LIMIT, PH_EUR_LIMIT]),
    )
    def test_time_until_limit_lands_on_the_limit(
        self, r0: float, limit: BreakthroughLimit
    ) -> None:
        t = time_until_breakthrough_limit_s(r0 * 1e10, 1e10, limit)
        assert t > 0.0
        assert breakthrough_ratio(r0 * 1e10, 1e10, t) == pytest.approx(limit.ratio, rel=1e-9)
        assert check_breakthrough(r0 * 1e10, 1e10, 0.99 * t, limit).passes
        assert not check_breakthrough(r0 * 1e10, 1e10, 1.01 * t, limit).passes

    def test_time_until_limit_is_zero_when_already_over(self) -> None:
        assert time_until_breakthrough_limit_s(2e6, 1e10) == 0.0
        assert time_until_breakthrough_limit_s(1.5e6, 1e10) == 0.0  # exactly at the limit

    def test_time_until_limit_is_infinite_without_mo99(self) -> None:
        assert time_until_breakthrough_limit_s(0.0, 1e10) == math.inf

    def test_check_reports_ratio_limit_and_verdict(self) -> None:
        check = check_breakthrough(1e6, 1e10, 0.0)
        assert check.limit is USP_LIMIT
        assert check.ratio == pytest.approx(1e-4, rel=1e-15)
        assert check.passes
        assert check_breakthrough(1.5e6, 1e10, 0.0).passes  # at the limit passes

    @given(r0=st.floats(min_value=1e-9, max_value=1.5e-4), t=elapsed)
    def test_ignoring_ingrowth_in_the_vial_is_conservative_and_small(
        self, r0: float, t: float
    ) -> None:
        # Full Bateman in the eluate vial: Tc-99m = decayed eluted Tc-99m + what its Mo-99 grew.
        a_tc0 = 1e10
        a_mo0 = r0 * a_tc0
        lam_tc = get_nuclide("Tc-99m").decay_constant_per_s
        lam_mo = get_nuclide("Mo-99").decay_constant_per_s
        tc_true = a_tc0 * math.exp(-lam_tc * t) + tc99m_activity_bq(a_mo0, t)
        true_ratio = a_mo0 * math.exp(-lam_mo * t) / tc_true
        conventional = breakthrough_ratio(a_mo0, a_tc0, t)
        assert true_ratio <= conventional * (1 + 1e-12)  # equal within rounding as t -> 0
        # Overstatement = B λ₂/(λ₂−λ₁)·(R(t) − R(0)) relative, as the docstring states.
        overstatement = conventional / true_ratio - 1
        expected = transient_equilibrium_ratio() * (conventional - r0)
        assert overstatement == pytest.approx(expected, rel=1e-6, abs=1e-15)

    def test_ingrowth_neglect_below_0_015_percent_within_usp_limit(self) -> None:
        assert transient_equilibrium_ratio() * USP_LIMIT.ratio < 1.5e-4


# Published: Mo-99 breakthrough limits as set by the regulation or monograph, read in:
# - 10 CFR 35.204(a)(1) (kanterella.com mirror of the NRC text): "More than 0.15 kilobecquerel
#   of molybdenum-99 per megabecquerel of technetium-99m (0.15 microcurie of molybdenum-99 per
#   millicurie of technetium-99m)" may not be administered.
# - Ph. Eur. 5.0, Sodium pertechnetate (99mTc) injection, radionuclidic purity (scribd copy of
#   the printed page): "Molybdenum-99 0.1 per cent" of the total radioactivity, at the date and
#   hour of administration.
# Tolerance: exact up to floating-point rounding of the unit conversion (rel 1e-12).
REFERENCE_LIMITS = [
    pytest.param(USP_LIMIT, 0.15 * KBQ_PER_MBQ, id="10 CFR 35.204 0.15 kBq/MBq"),
    pytest.param(USP_LIMIT, 0.15 * MICROCURIE_PER_MILLICURIE, id="10 CFR 35.204 0.15 uCi/mCi"),
    pytest.param(PH_EUR_LIMIT, 0.1 / 100, id="Ph. Eur. 0.1 per cent"),
]


class TestPublished:
    @pytest.mark.parametrize(("limit", "value"), REFERENCE_LIMITS)
    def test_limit_equals_regulatory_value(self, limit: BreakthroughLimit, value: float) -> None:
        assert limit.ratio == pytest.approx(value, rel=1e-12)

    def test_technelite_label_states_the_same_usp_limit(self) -> None:
        # TechneLite package insert (RxList): "not more than 0.0056 MBq (0.15 microcuries) of
        # Molybdenum Mo99 per 37 MBq (1 millicurie)". 0.0056 is rounded to 2 significant
        # figures, so it matches 0.15/1000 only to ±0.00005/0.0056 ≈ 0.9 %.
        assert USP_LIMIT.ratio == pytest.approx(0.0056 / 37, rel=0.009)

    def test_sources_name_the_regulation(self) -> None:
        assert "35.204" in USP_LIMIT.source
        assert "0124" in PH_EUR_LIMIT.source


class TestRegression:
    """Snapshots of our own output (quoted in docs/physics/generator.md); not validation."""

    def test_eluate_at_0_1_kbq_per_mbq_reaches_usp_limit_in_3_87_h(self) -> None:
        t = time_until_breakthrough_limit_s(1e6, 1e10)
        assert t / HOUR == pytest.approx(3.87, abs=0.005)

    def test_eluate_at_0_01_kbq_per_mbq(self) -> None:
        assert time_until_breakthrough_limit_s(1e5, 1e10) / HOUR == pytest.approx(25.86, abs=0.005)
        assert time_until_breakthrough_limit_s(1e5, 1e10, PH_EUR_LIMIT) / HOUR == pytest.approx(
            43.97, abs=0.005
        )


class TestInputValidation:
    def test_zero_tc99m_is_rejected(self) -> None:
        with pytest.raises(NucmedInputError, match=r"^Tc-99m activity is 0.*> 0"):
            breakthrough_ratio(1e3, 0.0, 0.0)

    @pytest.mark.parametrize(
        ("mo", "tc", "t"),
        [(-1.0, 1e9, 0.0), (1.0, -1e9, 0.0), (1.0, 1e9, -1.0), (math.nan, 1e9, 0.0)],
        ids=["negative Mo", "negative Tc", "negative time", "NaN Mo"],
    )
    def test_negative_inputs_are_rejected(self, mo: float, tc: float, t: float) -> None:
        with pytest.raises(NucmedInputError):
            check_breakthrough(mo, tc, t)
        if t >= 0:
            with pytest.raises(NucmedInputError):
                time_until_breakthrough_limit_s(mo, tc)
