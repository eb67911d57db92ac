"""A resident's progress: signed cases against minimums, credits, and the attestation gate.

Only cases the supervisor approved count. The minimums a programme enforces are its own
(set by the programme director, :class:`Requirement`); the UEMS/EBNM ETR 2017 numbers ship as a
reference profile (:func:`reference_minimums`), shown beside them and never enforced. The gate
to the final attestation opens when every compulsory discipline and the chosen elective are
credited in full, and every procedure and assessment minimum is met.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.data.provenance import Status
from nucmed.training.logbook import DIAGNOSTIC_TYPES
from nucmed.training.programme import Component, Programme

__all__ = [
    "CaseFacts",
    "CreditGap",
    "Gate",
    "ItemProgress",
    "ReferenceMinimum",
    "Requirement",
    "against",
    "attestation_gate",
    "count_cases",
    "credit_gaps",
    "reference_minimums",
]

DIAGNOSTIC = "diagnostic"
PAEDIATRIC = "paediatric"


@dataclass(frozen=True, slots=True)
class ReferenceMinimum:
    """A minimum of a reference profile: shown for comparison, not enforced."""

    item: str
    minimum: int
    note: str
    source: str
    status: Status


@cache
def reference_minimums() -> tuple[ReferenceMinimum, ...]:
    """The UEMS/EBNM ETR 2017 logbook minimums (a reference for full specialist training).

    Examples
    --------
    >>> {m.item: m.minimum for m in reference_minimums()}["therapy"]
    100
    """
    return tuple(
        ReferenceMinimum(
            row["item"], int(row["minimum"]), row["note"], row["source"], Status(row["status"])
        )
        for row in read_rows("training_minimums_uems_etr2017.csv")
    )


@dataclass(frozen=True, slots=True)
class Requirement:
    """A minimum the programme enforces: ``kind`` is ``procedure`` (an item of
    :func:`count_cases`) or ``assessment`` (an assessment kind, satisfactory ones counted)."""

    kind: str
    item: str
    minimum: int


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What counting needs of a logbook case: its type, a paediatric patient, approved."""

    procedure_type: str
    paediatric: bool
    approved: bool


def count_cases(cases: Iterable[CaseFacts]) -> dict[str, int]:
    """Approved cases per procedure type, plus ``diagnostic`` (all diagnostic types) and
    ``paediatric``; cases not approved do not count.

    Examples
    --------
    >>> count_cases([CaseFacts("oncology", True, True), CaseFacts("therapy", False, False)])
    {'oncology': 1, 'diagnostic': 1, 'paediatric': 1}
    """
    counts: Counter[str] = Counter()
    for case in cases:
        if not case.approved:
            continue
        counts[case.procedure_type] += 1
        if case.procedure_type in DIAGNOSTIC_TYPES:
            counts[DIAGNOSTIC] += 1
        if case.paediatric:
            counts[PAEDIATRIC] += 1
    return dict(counts)


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """Done against required for one minimum."""

    kind: str
    item: str
    required: int
    done: int

    @property
    def met(self) -> bool:
        """True when the minimum is reached."""
        return self.done >= self.required


def against(
    requirements: Sequence[Requirement], kind: str, done: Mapping[str, int]
) -> tuple[ItemProgress, ...]:
    """The progress of each requirement of ``kind`` given the counts ``done``."""
    return tuple(
        ItemProgress(r.kind, r.item, r.minimum, done.get(r.item, 0))
        for r in requirements
        if r.kind == kind
    )


@dataclass(frozen=True, slots=True)
class CreditGap:
    """A discipline not yet credited in full (``discipline`` None: no elective chosen)."""

    discipline: str | None
    done: int
    needed: int


def credit_gaps(
    found: Programme, elective: str | None, credits: Mapping[str, int]
) -> tuple[CreditGap, ...]:
    """The compulsory disciplines and the chosen elective not yet credited in full.

    Parameters
    ----------
    found
        The programme.
    elective
        The code of the chosen elective (None: not chosen).
    credits
        Credits recorded per discipline code.
    """
    needed = [d for d in found.disciplines if d.component is Component.COMPULSORY]
    chosen = found.discipline(elective) if elective else None
    gaps = [
        CreditGap(d.code, credits.get(d.code, 0), d.credits)
        for d in ([*needed, chosen] if chosen else needed)
        if credits.get(d.code, 0) < d.credits
    ]
    if chosen is None:
        slot = sum(d.credits for d in found.disciplines if d.component is Component.ELECTIVE)
        gaps.append(CreditGap(None, 0, slot))
    return tuple(gaps)


@dataclass(frozen=True, slots=True)
class Gate:
    """Whether the final attestation is open, and what is still missing if not."""

    credits_done: int
    credits_needed: int
    gaps: tuple[CreditGap, ...]
    unmet: tuple[ItemProgress, ...]

    @property
    def open(self) -> bool:
        """True when no credit is missing and every minimum is met."""
        return not self.gaps and not self.unmet


def attestation_gate(
    found: Programme,
    elective: str | None,
    credits: Mapping[str, int],
    minimums: Iterable[ItemProgress],
) -> Gate:
    """The gate to the final attestation: credits of every compulsory discipline and of the
    chosen elective in full, and every procedure and assessment minimum met.

    Examples
    --------
    >>> from nucmed.training.programme import programme
    >>> found = programme("7R01108")
    >>> attestation_gate(found, None, {}, []).open
    False
    >>> full = {d.code: d.credits for d in (*found.disciplines, *found.electives)}
    >>> gate = attestation_gate(found, "thyroid-therapy", full, [ItemProgress("a", "b", 1, 1)])
    >>> gate.open, gate.credits_done, gate.credits_needed
    (True, 138, 138)
    """
    needed = sum(d.credits for d in found.disciplines if d.component is not Component.ATTESTATION)
    counted = [d.code for d in found.disciplines if d.component is Component.COMPULSORY]
    if elective:
        counted.append(elective)
    done = sum(min(credits.get(code, 0), _credits(found, code)) for code in counted)
    return Gate(
        credits_done=done,
        credits_needed=needed,
        gaps=credit_gaps(found, elective, credits),
        unmet=tuple(item for item in minimums if not item.met),
    )


def _credits(found: Programme, code: str) -> int:
    discipline = found.discipline(code)
    return discipline.credits if discipline else 0
