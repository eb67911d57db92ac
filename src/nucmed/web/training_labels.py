"""Names shown for the training module's stored codes, marked for translation.

The training pages (:mod:`nucmed.web.training`) and the audit trail
(:mod:`nucmed.web.audit_details`) both show these codes; neither page module may import the
other, so the names live here. Disciplines and electives are named by the programme's own data
(Kazakh, Russian and English, :mod:`nucmed.training.programme`), not by a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from nucmed.training.programme import Text, programme, programme_codes
from nucmed.web.labels import N_

__all__ = [
    "ASSESSMENT_LABELS",
    "CASE_ROLE_LABELS",
    "COURSE_KIND_LABELS",
    "MINIMUM_ITEM_LABELS",
    "MINIMUM_KIND_LABELS",
    "PROCEDURE_LABELS",
    "RATING_LABELS",
    "SIGN_OFF_LABELS",
    "TRAINING_DETAIL_LABELS",
    "discipline_name",
]

PROCEDURE_LABELS: Mapping[str, str] = {
    "oncology": N_("Oncology"),
    "bone-joint": N_("Bone and joint"),
    "cardiovascular": N_("Cardiovascular"),
    "endocrine": N_("Endocrinology"),
    "neurology": N_("Neurology"),
    "respiratory": N_("Respiratory"),
    "urinary-gi": N_("Urinary and gastrointestinal"),
    "other-diagnostic": N_("Other diagnostic"),
    "therapy": N_("Therapy"),
    "diagnostic": N_("All diagnostic"),
    "paediatric": N_("Paediatric patients"),
}
"""Procedure types of a logbook case (``nucmed.training.logbook.PROCEDURE_TYPES``) and the
procedure items a minimum may count (all diagnostic, paediatric)."""

CASE_ROLE_LABELS: Mapping[str, str] = {
    "observed": N_("observed"),
    "assisted": N_("assisted"),
    "supervised": N_("performed under supervision"),
    "performed": N_("performed"),
}
"""What the resident did in a case (``nucmed.training.logbook.CaseRole``)."""

SIGN_OFF_LABELS: Mapping[str, str] = {
    "waiting": N_("waiting for sign-off"),
    "approved": N_("approved"),
    "returned": N_("returned"),
}
"""A case's sign-off: waiting, or the supervisor's decision (``SignOff``)."""

ASSESSMENT_LABELS: Mapping[str, str] = {
    "dops": N_("DOPS"),
    "mini-cex": N_("mini-CEX"),
    "cbd": N_("Case-based discussion"),
}
"""Workplace-based assessments (``nucmed.training.logbook.AssessmentKind``)."""

RATING_LABELS: Mapping[str, str] = {
    "below": N_("below expectations"),
    "borderline": N_("borderline"),
    "meets": N_("meets expectations"),
    "above": N_("above expectations"),
}
"""The assessor's judgement (``nucmed.training.logbook.Rating``)."""

MINIMUM_KIND_LABELS: Mapping[str, str] = {
    "procedure": N_("Procedures"),
    "assessment": N_("Assessments"),
}
"""What kind of item a programme minimum counts
(``nucmed.services.training.enrolment.MINIMUM_ITEMS``)."""

MINIMUM_ITEM_LABELS: Mapping[str, str] = {**PROCEDURE_LABELS, **ASSESSMENT_LABELS}
"""The items a minimum may count: procedure items and assessment kinds."""

COURSE_KIND_LABELS: Mapping[str, str] = {
    "course": N_("Short course"),
    "exchange": N_("Experience exchange programme"),
}
"""Kinds of course (``nucmed.services.training.courses``)."""

TRAINING_DETAIL_LABELS: Mapping[str, Mapping[str, str]] = {
    "type": PROCEDURE_LABELS,
    "item": MINIMUM_ITEM_LABELS,
    "kind": {**ASSESSMENT_LABELS, **MINIMUM_KIND_LABELS},
    "rating": RATING_LABELS,
    "decision": SIGN_OFF_LABELS,
}
"""For each detail key of the training actions' audit entries (``training.case``,
``training.assessment``, ``training.minimum``, ``training.sign_off``), the labels of the codes
it holds; the keys ``discipline`` and ``elective`` hold disciplines (:func:`discipline_name`)."""


@cache
def _disciplines() -> Mapping[str, Text]:
    return {
        discipline.code: discipline.name
        for code in programme_codes()
        for discipline in (*programme(code).disciplines, *programme(code).electives)
    }


def discipline_name(code: str, language: str) -> str | None:
    """The name of a discipline (or elective) of a shipped programme in ``language``; None
    for a code no programme has.

    Examples
    --------
    >>> discipline_name("radiology", "en")
    'Radiology'
    >>> discipline_name("no-such-discipline", "ru") is None
    True
    """
    name = _disciplines().get(code)
    return name.in_language(language) if name else None
