"""How sure a reference number is: one ordered vocabulary for every table and result.

Every shipped table (``nucmed/data/*.csv``) states, per row, how its numbers were checked,
in a column named ``status`` (or ``<quantity>_status`` where one row holds two numbers of
different provenance). Every result built from such numbers carries the weakest status of the
numbers it used (:func:`weakest`). The words, strongest first:

``confirmed``
    Read in the cited primary source (the publication, label, standard or data file itself,
    or a faithful copy of it).
``secondary``
    Quoted by a secondary source (a third-party transcription, code, compilation, study or
    textbook) named in the row; the primary was not read.
``derived``
    Computed by nucmed from confirmed or secondary values by a formula stated in the row's
    note or in the documentation.
``recalled``
    Written from memory of the source (e.g. the project's reference notes), not re-read.
``unverified``
    Not checked against any source (e.g. a national rule believed, not read, to adopt an
    international number; a site default with no source).

The order is the strength of the check, not the accuracy of the number: a derived value may
be exact, yet it rests on its inputs and on the formula. See ``docs/data-sources.md`` for the
older words each table used and how they map to these.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Status", "weakest"]


class Status(StrEnum):
    """How a number was checked (see the module docstring); a stronger check compares greater.

    A ``Status`` is a ``str``: it compares equal to its word and prints as it. Between statuses,
    ``<`` and ``>`` compare strength: ``confirmed > secondary > derived > recalled > unverified``.

    Examples
    --------
    >>> Status("secondary") == "secondary", Status.CONFIRMED > Status.SECONDARY
    (True, True)
    >>> sorted([Status.RECALLED, Status.CONFIRMED, Status.DERIVED])  # weakest first
    [<Status.RECALLED: 'recalled'>, <Status.DERIVED: 'derived'>, <Status.CONFIRMED: 'confirmed'>]
    """

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    DERIVED = "derived"
    RECALLED = "recalled"
    UNVERIFIED = "unverified"

    @property
    def strength(self) -> int:
        """4 for ``confirmed`` down to 0 for ``unverified``."""
        return len(_ORDER) - 1 - _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        """Weaker than ``other``."""
        if not isinstance(other, Status):
            return NotImplemented
        return self.strength < other.strength

    def __le__(self, other: object) -> bool:
        """Weaker than or as strong as ``other``."""
        if not isinstance(other, Status):
            return NotImplemented
        return self.strength <= other.strength

    def __gt__(self, other: object) -> bool:
        """Stronger than ``other``."""
        if not isinstance(other, Status):
            return NotImplemented
        return self.strength > other.strength

    def __ge__(self, other: object) -> bool:
        """Stronger than or as strong as ``other``."""
        if not isinstance(other, Status):
            return NotImplemented
        return self.strength >= other.strength


_ORDER = tuple(Status)


def weakest(*statuses: Status | str) -> Status:
    """The weakest of the statuses of the numbers a result used.

    Parameters
    ----------
    *statuses
        One or more statuses (a :class:`Status` or its word).

    Returns
    -------
    Status
        The last of them in the order confirmed, secondary, derived, recalled, unverified.

    Raises
    ------
    ValueError
        If no status is given, or a word is not in the vocabulary.

    Examples
    --------
    >>> weakest("confirmed", Status.DERIVED, "secondary")
    <Status.DERIVED: 'derived'>
    """
    if not statuses:
        raise ValueError("weakest() needs at least one status")
    return min(Status(status) for status in statuses)
