"""Residency programmes as data: disciplines, credits, electives and learning outcomes.

A programme is three data files of ``nucmed.data``: its row in ``training_programmes.csv``
(titles, duration, the totals its document states, academic hours per credit),
``programme_<code>.csv`` (the disciplines: compulsory, the elective component and the
disciplines offered for it, the attestations) and ``programme_<code>_outcomes.csv`` (the
learning outcomes, in Kazakh as the document gives them, with Russian and English
translations). Another programme is added as three files of the same columns.

Loading checks the data against the document's own totals: the credits of the compulsory
disciplines, of the elective component and of the attestations must add up to the stated
totals and these to the programme's credits; every outcome a discipline serves must exist;
each discipline offered as an elective carries the credits of the elective component.

References
----------
7R01108 "Ядролық медицина" residency programme document (in Kazakh; the project's
``sources/000_f6b3b2995e2970b3.txt``): items 13 (learning outcomes) and 15-17, and the table of
profile disciplines (БП МК 134, БП ТК 4, ҚА 2, Барлығы 140).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from nucmed.data import read_rows
from nucmed.data.provenance import Status
from nucmed.errors import N_, NucmedInputError

__all__ = [
    "LANGUAGES",
    "Component",
    "Discipline",
    "LearningOutcome",
    "Programme",
    "ProgrammeDataError",
    "Text",
    "UnknownProgrammeError",
    "programme",
    "programme_codes",
]

LANGUAGES = ("kk", "ru", "en")
"""The languages every programme text is given in."""


class Component(enum.StrEnum):
    """The part of the curriculum a discipline belongs to."""

    COMPULSORY = "compulsory"
    """Міндетті компонент (БП МК)."""
    ELECTIVE = "elective"
    """Таңдау бойынша компонент (БП ТК)."""
    ATTESTATION = "attestation"
    """Intermediate (АА, no credits) and final (ҚА) attestation."""


class UnknownProgrammeError(NucmedInputError):
    """No programme has that code."""


class ProgrammeDataError(ValueError):
    """A programme's data files disagree with themselves or with its stated totals (a bug in
    the shipped data, not bad input)."""


@dataclass(frozen=True, slots=True)
class Text:
    """One text in Kazakh, Russian and English."""

    kk: str
    ru: str
    en: str

    def in_language(self, language: str) -> str:
        """The text in ``language`` (``kk``, ``ru``; anything else gives English).

        Examples
        --------
        >>> Text("Радиология", "Радиология", "Radiology").in_language("en")
        'Radiology'
        """
        return {"kk": self.kk, "ru": self.ru}.get(language, self.en)


@dataclass(frozen=True, slots=True)
class LearningOutcome:
    """A learning outcome (ОН1...ОН10): its title and its text."""

    code: str
    title: Text
    text: Text
    source: str
    status: Status


@dataclass(frozen=True, slots=True)
class Discipline:
    """A discipline of the curriculum (or one offered for the elective component).

    ``credits`` are the programme's credits (ECTS-like, whole numbers); ``years`` the years of
    study it is taught in; ``outcomes`` the codes of the learning outcomes it serves.
    """

    code: str
    name: Text
    component: Component
    credits: int
    years: tuple[int, ...]
    outcomes: tuple[str, ...]
    offered_for: str | None
    source: str
    status: Status
    outcomes_status: Status


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme: its disciplines, the electives offered, outcomes and stated totals."""

    code: str
    title: Text
    years: int
    total_credits: int
    stated_credits: Mapping[Component, int]
    hours_per_credit: int
    hours_status: Status
    languages: tuple[str, ...]
    disciplines: tuple[Discipline, ...]
    electives: tuple[Discipline, ...]
    outcomes: tuple[LearningOutcome, ...]
    source: str
    status: Status

    def credits_by_component(self) -> dict[Component, int]:
        """The credits of the curriculum's disciplines added up per component."""
        sums = dict.fromkeys(Component, 0)
        for discipline in self.disciplines:
            sums[discipline.component] += discipline.credits
        return sums

    def hours(self, discipline: Discipline) -> int:
        """Academic hours of a discipline: its credits times the hours per credit."""
        return discipline.credits * self.hours_per_credit

    def discipline(self, code: str) -> Discipline | None:
        """A discipline of the curriculum or an elective offered, by its code."""
        return next((d for d in (*self.disciplines, *self.electives) if d.code == code), None)

    def as_json(self, language: str = "en") -> dict[str, object]:
        """The programme as the command line's ``--json`` prints it, texts in ``language``."""

        def one(discipline: Discipline) -> dict[str, object]:
            return {
                "code": discipline.code,
                "name": discipline.name.in_language(language),
                "credits": discipline.credits,
                "hours": self.hours(discipline),
                "component": str(discipline.component),
                "years": list(discipline.years),
                "outcomes": list(discipline.outcomes),
            }

        return {
            "code": self.code,
            "title": self.title.in_language(language),
            "total_credits": self.total_credits,
            "hours_per_credit": self.hours_per_credit,
            "disciplines": [one(d) for d in self.disciplines],
            "electives": [one(d) for d in self.electives],
            "learning_outcomes": [
                {
                    "code": outcome.code,
                    "title": outcome.title.in_language(language),
                    "text": outcome.text.in_language(language),
                }
                for outcome in self.outcomes
            ],
        }


