"""Why a request of the day board cannot be drawn, vial by vial: each reason names the vials
it stops, and a reason shared by many vials is said once (:func:`grouped`)."""

from __future__ import annotations

from collections.abc import Sequence

from nucmed.errors import N_, Message
from nucmed.services.hotlab.materials import parts_of

__all__ = ["Tried", "about", "grouped"]

_VIAL = N_("vial #{id}")
_VIALS = N_("vials #{ids}")

Tried = tuple[float, int, tuple[str, ...]]
"""A vial that holds the request's radiopharmaceutical but cannot serve it: the activity it
holds (Bq; -1 when it cannot be computed), its id and why."""


def grouped(ranked: Sequence[Tried]) -> tuple[str, ...]:
    """The other vials' reasons, each reason once with every vial it stops ("#12, #15: rcp
    QC missing"), in the order the vials are ranked: forty untested kits make one line, not
    forty, on every blocked line of the board."""
    vials_of: dict[str, list[int]] = {}
    reasons: dict[str, str] = {}
    for _, vial_id, problems in ranked:
        for problem in problems:
            key = str(problem)
            reasons.setdefault(key, problem)
            vials_of.setdefault(key, []).append(vial_id)
    return tuple(about(tuple(vials_of[key]), problem) for key, problem in reasons.items())


def about(vial_ids: Sequence[int], problem: str) -> str:
    """A problem naming the vials it stops ("#3, #7: ..." in English; translated part by
    part)."""
    ids = ", ".join(str(ident) for ident in vial_ids)
    said = Message(f"#{ids.replace(', ', ', #')}: {problem}")
    vials = (_VIAL, {"id": ids}) if len(vial_ids) == 1 else (_VIALS, {"ids": ids})
    said.parts = (vials, *parts_of((problem,)))
    return said
