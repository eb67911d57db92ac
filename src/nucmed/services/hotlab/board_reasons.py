"""Why a request of the day board cannot be drawn, vial by vial: each reason names the vials
it stops, and a reason shared by many vials is said once (:func:`grouped`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nucmed.errors import N_, Message
from nucmed.services.hotlab.materials import parts_of

__all__ = ["NO_GROUPS", "Groups", "Tried", "about", "grouped", "groups"]

_VIAL = N_("vial #{id}")
_VIALS = N_("vials #{ids}")

Tried = tuple[float, int, tuple[str, ...]]
"""A vial that holds the request's radiopharmaceutical but cannot serve it: the activity it
holds (Bq; -1 when it cannot be computed), its id and why."""


@dataclass(frozen=True, slots=True)
class Groups:
    """Reasons said once each, in the order first seen, with the vials each stops and the
    reason as said (:func:`about`)."""

    vials_of: dict[str, tuple[int, ...]]
    reasons: dict[str, str]
    said: dict[str, str]


def groups(ranked: Sequence[Tried]) -> Groups:
    """The reasons of ``ranked``, each once with every vial it stops, in the vials' order."""
    vials_of: dict[str, list[int]] = {}
    reasons: dict[str, str] = {}
    for _, vial_id, problems in ranked:
        for problem in problems:
            key = str(problem)
            reasons.setdefault(key, problem)
            vials_of.setdefault(key, []).append(vial_id)
    ids = {key: tuple(vials) for key, vials in vials_of.items()}
    return Groups(ids, reasons, {key: about(ids[key], reasons[key]) for key in reasons})


NO_GROUPS = Groups({}, {}, {})


def grouped(ranked: Sequence[Tried], then: Groups = NO_GROUPS) -> tuple[str, ...]:
    """The other vials' reasons, each reason once with every vial it stops ("#12, #15: rcp
    QC missing"), in the order the vials are ranked: forty untested kits make one line, not
    forty, on every blocked line of the board.

    ``then``: the groups of the vials ranked after ``ranked``, made once for every line of a
    kind of request (:func:`groups`); a reason of both names the vials of both.
    """
    first = groups(ranked)
    said = [
        about((*vials, *then.vials_of.get(key, ())), first.reasons[key])
        for key, vials in first.vials_of.items()
    ]
    return (*said, *(then.said[key] for key in then.reasons if key not in first.reasons))


def about(vial_ids: Sequence[int], problem: str) -> str:
    """A problem naming the vials it stops ("#3, #7: ..." in English; translated part by
    part)."""
    ids = ", ".join(str(ident) for ident in vial_ids)
    said = Message(f"#{ids.replace(', ', ', #')}: {problem}")
    vials = (_VIAL, {"id": ids}) if len(vial_ids) == 1 else (_VIALS, {"ids": ids})
    said.parts = (vials, *parts_of((problem,)))
    return said
