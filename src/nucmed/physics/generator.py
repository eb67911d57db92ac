"""Mo-99/Tc-99m generator: Tc-99m ingrowth, elution, Tc-99 carrier and Mo-99 breakthrough.

The column holds Mo-99 (T½ 65.94 h). A fraction B of its decays gives Tc-99m (T½ 6.015 h), the
rest gives Tc-99 directly; Tc-99m decays to Tc-99 (and, 3.7e-5 of the time, to Ru-99). Tc-99
(T½ 2.1e5 y) is treated as stable. Every half-life and branching fraction comes from
:mod:`nucmed.physics.nuclides` (ICRP-107); SI inside (Bq, s, atoms).

With λ₁, λ₂ the Mo-99 and Tc-99m decay constants and t the time since an elution [1]_ [2]_::

    A_Tc(t) = B λ₂/(λ₂−λ₁) A_Mo(0) (e^(−λ₁t) − e^(−λ₂t)) + A_res e^(−λ₂t)
    t_max   = ln(λ₂/λ₁) / (λ₂−λ₁)                    (complete elution)
    A_Tc/A_Mo → B λ₂/(λ₂−λ₁)                          (transient equilibrium)

The Tc-99 atoms follow from conservation: every Mo-99 decay makes one technetium atom. See
``docs/physics/generator.md`` for the derivations, the assumptions and the numbers.

References
----------
.. [1] H. Bateman, "The solution of a system of differential equations occurring in the theory
   of radioactive transformations", Proc. Camb. Phil. Soc. 15, 423-427 (1910).
.. [2] S.R. Cherry, J.A. Sorenson, M.E. Phelps, Physics in Nuclear Medicine, 4th ed., Elsevier
   (2012): parent-daughter decay, transient equilibrium, the Mo-99/Tc-99m generator.
.. [3] IAEA Virtual Radiopharmacy (VirRad), "Separation of 99mTc by saline elution": the Tc-99m
   activity "reaches a maximum at about 23 hours".
.. [4] US NRC, 10 CFR 35.204(a)(1), Permissible molybdenum-99 concentration.
.. [5] European Pharmacopoeia, monograph 0124 "Sodium pertechnetate (99mTc) injection
   (fission)" (0283 for the non-fission product), test "Radionuclidic purity".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, overload

import numpy as np
from numpy.typing import NDArray

from nucmed.checks import aware, fraction, non_negative
from nucmed.errors import N_, Moment, NucmedInputError
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "PH_EUR_LIMIT",
    "USP_LIMIT",
    "BreakthroughCheck",
    "BreakthroughLimit",
    "ColumnState",
    "Elution",
    "GeneratorInputError",
    "breakthrough_ratio",
    "check_breakthrough",
    "column_after_elution",
    "eluate_atom_fraction",
    "eluted_tc99m_bq",
    "elution_history",
    "tc99m_activity_bq",
    "time_of_max_tc99m_s",
    "time_until_breakthrough_limit_s",
    "transient_equilibrium_ratio",
]


class GeneratorInputError(NucmedInputError):
    """A generator quantity outside its allowed range (negative activity, naive time, ...)."""


# --------------------------------------------------------------------------- chain data
class _Chain(NamedTuple):
    lambda_mo: float  # Mo-99 decay constant, s⁻¹
    lambda_tc: float  # Tc-99m decay constant, s⁻¹
    to_tc99m: float  # B: fraction of Mo-99 decays that give Tc-99m
    tc99m_to_tc99: float  # fraction of Tc-99m decays that give Tc-99 (ICRP-107: 0.99996)


class _Atoms(NamedTuple):
    mo99: float
    tc99m: float
    tc99: float


def _chain(branching_fraction: float | None = None) -> _Chain:
    mo99, tc99m = get_nuclide("Mo-99"), get_nuclide("Tc-99m")
    b = mo99.branching_fraction_to("Tc-99m") if branching_fraction is None else branching_fraction
    if not 0.0 <= b <= 1.0:
        raise GeneratorInputError(
            parts=(
                (
                    N_(
                        "branching_fraction is {value}; it must lie between 0 and 1 (ICRP-107 "
                        "gives 0.8773 for Mo-99 -> Tc-99m; leave it out to use that)"
                    ),
                    {"value": repr(b)},
                ),
            )
        )
    return _Chain(
        mo99.decay_constant_per_s,
        tc99m.decay_constant_per_s,
        b,
        tc99m.branching_fraction_to("Tc-99"),
    )


# --------------------------------------------------------------------------- Bateman core
def _ingrowth_factor(c: _Chain, t: float) -> float:
    """e^(−λ₁t) − e^(−λ₂t), written with expm1 so that it stays exact for small t."""
    return -math.exp(-c.lambda_mo * t) * math.expm1(-(c.lambda_tc - c.lambda_mo) * t)


def _evolve(atoms: _Atoms, t: float, c: _Chain) -> _Atoms:
    """Atoms in a closed column after a time t (Bateman solution, Tc-99 stable)."""
    mo_decayed = -atoms.mo99 * math.expm1(-c.lambda_mo * t)
    ingrown = c.to_tc99m * c.lambda_mo / (c.lambda_tc - c.lambda_mo) * atoms.mo99
    tc99m = atoms.tc99m * math.exp(-c.lambda_tc * t) + ingrown * _ingrowth_factor(c, t)
    tc99m_decayed = max(atoms.tc99m + c.to_tc99m * mo_decayed - tc99m, 0.0)
    tc99 = atoms.tc99 + (1.0 - c.to_tc99m) * mo_decayed + c.tc99m_to_tc99 * tc99m_decayed
    return _Atoms(atoms.mo99 * math.exp(-c.lambda_mo * t), tc99m, tc99)


def _atom_fraction(atoms: _Atoms, c: _Chain) -> float:
    technetium = atoms.tc99m + atoms.tc99
    # With no technetium yet, report the limit t -> 0 of the ingrowth, which is B.
    return atoms.tc99m / technetium if technetium > 0.0 else c.to_tc99m


def _state(atoms: _Atoms, c: _Chain) -> ColumnState:
    return ColumnState(
        mo99_bq=c.lambda_mo * atoms.mo99,
        tc99m_bq=c.lambda_tc * atoms.tc99m,
        tc99m_atom_fraction=_atom_fraction(atoms, c),
    )


# --------------------------------------------------------------------------- column
@dataclass(frozen=True, slots=True)
class ColumnState:
    """The generator column at a time after the last elution.

    Parameters
    ----------
    mo99_bq
        Mo-99 activity on the column, Bq.
    tc99m_bq
        Tc-99m activity on the column (what a 100 % elution would give), Bq.
    tc99m_atom_fraction
        Tc-99m atoms / (Tc-99m + Tc-99 atoms) on the column, dimensionless.
    """

    mo99_bq: float
    tc99m_bq: float
    tc99m_atom_fraction: float


def column_after_elution(
    mo99_at_elution_bq: float,
    since_elution_s: float,
    *,
    residual_tc99m_bq: float = 0.0,
    residual_tc99_atoms: float = 0.0,
    branching_fraction: float | None = None,
) -> ColumnState:
    """Return the column contents a time after an elution (Bateman equations with branching).

    Parameters
    ----------
    mo99_at_elution_bq
        Mo-99 activity at the elution, Bq.
    since_elution_s
        Time since the elution, s.
    residual_tc99m_bq
        Tc-99m activity left on the column by an incomplete elution, Bq, at the elution.
    residual_tc99_atoms
        Tc-99 atoms left on the column at the elution (the carrier), atoms.
    branching_fraction
        Fraction of Mo-99 decays that give Tc-99m; default ICRP-107 (0.8773).

    Returns
    -------
    ColumnState
        Mo-99 and Tc-99m activities (Bq) and the Tc-99m atom fraction at that time.

    Raises
    ------
    GeneratorInputError
        If an activity, atom number or time is negative, or B is outside [0, 1].

    References
    ----------
    Bateman [1]_ for a parent with branching to the daughter; Cherry et al. [2]_.

    Examples
    --------
    >>> s = column_after_elution(20e9, 24 * 3600)
    >>> round(s.mo99_bq / 1e9, 3), round(s.tc99m_bq / 1e9, 3), round(s.tc99m_atom_fraction, 3)
    (15.54, 13.787, 0.282)
    """
    c = _chain(branching_fraction)
    start = _Atoms(
        non_negative(
            N_("Mo-99 activity at elution"), mo99_at_elution_bq, "Bq", error=GeneratorInputError
        )
        / c.lambda_mo,
        non_negative(
            N_("Tc-99m activity left on the column"),
            residual_tc99m_bq,
            "Bq",
            error=GeneratorInputError,
        )
        / c.lambda_tc,
        non_negative(
            N_("Tc-99 atoms left on the column"),
            residual_tc99_atoms,
            "atoms",
            error=GeneratorInputError,
        ),
    )
    t = non_negative(N_("time since elution"), since_elution_s, "s", error=GeneratorInputError)
    return _state(_evolve(start, t, c), c)


@overload
def tc99m_activity_bq(
    mo99_at_elution_bq: float, since_elution_s: float, *, branching_fraction: float | None = None
) -> float: ...
@overload
def tc99m_activity_bq(
    mo99_at_elution_bq: float,
    since_elution_s: NDArray[np.float64],
    *,
    branching_fraction: float | None = None,
) -> NDArray[np.float64]: ...
def tc99m_activity_bq(
    mo99_at_elution_bq: float,
    since_elution_s: float | NDArray[np.float64],
    *,
    branching_fraction: float | None = None,
) -> float | NDArray[np.float64]:
    """Return the Tc-99m activity grown on the column since a complete elution.

    ``A_Tc(t) = B λ₂/(λ₂−λ₁) A_Mo(0) (e^(−λ₁t) − e^(−λ₂t))``, element-wise over an array of times.

    Parameters
    ----------
    mo99_at_elution_bq
        Mo-99 activity at the elution, Bq.
    since_elution_s
        Time(s) since the elution, s.
    branching_fraction
        Fraction of Mo-99 decays that give Tc-99m; default ICRP-107 (0.8773).

    Returns
    -------
    float or numpy.ndarray
        Tc-99m activity, Bq (an array of the same shape for an array of times).

    Raises
    ------
    GeneratorInputError
        If the activity or any time is negative or not finite.

    References
    ----------
    Bateman [1]_; Cherry et al. [2]_ (transient equilibrium).

    Examples
    --------
    >>> round(tc99m_activity_bq(10e9, 24 * 3600) / 1e9, 3)
    6.894
    >>> (tc99m_activity_bq(10e9, np.array([0.0, 6 * 3600.0])) / 1e9).round(3)
    array([0.   , 4.228])
    """
    c = _chain(branching_fraction)
    a0 = non_negative(
        N_("Mo-99 activity at elution"), mo99_at_elution_bq, "Bq", error=GeneratorInputError
    )
    t = np.asarray(since_elution_s, dtype=np.float64)
    if not (np.all(np.isfinite(t)) and np.all(t >= 0.0)):
        raise GeneratorInputError(
            parts=(
                (
                    N_(
                        "since_elution_s has negative or non-finite values; times must be "
                        "finite and ≥ 0 s"
                    ),
                    {},
                ),
            )
        )
    d = c.lambda_tc - c.lambda_mo
    growth = -np.exp(-c.lambda_mo * t) * np.expm1(-d * t)
    result = c.to_tc99m * c.lambda_tc / d * a0 * growth
    return float(result) if result.ndim == 0 else result


def time_of_max_tc99m_s(branching_fraction: float | None = None) -> float:
    """Return the time after a complete elution at which the column's Tc-99m peaks.

    ``t_max = ln(λ₂/λ₁)/(λ₂−λ₁)``; it does not depend on B (B scales the whole curve), so
    ``branching_fraction`` is only checked, for a call signature like the other functions.

    Parameters
    ----------
    branching_fraction
        Accepted and validated; it has no effect on t_max.

    Returns
    -------
    float
        Time of the maximum, s (22.86 h with ICRP-107 half-lives).

    References
    ----------
    Cherry et al. [2]_; IAEA VirRad [3]_ ("about 23 hours").

    Examples
    --------
    >>> round(time_of_max_tc99m_s() / 3600, 2)
    22.86
    """
    c = _chain(branching_fraction)
    return math.log(c.lambda_tc / c.lambda_mo) / (c.lambda_tc - c.lambda_mo)


def transient_equilibrium_ratio(branching_fraction: float | None = None) -> float:
    """Return the limit of A(Tc-99m)/A(Mo-99) on an uneluted column, ``B λ₂/(λ₂−λ₁)``.

    Parameters
    ----------
    branching_fraction
        Fraction of Mo-99 decays that give Tc-99m; default ICRP-107 (0.8773).

    Returns
    -------
    float
        Activity ratio, dimensionless (0.9654 with ICRP-107 data).

    References
    ----------
    Cherry et al. [2]_ (transient equilibrium, with the branching fraction).

    Examples
    --------
    >>> round(transient_equilibrium_ratio(), 4), round(transient_equilibrium_ratio(0.875), 4)
    (0.9654, 0.9628)
    """
    c = _chain(branching_fraction)
    return c.to_tc99m * c.lambda_tc / (c.lambda_tc - c.lambda_mo)


def eluted_tc99m_bq(column_tc99m_bq: float, efficiency: float) -> float:
    """Return the Tc-99m activity in the eluate: column activity × elution efficiency.

    Parameters
    ----------
    column_tc99m_bq
        Tc-99m activity on the column just before the elution, Bq.
    efficiency
        Elution efficiency (yield), a fraction in [0, 1].

    Returns
    -------
    float
        Eluted Tc-99m activity, Bq.

    Raises
    ------
    GeneratorInputError
        If the activity is negative or the efficiency is outside [0, 1].

    Examples
    --------
    >>> eluted_tc99m_bq(10e9, 0.9) / 1e9
    9.0
    """
    return non_negative(
        N_("Tc-99m activity on the column"), column_tc99m_bq, "Bq", error=GeneratorInputError
    ) * fraction(N_("elution efficiency"), efficiency, error=GeneratorInputError)


# --------------------------------------------------------------------------- elution history
@dataclass(frozen=True, slots=True)
class Elution:
    """One elution of the generator.

    Parameters
    ----------
    time
        Time of the elution (UTC).
    eluted_tc99m_bq
        Tc-99m activity in the eluate at the elution, Bq.
    column_tc99m_before_bq
        Tc-99m activity on the column just before the elution, Bq.
    mo99_bq
        Mo-99 activity on the column at the elution, Bq.
    tc99m_atom_fraction
        Tc-99m / all Tc atoms in the eluate at the elution (same as in the column before it).
    efficiency
        Elution efficiency used, a fraction in [0, 1].
    """

    time: datetime
    eluted_tc99m_bq: float
    column_tc99m_before_bq: float
    mo99_bq: float
    tc99m_atom_fraction: float
    efficiency: float


def _elution_given(number: int, time: datetime, efficiency: float) -> tuple[datetime, float]:
    """An elution's time (UTC) and efficiency, checked; a refusal names the elution."""
    try:
        return (
            aware(N_("elution time"), time, error=GeneratorInputError),
            fraction(N_("elution efficiency"), efficiency, error=GeneratorInputError),
        )
    except GeneratorInputError as error:
        raise GeneratorInputError(
            parts=((N_("elution {number}"), {"number": number}), *error.parts)
        ) from None


