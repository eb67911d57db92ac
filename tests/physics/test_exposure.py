"""Tests of nucmed.physics.exposure: analytic, published and regression checks, and every error.

The REFERENCE tables below were typed from the sources (the transcriptions named in the data
files), not copied from the CSVs, so a typo in either fails a test.
"""

from __future__ import annotations

import csv
import itertools
import math
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.errors import NucmedInputError, UnknownNuclideError
from nucmed.physics import exposure
from nucmed.physics.exposure import (
    DoseQuantity,
    ExposureInputError,
    NoShieldingDataError,
    NotCoveredError,
    covered_nuclides,
    dose_rate,
    dose_rate_constant,
    shielding_materials,
    thickness_for_dose_rate,
    thickness_for_transmission,
    transmission,
)

# µSv·m²/(MBq·h) or µGy·m²/(MBq·h) -> SI per (Bq·s)
PER_MBQ_H = 1e-6 / (1e6 * 3600.0)


def data_rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("nucmed.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


SHIELDED = [(n, m) for n in covered_nuclides() for m in shielding_materials(n)]
SHIELDED_IDS = [f"{n}-{m}" for n, m in SHIELDED]

# --- REFERENCE: dose-rate constants -------------------------------------------------------
# AAPM TG-108 (Madsen et al., Med Phys 33:4, 2006), Table II, column "Dose rate constant",
# µSv·m²/(MBq·h), effective dose equivalent (ANSI/ANS-6.1.1-1991). Read in the TypeScript
# transcription of Tables I-V and (F-18, C-11, N-13, O-15, Ga-68) in ALARACAD
# shielding_gui_PET_tracer_specs_080610.pro.
TG108_TABLE_II = {
    "C-11": 0.148, "N-13": 0.148, "O-15": 0.148, "F-18": 0.143,
    "Cu-64": 0.029, "Ga-68": 0.134, "Rb-82": 0.159, "I-124": 0.185,
}  # fmt: skip
# CNSC Radionuclide Information Booklet 2025, "dose rate (effective)" µSv/h per MBq at 1 m, as
# transcribed in EllenWasbo/Shield_NM_CT radionuclide_information_booklet_2025_values.csv.
CNSC_2025_EFFECTIVE = {
    "F-18": 1.40e-1, "Ga-68": 1.34e-1, "Tc-99m": 1.85e-2, "I-131": 5.47e-2,
    "I-123": 2.96e-2, "Lu-177": 4.94e-3, "Tl-201": 1.46e-2, "In-111": 6.33e-2,
    "Mo-99": 3.66e-2, "Ra-223": 4.13e-2, "Ga-67": 2.25e-2, "Cr-51": 4.55e-3, "I-125": 1.45e-2,
}  # fmt: skip
# The same booklet as transcribed in aricher1/shieldlabs isotopes.yml, in mSv·m²/(MBq·h).
CNSC_2025_ARICHER_MSV = {
    "F-18": 1.398e-4, "Ga-68": 1.336e-4, "Tc-99m": 1.853e-5, "I-131": 5.471e-5,
    "Lu-177": 4.935e-6,
}  # fmt: skip
# Wasserman & Groenewald, Eur J Nucl Med 14:569 (1988), air kerma rate constants,
# µGy·m²/(GBq·h), as transcribed in ALARACAD shielding_gui_SPECT_tracer_specs.pro.
WG1988_PER_GBQ = {
    "Tc-99m": 15.6, "Ga-67": 20.8, "In-111": 84.15, "I-123": 39.7, "I-131": 56.1, "Tl-201": 11.7,
}  # fmt: skip
# Sm-153, computed: ICRP-107 lines with yield >= 0.001 between 20 and 500 keV (energy keV,
# photons per decay), read in PyPI icrp107-database 0.0.3 Sm-153.json ...
SM153_LINES = [
    (40.943, 0.178716), (41.5992, 0.322315), (46.964, 0.0325323), (47.0984, 0.0629407),
    (48.278, 0.00708768), (48.3077, 0.0137508), (48.5373, 0.00146393), (48.5415, 0.0029891),
    (69.673, 0.0484548), (75.4221, 0.0034866), (83.3672, 0.0018476), (89.486, 0.0016688),
    (97.431, 0.0084632), (103.18, 0.298),
]  # fmt: skip
# ... and NIST dry-air mu_en/rho (cm²/g, Hubbell & Seltzer NISTIR 5632), read in the NIST air
# table transcribed in a public dxmc test (testMassEnergyTransferAir).
NIST_AIR_MU_EN = {40: 0.06833, 50: 0.04098, 60: 0.03041, 80: 0.02407, 100: 0.02325, 150: 0.02496}

# Each CSV row, keyed by (nuclide, source family): (preferred, value in µ-units per MBq·h,
# unit column, quantity, status).
REFERENCE_CONSTANTS: dict[tuple[str, str], tuple[bool, float | None, str, str, str]] = {
    **{(n, "TG-108"): (True, v, "usv", "effective_dose", "secondary")
       for n, v in TG108_TABLE_II.items()},
    **{(n, "CNSC"): (n not in ("F-18", "Ga-68"), v, "usv", "effective_dose", "secondary")
       for n, v in CNSC_2025_EFFECTIVE.items()},
    **{(n, "W&G"): (False, v / 1000, "ugy", "air_kerma", "secondary")
       for n, v in WG1988_PER_GBQ.items()},
    ("Sm-153", "computed"): (True, 0.0111, "ugy", "air_kerma", "derived"),
    ("Y-90", "ICRP-107"): (True, None, "", "", "derived"),
    ("Sr-89", "ICRP-107"): (True, None, "", "", "derived"),
    ("P-32", "ICRP-107"): (True, None, "", "", "derived"),
}  # fmt: skip


SOURCE_FAMILIES = {
    "AAPM TG-108": "TG-108", "CNSC": "CNSC", "Wasserman": "W&G", "Computed": "computed",
    "ICRP Publication 107": "ICRP-107",
}  # fmt: skip


def family(source: str) -> str:
    for prefix, name in SOURCE_FAMILIES.items():
        if source.startswith(prefix):
            return name
    raise AssertionError(f"unknown source family: {source}")


CONSTANT_ROWS = data_rows("dose_rate_constants.csv")

# --- REFERENCE: shielding -----------------------------------------------------------------
# TG-108 Table V (Archer fits, 511 keV broad beam): alpha (1/cm), beta (1/cm), gamma. Read in
# ALARACAD shielding_gui_shield_specs.pro and in the TypeScript transcription of TG-108.
TG108_TABLE_V = {
    "lead": (1.5430, -0.4408, 2.1360),
    "concrete": (0.1539, -0.1161, 2.0752),
    "iron": (0.5704, -0.3063, 0.6326),  # ALARACAD only
}
# TG-108 Table IV, broad-beam transmission at 511 keV (lead in mm, concrete in cm), read in the
# TypeScript transcription of TG-108 Tables IV-V.
TG108_TABLE_IV = {
    "lead": [(1, 0.8912), (2, 0.7873), (3, 0.6905), (4, 0.6021), (5, 0.5227), (6, 0.4522),
             (7, 0.3903), (8, 0.3362), (9, 0.2892), (10, 0.2485), (12, 0.1831), (14, 0.1347),
             (16, 0.0990), (18, 0.0728), (20, 0.0535), (25, 0.0247), (30, 0.0114),
             (40, 0.0024), (50, 0.0005)],
    "concrete": [(1, 0.9583), (2, 0.9088), (3, 0.8519), (4, 0.7889), (5, 0.7218), (6, 0.6528),
                 (7, 0.5842), (8, 0.5180), (9, 0.4558), (10, 0.3987), (12, 0.3008),
                 (14, 0.2243), (16, 0.1662), (18, 0.1227), (20, 0.0904), (25, 0.0419),
                 (30, 0.0194), (40, 0.0042), (50, 0.0009)],
}  # fmt: skip
TABLE_IV_UNIT_M = {"lead": 1e-3, "concrete": 1e-2}
# CNSC booklet 2025, first HVL, second HVL, first TVL, second TVL (mm), lead then concrete, as
# transcribed in EllenWasbo/Shield_NM_CT (columns 5-8 and 13-16).
CNSC_2025_LAYERS = {
    "Tc-99m": ((0.36, 0.31, 1.06, 0.94), (66.6, 31.7, 135.3, 83.7)),
    "I-131": ((2.83, 2.92, 10.1, 15.7), (94.6, 51, 205, 134.4)),
    "I-123": ((0.093, 0.51, 1.32, 10.7), (37.3, 45.3, 128.2, 106.5)),
    "Ga-68": ((5.18, 4.67, 16.1, 17.6), (101.4, 56.8, 223.9, 148.4)),
    "Lu-177": ((0.53, 0.65, 2.13, 2.64), (70.8, 37.5, 152.7, 101.6)),
    "Tl-201": ((0.24, 0.25, 0.86, 1.08), (41.7, 23.7, 96.7, 84.1)),
    "In-111": ((0.51, 0.81, 2.46, 3.19), (65.1, 42.2, 154.3, 105.2)),
    "Mo-99": ((0.86, 5.94, 17, 23.9), (77.4, 48.4, 190.1, 165.7)),
    "Ra-223": ((1.61, 2.78, 9.55, 22.9), (81.9, 48.9, 190, 141)),
    "Ga-67": ((0.81, 1.31, 4.56, 8.73), (76.7, 41, 167.8, 119)),
    "Cr-51": ((2.04, 1.84, 6.27, 5.9), (93.5, 46.5, 194.1, 120.1)),
    "I-125": ((0.017, 0.017, 0.058, 0.064), (3.13, 2.8, 9.67, 10)),
}
# NIST XCOM mu/rho of tungsten (cm²/g), Z=74 (read in two public transcriptions), and the density
# of G4_W in Geant4's G4NistMaterialBuilder (g/cm³).
NIST_W_MU = {100: 4.438, 150: 1.581, 500: 0.1378, 600: 0.1093}
W_DENSITY = 19.30

ARCHER_ROWS = data_rows("shielding_archer.csv")
LAYER_ROWS = data_rows("shielding_value_layers.csv")


def loglog(x: float, x0: float, y0: float, x1: float, y1: float) -> float:
    t = (math.log(x) - math.log(x0)) / (math.log(x1) - math.log(x0))
    return math.exp(math.log(y0) + t * (math.log(y1) - math.log(y0)))


def tungsten_hvl_mm(energy_kev: float, low: int, high: int) -> float:
    mu_rho = loglog(energy_kev, low, NIST_W_MU[low], high, NIST_W_MU[high])
    return 10.0 * math.log(2.0) / (mu_rho * W_DENSITY)


class TestAnalytic:
    @pytest.mark.parametrize("name", ["Tc-99m", "F-18", "Sm-153", "I-131"])
    @given(d=st.floats(min_value=0.01, max_value=100.0))
    def test_inverse_square(self, name: str, d: float) -> None:
        near = dose_rate(name, 1e9, d).rate_per_s
        assert dose_rate(name, 1e9, 2 * d).rate_per_s == pytest.approx(near / 4, rel=1e-12)

    @pytest.mark.parametrize("name", ["Tc-99m", "F-18"])
    def test_rate_is_constant_times_activity_over_d2(self, name: str) -> None:
        constant = dose_rate_constant(name).value_si
        assert dose_rate(name, 5e8, 0.5).rate_per_s == pytest.approx(constant * 5e8 / 0.25)

    @pytest.mark.parametrize(("name", "material"), SHIELDED, ids=SHIELDED_IDS)
    def test_zero_thickness_transmits_everything(self, name: str, material: str) -> None:
        assert transmission(name, material, 0.0) == 1.0  # type: ignore[arg-type]
        assert thickness_for_transmission(name, material, 1.0) == 0.0  # type: ignore[arg-type]

    @pytest.mark.parametrize("row", LAYER_ROWS, ids=lambda r: f"{r['nuclide']}-{r['material']}")
    def test_first_hvl_halves(self, row: dict[str, str]) -> None:
        hvl_m = float(row["hvl1_mm"]) * 1e-3
        assert transmission(row["nuclide"], row["material"], hvl_m) == pytest.approx(0.5)  # type: ignore[arg-type]

    @pytest.mark.parametrize("row", [r for r in LAYER_ROWS if r["tvl1_mm"]],
                             ids=lambda r: f"{r['nuclide']}-{r['material']}")  # fmt: skip
    def test_value_layer_model_passes_its_points(self, row: dict[str, str]) -> None:
        h1, h2, t1, t2 = (
            float(row[k]) * 1e-3 for k in ("hvl1_mm", "hvl2_mm", "tvl1_mm", "tvl2_mm")
        )
        points = [(h1 + h2, 0.25), (t1, 0.1), (t1 + t2, 0.01), (t1 + 3 * t2, 1e-4)]
        for x, expected in points:
            assert transmission(row["nuclide"], row["material"], x) == pytest.approx(expected)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["Tc-99m", "F-18"])
    def test_narrow_beam_tungsten_is_one_exponential(self, name: str) -> None:
        hvl = thickness_for_transmission(name, "tungsten", 0.5)
        for n in (1, 2, 3.5, 10):
            assert transmission(name, "tungsten", n * hvl) == pytest.approx(2.0**-n, rel=1e-12)

    @pytest.mark.parametrize("material", ["lead", "concrete"])
    def test_archer_at_zero_is_one_and_decreasing(self, material: str) -> None:
        values = [transmission("F-18", material, x * 1e-3) for x in range(0, 600, 5)]  # type: ignore[arg-type]
        assert values[0] == 1.0
        assert all(b < a for a, b in itertools.pairwise(values))

    @pytest.mark.parametrize(("name", "material"), SHIELDED, ids=SHIELDED_IDS)
    @given(log10_t=st.floats(min_value=-8.0, max_value=-1e-9))
    def test_thickness_inverts_transmission(
        self, name: str, material: str, log10_t: float
    ) -> None:
        wanted = 10.0**log10_t
        x = thickness_for_transmission(name, material, wanted)  # type: ignore[arg-type]
        assert x >= 0.0
        assert transmission(name, material, x) == pytest.approx(wanted, rel=1e-9)  # type: ignore[arg-type]

    @pytest.mark.parametrize(("name", "material"), SHIELDED, ids=SHIELDED_IDS)
    def test_transmission_never_increases(self, name: str, material: str) -> None:
        x_max = thickness_for_transmission(name, material, 1e-6)  # type: ignore[arg-type]
        values = [transmission(name, material, x_max * i / 400) for i in range(401)]  # type: ignore[arg-type]
        assert all(b <= a for a, b in itertools.pairwise(values))

    @pytest.mark.parametrize(("name", "material"), SHIELDED, ids=SHIELDED_IDS)
    @given(activity=st.floats(1e6, 1e12), d=st.floats(0.05, 20.0), log_ratio=st.floats(-6, -0.01))
    def test_thickness_for_dose_rate_hits_the_target(
        self, name: str, material: str, activity: float, d: float, log_ratio: float
    ) -> None:
        target = dose_rate(name, activity, d).rate_per_s * 10.0**log_ratio
        x = thickness_for_dose_rate(name, activity, d, material, target)  # type: ignore[arg-type]
        shielded = dose_rate(name, activity, d, material=material, thickness_m=x)  # type: ignore[arg-type]
        assert shielded.rate_per_s == pytest.approx(target, rel=1e-9)

    def test_no_shield_needed_when_already_below_target(self) -> None:
        rate = dose_rate("Tc-99m", 1e6, 3.0).rate_per_s
        assert thickness_for_dose_rate("Tc-99m", 1e6, 3.0, "lead", rate * 2) == 0.0
        assert thickness_for_dose_rate("Tc-99m", 0.0, 3.0, "lead", 1e-12) == 0.0

    def test_shielded_rate_is_unshielded_times_transmission(self) -> None:
        r = dose_rate("I-131", 3.7e9, 1.0, material="lead", thickness_m=0.01)
        assert r.rate_per_s == pytest.approx(r.unshielded_rate_per_s * r.transmission)
        assert r.transmission == transmission("I-131", "lead", 0.01)
        assert r.shielding_source is not None and r.shielding_source.startswith("CNSC")
        assert "point source" in r.model and "broad-beam" in r.model

    def test_unshielded_result_says_so(self) -> None:
        r = dose_rate("Lu-177", 7.4e9, 1.0)
        assert (r.transmission, r.shielding_source) == (1.0, None)
        assert r.rate_per_s == r.unshielded_rate_per_s
        assert r.quantity is DoseQuantity.EFFECTIVE_DOSE is r.constant.quantity


