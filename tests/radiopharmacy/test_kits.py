"""Tests of nucmed.radiopharmacy.kits: the Tc-99m kit catalogue and the labelling checks."""

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nucmed.errors import NucmedInputError
from nucmed.radiopharmacy.kits import (
    Kit,
    KitInputError,
    LimitSource,
    MissingLimitError,
    UnknownKitError,
    all_kits,
    check_labelling,
    get_kit,
    preparation_expiry,
    rcp_from_impurities,
    rcp_passes,
    unchecked_limits,
)
from nucmed.units import BQ_PER_MBQ, M3_PER_ML, SECONDS_PER_HOUR

HOUR = SECONDS_PER_HOUR
ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2026, 11, 23, 7, 30, tzinfo=ALMATY)
LIMIT_ATTRIBUTES = (
    "max_activity_bq",
    "max_volume_m3",
    "max_eluate_age_s",
    "max_generator_ingrowth_s",
    "shelf_life_s",
    "rcp_min_fraction",
)


def toy_kit(**limits: float | None) -> Kit:
    """A kit built here, so that the checks are tested apart from the catalogue data."""
    values: dict[str, float | None] = dict.fromkeys(LIMIT_ATTRIBUTES)
    values.update(limits)
    sources = tuple(
        LimitSource(name, f"toy label, {name}", "confirmed")
        for name, value in values.items()
        if value is not None
    )
    return Kit(
        code="toy",
        name="toy kit",
        product="Toy kit 1 mg",
        brand="Toy",
        max_activity_bq=values["max_activity_bq"],
        max_volume_m3=values["max_volume_m3"],
        max_eluate_age_s=values["max_eluate_age_s"],
        max_generator_ingrowth_s=values["max_generator_ingrowth_s"],
        shelf_life_s=values["shelf_life_s"],
        rcp_min_fraction=values["rcp_min_fraction"],
        rcp_method="two strips",
        sources=sources,
    )


FULL = toy_kit(
    max_activity_bq=10e9,
    max_volume_m3=5 * M3_PER_ML,
    max_eluate_age_s=2 * HOUR,
    max_generator_ingrowth_s=24 * HOUR,
    shelf_life_s=6 * HOUR,
    rcp_min_fraction=0.9,
)
WITHIN = {"activity_bq": 8e9, "volume_m3": 4 * M3_PER_ML, "eluate_age_s": HOUR}


# --------------------------------------------------------------------------- analytic
class TestAnalyticLabellingChecks:
    def test_a_preparation_within_every_limit_passes(self) -> None:
        assert check_labelling(FULL, **WITHIN, generator_ingrowth_s=20 * HOUR) == []

    def test_values_equal_to_the_limits_pass(self) -> None:
        at_limits = check_labelling(
            FULL,
            activity_bq=10e9,
            volume_m3=5e-6,  # 5 mL typed directly, not through M3_PER_ML
            eluate_age_s=2 * HOUR,
            generator_ingrowth_s=24 * HOUR,
        )
        assert at_limits == []

    @pytest.mark.parametrize(
        ("changed", "code", "limit"),
        [
            pytest.param(
                {"activity_bq": 10.5e9}, "activity_over_max", "max_activity_bq", id="activity"
            ),
            pytest.param({"volume_m3": 6e-6}, "volume_over_max", "max_volume_m3", id="volume"),
            pytest.param(
                {"eluate_age_s": 2.5 * HOUR}, "eluate_too_old", "max_eluate_age_s", id="eluate"
            ),
        ],
    )
    def test_one_value_over_its_limit_gives_exactly_that_violation(
        self, changed: dict[str, float], code: str, limit: str
    ) -> None:
        found = check_labelling(FULL, **{**WITHIN, **changed}, generator_ingrowth_s=HOUR)
        assert [v.code for v in found] == [code]
        assert found[0].source == f"toy label, {limit} [confirmed]"

    def test_activity_message_gives_both_numbers_with_units(self) -> None:
        (found,) = check_labelling(
            FULL, **{**WITHIN, "activity_bq": 12e9}, generator_ingrowth_s=0.0
        )
        assert "12000 MBq" in found.message and "10000 MBq" in found.message

    def test_ingrowth_over_the_limit(self) -> None:
        found = check_labelling(FULL, **WITHIN, generator_ingrowth_s=30 * HOUR)
        assert [v.code for v in found] == ["generator_ingrowth_too_long"]
        assert "30 h" in found[0].message and "24 h" in found[0].message

    def test_unknown_ingrowth_is_reported_when_the_kit_limits_it(self) -> None:
        found = check_labelling(FULL, **WITHIN)
        assert [v.code for v in found] == ["generator_ingrowth_unknown"]

    def test_every_limit_broken_at_once(self) -> None:
        found = check_labelling(
            FULL,
            activity_bq=20e9,
            volume_m3=10 * M3_PER_ML,
            eluate_age_s=5 * HOUR,
            generator_ingrowth_s=72 * HOUR,
        )
        assert [v.code for v in found] == [
            "activity_over_max",
            "volume_over_max",
            "eluate_too_old",
            "generator_ingrowth_too_long",
        ]

    def test_unset_limits_are_not_checked(self) -> None:
        bare = toy_kit()
        huge = {"activity_bq": 1e15, "volume_m3": 1.0, "eluate_age_s": 1e6}
        assert check_labelling(bare, **huge) == []
        assert unchecked_limits(bare) == list(LIMIT_ATTRIBUTES)

    def test_expiry_is_labelling_time_plus_shelf_life(self) -> None:
        assert preparation_expiry(FULL, T0) == T0 + timedelta(hours=6)
        assert preparation_expiry(FULL, T0).tzinfo == UTC


