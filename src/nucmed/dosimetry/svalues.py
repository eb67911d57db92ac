"""S-values for organ self-dose (reference adults, scaled by mass) and for tumour spheres.

An S-value S(T ← S) is the mean absorbed dose to a target region per decay in a source region,
in Gy/(Bq·s); with the time-integrated activity Ã it gives D = Ã·S
(:func:`nucmed.dosimetry.mird.absorbed_dose_gy`). Here only self-dose (T = S):

- :func:`organ_self_s_value`: kidneys, liver, spleen, red marrow, thyroid, salivary glands of
  the ICRP-89 reference adult male or female, from ``nucmed/data/svalues_organs.csv``, scaled
  to the patient's organ mass when one is given;
- :func:`sphere_s_value`: a uniformly filled unit-density sphere of given mass (tumour model),
  interpolated log-log in ``nucmed/data/svalues_spheres.csv``.

Every row carries its source and status; Lu-177 organ values are OLINDA/EXM 2 numbers read in a
third-party copy (``secondary``), I-131 and Y-90 values are electron-only ``derived`` ones, and
nuclides or organs not in the files are refused rather than guessed. See
``docs/dosimetry/mird.md``.

Mass scaling (:func:`scale_self_s_value`). S = Σᵢ Δᵢ·φᵢ/m. The electron (non-penetrating) part
keeps its absorbed fraction as the mass changes, so it scales as m_ref/m; the photon part's
absorbed fraction grows with size, and its S-value is scaled as (m_ref/m)^(2/3). The electron
part of a tabulated S is taken as min(S, Δ_np/m_ref) with Δ_np from ICRP 107
(``svalues_electrons.csv``); the rest is photons. The linear rule follows from the definition
of S; the 2/3 power for photons is the usual practice (stated e.g. for the ICRP-133 S-value
tool of the OpenSyd project; its primary source was not re-read: secondary).

References
----------
.. [1] W. E. Bolch et al., MIRD Pamphlet No. 21, J. Nucl. Med. 50, 477-484 (2009).
.. [2] ICRP Publication 89, Basic anatomical and physiological data for use in radiological
   protection: reference values, Ann. ICRP 32(3-4) (2002).
.. [3] ICRP Publication 107, Nuclear decay data for dosimetric calculations, Ann. ICRP 38(3)
   (2008).
.. [4] A. Golzaryan et al., Sci. Rep. 15, 4046 (2025), Supplementary Table S4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from nucmed import units
from nucmed.data import Status, read_rows, weakest
from nucmed.errors import N_, NucmedInputError
from nucmed.physics.nuclides import normalise_name

__all__ = [
    "ORGANS",
    "PHOTON_MASS_EXPONENT",
    "SEXES",
    "SValue",
    "SValueInputError",
    "electron_energy_per_decay_j",
    "organ_self_s_value",
    "reference_mass_kg",
    "scale_self_s_value",
    "sphere_mass_range_kg",
    "sphere_s_value",
]

ORGANS = ("kidneys", "liver", "red_marrow", "salivary_glands", "spleen", "thyroid")
"""Organs of ``svalues_organs.csv`` (not every nuclide has every organ)."""

SEXES = ("female", "male")
"""Reference adults of ICRP 89."""

PHOTON_MASS_EXPONENT = 2.0 / 3.0
"""Power of m_ref/m applied to the photon part of a self-dose S-value (see the module docs)."""

_GY_PER_BQ_S_PER_MGY_PER_MBQ_S = units.GY_PER_MGY / units.BQ_PER_MBQ
_SPHERE_DENSITY_G_PER_ML = 1.0  # unit-density spheres (OLINDA/EXM sphere model, recalled)


class SValueInputError(NucmedInputError):
    """A nuclide, organ, sex or mass for which no S-value is available."""


def _refused(template: str, **values: object) -> SValueInputError:
    """An S-value input error made of one template marked with ``N_`` and its values."""
    return SValueInputError(parts=((template, values),))


_NO_ELECTRONS = N_("no electron-energy S-values for {name}; available: {available}")
_NO_ORGANS = N_("no organ S-values for {name}; available: {available}")
_NO_SPHERES = N_("no sphere S-values for {name}; available: {available}")


@dataclass(frozen=True, slots=True)
class SValue:
    """A self-dose S-value and where it comes from.

    Parameters
    ----------
    nuclide
        Canonical nuclide name (``"Lu-177"``).
    region
        Organ name (see :data:`ORGANS`) or ``"sphere"``.
    mass_kg
        Mass the S-value applies to, in kg.
    s_gy_per_bq_s
        The S-value, in Gy/(Bq·s).
    method
        ``table`` (a row as it is), ``mass-scaled`` or ``interpolated``.
    source
        Citation of the row(s) used.
    status
        ``confirmed``, ``secondary`` or ``derived`` (see the data file's header).
    """

    nuclide: str
    region: str
    mass_kg: float
    s_gy_per_bq_s: float
    method: str
    source: str
    status: Status


@dataclass(frozen=True, slots=True)
class _SphereTable:
    masses_kg: npt.NDArray[np.float64]
    s_gy_per_bq_s: npt.NDArray[np.float64]
    source: str
    status: Status


@cache
def _electrons() -> dict[str, float]:
    return {row["nuclide"]: float(row["energy_j"]) for row in read_rows("svalues_electrons.csv")}


@cache
def _organs() -> dict[tuple[str, str, str], SValue]:
    return {
        (row["nuclide"], row["organ"], row["sex"]): SValue(
            nuclide=row["nuclide"],
            region=row["organ"],
            mass_kg=float(row["mass_g"]) * units.KG_PER_G,
            s_gy_per_bq_s=float(row["s_mgy_per_mbq_s"]) * _GY_PER_BQ_S_PER_MGY_PER_MBQ_S,
            method="table",
            source=row["source"],
            status=Status(row["status"]),
        )
        for row in read_rows("svalues_organs.csv")
    }


@cache
def _spheres() -> dict[str, _SphereTable]:
    per_minute = units.BQ_PER_MBQ * units.SECONDS_PER_MINUTE
    tables: dict[str, _SphereTable] = {}
    for nuclide in sorted({row["nuclide"] for row in read_rows("svalues_spheres.csv")}):
        rows = [row for row in read_rows("svalues_spheres.csv") if row["nuclide"] == nuclide]
        rows.sort(key=lambda row: float(row["volume_ml"]))
        masses = [float(r["volume_ml"]) * _SPHERE_DENSITY_G_PER_ML * units.KG_PER_G for r in rows]
        values = [float(r["s_gy_per_mbq_min"]) / per_minute for r in rows]
        status = weakest(*(r["status"] for r in rows))
        tables[nuclide] = _SphereTable(
            np.array(masses), np.array(values), rows[0]["source"], status
        )
    return tables


def _nuclide(name: str, known: set[str], missing: str) -> str:
    canonical = normalise_name(name)
    if canonical not in known:
        raise _refused(missing, name=canonical, available=", ".join(sorted(known)))
    return canonical


def _positive_mass(mass_kg: float) -> float:
    if not (math.isfinite(mass_kg) and mass_kg > 0):
        raise _refused(N_("mass must be a finite number > 0 kg, got {value}"), value=repr(mass_kg))
    return mass_kg


def electron_energy_per_decay_j(nuclide: str) -> float:
    """Return the mean energy emitted as electrons per decay, Δ_np, in J (ICRP 107).

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide name.

    Returns
    -------
    float
        β⁻, internal-conversion and Auger electron energy per decay, in J.

    Raises
    ------
    SValueInputError
        For a nuclide not in ``svalues_electrons.csv``.

    Examples
    --------
    >>> round(electron_energy_per_decay_j("Lu177") / 1.602176634e-13, 6)  # MeV
    0.147924
    """
    return _electrons()[_nuclide(nuclide, set(_electrons()), _NO_ELECTRONS)]


def reference_mass_kg(organ: str, sex: str = "male") -> float:
    """Return the ICRP-89 reference adult organ mass used by the organ S-values, in kg.

    Parameters
    ----------
    organ
        One of :data:`ORGANS`.
    sex
        ``male`` or ``female``.

    Returns
    -------
    float
        Organ mass, in kg.

    Raises
    ------
    SValueInputError
        For an unknown organ or sex.

    Examples
    --------
    >>> reference_mass_kg("kidneys"), reference_mass_kg("kidneys", "female")
    (0.31, 0.275)
    """
    for (_, name, row_sex), row in _organs().items():
        if name == organ and row_sex == sex:
            return row.mass_kg
    raise _refused(
        N_("unknown organ '{organ}' or sex '{sex}'; organs: {organs}; sexes: {sexes}"),
        organ=organ,
        sex=sex,
        organs=", ".join(ORGANS),
        sexes=", ".join(SEXES),
    )


def scale_self_s_value(
    s_ref_gy_per_bq_s: float, reference_mass_kg: float, mass_kg: float, electron_energy_j: float
) -> float:
    """Scale a self-dose S-value from the reference organ mass to another mass.

    S(m) = S_e·(m_ref/m) + S_p·(m_ref/m)^(2/3), S_e = min(S_ref, Δ_np/m_ref), S_p = S_ref − S_e.

    Parameters
    ----------
    s_ref_gy_per_bq_s
        S-value at the reference mass, in Gy/(Bq·s).
    reference_mass_kg
        Reference organ mass, in kg.
    mass_kg
        The patient's organ mass, in kg.
    electron_energy_j
        Δ_np, mean electron energy emitted per decay, in J.

    Returns
    -------
    float
        The S-value at ``mass_kg``, in Gy/(Bq·s).

    Raises
    ------
    SValueInputError
        For a mass that is not a finite number > 0.

    Examples
    --------
    >>> scale_self_s_value(1e-13, 0.3, 0.15, 3e-14)  # electrons only: doubles
    2e-13
    """
    ratio = _positive_mass(reference_mass_kg) / _positive_mass(mass_kg)
    electrons = min(s_ref_gy_per_bq_s, electron_energy_j / reference_mass_kg)
    photons = s_ref_gy_per_bq_s - electrons
    return electrons * ratio + photons * math.pow(ratio, PHOTON_MASS_EXPONENT)


def organ_self_s_value(
    nuclide: str, organ: str, *, sex: str = "male", mass_kg: float | None = None
) -> SValue:
    """Return the self-dose S-value of an organ, at the reference mass or scaled to ``mass_kg``.

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide (Lu-177, I-131, Y-90 are tabulated).
    organ
        One of :data:`ORGANS`; not every nuclide has every organ.
    sex
        ``male`` or ``female`` reference adult (ICRP 89).
    mass_kg
        The patient's organ mass, in kg (for instance from CT); None for the reference mass.

    Returns
    -------
    SValue
        In Gy/(Bq·s), with the row's source and status; ``method`` says whether it was scaled.

    Raises
    ------
    SValueInputError
        For a nuclide, organ or sex not tabulated, or a mass that is not > 0.

    Examples
    --------
    >>> s = organ_self_s_value("Lu-177", "kidneys")
    >>> s.s_gy_per_bq_s, s.mass_kg, str(s.status)
    (7.76e-14, 0.31, 'secondary')
    >>> round(organ_self_s_value("Lu-177", "kidneys", mass_kg=0.155).s_gy_per_bq_s / 1e-14, 3)
    15.473
    """
    canonical = _nuclide(nuclide, {key[0] for key in _organs()}, _NO_ORGANS)
    row = _organs().get((canonical, organ, sex))
    if row is None:
        organs = sorted({key[1] for key in _organs() if key[0] == canonical})
        raise _refused(
            N_(
                "no {name} S-value for organ '{organ}', sex '{sex}'; organs: {organs}; "
                "sexes: {sexes}"
            ),
            name=canonical,
            organ=organ,
            sex=sex,
            organs=", ".join(organs),
            sexes=", ".join(SEXES),
        )
    if mass_kg is None:
        return row
    scaled = scale_self_s_value(
        row.s_gy_per_bq_s, row.mass_kg, mass_kg, electron_energy_per_decay_j(canonical)
    )
    return SValue(
        canonical, organ, mass_kg, scaled, "mass-scaled",
        f"{row.source}; scaled from {row.mass_kg * 1e3:g} g (electrons m_ref/m, photons "
        f"(m_ref/m)^(2/3))", row.status,
    )  # fmt: skip


def sphere_mass_range_kg(nuclide: str) -> tuple[float, float]:
    """Return the smallest and largest sphere mass tabulated for ``nuclide``, in kg.

    Examples
    --------
    >>> sphere_mass_range_kg("Lu-177")
    (0.0005, 0.054)
    """
    table = _spheres()[_nuclide(nuclide, set(_spheres()), _NO_SPHERES)]
    return float(table.masses_kg[0]), float(table.masses_kg[-1])


def sphere_s_value(nuclide: str, mass_kg: float) -> SValue:
    """Return the self-dose S-value of a uniformly filled unit-density sphere (tumour model).

    Interpolated linearly in log S against log m between the tabulated spheres; no
    extrapolation outside the table.

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide (only Lu-177 is tabulated).
    mass_kg
        Sphere (tumour) mass, in kg, within :func:`sphere_mass_range_kg`.

    Returns
    -------
    SValue
        In Gy/(Bq·s), ``method`` ``table`` at a tabulated mass, else ``interpolated``.

    Raises
    ------
    SValueInputError
        For a nuclide without a sphere table or a mass outside it.

    Examples
    --------
    >>> s = sphere_s_value("Lu-177", 0.010)
    >>> round(s.s_gy_per_bq_s / 1e-12, 3), s.method
    (2.375, 'interpolated')
    """
    table = _spheres()[_nuclide(nuclide, set(_spheres()), _NO_SPHERES)]
    low, high = float(table.masses_kg[0]), float(table.masses_kg[-1])
    if not (math.isfinite(mass_kg) and low <= mass_kg <= high):
        raise _refused(
            N_(
                "sphere mass {mass} kg is outside the table ({low} to {high} kg); no extrapolation"
            ),
            mass=repr(mass_kg),
            low=f"{low:g}",
            high=f"{high:g}",
        )
    log_s = np.interp(math.log(mass_kg), np.log(table.masses_kg), np.log(table.s_gy_per_bq_s))
    exact = bool(np.any(np.isclose(table.masses_kg, mass_kg, rtol=1e-12, atol=0.0)))
    return SValue(
        normalise_name(nuclide), "sphere", mass_kg, float(math.exp(float(log_s))),
        "table" if exact else "interpolated", table.source, table.status,
    )  # fmt: skip
