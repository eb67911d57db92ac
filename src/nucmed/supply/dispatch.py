"""Activity to dispatch for an order: the ordered activity decay-corrected back to departure.

An order asks for an activity at the site's calibration time; the producer dispenses it before
the departure, so the activity to dispatch is the ordered one corrected backwards over the time
from departure to calibration, plus a safety margin:

    A_dispatch = A_ordered · exp(λ (t_cal − t_dep)) · (1 + m),   λ = ln 2 / T½

(the exponential decay law, Cherry, Sorenson and Phelps, *Physics in Nuclear Medicine*, 4th ed.,
2012, ch. 4, eq. 4-7; computed by :func:`nucmed.physics.decay.decay_factor`, half-lives from
ICRP Publication 107). Decay during the production and dispensing before departure is outside
this calculation: the departure is the moment the activity is stated at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nucmed.bounds import ACTIVITY, FRACTION, check_moment
from nucmed.errors import N_, refusal
from nucmed.physics.decay import decay_factor
from nucmed.physics.nuclides import get_nuclide

__all__ = ["Dispatch", "dispatch_activity", "dispatch_factor"]


@dataclass(frozen=True, slots=True)
class Dispatch:
    """The activity to dispense for one order.

    Parameters
    ----------
    dispatched_bq
        Activity to dispense at departure, the margin included, in Bq.
    decay_factor
        Dispatched activity over the ordered one before the margin (dimensionless, ≥ 1).
    """

    dispatched_bq: float
    decay_factor: float


def dispatch_factor(half_life_s: float, lead_s: float) -> float:
    """The decay correction from departure back from calibration, exp(ln 2 · lead / T½).

    Parameters
    ----------
    half_life_s
        Physical half-life, in s.
    lead_s
        Time from departure to calibration, in s (0 or more).

    Returns
    -------
    float
        The factor (≥ 1): ordered activity times it is the activity at departure.

    Examples
    --------
    >>> dispatch_factor(6.0 * 3600, 12.0 * 3600)
    4.0
    """
    return decay_factor(half_life_s, -lead_s)


def dispatch_activity(
    nuclide: str,
    ordered_bq: float,
    calibration: datetime,
    depart: datetime,
    margin_fraction: float = 0.0,
) -> Dispatch:
    """Return the activity to dispatch for an order.

    Parameters
    ----------
    nuclide
        The nuclide (any accepted spelling, e.g. ``"Tc-99m"``, ``"I131"``).
    ordered_bq
        Activity ordered at the calibration time, in Bq (above 0, at most 1 PBq).
    calibration
        The order's calibration time at the site (timezone-aware).
    depart
        The departure the order travels on (timezone-aware); not after ``calibration``.
    margin_fraction
        Safety margin added to the decay-corrected activity, a fraction from 0 to 1
        (0.05 for 5 %).

    Returns
    -------
    Dispatch
        The dispatched activity (margin included) and the decay factor (margin excluded).

    Raises
    ------
    NucmedInputError
        If the nuclide is unknown, the ordered activity or the margin is out of range, a time
        has no time zone, the calibration is before the departure (an order must arrive before
        it is used), or the dispatched activity would exceed 1 PBq.

    Examples
    --------
    >>> from datetime import UTC
    >>> result = dispatch_activity(
    ...     "Tc-99m", 740e6, datetime(2026, 12, 1, 14, tzinfo=UTC),
    ...     datetime(2026, 12, 1, 8, tzinfo=UTC))
    >>> round(result.decay_factor, 4)
    1.9965
    """
    half_life_s = get_nuclide(nuclide).half_life_s
    ordered = ACTIVITY.check(ordered_bq)
    margin = FRACTION.check(margin_fraction)
    at_site = check_moment(N_("calibration"), calibration)
    leaving = check_moment(N_("departure"), depart)
    if at_site < leaving:
        raise refusal(
            N_(
                "the calibration time {calibration} is before the departure {depart}; an order "
                "must leave before the time it is calibrated for"
            ),
            calibration=at_site.isoformat(),
            depart=leaving.isoformat(),
        )
    factor = dispatch_factor(half_life_s, (at_site - leaving).total_seconds())
    dispatched = ordered * factor * (1.0 + margin)
    if not ACTIVITY.holds(dispatched):
        raise refusal(
            N_(
                "dispatching {ordered} Bq of {nuclide} {hours} h before calibration needs "
                "{dispatched} Bq, above the largest activity accepted (1 PBq); choose a later "
                "departure or a longer-lived product"
            ),
            ordered=f"{ordered:.6g}",
            nuclide=nuclide,
            hours=f"{(at_site - leaving).total_seconds() / 3600:.1f}",
            dispatched=f"{dispatched:.3g}",
        )
    return Dispatch(dispatched_bq=dispatched, decay_factor=factor)
