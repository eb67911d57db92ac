"""Workplace monitoring: an area's dose-rate and wipe surveys against its action levels, and
when the follow-up of a survey above its level is closed.

A survey above its action level opens a follow-up: the area must be decontaminated (or the
source of the dose rate removed) and surveyed again. A decontamination record states the value
measured after it; the follow-up closes when that value is at or below the same action level,
and stays open (on the radiation safety officer's dashboard) until then.

Pure: SI inside (dose rates in Sv/s, removable contamination in Bq/m²).

References
----------
.. [1] IAEA GSR Part 3 (2014), para. 3.97-3.98: workplace monitoring, and the registrant's
   action levels set for it; IAEA RS-G-1.1 (1999) / GSG-7 (2018): action on monitoring results
   above those levels (investigation, decontamination, confirmation by a further survey).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, get_args

from nucmed.errors import N_, refusal

__all__ = ["SURVEY_KINDS", "SurveyKind", "check_value", "follow_up_closed", "over_level"]

SurveyKind = Literal["dose_rate", "wipe"]
SURVEY_KINDS: tuple[str, ...] = get_args(SurveyKind)


def check_value(kind: str, value: float) -> float:
    """A survey value (Sv/s for a dose rate, Bq/m² for a wipe), if finite and 0 or more.

    Raises
    ------
    NucmedInputError
        An unknown kind of survey, or a negative or infinite value.
    """
    if kind not in SURVEY_KINDS:
        raise refusal(N_("the survey must be one of {allowed}"), allowed=", ".join(SURVEY_KINDS))
    if not math.isfinite(value) or value < 0:
        raise refusal(N_("a survey result must be a finite number of 0 or more"))
    return value


def over_level(value: float, action_level: float) -> bool:
    """Whether a survey value is above its action level (at the level is within it).

    Examples
    --------
    >>> over_level(4.0, 4.0), over_level(4.1, 4.0)
    (False, True)
    """
    return value > action_level


def follow_up_closed(action_level: float, values_after: Sequence[float]) -> bool:
    """Whether a follow-up is closed: the last value measured after decontamination is at or
    below the action level (no decontamination yet: open).

    Examples
    --------
    >>> follow_up_closed(4.0, []), follow_up_closed(4.0, [9.0]), follow_up_closed(4.0, [9.0, 3.0])
    (False, False, True)
    """
    return bool(values_after) and not over_level(values_after[-1], action_level)