class TestAnalyticRcp:
    def test_rcp_is_one_minus_the_sum_of_impurities(self) -> None:
        assert rcp_from_impurities([0.04, 0.03]) == pytest.approx(0.93, abs=1e-15)

    def test_rcp_equal_to_the_limit_passes_even_after_float_rounding(self) -> None:
        rcp = rcp_from_impurities([0.07, 0.03])  # 1 - 0.07 - 0.03 is 0.8999999999999999
        assert rcp_passes(FULL, rcp)

    def test_rcp_just_below_the_limit_fails(self) -> None:
        assert not rcp_passes(FULL, 0.8999)

    @given(st.lists(st.floats(min_value=0.0, max_value=0.2), min_size=1, max_size=5))
    def test_rcp_and_impurities_add_up_to_one(self, impurities: list[float]) -> None:
        assert rcp_from_impurities(impurities) + math.fsum(impurities) == pytest.approx(1.0)


class TestCatalogueIntegrity:
    def test_twelve_kits_with_the_agreed_codes(self) -> None:
        codes = [kit.code for kit in all_kits()]
        expected = "mdp hdp maa sestamibi tetrofosmin dtpa mag3 dmsa colloid hmpao pyp rbc"
        assert codes == expected.split()

    @pytest.mark.parametrize("kit", all_kits(), ids=lambda kit: kit.code)
    def test_every_number_has_a_source_and_every_gap_is_reported(self, kit: Kit) -> None:
        for name in LIMIT_ATTRIBUTES:
            source = kit.source_of(name)
            if getattr(kit, name) is None:
                assert source is None and name in unchecked_limits(kit)
            else:
                assert source is not None and source.status in {"confirmed", "secondary"}
                assert source.citation

    @pytest.mark.parametrize("kit", all_kits(), ids=lambda kit: kit.code)
    def test_every_kit_names_its_product_and_explains_its_gaps(self, kit: Kit) -> None:
        assert kit.product
        assert not unchecked_limits(kit) or "not checked" in kit.note


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        pytest.param("Tc-99m MDP", "mdp", id="tc-99m-prefix"),
        pytest.param("99mTc-MDP", "mdp", id="99mtc-prefix"),
        pytest.param("medronate", "mdp", id="inn"),
        pytest.param("MAG3", "mag3", id="upper-case"),
        pytest.param("Myoview", "tetrofosmin", id="brand"),
        pytest.param("technetium (99mTc) tetrofosmin", "tetrofosmin", id="ph-eur-style"),
        pytest.param("Sulphur colloid", "colloid", id="british-spelling"),
        pytest.param("exametazime", "hmpao", id="hmpao-inn"),
        pytest.param("UltraTag RBC", "rbc", id="rbc-brand"),
    ],
)
def test_get_kit_accepts_codes_names_and_aliases(spelling: str, code: str) -> None:
    assert get_kit(spelling).code == code


