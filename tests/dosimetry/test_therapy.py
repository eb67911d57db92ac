"""Therapy prescriptions: Marinelli (EANM 2010), ATA, bone agents, Lu-177, Zevalin."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.dosimetry import therapy
from nucmed.dosimetry.therapy import TherapyInputError
from nucmed.physics.nuclides import get_nuclide

DAY = 86400.0
MBQ = 1e6
GBQ = 1e9
MCI = 3.7e7  # exact: 1 Ci = 3.7e10 Bq (12th CGPM 1964)
ELECTRON_VOLT_J = 1.602176634e-19  # exact since the 2019 SI redefinition


class TestMarinelliAnalytic:
    """analytic: properties that follow from A = K·D·V / (U·T)."""

    def test_proportional_to_dose_and_volume(self) -> None:
        a = therapy.i131_benign_activity(100.0, 0.4, 5 * DAY, thyroid_mass_kg=0.02).activity_bq
        b = therapy.i131_benign_activity(200.0, 0.4, 5 * DAY, thyroid_mass_kg=0.04).activity_bq
        assert b == pytest.approx(4 * a, rel=1e-12)

    def test_inverse_in_uptake_and_half_life(self) -> None:
        a = therapy.i131_benign_activity(150.0, 0.6, 6 * DAY, thyroid_mass_kg=0.03).activity_bq
        b = therapy.i131_benign_activity(150.0, 0.3, 3 * DAY, thyroid_mass_kg=0.03).activity_bq
        assert b == pytest.approx(4 * a, rel=1e-12)

    def test_mass_is_read_as_volume_at_one_gram_per_ml(self) -> None:
        by_mass = therapy.i131_benign_activity(150.0, 0.5, 5 * DAY, thyroid_mass_kg=0.030)
        by_volume = therapy.i131_benign_activity(150.0, 0.5, 5 * DAY, thyroid_volume_m3=30e-6)
        assert by_mass.activity_bq == pytest.approx(by_volume.activity_bq, rel=1e-12)

    def test_constant_implies_an_absorbed_energy_per_decay(self) -> None:
        # D = A·U·Ē·(T/ln 2)/m  =>  Ē = D·m / (A·U·T/ln 2). K = 24.67 corresponds to 0.203 MeV,
        # about 6 % above ICRP-107's non-penetrating I-131 energy (0.1919 MeV: β 0.1819, CE
        # 0.0096, Auger 0.0004): part of the photon energy is absorbed in the gland.
        a = therapy.i131_benign_activity(1.0, 1.0, DAY, thyroid_mass_kg=1.0).activity_bq
        energy_mev = 1.0 * 1.0 / (a * DAY / math.log(2.0)) / (ELECTRON_VOLT_J * 1e6)
        assert energy_mev == pytest.approx(0.2030, abs=5e-4)
        assert energy_mev / 0.1919 - 1 == pytest.approx(0.058, abs=0.005)

    @given(
        dose=st.floats(1.0, 500.0),
        mass=st.floats(1e-3, 0.2),
        uptake=st.floats(0.05, 1.0),
        days=st.floats(0.5, 8.0),
    )
    def test_inverse_formula_recovers_dose(
        self, dose: float, mass: float, uptake: float, days: float
    ) -> None:
        a = therapy.i131_benign_activity(dose, uptake, days * DAY, thyroid_mass_kg=mass)
        recovered = a.activity_bq / MBQ * uptake * 100 * days / (24.67 * mass * 1000)
        assert recovered == pytest.approx(dose, rel=1e-9)


class TestMarinelliPublished:
    """published: the EANM 2010 formula, A[MBq] = 24.67·D[Gy]·V[ml] / (RIU_max[%]·T_eff[d]).

    Stokkel et al., EJNMMI 37:2218 (2010), activity calculation. Status of 24.67: recalled
    (the guideline text was not reachable; the form A = D·V/(U·T)·k was read in a German
    teaching transcription). Tolerance 1e-9: the formula is evaluated exactly.
    """

    REFERENCE = (
        # (D Gy, V ml, U %, T d, A MBq = 24.67 D V / (U T))
        pytest.param(1.0, 1.0, 1.0, 1.0, 24.67, id="unit-inputs-give-K"),
        pytest.param(150.0, 30.0, 50.0, 5.0, 444.06, id="graves-150Gy-30ml"),
        pytest.param(300.0, 10.0, 40.0, 6.0, 308.375, id="nodule-300Gy-10ml"),
    )

    @pytest.mark.parametrize(("dose", "ml", "pct", "days", "mbq"), REFERENCE)
    def test_formula(self, dose: float, ml: float, pct: float, days: float, mbq: float) -> None:
        a = therapy.i131_benign_activity(dose, pct / 100, days * DAY, thyroid_volume_m3=ml * 1e-6)
        assert a.activity_bq / MBQ == pytest.approx(mbq, rel=1e-9)
        assert "24.67" in a.source


class TestMarinelliInput:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            pytest.param({"thyroid_mass_kg": -0.03}, "thyroid mass", id="negative-mass"),
            pytest.param(
                {"thyroid_mass_kg": 0.03, "thyroid_volume_m3": 3e-5}, "not both", id="both"
            ),
            pytest.param({}, "not both", id="neither"),
        ],
    )
    def test_mass_or_volume(self, kwargs: dict[str, float], message: str) -> None:
        with pytest.raises(TherapyInputError, match=message):
            therapy.i131_benign_activity(150.0, 0.5, 5 * DAY, **kwargs)

    @pytest.mark.parametrize("uptake", [0.0, 1.2, math.nan], ids=["zero", "over-100", "nan"])
    def test_uptake_outside_zero_to_one(self, uptake: float) -> None:
        with pytest.raises(TherapyInputError, match="uptake"):
            therapy.i131_benign_activity(150.0, uptake, 5 * DAY, thyroid_mass_kg=0.03)

    def test_effective_longer_than_physical_half_life(self) -> None:
        physical = get_nuclide("I-131").half_life_s
        with pytest.raises(TherapyInputError, match="physical half-life"):
            therapy.i131_benign_activity(150.0, 0.5, physical * 1.01, thyroid_mass_kg=0.03)


class TestLabelsPublished:
    """published: label activities, exact by definition (1 mCi = 37 MBq), tolerance 1e-12."""

    REFERENCE = (
        # Quadramet PI, Dosage and Administration: 1.0 mCi/kg (rxlist.com)
        pytest.param(therapy.sm153_activity(70.0), 70 * MCI, None, 1, id="sm153-70kg"),
        # Metastron PI: 148 MBq (4 mCi), or 1.5-2.2 MBq/kg (druglib.com)
        pytest.param(therapy.sr89_activity(), 148 * MBQ, None, 1, id="sr89-fixed"),
        pytest.param(therapy.sr89_activity(80.0), 120 * MBQ, 176 * MBQ, 1, id="sr89-80kg"),
        # Xofigo PI 2.1: 55 kBq/kg every 4 weeks x 6 (globalrph.com; fass.se SmPC)
        pytest.param(therapy.ra223_activity(80.0), 4.4 * MBQ, None, 6, id="ra223-80kg"),
        # Pluvicto PI: 7.4 GBq every 6 weeks, up to 6 doses (pluvicto-hcp.com)
        pytest.param(therapy.lu177_regimen("psma617"), 7.4 * GBQ, None, 6, id="pluvicto"),
        # Lutathera PI: 7.4 GBq every 8 weeks x 4 (recalled: the label text was not re-read)
        pytest.param(therapy.lu177_regimen("DOTATATE"), 7.4 * GBQ, None, 4, id="lutathera"),
        # ATA 2025 Table 10 via the reference notes (secondary)
        pytest.param(therapy.dtc_activity("low"), 1.1 * GBQ, 1.85 * GBQ, 1, id="dtc-low"),
        pytest.param(therapy.dtc_activity("distant"), 3.7 * GBQ, 7.4 * GBQ, 1, id="dtc-distant"),
    )

    @pytest.mark.parametrize(("result", "low", "high", "times"), REFERENCE)
    def test_activity(
        self, result: therapy.Prescription, low: float, high: float | None, times: int
    ) -> None:
        assert result.activity_bq == pytest.approx(low, rel=1e-12)
        if high is None:
            assert result.activity_max_bq is None
        else:
            assert result.activity_max_bq == pytest.approx(high, rel=1e-12)
        assert result.administrations == times
        assert result.source and not result.contraindicated

    def test_intervals(self) -> None:
        assert therapy.ra223_activity(70.0).interval_s == 28 * DAY
        assert therapy.lu177_regimen("psma617").interval_s == 42 * DAY
        assert therapy.lu177_regimen("dotatate").interval_s == 56 * DAY

    def test_ra223_former_standard_is_the_same_physical_activity(self) -> None:
        # Zimmerman et al., J Res NIST 120:37 (2015), abstract: the former transfer standard
        # gave activities 9.5 % lower than the new primary standard. 50/55 = 0.909 vs 0.905:
        # agreement within the 0.5 % allowed by the label's two significant figures.
        new = therapy.ra223_activity(70.0).activity_bq
        old = therapy.ra223_activity(70.0, nist_2015=False).activity_bq
        assert old / new == pytest.approx(1 - 0.095, abs=0.005)

    @pytest.mark.parametrize("name", ["low", "medium", ""], ids=["case-ok", "unknown", "empty"])
    def test_unknown_dtc_risk(self, name: str) -> None:
        if name == "low":
            assert therapy.dtc_activity(name).activity_bq > 0
            return
        with pytest.raises(TherapyInputError, match="allowed: low, intermediate"):
            therapy.dtc_activity(name)

    def test_unknown_regimen_and_bad_weight(self) -> None:
        with pytest.raises(TherapyInputError, match="psma617"):
            therapy.lu177_regimen("psma-i&t")
        with pytest.raises(TherapyInputError, match="body weight"):
            therapy.sm153_activity(-70.0)


class TestZevalinPublished:
    """published: Zevalin PI via drugs.com and Spies, Semin Nucl Med 34 Suppl 1:10 (2004).

    0.4 mCi/kg (14.8 MBq/kg) for platelets >= 150 x 10⁹/L, 0.3 mCi/kg (11.1 MBq/kg) for
    100-149, at most 32 mCi (1184 MBq), do not treat below 100. Exact: tolerance 1e-12.
    """

    REFERENCE = (
        pytest.param(70.0, 200.0, 70 * 14.8 * MBQ, False, id="normal-70kg"),
        pytest.param(70.0, 150.0, 70 * 14.8 * MBQ, False, id="edge-150"),
        pytest.param(70.0, 120.0, 70 * 11.1 * MBQ, False, id="reduced-70kg"),
        pytest.param(70.0, 100.0, 70 * 11.1 * MBQ, False, id="edge-100"),
        pytest.param(90.0, 200.0, 1184 * MBQ, False, id="capped-90kg"),
        pytest.param(120.0, 120.0, 1184 * MBQ, False, id="capped-reduced"),
        pytest.param(70.0, 99.0, 0.0, True, id="contraindicated-99"),
    )

    @pytest.mark.parametrize(("kg", "platelets", "bq", "contraindicated"), REFERENCE)
    def test_activity(self, kg: float, platelets: float, bq: float, contraindicated: bool) -> None:
        result = therapy.zevalin_activity(kg, platelets)
        assert result.activity_bq == pytest.approx(bq, rel=1e-12)
        assert result.contraindicated is contraindicated
        assert bool(result.reasons) is (contraindicated or bq != kg * 14.8 * MBQ)

    def test_mci_and_mbq_columns_agree(self) -> None:
        assert 0.4 * MCI == pytest.approx(14.8 * MBQ) and 32 * MCI == pytest.approx(1184 * MBQ)

    @pytest.mark.parametrize("platelets", [0.0, -5.0, math.inf], ids=["zero", "negative", "inf"])
    def test_bad_platelets_are_errors(self, platelets: float) -> None:
        with pytest.raises(TherapyInputError, match="platelet"):
            therapy.zevalin_activity(70.0, platelets)


def test_every_data_row_has_source_and_status() -> None:
    text = resources.files("nucmed.data").joinpath("therapy_regimens.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(rows) >= 14
    for row in rows:
        assert row["source"], row["key"]
        assert row["status"] in {"confirmed", "secondary", "recalled", "derived"}, row["key"]
