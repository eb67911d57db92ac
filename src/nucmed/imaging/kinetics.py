"""Voxel-wise and per-VOI kinetics: time-integrated activity maps and fit-quality maps.

From activity-concentration maps measured at two or more times after administration (not
decay-corrected, in Bq/m³, all on the same grid), these functions give the time-integrated
activity concentration Ã = ∫₀^∞ C(t) dt of every voxel, in Bq·s/m³, without a Python loop over
voxels (the time axis is the first axis; any shape after it):

- :func:`fit_mono_exponential_map`: C(t) = C₀·e^(−λt), the closed-form log-linear least-squares
  fit (ordinary least squares of ln C against t), Ã = C₀/λ;
- :func:`fit_bi_exponential_map`: C(t) = C₀·(e^(−λ₁t) − e^(−λ₂t)), λ₂ > λ₁ (uptake, then
  clearance; C(0) = 0), Ã = C₀·(1/λ₁ − 1/λ₂), by variable projection: for each pair of rates
  on a logarithmic grid the best amplitude is linear and closed-form [2], the best pair is
  kept per voxel, then a few damped Gauss-Newton steps refine all voxels at once (the
  fitting itself is :mod:`.biexponential`);
- :func:`trapezoid_map`: trapezoids from (0, 0) through the points, then physical decay from the
  last point, Ã = Σ trapezoids + C_last/λ_phys [1].

No clearance is slower than physical decay (no uptake after the last point is assumed): a
fitted rate below λ_phys is set to λ_phys and the voxel flagged. Voxels where a fit cannot be
made (a non-positive value) fall back to the trapezoid and are flagged. The fit quality is the
coefficient of determination R² in linear space.

References
----------
.. [1] M. Ljungberg et al., "MIRD Pamphlet No. 26: joint EANM/MIRD guidelines for quantitative
   177Lu SPECT applied for dosimetry of radiopharmaceutical therapy", J. Nucl. Med. 57,
   151-162 (2016) (trapezoid with a physical-decay tail after the last time point).
.. [2] G. H. Golub and V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least
   squares problems whose variables separate", SIAM J. Numer. Anal. 10, 413-432 (1973).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

from nucmed.errors import N_, NucmedInputError
from nucmed.imaging.biexponential import gauss_newton, grid_start

__all__ = [
    "FIT_MODELS",
    "FitFlag",
    "KineticsInputError",
    "TiaMap",
    "fit_bi_exponential_map",
    "fit_mono_exponential_map",
    "time_integrated_activity",
    "trapezoid_map",
]

FloatArray = npt.NDArray[np.float64]
FitModel = Literal["mono", "bi", "trapezoid"]
FIT_MODELS: tuple[FitModel, ...] = ("mono", "bi", "trapezoid")
"""Models accepted by :func:`time_integrated_activity`."""

_CHUNK_VOXELS = 32768  # voxels fitted together (bounds memory; small arrays stay in cache)


class KineticsInputError(NucmedInputError):
    """Times or maps that a kinetics calculation cannot use."""


def _refused(template: str, **values: object) -> KineticsInputError:
    """A kinetics input error of one template marked with ``N_`` and its values."""
    return KineticsInputError(parts=((template, values),))


class FitFlag(IntEnum):
    """What happened in a voxel (the values of :attr:`TiaMap.flags`)."""

    OK = 0
    RATE_CLAMPED = 1  # the fitted clearance was slower than physical decay: λ = λ_phys
    TRAPEZOID_FALLBACK = 2  # a non-positive value: the trapezoid was used instead of the fit


@dataclass(frozen=True, slots=True, eq=False)
class TiaMap:
    """A time-integrated activity map and its fit quality.

    Parameters
    ----------
    model
        ``mono``, ``bi`` or ``trapezoid``.
    tia
        Time-integrated activity concentration per voxel, in Bq·s/m³ (float32).
    r_squared
        Coefficient of determination of the fit per voxel (NaN for the trapezoid).
    flags
        :class:`FitFlag` values per voxel (uint8).
    """

    model: FitModel
    tia: npt.NDArray[np.float32]
    r_squared: npt.NDArray[np.float32]
    flags: npt.NDArray[np.uint8]


def _checked(
    times_s: npt.ArrayLike, maps: npt.ArrayLike, physical_rate_per_s: float, minimum: int
) -> tuple[FloatArray, npt.NDArray[np.floating]]:
    times = np.asarray(times_s, dtype=np.float64)
    values = np.asarray(maps)
    if times.ndim != 1 or times.size < minimum:
        raise _refused(
            N_("need at least {minimum} time points, got {count}"),
            minimum=minimum,
            count=times.size,
        )
    if not (np.all(np.isfinite(times)) and np.all(times > 0) and np.all(np.diff(times) > 0)):
        raise _refused(N_("times must be finite, > 0 s after administration, increasing"))
    if values.shape[:1] != times.shape:
        raise _refused(
            N_("{times} times but {maps} maps"),
            times=times.size,
            maps=values.shape[0] if values.ndim else 0,
        )
    if not np.all(np.isfinite(values)):
        raise _refused(N_("activity maps hold NaN or infinite values"))
    if not (np.isfinite(physical_rate_per_s) and physical_rate_per_s > 0):
        raise _refused(N_("the physical decay constant must be > 0 per s"))
    return times, values


def _r_squared(values: npt.NDArray[np.floating], fitted: npt.NDArray[np.floating]) -> FloatArray:
    residual = np.sum(np.square(values - fitted.astype(values.dtype)), axis=0, dtype=np.float64)
    centred = values - np.mean(values, axis=0, dtype=values.dtype)
    total = np.sum(np.square(centred), axis=0, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 1.0 - residual / total, np.where(residual > 0, 0.0, 1.0))


def _trapezoid(times: FloatArray, values: FloatArray, rate: float) -> FloatArray:
    t = np.concatenate(([0.0], times))
    v = np.concatenate((np.zeros((1, *values.shape[1:])), values), axis=0)
    steps = (t[1:] - t[:-1]).reshape((-1,) + (1,) * (values.ndim - 1))
    area = np.sum(0.5 * (v[1:] + v[:-1]) * steps, axis=0)
    return np.asarray(area + np.maximum(values[-1], 0.0) / rate)


def trapezoid_map(
    times_s: npt.ArrayLike, maps: npt.ArrayLike, physical_rate_per_s: float
) -> TiaMap:
    """Integrate each voxel by trapezoids from (0, 0), then physical decay after the last point.

    Parameters
    ----------
    times_s
        Times after administration, in s, increasing, shape (T,).
    maps
        Activity concentrations, in Bq/m³, shape (T, ...).
    physical_rate_per_s
        Physical decay constant λ_phys of the nuclide, in 1/s.

    Returns
    -------
    TiaMap
        Ã in Bq·s/m³; R² is NaN (no fit).

    Raises
    ------
    KineticsInputError
        For fewer than 1 time, times not increasing and > 0, or maps of another length.

    Examples
    --------
    >>> tia = trapezoid_map([2.0], [[4.0]], 0.5).tia  # triangle 4 + tail 4/0.5
    >>> float(tia[0])
    12.0
    """
    times, values = _checked(times_s, maps, physical_rate_per_s, 1)
    tia = _trapezoid(times, values.astype(np.float64), physical_rate_per_s)
    shape = values.shape[1:]
    return TiaMap(
        "trapezoid", tia.astype(np.float32), np.full(shape, np.nan, np.float32),
        np.zeros(shape, np.uint8),
    )  # fmt: skip


def fit_mono_exponential_map(
    times_s: npt.ArrayLike, maps: npt.ArrayLike, physical_rate_per_s: float
) -> TiaMap:
    """Fit C₀·e^(−λt) to every voxel in closed form (least squares of ln C on t).

    Parameters
    ----------
    times_s
        Times after administration, in s, increasing, shape (T,), T ≥ 2.
    maps
        Activity concentrations, in Bq/m³, shape (T, ...).
    physical_rate_per_s
        λ_phys, in 1/s: the smallest clearance rate allowed.

    Returns
    -------
    TiaMap
        Ã = C₀/λ in Bq·s/m³, R² of the fit, flags (:class:`FitFlag`).

    Raises
    ------
    KineticsInputError
        For fewer than 2 times or inconsistent inputs.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.array([1.0, 2.0, 3.0])
    >>> out = fit_mono_exponential_map(t, 8.0 * np.exp(-0.5 * t)[:, None], 0.01)
    >>> round(float(out.tia[0]), 3), int(out.flags[0])
    (16.0, 0)
    """
    times, values = _checked(times_s, maps, physical_rate_per_s, 2)
    flat = values.reshape(times.size, -1)
    solve = np.linalg.pinv(np.stack([np.ones_like(times), -times], axis=1))
    tia, r2 = np.empty(flat.shape[1], np.float32), np.empty(flat.shape[1], np.float32)
    flags = np.empty(flat.shape[1], np.uint8)
    for start in range(0, flat.shape[1], _CHUNK_VOXELS):
        part = slice(start, start + _CHUNK_VOXELS)
        tia[part], r2[part], flags[part] = _mono_chunk(
            times, solve, flat[:, part].astype(np.float32), physical_rate_per_s
        )
    return _tia_map("mono", tia, r2, flags, values.shape[1:])


def _mono_chunk(
    times: FloatArray, solve: FloatArray, flat: npt.NDArray[np.float32], rate_min: float
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
    """One block of voxels: logs, exponentials and R² in float32 (7 digits, enough for the
    1e-5 the output keeps), the least-squares solve accumulated in float64."""
    positive = np.all(flat > 0, axis=0)
    # non-positive voxels are fitted on ones (a flat line, no overflow), then replaced below
    logs = np.log(flat if positive.all() else np.where(positive, flat, np.float32(1.0)))
    intercept, rate = solve @ logs
    clamped = rate < rate_min
    rate[clamped] = rate_min
    amplitude = np.exp(intercept)
    basis = np.exp(np.multiply.outer(-times.astype(np.float32), rate.astype(np.float32)))
    # with the rate clamped, the amplitude is the least-squares one at that rate
    at_rate = basis[:, clamped]
    amplitude[clamped] = np.sum(at_rate * flat[:, clamped], axis=0) / np.sum(at_rate**2, axis=0)
    tia = (amplitude / rate).astype(np.float32)
    r2 = _r_squared(flat, amplitude.astype(np.float32) * basis).astype(np.float32)
    flags = np.where(clamped, FitFlag.RATE_CLAMPED, FitFlag.OK).astype(np.uint8)
    fallback = ~positive
    if np.any(fallback):
        tia[fallback] = _trapezoid(times, flat[:, fallback].astype(np.float64), rate_min)
        r2[fallback], flags[fallback] = np.nan, FitFlag.TRAPEZOID_FALLBACK
    return tia, r2, flags


def _tia_map(
    model: FitModel, tia: npt.NDArray[np.floating], r2: npt.NDArray[np.floating],
    flags: npt.NDArray[np.integer],
    shape: tuple[int, ...],
) -> TiaMap:  # fmt: skip
    return TiaMap(
        model, tia.reshape(shape).astype(np.float32), r2.reshape(shape).astype(np.float32),
        flags.reshape(shape).astype(np.uint8),
    )  # fmt: skip


def fit_bi_exponential_map(
    times_s: npt.ArrayLike, maps: npt.ArrayLike, physical_rate_per_s: float
) -> TiaMap:
    """Fit C₀·(e^(−λ₁t) − e^(−λ₂t)) to every voxel (vectorised variable projection).

    Parameters
    ----------
    times_s
        Times after administration, in s, increasing, shape (T,), T ≥ 3.
    maps
        Activity concentrations, in Bq/m³, shape (T, ...).
    physical_rate_per_s
        λ_phys, in 1/s: the smallest clearance rate λ₁ allowed.

    Returns
    -------
    TiaMap
        Ã = C₀·(1/λ₁ − 1/λ₂) in Bq·s/m³, R², flags (:class:`FitFlag`).

    Raises
    ------
    KineticsInputError
        For fewer than 3 times or inconsistent inputs.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.array([1.0, 4.0, 24.0, 96.0, 168.0]) * 3600
    >>> c = 5e3 * (np.exp(-2e-6 * t) - np.exp(-1e-4 * t))
    >>> out = fit_bi_exponential_map(t, c[:, None], 1.2e-6)
    >>> round(float(out.tia[0]) / (5e3 * (1 / 2e-6 - 1 / 1e-4)), 3)
    1.0
    """
    times, values = _checked(times_s, maps, physical_rate_per_s, 3)
    flat = values.reshape(times.size, -1)
    tia, r2, flags = (np.empty(flat.shape[1]) for _ in range(3))
    for start in range(0, flat.shape[1], _CHUNK_VOXELS):
        part = slice(start, start + _CHUNK_VOXELS)
        tia[part], r2[part], flags[part] = _bi_chunk(
            times, flat[:, part].astype(np.float64), physical_rate_per_s
        )
    return _tia_map("bi", tia, r2, flags.astype(np.uint8), values.shape[1:])


def _bi_chunk(
    times: FloatArray, flat: FloatArray, rate_min: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    positive = np.all(flat > 0, axis=0)
    amplitude, slow, fast = grid_start(times, flat, rate_min)
    usable = positive & (amplitude > 0)
    params = np.stack([np.where(usable, amplitude, 1.0), slow, fast])
    a, l1, l2 = gauss_newton(times, flat, params, rate_min)
    fitted = a * (np.exp(-np.outer(times, l1)) - np.exp(-np.outer(times, l2)))
    tia = np.where(usable, a * (1 / l1 - 1 / l2), _trapezoid(times, flat, rate_min))
    clamped = l1 <= rate_min * (1 + 1e-9)
    flags = np.where(usable, np.where(clamped, FitFlag.RATE_CLAMPED, FitFlag.OK), 2)
    r2 = np.where(usable, _r_squared(flat, fitted), np.nan)
    return tia, r2, flags.astype(np.float64)


def time_integrated_activity(
    model: str, times_s: npt.ArrayLike, maps: npt.ArrayLike, physical_rate_per_s: float
) -> TiaMap:
    """Return the TIA map of ``maps`` with the chosen model (``mono``, ``bi``, ``trapezoid``).

    The same functions serve a VOI: pass its mean concentrations (or total activities) as a
    (T,) or (T, 1) array.

    Raises
    ------
    KineticsInputError
        For an unknown model, or the inputs the chosen function refuses.

    Examples
    --------
    >>> float(time_integrated_activity("trapezoid", [2.0], [4.0], 0.5).tia)
    12.0
    """
    if model == "mono":
        return fit_mono_exponential_map(times_s, maps, physical_rate_per_s)
    if model == "bi":
        return fit_bi_exponential_map(times_s, maps, physical_rate_per_s)
    if model == "trapezoid":
        return trapezoid_map(times_s, maps, physical_rate_per_s)
    raise _refused(
        N_("unknown fit '{model}'; allowed: {allowed}"),
        model=model[:20],
        allowed=", ".join(FIT_MODELS),
    )
