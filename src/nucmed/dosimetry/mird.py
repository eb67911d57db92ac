"""Organ-level MIRD dosimetry: time-activity curves, time-integrated activity and absorbed dose.

From the activity in an organ or tumour measured at three or more times after administration
(imaging or probe; activities as measured, *not* decay-corrected, times in s from
administration), this module gives the time-integrated activity Ã = ∫₀^∞ A(t) dt in Bq·s:

- :func:`fit_mono_exponential`: A(t) = A₀·e^(−λt);
- :func:`fit_bi_exponential`: ``form="uptake"``, A(t) = A₀·(e^(−λ₁t) − e^(−λ₂t)) with λ₂ > λ₁
  (uptake, then clearance; A(0) = 0), or ``form="clearance"``, A(t) = A₁·e^(−λ₁t) + A₂·e^(−λ₂t)
  (two-phase clearance, λ₂ > λ₁);
- :func:`trapezoid_with_tail`: trapezoids over the points, then physical decay from the last one.

Fits are weighted non-linear least squares (Levenberg-Marquardt, written here with numpy), on
log-transformed parameters so that amplitudes and rates stay positive. With ``uncertainties_bq``
the weights are 1/σ² and the covariance is (JᵀWJ)⁻¹; without them every point has the same
*relative* uncertainty (weights 1/A²) and the covariance is scaled by χ²/(n − p). The standard
uncertainty of Ã is propagated to first order from that covariance (GUM). Absorbed dose follows
the time-independent MIRD schema D(T) = Σ_S Ã(S)·S(T ← S); S-values: :mod:`.svalues`.
See ``docs/dosimetry/mird.md``.

References
----------
.. [1] W. E. Bolch et al., "MIRD Pamphlet No. 21: a generalized schema for radiopharmaceutical
   dosimetry - standardization of nomenclature", J. Nucl. Med. 50, 477-484 (2009).
.. [2] K. Levenberg, Q. Appl. Math. 2, 164 (1944); D. W. Marquardt, J. SIAM 11, 431 (1963).
.. [3] JCGM 100:2008 (GUM), section 5.1.2: law of propagation of uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt

from nucmed import units
from nucmed.errors import N_, Message, NucmedInputError, Word
from nucmed.physics.decay import decay_activity
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "BI_EXPONENTIAL_FORMS",
    "TRAPEZOID_ORIGINS",
    "TacFit",
    "TacInputError",
    "absorbed_dose_gy",
    "absorbed_dose_uncertainty_gy",
    "elapsed_s",
    "fit_bi_exponential",
    "fit_mono_exponential",
    "trapezoid_with_tail",
]

FloatArray = npt.NDArray[np.float64]
_Curve = Callable[[FloatArray], FloatArray]

BI_EXPONENTIAL_FORMS = ("uptake", "clearance")
"""Forms accepted by :func:`fit_bi_exponential`."""

TRAPEZOID_ORIGINS = ("zero", "hold", "none")
"""How :func:`trapezoid_with_tail` treats the time from administration to the first point."""

_MIN_POINTS = 3
_MAX_ITERATIONS = 200
_STEP = 1e-6  # relative step of the central differences, in the log-parameters
_GRID = 48  # rates tried per axis for the starting values
_MAX_DAMPING = 1e12


class TacInputError(NucmedInputError):
    """Times, activities or uncertainties that a time-activity calculation cannot use."""


def _refused(template: str, **values: object) -> TacInputError:
    """A time-activity input error made of one template marked with ``N_`` and its values."""
    return TacInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True, eq=False)
class TacFit:
    """A time-activity curve and its time-integrated activity.

    Parameters
    ----------
    model
        ``mono-exponential``, ``bi-exponential uptake``, ``bi-exponential clearance`` or
        ``trapezoid with physical tail``.
    parameters
        Named parameters, the unit in the name (``a0_bq``, ``lambda_eff_per_s``, ...).
    parameter_uncertainties
        Standard uncertainties of ``parameters`` (same names and units); None when unknown.
    tia_bq_s
        Time-integrated activity from administration to infinity, in Bq·s.
    tia_uncertainty_bq_s
        Its standard uncertainty, in Bq·s; None when unknown (an exact fit without given
        uncertainties, or a trapezoid without them).
    times_s, activities_bq
        The measured points, in s from administration and Bq.
    residuals_bq
        Measured minus fitted activity at the measured times, in Bq.
    notes
        Warnings about the data or the fit, for the report: each an English line that keeps
        its translatable template and values (:class:`~nucmed.errors.Message`).
    curve_function
        The fitted A(t); call :meth:`curve` instead.

    Examples
    --------
    >>> fit = fit_mono_exponential([3600.0, 86400.0, 259200.0], [90e6, 60e6, 25e6])
    >>> fit.model, round(fit.parameters["effective_half_life_s"] / 3600, 1)
    ('mono-exponential', 38.4)
    """

    model: str
    parameters: Mapping[str, float]
    parameter_uncertainties: Mapping[str, float] | None
    tia_bq_s: float
    tia_uncertainty_bq_s: float | None
    times_s: FloatArray
    activities_bq: FloatArray
    residuals_bq: FloatArray
    notes: tuple[Message, ...]
    curve_function: _Curve

    def curve(self, times_s: npt.ArrayLike) -> FloatArray:
        """Return the curve's activity at ``times_s`` (s from administration), in Bq.

        NaN where the curve is not defined (before the first point of a trapezoid started
        there).
        """
        return self.curve_function(np.atleast_1d(np.asarray(times_s, dtype=np.float64)))


@dataclass(frozen=True, slots=True)
class _Model:
    name: str
    names: tuple[str, ...]
    value: Callable[[FloatArray, FloatArray], FloatArray]
    tia: Callable[[FloatArray], float]
    natural: Callable[[FloatArray], FloatArray]


def _mono(theta: FloatArray, t: FloatArray) -> FloatArray:
    value: FloatArray = np.exp(theta[0] - np.exp(theta[1]) * t)
    return value


def _uptake(theta: FloatArray, t: FloatArray) -> FloatArray:
    slow = np.exp(theta[1])
    value: FloatArray = np.exp(theta[0]) * (
        np.exp(-slow * t) - np.exp(-(slow + np.exp(theta[2])) * t)
    )
    return value


def _clearance(theta: FloatArray, t: FloatArray) -> FloatArray:
    slow = np.exp(theta[1])
    fast = slow + np.exp(theta[3])
    value: FloatArray = np.exp(theta[0] - slow * t) + np.exp(theta[2] - fast * t)
    return value


def _rates(theta: FloatArray, slow: int, gap: int) -> tuple[float, float]:
    low = math.exp(theta[slow])
    return low, low + math.exp(theta[gap])


_MONO = _Model(
    "mono-exponential",
    ("a0_bq", "lambda_eff_per_s", "effective_half_life_s"),
    _mono,
    lambda th: math.exp(th[0] - th[1]),
    lambda th: np.array([math.exp(th[0]), math.exp(th[1]), math.log(2.0) / math.exp(th[1])]),
)
_UPTAKE = _Model(
    "bi-exponential uptake",
    ("a0_bq", "lambda_clearance_per_s", "lambda_uptake_per_s"),
    _uptake,
    lambda th: math.exp(th[0]) * (1.0 / _rates(th, 1, 2)[0] - 1.0 / _rates(th, 1, 2)[1]),
    lambda th: np.array([math.exp(th[0]), *_rates(th, 1, 2)]),
)
_CLEARANCE = _Model(
    "bi-exponential clearance",
    ("a_slow_bq", "lambda_slow_per_s", "a_fast_bq", "lambda_fast_per_s"),
    _clearance,
    lambda th: math.exp(th[0]) / _rates(th, 1, 3)[0] + math.exp(th[2]) / _rates(th, 1, 3)[1],
    lambda th: np.array(
        [math.exp(th[0]), _rates(th, 1, 3)[0], math.exp(th[2]), _rates(th, 1, 3)[1]]
    ),
)


def _array(name: str, values: npt.ArrayLike) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise _refused(
            N_("{name} must be numbers, got {values}"), name=Word(name), values=repr(values)
        ) from error
    if array.ndim != 1 or not np.all(np.isfinite(array)):
        raise _refused(N_("{name} must be a flat list of finite numbers"), name=Word(name))
    return array


def _validated(
    times_s: npt.ArrayLike,
    activities_bq: npt.ArrayLike,
    uncertainties_bq: npt.ArrayLike | None,
    *,
    minimum: int,
    positive: bool,
) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    t = _array(N_("times"), times_s)
    a = _array(N_("activities"), activities_bq)
    if t.size != a.size:
        raise _refused(
            N_("{times} times but {activities} activities; give one time per activity"),
            times=t.size,
            activities=a.size,
        )
    if t.size < minimum:
        raise _refused(
            N_("{count} points given; this calculation needs {minimum} or more"),
            count=t.size,
            minimum=minimum,
        )
    if np.any(t < 0) or np.any(np.diff(t) <= 0):
        raise _refused(N_("times must be 0 s or later and strictly increasing"))
    if np.any(a < 0) or (positive and np.any(a <= 0)):
        raise _refused(
            N_("activities must be above 0 Bq for an exponential fit")
            if positive
            else N_("activities must be 0 Bq or more")
        )
    if uncertainties_bq is None:
        return t, a, None
    sigma = _array(N_("uncertainties"), uncertainties_bq)
    if sigma.size != a.size or np.any(sigma <= 0):
        raise _refused(N_("give one uncertainty above 0 Bq per activity"))
    return t, a, sigma


def _jacobian(function: Callable[[FloatArray], FloatArray], theta: FloatArray) -> FloatArray:
    """Central differences of ``function`` with respect to each component of ``theta``."""
    columns = []
    for k in range(theta.size):
        step = _STEP * max(1.0, abs(float(theta[k])))
        up, down = theta.copy(), theta.copy()
        up[k] += step
        down[k] -= step
        columns.append((function(up) - function(down)) / (2.0 * step))
    return np.stack(columns, axis=-1)


def _levenberg_marquardt(
    residuals: Callable[[FloatArray], FloatArray], theta: FloatArray
) -> tuple[FloatArray, bool]:
    """Minimise the sum of squared ``residuals``; return the parameters and convergence."""
    r = residuals(theta)
    cost = float(r @ r)
    damping = 1e-3
    for _ in range(_MAX_ITERATIONS):
        jac = _jacobian(residuals, theta)
        normal = jac.T @ jac
        scaled = normal + damping * np.diag(np.diag(normal) + 1e-300)
        step = np.linalg.lstsq(scaled, -(jac.T @ r), rcond=None)[0]
        trial = theta + step
        r_trial = residuals(trial)
        cost_trial = float(r_trial @ r_trial)
        if math.isfinite(cost_trial) and cost_trial <= cost:
            theta, r, cost = trial, r_trial, cost_trial
            damping = max(damping / 10.0, 1e-12)
            if float(np.linalg.norm(step)) <= 1e-12 * (1.0 + float(np.linalg.norm(theta))):
                return theta, True
        else:
            damping *= 10.0
            if damping > _MAX_DAMPING:  # no step lowers the cost: the minimum, to precision
                return theta, True
    return theta, False


def _fit(
    model: _Model, theta0: FloatArray, t: FloatArray, a: FloatArray, sigma: FloatArray | None
) -> TacFit:
    weights = a if sigma is None else sigma

    def residuals(theta: FloatArray) -> FloatArray:
        with np.errstate(over="ignore", invalid="ignore"):
            return (a - model.value(theta, t)) / weights

    theta, converged = _levenberg_marquardt(residuals, theta0)
    notes: tuple[Message, ...] = ()
    if not converged:
        notes = (
            Message.of_parts(
                (N_("no convergence in {iterations} iterations"), {"iterations": _MAX_ITERATIONS})
            ),
        )
    cov = _covariance(residuals, theta, scale=sigma is None)
    names = model.names
    values = model.natural(theta)
    p_unc: dict[str, float] | None = None
    tia_unc: float | None = None
    if cov is None:
        notes += (
            Message.of_parts(
                (N_("uncertainty unknown: as many points as parameters, or a singular fit"), {})
            ),
        )
    else:
        gradient = _jacobian(lambda th: np.atleast_1d(model.tia(th)), theta)
        tia_unc = float(math.sqrt(float((gradient @ cov @ gradient.T)[0, 0])))
        g_natural = _jacobian(model.natural, theta)
        spread = np.sqrt(np.diag(g_natural @ cov @ g_natural.T))
        p_unc = dict(zip(names, (float(u) for u in spread), strict=True))
    fitted = np.array(theta, copy=True)
    return TacFit(
        model.name, dict(zip(names, (float(v) for v in values), strict=True)), p_unc,
        model.tia(theta), tia_unc, t, a, a - model.value(theta, t), notes,
        lambda times: model.value(fitted, times),
    )  # fmt: skip


def _covariance(
    residuals: Callable[[FloatArray], FloatArray], theta: FloatArray, *, scale: bool
) -> FloatArray | None:
    r = residuals(theta)
    dof = r.size - theta.size
    if scale and dof <= 0:
        return None
    jac = _jacobian(residuals, theta)
    try:
        cov = np.linalg.inv(jac.T @ jac)
    except np.linalg.LinAlgError:
        return None
    if scale:
        cov = cov * (float(r @ r) / dof)
    return np.asarray(cov, dtype=np.float64) if np.all(np.isfinite(cov)) else None


def _rate_grid(t: FloatArray) -> FloatArray:
    first = float(t[t > 0][0])
    return np.geomspace(0.02 / float(t[-1]), 20.0 / first, _GRID)


def _best(cost: FloatArray, what: str) -> int:
    if not np.any(np.isfinite(cost)):
        raise _refused(
            N_("no {what} with positive amplitudes fits these activities"), what=Word(what)
        )
    return int(np.nanargmin(cost))


def _uptake_start(t: FloatArray, a: FloatArray, w: FloatArray) -> FloatArray:
    slow, fast = np.meshgrid(_rate_grid(t), _rate_grid(t), indexing="ij")
    keep = fast > slow
    slow, fast = slow[keep], fast[keep]
    basis = np.exp(-np.outer(slow, t)) - np.exp(-np.outer(fast, t))
    amplitude = (basis * w * a).sum(axis=1) / (basis**2 * w).sum(axis=1)
    cost = ((a - amplitude[:, None] * basis) ** 2 * w).sum(axis=1)
    k = _best(np.where(amplitude > 0, cost, np.nan), N_("uptake-and-clearance curve"))
    return np.log([amplitude[k], slow[k], fast[k] - slow[k]])


def _clearance_start(t: FloatArray, a: FloatArray, w: FloatArray) -> FloatArray:
    slow, fast = np.meshgrid(_rate_grid(t), _rate_grid(t), indexing="ij")
    keep = fast > slow
    e1, e2 = np.exp(-np.outer(slow[keep], t)), np.exp(-np.outer(fast[keep], t))
    s11, s22, s12 = (e1 * e1 * w).sum(1), (e2 * e2 * w).sum(1), (e1 * e2 * w).sum(1)
    b1, b2 = (e1 * w * a).sum(1), (e2 * w * a).sum(1)
    det = s11 * s22 - s12**2
    with np.errstate(divide="ignore", invalid="ignore"):
        a1, a2 = (s22 * b1 - s12 * b2) / det, (s11 * b2 - s12 * b1) / det
        cost = ((a - a1[:, None] * e1 - a2[:, None] * e2) ** 2 * w).sum(axis=1)
    ok = (a1 > 0) & (a2 > 0) & (det > 1e-12 * s11 * s22)
    k = _best(np.where(ok, cost, np.nan), N_("two-phase clearance"))
    return np.log([a1[k], slow[keep][k], a2[k], fast[keep][k] - slow[keep][k]])


def _physical_note(nuclide: str | None, slowest_per_s: float) -> tuple[Message, ...]:
    if nuclide is None:
        return ()
    physical = get_nuclide(nuclide)
    if slowest_per_s >= physical.decay_constant_per_s:
        return ()
    days = units.SECONDS_PER_DAY
    note = N_(
        "effective half-life {effective} d is longer than the physical half-life of {nuclide} "
        "({physical} d): were the activities decay-corrected? They must not be"
    )
    values = {
        "effective": float(f"{math.log(2.0) / slowest_per_s / days:.3g}"),
        "nuclide": physical.name,
        "physical": float(f"{physical.half_life_s / days:.4g}"),
    }
    return (Message.of_parts((note, values)),)


def fit_mono_exponential(
    times_s: npt.ArrayLike,
    activities_bq: npt.ArrayLike,
    *,
    uncertainties_bq: npt.ArrayLike | None = None,
    nuclide: str | None = None,
) -> TacFit:
    """Fit A(t) = A₀·e^(−λt) and integrate it from administration to infinity: Ã = A₀/λ.

    Parameters
    ----------
    times_s
        Times of the measurements, in s from administration (3 or more, increasing).
    activities_bq
        Activities measured (not decay-corrected), in Bq; above 0.
    uncertainties_bq
        Standard uncertainties of the activities, in Bq; default: equal relative uncertainty,
        estimated from the scatter of the points.
    nuclide
        The nuclide; when given, an effective half-life longer than the physical one is noted.

    Returns
    -------
    TacFit
        ``a0_bq`` (Bq), ``lambda_eff_per_s`` (s⁻¹), ``effective_half_life_s`` (s) and Ã (Bq·s).

    Raises
    ------
    TacInputError
        For fewer than 3 points, times not increasing, activities not above 0, or activities
        that do not fall with time.

    References
    ----------
    .. [1] Bolch et al., J. Nucl. Med. 50, 477 (2009).

    Examples
    --------
    >>> t = np.array([4.0, 24.0, 96.0, 168.0]) * 3600
    >>> fit = fit_mono_exponential(t, 1e9 * np.exp(-1e-5 * t))
    >>> round(fit.tia_bq_s / 1e14, 6), round(fit.parameters["lambda_eff_per_s"] * 1e5, 6)
    (1.0, 1.0)
    """
    t, a, sigma = _validated(
        times_s, activities_bq, uncertainties_bq, minimum=_MIN_POINTS, positive=True
    )
    w = (a / (a if sigma is None else sigma)) ** 2  # weights of log(A): 1/(σ/A)²
    design = np.stack([np.ones_like(t), t], axis=1) * np.sqrt(w)[:, None]
    intercept, slope = np.linalg.lstsq(design, np.log(a) * np.sqrt(w), rcond=None)[0]
    if slope >= 0:
        raise _refused(
            N_(
                "the activities do not fall with time, so no clearance half-life can be "
                "fitted; use fit_bi_exponential(form='uptake') or trapezoid_with_tail"
            )
        )
    fit = _fit(_MONO, np.array([intercept, math.log(-slope)]), t, a, sigma)
    notes = _physical_note(nuclide, fit.parameters["lambda_eff_per_s"])
    return _with_notes(fit, notes)


def fit_bi_exponential(
    times_s: npt.ArrayLike,
    activities_bq: npt.ArrayLike,
    *,
    form: str = "uptake",
    uncertainties_bq: npt.ArrayLike | None = None,
    nuclide: str | None = None,
) -> TacFit:
    """Fit a bi-exponential time-activity curve and integrate it to infinity.

    ``form="uptake"``: A(t) = A₀·(e^(−λ₁t) − e^(−λ₂t)), λ₂ > λ₁, Ã = A₀·(1/λ₁ − 1/λ₂); 3
    parameters, 3 or more points. ``form="clearance"``: A(t) = A₁·e^(−λ₁t) + A₂·e^(−λ₂t),
    λ₂ > λ₁, Ã = A₁/λ₁ + A₂/λ₂; 4 parameters, 4 or more points. With exactly as many points as
    parameters and no uncertainties given the fit is exact and its uncertainty unknown.

    Parameters
    ----------
    times_s
        Times of the measurements, in s from administration (increasing).
    activities_bq
        Activities measured (not decay-corrected), in Bq; above 0.
    form
        ``uptake`` or ``clearance``.
    uncertainties_bq
        Standard uncertainties of the activities, in Bq; default: equal relative uncertainty.
    nuclide
        The nuclide; when given, a slowest half-life longer than the physical one is noted.

    Returns
    -------
    TacFit
        Uptake: ``a0_bq``, ``lambda_clearance_per_s``, ``lambda_uptake_per_s``. Clearance:
        ``a_slow_bq``, ``lambda_slow_per_s``, ``a_fast_bq``, ``lambda_fast_per_s``. Ã in Bq·s.

    Raises
    ------
    TacInputError
        For an unknown form, too few points, bad times or activities, or data that no curve of
        the form with positive amplitudes fits.

    Examples
    --------
    >>> t = np.array([1.0, 4.0, 24.0, 72.0, 168.0]) * 3600
    >>> a = 1e9 * (np.exp(-4e-6 * t) - np.exp(-1e-4 * t))
    >>> fit = fit_bi_exponential(t, a, form="uptake")
    >>> round(fit.tia_bq_s / (1e9 * (1 / 4e-6 - 1 / 1e-4)), 6)
    1.0
    """
    if form not in BI_EXPONENTIAL_FORMS:
        raise _refused(
            N_("unknown form '{form}'; allowed: {allowed}"),
            form=form,
            allowed=", ".join(BI_EXPONENTIAL_FORMS),
        )
    minimum = 3 if form == "uptake" else 4
    t, a, sigma = _validated(
        times_s, activities_bq, uncertainties_bq, minimum=minimum, positive=True
    )
    w = 1.0 / (a if sigma is None else sigma) ** 2
    if form == "uptake":
        fit = _fit(_UPTAKE, _uptake_start(t, a, w), t, a, sigma)
        slowest = fit.parameters["lambda_clearance_per_s"]
    else:
        fit = _fit(_CLEARANCE, _clearance_start(t, a, w), t, a, sigma)
        slowest = fit.parameters["lambda_slow_per_s"]
    return _with_notes(fit, _physical_note(nuclide, slowest))


def _with_notes(fit: TacFit, notes: tuple[Message, ...]) -> TacFit:
    return replace(fit, notes=fit.notes + notes) if notes else fit


def _trapezoid_weights(t: FloatArray, origin: str) -> tuple[FloatArray, float]:
    """Weights w with Σ wᵢAᵢ = trapezoid area over the points and the origin; the start time."""
    knots = t if origin == "none" or t[0] == 0 else np.concatenate([[0.0], t])
    widths = np.diff(knots)
    knot_w = np.zeros(knots.size)
    knot_w[:-1] += widths / 2.0
    knot_w[1:] += widths / 2.0
    weights = knot_w[knots.size - t.size :].copy()
    if origin == "hold" and knots.size > t.size:
        weights[0] += knot_w[0]  # A(0) taken equal to the first measurement
    return weights, float(knots[0])


def trapezoid_with_tail(
    times_s: npt.ArrayLike,
    activities_bq: npt.ArrayLike,
    nuclide: str,
    *,
    origin: str = "zero",
    uncertainties_bq: npt.ArrayLike | None = None,
) -> TacFit:
    """Integrate by trapezoids over the points, then by physical decay after the last point.

    Ã = Σ trapezoids + A_last/λ_phys. The time from administration to the first point is
    covered as ``origin`` says: ``zero``, A(0) = 0 (uptake from nothing); ``hold``,
    A(0) = A(first point); ``none``, not covered (Ã from the first point on).

    Parameters
    ----------
    times_s
        Times of the measurements, in s from administration (3 or more, increasing).
    activities_bq
        Activities measured (not decay-corrected), in Bq; 0 or more.
    nuclide
        The radionuclide, whose ICRP-107 half-life gives the tail.
    origin
        ``zero``, ``hold`` or ``none``.
    uncertainties_bq
        Standard uncertainties of the activities, in Bq; when given, propagated to Ã
        (independent points); otherwise Ã's uncertainty is unknown.

    Returns
    -------
    TacFit
        ``lambda_physical_per_s``, ``trapezoid_bq_s``, ``tail_bq_s`` and Ã, in Bq·s.

    Raises
    ------
    TacInputError
        For bad points, an unknown origin or a stable nuclide.

    Examples
    --------
    >>> fit = trapezoid_with_tail([3600.0, 7200.0, 10800.0], [2e6, 2e6, 1e6], "F-18")
    >>> round(fit.parameters["tail_bq_s"] / 1e6, 1)  # 1 MBq x T½ / ln 2, T½ = 6586.2 s
    9501.9
    """
    if origin not in TRAPEZOID_ORIGINS:
        raise _refused(
            N_("unknown origin '{origin}'; allowed: {allowed}"),
            origin=origin,
            allowed=", ".join(TRAPEZOID_ORIGINS),
        )
    t, a, sigma = _validated(
        times_s, activities_bq, uncertainties_bq, minimum=_MIN_POINTS, positive=False
    )
    physical = get_nuclide(nuclide)
    if physical.is_stable:
        raise _refused(
            N_("{name} is stable; a physical-decay tail needs decay"), name=physical.name
        )
    weights, start = _trapezoid_weights(t, origin)
    weights[-1] += 1.0 / physical.decay_constant_per_s
    tia = float(weights @ a)
    tail = float(a[-1] / physical.decay_constant_per_s)
    unc = None if sigma is None else float(math.sqrt(float((weights * sigma) @ (weights * sigma))))
    knots_t = t if start == t[0] else np.concatenate([[start], t])
    knots_a = a if start == t[0] else np.concatenate([[a[0] if origin == "hold" else 0.0], a])

    def curve(times: FloatArray) -> FloatArray:
        inside = np.interp(times, knots_t, knots_a)
        after = decay_activity(float(a[-1]), physical.half_life_s, times - t[-1])
        return np.where(times < start, np.nan, np.where(times > t[-1], after, inside))

    parameters = {
        "lambda_physical_per_s": physical.decay_constant_per_s,
        "trapezoid_bq_s": tia - tail,
        "tail_bq_s": tail,
    }
    return TacFit(
        "trapezoid with physical tail", parameters, None, tia, unc, t, a, np.zeros_like(a),
        (), curve,
    )  # fmt: skip


def elapsed_s(moments: Sequence[datetime], administration: datetime) -> FloatArray:
    """Return the seconds from administration to each moment, refusing naive datetimes.

    Parameters
    ----------
    moments
        Timezone-aware times of the measurements.
    administration
        Timezone-aware time of administration.

    Returns
    -------
    ndarray
        Elapsed times, in s.

    Raises
    ------
    TacInputError
        If any datetime has no time zone.

    Examples
    --------
    >>> from datetime import UTC
    >>> start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> elapsed_s([datetime(2026, 3, 3, 9, tzinfo=UTC)], start)
    array([86400.])
    """
    for moment in (administration, *moments):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise _refused(
                N_("time {moment} has no time zone; give an offset, e.g. +05:00 or Z"),
                moment=moment.isoformat(),
            )
    return np.array([(m - administration).total_seconds() for m in moments], dtype=np.float64)


def _sources(
    tia_bq_s: float | Sequence[float], s_value_gy_per_bq_s: float | Sequence[float]
) -> tuple[FloatArray, FloatArray]:
    tia = np.atleast_1d(np.asarray(tia_bq_s, dtype=np.float64))
    s = np.atleast_1d(np.asarray(s_value_gy_per_bq_s, dtype=np.float64))
    if tia.shape != s.shape or tia.ndim != 1:
        raise _refused(N_("give one S-value per source region's time-integrated activity"))
    for name, values in ((N_("time-integrated activity"), tia), (N_("S-value"), s)):
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise _refused(N_("each {name} must be a finite number, 0 or more"), name=Word(name))
    return tia, s


def absorbed_dose_gy(
    tia_bq_s: float | Sequence[float], s_value_gy_per_bq_s: float | Sequence[float]
) -> float:
    """Return the mean absorbed dose to a target, D = Σ_S Ã(S)·S(T ← S) (MIRD schema).

    Parameters
    ----------
    tia_bq_s
        Time-integrated activity in each source region, in Bq·s (one number for self-dose).
    s_value_gy_per_bq_s
        S(target ← source) for each source region, in Gy/(Bq·s).

    Returns
    -------
    float
        Absorbed dose, in Gy.

    Raises
    ------
    TacInputError
        For negative or non-finite numbers, or a different number of Ã and S values.

    References
    ----------
    .. [1] Bolch et al., J. Nucl. Med. 50, 477 (2009), time-independent form.

    Examples
    --------
    >>> round(absorbed_dose_gy(4.0e14, 7.76e-14), 2)  # Lu-177 kidneys, OLINDA 2 male S
    31.04
    """
    tia, s = _sources(tia_bq_s, s_value_gy_per_bq_s)
    return float(tia @ s)


def absorbed_dose_uncertainty_gy(
    tia_bq_s: float | Sequence[float],
    s_value_gy_per_bq_s: float | Sequence[float],
    tia_uncertainty_bq_s: float | Sequence[float],
    s_value_uncertainty_gy_per_bq_s: float | Sequence[float] = 0.0,
) -> float:
    """Return the standard uncertainty of :func:`absorbed_dose_gy`, independent inputs (GUM).

    u(D)² = Σ_S [S·u(Ã)]² + [Ã·u(S)]².

    Parameters
    ----------
    tia_bq_s, s_value_gy_per_bq_s
        As for :func:`absorbed_dose_gy`.
    tia_uncertainty_bq_s
        Standard uncertainty of each Ã, in Bq·s.
    s_value_uncertainty_gy_per_bq_s
        Standard uncertainty of each S-value, in Gy/(Bq·s); default 0.

    Returns
    -------
    float
        Standard uncertainty of the absorbed dose, in Gy.

    Examples
    --------
    >>> round(absorbed_dose_uncertainty_gy(4.0e14, 7.76e-14, 0.4e14), 3)
    3.104
    """
    tia, s = _sources(tia_bq_s, s_value_gy_per_bq_s)
    u_tia = np.broadcast_to(np.asarray(tia_uncertainty_bq_s, dtype=np.float64), tia.shape)
    u_s = np.broadcast_to(np.asarray(s_value_uncertainty_gy_per_bq_s, dtype=np.float64), s.shape)
    return float(math.sqrt(float(((s * u_tia) ** 2 + (tia * u_s) ** 2).sum())))
