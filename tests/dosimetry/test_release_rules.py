"""The release decision and the days of restriction: one decision for every interface, and
days that follow from the decay law (analytic)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from nucmed.dosimetry.release import release_by_activity, release_by_dose_rate
from nucmed.dosimetry.release_decision import ReleaseQuery, decide_release
from nucmed.dosimetry.release_iodine import i131_kinetics, release_i131
from nucmed.dosimetry.restrictions import (
    ContactGroup,
    contact_groups,
    restriction_days,
    restriction_days_of,
)
from nucmed.errors import NucmedInputError

DAY = 86400.0


def test_the_decision_picks_the_method_from_what_is_known() -> None:
    by_activity = decide_release(ReleaseQuery("I-131", activity_bq=1.1e9))
    assert by_activity == release_by_activity("I-131", 1.1e9)
    rate = 30e-6 / 3600
    by_rate = decide_release(ReleaseQuery("I-131", dose_rate_1m_sv_per_s=rate))
    assert by_rate == release_by_dose_rate("I-131", rate)
    eq_u2 = decide_release(ReleaseQuery("131I", 5.55e9, i131_condition="thyroid_cancer"))
    assert eq_u2 == release_i131(5.55e9, i131_kinetics("thyroid_cancer"))


def test_the_site_rule_is_applied() -> None:
    query = ReleaseQuery("I-131", dose_rate_1m_sv_per_s=30e-6 / 3600)
    assert not decide_release(replace(query, max_dose_rate_1m_sv_per_s=20e-6 / 3600)).releasable


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (ReleaseQuery("I-131"), "either the activity"),
        (ReleaseQuery("I-131", 1e9, 1e-6), "either the activity"),
        (ReleaseQuery("Lu-177", 7.4e9, i131_condition="hyperthyroid"), "for I-131 only"),
        (
            ReleaseQuery(
                "I-131", 1e9, effective_half_life_s=5 * DAY, i131_condition="hyperthyroid"
            ),
            "either the I-131 condition",
        ),
        (
            ReleaseQuery("I-131", dose_rate_1m_sv_per_s=1e-9, i131_condition="hyperthyroid"),
            "not a dose rate",
        ),
    ],
)
def test_the_decision_refuses_what_it_cannot_assess(query: ReleaseQuery, message: str) -> None:
    with pytest.raises(NucmedInputError, match=message):
        decide_release(query)


def test_days_follow_the_decay_law() -> None:
    """t = T/ln 2 · ln(D0/C), D0 = D(∞)·(E_g/E)/r², rounded up to whole days."""
    assessment = release_by_activity("I-131", 1.1e9, effective_half_life_s=5 * DAY)
    group = ContactGroup("children", 1e-3, 1.0, assessment.occupancy, "test", "derived")
    expected = math.ceil(5 * math.log(assessment.dose_to_others_sv / 1e-3) / math.log(2))
    assert restriction_days(assessment, group) == expected
    closer = replace(group, distance_m=0.5)  # four times the dose: two half-lives more
    assert restriction_days(assessment, closer) == math.ceil(
        5 * math.log(4 * assessment.dose_to_others_sv / 1e-3) / math.log(2)
    )
    within = replace(group, constraint_sv=assessment.dose_to_others_sv)
    assert restriction_days(assessment, within) == 0


def test_every_group_of_the_file_has_its_days() -> None:
    assessment = release_by_activity("I-131", 1.1e9)
    days = restriction_days_of(assessment)
    assert list(days) == [group.group for group in contact_groups()]
    assert days["partner"] == 0 and days["children"] > 0
