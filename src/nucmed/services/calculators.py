"""Physics calculators shared by the command line and the web application.

Each calculator takes SI numbers (already parsed at the edge by :mod:`nucmed.units`), calls the
physics layer, and returns a result whose :meth:`as_json` gives the JSON object both interfaces
print: numeric keys end in their unit (``activity_bq``, ``half_life_s``), so that a machine
reading them never has to guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from nucmed.physics import exposure, generator
from nucmed.physics.decay import decay_factor
from nucmed.physics.nuclides import DATA_SET, get_nuclide

__all__ = [
    "BreakthroughResult",
    "DecayResult",
    "DoseRateResult",
    "GeneratorResult",
    "JsonValue",
    "breakthrough",
    "decay",
    "dose_rate",
    "generator_column",
]

JsonValue = float | str | bool | None

_KBQ_PER_MBQ_PER_RATIO = 1e3
"""A ratio of Bq Mo-99 per Bq Tc-99m expressed in kBq/MBq (1 kBq/MBq = 1e-3)."""

_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class DecayResult:
    """Activity of a nuclide decay-corrected over an elapsed time (SI units)."""

    nuclide: str
    initial_activity_bq: float
    elapsed_s: float
    half_life_s: float
    decay_factor: float

    @property
    def activity_bq(self) -> float:
        """Activity after the elapsed time, in Bq."""
        return self.initial_activity_bq * self.decay_factor

    def as_json(self) -> dict[str, JsonValue]:
        """The JSON object of the result."""
        return {
            "nuclide": self.nuclide,
            "activity_bq": self.activity_bq,
            "decay_factor": self.decay_factor,
            "half_life_s": self.half_life_s,
            "initial_activity_bq": self.initial_activity_bq,
            "elapsed_s": self.elapsed_s,
            "data_set": DATA_SET,
        }


def decay(nuclide: str, activity_bq: float, elapsed_s: float) -> DecayResult:
    """Decay-correct ``activity_bq`` (Bq) of ``nuclide`` by ``elapsed_s`` (s; negative: back)."""
    data = get_nuclide(nuclide)
    factor = decay_factor(data.half_life_s, elapsed_s)
    return DecayResult(data.name, activity_bq, elapsed_s, data.half_life_s, factor)


@dataclass(frozen=True, slots=True)
class GeneratorResult:
    """Content of a Mo-99/Tc-99m generator column some time after a complete elution."""

    mo99_at_elution_bq: float
    since_elution_s: float
    efficiency: float
    column: generator.ColumnState
    time_of_max_s: float
    branching_fraction: float

    @property
    def eluted_tc99m_bq(self) -> float:
        """Tc-99m that an elution with the given efficiency would give now, in Bq."""
        return generator.eluted_tc99m_bq(self.column.tc99m_bq, self.efficiency)

    def as_json(self) -> dict[str, JsonValue]:
        """The JSON object of the result."""
        return {
            "mo99_bq": self.column.mo99_bq,
            "tc99m_bq": self.column.tc99m_bq,
            "eluted_tc99m_bq": self.eluted_tc99m_bq,
            "time_of_max_s": self.time_of_max_s,
            "tc99m_atom_fraction": self.column.tc99m_atom_fraction,
            "efficiency": self.efficiency,
            "mo99_at_elution_bq": self.mo99_at_elution_bq,
            "since_elution_s": self.since_elution_s,
            "branching_fraction": self.branching_fraction,
            "data_set": DATA_SET,
        }


def generator_column(
    mo99_at_elution_bq: float, since_elution_s: float, efficiency: float = 1.0
) -> GeneratorResult:
    """The generator column ``since_elution_s`` (s) after a complete elution.

    ``mo99_at_elution_bq`` is the Mo-99 activity (Bq) at that elution; ``efficiency`` (0..1) is
    the elution efficiency of the next elution (1: the theoretical yield).
    """
    column = generator.column_after_elution(mo99_at_elution_bq, since_elution_s)
    return GeneratorResult(
        mo99_at_elution_bq=mo99_at_elution_bq,
        since_elution_s=since_elution_s,
        efficiency=efficiency,
        column=column,
        time_of_max_s=generator.time_of_max_tc99m_s(),
        branching_fraction=get_nuclide("Mo-99").branching_fraction_to("Tc-99m"),
    )


@dataclass(frozen=True, slots=True)
class BreakthroughResult:
    """Mo-99 breakthrough of an eluate at a later time, against a limit."""

    check: generator.BreakthroughCheck
    elapsed_s: float
    time_to_limit_s: float

    def as_json(self) -> dict[str, JsonValue]:
        """The JSON object of the result."""
        return {
            "ratio_kbq_per_mbq": self.check.ratio * _KBQ_PER_MBQ_PER_RATIO,
            "limit_kbq_per_mbq": self.check.limit.ratio * _KBQ_PER_MBQ_PER_RATIO,
            "passes": self.check.passes,
            "elapsed_s": self.elapsed_s,
            "time_to_limit_s": self.time_to_limit_s,
            "limit_name": self.check.limit.name,
            "limit_source": self.check.limit.source,
        }


def breakthrough(
    mo99_bq: float, tc99m_bq: float, elapsed_s: float, limit: generator.BreakthroughLimit
) -> BreakthroughResult:
    """Breakthrough ratio ``elapsed_s`` (s) after elution, from activities (Bq) at elution."""
    check = generator.check_breakthrough(mo99_bq, tc99m_bq, elapsed_s, limit)
    until = generator.time_until_breakthrough_limit_s(mo99_bq, tc99m_bq, limit)
    return BreakthroughResult(check=check, elapsed_s=elapsed_s, time_to_limit_s=until)


@dataclass(frozen=True, slots=True)
class DoseRateResult:
    """Dose rate at a distance from a point source, behind an optional shield."""

    nuclide: str
    activity_bq: float
    distance_m: float
    material: str | None
    thickness_m: float
    rate: exposure.DoseRate

    def as_json(self) -> dict[str, JsonValue]:
        """The JSON object of the result.

        ``dose_rate_sv_per_h`` is the rate of the constant's quantity; where that quantity is
        air kerma, 1 Gy is taken as 1 Sv (photons, radiation weighting factor 1), and
        ``quantity`` says so.
        """
        return {
            "dose_rate_sv_per_h": self.rate.rate_per_s * _SECONDS_PER_HOUR,
            "unshielded_dose_rate_sv_per_h": self.rate.unshielded_rate_per_s * _SECONDS_PER_HOUR,
            "transmission": self.rate.transmission,
            "quantity": self.rate.quantity.value,
            "nuclide": self.nuclide,
            "activity_bq": self.activity_bq,
            "distance_m": self.distance_m,
            "shield_material": self.material,
            "shield_thickness_m": self.thickness_m,
            "model": self.rate.model,
            "constant_source": self.rate.constant.source,
            "shielding_source": self.rate.shielding_source,
        }


def dose_rate(
    nuclide: str,
    activity_bq: float,
    distance_m: float,
    material: exposure.Material | None = None,
    thickness_m: float = 0.0,
) -> DoseRateResult:
    """Dose rate (per s) at ``distance_m`` (m) from ``activity_bq`` (Bq) behind a shield."""
    name = get_nuclide(nuclide).name
    rate = exposure.dose_rate(
        name, activity_bq, distance_m, material=material, thickness_m=thickness_m
    )
    return DoseRateResult(name, activity_bq, distance_m, material, thickness_m, rate)
