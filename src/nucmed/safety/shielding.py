"""Shielding design of a barrier: from the weekly workload to the thickness that meets a goal.

The sources (:mod:`nucmed.safety.shielding_workload`) give unshielded weekly doses D_i at the
point of interest. With the occupancy factor T of the point and the design goal P (effective
dose per week), the barrier must transmit (TG-108)

    B = P / (T · Σ D_i)

and its thickness x is the Archer fit (or the HVL/TVL model) of
:func:`nucmed.physics.exposure.thickness_for_transmission` inverted at B. When the sources
are of different nuclides (different transmission curves), x is the smallest thickness with
T · Σ D_i · B_i(x) <= P, found by bisection. A B of 1 or more needs no barrier.

Design goals (TG-108, following NCRP 147): 100 µSv per week in controlled areas (5 mSv a
year, 50 weeks) and 20 µSv per week in uncontrolled areas (1 mSv a year). Read in three
third-party transcriptions of TG-108 (a Python shielding package's limits module and two
public calculators): secondary. ``goal_sv_per_week`` can be set to a local regulation's value.

References
----------
.. [1] M. T. Madsen et al., "AAPM Task Group 108: PET and PET/CT shielding requirements",
   Med. Phys. 33(1), 4-15 (2006): design goals, B = P d² / (T N ...), Tables IV-V.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from nucmed.errors import N_, Word, refusal
from nucmed.physics import exposure
from nucmed.safety.shielding_workload import SourceDose, Workload, weekly_dose

__all__ = [
    "AREAS",
    "DESIGN_GOALS_SV_PER_WEEK",
    "MATERIALS",
    "Area",
    "BarrierDesign",
    "design_barrier",
]

Area = Literal["controlled", "uncontrolled"]
AREAS: tuple[str, ...] = get_args(Area)
MATERIALS: tuple[str, ...] = ("lead", "concrete", "iron")
"""Barrier materials offered for room shielding (tungsten is for syringe shields)."""

DESIGN_GOALS_SV_PER_WEEK: Mapping[str, float] = MappingProxyType(
    {"controlled": 100e-6, "uncontrolled": 20e-6}
)
"""TG-108 weekly design goals P, in Sv of effective dose (see the module docstring)."""

_MATERIAL_LISTS = (N_("lead, concrete"), N_("lead, concrete, iron"))
"""The lists of materials a refusal may name (as one translated word), marked for extraction."""

_BISECTION_STEPS = 200
_RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class BarrierDesign:
    """The barrier that brings the weekly dose at a point down to the design goal.

    Parameters
    ----------
    material : str
        ``lead``, ``concrete`` or ``iron``.
    occupancy : float
        T of the point, (0, 1].
    goal_sv_per_week : float
        P, in Sv per week.
    sources : tuple of SourceDose
        Each workload's unshielded weekly dose.
    required_transmission : float
        B = P / (T · Σ D), at most 1.
    thickness_m : float
        Thickness that meets the goal, in m (0 if none is needed).
    shielded_sv_per_week : float
        T · Σ D_i · B_i(x): the occupancy-weighted weekly dose behind that thickness, in Sv.
    transmission_sources : tuple of str
        Source of each nuclide's transmission data.
    """

    material: str
    occupancy: float
    goal_sv_per_week: float
    sources: tuple[SourceDose, ...]
    required_transmission: float
    thickness_m: float
    shielded_sv_per_week: float
    transmission_sources: tuple[str, ...]

    @property
    def unshielded_sv_per_week(self) -> float:
        """Σ D: the unshielded weekly dose at the point (occupancy not applied), in Sv."""
        return math.fsum(s.dose_sv_per_week for s in self.sources)

    def as_json(self) -> dict[str, object]:
        """The JSON object of the design (SI units, numeric keys end in their unit)."""
        return {
            "material": self.material,
            "occupancy": self.occupancy,
            "goal_sv_per_week": self.goal_sv_per_week,
            "unshielded_sv_per_week": self.unshielded_sv_per_week,
            "required_transmission": self.required_transmission,
            "thickness_m": self.thickness_m,
            "shielded_sv_per_week": self.shielded_sv_per_week,
            "sources": [_source_json(s) for s in self.sources],
            "transmission_sources": list(self.transmission_sources),
            "method": "AAPM TG-108 (Madsen et al., Med Phys 33(1):4-15, 2006)",
        }


def _source_json(source: SourceDose) -> dict[str, object]:
    w = source.workload
    return {
        "nuclide": source.nuclide,
        "activity_bq": w.activity_bq,
        "per_week": w.per_week,
        "stay_s": w.stay_s,
        "delay_s": w.delay_s,
        "distance_m": w.distance_m,
        "patient": w.patient,
        "voided_fraction": w.voided_fraction,
        "body_transmission": source.body_transmission,
        "decay_factor": source.decay_factor,
        "reduction_factor": source.reduction_factor,
        "dose_sv_per_week": source.dose_sv_per_week,
        "constant_source": source.constant_source,
    }


def _check_barrier(material: str, occupancy: float, goal_sv_per_week: float) -> None:
    if material not in MATERIALS:
        raise refusal(
            N_("the barrier material must be one of {allowed}"), allowed=", ".join(MATERIALS)
        )
    if not (math.isfinite(occupancy) and 0.0 < occupancy <= 1.0):
        raise refusal(N_("the occupancy factor must be more than 0 and at most 1"))
    if not (math.isfinite(goal_sv_per_week) and goal_sv_per_week > 0.0):
        raise refusal(N_("the design goal must be more than 0 Sv per week"))


def _transmission_sources(nuclides: Sequence[str], material: exposure.Material) -> list[str]:
    found = []
    for nuclide in nuclides:
        have = [m for m in exposure.shielding_materials(nuclide) if m in MATERIALS]
        if not have:
            raise refusal(
                N_("nucmed has no transmission data for {nuclide}: no barrier can be computed"),
                nuclide=nuclide,
            )
        if material not in have:
            raise refusal(
                N_("no {material} transmission data for {nuclide}; data exist for {materials}"),
                material=Word(material),
                nuclide=nuclide,
                materials=Word(", ".join(have)),
            )
        found.append(exposure.dose_rate(nuclide, 1.0, 1.0, material=material).shielding_source)
    return [s for s in found if s is not None]


def _behind(doses: Mapping[str, float], material: exposure.Material, x_m: float) -> float:
    return math.fsum(d * exposure.transmission(n, material, x_m) for n, d in doses.items())


def _solve(doses: Mapping[str, float], material: exposure.Material, target: float) -> float:
    """Smallest x with Σ D_i B_i(x) <= target, for a sum of different transmission curves."""
    if len(doses) == 1:
        ((nuclide, dose),) = doses.items()
        return exposure.thickness_for_transmission(nuclide, material, target / dose)
    # Each nuclide brought to target / k gives a sum <= target: an upper bound for x.
    share = target / len(doses)
    high = max(
        exposure.thickness_for_transmission(n, material, min(1.0, share / d))
        for n, d in doses.items()
    )
    low = 0.0
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        if _behind(doses, material, middle) > target:
            low = middle
        else:
            high = middle
        if high - low <= _RELATIVE_TOLERANCE * high:
            break
    return high


def design_barrier(
    workloads: Sequence[Workload],
    material: str,
    *,
    occupancy: float = 1.0,
    goal_sv_per_week: float = DESIGN_GOALS_SV_PER_WEEK["uncontrolled"],
) -> BarrierDesign:
    """Return the barrier thickness that keeps a point under its weekly design goal.

    Parameters
    ----------
    workloads : sequence of Workload
        Every source the point sees through this barrier (summed).
    material : {"lead", "concrete", "iron"}
        Barrier material.
    occupancy : float
        Occupancy factor T of the point, (0, 1] (TG-108 / NCRP 147 tables).
    goal_sv_per_week : float
        Design goal P, in Sv per week (default: uncontrolled area, 20 µSv).

    Returns
    -------
    BarrierDesign
        Doses, B and the thickness in m.

    Raises
    ------
    NucmedInputError
        No workload, a bad material, occupancy or goal, a bad workload, or a nuclide without
        transmission data for the material (the message lists the materials that have some).

    References
    ----------
    .. [1] Madsen et al., Med. Phys. 33(1), 4-15 (2006), uptake-room example: 40 patients a
       week, 555 MBq, 1 h, 4 m, T = 1, P = 20 µSv: B = 0.189, 1.2 cm lead or 15 cm concrete.

    Examples
    --------
    >>> d = design_barrier([Workload("F-18", 555e6, 40, 3600.0, 4.0)], "lead")
    >>> round(d.required_transmission, 3), round(d.thickness_m * 100, 1)  # B, cm of lead
    (0.189, 1.2)
    """
    if not workloads:
        raise refusal(N_("give at least one source"))
    _check_barrier(material, occupancy, goal_sv_per_week)
    shield: exposure.Material = material  # type: ignore[assignment]
    sources = tuple(weekly_dose(w) for w in workloads)
    nuclides = sorted({s.nuclide for s in sources})
    transmission_sources = tuple(dict.fromkeys(_transmission_sources(nuclides, shield)))
    doses = {n: math.fsum(s.dose_sv_per_week for s in sources if s.nuclide == n) for n in nuclides}
    weighted = occupancy * math.fsum(doses.values())
    if weighted <= goal_sv_per_week:
        required, thickness = 1.0, 0.0
    else:
        required = goal_sv_per_week / weighted
        positive = {n: occupancy * d for n, d in doses.items() if d > 0.0}
        thickness = _solve(positive, shield, goal_sv_per_week)
    behind = occupancy * _behind(doses, shield, thickness)
    return BarrierDesign(
        material, occupancy, goal_sv_per_week, sources, required, thickness, behind,
        transmission_sources,
    )  # fmt: skip