# --------------------------------------------------------------------------- published
# Typed from the cited sources, independently of tc99m_kits.csv. Units as in the source.
# The values are exact label numbers; the only arithmetic is the unit conversion, so the
# comparison tolerance is the float rounding of that conversion (relative 1e-12).
REFERENCE = {
    # Jubilant DraxImage MDP-25 US label, Description: "12-hours life of the preparation";
    # USP 35 Technetium Tc 99m Medronate Injection: RCP not less than 90 %.
    "mdp": {"shelf_life_h": 12, "rcp_percent": 90},
    # Technescan HDP US label, Precautions: "formulated within eight (8) hours prior to
    # clinical use"; USP 35 Technetium Tc 99m Oxidronate Injection: not less than 90 %.
    "hdp": {"shelf_life_h": 8, "rcp_percent": 90},
    # Macrotec US package insert, Description: "No less than 90% ... bound ... throughout the
    # 6-hour lifetime of the suspension".
    "maa": {"shelf_life_h": 6, "rcp_percent": 90},
    # USP Technetium Tc 99m Sestamibi Injection: other forms "do not exceed 10 percent".
    "sestamibi": {"rcp_percent": 90},
    # USP 29 Technetium Tc 99m Tetrofosmin Injection: front + origin "not more than 10%";
    # 12 h from the GE radiopharmacy-network stability abstract (2007, secondary).
    "tetrofosmin": {"shelf_life_h": 12, "rcp_percent": 90},
    # POLATOM PoltechDTPA product page, Shelf life: "After radiolabelling ...: 6 hours".
    "dtpa": {"shelf_life_h": 6},
    # Technescan MAG3 US label section 12: "must be used within six hours of preparation".
    "mag3": {"shelf_life_h": 6},
    # POLATOM PoltechDMSA (Polish page): "5 ml ... o aktywności 100-7400 MBq"; English page,
    # Shelf life: "After radiolabelling ...: 4 hours".
    "dmsa": {"max_activity_mbq": 7400, "max_volume_ml": 5, "shelf_life_h": 4},
    # USP 29 Technetium Tc 99m Sulfur Colloid Injection: not less than 92 % at the origin.
    "colloid": {"rcp_percent": 92},
    # Ceretec US label, General preparation precautions: "a generator must be eluted within
    # 24 hours prior"; J Nucl Med 53 suppl 2727: RCP < 80 % = failure (secondary).
    "hmpao": {"max_generator_ingrowth_h": 24, "rcp_percent": 80},
    # pharmacologicalsciences.us textbook text: "the recommended shelf life is 6 hours".
    "pyp": {"shelf_life_h": 6},
    # USP 29 Technetium Tc 99m Red Blood Cells Injection: "Not less than 90% ... bound".
    "rbc": {"rcp_percent": 90},
}
TO_SI = {
    "max_activity_mbq": ("max_activity_bq", BQ_PER_MBQ),
    "max_volume_ml": ("max_volume_m3", M3_PER_ML),
    "max_generator_ingrowth_h": ("max_generator_ingrowth_s", HOUR),
    "shelf_life_h": ("shelf_life_s", HOUR),
    "rcp_percent": ("rcp_min_fraction", 0.01),
}