def elution_history(
    mo99_bq: float,
    reference_time: datetime,
    elutions: Sequence[tuple[datetime, float]],
    *,
    column_clean_at: datetime | None = None,
    branching_fraction: float | None = None,
) -> list[Elution]:
    """Follow Mo-99, Tc-99m and Tc-99 on the column through a series of elutions.

    The column holds no technetium at ``column_clean_at`` (the producer's last wash or
    loading); from then on the Bateman solution runs between elutions. Each elution removes
    the fraction ``efficiency`` of the Tc-99m and of the Tc-99 atoms; Mo-99 stays.

    Parameters
    ----------
    mo99_bq
        Mo-99 activity at ``reference_time`` (e.g. the calibration on the label), Bq.
    reference_time
        Time of ``mo99_bq``; timezone-aware.
    elutions
        Elution times (timezone-aware, in order) and efficiencies (fractions in [0, 1]).
    column_clean_at
        When the column held no technetium; default ``reference_time``. Not after the first
        elution.
    branching_fraction
        Fraction of Mo-99 decays that give Tc-99m; default ICRP-107 (0.8773).

    Returns
    -------
    list of Elution
        One entry per elution, in order.

    Raises
    ------
    GeneratorInputError
        On a negative activity, an efficiency outside [0, 1], a naive datetime, or times that
        go backwards.

    References
    ----------
    Bateman [1]_, applied piecewise between elutions.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone(timedelta(hours=5)))
    >>> runs = elution_history(20e9, t0, [(t0 + timedelta(hours=24), 0.9),
    ...                                   (t0 + timedelta(hours=48), 0.9)])
    >>> [(round(e.eluted_tc99m_bq / 1e9, 2), round(e.tc99m_atom_fraction, 3)) for e in runs]
    [(12.41, 0.282), (9.72, 0.252)]
    """
    c = _chain(branching_fraction)
    reference = aware(N_("reference time"), reference_time, error=GeneratorInputError)
    clean = (
        reference
        if column_clean_at is None
        else aware(N_("time the column was cleaned"), column_clean_at, error=GeneratorInputError)
    )
    mo99_at_ref = (
        non_negative(N_("Mo-99 activity"), mo99_bq, "Bq", error=GeneratorInputError) / c.lambda_mo
    )
    atoms = _Atoms(
        mo99_at_ref * math.exp(-c.lambda_mo * (clean - reference).total_seconds()), 0.0, 0.0
    )
    history: list[Elution] = []
    previous = clean
    for number, (time, efficiency) in enumerate(elutions, start=1):
        when, share = _elution_given(number, time, efficiency)
        if when < previous:
            template = (
                N_(
                    "elution {number} at {at} is before elution {earlier} ({previous}); list "
                    "elutions in time order"
                )
                if number > 1
                else N_("elution {number} at {at} is before the column was cleaned ({previous})")
            )
            values = {"number": number, "earlier": number - 1, "at": Moment(when)}
            raise GeneratorInputError(
                parts=((template, {**values, "previous": Moment(previous)}),)
            )
        atoms = _evolve(atoms, (when - previous).total_seconds(), c)
        elution, atoms = _elute(
            atoms,
            when,
            share,
            c,
        )
        history.append(elution)
        previous = when
    return history


