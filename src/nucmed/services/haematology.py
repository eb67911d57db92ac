"""Haematology decision support: the ELN genetic risk of AML, for the page and the API.

The rules are pure (:mod:`nucmed.haematology`; a typed case is read and classified by
:mod:`nucmed.haematology.from_text`, which the command line calls directly); this module checks
that the signed-in person may use them (``Permission.HAEMATOLOGY``: physicians, residents and
their supervisors). Nothing is stored: a classification is advice
computed from what was typed, and the teaching cases ship as data.
"""

from __future__ import annotations

from nucmed.errors import N_
from nucmed.haematology.cases import TeachingCase, teaching_cases
from nucmed.haematology.from_text import (
    CaseText,
    Guideline,
    HaematologyInputError,
    Therapy,
    classify,
)
from nucmed.haematology.rules import Classification
from nucmed.services.auth import Identity
from nucmed.services.permissions import PERMISSIONS, AccessDeniedError, Permission

__all__ = [
    "CaseText",
    "Guideline",
    "HaematologyInputError",
    "Therapy",
    "cases_for",
    "classify",
    "classify_for",
]


def _check(identity: Identity) -> None:
    if not identity.roles & PERMISSIONS[Permission.HAEMATOLOGY]:
        raise AccessDeniedError(N_("your role does not allow haematology decision support"))


def classify_for(identity: Identity, guideline: Guideline, case: CaseText) -> Classification:
    """:func:`classify` for a signed-in person who may use it (physician, resident,
    supervisor at any site).

    Raises
    ------
    AccessDeniedError
        The person holds no role that grants :attr:`Permission.HAEMATOLOGY`.
    HaematologyInputError
        A field cannot be read.
    """
    _check(identity)
    return classify(guideline, case)


def cases_for(identity: Identity) -> tuple[TeachingCase, ...]:
    """The teaching cases, for a person who may use the classifier."""
    _check(identity)
    return teaching_cases()
