"""Days of restriction after release: how long a released patient keeps away from each group
of people (partners, children, pregnant women) for the written instructions.

For each group of ``nucmed/data/release_contact_groups.csv`` the restriction lasts until the
dose the group would still receive from the patient is within its constraint:

    D_g(t) = D(∞) · (E_g / E) · (1 m / r_g)² · exp(−ln 2 · t / T)  ≤  C_g

where D(∞) is the release assessment's dose to others (Eq. U-1 at 1 m with occupancy E, or
Eq. U-2 for I-131) and T the half-life it integrated. So

    t_g = T / ln 2 · ln(D_g(0) / C_g),   D_g(0) = D(∞) · (E_g / E) / r_g²,

rounded up to whole days, and no restriction (0 days) when D_g(0) ≤ C_g. For I-131 by Eq. U-2
D(∞) includes the first 8 hours at E₁ = 0.75 and T is the longer (thyroidal) effective
half-life: the days are then on the safe side.

References
----------
.. [1] US NRC, NUREG-1556 Vol. 9 Rev. 3 (2019), Appendix U, Eq. U-1 and U-2 (dose to others
   from a released patient, 1 m, occupancy factors).
.. [2] ICRP Publication 94, Release of patients after therapy with unsealed radionuclides,
   Ann. ICRP 34(2) (2004): dose constraints for comforters, children and pregnant women.
.. [3] IAEA Safety Reports Series No. 63, Release of Patients After Radionuclide Therapy (2009).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.dosimetry.release import ReleaseAssessment
from nucmed.units import SECONDS_PER_DAY, SV_PER_MSV

__all__ = ["ContactGroup", "contact_groups", "restriction_days", "restriction_days_of"]


@dataclass(frozen=True, slots=True)
class ContactGroup:
    """People to protect after a patient's release.

    Parameters
    ----------
    group
        The group's key (``partner``, ``children``, ``pregnant_women``).
    constraint_sv
        Dose constraint C_g for the group, in Sv.
    distance_m
        Typical distance r_g from the patient, in m.
    occupancy
        Occupancy factor E_g: the fraction of the time spent at that distance.
    source
        Where the constraint, distance and occupancy come from.
    status
        How the source was checked (provenance vocabulary of the data files).
    """

    group: str
    constraint_sv: float
    distance_m: float
    occupancy: float
    source: str
    status: str


@cache
def contact_groups() -> tuple[ContactGroup, ...]:
    """Return the groups of ``release_contact_groups.csv`` (constraints read in mSv, kept in Sv).

    Returns
    -------
    tuple of ContactGroup
        In the file's order.

    Examples
    --------
    >>> [group.group for group in contact_groups()]
    ['partner', 'children', 'pregnant_women']
    """
    return tuple(
        ContactGroup(
            row["group"],
            float(row["constraint_msv"]) * SV_PER_MSV,
            float(row["distance_m"]),
            float(row["occupancy"]),
            row["source"],
            row["status"],
        )
        for row in read_rows("release_contact_groups.csv")
    )


def restriction_days(assessment: ReleaseAssessment, group: ContactGroup) -> int:
    """Return the whole days a group keeps away from the patient after release.

    t_g = T / ln 2 · ln(D_g(0) / C_g) with D_g(0) = D(∞) · (E_g / E) / r_g², rounded up;
    0 when D_g(0) ≤ C_g (see the module's docstring).

    Parameters
    ----------
    assessment
        The release assessment: ``dose_to_others_sv`` (D(∞), Sv), ``occupancy`` (E) and
        ``half_life_s`` (T, s).
    group
        The group, with its constraint (Sv), distance (m) and occupancy.

    Returns
    -------
    int
        Days of restriction, 0 when none is needed.

    Examples
    --------
    >>> from nucmed.dosimetry.release import release_by_activity
    >>> children = contact_groups()[1]
    >>> restriction_days(release_by_activity("I-131", 1.1e9), children)
    18
    """
    scale = (group.occupancy / assessment.occupancy) / group.distance_m**2
    initial_sv = assessment.dose_to_others_sv * scale
    if initial_sv <= group.constraint_sv:
        return 0
    seconds = assessment.half_life_s / math.log(2) * math.log(initial_sv / group.constraint_sv)
    return math.ceil(seconds / SECONDS_PER_DAY)


def restriction_days_of(
    assessment: ReleaseAssessment, groups: Iterable[ContactGroup] | None = None
) -> Mapping[str, int]:
    """Return the days of restriction per group (:func:`restriction_days` for each).

    Parameters
    ----------
    assessment
        The release assessment.
    groups
        The groups to protect; None for :func:`contact_groups`.

    Returns
    -------
    Mapping of str to int
        Group key -> days (0: no restriction), in the groups' order.
    """
    chosen = contact_groups() if groups is None else tuple(groups)
    return {group.group: restriction_days(assessment, group) for group in chosen}
