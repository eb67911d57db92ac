"""Packages in quarantine: put there at receipt when the survey exceeds a limit, released by the
radiation safety officer with a reason.

Quarantine is a record, not a flag: each quarantine and each release is a new row of
``quarantine_records`` (who, when, why) and an audit entry; the newest row of a material says
whether it is in quarantine now. A material in quarantine may not be used
(:func:`nucmed.services.hotlab.materials.blocking_reasons` says why): no elution, preparation
or draw from it.

Use cases: :func:`read_quarantine` (the list at a site, :attr:`Permission.HOTLAB_READ`) and
:func:`release` (:attr:`Permission.RELEASE_QUARANTINE`, the radiation safety officer only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, may, row_at_site, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material, QuarantineRecord, ReceiptSurvey
from nucmed.store.id_lists import IDS, among
from nucmed.store.models import Site, User

__all__ = [
    "AT_RECEIPT",
    "FindingView",
    "QuarantineList",
    "QuarantineRef",
    "QuarantineState",
    "QuarantinedPackage",
    "Released",
    "finding_views",
    "quarantine_at_receipt",
    "quarantine_states",
    "quarantined_at_site",
    "quarantined_ids",
    "read_quarantine",
    "release",
]

AT_RECEIPT = N_("the receipt survey exceeds a limit")
"""The reason of a quarantine made at receipt (translated where it is shown)."""
_QUARANTINE, _RELEASE = "quarantine", "release"
_REASON_MAX = 4000
"""The longest reason of a release (characters)."""


@dataclass(frozen=True, slots=True)
class FindingView:
    """A limit exceeded at receipt: what (``check``), the value and the limit in the SI
    ``unit`` (Sv/s, Bq/m2, or 1), the rule that sets the limit and where it is written
    (empty for findings recorded before the rules were named)."""

    check: str
    value: float
    limit: float
    unit: str
    rule: str
    source: str


def finding_views(findings: Iterable[Mapping[str, Any]]) -> tuple[FindingView, ...]:
    """The views of a receipt's stored findings (the ``findings`` JSON of its survey)."""
    return tuple(
        FindingView(
            str(f.get("check", "")),
            float(f.get("value", 0.0)),
            float(f.get("limit", 0.0)),
            str(f.get("unit", "")),
            str(f.get("rule", "")),
            str(f.get("source", "")),
        )
        for f in findings
    )


def quarantine_at_receipt(
    store: Store,
    actor: User,
    site: Site,
    material: Material,
    findings: Sequence[Mapping[str, Any]],
) -> QuarantineRecord:
    """Put a received package in quarantine because of ``findings`` (audited)."""
    row = QuarantineRecord(
        material_id=material.id,
        action=_QUARANTINE,
        at=store.now(),
        by_id=actor.id,
        reason=AT_RECEIPT,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "material.quarantine",
            "material",
            material.id,
            site_id=site.id,
            reason=AT_RECEIPT,
            details={"findings": list(findings)},
        ),
    )
    return row


@cache
def _newest_query() -> Select[QuarantineRecord]:
    """The newest quarantine record of each of the materials ``ids`` (built once)."""
    newest = (
        select(func.max(QuarantineRecord.id))
        .where(among(QuarantineRecord.material_id))
        .group_by(QuarantineRecord.material_id)
    )
    return select(QuarantineRecord).where(QuarantineRecord.id.in_(newest))


def _newest(store: Store, ids: Sequence[int]) -> dict[int, QuarantineRecord]:
    """The newest quarantine record of each material that has one (one query)."""
    rows = store.session.scalars(_newest_query(), {IDS: list(ids)})
    return {row.material_id: row for row in rows}


def quarantined_ids(store: Store, ids: Sequence[int]) -> frozenset[int]:
    """Which of the materials ``ids`` are in quarantine now."""
    return frozenset(m for m, row in _newest(store, ids).items() if row.action == _QUARANTINE)


@dataclass(frozen=True, slots=True)
class QuarantineRef:
    """A material in quarantine as a list names it (the day board)."""

    id: int
    nuclide: str
    product: str


def _ids_at_site(store: Store, site: Site) -> list[int]:
    """The materials of a site that have ever been in quarantine."""
    return list(
        store.session.scalars(
            select(QuarantineRecord.material_id)
            .join(Material, Material.id == QuarantineRecord.material_id)
            .where(Material.site_id == site.id)
            .distinct()
        )
    )


@cache
def _at_site_query() -> Select[int, str, str]:
    """The materials of the site bound as ``site_id`` whose newest quarantine record puts them
    in quarantine, oldest first (one statement, built once)."""
    newer = aliased(QuarantineRecord)
    newest = ~exists().where(
        newer.material_id == QuarantineRecord.material_id, newer.id > QuarantineRecord.id
    )
    return (
        select(Material.id, Material.nuclide, Material.product)
        .join(QuarantineRecord, QuarantineRecord.material_id == Material.id)
        .where(
            Material.site_id == bindparam("site_id"),
            QuarantineRecord.action == _QUARANTINE,
            newest,
        )
        .order_by(Material.id)
    )