def _elute(atoms: _Atoms, when: datetime, efficiency: float, c: _Chain) -> tuple[Elution, _Atoms]:
    before = _state(atoms, c)
    elution = Elution(
        time=when,
        eluted_tc99m_bq=before.tc99m_bq * efficiency,
        column_tc99m_before_bq=before.tc99m_bq,
        mo99_bq=before.mo99_bq,
        tc99m_atom_fraction=before.tc99m_atom_fraction,
        efficiency=efficiency,
    )
    left = 1.0 - efficiency
    return elution, _Atoms(atoms.mo99, atoms.tc99m * left, atoms.tc99 * left)


def eluate_atom_fraction(atom_fraction_at_elution: float, eluate_age_s: float) -> float:
    """Return the Tc-99m atom fraction of an eluate that has aged since the elution.

    Tc-99m decays and its Tc-99 stays, so the fraction falls as ``f₀ e^(−λ₂t)``: it halves
    every Tc-99m half-life. (The 3.7e-5 β⁻ branch of Tc-99m to Ru-99 is kept, which changes
    the result by less than 4e-5 relative.) Mo-99 breakthrough adds negligible Tc.

    Parameters
    ----------
    atom_fraction_at_elution
        Tc-99m / all Tc atoms at the elution (e.g. :attr:`Elution.tc99m_atom_fraction`).
    eluate_age_s
        Time since the elution, s.

    Returns
    -------
    float
        Tc-99m / all Tc atoms at that age, dimensionless.

    Raises
    ------
    GeneratorInputError
        If the fraction is outside [0, 1] or the age is negative.

    Examples
    --------
    >>> round(eluate_atom_fraction(0.28, 6.015 * 3600), 4)
    0.14
    """
    c = _chain()
    f0 = fraction(
        N_("Tc-99m atom fraction at elution"), atom_fraction_at_elution, error=GeneratorInputError
    )
    t = non_negative(N_("eluate age"), eluate_age_s, "s", error=GeneratorInputError)
    kept = math.exp(-c.lambda_tc * t)
    # Per initial Tc atom: Tc-99m left f0·kept; Tc lost to Ru-99 (1−b)·f0·(1−kept).
    return f0 * kept / (1.0 - (1.0 - c.tc99m_to_tc99) * f0 * (1.0 - kept))


