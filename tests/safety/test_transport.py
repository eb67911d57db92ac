"""Transport classification against IAEA SSR-6 (2018): table rows and its worked rules.

Expected values are published (SSR-6 Table 2 rows, typed here independently of the data file;
Tables 4 and 7 and the paragraphs cited per test) or analytic (the mixture rule, para. 405).
Dose rates are built from µSv/h or mSv/h so that each boundary is hit exactly and just past.
"""

from __future__ import annotations

from typing import Any

import pytest

from nucmed.errors import NucmedInputError
from nucmed.safety.transport import (
    Classification,
    Content,
    Packing,
    classify_package,
    excepted_fraction,
    mixture_value_bq,
    nuclide_values,
)

TBQ = 1e12
GBQ = 1e9
MBQ = 1e6
USV_H = 1e-6 / 3600
MSV_H = 1e-3 / 3600

TABLE_2 = {  # SSR-6 (2018) Table 2: A1, A2 in TBq
    "Tc-99m": (10, 4),
    "Mo-99": (1, 0.6),
    "I-131": (3, 0.7),
    "I-123": (6, 3),
    "Lu-177": (30, 0.7),
    "F-18": (1, 0.6),
    "Ga-68": (0.5, 0.5),
    "Ge-68": (0.5, 0.5),
    "Y-90": (0.3, 0.3),
    "Ra-223": (0.4, 0.007),
    "Tl-201": (10, 4),
    "Xe-133": (20, 10),
}

TYPE_A = [Content("Tc-99m", 37 * GBQ)]  # far above excepted (400 MBq), far below A2


def classify(
    contents: list[Content] | None = None,
    surface_usv_h: float = 100.0,
    one_metre_usv_h: float = 5.0,
    **options: Any,
) -> Classification:
    return classify_package(
        TYPE_A if contents is None else contents,
        surface_usv_h * USV_H,
        one_metre_usv_h * USV_H,
        Packing(**options),
    )


@pytest.mark.parametrize(("nuclide", "expected"), sorted(TABLE_2.items()))
def test_table_2_rows(nuclide: str, expected: tuple[float, float]) -> None:
    values = nuclide_values(nuclide)
    assert (values.a1_bq / TBQ, values.a2_bq / TBQ) == pytest.approx(expected, rel=1e-12)
    assert values.source and values.status in {"confirmed", "secondary"}


def test_generator_parents_include_their_progeny() -> None:
    """Table 2 footnote (a): Mo-99 includes Tc-99m, Ge-68 includes Ga-68."""
    assert nuclide_values("Mo-99").includes_progeny
    assert nuclide_values("Ge-68").includes_progeny
    assert not nuclide_values("Tc-99m").includes_progeny


def test_nuclide_not_in_table_2_takes_table_3() -> None:
    """Para. 403-404, Table 3: a beta/gamma emitter not listed: A1 0.1 TBq, A2 0.02 TBq."""
    values = nuclide_values("Zr-89")
    assert (values.a1_bq, values.a2_bq) == pytest.approx((0.1 * TBQ, 0.02 * TBQ))
    assert "not in SSR-6 Table 2" in values.source
    assert values.status == "recalled"


def test_unknown_and_fissile_nuclides_are_refused() -> None:
    with pytest.raises(NucmedInputError):
        nuclide_values("Xx-999")
    with pytest.raises(NucmedInputError, match="fissile"):
        nuclide_values("U-235")


def test_mixture_rule() -> None:
    """Para. 405: X_m = 1 / sum(f_i / X_i); the fraction used is sum(A_i / X_i)."""
    mix = [Content("Tc-99m", 1 * TBQ), Content("I-131", 1 * TBQ)]
    expected = 1 / (0.5 / 4 + 0.5 / 0.7)
    assert mixture_value_bq(mix, special_form=False) / TBQ == pytest.approx(expected, rel=1e-12)
    result = classify(mix)
    assert result.limit_fraction == pytest.approx(1 / 4 + 1 / 0.7, rel=1e-12)
    assert result.limit_fraction == pytest.approx(2 * TBQ / result.a_mixture_bq, rel=1e-12)
    assert result.package_type == "Type B(U)"  # each alone is within A2, together not


def test_special_form_uses_a1() -> None:
    mix = [Content("Tc-99m", 1 * TBQ), Content("I-131", 1 * TBQ)]
    result = classify(mix, special_form=True)
    assert result.limit_basis == "A1"
    assert result.a_mixture_bq / TBQ == pytest.approx(1 / (0.5 / 10 + 0.5 / 3), rel=1e-12)


@pytest.mark.parametrize(("form", "fraction"), [("liquid", 1e-4), ("solid", 1e-3), ("gas", 1e-3)])
def test_table_4_materials(form: str, fraction: float) -> None:
    assert excepted_fraction(form, special_form=False, instrument=False) == fraction


def test_table_4_special_form_and_instruments() -> None:
    assert excepted_fraction("solid", special_form=True, instrument=False) == 1e-3
    assert excepted_fraction("liquid", special_form=False, instrument=True) == 1e-1
    assert excepted_fraction("solid", special_form=False, instrument=True) == 1.0


def test_excepted_liquid_boundary() -> None:
    """Table 4: liquid materials 1e-4 A2; I-131 A2 0.7 TBq gives 70 MBq."""
    inside = classify([Content("I-131", 70 * MBQ)], surface_usv_h=1.0, one_metre_usv_h=0.1)
    assert inside.package_type == "Excepted"
    assert (inside.label, inside.transport_index, inside.exclusive_use) == (None, None, False)
    assert inside.un_number == "UN 2910"
    past = classify([Content("I-131", 71 * MBQ)], surface_usv_h=1.0, one_metre_usv_h=0.1)
    assert past.package_type == "Type A"
    assert past.un_number == "UN 2915"


