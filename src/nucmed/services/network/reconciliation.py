"""The reconciliation page's use cases: the RRDSRs that did not become a record by themselves
(a second SR of an administration on file, the same or differing; an SR whose patient is not
the one on file with its hospital number), and their closing by the physicist or physician with
a reason (audited as ``reconciliation.resolve``; the item stays)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import AuditEntry
from nucmed.store.network import ReconciliationItem, StoredObject

__all__ = ["ReconciliationList", "ReconciliationView", "Resolved", "read_reconciliation",
           "resolve_item"]  # fmt: skip

_RESOLVE = "reconciliation.resolve"


@dataclass(frozen=True, slots=True)
class ReconciliationView:
    """One item: the administration on file (None for a ``patient`` item) and what the SR says
    (each pair: on file, sent; None where they agree). ``resolution``: the reason it was
    closed, or None."""

    id: int
    kind: str
    event_uid: str
    administration_id: int | None
    patient_id: int | None
    patient_local_id: str
    created_at: datetime.datetime
    start: tuple[datetime.datetime, datetime.datetime] | None
    activity_bq: tuple[float, float] | None
    radiopharmaceutical: tuple[str, str] | None
    patient_number: tuple[str, str] | None
    identity: tuple[str, str] | None
    resolution: str | None


@dataclass(frozen=True, slots=True)
class ReconciliationList:
    """A site's items, open ones first, newest first within each."""

    site: SiteView
    now: datetime.datetime
    items: tuple[ReconciliationView, ...]


def _pair(differences: dict[str, list[object]], key: str) -> tuple[str, str] | None:
    found = differences.get(key)
    return None if found is None else (str(found[0]), str(found[1]))


def _patient(store: Store, item: ReconciliationItem) -> tuple[int | None, str]:
    """The patient's id and hospital number: of the administration, else as the SR sent it."""
    given = (
        None if item.administration_id is None
        else store.session.get(Administration, item.administration_id)
    )  # fmt: skip
    if given is not None:
        patient = store.session.get(Patient, given.patient_id)
        assert patient is not None  # a foreign key
        return patient.id, patient.local_id
    stored = store.session.get(StoredObject, item.stored_object_id)
    number = stored.patient_key if stored is not None else ""
    on_file = store.session.scalars(
        select(Patient).where(Patient.site_id == item.site_id, Patient.local_id == number)
    ).first()
    return (None if on_file is None else on_file.id), number


def _view(store: Store, item: ReconciliationItem, resolution: str | None) -> ReconciliationView:
    patient_id, number = _patient(store, item)
    differences = item.differences
    start = _pair(differences, "start")
    activity = differences.get("activity_bq")
    return ReconciliationView(
        id=item.id, kind=item.kind, event_uid=item.event_uid,
        administration_id=item.administration_id, patient_id=patient_id,
        patient_local_id=number, created_at=item.created_at,
        start=None if start is None else (datetime.datetime.fromisoformat(start[0]),
                                          datetime.datetime.fromisoformat(start[1])),
        activity_bq=None if activity is None else (float(activity[0]), float(activity[1])),
        radiopharmaceutical=_pair(differences, "radiopharmaceutical"),
        patient_number=_pair(differences, "patient_id"),
        identity=_pair(differences, "identity"), resolution=resolution,
    )  # fmt: skip


def _resolutions(store: Store, ids: list[int]) -> dict[int, str]:
    rows = store.session.execute(
        select(AuditEntry.entity_id, AuditEntry.reason).where(
            AuditEntry.action == _RESOLVE, AuditEntry.entity == "reconciliation_item",
            AuditEntry.entity_id.in_([str(i) for i in ids]),
        )
    )  # fmt: skip
    return {int(entity_id): str(reason or "") for entity_id, reason in rows}


def read_reconciliation(database: Database, identity: Identity, code: str) -> ReconciliationList:
    """The reconciliation items of site ``code``.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not reconcile dose records there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.RECONCILE)
        items = list(store.session.scalars(
            select(ReconciliationItem).where(ReconciliationItem.site_id == site.id)
            .order_by(ReconciliationItem.id.desc())
        ))  # fmt: skip
        closed = _resolutions(store, [item.id for item in items])
        views = [_view(store, item, closed.get(item.id)) for item in items]
        views.sort(key=lambda view: view.resolution is not None)  # stable: newest first within
        return ReconciliationList(view_of_site(site), store.now(), tuple(views))


@dataclass(frozen=True, slots=True)
class Resolved:
    """An item closed: which, at which site, and why."""

    item_id: int
    site_code: str
    reason: str


def resolve_item(database: Database, identity: Identity, item_id: int, reason: str) -> Resolved:
    """Close an item with a reason (the physicist or physician; audited). The item and the
    administration on file stay as they are: a record to correct is corrected on its page.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such item, or the person may not reconcile dose records at its site.
    NucmedInputError
        No reason, or the item is closed already.
    """
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise refusal(N_("say why the item is closed: a reason is required"))
    with transaction(database) as store:
        site, item = row_at_site(store, identity, ReconciliationItem, item_id,
                                 Permission.RECONCILE)  # fmt: skip
        if item.id in _resolutions(store, [item.id]):
            raise refusal(N_("reconciliation item {id} is closed already"), id=item.id)
        record(store, actor(store, identity), Event(
            _RESOLVE, "reconciliation_item", item.id, site_id=site.id, reason=cleaned,
            details={"event_uid": item.event_uid, "kind": item.kind},
        ))  # fmt: skip
        return Resolved(item.id, site.code, cleaned)
