"""Patient release: NUREG-1556 Vol. 9 Appendix U, Eq. U-1 and Table U.1, and a site rule."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.catalogue import in_language, translations
from nucmed.dosimetry import release
from nucmed.dosimetry.therapy import TherapyInputError
from nucmed.errors import Message, UnknownNuclideError
from nucmed.physics.exposure import NotCoveredError

DAY = 86400.0
HOUR = 3600.0
MCI = 3.7e7
GBQ = 1e9
MSV = 1e-3


def _rows() -> list[dict[str, str]]:
    text = resources.files("nucmed.data").joinpath("nureg1556_table_u1.csv").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _half_unit(printed: str) -> float:
    """Half a unit in the last significant digit ('0.089' -> 0.0005, '520' and '700' -> 5).

    Whole numbers are read with at least two significant figures, as the table prints them.
    """
    if "." in printed:
        return 0.5 * 10.0 ** -len(printed.split(".")[1])
    trailing = len(printed) - len(printed.rstrip("0"))
    return 0.5 * 10.0 ** min(trailing, max(len(printed) - 2, 0))


COVERED = [pytest.param(row, id=row["nuclide"]) for row in _rows() if row["half_life_d"]]


class TestEquationU1Analytic:
    """analytic: Eq. U-1 in SI and its NRC form."""

    def test_34_6_is_24_hours_times_mean_life(self) -> None:
        assert 24 / math.log(2.0) == pytest.approx(34.6, rel=1e-3)

    @given(activity=st.floats(1e6, 1e11), days=st.floats(0.1, 100.0))
    def test_si_form_equals_nrc_form(self, activity: float, days: float) -> None:
        gamma_nrc = 2.2  # R·cm²/(mCi·h)
        row = release.table_u1("I-131")
        assert row is not None
        si = release.eq_u1_dose(row.gamma_si, activity, days * DAY, 0.25)
        rem = 34.6 * gamma_nrc * (activity / MCI) * days * 0.25 / 100.0**2
        assert si == pytest.approx(rem * 1e-2, rel=2e-3)  # 34.6 is 24/ln 2 to 0.1 %

    def test_dose_rate_route_equals_activity_route(self) -> None:
        row = release.table_u1("Sm-153")
        assert row is not None
        by_activity = release.release_by_activity(
            "Sm-153", 20 * GBQ, effective_half_life_s=DAY * 1.5
        )
        by_rate = release.release_by_dose_rate(
            "Sm-153", row.gamma_si * 20 * GBQ, effective_half_life_s=DAY * 1.5
        )
        assert by_rate.dose_to_others_sv == pytest.approx(by_activity.dose_to_others_sv, rel=1e-12)

    def test_occupancy_rule(self) -> None:
        assert release.occupancy_factor(0.25 * DAY) == 1.0
        assert release.occupancy_factor(1.01 * DAY) == 0.25

    def test_effective_half_life_scales_the_dose(self) -> None:
        physical = release.release_by_activity(
            "I-131", 3.7 * GBQ, effective_half_life_s=8.04 * DAY
        )
        faster = release.release_by_activity("I-131", 3.7 * GBQ, effective_half_life_s=4.02 * DAY)
        assert faster.dose_to_others_sv == pytest.approx(physical.dose_to_others_sv / 2)


class TestTableU1Published:
    """published: NUREG-1556 Vol. 9 Rev. 3 Appendix U, Table U.1 (= RG 8.39 Table 1).

    Rows transcribed in the reference notes (status recalled). Each row is recomputed from its
    own printed Γ and T_p with Eq. U-1 at 5 mSv (0.5 rem) and 1 m, E = 0.25 (T_p > 1 d) or 1.
    Tolerance: one unit in the last significant digit of each printed value (activity in GBq
    and in mCi, dose rate at 1 m). Half a unit would be the rounding alone, but the NRC computed
    from unrounded Γ and T_p and from rounded intermediates (Au-198: 3.44 GBq prints as 3.5,
    Re-186: 765 mCi as 770, Re-188: 0.206 mSv/h as 0.20).
    """

    @pytest.mark.parametrize("row", COVERED)
    def test_release_activity(self, row: dict[str, str]) -> None:
        t = float(row["half_life_d"])
        gamma = float(row["gamma_r_cm2_per_mci_h"])
        mci = 0.5 * 100.0**2 / (34.6 * gamma * t * (0.25 if t > 1 else 1.0))
        gbq = mci * MCI / GBQ
        assert abs(gbq - float(row["release_activity_gbq"])) <= 2 * _half_unit(
            row["release_activity_gbq"]
        )
        assert abs(mci - float(row["release_activity_mci"])) <= 2 * _half_unit(
            row["release_activity_mci"]
        )
        msv_per_h = gamma * mci / 100.0**2 * 10.0  # R/h at 1 m, 1 R = 10 mSv
        printed = row["release_dose_rate_msv_per_h"]
        assert abs(msv_per_h - float(printed)) <= 2 * _half_unit(printed)

    def test_i131_row_matches_the_rg839_synopsis(self) -> None:
        # JNMT synopsis of RG 8.39 Table 4 (confirmed): release below 33 mCi and 7 mrem/h;
        # instructions above 7 mCi (Table U.2 = Eq. U-1 at 1 mSv: 6.5 mCi prints as 7).
        row = release.table_u1("I-131")
        assert row is not None
        assert row.release_activity_bq == pytest.approx(33 * MCI, rel=0.02)
        assert row.release_dose_rate_sv_per_s * HOUR == pytest.approx(0.07 * MSV)
        instructions_mci = 0.1 * 100.0**2 / (34.6 * 2.2 * 8.04 * 0.25)
        assert round(instructions_mci) == 7

    def test_pure_beta_rows_are_not_covered(self) -> None:
        for name in ("Y-90", "Sr-89", "P-32"):
            with pytest.raises(NotCoveredError, match="Pure beta"):
                release.release_by_activity(name, 1 * GBQ)

    def test_a_pure_beta_refusal_reads_in_russian(self) -> None:
        with pytest.raises(NotCoveredError) as caught:
            release.release_by_activity("Y-90", 1 * GBQ)
        shown = in_language(translations("ru").gettext, Message.of(caught.value))
        assert shown.startswith("Y-90: Чистый бета-излучатель"), shown

    def test_every_not_applicable_note_is_marked_for_translation(self) -> None:
        notes = {row["note"] for row in _rows() if not row["release_activity_gbq"].strip()}
        assert notes and notes <= set(release.NOT_APPLICABLE_NOTES)

    def test_every_row_has_source_and_status(self) -> None:
        for row in _rows():
            assert row["source"] and row["status"] in {"recalled", "confirmed"}


class TestAssessment:
    def test_table_activity_decides_without_effective_half_life(self) -> None:
        assert release.release_by_activity("I-131", 1.2 * GBQ).releasable
        refused = release.release_by_activity("I-131", 1.3 * GBQ)
        assert not refused.releasable and "Table U.1" in refused.reasons[0]

    def test_site_rule_on_dose_rate(self) -> None:
        # 1.1 GBq I-131: NRC Γ gives 65 µSv/h at 1 m; a 20 µSv/h national rule refuses.
        result = release.release_by_activity(
            "I-131", 1.1 * GBQ, max_dose_rate_1m_sv_per_s=20e-6 / HOUR
        )
        assert not result.releasable and len(result.reasons) == 1
        assert result.dose_rate_1m_sv_per_s * HOUR == pytest.approx(65.4e-6, rel=1e-2)

    def test_lu177_uses_the_nucmed_constant(self) -> None:
        result = release.release_by_activity("lu177", 7.4 * GBQ)
        assert result.releasable and "nucmed dose-rate constant" in result.basis
        assert result.dose_to_others_sv == pytest.approx(2.1 * MSV, rel=0.02)

    def test_short_half_life_uses_full_occupancy(self) -> None:
        result = release.release_by_activity("Tc-99m", 20 * GBQ)
        assert result.occupancy == 1.0 and result.releasable

    def test_regression_i131_dose_rate_measured(self) -> None:
        # regression: our own output for a measured 30 µSv/h (not a validation).
        result = release.release_by_dose_rate("I-131", 30e-6 / HOUR)
        assert result.dose_to_others_sv == pytest.approx(2.0879e-3, rel=1e-4)
        assert result.releasable and result.instructions_required

    @pytest.mark.parametrize(
        ("nuclide", "activity", "error"),
        [
            pytest.param("I-131", 0.0, TherapyInputError, id="zero-activity"),
            pytest.param("I-131", -1.0, TherapyInputError, id="negative"),
            pytest.param("Xx-999", 1e9, UnknownNuclideError, id="unknown-nuclide"),
        ],
    )
    def test_bad_input(self, nuclide: str, activity: float, error: type[Exception]) -> None:
        with pytest.raises(error):
            release.release_by_activity(nuclide, activity)
