"""The ISCN parser: what it reads, what it counts, and where it stops on a fault.

Expected values are analytic (they follow from ISCN 2020 and the definitions of ELN 2022
Table 6, footnotes ** and ††, quoted in ``nucmed.haematology.karyotype``).
"""

from __future__ import annotations

import pytest

from nucmed.haematology.karyotype import KaryotypeError, parse_karyotype


@pytest.mark.parametrize(
    ("text", "count", "structural", "monosomies"),
    [
        pytest.param("46,XY[20]", 0, 0, (), id="normal"),
        pytest.param("46,XX,t(8;21)(q22;q22.1)[18]/46,XX[2]", 1, 1, (), id="translocation"),
        pytest.param("46,XX,inv(16)(p13.1q22)[10]/47,idem,+22[5]", 2, 1, (), id="idem"),
        pytest.param("45,XY,-7[20]", 1, 0, ("7",), id="monosomy"),
        pytest.param("47,XY,+8,+8[20]", 1, 0, (), id="polysomy-counts-once"),
        pytest.param("47,XY,+21c,t(9;22)(q34.1;q11.2)[20]", 1, 1, (), id="constitutional"),
        pytest.param("46,XY,der(7)t(7;12)(q22;p13)[20]", 1, 1, (), id="derivative"),
        pytest.param("46,XY,i(17)(q10)[20]", 1, 1, (), id="isochromosome"),
        pytest.param("46,XY,t(3;5)(q26;q31),+2~4mar,inc[10]", 2, 2, (), id="markers-inc"),
        pytest.param("45,X,-Y[20]", 1, 0, (), id="loss-of-Y"),
        pytest.param("47,XY,+8,-7,+mar[3]/48,sl,+10[2]/49,sdl1,+11[2]", 5, 1, ("7",), id="sdl"),
        pytest.param("92<4n>,XXYY,del(5)(q13q33)x2[5]", 1, 1, (), id="ploidy-copies"),
        pytest.param("46, XY, t(8;21)(q22;q22) [20]".replace(" [", "["), 1, 1, (), id="spaces"),
        pytest.param("45~47,XY,add(17)(p11.2),r(7)(p22q36)[cp10]", 2, 2, (), id="composite"),
    ],
)
def test_reads_and_counts(text: str, count: int, structural: int, monosomies: tuple[str]) -> None:
    karyotype = parse_karyotype(text)
    assert karyotype.abnormality_count == count
    assert karyotype.structural_count == structural
    assert karyotype.autosomal_monosomies == monosomies


class TestComplexKaryotype:
    """ELN 2022 Table 6, footnote **: three or more unrelated abnormalities; not hyperdiploid
    with three or more trisomies (or polysomies) and no structural abnormality."""

    def test_three_unrelated_abnormalities(self) -> None:
        assert parse_karyotype("47,XY,+8,del(9)(q13q22),t(1;3)(p36;q21)[20]").complex

    def test_two_are_not(self) -> None:
        assert not parse_karyotype("47,XY,+8,del(9)(q13q22)[20]").complex

    def test_the_same_abnormality_in_two_clones_counts_once(self) -> None:
        k = parse_karyotype("47,XY,+8[10]/48,XY,+8,+8[5]/47,XY,+8,del(9)(q22)[5]")
        assert k.abnormality_count == 2 and not k.complex

    def test_hyperdiploid_trisomies_only_are_excluded(self) -> None:
        k = parse_karyotype("50,XY,+8,+10,+21,+22[20]")
        assert k.abnormality_count == 4 and k.hyperdiploid_exclusion and not k.complex

    def test_polysomies_count_as_gains(self) -> None:
        k = parse_karyotype("51,XX,+4,+8,+8,+21,+21[20]")
        assert k.gains == ("21", "4", "8") and k.hyperdiploid_exclusion

    def test_one_structural_abnormality_ends_the_exclusion(self) -> None:
        k = parse_karyotype("50,XY,+8,+10,+21,del(9)(q22)[20]")
        assert not k.hyperdiploid_exclusion and k.complex

    def test_not_hyperdiploid_is_not_excluded(self) -> None:
        # 46 chromosomes: three gains balanced by losses; the exclusion needs > 46.
        k = parse_karyotype("46,XY,+8,+10,+21,-5,-7,-Y[20]")
        assert not k.hyperdiploid_exclusion and k.complex


class TestMonosomalKaryotype:
    """ELN 2022 Table 6, footnote ††: two or more distinct autosomal monosomies, or one with at
    least one structural abnormality; loss of X or Y does not count."""

    def test_two_monosomies(self) -> None:
        assert parse_karyotype("44,XY,-5,-7[20]").monosomal

    def test_one_monosomy_and_a_structural_abnormality(self) -> None:
        assert parse_karyotype("45,XY,-7,del(20)(q11.2)[20]").monosomal

    def test_one_monosomy_alone_is_not(self) -> None:
        assert not parse_karyotype("45,XY,-7[20]").monosomal

    def test_one_monosomy_and_a_trisomy_is_not(self) -> None:
        assert not parse_karyotype("46,XY,-7,+8[20]").monosomal

    def test_sex_chromosome_losses_do_not_count(self) -> None:
        k = parse_karyotype("44,X,-X,-7[20]")
        assert k.autosomal_monosomies == ("7",) and not k.monosomal


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("", 1, id="empty"),
        pytest.param("XY,46", 1, id="sex-first"),
        pytest.param("46,XY,t(8;21)(q22;q22.1", 24, id="unclosed"),
        pytest.param("46,XY,t(8;21)(q22:q22)", 18, id="colon"),
        pytest.param("46,XY,t(8;23)(q22;q22)", 11, id="no-chromosome-23"),
        pytest.param("46,XY,+8,foo(3)", 10, id="unknown-symbol"),
        pytest.param("46,XY,t(8;21)[20", 14, id="bands-missing"),
        pytest.param("46,XY[20]x", 10, id="trailing"),
        pytest.param("46,XY,idem", 7, id="idem-in-first-clone"),
        pytest.param("46,XY,del(5)(q13q33))", 21, id="extra-parenthesis"),
    ],
)
def test_refuses_with_the_position_of_the_fault(text: str, position: int) -> None:
    with pytest.raises(KaryotypeError, match=f"at character {position} ") as caught:
        parse_karyotype(text)
    assert caught.value.position == position
    assert "46,XY,t(8;21)(q22;q22.1)[20]" in str(caught.value)  # says what is allowed


def test_refuses_a_karyotype_too_long_to_be_real() -> None:
    with pytest.raises(KaryotypeError, match="shorter"):
        parse_karyotype("46,XY," + ",".join(["+8"] * 1000))
