"""I-131 release by Eq. U-2 of NUREG-1556 Vol. 9 Appendix U (uptake fractions, effective
half-lives, E1 = 0.75 for the first 0.33 d).

Expected values are of two kinds, kept apart: *analytic* (Eq. U-2 reduces to Eq. U-1) and
*derived* (the equation evaluated by hand in the NRC's printed units, rem with 34.6, from the
printed inputs). No worked example of the appendix was available to reproduce (see the data
file's status).
"""

from __future__ import annotations

import math

import pytest

from nucmed.dosimetry import release, release_iodine
from nucmed.dosimetry.release_iodine import (
    IodineKinetics,
    eq_u2_dose,
    i131_kinetics,
    release_i131,
)
from nucmed.dosimetry.therapy import TherapyInputError

DAY = 86400.0
MCI = 3.7e7
MSV = 1e-3
REM = 1e-2  # Sv


def _nrc_units_dose_rem(q0_mci: float, kinetics: IodineKinetics) -> float:
    """Eq. U-2 exactly as printed: 34.6, Γ = 2.2 R cm²/(mCi h), T_p = 8.04 d, r = 100 cm."""
    tp, gamma = 8.04, 2.2
    stay = math.exp(-0.693 * 0.33 / tp)
    bracket = (
        0.75 * tp * 0.8 * (1 - stay)
        + stay
        * 0.25
        * kinetics.extrathyroidal_fraction
        * kinetics.extrathyroidal_half_life_s
        / DAY
        + stay * 0.25 * kinetics.thyroidal_fraction * kinetics.thyroidal_half_life_s / DAY
    )
    return 34.6 * gamma * q0_mci / 100.0**2 * bracket


@pytest.mark.parametrize("condition", ["hyperthyroid", "thyroid_cancer"])
@pytest.mark.parametrize("q0_mci", [15.0, 30.0, 100.0, 200.0])
def test_si_form_equals_the_printed_equation(condition: str, q0_mci: float) -> None:
    """Derived. 34.6 is 24 × 1.44; nucmed uses 24 / ln 2 = 34.62 and 0.693 as ln 2: 0.1 %."""
    kinetics = i131_kinetics(condition)
    row = release.table_u1("I-131")
    assert row is not None
    ours = eq_u2_dose(row.gamma_si, q0_mci * MCI, row.half_life_s, kinetics)
    assert ours == pytest.approx(_nrc_units_dose_rem(q0_mci, kinetics) * REM, rel=1e-3)


def test_reduces_to_eq_u1(monkeypatch: pytest.MonkeyPatch) -> None:
    """Analytic: E1 = E2, no voiding factor, all activity leaving with T_p gives Eq. U-1."""
    monkeypatch.setattr(release_iodine, "E1_FIRST_HOURS", 0.25)
    monkeypatch.setattr(release_iodine, "NOT_EXCRETED_FIRST_PERIOD", 1.0)
    row = release.table_u1("I-131")
    assert row is not None
    physical = IodineKinetics("test", 1.0, row.half_life_s, 0.0, DAY, "analytic", "test")
    u2 = eq_u2_dose(row.gamma_si, 1e9, row.half_life_s, physical)
    u1 = release.eq_u1_dose(row.gamma_si, 1e9, row.half_life_s, 0.25)
    assert u2 == pytest.approx(u1, rel=1e-12)


def test_biokinetics_release_more_than_table_u1() -> None:
    """Derived from the equation: a thyroid-cancer patient may go home with about 220 mCi
    (8.2 GBq) and a hyperthyroid patient with about 56 mCi, against 33 mCi by Table U.1."""
    cancer = i131_kinetics("thyroid_cancer")
    hyper = i131_kinetics("hyperthyroid")
    assert release_i131(200 * MCI, cancer).releasable
    assert not release_i131(230 * MCI, cancer).releasable
    assert release_i131(55 * MCI, hyper).releasable
    too_much = release_i131(60 * MCI, hyper)
    assert not too_much.releasable
    assert too_much.reasons[0].startswith("Eq. U-2 dose 5.3")
    assert too_much.instructions_required
    assert too_much.half_life_s == pytest.approx(5.2 * DAY)


def test_a_site_dose_rate_rule_also_applies() -> None:
    rule_sv_per_s = 20e-6 / 3600  # 20 µSv/h at 1 m
    result = release_i131(
        100 * MCI, i131_kinetics("thyroid_cancer"), max_dose_rate_1m_sv_per_s=rule_sv_per_s
    )
    assert not result.releasable
    assert "site rule" in result.reasons[0]


@pytest.mark.parametrize(
    ("kinetics", "message"),
    [
        (IodineKinetics("x", 0.6, 0.3 * DAY, 0.6, 5 * DAY, "", ""), "add up to 1.2"),
        (IodineKinetics("x", 0.2, -1.0, 0.8, 5 * DAY, "", ""), "extrathyroidal effective"),
        (IodineKinetics("x", 1.2, DAY, 0.0, 5 * DAY, "", ""), "extrathyroidal fraction"),
    ],
)
def test_impossible_kinetics_are_refused(kinetics: IodineKinetics, message: str) -> None:
    with pytest.raises(TherapyInputError, match=message):
        release_i131(1e9, kinetics)


def test_unknown_condition_lists_the_allowed() -> None:
    with pytest.raises(TherapyInputError, match="hyperthyroid, thyroid_cancer"):
        i131_kinetics("graves")