def _text(row: Mapping[str, str], prefix: str) -> Text:
    return Text(row[f"{prefix}_kk"], row[f"{prefix}_ru"], row[f"{prefix}_en"])


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def _discipline(row: Mapping[str, str]) -> Discipline:
    return Discipline(
        code=row["code"],
        name=_text(row, "name"),
        component=Component(row["component"]),
        credits=int(row["credits"]),
        years=_years(row["years"]),
        outcomes=tuple(row["outcomes"].split()),
        offered_for=row["slot"] or None,
        source=row["source"],
        status=Status(row["status"]),
        outcomes_status=Status(row["outcomes_status"]),
    )


def _outcome(row: Mapping[str, str]) -> LearningOutcome:
    return LearningOutcome(
        row["code"], _text(row, "title"), _text(row, "text"), row["source"], Status(row["status"])
    )


def _check(found: Programme) -> None:
    sums = found.credits_by_component()
    if sums != dict(found.stated_credits) or sum(sums.values()) != found.total_credits:
        raise ProgrammeDataError(
            f"{found.code}: credits add up to {sums}, the document states "
            f"{dict(found.stated_credits)} and {found.total_credits} in all"
        )
    known = {outcome.code for outcome in found.outcomes}
    for discipline in (*found.disciplines, *found.electives):
        if not set(discipline.outcomes) <= known:
            raise ProgrammeDataError(f"{found.code}: {discipline.code} names unknown outcomes")
        slot = found.discipline(discipline.offered_for) if discipline.offered_for else None
        if discipline.offered_for and (slot is None or slot.credits != discipline.credits):
            raise ProgrammeDataError(
                f"{found.code}: {discipline.code} does not match {discipline.offered_for}"
            )


def _load(row: Mapping[str, str]) -> Programme:
    code = row["code"]
    rows = [_discipline(r) for r in read_rows(f"programme_{code}.csv")]
    found = Programme(
        code=code,
        title=_text(row, "title"),
        years=int(row["years"]),
        total_credits=int(row["total_credits"]),
        stated_credits={
            Component.COMPULSORY: int(row["compulsory_credits"]),
            Component.ELECTIVE: int(row["elective_credits"]),
            Component.ATTESTATION: int(row["attestation_credits"]),
        },
        hours_per_credit=int(row["hours_per_credit"]),
        hours_status=Status(row["hours_status"]),
        languages=tuple(row["languages"].split()),
        disciplines=tuple(d for d in rows if d.offered_for is None),
        electives=tuple(d for d in rows if d.offered_for is not None),
        outcomes=tuple(_outcome(r) for r in read_rows(f"programme_{code}_outcomes.csv")),
        source=row["source"],
        status=Status(row["status"]),
    )
    _check(found)
    return found


@cache
def _programmes() -> dict[str, Programme]:
    return {row["code"]: _load(row) for row in read_rows("training_programmes.csv")}


def programme_codes() -> tuple[str, ...]:
    """The codes of every programme shipped, in the order of ``training_programmes.csv``."""
    return tuple(_programmes())


def programme(code: str) -> Programme:
    """The programme with that code, checked against its stated totals.

    Parameters
    ----------
    code
        The programme's code, e.g. ``7R01108``.

    Returns
    -------
    Programme
        Its disciplines, electives, learning outcomes and totals.

    Raises
    ------
    UnknownProgrammeError
        No programme has that code (the message lists the codes there are).
    ProgrammeDataError
        The shipped data do not add up (a bug).

    Examples
    --------
    >>> found = programme("7R01108")
    >>> found.total_credits, found.hours(found.disciplines[0]), len(found.electives)
    (140, 180, 5)
    """
    found = _programmes().get(code.strip())
    if found is None:
        raise UnknownProgrammeError(
            parts=(
                (
                    N_("no programme {code}; the programmes are {codes}"),
                    {"code": code, "codes": ", ".join(programme_codes())},
                ),
            )
        )
    return found
