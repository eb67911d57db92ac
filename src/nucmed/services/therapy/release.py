"""Patient release and the written instructions: may the patient go home, and for how many
days to keep away from partners, children and pregnant women.

Release follows NUREG-1556 Vol. 9 Appendix U (:mod:`nucmed.dosimetry.release`) and the site's
own dose-rate rule (``release_dose_rate_1m_usv_per_h``, 0 = no national rule set). For each
group of ``nucmed/data/release_contact_groups.csv`` the restriction lasts until the dose the
group would still receive from the patient is within its constraint:

    D_g(t) = D(∞) · (E_g / E) · (1 m / r_g)² · exp(−ln 2 · t / T_eff)  ≤  C_g

where D(∞) is the Eq. U-1 dose to others at release (1 m, occupancy E), so
t_g = T_eff / ln 2 · ln(D_g(0) / C_g), and no restriction when D_g(0) ≤ C_g. For I-131 by
Eq. U-2 (:mod:`nucmed.dosimetry.release_iodine`), D(∞) includes the first 8 hours at E₁ = 0.75
and T is the longer effective half-life: the days are then on the safe side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.dosimetry.release import ReleaseAssessment, release_by_activity
from nucmed.dosimetry.release_iodine import i131_kinetics, release_i131
from nucmed.errors import NucmedInputError
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.sites import setting_value
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SV_PER_MSV, SV_PER_USV

__all__ = [
    "ContactGroup",
    "Instructions",
    "ReleaseInput",
    "contact_groups",
    "release_instructions",
]


@dataclass(frozen=True, slots=True)
class ContactGroup:
    """People to protect: their dose constraint (Sv), distance (m) and occupancy."""

    group: str
    constraint_sv: float
    distance_m: float
    occupancy: float
    source: str
    status: str


@cache
def contact_groups() -> tuple[ContactGroup, ...]:
    """The groups of ``release_contact_groups.csv``."""
    return tuple(
        ContactGroup(
            r["group"],
            float(r["constraint_msv"]) * SV_PER_MSV,
            float(r["distance_m"]),
            float(r["occupancy"]),
            r["source"],
            r["status"],
        )
        for r in read_rows("release_contact_groups.csv")
    )


@dataclass(frozen=True, slots=True)
class Instructions:
    """The release assessment and the days of restriction per group (0: none needed)."""

    assessment: ReleaseAssessment
    site_rule_passes: bool | None
    restriction_days: dict[str, int]


def _days(assessment: ReleaseAssessment, group: ContactGroup) -> int:
    scale = (group.occupancy / assessment.occupancy) / group.distance_m**2
    initial_sv = assessment.dose_to_others_sv * scale
    if initial_sv <= group.constraint_sv:
        return 0
    seconds = assessment.half_life_s / math.log(2) * math.log(initial_sv / group.constraint_sv)
    return math.ceil(seconds / SECONDS_PER_DAY)


@dataclass(frozen=True, slots=True)
class ReleaseInput:
    """The patient's nuclide and activity (Bq), and optionally how it leaves the body.

    With ``i131_condition`` (``hyperthyroid`` or ``thyroid_cancer``) an I-131 patient is
    assessed by Eq. U-2 with Appendix U's kinetics for that condition, ``activity_bq`` being
    the activity administered; otherwise by Eq. U-1 with the activity in the patient now (and
    the effective half-life in s, if given).
    """

    nuclide: str
    activity_bq: float
    effective_half_life_s: float | None = None
    i131_condition: str | None = None


def _assessment(given: ReleaseInput, threshold: float | None) -> ReleaseAssessment:
    if not given.i131_condition:
        return release_by_activity(
            given.nuclide,
            given.activity_bq,
            effective_half_life_s=given.effective_half_life_s,
            max_dose_rate_1m_sv_per_s=threshold,
        )
    if get_nuclide(given.nuclide).name != "I-131":
        raise NucmedInputError("the thyroid kinetics of Eq. U-2 are for I-131 only")
    if given.effective_half_life_s is not None:
        raise NucmedInputError(
            "give either the I-131 condition (Eq. U-2) or an effective half-life (Eq. U-1)"
        )
    kinetics = i131_kinetics(given.i131_condition)
    return release_i131(given.activity_bq, kinetics, max_dose_rate_1m_sv_per_s=threshold)


def release_instructions(store: Store, site: Site, given: ReleaseInput) -> Instructions:
    """Assess the release of a patient under the site's rule, and the days of restriction."""
    threshold_usv_per_h = setting_value(store, site, "release_dose_rate_1m_usv_per_h")
    threshold = (
        threshold_usv_per_h * SV_PER_USV / SECONDS_PER_HOUR if threshold_usv_per_h > 0 else None
    )
    assessment = _assessment(given, threshold)
    days = {group.group: _days(assessment, group) for group in contact_groups()}
    return Instructions(assessment, None if threshold is None else assessment.releasable, days)
