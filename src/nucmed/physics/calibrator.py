"""Dose calibrator (radionuclide calibrator) quality control: the four classic tests.

Pure evaluations of readings a user has taken; nothing is stored or scheduled here. SI inside
(Bq, s); deviations are fractions (0.05 is 5 %). Every expected activity comes from
:class:`nucmed.physics.decay.Activity` (ICRP-107 half-lives), never from a local decay formula.

- **Constancy** (daily, long-lived check source: Cs-137, Co-57, Ba-133): deviation of the
  background-corrected reading from the certified activity decayed to the reading time.
- **Accuracy** (reference sources): deviation of the mean of repeated readings from the decayed
  certified activity; precision max |Aᵢ − Ā| / Ā (IAEA operational-check procedure [3]_).
- **Linearity**, decay method: ln A against t fitted with λ fixed (ICRP-107) or free; each
  reading's deviation from the fit and the fitted half-life. Shield (sleeve) method: factors
  Fₖ = A_unshielded / A_shielded,k and the deviation of Aₖ · Fₖ from the unshielded reading.
- **Geometry**: correction factor CF = A_reference / A_measured per volume or container,
  flagged when |1 − CF| exceeds the tolerance.

Tolerances are :class:`Tolerance` values carrying their source and status. The AAPM Report 181
(TG-181) tolerance tables could not be read, so the default is the ±10 % action level of the
pre-2002 US rule (10 CFR 35.50) as quoted by secondary sources, with ±5 % as the stricter
option; both are marked ``unconfirmed``. See ``docs/physics/calibrator.md``.

References
----------
.. [1] J. E. Carey et al., "The Selection, Use, Calibration, and Quality Assurance of
   Radionuclide Calibrators Used in Nuclear Medicine", AAPM Report No. 181 (TG-181), 2012.
.. [2] US NRC, 10 CFR 35.50 (edition of 1 January 2002), "Possession, use, calibration, and
   check of dose calibrators", paragraphs (b)(1)-(4): the four tests and their frequencies.
.. [3] IAEA, "Operational checks of radionuclide calibrators", tests 2.3.2 (precision and
   accuracy) and 2.4.1 (reproducibility), as reproduced on 123dok.net and scribd.com.
.. [4] IAEA, Quality Assurance for Radioactivity Measurement in Nuclear Medicine, Technical
   Reports Series No. 454 (2006): linearity of reference calibrators within ±2 %, as cited by
   Brazilian Journal of Radiation Sciences 9(2) (2021), doi:10.15392/bjrs.v9i2.1686.
.. [5] G. B. Saha, Physics and Radiobiology of Nuclear Medicine, Springer, p. 75: frequencies
   (constancy daily; accuracy at installation, annually, after repair; linearity at
   installation, quarterly, after repair; geometry at installation and after repair).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

import numpy as np

from nucmed.checks import aware, non_negative
from nucmed.data import Status
from nucmed.errors import N_, Amount, NucmedInputError, Word
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "NRC_ACTION_LEVEL",
    "STRICT_5_PERCENT",
    "TRS454_REFERENCE_LINEARITY",
    "AccuracyResult",
    "CalibratorInputError",
    "ConstancyResult",
    "GeometryPoint",
    "GeometryResult",
    "LinearityFit",
    "LinearityResult",
    "ShieldLinearityResult",
    "Tolerance",
    "evaluate_accuracy",
    "evaluate_constancy",
    "evaluate_geometry",
    "evaluate_linearity_decay",
    "evaluate_linearity_shield",
    "sleeve_factors",
]

LinearityFit = Literal["fixed", "free"]
"""How the decay-method fit treats λ: ``"fixed"`` to ICRP-107, or ``"free"`` (fitted)."""

_FITS: tuple[str, ...] = get_args(LinearityFit)
_MIN_DECAY_READINGS = 3


class CalibratorInputError(NucmedInputError):
    """A reading, time, factor or tolerance that a calibrator test cannot use."""


@dataclass(frozen=True, slots=True)
class Tolerance:
    """An acceptance limit on |deviation|, with where it comes from.

    Parameters
    ----------
    fraction
        The limit on |deviation|, dimensionless (0.10 is ±10 %); between 0 and 1, exclusive.
    source
        Publication, rule or site policy the limit comes from.
    status
        How the limit was checked (:class:`~nucmed.data.Status`): ``secondary`` for a limit
        read in a third-party citation, ``unverified`` for a site's own policy.

    Raises
    ------
    CalibratorInputError
        If the fraction is not between 0 and 1.

    Examples
    --------
    >>> NRC_ACTION_LEVEL.fraction, NRC_ACTION_LEVEL.status
    (0.1, <Status.SECONDARY: 'secondary'>)
    >>> Tolerance(0.03, "department QA manual, section 4", Status.UNVERIFIED).fraction
    0.03
    """

    fraction: float
    source: str
    status: Status

    def __post_init__(self) -> None:
        if not 0.0 < self.fraction < 1.0:
            raise _refused(
                N_("a tolerance must be a fraction between 0 and 1 (0.05 is 5 %), got {fraction}"),
                fraction=self.fraction,
            )


NRC_ACTION_LEVEL = Tolerance(
    0.10,
    "Pre-2002 10 CFR 35.50 action level (repair/replace or correct readings beyond ±10 %), "
    "as quoted by secondary sources (Q&A pages, nmcalc.com 'commonly 5 % or 10 %'); the "
    "clause itself and the AAPM TG-181 tolerance tables were not read",
    Status.SECONDARY,
)
"""Default tolerance: ±10 %, the old US regulatory action level (unconfirmed attribution)."""

STRICT_5_PERCENT = Tolerance(
    0.05,
    "Common stricter practice (±5 %), e.g. answersco notes on constancy, linearity and "
    "geometry; nmcalc.com; often attributed to AAPM TG-181/ANSI N42.13, not verified there",
    Status.SECONDARY,
)
"""Stricter option: ±5 % (common practice; TG-181 attribution unconfirmed)."""

TRS454_REFERENCE_LINEARITY = Tolerance(
    0.02,
    "IAEA TRS-454 (2006): linearity of reference (secondary-standard) calibrators within "
    "±2 %, as cited in Braz. J. Radiat. Sci. 9(2) (2021), doi:10.15392/bjrs.v9i2.1686",
    Status.SECONDARY,
)
"""±2 %: IAEA TRS-454 linearity for reference calibrators (read in a citing article)."""

_DEVIATION_BASIS = "deviation = (A_meas − A_exp) / A_exp, A_meas background-subtracted"
_EXPECTED_BASIS = "A_exp = certified activity decayed to the reading time (ICRP-107 T½)"


@dataclass(frozen=True, slots=True)
class ConstancyResult:
    """Outcome of a constancy (reproducibility) check.

    Attributes: ``expected_bq`` and ``net_bq`` (Bq), ``deviation`` (fraction), ``passed``
    (|deviation| ≤ tolerance), ``tolerance`` and ``basis`` (formula and source).
    """

    expected_bq: float
    net_bq: float
    deviation: float
    passed: bool
    tolerance: Tolerance
    basis: str


@dataclass(frozen=True, slots=True)
class AccuracyResult:
    """Outcome of an accuracy test on one reference source.

    Attributes: ``expected_bq``, ``mean_bq`` (Bq); ``deviation`` of the mean (fraction);
    ``precision`` max |Aᵢ − Ā| / Ā (fraction, reported, not judged: no cited limit);
    ``passed`` (|deviation| ≤ tolerance), ``tolerance`` and ``basis``.
    """

    expected_bq: float
    mean_bq: float
    deviation: float
    precision: float
    passed: bool
    tolerance: Tolerance
    basis: str


@dataclass(frozen=True, slots=True)
class LinearityResult:
    """Outcome of a decay-method linearity test.

    Attributes: ``times`` and ``net_bq`` (the readings, Bq), ``fitted_bq`` (the fit at those
    times, Bq), ``deviations`` (fractions, reading order), ``max_abs_deviation``, ``fit``
    (``"fixed"`` or ``"free"``), ``half_life_s`` (ICRP-107, s), ``fitted_half_life_s`` (free fit,
    s; ``inf`` if the readings do not fall), ``passed``, ``tolerance`` and ``basis``.
    """

    times: tuple[datetime, ...]
    net_bq: tuple[float, ...]
    fitted_bq: tuple[float, ...]
    deviations: tuple[float, ...]
    max_abs_deviation: float
    fit: str
    half_life_s: float
    fitted_half_life_s: float
    passed: bool
    tolerance: Tolerance
    basis: str


@dataclass(frozen=True, slots=True)
class ShieldLinearityResult:
    """Outcome of a shield (sleeve) linearity test.

    Attributes: ``unshielded_bq`` (Bq), ``corrected_bq`` (Aₖ · Fₖ decay-corrected to the
    unshielded reading, Bq), ``deviations`` (fractions), ``max_abs_deviation``, ``passed``,
    ``tolerance`` and ``basis``.
    """

    unshielded_bq: float
    corrected_bq: tuple[float, ...]
    deviations: tuple[float, ...]
    max_abs_deviation: float
    passed: bool
    tolerance: Tolerance
    basis: str


@dataclass(frozen=True, slots=True)
class GeometryPoint:
    """One volume or container: its reading (Bq), CF = A_ref / A_meas, and whether to apply it."""

    label: str
    measured_bq: float
    correction_factor: float
    needs_correction: bool


@dataclass(frozen=True, slots=True)
class GeometryResult:
    """Outcome of a geometry test: ``reference_bq`` (Bq), the ``points``, ``passed`` (no point
    needs a correction), ``tolerance`` and ``basis``."""

    reference_bq: float
    points: tuple[GeometryPoint, ...]
    passed: bool
    tolerance: Tolerance
    basis: str


# --------------------------------------------------------------------------- input checks
def _refused(template: str, **values: object) -> CalibratorInputError:
    """A calibrator input error made of one translatable template and its values."""
    return CalibratorInputError(parts=((template, values),))


def _net(reading_bq: float, background_bq: float, what: str) -> float:
    reading = non_negative(what, reading_bq, "Bq", error=CalibratorInputError)
    net = reading - non_negative(
        N_("background reading"), background_bq, "Bq", error=CalibratorInputError
    )
    if net <= 0:
        raise _refused(
            N_(
                "{what} ({reading}) is not above background ({background}); "
                "a reading must exceed the background"
            ),
            what=Word(what),
            reading=Amount(reading_bq, "Bq"),
            background=Amount(background_bq, "Bq"),
        )
    return net


def _expected(source: Activity, measured_at: datetime) -> float:
    expected = source.activity_at(
        aware(N_("reading time"), measured_at, error=CalibratorInputError)
    )
    if expected <= 0:
        raise _refused(
            N_(
                "the {nuclide} reference source has no activity; "
                "give its certified activity (Bq, above 0)"
            ),
            nuclide=source.nuclide.name,
        )
    return expected


def _factor(value: float, what: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise _refused(
            N_("{what} must be a finite number above 0; got {value}"), what=Word(what), value=value
        )
    return float(value)


def _geometry_reading(label: str, value: float) -> float:
    """A geometry's reading (Bq), checked; a refusal names the geometry by its label as
    given (the user's words, not translated)."""
    try:
        return _factor(value, N_("the reading (Bq)"))
    except CalibratorInputError as error:
        named = (N_("geometry '{label}'"), {"label": label})
        raise CalibratorInputError(parts=(named, *error.parts)) from None


# --------------------------------------------------------------------------- evaluations
def evaluate_constancy(
    source: Activity,
    reading_bq: float,
    measured_at: datetime,
    *,
    background_bq: float = 0.0,
    tolerance: Tolerance = NRC_ACTION_LEVEL,
) -> ConstancyResult:
    """Evaluate a daily constancy reading of a long-lived check source.

    Parameters
    ----------
    source
        The check source: nuclide, certified activity (Bq) and certification time.
    reading_bq
        The calibrator reading on the setting under test, in Bq.
    measured_at
        Timezone-aware time of the reading.
    background_bq
        Background reading to subtract, in Bq.
    tolerance
        Acceptance limit on |deviation| (default ±10 %, :data:`NRC_ACTION_LEVEL`).

    Returns
    -------
    ConstancyResult
        Expected and net activities (Bq), deviation (fraction), pass/fail.

    Raises
    ------
    CalibratorInputError
        If the reading is negative, not above background, or the time has no time zone.

    References
    ----------
    .. [1] IAEA operational checks, test 2.4.1 "Check of reproducibility"; 10 CFR 35.50(b)(1)
       (2002 edition): constancy with a dedicated check source each day of use.

    Examples
    --------
    >>> from datetime import UTC
    >>> cs137 = Activity.of("Cs-137", 7.4e6, datetime(2024, 1, 1, tzinfo=UTC))
    >>> result = evaluate_constancy(cs137, 7.1e6, datetime(2026, 1, 1, tzinfo=UTC))
    >>> round(result.expected_bq / 1e6, 3), round(100 * result.deviation, 2), result.passed
    (7.067, 0.46, True)
    """
    expected = _expected(source, measured_at)
    net = _net(reading_bq, background_bq, N_("the reading"))
    deviation = net / expected - 1.0
    return ConstancyResult(
        expected_bq=expected,
        net_bq=net,
        deviation=deviation,
        passed=abs(deviation) <= tolerance.fraction,
        tolerance=tolerance,
        basis=f"{_DEVIATION_BASIS}; {_EXPECTED_BASIS} (IAEA test 2.4.1)",
    )


def evaluate_accuracy(
    source: Activity,
    readings_bq: Sequence[float],
    measured_at: datetime,
    *,
    background_bq: float = 0.0,
    tolerance: Tolerance = NRC_ACTION_LEVEL,
) -> AccuracyResult:
    """Evaluate repeated readings of a reference source for accuracy and precision.

    Accuracy is (Ā − A_exp) / A_exp with Ā the mean of the background-corrected readings;
    precision is max |Aᵢ − Ā| / Ā (IAEA test 2.3.2, which asks for 10 readings).

    Parameters
    ----------
    source
        The reference source: nuclide, certified activity (Bq) and certification time.
    readings_bq
        The repeated readings, in Bq (at least one).
    measured_at
        Timezone-aware time of the readings (they are taken within a few minutes).
    background_bq
        Background reading to subtract from each reading, in Bq.
    tolerance
        Acceptance limit on |accuracy deviation| (default ±10 %).

    Returns
    -------
    AccuracyResult
        Expected and mean activity (Bq), deviation and precision (fractions), pass/fail on
        the deviation.

    Raises
    ------
    CalibratorInputError
        If there are no readings, a reading is negative or not above background, or the time
        has no time zone.

    Examples
    --------
    >>> from datetime import UTC
    >>> co57 = Activity.of("Co-57", 185e6, datetime(2026, 1, 1, tzinfo=UTC))
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> result = evaluate_accuracy(co57, [190e6, 188e6, 192e6], when)
    >>> round(100 * result.deviation, 2), round(100 * result.precision, 2), result.passed
    (2.7, 1.05, True)
    """
    if len(readings_bq) == 0:
        raise _refused(N_("an accuracy test needs at least one reading; got none"))
    expected = _expected(source, measured_at)
    net = np.array([_net(r, background_bq, N_("a reading")) for r in readings_bq])
    mean = float(np.mean(net))
    deviation = mean / expected - 1.0
    precision = float(np.max(np.abs(net - mean))) / mean
    return AccuracyResult(
        expected_bq=expected,
        mean_bq=mean,
        deviation=deviation,
        precision=precision,
        passed=abs(deviation) <= tolerance.fraction,
        tolerance=tolerance,
        basis=(
            f"{_DEVIATION_BASIS} with A_meas the mean reading; precision max|Aᵢ − Ā|/Ā; "
            f"{_EXPECTED_BASIS} (IAEA test 2.3.2)"
        ),
    )


def evaluate_linearity_decay(
    readings: Sequence[tuple[datetime, float]],
    *,
    nuclide: str = "Tc-99m",
    fit: LinearityFit = "fixed",
    background_bq: float = 0.0,
    tolerance: Tolerance = NRC_ACTION_LEVEL,
) -> LinearityResult:
    """Evaluate a decay-method linearity test (a Tc-99m source read over about 60-72 h).

    ln Aᵢ is fitted against tᵢ by least squares, ln A = ln A₀ − λ t, with λ fixed to the
    ICRP-107 value (``fit="fixed"``: only ln A₀ is fitted) or free (``fit="free"``). Each
    deviation is Aᵢ / A_fit(tᵢ) − 1; the test passes when every |deviation| ≤ tolerance. The
    free fit's half-life ln 2 / λ is reported either way as a cross-check.

    Parameters
    ----------
    readings
        (time, reading in Bq) pairs, timezone-aware times, at least three distinct times.
    nuclide
        The nuclide of the source (any spelling), default Tc-99m.
    fit
        ``"fixed"`` or ``"free"``: which fit the deviations refer to.
    background_bq
        Background reading to subtract from each reading, in Bq.
    tolerance
        Acceptance limit on every |deviation| (default ±10 %).

    Returns
    -------
    LinearityResult
        Deviations (fractions), fitted and ICRP-107 half-lives (s), pass/fail.

    Raises
    ------
    CalibratorInputError
        If there are fewer than three readings, two share a time, a reading is not above
        background, a time has no time zone, the fit is unknown or the nuclide is stable.

    References
    ----------
    .. [1] 10 CFR 35.50(b)(3) (2002 edition): linearity from the highest dosage down to
       1.1 MBq, at installation and quarterly.

    Examples
    --------
    >>> from datetime import UTC, timedelta
    >>> start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> source = Activity.of("Tc-99m", 30e9, start)
    >>> times = [start + timedelta(hours=h) for h in (0, 6, 24, 48, 72)]
    >>> result = evaluate_linearity_decay([(t, source.activity_at(t)) for t in times])
    >>> result.max_abs_deviation < 1e-12, round(result.fitted_half_life_s / 3600, 3)
    (True, 6.015)
    """
    if fit not in _FITS:
        raise _refused(
            N_("unknown fit '{fit}'; allowed: {allowed}"), fit=fit, allowed=", ".join(_FITS)
        )
    if len(readings) < _MIN_DECAY_READINGS:
        raise _refused(
            N_("a decay-method linearity test needs at least {least} readings; got {count}"),
            least=_MIN_DECAY_READINGS,
            count=len(readings),
        )
    half_life_s = get_nuclide(nuclide).half_life_s
    if math.isinf(half_life_s):
        raise _refused(
            N_("{nuclide} is stable; the decay method needs a radionuclide"), nuclide=nuclide
        )
    times = tuple(aware(N_("reading time"), t, error=CalibratorInputError) for t, _ in readings)
    if len(set(times)) != len(times):
        raise _refused(N_("two readings share a time; each reading needs its own time"))
    net = np.array([_net(a, background_bq, N_("a reading")) for _, a in readings])
    start = min(times)
    t = np.array([(when - start).total_seconds() for when in times])
    log_a = np.log(net)
    t_mean, log_mean = float(np.mean(t)), float(np.mean(log_a))
    slope = float(np.sum((t - t_mean) * (log_a - log_mean)) / np.sum((t - t_mean) ** 2))
    decay_constant = math.log(2.0) / half_life_s if fit == "fixed" else -slope
    log_a0 = float(np.mean(log_a + decay_constant * t))
    fitted = np.exp(log_a0 - decay_constant * t)
    deviations = net / fitted - 1.0
    max_abs = float(np.max(np.abs(deviations)))
    return LinearityResult(
        times=times,
        net_bq=tuple(float(a) for a in net),
        fitted_bq=tuple(float(a) for a in fitted),
        deviations=tuple(float(d) for d in deviations),
        max_abs_deviation=max_abs,
        fit=fit,
        half_life_s=half_life_s,
        fitted_half_life_s=math.log(2.0) / -slope if slope < 0 else math.inf,
        passed=max_abs <= tolerance.fraction,
        tolerance=tolerance,
        basis=(
            f"least-squares fit of ln A = ln A₀ − λ t ({fit} λ; ICRP-107 T½ for fixed); "
            "deviation = A / A_fit − 1 (decay method, 10 CFR 35.50(b)(3) 2002)"
        ),
    )


def _to_common_time(
    reading: tuple[datetime, float], when: datetime, nuclide: str, what: str
) -> float:
    moment, value = reading
    if non_negative(what, value, "Bq", error=CalibratorInputError) <= 0:
        raise _refused(N_("{what} must be above 0 Bq; got {value}"), what=Word(what), value=value)
    at = aware(N_("reading time"), moment, error=CalibratorInputError)
    return Activity.of(nuclide, value, at).activity_at(when)


def sleeve_factors(
    unshielded: tuple[datetime, float],
    shielded: Sequence[tuple[datetime, float]],
    *,
    nuclide: str = "Tc-99m",
) -> tuple[float, ...]:
    """Calibrate shield (sleeve) factors Fₖ = A_unshielded / A_shielded,k.

    Done once, on a calibrator whose linearity has been shown by the decay method; each
    shielded reading is decay-corrected (ICRP-107) to the time of the unshielded reading.

    Parameters
    ----------
    unshielded
        (time, reading in Bq) without any sleeve.
    shielded
        (time, reading in Bq) in each sleeve or sleeve combination, in a fixed order.
    nuclide
        The nuclide of the source, default Tc-99m.

    Returns
    -------
    tuple of float
        Fₖ for each shielded reading (dimensionless, above 1 for an attenuating sleeve).

    Raises
    ------
    CalibratorInputError
        If there is no shielded reading, a reading is not above 0, or a time is naive.

    Examples
    --------
    >>> from datetime import UTC
    >>> t = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> sleeve_factors((t, 10e9), [(t, 5e9), (t, 1e9)])
    (2.0, 10.0)
    """
    if len(shielded) == 0:
        raise _refused(N_("sleeve factors need at least one shielded reading; got none"))
    when = aware(N_("reading time"), unshielded[0], error=CalibratorInputError)
    reference = _to_common_time(unshielded, when, nuclide, N_("the unshielded reading"))
    return tuple(
        reference / _to_common_time(r, when, nuclide, N_("a shielded reading")) for r in shielded
    )


def evaluate_linearity_shield(
    unshielded: tuple[datetime, float],
    shielded: Sequence[tuple[datetime, float]],
    factors: Sequence[float],
    *,
    nuclide: str = "Tc-99m",
    tolerance: Tolerance = NRC_ACTION_LEVEL,
) -> ShieldLinearityResult:
    """Evaluate a shield (sleeve) linearity test with calibrated factors Fₖ.

    Each shielded reading is decay-corrected to the unshielded reading's time and multiplied by
    its factor; its deviation is Aₖ · Fₖ / A_unshielded − 1.

    Parameters
    ----------
    unshielded
        (time, reading in Bq) without any sleeve.
    shielded
        (time, reading in Bq) in each sleeve, in the order of ``factors``.
    factors
        Fₖ from :func:`sleeve_factors` (dimensionless, above 0).
    nuclide
        The nuclide of the source, default Tc-99m.
    tolerance
        Acceptance limit on every |deviation| (default ±10 %).

    Returns
    -------
    ShieldLinearityResult
        Corrected activities (Bq), deviations (fractions), pass/fail.

    Raises
    ------
    CalibratorInputError
        If readings and factors differ in number or are empty, a factor is not above 0, a
        reading is not above 0, or a time is naive.

    Examples
    --------
    >>> from datetime import UTC
    >>> t = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> result = evaluate_linearity_shield((t, 10e9), [(t, 5.1e9), (t, 1e9)], [2.0, 10.0])
    >>> [round(100 * d, 1) for d in result.deviations], result.passed
    ([2.0, 0.0], True)
    """
    if len(shielded) == 0 or len(shielded) != len(factors):
        raise _refused(
            N_(
                "give one factor per shielded reading (and at least one): {readings} readings, "
                "{factors} factors"
            ),
            readings=len(shielded),
            factors=len(factors),
        )
    when = aware(N_("reading time"), unshielded[0], error=CalibratorInputError)
    reference = _to_common_time(unshielded, when, nuclide, N_("the unshielded reading"))
    corrected = np.array(
        [
            _factor(f, N_("a sleeve factor"))
            * _to_common_time(r, when, nuclide, N_("a shielded reading"))
            for r, f in zip(shielded, factors, strict=True)
        ]
    )
    deviations = corrected / reference - 1.0
    max_abs = float(np.max(np.abs(deviations)))
    return ShieldLinearityResult(
        unshielded_bq=reference,
        corrected_bq=tuple(float(a) for a in corrected),
        deviations=tuple(float(d) for d in deviations),
        max_abs_deviation=max_abs,
        passed=max_abs <= tolerance.fraction,
        tolerance=tolerance,
        basis="deviation = Aₖ·Fₖ / A_unshielded − 1, Fₖ calibrated against a decay test",
    )


def evaluate_geometry(
    reference_bq: float,
    measured: Sequence[tuple[str, float]],
    *,
    tolerance: Tolerance = NRC_ACTION_LEVEL,
) -> GeometryResult:
    """Derive geometry (volume, container) correction factors CF = A_reference / A_measured.

    The readings are of one activity in different volumes or containers, decay-corrected to a
    common time by the caller (or taken within minutes). A geometry needs its correction factor
    applied to clinical readings when |1 − CF| > tolerance.

    Parameters
    ----------
    reference_bq
        Reading in the reference geometry (the calibration geometry), in Bq.
    measured
        (label, reading in Bq) for each other volume or container.
    tolerance
        Limit on |1 − CF| beyond which a correction is applied (default ±10 %).

    Returns
    -------
    GeometryResult
        One point per geometry with its CF and flag; passed when no point is flagged.

    Raises
    ------
    CalibratorInputError
        If there is no geometry or a reading is not above 0.

    References
    ----------
    .. [1] 10 CFR 35.50(b)(4) (2002 edition): geometry dependence over the volumes and
       configurations in use, at installation.

    Examples
    --------
    >>> result = evaluate_geometry(100e6, [("syringe 3 mL", 104e6), ("vial 20 mL", 88e6)])
    >>> [(p.label, round(p.correction_factor, 3), p.needs_correction) for p in result.points]
    [('syringe 3 mL', 0.962, False), ('vial 20 mL', 1.136, True)]
    """
    if len(measured) == 0:
        raise _refused(N_("a geometry test needs at least one geometry; got none"))
    reference = _factor(reference_bq, N_("the reference reading (Bq)"))
    points = []
    for label, value in measured:
        factor = reference / _geometry_reading(label, value)
        points.append(
            GeometryPoint(
                label=label,
                measured_bq=float(value),
                correction_factor=factor,
                needs_correction=abs(1.0 - factor) > tolerance.fraction,
            )
        )
    return GeometryResult(
        reference_bq=reference,
        points=tuple(points),
        passed=not any(p.needs_correction for p in points),
        tolerance=tolerance,
        basis="CF = A_reference / A_measured; apply when |1 − CF| > tolerance",
    )
