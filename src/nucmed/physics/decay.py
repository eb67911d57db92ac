"""Radioactive decay of a single nuclide: decay correction and time to a given activity.

An activity in nucmed is never a bare number: :class:`Activity` is an activity of a nuclide at a
reference time. The array functions below work on plain SI numbers (Bq, s) for vectorised use.

The law is the exponential decay law, A(t) = A₀ · exp(−λ t) with λ = ln 2 / T½ (e.g. Cherry,
Sorenson and Phelps, *Physics in Nuclear Medicine*, 4th ed., 2012, ch. 4, eq. 4-7). Half-lives
come from ICRP Publication 107 through :mod:`nucmed.physics.nuclides`.

Only the activity of the named nuclide is followed; the ingrowth of progeny (e.g. Tc-99m in a
Mo-99 source) is the business of :mod:`nucmed.physics.generator`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import overload

import numpy as np
import numpy.typing as npt

from nucmed.bounds import number
from nucmed.checks import aware
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import Nuclide, get_nuclide

__all__ = [
    "Activity",
    "decay_activity",
    "decay_factor",
    "time_to_activity",
]

FloatArray = npt.NDArray[np.float64]

_LARGEST_EXPONENT = math.log(np.finfo(np.float64).max)
"""ln of the largest float (about 709.78): exp of anything above it overflows."""


def _decay_constant(half_life_s: float) -> float:
    if not half_life_s > 0:
        raise refusal(
            N_("half-life must be positive, got {half_life_s} s"), half_life_s=half_life_s
        )
    return math.log(2.0) / half_life_s


@overload
def decay_factor(half_life_s: float, elapsed_s: float) -> float: ...
@overload
def decay_factor(half_life_s: float, elapsed_s: FloatArray) -> FloatArray: ...
def decay_factor(half_life_s: float, elapsed_s: float | FloatArray) -> float | FloatArray:
    """Return the fraction of activity left after a time, exp(−ln 2 · t / T½).

    Parameters
    ----------
    half_life_s
        Physical half-life, in s (``math.inf`` for a stable nuclide gives 1).
    elapsed_s
        Time elapsed, in s; negative values correct backwards (factor above 1).

    Returns
    -------
    float or ndarray
        The decay factor (dimensionless), of the same shape as ``elapsed_s``.

    Raises
    ------
    NucmedInputError
        If the half-life is not positive, or the factor is beyond the largest float (Tc-99m
        decayed back more than about 7 days: exp(709.8) is the largest float).

    Examples
    --------
    >>> decay_factor(6.0 * 3600, 6.0 * 3600)
    0.5
    >>> decay_factor(10.0, np.array([0.0, 10.0, 20.0]))
    array([1.  , 0.5 , 0.25])
    """
    decay_constant = _decay_constant(half_life_s)
    if isinstance(elapsed_s, np.ndarray):
        elapsed = elapsed_s.astype(np.float64)
        return _finite_exp(-decay_constant * elapsed, elapsed, half_life_s)
    return _finite_exp(-decay_constant * elapsed_s, elapsed_s, half_life_s)


@overload
def _finite_exp(exponent: float, elapsed_s: float, half_life_s: float) -> float: ...
@overload
def _finite_exp(exponent: FloatArray, elapsed_s: FloatArray, half_life_s: float) -> FloatArray: ...
def _finite_exp(
    exponent: float | FloatArray, elapsed_s: float | FloatArray, half_life_s: float
) -> float | FloatArray:
    """exp(exponent), or a refusal when it is beyond the largest float (decaying far back)."""
    values = np.asarray(exponent, dtype=np.float64)
    if np.any(~(values <= _LARGEST_EXPONENT)):  # also NaN (an infinite elapsed time)
        given = np.asarray(elapsed_s, dtype=np.float64)
        worst = float(given.flat[int(np.argmax(np.nan_to_num(values, nan=np.inf)))])
        raise refusal(
            N_(
                "decay over {elapsed} s with a half-life of {half_life} s cannot be computed "
                "(the activity would grow beyond any number); choose a time nearer the "
                "reference time"
            ),
            elapsed=number(worst),
            half_life=number(half_life_s),
        )
    if isinstance(exponent, np.ndarray):
        return np.exp(values)
    return math.exp(exponent)


@overload
def decay_activity(activity_bq: float, half_life_s: float, elapsed_s: float) -> float: ...
@overload
def decay_activity(
    activity_bq: FloatArray, half_life_s: float, elapsed_s: float | FloatArray
) -> FloatArray: ...
@overload
def decay_activity(
    activity_bq: float, half_life_s: float, elapsed_s: FloatArray
) -> FloatArray: ...
def decay_activity(
    activity_bq: float | FloatArray, half_life_s: float, elapsed_s: float | FloatArray
) -> float | FloatArray:
    """Decay-correct an activity forwards (positive time) or backwards (negative time).

    Parameters
    ----------
    activity_bq
        Activity at the reference time, in Bq.
    half_life_s
        Physical half-life, in s.
    elapsed_s
        Time from the reference time to the wanted time, in s (broadcast with the activity).

    Returns
    -------
    float or ndarray
        Activity at the wanted time, in Bq (finite whenever it is below the largest float).

    Raises
    ------
    NucmedInputError
        If the half-life is not positive, or the activity at the wanted time is beyond the
        largest float (decaying a short-lived nuclide far back in time).

    Examples
    --------
    >>> decay_activity(740e6, 21654.0, -21654.0)
    1480000000.0
    """
    decay_constant = _decay_constant(half_life_s)
    if isinstance(activity_bq, np.ndarray) or isinstance(elapsed_s, np.ndarray):
        activity, elapsed = np.broadcast_arrays(
            np.asarray(activity_bq, dtype=np.float64), np.asarray(elapsed_s, dtype=np.float64)
        )
        with np.errstate(over="ignore", invalid="ignore"):
            plain = np.where(activity == 0.0, 0.0, activity * np.exp(-decay_constant * elapsed))
        if np.all(np.isfinite(plain)):
            return plain
        far = ~np.isfinite(plain)
        with np.errstate(divide="ignore"):
            in_log = np.log(np.abs(activity[far])) - decay_constant * elapsed[far]
        plain[far] = np.sign(activity[far]) * _finite_exp(in_log, elapsed[far], half_life_s)
        return plain
    exponent = -decay_constant * elapsed_s
    if activity_bq == 0.0 or exponent <= _LARGEST_EXPONENT:
        value = activity_bq * math.exp(min(exponent, _LARGEST_EXPONENT))
        if math.isfinite(value):
            return value
    far_back = math.log(abs(activity_bq)) + exponent  # log space: a tiny activity far back
    return math.copysign(_finite_exp(far_back, elapsed_s, half_life_s), activity_bq)


@overload
def time_to_activity(activity_bq: float, target_bq: float, half_life_s: float) -> float: ...
@overload
def time_to_activity(
    activity_bq: float | FloatArray, target_bq: FloatArray, half_life_s: float
) -> FloatArray: ...
@overload
def time_to_activity(
    activity_bq: FloatArray, target_bq: float, half_life_s: float
) -> FloatArray: ...
def time_to_activity(
    activity_bq: float | FloatArray, target_bq: float | FloatArray, half_life_s: float
) -> float | FloatArray:
    """Return the time at which an activity has decayed (or, backwards, grown) to a target.

    t = T½ / ln 2 · ln(A / A_target); negative when the target lies in the past.

    Parameters
    ----------
    activity_bq
        Activity at the reference time, in Bq; must be positive.
    target_bq
        Target activity, in Bq; must be positive.
    half_life_s
        Physical half-life, in s.

    Returns
    -------
    float or ndarray
        Time from the reference time, in s.

    Raises
    ------
    NucmedInputError
        If an activity is not positive, or the nuclide is stable.

    Examples
    --------
    >>> time_to_activity(800e6, 100e6, 3600.0) / 3600
    3.0
    """
    if math.isinf(half_life_s):
        raise refusal(N_("a stable nuclide never reaches another activity"))
    decay_constant = _decay_constant(half_life_s)
    start = np.asarray(activity_bq, dtype=np.float64)
    target = np.asarray(target_bq, dtype=np.float64)
    if np.any(start <= 0) or np.any(target <= 0):
        raise refusal(N_("activities for a time-to-activity calculation must be positive"))
    times = np.log(start / target) / decay_constant
    if isinstance(activity_bq, np.ndarray) or isinstance(target_bq, np.ndarray):
        return times
    return float(times)


@dataclass(frozen=True, slots=True)
class Activity:
    """An activity of a nuclide at a reference time.

    Parameters
    ----------
    nuclide
        The nuclide (from :func:`nucmed.physics.nuclides.get_nuclide`).
    activity_bq
        Activity at ``reference_time``, in Bq; finite and not negative.
    reference_time
        Timezone-aware moment at which ``activity_bq`` holds.

    Raises
    ------
    NucmedInputError
        If the activity is negative or not finite, or the time has no time zone.

    Examples
    --------
    >>> from datetime import UTC
    >>> dose = Activity.of("Tc-99m", 740e6, datetime(2026, 11, 22, 8, tzinfo=UTC))
    >>> later = dose.at(datetime(2026, 11, 22, 14, 0, 54, tzinfo=UTC))
    >>> round(later.activity_bq / 1e6, 1)
    370.0
    """

    nuclide: Nuclide
    activity_bq: float
    reference_time: datetime

    def __post_init__(self) -> None:
        if not math.isfinite(self.activity_bq) or self.activity_bq < 0:
            raise refusal(
                N_("activity must be a finite number of Bq, 0 or more; got {activity_bq}"),
                activity_bq=self.activity_bq,
            )
        aware(N_("reference time"), self.reference_time)

    @classmethod
    def of(cls, nuclide: str, activity_bq: float, reference_time: datetime) -> Activity:
        """Build an activity from a nuclide name (any accepted spelling)."""
        return cls(get_nuclide(nuclide), float(activity_bq), reference_time)

    def elapsed_s(self, when: datetime) -> float:
        """Seconds from the reference time to ``when`` (negative for an earlier moment)."""
        delta: timedelta = aware(N_("time"), when) - self.reference_time
        return delta.total_seconds()

    def decay_factor_to(self, when: datetime) -> float:
        """Decay factor from the reference time to ``when`` (above 1 backwards in time)."""
        return decay_factor(self.nuclide.half_life_s, self.elapsed_s(when))

    def activity_at(self, when: datetime) -> float:
        """Activity at ``when``, in Bq (a refusal when it is beyond the largest float)."""
        return decay_activity(self.activity_bq, self.nuclide.half_life_s, self.elapsed_s(when))

    def at(self, when: datetime) -> Activity:
        """The same source, described at another reference time."""
        return Activity(self.nuclide, self.activity_at(when), when)

    def time_of_activity(self, target_bq: float) -> datetime:
        """The moment at which the activity is ``target_bq`` (in Bq; positive)."""
        if self.activity_bq <= 0:
            raise refusal(N_("a source with no activity never reaches a target activity"))
        seconds = time_to_activity(self.activity_bq, target_bq, self.nuclide.half_life_s)
        return self.reference_time + timedelta(seconds=seconds)