# --------------------------------------------------------------------------- breakthrough
@dataclass(frozen=True, slots=True)
class BreakthroughLimit:
    """A limit on Mo-99 in Tc-99m eluate, at the time of administration.

    Parameters
    ----------
    ratio
        Largest allowed Mo-99 activity per Tc-99m activity, Bq/Bq (dimensionless).
    name
        Short name for reports.
    source
        The regulation or monograph that sets it.
    """

    ratio: float
    name: str
    source: str


USP_LIMIT = BreakthroughLimit(
    ratio=1.5e-4,  # 0.15 kBq Mo-99 per MBq Tc-99m = 0.15 µCi/mCi
    name="USP / 10 CFR 35.204",
    source="US NRC 10 CFR 35.204(a)(1): at most 0.15 kBq Mo-99 per MBq Tc-99m "
    "(0.15 µCi/mCi) at the time of administration (also on the TechneLite generator label)",
)
PH_EUR_LIMIT = BreakthroughLimit(
    ratio=1.0e-3,  # 0.1 % of the total radioactivity, applied to Mo/Tc (stricter by 0.1 %)
    name="Ph. Eur. 0124",
    source="European Pharmacopoeia monograph 0124, Sodium pertechnetate (99mTc) injection "
    "(fission), radionuclidic purity: Mo-99 at most 0.1 % of the total radioactivity at the "
    "date and hour of administration",
)


