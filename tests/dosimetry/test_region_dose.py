"""A region's dose in a cycle: the curve chosen, the organ's S-value by sex (never assumed),
the tumour as a sphere of its mass; D = TIA x S (analytic)."""

from __future__ import annotations

import math

import pytest

from nucmed.dosimetry.region_dose import MODELS, fit_curve, region_dose, region_s_value
from nucmed.dosimetry.svalues import organ_self_s_value, sphere_s_value
from nucmed.errors import NucmedInputError

HOURS = [4.0, 24.0, 48.0, 96.0]
POINTS = ([h * 3600 for h in HOURS], [1e9 * math.exp(-math.log(2) * h / 60) for h in HOURS])
TIA = 1e9 * 60 * 3600 / math.log(2)


@pytest.mark.parametrize("sex", ["female", "male"])
def test_an_organ_takes_the_s_value_of_the_patients_sex(sex: str) -> None:
    found = region_dose("Lu-177", "kidneys", POINTS, ("mono", None), sex)
    s_value = organ_self_s_value("Lu-177", "kidneys", sex=sex)
    assert found.s_value == s_value
    assert found.absorbed_dose_gy == pytest.approx(TIA * s_value.s_gy_per_bq_s, rel=1e-6)


def test_a_missing_sex_is_asked_for_not_assumed() -> None:
    with pytest.raises(NucmedInputError, match="depends on the patient's sex"):
        region_s_value("Lu-177", "kidneys", None, None)
    with pytest.raises(NucmedInputError, match="give the sex"):
        region_dose("Lu-177", "kidneys", POINTS, ("mono", None), None)


def test_a_tumour_is_a_sphere_of_its_mass_whatever_the_sex() -> None:
    assert region_s_value("Lu-177", "lesion_1", 0.02, None) == sphere_s_value("Lu-177", 0.02)
    with pytest.raises(NucmedInputError, match="give its mass"):
        region_s_value("Lu-177", "lesion_1", None, "male")


def test_the_curve_is_one_of_the_models() -> None:
    assert fit_curve("mono", *POINTS, "Lu-177").tia_bq_s == pytest.approx(TIA, rel=1e-6)
    assert {fit_curve(model, *POINTS, "Lu-177").model for model in MODELS} == {
        "mono-exponential",
        "bi-exponential uptake",
        "bi-exponential clearance",
        "trapezoid with physical tail",
    }
    with pytest.raises(NucmedInputError, match="the curve is one of"):
        fit_curve("spline", *POINTS, "Lu-177")
