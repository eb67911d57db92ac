"""Dose rate near a point source, and its transmission through lead, tungsten, concrete or iron.

The dose rate at distance d from a point source of activity A behind a shield of thickness x is

    Ḣ = Γ · A / d² · T(x)

with Γ the nuclide's dose-rate constant (``data/dose_rate_constants.csv``) and T the
transmission of the shield. T comes from a broad-beam Archer fit where one is tabulated
(``data/shielding_archer.csv``, TG-108 at 511 keV) and otherwise from half- and tenth-value
layers (``data/shielding_value_layers.csv``). Each constant carries the quantity its source
expresses (air kerma, ambient dose equivalent or effective dose); nucmed never converts one
into another. Point source, no self-absorption, no patient attenuation (TG-108's factor 0.64 for
a PET patient is not applied), no beta dose, no bremsstrahlung: see ``docs/physics/exposure.md``.

References
----------
.. [1] M. T. Madsen et al., "AAPM Task Group 108: PET and PET/CT shielding requirements",
   Med. Phys. 33(1), 4-15 (2006): Table II (dose-rate constants), Table V (Archer fits).
.. [2] B. R. Archer, J. I. Thornby, S. C. Bushong, "Diagnostic X-ray shielding design based on
   an empirical model of photon attenuation", Health Phys. 44(5), 507-517 (1983).
.. [3] Canadian Nuclear Safety Commission, Radionuclide Information Booklet (2025 edition):
   dose rate (effective) at 1 m, first and second HVL and TVL of lead and concrete.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import math
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from nucmed.data import Status, read_rows
from nucmed.errors import N_, NucmedInputError
from nucmed.physics.nuclides import get_nuclide
from nucmed.units import (
    ABSORBED_DOSE_UNITS,
    BQ_PER_MBQ,
    M_PER_CM,
    M_PER_MM,
    SECONDS_PER_HOUR,
    SV_PER_USV,
)

__all__ = [
    "DoseQuantity",
    "DoseRate",
    "DoseRateConstant",
    "ExposureInputError",
    "Material",
    "NoShieldingDataError",
    "NotCoveredError",
    "covered_nuclides",
    "dose_rate",
    "dose_rate_constant",
    "shielding_materials",
    "thickness_for_dose_rate",
    "thickness_for_transmission",
    "transmission",
]

Material = Literal["lead", "tungsten", "concrete", "iron"]
"""A shielding material with data in nucmed (iron: TG-108 Archer fit at 511 keV only)."""

_MATERIALS: tuple[str, ...] = get_args(Material)
_CONSTANTS_FILE = "dose_rate_constants.csv"
_ARCHER_FILE = "shielding_archer.csv"
_LAYERS_FILE = "shielding_value_layers.csv"
_LOG10_2 = math.log10(2.0)


class DoseQuantity(enum.Enum):
    """The dosimetric quantity a dose-rate constant, and so a dose rate, is expressed in.

    Examples
    --------
    >>> DoseQuantity("air_kerma") is DoseQuantity.AIR_KERMA
    True
    """

    AIR_KERMA = "air_kerma"
    AMBIENT_DOSE_EQUIVALENT = "ambient_dose_equivalent"
    EFFECTIVE_DOSE = "effective_dose"


class ExposureInputError(NucmedInputError):
    """A distance, activity, thickness, transmission or material that cannot be used."""


def _refused(error: type[NucmedInputError], template: str, **values: object) -> NucmedInputError:
    """An error of the kind ``error`` made of one template marked with ``N_`` and its values."""
    return error(parts=((template, values),))


class NotCoveredError(NucmedInputError):
    """A nuclide for which nucmed has no point-source dose-rate constant (e.g. Y-90)."""


class NoShieldingDataError(NucmedInputError):
    """A nuclide and material for which nucmed has no transmission data."""


@dataclass(frozen=True, slots=True)
class DoseRateConstant:
    """The dose rate at 1 m from 1 Bq of a point source, with its provenance.

    Parameters
    ----------
    nuclide : str
        Canonical nuclide name (``"Tc-99m"``).
    value_si : float
        Γ in Gy·m²/(Bq·s) for air kerma, Sv·m²/(Bq·s) for the two dose-equivalent quantities.
    quantity : DoseQuantity
        The quantity the source expresses.
    source : str
        Publication, table and row (and the transcription read).
    status : str
        ``confirmed``, ``secondary`` or ``computed`` (see the CSV header).
    note : str
        What the value includes and how it compares with other sources.

    Examples
    --------
    >>> c = dose_rate_constant("Sm-153")
    >>> c.quantity.value, str(c.status), round(c.value_si * 1e12 * 3600, 4)  # µGy·m²/(MBq·h)
    ('air_kerma', 'derived', 0.0111)
    """

    nuclide: str
    value_si: float
    quantity: DoseQuantity
    source: str
    status: Status
    note: str


@dataclass(frozen=True, slots=True)
class DoseRate:
    """A dose rate at a point, with the data and model behind it.

    Parameters
    ----------
    rate_per_s : float
        Dose rate behind the shield, in Gy/s (air kerma) or Sv/s, of ``quantity``.
    quantity : DoseQuantity
        Quantity of the rate (that of the constant).
    unshielded_rate_per_s : float
        The same without the shield, in the same unit.
    transmission : float
        Shield transmission, 0..1 (1 without a shield).
    constant : DoseRateConstant
        The constant used.
    shielding_source : str or None
        Source of the transmission data, None without a shield.
    model : str
        The geometry and attenuation model, in words.

    Examples
    --------
    >>> r = dose_rate("I-131", 3.7e9, 1.0, material="lead", thickness_m=0.0101)
    >>> round(r.transmission, 3), round(r.rate_per_s * 3600 * 1e6, 1)  # 1st TVL; µSv/h
    (0.1, 20.2)
    """

    rate_per_s: float
    quantity: DoseQuantity
    unshielded_rate_per_s: float
    transmission: float
    constant: DoseRateConstant
    shielding_source: str | None
    model: str


@dataclass(frozen=True, slots=True)
class _Archer:
    """Broad-beam Archer fit T(x) = [(1 + β/α) e^(αγx) − β/α]^(−1/γ), α and β in 1/m."""

    alpha_per_m: float
    beta_per_m: float
    gamma: float
    source: str
    model: str

    def transmission(self, thickness_m: float) -> float:
        ratio = self.beta_per_m / self.alpha_per_m
        growth = math.exp(self.alpha_per_m * self.gamma * thickness_m)
        return float(((1.0 + ratio) * growth - ratio) ** (-1.0 / self.gamma))

    def thickness(self, transmission: float) -> float:
        ratio = self.beta_per_m / self.alpha_per_m
        inside = (transmission ** (-self.gamma) + ratio) / (1.0 + ratio)
        return max(0.0, math.log(inside) / (self.alpha_per_m * self.gamma))


@dataclass(frozen=True, slots=True)
class _ValueLayers:
    """log10 T interpolated linearly between knots, continued with ``tail_slope`` (1/m)."""

    knots_m: tuple[float, ...]
    log10_t: tuple[float, ...]
    tail_slope: float
    source: str
    model: str

    def transmission(self, thickness_m: float) -> float:
        i = bisect.bisect_right(self.knots_m, thickness_m) - 1
        if i >= len(self.knots_m) - 1:
            last = self.knots_m[-1]
            return float(10.0 ** (self.log10_t[-1] + self.tail_slope * (thickness_m - last)))
        x0, x1 = self.knots_m[i], self.knots_m[i + 1]
        y0, y1 = self.log10_t[i], self.log10_t[i + 1]
        return float(10.0 ** (y0 + (y1 - y0) * (thickness_m - x0) / (x1 - x0)))

    def thickness(self, transmission: float) -> float:
        target = math.log10(transmission)
        descending = [-y for y in self.log10_t]
        i = bisect.bisect_right(descending, -target) - 1
        if i >= len(self.knots_m) - 1:
            return self.knots_m[-1] + (target - self.log10_t[-1]) / self.tail_slope
        x0, x1 = self.knots_m[i], self.knots_m[i + 1]
        y0, y1 = self.log10_t[i], self.log10_t[i + 1]
        return x0 + (x1 - x0) * (target - y0) / (y1 - y0)


_Shield = _Archer | _ValueLayers


def _constant_from_row(row: dict[str, str]) -> DoseRateConstant | None:
    """The constant of a covered row in SI units, or None for a row with no constant."""
    usv, ugy = row["constant_usv_m2_per_mbq_h"], row["constant_ugy_m2_per_mbq_h"]
    if not usv and not ugy:
        return None
    per_unit = SV_PER_USV if usv else ABSORBED_DOSE_UNITS["µGy"]
    value_si = float(usv or ugy) * per_unit / (BQ_PER_MBQ * SECONDS_PER_HOUR)
    return DoseRateConstant(
        nuclide=row["nuclide"], value_si=value_si, quantity=DoseQuantity(row["quantity"]),
        source=row["source"], status=Status(row["status"]), note=row["note"],
    )  # fmt: skip


@cache
def _constants() -> dict[str, DoseRateConstant | str]:
    """Preferred constant per nuclide; for a not-covered nuclide, the reason (its note)."""
    table: dict[str, DoseRateConstant | str] = {}
    for row in read_rows(_CONSTANTS_FILE):
        if row["preferred"] != "yes":
            continue
        if row["nuclide"] in table:
            raise RuntimeError(f"{_CONSTANTS_FILE}: two preferred rows for {row['nuclide']}")
        constant = _constant_from_row(row)
        table[row["nuclide"]] = constant if constant is not None else row["note"]
    return table


def _layers_from_row(row: dict[str, str]) -> _ValueLayers:
    hvl1 = float(row["hvl1_mm"]) * M_PER_MM
    source, beam = row["source"], row["beam"]
    if not row["tvl1_mm"]:
        model = f"{beam}-beam single exponential, T = 2^(-x/HVL), HVL = {row['hvl1_mm']} mm"
        return _ValueLayers((0.0,), (0.0,), -_LOG10_2 / hvl1, source, model)
    hvl2, tvl1, tvl2 = (float(row[k]) * M_PER_MM for k in ("hvl2_mm", "tvl1_mm", "tvl2_mm"))
    knots = (0.0, hvl1, hvl1 + hvl2, tvl1, tvl1 + tvl2)
    if any(b <= a for a, b in itertools.pairwise(knots)):
        raise RuntimeError(f"{_LAYERS_FILE}: {row['nuclide']} {row['material']} not monotonic")
    model = (
        f"{beam}-beam, log-linear through the first and second HVL and TVL "
        f"({row['hvl1_mm']}, {row['hvl2_mm']}, {row['tvl1_mm']}, {row['tvl2_mm']} mm)"
    )
    log10_t = (0.0, -_LOG10_2, -2.0 * _LOG10_2, -1.0, -2.0)
    return _ValueLayers(knots, log10_t, -1.0 / tvl2, source, model)


def _archer_from_row(row: dict[str, str]) -> _Archer:
    alpha, beta = float(row["alpha_per_cm"]) / M_PER_CM, float(row["beta_per_cm"]) / M_PER_CM
    model = "broad-beam Archer fit, 511 keV (TG-108 Table V), build-up included"
    return _Archer(alpha, beta, float(row["gamma"]), row["source"], model)


@cache
def _shields() -> dict[tuple[str, str], _Shield]:
    """Transmission model per (nuclide, material): Archer fits first, then value layers."""
    table: dict[tuple[str, str], _Shield] = {}
    for row in read_rows(_LAYERS_FILE):
        table[row["nuclide"], row["material"]] = _layers_from_row(row)
    for row in read_rows(_ARCHER_FILE):
        table[row["nuclide"], row["material"]] = _archer_from_row(row)
    return table


def covered_nuclides() -> tuple[str, ...]:
    """Return the nuclides that have a dose-rate constant, sorted.

    Returns
    -------
    tuple of str
        Canonical names.

    Examples
    --------
    >>> "Tc-99m" in covered_nuclides(), "Y-90" in covered_nuclides()
    (True, False)
    """
    return tuple(sorted(n for n, c in _constants().items() if isinstance(c, DoseRateConstant)))


def dose_rate_constant(nuclide: str) -> DoseRateConstant:
    """Return the preferred point-source dose-rate constant of a nuclide.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling (``"Tc-99m"``, ``"99mTc"``).

    Returns
    -------
    DoseRateConstant
        Γ in SI units (Gy or Sv)·m²/(Bq·s), with quantity and source.

    Raises
    ------
    UnknownNuclideError
        If the name is not a nuclide of the data set.
    NotCoveredError
        For a pure beta emitter (Y-90, Sr-89, P-32: the reason is given) or a nuclide not in
        the table (the covered ones are listed).

    References
    ----------
    See the ``source`` of each row of ``nucmed/data/dose_rate_constants.csv``.

    Examples
    --------
    >>> c = dose_rate_constant("99mTc")
    >>> c.quantity.value, round(c.value_si * 1e12 * 3600, 4)  # µSv·m²/(MBq·h)
    ('effective_dose', 0.0185)
    """
    name = get_nuclide(nuclide).name
    entry = _constants().get(name)
    if isinstance(entry, DoseRateConstant):
        return entry
    if entry is not None:
        raise _refused(
            NotCoveredError,
            N_("{name} has no point-source dose-rate constant: {why}"),
            name=name,
            why=entry,
        )
    raise _refused(
        NotCoveredError,
        N_("no dose-rate constant for {name}; covered: {covered}"),
        name=name,
        covered=", ".join(covered_nuclides()),
    )


def shielding_materials(nuclide: str) -> tuple[str, ...]:
    """Return the materials with transmission data for a nuclide.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling.

    Returns
    -------
    tuple of str
        Material names among ``lead``, ``tungsten``, ``concrete``, ``iron`` (possibly empty).

    Examples
    --------
    >>> shielding_materials("Tc-99m")
    ('lead', 'tungsten', 'concrete')
    """
    name = get_nuclide(nuclide).name
    return tuple(m for m in _MATERIALS if (name, m) in _shields())


def _shield(nuclide: str, material: str) -> _Shield:
    if material not in _MATERIALS:
        raise _refused(
            ExposureInputError,
            N_("unknown shielding material '{material}'; allowed: {allowed}"),
            material=material,
            allowed=", ".join(_MATERIALS),
        )
    name = get_nuclide(nuclide).name
    shield = _shields().get((name, material))
    if shield is None:
        have = shielding_materials(name)
        if have:
            raise _refused(
                NoShieldingDataError,
                N_("no {material} data for {name}; data exist for {have}"),
                material=material,
                name=name,
                have=", ".join(have),
            )
        raise _refused(
            NoShieldingDataError,
            N_("no {material} data for {name}; no shielding data at all"),
            material=material,
            name=name,
        )
    return shield


def _check_thickness(thickness_m: float) -> None:
    if not (math.isfinite(thickness_m) and thickness_m >= 0.0):
        raise _refused(
            ExposureInputError,
            N_("shield thickness must be a finite number >= 0 m, got {value}"),
            value=repr(thickness_m),
        )


def _check_transmission(value: float) -> None:
    if not (0.0 < value <= 1.0):
        raise _refused(
            ExposureInputError,
            N_("transmission must be in (0, 1], got {value}"),
            value=repr(value),
        )


def transmission(nuclide: str, material: Material, thickness_m: float) -> float:
    """Return the fraction of the dose rate that passes a shield.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling.
    material : {"lead", "tungsten", "concrete"}
        Shield material.
    thickness_m : float
        Shield thickness, in m (>= 0).

    Returns
    -------
    float
        Transmission, 0..1: broad-beam Archer fit where tabulated, else the HVL/TVL model of
        ``shielding_value_layers.csv`` (stated per row in ``DoseRate.model``).

    Raises
    ------
    ExposureInputError
        For a negative or non-finite thickness or an unknown material.
    NoShieldingDataError
        If there are no data for this nuclide and material (the message lists those that exist).

    References
    ----------
    .. [1] Madsen et al., Med. Phys. 33(1), 4-15 (2006), Table V (Archer fits at 511 keV).

    Examples
    --------
    >>> round(transmission("F-18", "lead", 0.010), 4)  # TG-108 Table IV: 0.2485
    0.2485
    >>> round(transmission("Tc-99m", "lead", 0.36e-3), 12)  # one first HVL
    0.5
    """
    shield = _shield(nuclide, material)
    _check_thickness(thickness_m)
    return min(1.0, shield.transmission(thickness_m))


def thickness_for_transmission(nuclide: str, material: Material, transmission: float) -> float:
    """Return the shield thickness that lets a given fraction of the dose rate through.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling.
    material : {"lead", "tungsten", "concrete"}
        Shield material.
    transmission : float
        Wanted transmission, in (0, 1].

    Returns
    -------
    float
        Thickness in m (0 for a transmission of 1).

    Raises
    ------
    ExposureInputError
        For a transmission outside (0, 1] or an unknown material.
    NoShieldingDataError
        If there are no data for this nuclide and material.

    Examples
    --------
    >>> round(thickness_for_transmission("F-18", "lead", 0.1) * 1e3, 1)  # first TVL, mm
    15.9
    """
    shield = _shield(nuclide, material)
    _check_transmission(transmission)
    return 0.0 if transmission == 1.0 else shield.thickness(transmission)


def _check_source(activity_bq: float, distance_m: float) -> None:
    if not (math.isfinite(activity_bq) and activity_bq >= 0.0):
        raise _refused(
            ExposureInputError,
            N_("activity must be a finite number >= 0 Bq, got {value}"),
            value=repr(activity_bq),
        )
    if not (math.isfinite(distance_m) and distance_m > 0.0):
        raise _refused(
            ExposureInputError,
            N_("distance must be a finite number > 0 m, got {value}"),
            value=repr(distance_m),
        )


def dose_rate(
    nuclide: str,
    activity_bq: float,
    distance_m: float,
    *,
    material: Material | None = None,
    thickness_m: float = 0.0,
) -> DoseRate:
    """Return the dose rate at a distance from a point source, behind an optional shield.

    Ḣ = Γ · A / d² · T(x): inverse square law, no attenuation or scatter in air, no
    self-absorption, no patient attenuation.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling.
    activity_bq : float
        Activity, in Bq (>= 0).
    distance_m : float
        Distance from the source, in m (> 0; the source must be small against it).
    material : {"lead", "tungsten", "concrete"}, optional
        Shield material; None for no shield.
    thickness_m : float, optional
        Shield thickness, in m (>= 0; ignored without a material).

    Returns
    -------
    DoseRate
        Rate in Gy/s or Sv/s of the constant's quantity, with transmission and sources.

    Raises
    ------
    ExposureInputError
        For a negative activity, a distance <= 0, a negative thickness or an unknown material.
    NotCoveredError
        If the nuclide has no dose-rate constant.
    NoShieldingDataError
        If the material has no data for the nuclide.

    References
    ----------
    .. [1] Madsen et al., Med. Phys. 33(1), 4-15 (2006): 37 MBq of F-18 gives 5.3 µSv/h at 1 m.

    Examples
    --------
    >>> r = dose_rate("F-18", 37e6, 1.0)
    >>> round(r.rate_per_s * 3600 * 1e6, 2), r.quantity.value  # µSv/h
    (5.29, 'effective_dose')
    >>> round(dose_rate("F-18", 37e6, 1.0, material="lead", thickness_m=0.01).transmission, 4)
    0.2485
    """
    constant = dose_rate_constant(nuclide)
    _check_source(activity_bq, distance_m)
    unshielded = constant.value_si * activity_bq / distance_m**2
    geometry = "point source, inverse square, no self-absorption or patient attenuation"
    if material is None:
        return DoseRate(unshielded, constant.quantity, unshielded, 1.0, constant, None, geometry)
    shield = _shield(constant.nuclide, material)
    factor = transmission(constant.nuclide, material, thickness_m)
    model = f"{geometry}; {material}: {shield.model}"
    return DoseRate(
        unshielded * factor, constant.quantity, unshielded, factor, constant, shield.source, model
    )


def thickness_for_dose_rate(
    nuclide: str,
    activity_bq: float,
    distance_m: float,
    material: Material,
    target_rate_per_s: float,
) -> float:
    """Return the shield thickness that brings the dose rate down to a target.

    Parameters
    ----------
    nuclide : str
        Any accepted spelling.
    activity_bq : float
        Activity, in Bq (>= 0).
    distance_m : float
        Distance from the source, in m (> 0).
    material : {"lead", "tungsten", "concrete"}
        Shield material.
    target_rate_per_s : float
        Wanted dose rate, in Gy/s or Sv/s of the nuclide's constant (> 0).

    Returns
    -------
    float
        Thickness in m; 0 if the unshielded rate is already at or below the target.

    Raises
    ------
    ExposureInputError
        For a target <= 0, or bad activity, distance or material.
    NotCoveredError
        If the nuclide has no dose-rate constant.
    NoShieldingDataError
        If the material has no data for the nuclide.

    Examples
    --------
    >>> rate = dose_rate("Tc-99m", 740e6, 1.0).rate_per_s
    >>> x = thickness_for_dose_rate("Tc-99m", 740e6, 1.0, "lead", rate / 10)
    >>> round(x * 1e3, 2)  # first TVL of lead, mm
    1.06
    """
    if not (math.isfinite(target_rate_per_s) and target_rate_per_s > 0.0):
        raise _refused(
            ExposureInputError,
            N_("target dose rate must be a finite number > 0, got {value}"),
            value=repr(target_rate_per_s),
        )
    unshielded = dose_rate(nuclide, activity_bq, distance_m).unshielded_rate_per_s
    _shield(nuclide, material)
    if unshielded <= target_rate_per_s:
        return 0.0
    return thickness_for_transmission(nuclide, material, target_rate_per_s / unshielded)