@dataclass(frozen=True, slots=True)
class BreakthroughCheck:
    """The Mo-99/Tc-99m ratio at a time, compared with a limit.

    Parameters
    ----------
    ratio
        Mo-99 activity / Tc-99m activity, dimensionless.
    limit
        The limit it was compared with.
    passes
        True when ``ratio <= limit.ratio``.
    """

    ratio: float
    limit: BreakthroughLimit
    passes: bool


def breakthrough_ratio(mo99_bq: float, tc99m_bq: float, elapsed_s: float) -> float:
    """Return the eluate's Mo-99/Tc-99m activity ratio a time after it was measured.

    ``R(t) = (A_Mo/A_Tc) e^((λ₂−λ₁)t)``: the conventional, regulatory decay correction (each
    nuclide with its own half-life). The Tc-99m that the Mo-99 in the vial grows is ignored;
    it adds ``B λ₂/(λ₂−λ₁)·(R(t) − R(0))`` to the Tc-99m, < 0.015 % below the USP limit, and
    ignoring it overstates the ratio, i.e. errs on the safe side.

    Parameters
    ----------
    mo99_bq
        Mo-99 activity in the eluate when measured, Bq.
    tc99m_bq
        Tc-99m activity in the eluate when measured, Bq (> 0).
    elapsed_s
        Time from the measurement to the use (administration), s.

    Returns
    -------
    float
        Mo-99/Tc-99m activity ratio at that time, dimensionless (Bq/Bq).

    Raises
    ------
    GeneratorInputError
        On a negative activity or time, or a Tc-99m activity of zero.

    References
    ----------
    10 CFR 35.204 [4]_; Ph. Eur. 0124 [5]_.

    Examples
    --------
    >>> round(breakthrough_ratio(1e6, 10e9, 12 * 3600) * 1e3, 4)  # kBq/MBq
    0.3514
    """
    c = _chain()
    mo = non_negative(N_("Mo-99 activity"), mo99_bq, "Bq", error=GeneratorInputError)
    tc = non_negative(N_("Tc-99m activity"), tc99m_bq, "Bq", error=GeneratorInputError)
    if tc == 0.0:
        raise GeneratorInputError(
            parts=(
                (
                    N_("Tc-99m activity is 0; the Mo-99/Tc-99m ratio needs a Tc-99m activity > 0"),
                    {},
                ),
            )
        )
    t = non_negative(N_("time elapsed"), elapsed_s, "s", error=GeneratorInputError)
    return mo / tc * math.exp((c.lambda_tc - c.lambda_mo) * t)


