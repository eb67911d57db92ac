"""Nuclides and their decay data (ICRP Publication 107).

The data are read from ``nucmed/data/icrp107_nuclides.csv``, an extract of the ICRP-107 data set
shipped by the radioactivedecay package (data set ``icrp107_ame2020_nubase2020``), made by
``tools/extract_icrp107.py`` and checked against that package by the test suite.

Names are normalised: ``Tc-99m``, ``tc99m``, ``99mTc``, ``99m-Tc`` and ``Tc99m`` all name
technetium-99m, written ``Tc-99m``.

References
----------
.. [1] ICRP, 2008. Nuclear Decay Data for Dosimetric Calculations. ICRP Publication 107.
   Ann. ICRP 38(3).
.. [2] A. Malins and T. Lemoine, "radioactivedecay: A Python package for radioactive decay
   calculations", Journal of Open Source Software 7(71), 3318 (2022).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.errors import UnknownNuclideError

__all__ = [
    "DATA_SET",
    "Nuclide",
    "Progeny",
    "all_nuclide_names",
    "get_nuclide",
    "normalise_name",
]

DATA_SET = "ICRP-107 (radioactivedecay icrp107_ame2020_nubase2020)"
"""The nuclear data set that every half-life and branching fraction in nucmed comes from."""

_DATA_FILE = "icrp107_nuclides.csv"

_SYMBOL_FIRST = re.compile(r"^([A-Za-z]{1,2})[\s\-_]*(\d{1,3})[\s\-_]*([mMnN]?)$")
_MASS_FIRST = re.compile(r"^(\d{1,3})[\s\-_]*([A-Za-z][A-Za-z\s\-_]{0,3})$")
_SEPARATORS = re.compile(r"[\s\-_]")
_MAX_SYMBOL_LENGTH = 2


@dataclass(frozen=True, slots=True)
class Progeny:
    """One decay branch of a nuclide.

    Parameters
    ----------
    nuclide
        Canonical name of the daughter (``"Tc-99m"``), or ``"SF"`` for spontaneous fission.
    branching_fraction
        Fraction of decays of the parent that go to this daughter (dimensionless, 0..1).
    mode
        Decay mode as written in ICRP-107 (``"β-"``, ``"IT"``, ``"EC"``, ``"α"``, ...).
    """

    nuclide: str
    branching_fraction: float
    mode: str


@dataclass(frozen=True, slots=True)
class Nuclide:
    """A radionuclide (or stable nuclide) with its ICRP-107 decay data.

    Parameters
    ----------
    name
        Canonical name, element symbol then mass number and metastable letter (``"Tc-99m"``).
    half_life_s
        Physical half-life in seconds (``math.inf`` for a stable nuclide).
    progeny
        The decay branches, as listed in ICRP-107.

    Examples
    --------
    >>> mo99 = get_nuclide("99Mo")
    >>> mo99.name, round(mo99.half_life_s / 3600, 2)
    ('Mo-99', 65.94)
    >>> mo99.branching_fraction_to("tc99m")
    0.8773
    """

    name: str
    half_life_s: float
    progeny: tuple[Progeny, ...]

    @property
    def decay_constant_per_s(self) -> float:
        """Decay constant λ = ln 2 / T½, in s⁻¹ (0 for a stable nuclide)."""
        return math.log(2.0) / self.half_life_s

    @property
    def is_stable(self) -> bool:
        """True when the data set gives no finite half-life."""
        return math.isinf(self.half_life_s)

    def branching_fraction_to(self, daughter: str) -> float:
        """Return the fraction of decays that produce ``daughter`` (0.0 if none do).

        Parameters
        ----------
        daughter
            Any accepted spelling of the daughter's name.

        Returns
        -------
        float
            Sum of the branching fractions of all branches to that daughter (dimensionless).
        """
        wanted = normalise_name(daughter)
        return sum(p.branching_fraction for p in self.progeny if p.nuclide == wanted)


def normalise_name(text: str) -> str:
    """Return the canonical spelling of a nuclide name.

    Parameters
    ----------
    text
        A name such as ``"Tc-99m"``, ``"tc99m"``, ``"99mTc"``, ``"99m-Tc"`` or ``"TC 99M"``.

    Returns
    -------
    str
        ``Symbol-MassMeta``, e.g. ``"Tc-99m"``. Where the mass-first form is ambiguous
        (``"99Mo"``: molybdenum-99 or oxygen-99m?) the reading that names a nuclide of the data
        set wins.

    Raises
    ------
    UnknownNuclideError
        If the text does not have the form of a nuclide name.

    Examples
    --------
    >>> [normalise_name(n) for n in ("tc99m", "99mTc", "I 131", "F-18", "99Mo")]
    ['Tc-99m', 'Tc-99m', 'I-131', 'F-18', 'Mo-99']
    """
    candidates = _readings(text.strip())
    if not candidates:
        raise UnknownNuclideError(
            f"{text!r} is not a nuclide name; write the element and mass number, "
            "e.g. Tc-99m, I-131, F-18 (99mTc and tc99m are accepted too)"
        )
    known = _table()
    return next((name for name in candidates if name in known), candidates[0])


def _readings(text: str) -> list[str]:
    """All canonical names the text can be read as, the likeliest first."""
    match = _SYMBOL_FIRST.match(text)
    if match:
        symbol, mass, meta = match.groups()
        return [_canonical(symbol, mass, meta)]
    match = _MASS_FIRST.match(text)
    if not match:
        return []
    mass, letters = match.group(1), _SEPARATORS.sub("", match.group(2))
    readings = []
    if len(letters) <= _MAX_SYMBOL_LENGTH:
        readings.append(_canonical(letters, mass, ""))
    if 1 < len(letters) <= _MAX_SYMBOL_LENGTH + 1 and letters[0] in "mMnN":
        readings.append(_canonical(letters[1:], mass, letters[0]))
    return readings


def _canonical(symbol: str, mass: str, meta: str) -> str:
    return f"{symbol[0].upper()}{symbol[1:].lower()}-{int(mass)}{meta.lower()}"


@cache
def _table() -> dict[str, Nuclide]:
    """Read the ICRP-107 extract once per process."""
    table: dict[str, Nuclide] = {}
    for row in read_rows(_DATA_FILE):
        progeny = tuple(
            Progeny(nuclide=name, branching_fraction=float(fraction), mode=mode)
            for name, fraction, mode in zip(
                _split(row["progeny"]),
                _split(row["branching_fractions"]),
                _split(row["modes"]),
                strict=True,
            )
        )
        table[row["nuclide"]] = Nuclide(
            name=row["nuclide"], half_life_s=float(row["half_life_s"]), progeny=progeny
        )
    return table


def _split(field: str) -> list[str]:
    return field.split("|") if field else []


def get_nuclide(name: str) -> Nuclide:
    """Return the nuclide of that name from the ICRP-107 data set.

    Parameters
    ----------
    name
        Any accepted spelling (see :func:`normalise_name`).

    Returns
    -------
    Nuclide
        Its decay data.

    Raises
    ------
    UnknownNuclideError
        If the name is malformed or not in the data set; the message lists near matches.

    Examples
    --------
    >>> round(get_nuclide("Tc-99m").half_life_s / 3600, 3)
    6.015
    """
    table = _table()
    canonical = normalise_name(name)
    try:
        return table[canonical]
    except KeyError:
        near = difflib.get_close_matches(canonical, table.keys(), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownNuclideError(
            f"{canonical} is not in the nuclear data set {DATA_SET}{hint}"
        ) from None


def all_nuclide_names() -> tuple[str, ...]:
    """Return the canonical names of every nuclide in the data set, in file order."""
    return tuple(_table())
