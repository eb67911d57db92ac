"""The audit trail: who did what to which record, when (UTC) and why.

Entries are append-only (the database refuses UPDATE and DELETE on them). A correction is a new
entry that points to the entry it corrects. Actions listed in :data:`REASON_REQUIRED` are
refused without a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nucmed.errors import N_, NucmedInputError
from nucmed.services.uow import Store
from nucmed.store.models import AuditEntry, User

__all__ = ["REASON_REQUIRED", "Event", "ReasonRequiredError", "correct", "record"]

REASON_REQUIRED = frozenset(
    {
        "membership.grant",
        "site_setting.change",
        "user.deactivate",
        "audit.correct",
        "dose.draw_override",
        "dose.discard",
        "patient.correct",
    }
)
"""Actions that change what people may do or what limits apply: they need a written reason."""


class ReasonRequiredError(NucmedInputError):
    """An action that needs a reason was attempted without one."""


@dataclass(frozen=True, slots=True)
class Event:
    """What happened to which record, and why.

    Parameters
    ----------
    action
        What was done, ``<entity>.<verb>`` (``user.create``, ``site_setting.change``).
    entity
        The kind of record (``user``, ``site``, ``site_setting``).
    entity_id
        Which record.
    site_id
        The site it happened at, if any.
    reason
        Why; required for the actions in :data:`REASON_REQUIRED`.
    details
        What changed (JSON-serialisable).
    corrects
        The entry this one corrects, if it is a correction.
    """

    action: str
    entity: str
    entity_id: str | int
    site_id: int | None = None
    reason: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    corrects: AuditEntry | None = None


def record(store: Store, actor: User | None, event: Event) -> AuditEntry:
    """Append an entry to the audit trail, in the caller's transaction.

    Raises
    ------
    ReasonRequiredError
        If the action needs a reason and none (or only blanks) was given.
    """
    cleaned = (event.reason or "").strip() or None
    if event.action in REASON_REQUIRED and cleaned is None:
        raise ReasonRequiredError(
            parts=(
                (
                    N_("{action} needs a reason: say why in the reason field"),
                    {"action": event.action},
                ),
            )
        )
    entry = AuditEntry(
        at=store.now(),
        actor_id=actor.id if actor else None,
        site_id=event.site_id,
        action=event.action,
        entity=event.entity,
        entity_id=str(event.entity_id),
        reason=cleaned,
        details=dict(event.details),
        corrects_id=event.corrects.id if event.corrects else None,
    )
    return store.audit.add(entry)


def correct(
    store: Store, actor: User, original: AuditEntry, reason: str, details: Mapping[str, Any]
) -> AuditEntry:
    """Append a correction of ``original``: a new entry pointing to it; the original stays."""
    return record(
        store,
        actor,
        Event(
            "audit.correct",
            original.entity,
            original.entity_id,
            site_id=original.site_id,
            reason=reason,
            details=details,
            corrects=original,
        ),
    )