def check_breakthrough(
    mo99_bq: float, tc99m_bq: float, elapsed_s: float, limit: BreakthroughLimit = USP_LIMIT
) -> BreakthroughCheck:
    """Compare the eluate's Mo-99/Tc-99m ratio at a time with a limit.

    Parameters
    ----------
    mo99_bq, tc99m_bq : float
        Mo-99 and Tc-99m activities in the eluate when measured, Bq.
    elapsed_s
        Time from the measurement to the administration, s.
    limit
        Default :data:`USP_LIMIT`; :data:`PH_EUR_LIMIT` for Ph. Eur. markets.

    Returns
    -------
    BreakthroughCheck
        The ratio at that time and whether it is within the limit.

    Raises
    ------
    GeneratorInputError
        As :func:`breakthrough_ratio`.

    Examples
    --------
    >>> check_breakthrough(1e6, 10e9, 12 * 3600).passes
    False
    >>> check_breakthrough(1e6, 10e9, 12 * 3600, PH_EUR_LIMIT).passes
    True
    """
    ratio = breakthrough_ratio(mo99_bq, tc99m_bq, elapsed_s)
    return BreakthroughCheck(ratio=ratio, limit=limit, passes=ratio <= limit.ratio)


def time_until_breakthrough_limit_s(
    mo99_bq: float, tc99m_bq: float, limit: BreakthroughLimit = USP_LIMIT
) -> float:
    """Return how long after the measurement the eluate's ratio reaches the limit.

    ``t = ln(limit / R(0)) / (λ₂−λ₁)``; 0 if the ratio is already at or over the limit and
    infinity if there is no Mo-99.

    Parameters
    ----------
    mo99_bq, tc99m_bq : float
        Mo-99 and Tc-99m activities in the eluate when measured, Bq.
    limit
        Default :data:`USP_LIMIT`.

    Returns
    -------
    float
        Time, s (the latest use is this long after the measurement).

    Raises
    ------
    GeneratorInputError
        As :func:`breakthrough_ratio`.

    Examples
    --------
    >>> round(time_until_breakthrough_limit_s(1e6, 10e9) / 3600, 2)
    3.87
    """
    c = _chain()
    ratio = breakthrough_ratio(mo99_bq, tc99m_bq, 0.0)
    if ratio >= limit.ratio:
        return 0.0
    if ratio == 0.0:
        return math.inf
    return math.log(limit.ratio / ratio) / (c.lambda_tc - c.lambda_mo)
