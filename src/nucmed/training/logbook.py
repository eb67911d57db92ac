"""The closed vocabularies of the resident's logbook and of workplace-based assessments.

Procedure types follow the logbook categories of the UEMS/EBNM European Training Requirements
(2017): eight diagnostic categories and therapy (quoted in a secondary summary, see
``training_minimums_uems_etr2017.csv``). The resident's role and the assessment instruments
are the usual ones of medical education (DOPS, mini-CEX, case-based discussion).
"""

from __future__ import annotations

import enum

__all__ = [
    "DIAGNOSTIC_TYPES",
    "PROCEDURE_TYPES",
    "AssessmentKind",
    "CaseRole",
    "Rating",
    "SignOff",
]

DIAGNOSTIC_TYPES = (
    "oncology",
    "bone-joint",
    "cardiovascular",
    "endocrine",
    "neurology",
    "respiratory",
    "urinary-gi",
    "other-diagnostic",
)
"""The diagnostic categories of the ETR 2017 logbook."""

PROCEDURE_TYPES = (*DIAGNOSTIC_TYPES, "therapy")
"""Every procedure type a logbook case may have."""


class CaseRole(enum.StrEnum):
    """What the resident did in a case."""

    OBSERVED = "observed"
    ASSISTED = "assisted"
    SUPERVISED = "supervised"
    """Performed under supervision."""
    PERFORMED = "performed"
    """Performed (and reported) independently."""


class SignOff(enum.StrEnum):
    """The supervisor's decision on a logbook case."""

    APPROVED = "approved"
    RETURNED = "returned"
    """Returned to the resident with a comment: it does not count."""


class AssessmentKind(enum.StrEnum):
    """Workplace-based assessment instruments."""

    DOPS = "dops"
    """Direct observation of procedural skills."""
    MINI_CEX = "mini-cex"
    """Mini clinical evaluation exercise (an observed patient encounter)."""
    CBD = "cbd"
    """Case-based discussion (a report or a management decision)."""


class Rating(enum.StrEnum):
    """The assessor's overall judgement against the expectation for the stage of training."""

    BELOW = "below"
    BORDERLINE = "borderline"
    MEETS = "meets"
    ABOVE = "above"

    @property
    def satisfactory(self) -> bool:
        """True when the resident meets or exceeds the expectation.

        Examples
        --------
        >>> Rating.MEETS.satisfactory, Rating.BORDERLINE.satisfactory
        (True, False)
        """
        return self in (Rating.MEETS, Rating.ABOVE)