def test_excepted_solid_boundary() -> None:
    """Table 4: solid materials 1e-3 A2; I-131 gives 700 MBq."""
    inside = classify([Content("I-131", 700 * MBQ)], 1.0, 0.1, form="solid")
    past = classify([Content("I-131", 701 * MBQ)], 1.0, 0.1, form="solid")
    assert (inside.package_type, past.package_type) == ("Excepted", "Type A")


def test_excepted_surface_limit() -> None:
    """Para. 516: an excepted package has at most 5 µSv/h at its surface; above, Type A."""
    assert classify([Content("I-131", 1 * MBQ)], 5.0, 0.1).package_type == "Excepted"
    above = classify([Content("I-131", 1 * MBQ)], 5.1, 0.1)
    assert (above.package_type, above.label) == ("Type A", "II-YELLOW")


def test_type_b_boundary() -> None:
    """Para. 429-430: Type A holds up to A2 (A1 for special form); above, Type B(U)."""
    at_a2 = classify([Content("I-131", 0.7 * TBQ)])
    above = classify([Content("I-131", 0.71 * TBQ)])
    assert (at_a2.package_type, at_a2.un_number) == ("Type A", "UN 2915")
    assert (above.package_type, above.un_number) == ("Type B(U)", "UN 2916")
    assert above.needs_certified_design and not at_a2.needs_certified_design
    at_a1 = classify([Content("I-131", 3 * TBQ)], special_form=True)
    above_a1 = classify([Content("I-131", 3.1 * TBQ)], special_form=True)
    assert (at_a1.package_type, at_a1.un_number) == ("Type A", "UN 3332")
    assert above_a1.package_type == "Type B(U)"


@pytest.mark.parametrize(
    ("one_metre_usv_h", "ti"),
    [
        (0.5, 0.0),  # TI 0.05: 0.05 or less is taken as 0 (para. 523(c))
        (0.51, 0.1),  # TI 0.051, rounded up to the first decimal (para. 523(b))
        (1.5, 0.2),  # TI 0.15 -> 0.2
        (10.0, 1.0),  # exactly 1.0, not rounded up
        (10.01, 1.1),
    ],
)
def test_ti_rounding(one_metre_usv_h: float, ti: float) -> None:
    """Para. 523: TI = mSv/h at 1 m x 100, rounded up to one decimal; <= 0.05 is 0."""
    assert classify(surface_usv_h=1.0, one_metre_usv_h=one_metre_usv_h).transport_index == ti


@pytest.mark.parametrize(
    ("surface_usv_h", "one_metre_usv_h", "label"),
    [
        (5.0, 0.5, "I-WHITE"),  # TI 0 and <= 0.005 mSv/h
        (5.1, 0.5, "II-YELLOW"),  # surface just past I-WHITE
        (5.0, 0.51, "II-YELLOW"),  # TI 0.1 just past 0
        (500.0, 10.0, "II-YELLOW"),  # TI 1 and 0.5 mSv/h: the upper edge of II-YELLOW
        (501.0, 10.0, "III-YELLOW"),  # surface just past II-YELLOW
        (500.0, 10.01, "III-YELLOW"),  # TI 1.1 just past 1
        (2000.0, 100.0, "III-YELLOW"),  # TI 10 and 2 mSv/h: III-YELLOW without exclusive use
        (1.0, 20.0, "III-YELLOW"),  # TI 2 with a low surface: the higher category wins
    ],
)
def test_label_boundaries(surface_usv_h: float, one_metre_usv_h: float, label: str) -> None:
    """Para. 529 and Table 7, both sides of each threshold; the higher category wins."""
    result = classify(surface_usv_h=surface_usv_h, one_metre_usv_h=one_metre_usv_h)
    assert result.label == label
    assert not result.exclusive_use


@pytest.mark.parametrize(("surface_usv_h", "one_metre_usv_h"), [(2001.0, 10.0), (500.0, 100.1)])
def test_exclusive_use_required(surface_usv_h: float, one_metre_usv_h: float) -> None:
    """Para. 526-528: TI above 10 or surface above 2 mSv/h needs exclusive use."""
    result = classify(surface_usv_h=surface_usv_h, one_metre_usv_h=one_metre_usv_h)
    assert (result.label, result.exclusive_use) == ("III-YELLOW", True)


def test_ti_above_10_without_exclusive_use_is_refused() -> None:
    with pytest.raises(NucmedInputError, match="needs exclusive use") as caught:
        classify(surface_usv_h=500.0, one_metre_usv_h=150.0, exclusive_use_available=False)
    assert "para. 526" in str(caught.value)


def test_surface_above_10_msv_h_is_refused() -> None:
    """Para. 527-528: 10 mSv/h is the most any package may have, even under exclusive use."""
    assert classify(surface_usv_h=10_000.0, one_metre_usv_h=50.0).exclusive_use
    with pytest.raises(NucmedInputError, match="above 10 mSv/h may not be transported"):
        classify(surface_usv_h=10_001.0, one_metre_usv_h=50.0)


def test_bad_contents_are_refused() -> None:
    with pytest.raises(NucmedInputError, match="at least one"):
        classify([])
    with pytest.raises(NucmedInputError, match="more than 0"):
        classify([Content("I-131", 0.0)])
    with pytest.raises(NucmedInputError, match="dose rate"):
        classify(surface_usv_h=-1.0)


def test_json_keys_of_the_issue() -> None:
    data = classify().as_json()
    assert list(data) == [
        "package_type",
        "a2_mixture_bq",
        "limit_fraction",
        "limit_basis",
        "transport_index",
        "label",
        "exclusive_use",
        "un_number",
        "proper_shipping_name",
    ]
