"""Paediatric activities: EANM dosage card 2016 and North American consensus guidelines.

Three kinds of expected value, kept apart: ``TestAnalytic`` (follows from the two formulas),
``TestPublished`` (published activities, cited with table and row, tolerance justified) and
``TestRegression`` (snapshots of our own tables, not validation).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.data import Status, read_rows
from nucmed.dosimetry import paediatric
from nucmed.dosimetry.diagnostic import (
    UnknownRadiopharmaceuticalError,
    all_radiopharmaceuticals,
)
from nucmed.dosimetry.paediatric import (
    PaediatricInputError,
    guideline_from_text,
    paediatric_activity,
)
from nucmed.errors import Word

MBQ = 1e6


def _mbq(name: str, weight_kg: float, guideline: str = "eanm", **kw: str) -> float:
    result = paediatric_activity(name, weight_kg, guideline_from_text(guideline), **kw)
    return result.activity_bq / MBQ


class TestData:
    @pytest.mark.parametrize("file", ["eanm_dosage_card_2016.csv", "na_consensus_2016.csv"])
    def test_rows(self, file: str) -> None:
        codes = {rp.code for rp in all_radiopharmaceuticals()}
        rows = read_rows(file)
        for row in rows:
            assert row["source"].strip() and row["status"] in set(Status)
            assert set(row["radiopharmaceuticals"].split("|")) <= codes, row["key"]
        for code in codes:  # at most one default row per radiopharmaceutical
            own = [r for r in rows if code in r["radiopharmaceuticals"].split("|")]
            assert len([r for r in own if r["default"] == "yes"]) == (1 if own else 0), code

    def test_weight_table(self) -> None:
        rows = paediatric._weight_rows()
        assert rows[0].weight_kg == paediatric.EANM_MIN_WEIGHT_KG
        assert rows[-1].weight_kg == paediatric.EANM_MAX_WEIGHT_KG
        for klass in "ABC":
            values = [row.multiples[klass] for row in rows]
            assert values == sorted(values) and values[0] == 1.0

    def test_every_eanm_class_is_known(self) -> None:
        assert {row.klass for row in paediatric._eanm_rows()} <= {"A", "B", "C"}


class TestAnalytic:
    """Expected values that follow from A = baseline x multiple and A = MBq/kg x weight."""

    def test_eanm_baseline_times_multiple(self) -> None:
        """MDP: class B, baseline 35 MBq; B(20 kg) = 4.86."""
        assert _mbq("Tc-99m MDP", 20.0) == pytest.approx(35.0 * 4.86, rel=1e-12)

    def test_eanm_minimum(self) -> None:
        """MDP at 3 kg: 35 x 1 = 35 MBq < minimum 40 MBq."""
        result = paediatric_activity("Tc-99m MDP", 3.0, "eanm")
        assert result.activity_bq == pytest.approx(40 * MBQ) and result.minimum_applied
        assert not result.maximum_applied

    @pytest.mark.parametrize(
        ("weight", "row_weight"),
        [pytest.param(21.9, 20.0, id="21.9 kg uses 20"),
         pytest.param(55.0, 52.0, id="55 kg uses 52-54"),
         pytest.param(67.9, 64.0, id="67.9 kg uses 64-66"),
         pytest.param(68.0, 68.0, id="68 kg")],
    )  # fmt: skip
    def test_eanm_weight_between_rows_takes_the_lower_row(
        self, weight: float, row_weight: float
    ) -> None:
        assert _mbq("Tc-99m DMSA", weight) == pytest.approx(_mbq("Tc-99m DMSA", row_weight))

    def test_na_per_kg(self) -> None:
        """MDP 9.3 MBq/kg x 20 kg, no maximum."""
        result = paediatric_activity("Tc-99m MDP", 20.0, "na")
        assert result.activity_bq == pytest.approx(186 * MBQ, rel=1e-12)
        assert not (result.minimum_applied or result.maximum_applied)

    def test_na_range_per_kg(self) -> None:
        """FDG body 3.7-5.2 MBq/kg: the lower end is given, the upper end reported."""
        result = paediatric_activity("F-18 FDG", 30.0, "na")
        assert result.activity_bq == pytest.approx(111 * MBQ)
        assert result.activity_max_bq == pytest.approx(156 * MBQ)

    @given(st.floats(min_value=0.5, max_value=150.0), st.floats(min_value=0.5, max_value=150.0))
    def test_na_within_limits_and_monotone(self, w1: float, w2: float) -> None:
        low, high = sorted((w1, w2))
        a = paediatric_activity("Tc-99m MAG3", low, "na", indication="with flow study")
        b = paediatric_activity("Tc-99m MAG3", high, "na", indication="with flow study")
        assert 37 * MBQ <= a.activity_bq <= b.activity_bq <= 148 * MBQ

    @given(st.floats(min_value=3.0, max_value=68.0), st.floats(min_value=3.0, max_value=68.0))
    def test_eanm_monotone_and_at_least_minimum(self, w1: float, w2: float) -> None:
        low, high = sorted((w1, w2))
        a = paediatric_activity("Tc-99m HMPAO", low, "eanm")
        b = paediatric_activity("Tc-99m HMPAO", high, "eanm")
        assert 100 * MBQ <= a.activity_bq <= b.activity_bq

    def test_indication_by_label_or_key(self) -> None:
        by_label = _mbq("Tc-99m DTPA", 20.0, indication="Abnormal renal function")
        by_key = _mbq("Tc-99m DTPA", 20.0, indication="tc99m-dtpa-abnormal")
        assert by_label == by_key == pytest.approx(14.0 * 4.86)

    def test_status_includes_the_weight_table(self) -> None:
        """MDP row confirmed, weight multiples secondary: the result is secondary."""
        assert paediatric_activity("Tc-99m MDP", 20.0).status == "secondary"


# French DRL order of 24 October 2011 (arrêté, annexe 2, tableau 7), paediatric columns at
# 3.5, 10, 20, 30 and 40 kg, computed by the French authorities with the EANM card. Read in the
# Légifrance text (github.com/etalab/lois-non-codifiees-et-reglements-francais,
# arrete/2012/arrete-du-24-octobre-2011-etsp1129093a/annexes/article-annexe-2.md).
# Row: (name, indication, table row, MBq at 3.5/10/20/30/40 kg; None = empty cell).
FR_2011_TABLE_7 = [
    ("Tc-99m MDP", None, "Scintigraphie du squelette", (40, 95, 170, 240, 310)),
    ("Tc-99m MAA", None, "Scintigraphie pulmonaire de perfusion", (10, 15, 30, 40, 50)),
    ("I-123 sodium iodide", None, "Thyroïde, 123I iodure", (3, None, 5, 8, 10)),
    ("Tc-99m pertechnetate", None, "Thyroïde, pertechnétate", (10, 15, 30, 40, 50)),
    ("Tc-99m RBC", None, "Cavités cardiaques", (80, 150, 270, 400, 500)),
    ("Tc-99m MAG3", None, "Rénale dynamique, MAG3", (15, 25, 35, 45, 50)),
    ("Tc-99m DTPA", "normal renal function", "Rénale, DTPA normale", (35, 70, 100, 125, 150)),
    ("Tc-99m DTPA", "abnormal renal function", "Rénale, DTPA anormale", (20, 40, 70, 100, 125)),
    ("Tc-99m ECD", None, "Cérébrale de perfusion, ECD", (110, 110, 155, 220, 285)),
    ("Tc-99m HMPAO", None, "Cérébrale de perfusion, HMPAO", (100, 140, 250, 355, 460)),
    ("F-18 FDG", None, "TEP au 18F-FDG", (15, 40, 70, 100, 125)),
]
FR_WEIGHTS = (3.5, 10.0, 20.0, 30.0, 40.0)

# North American consensus guidelines: (name, indication, kg, expected MBq, citation row).
# Expected = MBq/kg x kg within [minimum, maximum], all numbers as printed in the table.
NA_REFERENCE = [
    ("Tc-99m MDP", None, 20.0, 9.3 * 20, "2011 Table 1, 99mTc-MDP, 9.3 MBq/kg"),
    ("Tc-99m MDP", None, 3.0, 37.0, "2011 Table 1, 99mTc-MDP, minimum 37 MBq"),
    ("I-123 MIBG", None, 80.0, 370.0, "2011 Table 1, 123I-MIBG, 5.2 MBq/kg, maximum 370 MBq"),
    ("Tc-99m MAG3", "without flow study", 20.0, 74.0, "2011 Table 1, 99mTc-MAG3 no flow, 3.7"),
    ("Tc-99m MAG3", "with flow study", 30.0, 148.0, "2011 Table 1, 99mTc-MAG3 flow, max 148"),
    ("Tc-99m MAA", None, 10.0, 14.8, "2011 Table 1, 99mTc-MAA, 1.11 MBq/kg, minimum 14.8"),
    ("Tc-99m MAA", "with Tc-99m ventilation", 20.0, 2.59 * 20, "2011 Table 1, 99mTc-MAA, 2.59"),
    ("Tc-99m IDA", None, 20.0, 37.0, "2011 Table 1, 99mTc-IDA, 1.85 MBq/kg"),
    ("F-18 FDG", "brain", 5.0, 37.0, "2011 Table 1, 18F-FDG brain, minimum 37 MBq"),
    ("Tc-99m pertechnetate", "thyroid", 20.0, 1.11 * 20, "2016 update, 99mTc-pertechnetate"),
    ("I-123 sodium iodide", None, 50.0, 11.0, "2016 update, Na-123I, 0.28 MBq/kg, maximum 11"),
    ("Tc-99m HMPAO", None, 10.0, 185.0, "2016 update, HMPAO/ECD, 11.1 MBq/kg, minimum 185"),
    ("Tc-99m ECD", None, 80.0, 740.0, "2016 update, HMPAO/ECD, maximum 740 MBq"),
]  # fmt: skip


class TestPublished:
    @pytest.mark.parametrize(
        ("name", "indication", "table_row", "expected"),
        [pytest.param(*row, id=row[2]) for row in FR_2011_TABLE_7],
    )
    def test_french_drl_2011_table_7(
        self, name: str, indication: str | None, table_row: str, expected: tuple[int | None, ...]
    ) -> None:
        # Tolerance: the order prints activities rounded (mostly up) to 5 MBq, to 1 MBq for
        # I-123, and to 50 MBq at the top (384 -> 400 MBq for RBC at 30 kg): one rounding step
        # or 5 %, whichever is larger.
        step = 1.0 if name.startswith("I-123") else 5.0
        kw = {} if indication is None else {"indication": indication}
        for weight, value in zip(FR_WEIGHTS, expected, strict=True):
            if value is None:
                continue
            assert _mbq(name, weight, **kw) == pytest.approx(value, abs=max(step, 0.05 * value))

    @pytest.mark.parametrize(
        ("weight", "expected"),
        [pytest.param(w, a, id=f"{w:g} kg") for w, a in
         ((3.5, 40), (10, 95), (20, 170), (30, 240), (40, 310), (50, 375))],
    )  # fmt: skip
    def test_eanm_bone_guideline_table(self, weight: float, expected: float) -> None:
        # EANM bone scintigraphy guideline, Table 1 (van den Bruggen thesis p. 42): activities
        # printed to 5 MBq; tolerance 2.5 MBq (half a step).
        assert _mbq("Tc-99m MDP", weight) == pytest.approx(expected, abs=2.5)

    @pytest.mark.parametrize(
        ("weight", "expected"),
        [pytest.param(3.0, 11, id="3 kg"), pytest.param(68.0, 149, id="68 kg")],
    )
    def test_eanm_petmr_2022(self, weight: float, expected: float) -> None:
        # EJNMMI 49:1964 (2022), abstract: FDG for PET/MR from 11 MBq (3 kg) to 149 MBq (68 kg);
        # printed in whole MBq (149.8 is printed as 149): tolerance 1 MBq.
        got = _mbq("F-18 FDG", weight, indication="PET/MR or long axial field of view PET/CT")
        assert got == pytest.approx(expected, abs=1.0)

    @pytest.mark.parametrize(
        ("name", "indication", "weight", "expected", "citation"),
        [pytest.param(*row, id=row[4]) for row in NA_REFERENCE],
    )
    def test_north_american_guidelines(
        self, name: str, indication: str | None, weight: float, expected: float, citation: str
    ) -> None:
        # Tolerance 1e-9 relative: exact arithmetic on the printed MBq/kg, minimum and maximum.
        kw = {} if indication is None else {"indication": indication}
        assert _mbq(name, weight, "na", **kw) == pytest.approx(expected, rel=1e-9)


class TestRegression:
    """Snapshots of our own tables (recalled rows), not validation."""

    def test_dmsa_eanm(self) -> None:
        result = paediatric_activity("Tc-99m DMSA", 20.0, "eanm")
        assert result.activity_bq == pytest.approx(6.8 * 4.86 * MBQ)
        assert result.status == "recalled"

    def test_dmsa_na_maximum_is_recalled(self) -> None:
        result = paediatric_activity("Tc-99m DMSA", 60.0, "na")
        assert result.activity_bq == pytest.approx(100 * MBQ) and result.maximum_applied
        assert result.status == "recalled"


class TestErrors:
    @pytest.mark.parametrize(
        "weight", [pytest.param(w, id=str(w)) for w in (-5.0, 0.0, math.nan, math.inf)]
    )
    @pytest.mark.parametrize("guideline", ["eanm", "na"])
    def test_bad_weight(self, weight: float, guideline: str) -> None:
        with pytest.raises(PaediatricInputError, match="body weight must be a finite number > 0"):
            _mbq("Tc-99m MDP", weight, guideline)

    @pytest.mark.parametrize("weight", [pytest.param(w, id=f"{w} kg") for w in (2.9, 68.5, 80.0)])
    def test_weight_outside_the_card(self, weight: float) -> None:
        with pytest.raises(PaediatricInputError, match="covers 3 to 68 kg"):
            _mbq("Tc-99m MDP", weight)

    def test_unknown_guideline(self) -> None:
        with pytest.raises(PaediatricInputError, match=r"allowed: eanm .* na"):
            guideline_from_text("snmmi")
        with pytest.raises(PaediatricInputError, match="unknown guideline"):
            paediatric_activity("Tc-99m MDP", 20.0, "usa")  # type: ignore[arg-type]

    def test_unknown_indication_lists_allowed(self) -> None:
        with pytest.raises(PaediatricInputError, match="allowed: 'thyroid', 'ectopic gastric"):
            _mbq("Tc-99m pertechnetate", 20.0, indication="salivary")

    def test_radiopharmaceutical_not_in_the_guideline(self) -> None:
        with pytest.raises(PaediatricInputError, match="has no row for Tl-201"):
            _mbq("Tl-201 thallous chloride", 20.0)
        with pytest.raises(PaediatricInputError, match=r"North American .* no row for Tc-99m"):
            _mbq("Tc-99m sulfur colloid", 20.0, "na")

    @pytest.mark.parametrize(
        ("name", "guideline", "indication"),
        [
            ("Tl-201 thallous chloride", "eanm", None),
            ("Tc-99m sulfur colloid", "na", None),
            ("Tc-99m pertechnetate", "eanm", "salivary"),
        ],
    )
    def test_the_guideline_is_named_in_the_readers_language(
        self, name: str, guideline: str, indication: str | None
    ) -> None:
        """The guideline's name goes into the refusal as a word pages translate (issue 12)."""
        with pytest.raises(PaediatricInputError) as refused:
            paediatric_activity(name, 20.0, guideline_from_text(guideline), indication=indication)
        (_, values), *_ = refused.value.parts
        assert isinstance(values["guideline"], Word)
        assert values["guideline"] in {
            "EANM paediatric dosage card (2016)",
            "North American consensus guidelines (2011, 2016 update)",
        }

    def test_unknown_name_lists_near_matches(self) -> None:
        with pytest.raises(UnknownRadiopharmaceuticalError, match="near matches: tc99m-dmsa"):
            _mbq("Tc-99m DSMA", 20.0)