class TestPublished:
    @pytest.mark.parametrize("row", CONSTANT_ROWS,
                             ids=lambda r: f"{r['nuclide']}-{family(r['source'])}")  # fmt: skip
    def test_every_constant_equals_its_source(self, row: dict[str, str]) -> None:
        # The CSV holds the printed digits of the source; rel 1e-12 only absorbs the float
        # rounding of unit scaling (per GBq -> per MBq).
        key = (row["nuclide"], family(row["source"]))
        preferred, value, unit, quantity, status = REFERENCE_CONSTANTS[key]
        usv, ugy = row["constant_usv_m2_per_mbq_h"], row["constant_ugy_m2_per_mbq_h"]
        assert (row["preferred"] == "yes", row["quantity"], row["status"]) == (
            preferred, quantity, status,
        )  # fmt: skip
        if value is None:
            assert (usv, ugy) == ("", "")
        else:
            assert float(usv if unit == "usv" else ugy) == pytest.approx(value, rel=1e-12)
            assert (ugy if unit == "usv" else usv) == ""

    def test_every_reference_row_is_in_the_data(self) -> None:
        in_data = {(r["nuclide"], family(r["source"])) for r in CONSTANT_ROWS}
        assert in_data == set(REFERENCE_CONSTANTS)

    def test_preferred_constants_reach_the_api_in_si(self) -> None:
        for (name, _), (preferred, value, _, quantity, _) in REFERENCE_CONSTANTS.items():
            if preferred and value is not None:
                constant = dose_rate_constant(name)
                assert constant.value_si == pytest.approx(value * PER_MBQ_H, rel=1e-12)
                assert constant.quantity.value == quantity

    @pytest.mark.parametrize("name", sorted(CNSC_2025_ARICHER_MSV))
    def test_the_two_cnsc_transcriptions_agree(self, name: str) -> None:
        # aricher1/shieldlabs prints 4 digits in mSv; Shield_NM_CT 3 digits in µSv.
        assert float(f"{CNSC_2025_ARICHER_MSV[name] * 1e3:.3g}") == CNSC_2025_EFFECTIVE[name]

    def test_required_nuclides_are_covered_and_y90_is_not(self) -> None:
        required = ["Tc-99m", "I-131", "I-123", "F-18", "Ga-68", "Lu-177", "Sm-153", "Tl-201",
                    "In-111", "Mo-99", "Ra-223"]  # fmt: skip
        assert set(required) <= set(covered_nuclides())
        assert "Y-90" not in covered_nuclides()

    def test_sm153_constant_recomputed_from_its_inputs(self) -> None:
        # Gamma = sum(y E mu_en/rho) / 4 pi; E in J, mu_en/rho in m²/kg -> Gy m²/(Bq s).
        energies = sorted(NIST_AIR_MU_EN)
        total = 0.0
        for e_kev, y in SM153_LINES:
            hi = next(k for k in energies if k >= e_kev)
            lo = energies[energies.index(hi) - 1]
            mu = loglog(e_kev, lo, NIST_AIR_MU_EN[lo], hi, NIST_AIR_MU_EN[hi]) * 0.1
            total += y * e_kev * 1.602176634e-16 * mu / (4 * math.pi)
        # The CSV holds 3 significant figures: agreement within half a unit of the last digit.
        assert total / PER_MBQ_H == pytest.approx(0.0111, abs=0.00005)

    @pytest.mark.parametrize(
        ("name", "energy_kev", "low", "high"),
        [("Tc-99m", 140.511, 100, 150), ("F-18", 511.0, 500, 600)],
    )
    def test_tungsten_hvl_recomputed_from_nist(
        self, name: str, energy_kev: float, low: int, high: int
    ) -> None:
        # The CSV holds 3 significant figures of ln 2 / (mu/rho * rho).
        row = next(r for r in LAYER_ROWS if (r["nuclide"], r["material"]) == (name, "tungsten"))
        assert float(row["hvl1_mm"]) == float(f"{tungsten_hvl_mm(energy_kev, low, high):.3g}")

    @pytest.mark.parametrize("row", ARCHER_ROWS, ids=lambda r: f"{r['nuclide']}-{r['material']}")
    def test_archer_rows_equal_tg108_table_v(self, row: dict[str, str]) -> None:
        values = tuple(float(row[k]) for k in ("alpha_per_cm", "beta_per_cm", "gamma"))
        assert values == TG108_TABLE_V[row["material"]]

    @pytest.mark.parametrize("row", [r for r in LAYER_ROWS if r["material"] != "tungsten"],
                             ids=lambda r: f"{r['nuclide']}-{r['material']}")  # fmt: skip
    def test_value_layer_rows_equal_the_cnsc_booklet(self, row: dict[str, str]) -> None:
        lead, concrete = CNSC_2025_LAYERS[row["nuclide"]]
        expected = lead if row["material"] == "lead" else concrete
        got = tuple(float(row[k]) for k in ("hvl1_mm", "hvl2_mm", "tvl1_mm", "tvl2_mm"))
        assert got == expected

    def test_every_cnsc_layer_reference_is_in_the_data(self) -> None:
        in_data = {
            (r["nuclide"], r["material"]) for r in LAYER_ROWS if r["material"] != "tungsten"
        }
        assert in_data == {(n, m) for n in CNSC_2025_LAYERS for m in ("lead", "concrete")}

    @pytest.mark.parametrize("material", ["lead", "concrete"])
    def test_archer_fit_reproduces_tg108_table_iv(self, material: str) -> None:
        # Table IV is printed to 4 decimals; the Table V fit must match it to within one unit
        # of the last printed digit (observed worst case 4e-5).
        for thickness, expected in TG108_TABLE_IV[material]:
            x = thickness * TABLE_IV_UNIT_M[material]
            assert transmission("F-18", material, x) == pytest.approx(expected, abs=1e-4)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("b", "lead_cm", "concrete_cm"),
        [
            pytest.param(0.189, 1.2, 15, id="example-1"),
            pytest.param(0.34, 0.8, 11, id="example-2"),
        ],
    )
    def test_tg108_worked_barrier_examples(
        self, b: float, lead_cm: float, concrete_cm: float
    ) -> None:
        # TG-108 Examples 1 and 2: the required transmission B read off Table IV as 1.2 cm Pb or
        # 15 cm concrete (and 0.8 cm or 11 cm); printed to 0.1 cm and 1 cm, hence the tolerances.
        assert thickness_for_transmission("F-18", "lead", b) * 100 == pytest.approx(
            lead_cm, abs=0.05
        )
        assert thickness_for_transmission("F-18", "concrete", b) * 100 == pytest.approx(
            concrete_cm, abs=0.5
        )

    def test_tg108_floor_slab_reduction(self) -> None:
        # TG-108: a 10 cm concrete floor slab reduces 511 keV dose by a factor of 2.5 (2 digits).
        assert 1 / transmission("F-18", "concrete", 0.10) == pytest.approx(2.5, abs=0.05)

    def test_tg108_f18_dose_rate_at_one_metre(self) -> None:
        # TG-108: 37 MBq (1 mCi) of F-18 gives 5.3 µSv/h at 1 m (printed to 0.1 µSv/h).
        rate_usv_h = dose_rate("F-18", 37e6, 1.0).rate_per_s * 3600 * 1e6
        assert rate_usv_h == pytest.approx(5.3, abs=0.05)


