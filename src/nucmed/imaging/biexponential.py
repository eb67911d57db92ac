"""The bi-exponential (uptake then clearance) least-squares fit of many voxels at once.

C(t) = C₀·(e^(−λ₁t) − e^(−λ₂t)) with λ₂ > λ₁ ≥ λ_min is fitted by variable projection: for
each pair of rates on a logarithmic grid the best amplitude is linear and closed-form [1]_, the
best pair is kept per voxel (:func:`grid_start`); then a few Marquardt-damped Gauss-Newton steps
on the logarithms of (C₀, λ₁, λ₂) refine all voxels together, each 3×3 normal-equation system
solved in closed form (:func:`gauss_newton`). Arrays in, arrays out, numpy only; the TIA maps
and the fallbacks are :mod:`nucmed.imaging.kinetics`.

References
----------
.. [1] G. H. Golub and V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least
   squares problems whose variables separate", SIAM J. Numer. Anal. 10, 413-432 (1973).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["GAUSS_NEWTON_STEPS", "GRID_RATES", "gauss_newton", "grid_start"]

FloatArray = npt.NDArray[np.float64]

GRID_RATES = 16
"""Rates per axis of the starting grid (GRID_RATES·(GRID_RATES − 1)/2 pairs)."""
GAUSS_NEWTON_STEPS = 10
"""Most refinement steps (fewer when no voxel improves)."""
_DAMPING = 1e-3  # Marquardt scaling of the diagonal
_RATE_SPAN = 1e3  # the grid spans λ_min to 1000·λ_min... and 1/t_first beyond


def _uptake_basis(times: FloatArray, slow: FloatArray, fast: FloatArray) -> FloatArray:
    return np.asarray(
        np.exp(-np.multiply.outer(times, slow)) - np.exp(-np.multiply.outer(times, fast))
    )


def grid_start(
    times: FloatArray, flat: FloatArray, rate_min: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The starting point of every voxel: the pair of rates (λ₁ < λ₂) of a logarithmic grid from
    ``rate_min`` up whose least-squares amplitude (closed form for fixed rates) leaves the
    smallest residual, and that amplitude (0 when only a negative one fits).

    Parameters
    ----------
    times
        Times after administration, in s, shape (T,).
    flat
        Activity concentrations, shape (T, N): one column per voxel.
    rate_min
        The smallest rate on the grid, 1/s (the physical decay constant).

    Returns
    -------
    tuple of numpy.ndarray
        Amplitude C₀ (the unit of ``flat``), λ₁ and λ₂ (1/s), each shape (N,).
    """
    rates = rate_min * np.geomspace(1.0, max(_RATE_SPAN, 50.0 / (rate_min * times[0])), GRID_RATES)
    slow_idx, fast_idx = np.triu_indices(rates.size, k=1)
    basis = _uptake_basis(times, rates[slow_idx], rates[fast_idx])  # (T, P)
    norms = np.sum(basis**2, axis=0)  # (P,)
    projections = flat.T @ basis  # (N, P): the pairs of a voxel side by side
    # residual = |y|² − (bᵀy)²/|b|²; a negative amplitude is no better than none (score 0)
    score = np.maximum(projections, 0.0)
    np.square(score, out=score)
    score *= 1.0 / norms
    best = np.argmax(score, axis=1)
    amplitude = np.maximum(projections[np.arange(flat.shape[1]), best] / norms[best], 0.0)
    return amplitude, rates[slow_idx][best], rates[fast_idx][best]


def _solve3(jac: FloatArray, residual: FloatArray) -> FloatArray:
    """Solve the 3×3 normal equations of every voxel at once (adjugate over determinant, the
    matrix symmetric), Marquardt-damped."""
    m: FloatArray = np.einsum("itn,jtn->ijn", jac, jac, optimize=True)
    m[[0, 1, 2], [0, 1, 2]] *= 1.0 + _DAMPING
    g: FloatArray = np.einsum("itn,tn->in", jac, residual, optimize=True)
    c00 = m[1, 1] * m[2, 2] - m[1, 2] ** 2
    c01 = m[0, 2] * m[1, 2] - m[0, 1] * m[2, 2]
    c02 = m[0, 1] * m[1, 2] - m[0, 2] * m[1, 1]
    c11 = m[0, 0] * m[2, 2] - m[0, 2] ** 2
    c12 = m[0, 1] * m[0, 2] - m[0, 0] * m[1, 2]
    c22 = m[0, 0] * m[1, 1] - m[0, 1] ** 2
    det = m[0, 0] * c00 + m[0, 1] * c01 + m[0, 2] * c02
    det = np.where(np.abs(det) > 0, det, np.inf)
    return np.stack([
        (c00 * g[0] + c01 * g[1] + c02 * g[2]) / det,
        (c01 * g[0] + c11 * g[1] + c12 * g[2]) / det,
        (c02 * g[0] + c12 * g[1] + c22 * g[2]) / det,
    ])  # fmt: skip


def _uptake(times: FloatArray, logp: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    a, l1, l2 = np.exp(logp)
    e1, e2 = np.exp(-np.outer(times, l1)), np.exp(-np.outer(times, l2))
    return a * (e1 - e2), e1, e2


def gauss_newton(
    times: FloatArray, flat: FloatArray, params: FloatArray, rate_min: float
) -> FloatArray:
    """Refine (C₀, λ₁, λ₂) per voxel with damped Gauss-Newton steps on log-parameters.

    Parameters
    ----------
    times
        Times after administration, in s, shape (T,).
    flat
        Activity concentrations, shape (T, N).
    params
        Starting (C₀, λ₁, λ₂) per voxel, shape (3, N), all > 0 (rates in 1/s).
    rate_min
        λ₁ is kept at or above this rate, 1/s; λ₂ above λ₁.

    Returns
    -------
    numpy.ndarray
        The refined (C₀, λ₁, λ₂), shape (3, N); a voxel keeps its start if no step improves it.
    """
    logp = np.log(params)
    model, e1, e2 = _uptake(times, logp)
    cost = np.sum((flat - model) ** 2, axis=0)
    for _ in range(GAUSS_NEWTON_STEPS):
        a, l1, l2 = np.exp(logp)
        jac = np.stack([model, -a * l1 * times[:, None] * e1, a * l2 * times[:, None] * e2])
        trial = logp + np.clip(_solve3(jac, flat - model), -1.0, 1.0)
        trial[1] = np.maximum(trial[1], np.log(rate_min))
        trial[2] = np.maximum(trial[2], trial[1] + 1e-3)
        t_model, t_e1, t_e2 = _uptake(times, trial)
        t_cost = np.sum((flat - t_model) ** 2, axis=0)
        better = t_cost < cost
        logp = np.where(better, trial, logp)
        model, e1, e2 = (
            np.where(better, new, old) for new, old in ((t_model, model), (t_e1, e1), (t_e2, e2))
        )
        cost = np.minimum(cost, t_cost)
        if not np.any(better):
            break  # no voxel improved: every one has converged or stalled
    return np.exp(logp)
