"""Drawing patient doses from a multi-dose vial: concentration, volume, syringe check.

The vial's activity is an :class:`~nucmed.physics.decay.Activity` (nuclide, Bq, reference
time) and its contents are assumed well mixed, so the activity concentration is
``C(t) = A(t) / V`` with ``A(t)`` decay-corrected by :mod:`nucmed.physics.decay`.

**Prescription time and draw time.** A prescription is the activity wanted at the planned
administration time ``t_admin``; the dose is drawn earlier, at ``t_draw``. Syringe and vial
decay alike, so the volume to draw does not depend on when it is drawn::

    V = A_wanted(t_admin) / C(t_admin)

but the syringe holds more at the draw, and that is what the calibrator must show then::

    A_syringe(t_draw) = A_wanted(t_admin) · exp(+λ (t_admin − t_draw))

(:func:`activity_at_draw_bq`). The measured syringe activity must lie within a tolerance
(default ±10 %) of that expected value (:func:`check_measured`).

References
----------
.. [1] S.R. Cherry, J.A. Sorenson, M.E. Phelps, Physics in Nuclear Medicine, 4th ed. (2012),
   ch. 4: decay law A(t) = A₀ exp(−λt).
.. [2] UNC Eshelman School of Pharmacy, Pharmaceutics and Compounding Laboratory,
   "Dispensing Tc-99m sulfur colloid doses" (pharmlabs.unc.edu/labs/radiopharm/
   dispensing.htm): concentration decayed to the administration time, volume = dose ÷
   concentration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from nucmed.checks import aware, non_negative, positive
from nucmed.errors import N_, Amount, Message, Moment, NucmedInputError, refusal
from nucmed.physics.decay import Activity

__all__ = [
    "DEFAULT_TOLERANCE_FRACTION",
    "DispensingInputError",
    "DoseCheck",
    "DrawExceedsVialError",
    "VialContents",
    "activity_at_draw_bq",
    "check_measured",
    "concentration_bq_per_m3",
    "remaining_after_draw",
    "volume_to_draw_m3",
]

DEFAULT_TOLERANCE_FRACTION = 0.10
"""Default syringe tolerance, ±10 %: a site default (the nucmed specification), not a rule."""
# Slack on comparisons of equal quantities computed two ways (relative), far below any
# measurement resolution.
_REL = 1e-9


class DispensingInputError(NucmedInputError):
    """A dispensing quantity outside its allowed range (negative volume, naive time, ...)."""


class DrawExceedsVialError(DispensingInputError):
    """A draw asks for more volume or activity than the vial still holds."""


@dataclass(frozen=True, slots=True)
class DoseCheck:
    """A measured syringe activity compared with the expected one.

    Parameters
    ----------
    deviation_fraction
        (measured − expected) / expected; negative when the syringe holds too little.
    within
        True when ``|deviation_fraction|`` ≤ ``tolerance_fraction``.
    tolerance_fraction
        The tolerance used, a fraction (0.10 = ±10 %).
    """

    deviation_fraction: float
    within: bool
    tolerance_fraction: float


@dataclass(frozen=True, slots=True)
class VialContents:
    """What a multi-dose vial holds after a draw.

    Parameters
    ----------
    activity
        Activity left, referred to the time of the draw.
    volume_m3
        Volume left, m³.
    """

    activity: Activity
    volume_m3: float


def _exceeds(wanted: Amount, activity_bq: float, volume_m3: float, when: datetime) -> Message:
    """Why a draw cannot be made, as a message with translatable parts (quantities to 3
    significant figures, the moment shown in the reader's site time)."""
    return Message.of(
        refusal(
            N_("cannot draw {wanted}: the vial holds {activity} in {volume} at {at}"),
            wanted=wanted,
            activity=Amount(activity_bq, "Bq"),
            volume=Amount(volume_m3, "m3"),
            at=Moment(when),
        )
    )


def concentration_bq_per_m3(activity: Activity, volume_m3: float, at: datetime) -> float:
    """Return the activity concentration of a well-mixed vial at a time, ``A(t) / V``.

    Parameters
    ----------
    activity
        Activity in the vial (at its own reference time).
    volume_m3
        Volume in the vial, m³ (> 0).
    at
        Time of interest; timezone-aware.

    Returns
    -------
    float
        Concentration, Bq/m³ (1 MBq/mL = 1e12 Bq/m³).

    Raises
    ------
    DispensingInputError
        If the volume is not positive or ``at`` has no time zone.

    References
    ----------
    Decay law [1]_.

    Examples
    --------
    >>> from datetime import UTC
    >>> vial = Activity.of("Tc-99m", 10e9, datetime(2026, 11, 23, 8, tzinfo=UTC))
    >>> c = concentration_bq_per_m3(vial, 10e-6, datetime(2026, 11, 23, 8, tzinfo=UTC))
    >>> round(c / 1e12, 9)  # MBq/mL
    1000.0
    """
    volume = positive(N_("volume"), volume_m3, "m³", error=DispensingInputError)
    return activity.activity_at(aware(N_("time"), at, error=DispensingInputError)) / volume


def volume_to_draw_m3(
    vial_activity: Activity, vial_volume_m3: float, wanted_bq: float, at_admin: datetime
) -> float:
    """Return the volume to draw so that the syringe holds the prescription at administration.

    ``V = A_wanted / C(t_admin)``. The result does not depend on when the dose is drawn,
    because syringe and vial decay alike; see :func:`activity_at_draw_bq` for what the
    syringe holds at the draw.

    Parameters
    ----------
    vial_activity
        Activity in the vial (at its own reference time).
    vial_volume_m3
        Volume now in the vial, m³ (> 0).
    wanted_bq
        Prescribed activity at the administration time, Bq (> 0).
    at_admin
        Planned administration time; timezone-aware.

    Returns
    -------
    float
        Volume to draw, m³.

    Raises
    ------
    DispensingInputError
        If a quantity is not positive or the time has no time zone.
    DrawExceedsVialError
        If the vial does not hold the wanted activity at ``at_admin``.

    References
    ----------
    Worked example in [2]_.

    Examples
    --------
    >>> from datetime import UTC
    >>> vial = Activity.of("Tc-99m", 10e9, datetime(2026, 11, 23, 8, tzinfo=UTC))
    >>> admin = datetime(2026, 11, 23, 14, 0, 54, tzinfo=UTC)  # one half-life later
    >>> round(volume_to_draw_m3(vial, 10e-6, 740e6, admin) / 1e-6, 3)  # mL
    1.48
    """
    wanted = positive(N_("activity wanted"), wanted_bq, "Bq", error=DispensingInputError)
    volume = positive(N_("vial volume"), vial_volume_m3, "m³", error=DispensingInputError)
    available = vial_activity.activity_at(
        aware(N_("administration time"), at_admin, error=DispensingInputError)
    )
    if wanted > available * (1.0 + _REL):
        wanted_amount = Amount(wanted, "Bq")
        message = _exceeds(wanted_amount, available, volume, at_admin)
        raise DrawExceedsVialError(message, parts=message.parts)
    return wanted / available * volume


def activity_at_draw_bq(prescribed: Activity, drawn_at: datetime) -> float:
    """Return the activity the syringe must hold at the draw to meet the prescription.

    ``A(t_draw) = A_wanted · exp(+λ (t_admin − t_draw))``, with the prescription given as an
    :class:`Activity` whose reference time is the planned administration time.

    Parameters
    ----------
    prescribed
        Prescribed activity at the administration time (``reference_time`` = ``t_admin``).
    drawn_at
        Time of the draw (and of the calibrator measurement); timezone-aware, not after
        the administration.

    Returns
    -------
    float
        Expected syringe activity at ``drawn_at``, Bq.

    Raises
    ------
    DispensingInputError
        If ``drawn_at`` has no time zone or is after the administration time.

    References
    ----------
    Decay law [1]_.

    Examples
    --------
    >>> from datetime import UTC, timedelta
    >>> admin = datetime(2026, 11, 23, 10, tzinfo=UTC)
    >>> dose = Activity.of("Tc-99m", 740e6, admin)
    >>> round(activity_at_draw_bq(dose, admin - timedelta(seconds=21654)) / 1e6, 3)  # MBq
    1480.0
    """
    drawn = aware(N_("time drawn"), drawn_at, keep_zone=True, error=DispensingInputError)
    if drawn > prescribed.reference_time:
        raise DispensingInputError(
            parts=(
                (
                    N_(
                        "the draw at {drawn} is after the administration time {given}; "
                        "a dose is drawn before it is given"
                    ),
                    {"drawn": Moment(drawn), "given": Moment(prescribed.reference_time)},
                ),
            )
        )
    return prescribed.activity_at(drawn)


def check_measured(
    measured_bq: float, expected_bq: float, tolerance_fraction: float = DEFAULT_TOLERANCE_FRACTION
) -> DoseCheck:
    """Compare the activity measured in the syringe with the expected activity.

    Parameters
    ----------
    measured_bq
        Calibrator reading, Bq (≥ 0).
    expected_bq
        Expected activity at the time of the reading, Bq (> 0), e.g. from
        :func:`activity_at_draw_bq`.
    tolerance_fraction
        Allowed relative deviation, a fraction in [0, 1); default 0.10 (±10 %).

    Returns
    -------
    DoseCheck
        Relative deviation and whether it is within the tolerance (the bounds are included,
        to a relative 1e-9).

    Raises
    ------
    DispensingInputError
        If an activity or the tolerance is out of range.

    Examples
    --------
    >>> check_measured(805e6, 740e6)
    DoseCheck(deviation_fraction=0.08783783783783784, within=True, tolerance_fraction=0.1)
    >>> check_measured(600e6, 740e6).within
    False
    """
    measured = non_negative(N_("measured activity"), measured_bq, "Bq", error=DispensingInputError)
    expected = positive(N_("expected activity"), expected_bq, "Bq", error=DispensingInputError)
    if not (math.isfinite(tolerance_fraction) and 0.0 <= tolerance_fraction < 1.0):
        raise DispensingInputError(
            parts=(
                (
                    N_(
                        "tolerance_fraction is {value}; it must be a fraction from 0 to below 1 "
                        "(0.10 = ±10 %)"
                    ),
                    {"value": repr(tolerance_fraction)},
                ),
            )
        )
    deviation = (measured - expected) / expected
    within = abs(deviation) <= tolerance_fraction + _REL
    return DoseCheck(deviation, within, float(tolerance_fraction))


def remaining_after_draw(
    vial_activity: Activity, vial_volume_m3: float, drawn_volume_m3: float, at: datetime
) -> VialContents:
    """Return what the vial holds after a volume is drawn from it at a time.

    The drawn activity is ``C(at) × drawn volume``; what is left is referred to ``at``.

    Parameters
    ----------
    vial_activity
        Activity in the vial before the draw (at its own reference time).
    vial_volume_m3
        Volume in the vial before the draw, m³ (> 0).
    drawn_volume_m3
        Volume drawn, m³ (≥ 0).
    at
        Time of the draw; timezone-aware.

    Returns
    -------
    VialContents
        Activity (referred to ``at``) and volume left.

    Raises
    ------
    DispensingInputError
        If a volume is out of range or ``at`` has no time zone.
    DrawExceedsVialError
        If more volume (hence more activity) is drawn than the vial holds; the message says
        what is left.

    Examples
    --------
    >>> from datetime import UTC
    >>> t = datetime(2026, 11, 23, 8, tzinfo=UTC)
    >>> left = remaining_after_draw(Activity.of("Tc-99m", 10e9, t), 10e-6, 2e-6, t)
    >>> round(left.activity.activity_bq / 1e6, 6), round(left.volume_m3 / 1e-6, 6)
    (8000.0, 8.0)
    """
    volume = positive(N_("vial volume"), vial_volume_m3, "m³", error=DispensingInputError)
    drawn = non_negative(N_("volume drawn"), drawn_volume_m3, "m³", error=DispensingInputError)
    now = vial_activity.at(aware(N_("time"), at, keep_zone=True, error=DispensingInputError))
    if drawn > volume * (1.0 + _REL):
        message = _exceeds(Amount(drawn, "m3"), now.activity_bq, volume, at)
        raise DrawExceedsVialError(message, parts=message.parts)
    kept = max(0.0, 1.0 - drawn / volume)
    return VialContents(
        Activity(now.nuclide, now.activity_bq * kept, now.reference_time), volume * kept
    )