class TestRegression:
    """Snapshots of our own output; they catch changes, they do not validate anything."""

    def test_lu177_therapy_dose_at_one_metre(self) -> None:
        r = dose_rate("Lu-177", 7.4e9, 1.0, material="lead", thickness_m=2e-3)
        assert r.rate_per_s * 3600 * 1e6 == pytest.approx(4.143942, rel=1e-6)

    def test_i131_capsule_behind_lead(self) -> None:
        x = thickness_for_dose_rate("I-131", 3.7e9, 1.0, "lead", 1e-6 / 3600)
        assert x * 1e3 == pytest.approx(30.607168, rel=1e-6)


class TestErrors:
    @pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
    def test_bad_distance(self, bad: float) -> None:
        with pytest.raises(ExposureInputError, match="distance must be"):
            dose_rate("Tc-99m", 1e9, bad)

    @pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
    def test_bad_activity(self, bad: float) -> None:
        with pytest.raises(ExposureInputError, match="activity must be"):
            dose_rate("Tc-99m", bad, 1.0)

    @pytest.mark.parametrize("bad", [-1e-3, math.nan, math.inf])
    def test_bad_thickness(self, bad: float) -> None:
        with pytest.raises(ExposureInputError, match="thickness must be"):
            transmission("Tc-99m", "lead", bad)
        with pytest.raises(ExposureInputError, match="thickness must be"):
            dose_rate("Tc-99m", 1e9, 1.0, material="lead", thickness_m=bad)

    @pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, math.nan])
    def test_bad_transmission(self, bad: float) -> None:
        with pytest.raises(ExposureInputError, match=r"transmission must be in \(0, 1\]"):
            thickness_for_transmission("Tc-99m", "lead", bad)

    @pytest.mark.parametrize("bad", [0.0, -1e-9, math.nan])
    def test_bad_target_rate(self, bad: float) -> None:
        with pytest.raises(ExposureInputError, match="target dose rate"):
            thickness_for_dose_rate("Tc-99m", 1e9, 1.0, "lead", bad)

    def test_unknown_material_lists_the_allowed_ones(self) -> None:
        with pytest.raises(ExposureInputError, match="allowed: lead, tungsten, concrete, iron"):
            transmission("Tc-99m", "steel", 0.01)  # type: ignore[arg-type]

    def test_material_without_data_lists_what_exists(self) -> None:
        with pytest.raises(NoShieldingDataError, match="data exist for lead, concrete"):
            transmission("Lu-177", "tungsten", 1e-3)
        with pytest.raises(NoShieldingDataError, match="no lead data for Sm-153"):
            dose_rate("Sm-153", 1e9, 1.0, material="lead", thickness_m=1e-3)
        with pytest.raises(NoShieldingDataError, match="no tungsten data for I-131"):
            thickness_for_dose_rate("I-131", 1e9, 1.0, "tungsten", 1e-9)

    @pytest.mark.parametrize("name", ["Y-90", "90Y", "Sr-89", "P-32"])
    def test_pure_beta_emitters_are_not_covered(self, name: str) -> None:
        with pytest.raises(NotCoveredError, match="bremsstrahlung"):
            dose_rate_constant(name)
        with pytest.raises(NotCoveredError):
            dose_rate(name, 1e9, 1.0)

    def test_nuclide_without_constant_lists_the_covered_ones(self) -> None:
        with pytest.raises(
            NotCoveredError, match=r"no dose-rate constant for Co-60; covered: .*Tc-99m"
        ):
            dose_rate_constant("Co-60")

    @pytest.mark.parametrize("name", ["technetium", "Xx-999"])
    def test_unknown_nuclide(self, name: str) -> None:
        with pytest.raises(UnknownNuclideError):
            dose_rate_constant(name)

    def test_errors_are_input_errors_with_one_line_messages(self) -> None:
        calls = [
            lambda: dose_rate("Tc-99m", 1e9, 0.0),
            lambda: dose_rate_constant("Y-90"),
            lambda: dose_rate_constant("Co-60"),
            lambda: transmission("Lu-177", "tungsten", 1e-3),
            lambda: transmission("Tc-99m", "steel", 1e-3),  # type: ignore[arg-type]
        ]
        for call in calls:
            with pytest.raises(NucmedInputError) as info:
                call()
            assert "\n" not in str(info.value)


def test_one_preferred_row_per_nuclide() -> None:
    preferred = [r["nuclide"] for r in CONSTANT_ROWS if r["preferred"] == "yes"]
    assert len(preferred) == len(set(preferred))
    assert set(exposure.covered_nuclides()) < set(preferred)
