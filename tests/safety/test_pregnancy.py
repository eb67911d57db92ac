"""The dose to the embryo or fetus after a declared pregnancy (ICRP 103 para. 186, IAEA GSR
Part 3 para. 3.114: about 1 mSv for the rest of the pregnancy).

Kinds of expected value: **analytic** (sums of the readings counted, the rule's boundary at
exactly 1 mSv); the limit itself is the published value (ICRP 103 para. 186, ``recalled``).
"""

from __future__ import annotations

from datetime import date

import pytest

from nucmed.errors import NucmedInputError
from nucmed.safety.pregnancy import (
    EMBRYO_LIMIT_SV,
    Pregnancy,
    Reading,
    check_pregnancy,
    crosses_limit,
    embryo_dose_sv,
)

MSV = 1e-3
P = Pregnancy(date(2026, 3, 10), date(2026, 10, 1))


def month(number: int, dose_msv: float) -> Reading:
    return Reading(date(2026, number, 1), date(2026, number, 28), dose_msv * MSV)


def test_the_limit_is_icrp_103_1_msv() -> None:
    assert EMBRYO_LIMIT_SV == 1e-3  # published: ICRP 103 para. 186


def test_readings_before_the_declaration_and_after_the_birth_are_not_counted() -> None:
    readings = [month(2, 0.9), month(4, 0.3), Reading(date(2026, 10, 2), date(2026, 10, 31), 1)]
    assert embryo_dose_sv(readings, P) == pytest.approx(0.3 * MSV, rel=1e-12)


def test_a_period_straddling_the_declaration_counts_whole() -> None:
    assert embryo_dose_sv([month(3, 0.2)], P) == pytest.approx(0.2 * MSV, rel=1e-12)


@pytest.mark.parametrize(
    ("new_msv", "alerts"),
    [
        pytest.param(0.1, False, id="reaching-1-mSv-exactly"),
        pytest.param(0.11, True, id="passing-1-mSv"),
    ],
)
def test_both_sides_of_the_limit(new_msv: float, alerts: bool) -> None:
    earlier = [month(4, 0.4), month(5, 0.5)]
    assert crosses_limit(earlier, month(6, new_msv), P) is alerts


def test_a_limit_passed_does_not_alert_again() -> None:
    earlier = [month(4, 0.6), month(5, 0.6)]
    assert not crosses_limit(earlier, month(6, 0.1), P)


@pytest.mark.parametrize(
    ("pregnancy", "message"),
    [
        pytest.param(Pregnancy(date(2026, 12, 3), date(2027, 6, 1)), "after today", id="future"),
        pytest.param(Pregnancy(date(2026, 3, 1), date(2026, 3, 1)), "must come after", id="same"),
        pytest.param(Pregnancy(date(2026, 1, 1), date(2026, 12, 1)), "44 weeks", id="too-far"),
    ],
)
def test_dates_that_cannot_be(pregnancy: Pregnancy, message: str) -> None:
    with pytest.raises(NucmedInputError, match=message):
        check_pregnancy(pregnancy, date(2026, 12, 2))


def test_a_negative_dose_is_refused() -> None:
    with pytest.raises(NucmedInputError, match="0 or more"):
        embryo_dose_sv([month(4, -0.1)], P)