def quarantined_at_site(store: Store, site: Site) -> tuple[QuarantineRef, ...]:
    """The materials of a site in quarantine now, oldest first."""
    rows = store.session.execute(_at_site_query(), {"site_id": site.id})
    return tuple(QuarantineRef(*row) for row in rows)


@dataclass(frozen=True, slots=True)
class QuarantineState:
    """A material in quarantine: since when, why, and what the receipt survey found."""

    since: datetime
    reason: str
    findings: tuple[FindingView, ...]


def _survey(store: Store, material_id: int) -> ReceiptSurvey | None:
    return store.session.scalars(
        select(ReceiptSurvey)
        .where(ReceiptSurvey.material_id == material_id)
        .order_by(ReceiptSurvey.id.desc())
        .limit(1)
    ).first()


def quarantine_states(store: Store, ids: Sequence[int]) -> dict[int, QuarantineState]:
    """The quarantine of each material of ``ids`` that is in quarantine now."""
    states = {}
    for material_id, row in _newest(store, ids).items():
        if row.action != _QUARANTINE:
            continue
        survey = _survey(store, material_id)
        found = finding_views(survey.findings or ()) if survey is not None else ()
        states[material_id] = QuarantineState(row.at, row.reason, found)
    return states


@dataclass(frozen=True, slots=True)
class QuarantinedPackage:
    """A package in quarantine as the radiation safety officer's list shows it: the material,
    the declaration, what was measured (Sv/s, Bq/m²) and what it exceeds."""

    material_id: int
    kind: str
    nuclide: str
    product: str
    lot: str | None
    supplier: str | None
    measured_at: datetime | None
    label_category: str | None
    transport_index: float | None
    exclusive_use: bool | None
    surface_dose_rate_sv_per_s: float | None
    one_metre_dose_rate_sv_per_s: float | None
    wipe_bq_per_m2: float | None
    state: QuarantineState


@dataclass(frozen=True, slots=True)
class QuarantineList:
    """The packages in quarantine at a site, and whether the reader may release them."""

    site: SiteView
    now: datetime
    packages: tuple[QuarantinedPackage, ...]
    may_release: bool


def _package(store: Store, material: Material, state: QuarantineState) -> QuarantinedPackage:
    survey = _survey(store, material.id)
    return QuarantinedPackage(
        material.id,
        material.kind,
        material.nuclide,
        material.product,
        material.lot,
        material.supplier,
        survey.measured_at if survey else None,
        survey.label_category if survey else None,
        survey.transport_index if survey else None,
        survey.exclusive_use if survey else None,
        survey.surface_dose_rate_sv_per_s if survey else None,
        survey.one_metre_dose_rate_sv_per_s if survey else None,
        survey.wipe_bq_per_m2 if survey else None,
        state,
    )


def read_quarantine(database: Database, identity: Identity, code: str) -> QuarantineList:
    """The packages in quarantine at site ``code``, oldest first, for a person who may read
    its hot lab; ``may_release``: the person is its radiation safety officer.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read its hot lab.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        states = quarantine_states(store, _ids_at_site(store, site))
        materials = store.session.scalars(
            select(Material).where(Material.id.in_(states)).order_by(Material.id)
        )
        packages = tuple(_package(store, m, states[m.id]) for m in materials)
        allowed = may(store, identity, site, Permission.RELEASE_QUARANTINE)
        return QuarantineList(view_of_site(site), store.now(), packages, allowed)


@dataclass(frozen=True, slots=True)
class Released:
    """A release from quarantine: the material, its site, when, by whom and why."""

    material_id: int
    site_code: str
    at: datetime
    reason: str


def release(database: Database, identity: Identity, material_id: int, reason: str) -> Released:
    """Release a material from quarantine (the radiation safety officer; audited): it may be
    used again.

    Raises
    ------
    NucmedInputError
        No reason given, or the material is not in quarantine.
    NotFoundError, AccessDeniedError
        No such material, or the person is not the radiation safety officer at its site.
    """
    why = bounds.check_text(N_("reason"), reason.strip(), _REASON_MAX)
    with transaction(database) as store:
        site, material = row_at_site(
            store, identity, Material, material_id, Permission.RELEASE_QUARANTINE
        )
        if not why:
            raise refusal(N_("give the reason for releasing the package from quarantine"))
        if material.id not in quarantined_ids(store, [material.id]):
            raise refusal(N_("material {id} is not in quarantine"), id=material.id)
        person = actor(store, identity)
        row = QuarantineRecord(
            material_id=material.id, action=_RELEASE, at=store.now(), by_id=person.id, reason=why
        )
        store.session.add(row)
        store.session.flush()
        record(
            store,
            person,
            Event("material.release", "material", material.id, site_id=site.id, reason=why),
        )
        return Released(material.id, site.code, row.at, why)