class TestPublishedCatalogue:
    @pytest.mark.parametrize("code", sorted(REFERENCE), ids=str)
    def test_catalogue_numbers_equal_the_cited_values(self, code: str) -> None:
        kit = get_kit(code)
        expected = {TO_SI[k][0]: v * TO_SI[k][1] for k, v in REFERENCE[code].items()}
        actual = {name: getattr(kit, name) for name in LIMIT_ATTRIBUTES}
        assert {k for k, v in actual.items() if v is not None} == set(expected)
        for name, value in expected.items():
            assert actual[name] == pytest.approx(value, rel=1e-12), name

    def test_dmsa_at_its_label_maximum_passes_and_just_above_fails(self) -> None:
        dmsa = get_kit("PoltechDMSA")
        ok = {"activity_bq": 7400 * BQ_PER_MBQ, "volume_m3": 5 * M3_PER_ML, "eluate_age_s": 0.0}
        assert check_labelling(dmsa, **ok) == []
        over = check_labelling(dmsa, **{**ok, "activity_bq": 7401 * BQ_PER_MBQ})
        assert [v.code for v in over] == ["activity_over_max"]
        assert "polatom.pl" in over[0].source and over[0].source.endswith("[confirmed]")

    def test_ceretec_needs_a_generator_eluted_within_24_h(self) -> None:
        hmpao = get_kit("Ceretec")
        late = check_labelling(
            hmpao,
            activity_bq=1e9,
            volume_m3=5e-6,
            eluate_age_s=0.0,
            generator_ingrowth_s=25 * HOUR,
        )
        assert [v.code for v in late] == ["generator_ingrowth_too_long"]


# --------------------------------------------------------------------------- regression
class TestRegressionMessages:
    """Snapshots of our own wording; they guard the text, they do not validate it."""

    def test_dmsa_activity_message(self) -> None:
        (found,) = check_labelling(
            get_kit("dmsa"), activity_bq=9e9, volume_m3=5e-6, eluate_age_s=HOUR
        )
        assert found.message == (
            "activity 9000 MBq is over the maximum of 7400 MBq for "
            "PoltechDMSA 1 mg, kit for radiopharmaceutical preparation (POLATOM)"
        )

    def test_mag3_unchecked_limits(self) -> None:
        assert unchecked_limits(get_kit("mag3")) == [
            "max_activity_bq",
            "max_volume_m3",
            "max_eluate_age_s",
            "max_generator_ingrowth_s",
            "rcp_min_fraction",
        ]


# --------------------------------------------------------------------------- errors
class TestErrors:
    def test_unknown_kit_lists_near_matches(self) -> None:
        with pytest.raises(UnknownKitError, match="did you mean tetrofosmin") as caught:
            get_kit("tetrofosmn")
        assert isinstance(caught.value, NucmedInputError)

    def test_unknown_kit_lists_the_known_codes(self) -> None:
        with pytest.raises(UnknownKitError, match="known: mdp, hdp"):
            get_kit("thallium")

    @pytest.mark.parametrize(
        "changed",
        [
            pytest.param({"volume_m3": -1e-6}, id="negative-volume"),
            pytest.param({"activity_bq": math.nan}, id="nan-activity"),
            pytest.param({"eluate_age_s": -1.0}, id="negative-age"),
            pytest.param({"generator_ingrowth_s": math.inf}, id="infinite-ingrowth"),
        ],
    )
    def test_bad_quantities_are_refused(self, changed: dict[str, float]) -> None:
        with pytest.raises(KitInputError, match="must be a finite number"):
            check_labelling(FULL, **{**WITHIN, **changed})

    def test_naive_labelling_time_is_refused(self) -> None:
        with pytest.raises(KitInputError, match="no time zone"):
            preparation_expiry(FULL, datetime(2026, 11, 23, 8))

    def test_expiry_without_a_sourced_shelf_life_says_so(self) -> None:
        with pytest.raises(MissingLimitError, match="no sourced shelf life"):
            preparation_expiry(get_kit("sestamibi"), T0)

    def test_rcp_check_without_a_sourced_limit_says_so(self) -> None:
        with pytest.raises(MissingLimitError, match="radiochemical purity limit"):
            rcp_passes(get_kit("mag3"), 0.95)

    @pytest.mark.parametrize("rcp", [-0.1, 1.1, math.nan], ids=["negative", "above-one", "nan"])
    def test_rcp_outside_zero_to_one_is_refused(self, rcp: float) -> None:
        with pytest.raises(KitInputError, match="fraction from 0 to 1"):
            rcp_passes(FULL, rcp)

    def test_no_impurity_is_refused(self) -> None:
        with pytest.raises(KitInputError, match="at least one"):
            rcp_from_impurities([])

    def test_impurities_above_one_are_refused(self) -> None:
        with pytest.raises(KitInputError, match="cannot exceed 1"):
            rcp_from_impurities([0.6, 0.5])
