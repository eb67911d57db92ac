"""Diagnostic dose estimates: catalogue, ICRP 128 coefficients, age models, errors.

Three kinds of expected value, kept apart: ``TestAnalytic`` (follows from E = e · A and the age
rule), ``TestPublished`` (published rows, cited with table and row, tolerance justified) and
``TestRegression`` (snapshots of our own tables, not validation).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.data import Status, read_rows
from nucmed.dosimetry import diagnostic
from nucmed.dosimetry.diagnostic import (
    AGE_MODELS,
    DoseInputError,
    UnknownRadiopharmaceuticalError,
    age_model,
    effective_dose,
    get_procedure,
    get_radiopharmaceutical,
    procedures,
)
from nucmed.dosimetry.paediatric import guideline_from_text, paediatric_activity
from nucmed.radiopharmacy.kits import all_kits

MBQ = 1e6
MSV = 1e-3
MGY = 1e-3


def _coefficient_rows() -> list[dict[str, str]]:
    return read_rows("icrp128_coefficients.csv")


class TestCatalogue:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            pytest.param("F-18 FDG", "f18-fdg", id="F-18 FDG"),
            pytest.param("18F-FDG", "f18-fdg", id="18F-FDG"),
            pytest.param("[18F]FDG", "f18-fdg", id="[18F]FDG"),
            pytest.param("fludeoxyglucose", "f18-fdg", id="fludeoxyglucose"),
            pytest.param("Tc-99m MDP", "tc99m-mdp", id="Tc-99m MDP"),
            pytest.param("99mTc-MDP", "tc99m-mdp", id="99mTc-MDP"),
            pytest.param("[99mTc]Tc-medronate", "tc99m-mdp", id="[99mTc]Tc-medronate"),
            pytest.param("technetium-99m mdp", "tc99m-mdp", id="technetium"),
            pytest.param("Tc-99m MAG3", "tc99m-mag3", id="Tc-99m MAG3"),
            pytest.param("tc99m mertiatide", "tc99m-mag3", id="mertiatide"),
            pytest.param("Tc-99m pertechnetate", "tc99m-pertechnetate", id="pertechnetate"),
            pytest.param("I-123 sodium iodide", "i123-iodide", id="I-123 sodium iodide"),
            pytest.param("sodium iodide I-131", "i131-iodide", id="word order"),
            pytest.param("TC99M-SESTAMIBI", "tc99m-sestamibi", id="code upper case"),
            pytest.param("[68Ga]Ga-DOTA-TATE", "ga68-dotatate", id="Ga-68 DOTATATE"),
        ],
    )
    def test_names_and_aliases(self, name: str, code: str) -> None:
        assert get_radiopharmaceutical(name).code == code

    def test_unknown_name_lists_near_matches(self) -> None:
        with pytest.raises(UnknownRadiopharmaceuticalError, match=r"near matches: tc99m-mdp"):
            get_radiopharmaceutical("Tc-99m MPD")

    def test_unknown_name_without_near_match_lists_known(self) -> None:
        with pytest.raises(UnknownRadiopharmaceuticalError, match=r"known: tc99m-mdp"):
            get_radiopharmaceutical("xyz")

    def test_alias_shared_by_two_entries_is_ambiguous(self) -> None:
        with pytest.raises(UnknownRadiopharmaceuticalError, match=r"ambiguous.*i123-iodide"):
            get_radiopharmaceutical("sodium iodide")

    def test_kit_codes_exist_in_the_kit_catalogue(self) -> None:
        kits = {kit.code for kit in all_kits()}
        wanted = {"mdp", "maa", "sestamibi", "tetrofosmin", "dtpa", "mag3", "dmsa", "colloid"}
        wanted |= {"hmpao", "pyp", "rbc"}
        linked = {rp.kit_code for rp in diagnostic.all_radiopharmaceuticals() if rp.kit_code}
        assert linked <= kits
        assert wanted <= linked

    def test_every_coefficient_key_has_an_adult_default(self) -> None:
        rows = _coefficient_rows()
        for rp in diagnostic.all_radiopharmaceuticals():
            if rp.icrp_key is None:
                assert rp.note, f"{rp.code}: a missing coefficient needs a reason"
                continue
            own = [row for row in rows if row["key"] == rp.icrp_key]
            defaults = {row["condition"] for row in own if row["default"] == "yes"}
            assert len(defaults) == 1, rp.code
            assert any(row["age"] == "adult" and row["default"] == "yes" for row in own)

    def test_default_condition_has_the_highest_adult_coefficient(self) -> None:
        adults = [row for row in _coefficient_rows() if row["age"] == "adult"]
        for key in {row["key"] for row in adults}:
            own = [row for row in adults if row["key"] == key]
            top = max(own, key=lambda row: float(row["e_msv_per_mbq"]))
            assert top["default"] == "yes", key

    def test_rows_have_source_and_known_status(self) -> None:
        for row in _coefficient_rows():
            assert row["source"].strip()
            assert row["age"] in AGE_MODELS
            assert row["e_status"] in set(Status)
            assert row["organ_status"] in {*Status, ""}
            assert bool(row["critical_organ"]) == bool(row["organ_mgy_per_mbq"])

    def test_coefficients_do_not_grow_with_age(self) -> None:
        """Smaller bodies absorb more per MBq: a plausibility check of the transcription."""
        rows = _coefficient_rows()
        for key, condition in {(row["key"], row["condition"]) for row in rows}:
            by_age = {r["age"]: float(r["e_msv_per_mbq"]) for r in rows
                      if r["key"] == key and r["condition"] == condition}  # fmt: skip
            values = [by_age[m] for m in AGE_MODELS if m in by_age]
            assert values == sorted(values, reverse=True), (key, condition)

    def test_procedures(self) -> None:
        catalogue = procedures()
        assert 28 <= len(catalogue) <= 35
        assert len({p.code for p in catalogue}) == len(catalogue)
        for procedure in catalogue:
            rp = get_radiopharmaceutical(procedure.radiopharmaceutical)
            assert rp.code == procedure.radiopharmaceutical
            if procedure.condition is not None:
                effective_dose(rp.code, MBQ, condition=procedure.condition)
            assert (procedure.drl_bq is None) == (not procedure.drl_source)
            assert (procedure.adult_min_bq is None) == (not procedure.adult_source)
            for guideline, key in (("eanm", procedure.eanm_key), ("na", procedure.na_key)):
                if key is not None:  # the row exists and covers this radiopharmaceutical
                    chosen = guideline_from_text(guideline)
                    paediatric_activity(rp.code, 20.0, chosen, indication=key)

    def test_get_procedure(self) -> None:
        assert get_procedure("Renal-MAG3").na_key == "tc99m-mag3-no-flow"
        with pytest.raises(DoseInputError, match="near matches: renal-mag3"):
            get_procedure("renal-mga3")


class TestAnalytic:
    """Expected values that follow from E = e(age) · A and the ICRP age bands."""

    @given(st.floats(min_value=1e3, max_value=1e11), st.floats(min_value=0.01, max_value=100.0))
    def test_dose_is_proportional_to_activity(self, activity_bq: float, k: float) -> None:
        one = effective_dose("Tc-99m DMSA", activity_bq)
        scaled = effective_dose("Tc-99m DMSA", activity_bq * k)
        assert scaled.effective_dose_sv == pytest.approx(k * one.effective_dose_sv, rel=1e-12)
        assert scaled.critical_organ_dose_gy == pytest.approx(
            k * (one.critical_organ_dose_gy or 0.0), rel=1e-12
        )

    def test_units(self) -> None:
        """0.0057 mSv/MBq x 1 MBq = 5.7 µSv; 0.063 mGy/MBq x 1 MBq = 63 µGy."""
        e = effective_dose("Tc-99m MDP", MBQ)
        assert e.coefficient_sv_per_bq == pytest.approx(0.0057 * MSV / MBQ, rel=1e-12)
        assert e.effective_dose_sv == pytest.approx(5.7e-6, rel=1e-12)
        assert e.critical_organ_dose_gy == pytest.approx(63e-6, rel=1e-12)

    @pytest.mark.parametrize(
        ("age", "model"),
        [
            pytest.param(0.0, "1y", id="newborn"),
            pytest.param(1.99, "1y", id="1.99 y"),
            pytest.param(2.0, "5y", id="2 y"),
            pytest.param(6.99, "5y", id="6.99 y"),
            pytest.param(7.0, "10y", id="7 y"),
            pytest.param(11.99, "10y", id="11.99 y"),
            pytest.param(12.0, "15y", id="12 y"),
            pytest.param(16.99, "15y", id="16.99 y"),
            pytest.param(17.0, "adult", id="17 y"),
            pytest.param(100.0, "adult", id="100 y"),
            pytest.param(None, "adult", id="no age"),
        ],
    )
    def test_age_bands(self, age: float | None, model: str) -> None:
        assert age_model(age) == model

    def test_age_selects_the_row(self) -> None:
        assert effective_dose("Tc-99m DMSA", MBQ, 8.0).coefficient_sv_per_bq == pytest.approx(
            0.015 * MSV / MBQ
        )

    def test_default_condition_and_explicit_condition(self) -> None:
        rest = effective_dose("Tc-99m sestamibi", 400 * MBQ)
        exercise = effective_dose("Tc-99m sestamibi", 400 * MBQ, condition=" Exercise ")
        assert rest.condition == "rest" and exercise.condition == "exercise"
        assert exercise.effective_dose_sv < rest.effective_dose_sv

    def test_status_is_the_weaker_of_e_and_organ(self) -> None:
        """MAA: E secondary, lungs recalled -> recalled."""
        assert effective_dose("Tc-99m MAA", MBQ).status == "recalled"

    def test_missing_organ_value_is_none(self) -> None:
        e = effective_dose("Tl-201 thallous chloride", 100 * MBQ)
        assert e.critical_organ is None and e.critical_organ_dose_gy is None
        assert e.effective_dose_sv == pytest.approx(0.14 * 100 * MSV)


# Published coefficients: (name, age, condition, E mSv/MBq, organ, organ mGy/MBq, citation).
# Tolerance 1e-9 relative: the values are transcribed digit for digit from the cited tables.
REFERENCE_COEFFICIENTS = [
    ("Tc-99m MDP", None, None, 0.0057, "bone surfaces", 0.063,
     "SNMMI bone scintigraphy guideline, dosimetry table, Tc-99m phosphonates, adult; "
     "EANM bone scintigraphy guideline table (E)"),
    ("Tc-99m MDP", 15.0, None, 0.0070, "bone surfaces", None,
     "EANM bone scintigraphy guideline table, 15-year-old, E"),
    ("Tc-99m MDP", 5.0, None, 0.014, "bone surfaces", 0.22,
     "EANM bone guideline table, 5-year-old, E; SNMMI bone guideline table, bone surfaces"),
    ("F-18 FDG", None, None, 0.019, "urinary bladder wall", 0.13,
     "EJNMMI Phys 2021 (doi:10.1186/s40658-021-00395-2) Table 5, ICRP 106 FDG, adult"),
    ("Tc-99m pertechnetate", None, None, 0.013, "upper large intestine wall", 0.057,
     "J Nucl Med Technol 42(3):163, dosimetry table, pertechnetate IV (ICRP 80 p. 73), adult"),
    ("Tc-99m pertechnetate", 5.0, None, None, "upper large intestine wall", 0.20,
     "J Nucl Med Technol 42(3):163, dosimetry table, pertechnetate, 20-kg child, ULI wall"),
    ("I-123 sodium iodide", None, "blocked", 0.010, "urinary bladder wall", 0.097,
     "J Nucl Med Technol table of Na-123I dosimetry, 0 % thyroid uptake, adult"),
    ("I-131 sodium iodide", None, "blocked", 0.058, "urinary bladder wall", 0.66,
     "J Nucl Med Technol table of Na-131I dosimetry, 0 % thyroid uptake, adult"),
    ("Ga-68 DOTATATE", None, None, 0.0257, "spleen", 0.282,
     "Walker et al., J Nucl Med 2013, Table 3, 68Ga-DOTATATE effective dose and spleen"),
]  # fmt: skip

# Fahey, Treves, Adelstein, J Nucl Med 52 (2011), Table 1: total effective dose (mSv) and
# critical-organ dose (mGy) for the adult activity scaled by body mass (1 y 9.7 kg, 5 y 19.8,
# 10 y 33.2, 15 y 56.8, adult 70 kg). Rows: (name, adult MBq, ages 1/5/10/15/adult).
FAHEY_2011_TABLE_1 = [
    ("Tc-99m MDP", 740.0, (2.8, 2.9, 3.9, 4.2, 4.2), (54.5, 46.0, 45.6, 49.2, 46.6)),
    ("Tc-99m sestamibi", 740.0, (5.4, 5.9, 6.3, 7.2, 6.7), (32.9, 20.9, 20.4, 27.0, 28.9)),
    ("Tc-99m ECD", 740.0, (4.1, 4.6, 5.3, 5.9, 5.7), (13.4, 23.0, 30.5, 37.2, 37.0)),
    ("I-123 MIBG", 370.0, (3.4, 3.8, 4.5, 5.0, 4.8), (16.6, 18.5, 22.4, 25.6, 24.8)),
]
FAHEY_AGES = ((1.0, 9.7), (5.0, 19.8), (10.0, 33.2), (15.0, 56.8), (None, 70.0))


class TestPublished:
    @pytest.mark.parametrize(
        "row",
        [pytest.param(row, id=f"{row[0]} {row[1] or 'adult'} {row[2] or ''}".strip())
         for row in REFERENCE_COEFFICIENTS],
    )  # fmt: skip
    def test_coefficients(self, row: tuple[object, ...]) -> None:
        name, age, condition, e, organ, d, _citation = row
        assert isinstance(name, str) and isinstance(organ, str)
        assert age is None or isinstance(age, float)
        assert condition is None or isinstance(condition, str)
        result = effective_dose(name, MBQ, age, condition=condition)
        if isinstance(e, float):
            assert result.coefficient_sv_per_bq == pytest.approx(e * MSV / MBQ, rel=1e-9)
        assert result.critical_organ == organ
        if isinstance(d, float):
            assert result.organ_coefficient_gy_per_bq == pytest.approx(d * MGY / MBQ, rel=1e-9)

    @pytest.mark.parametrize(
        ("name", "adult_mbq", "doses_msv", "organ_mgy"),
        [pytest.param(*row, id=row[0]) for row in FAHEY_2011_TABLE_1],
    )
    def test_fahey_2011_table_1(
        self, name: str, adult_mbq: float, doses_msv: tuple[float, ...],
        organ_mgy: tuple[float, ...],
    ) -> None:  # fmt: skip
        # Tolerance: the table prints 0.1 mSv / 0.1 mGy (0.05 absolute), and our coefficients
        # have 2 significant figures (up to 3 % for the values here, e.g. 0.013 for 0.01297).
        for (age, mass_kg), e_msv, d_mgy in zip(FAHEY_AGES, doses_msv, organ_mgy, strict=True):
            result = effective_dose(name, adult_mbq * MBQ * mass_kg / 70.0, age)
            assert result.effective_dose_sv / MSV == pytest.approx(e_msv, rel=0.03, abs=0.05)
            assert (result.critical_organ_dose_gy or 0.0) / MGY == pytest.approx(
                d_mgy, rel=0.03, abs=0.05
            )


class TestRegression:
    """Snapshots of our own tables (secondary data), not validation."""

    def test_mag3_child(self) -> None:
        e = effective_dose("Tc-99m MAG3", 100 * MBQ, 5.0)
        assert (e.effective_dose_sv, e.critical_organ, e.age_model) == (
            pytest.approx(1.2e-3),
            "urinary bladder wall",
            "5y",
        )
        assert e.critical_organ_dose_gy == pytest.approx(0.018)
        assert e.status == "secondary"

    def test_i131_default_is_functioning_thyroid(self) -> None:
        e = effective_dose("I-131 sodium iodide", 100 * MBQ)
        assert e.condition == "uptake-35" and e.critical_organ == "thyroid"
        assert e.effective_dose_sv == pytest.approx(2.2)


class TestErrors:
    @pytest.mark.parametrize(
        "activity",
        [pytest.param(v, id=str(v)) for v in (0.0, -1e6, math.nan, math.inf)],
    )
    def test_bad_activity(self, activity: float) -> None:
        with pytest.raises(DoseInputError, match="activity must be a finite number > 0 Bq"):
            effective_dose("Tc-99m MDP", activity)

    @pytest.mark.parametrize(
        "age", [pytest.param(v, id=str(v)) for v in (-0.1, 100.5, math.nan, -math.inf)]
    )
    def test_age_outside_0_to_100(self, age: float) -> None:
        with pytest.raises(DoseInputError, match="age must be from 0 to 100 years"):
            effective_dose("Tc-99m MDP", MBQ, age)

    def test_unknown_name(self) -> None:
        with pytest.raises(UnknownRadiopharmaceuticalError, match="near matches: f18-fdg"):
            effective_dose("F-18 FGD", MBQ)

    def test_unknown_condition(self) -> None:
        with pytest.raises(DoseInputError, match="allowed: exercise, rest"):
            effective_dose("Tc-99m sestamibi", MBQ, condition="dipyridamole")

    def test_condition_for_a_single_model(self) -> None:
        with pytest.raises(DoseInputError, match="none \\(a single model\\)"):
            effective_dose("Tc-99m MDP", MBQ, condition="rest")

    def test_age_model_not_shipped(self) -> None:
        with pytest.raises(DoseInputError, match=r"no 5y coefficient.*available: adult"):
            effective_dose("Tc-99m MAA", MBQ, 5.0)

    def test_no_coefficients_shipped(self) -> None:
        with pytest.raises(DoseInputError, match="no dose coefficients are shipped"):
            effective_dose("Tc-99m nanocolloid", MBQ)
