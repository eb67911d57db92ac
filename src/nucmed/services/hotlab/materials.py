"""Radioactive materials on site: what is left in a container, whether it may be used."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, func, select

from nucmed.errors import N_, Message, MessagePart, Moment, Word, refusal
from nucmed.physics.decay import Activity
from nucmed.radiopharmacy.kits import Kit, all_kits
from nucmed.services.auth import Identity
from nucmed.services.hotlab import qc_results
from nucmed.services.hotlab.lots import lot_warnings
from nucmed.services.hotlab.quarantine import QuarantineState, quarantine_states, quarantined_ids
from nucmed.services.hotlab.yields import yield_warnings
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Draw, Material, MaterialClosure, QcResult
from nucmed.store.id_lists import IDS, among
from nucmed.store.models import Site

__all__ = [
    "KINDS",
    "REQUIRED_QC",
    "Container",
    "Facts",
    "MaterialRef",
    "MaterialView",
    "OpenContainer",
    "QcView",
    "Remaining",
    "blocking_reasons",
    "facts_of",
    "get_material",
    "latest_qc",
    "material_view",
    "open_materials",
    "parts_of",
    "read_material",
    "reason",
    "remaining",
]

KINDS = ("generator", "vial", "capsule", "check_source", "eluate", "preparation")
"""Kinds of material: received (generator, vial, capsule, check source) or made here."""

REQUIRED_QC: dict[str, tuple[str, ...]] = {
    "eluate": ("mo99_breakthrough", "aluminium"),
    "preparation": ("rcp",),
}
"""QC tests a material needs, passed, before it may be used (generator eluate: Ph. Eur./USP
sodium pertechnetate; labelled kits: radiochemical purity)."""


def reason(template: str, **values: object) -> Message:
    """A reason (why something is refused) in English, keeping its translatable parts.

    ``template`` is marked with :func:`~nucmed.errors.N_`; the reason is a ``str``.
    """
    return Message.of_parts((template, values))


def parts_of(lines: Iterable[str]) -> tuple[MessagePart, ...]:
    """The translatable parts of reasons (a plain ``str`` is kept as it is), so that an error
    made of them reads, in English, as the reasons joined by "; "."""
    return tuple(
        part
        for line in lines
        for part in getattr(line, "parts", ()) or (("{line}", {"line": line}),)
    )


class Container(Protocol):
    """What the checks of a container read of its record (:func:`remaining`,
    :func:`blocking_reasons`): a stored :class:`~nucmed.store.hotlab.Material`, or the
    :class:`OpenContainer` of a list."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def nuclide(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def kit_code(self) -> str | None: ...
    @property
    def activity_bq(self) -> float: ...
    @property
    def reference_time(self) -> datetime: ...
    @property
    def volume_m3(self) -> float | None: ...
    @property
    def expires_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class OpenContainer:
    """An open container as a list reads it: the columns of its record that the checks
    need, without the rest (a page of hundreds of vials read as records spent about a third
    of its time making them)."""

    id: int
    kind: str
    nuclide: str
    product: str
    lot: str | None
    kit_code: str | None
    activity_bq: float
    reference_time: datetime
    volume_m3: float | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Remaining:
    """What is left in a container at a time: activity (Bq) and volume (m³, None if solid)."""

    activity_bq: float
    volume_m3: float | None
    at: datetime


def get_material(store: Store, site: Site, material_id: int, *, lock: bool = False) -> Material:
    """The material of that id at that site, or a clear error; with ``lock``, its row is
    locked until the transaction ends (``SELECT ... FOR UPDATE`` on PostgreSQL)."""
    material = store.session.get(Material, material_id, with_for_update=True if lock else None)
    if material is None or material.site_id != site.id:
        raise refusal(N_("no material {id} at {site}"), id=material_id, site=site.code)
    return material


@dataclass(frozen=True, slots=True)
class Facts:
    """What the stored records say of some materials, read in a fixed number of queries (a
    page of many vials reads them once, not per vial): the volume withdrawn from each (m³),
    the newest result of each QC test of each, and which are closed. Keyed by material id."""

    withdrawn_m3: Mapping[int, float]
    qc: Mapping[int, Mapping[str, QcResult]]
    closed: frozenset[int]
    quarantined: frozenset[int] = frozenset()
    """Materials in quarantine (a receipt survey over a limit, not released)."""


@cache
def _withdrawn_queries() -> tuple[Select[int | None, float | None], ...]:
    """The volume taken from each material by kit preparations, and by draws (the statements
    are built once: building them cost about as much as running them)."""
    return (
        select(Material.parent_id, func.sum(Material.volume_m3))
        .where(among(Material.parent_id), Material.kind == "preparation")
        .group_by(Material.parent_id),
        select(Draw.material_id, func.sum(Draw.volume_m3))
        .where(among(Draw.material_id))
        .group_by(Draw.material_id),
    )


@cache
def _newest_qc_query() -> Select[QcResult]:
    """The newest result of each QC test of each material (a correction or a repeat replaces
    the earlier one)."""
    newest = (
        select(func.max(QcResult.id))
        .where(among(QcResult.material_id))
        .group_by(QcResult.material_id, QcResult.test)
    )
    return select(QcResult).where(QcResult.id.in_(newest))


@cache
def _closed_query() -> Select[int]:
    return select(MaterialClosure.material_id).where(among(MaterialClosure.material_id))


def facts_of(store: Store, materials: Sequence[Container]) -> Facts:
    """The :class:`Facts` of ``materials`` (five queries, whatever their number; only the newest
    QC result of each test is read, however many were entered)."""
    ids = [m.id for m in materials]
    given = {IDS: ids}
    withdrawn: dict[int, float] = dict.fromkeys(ids, 0.0)
    for query in _withdrawn_queries():
        for material_id, volume in store.session.execute(query, given).all():
            if material_id is not None:  # the IN clause names only the materials asked for
                withdrawn[material_id] += float(volume or 0.0)
    qc: dict[int, dict[str, QcResult]] = {i: {} for i in ids}
    for row in store.session.scalars(_newest_qc_query(), given):
        qc[row.material_id][row.test] = row
    closed = store.session.scalars(_closed_query(), given)
    return Facts(withdrawn, qc, frozenset(closed), quarantined_ids(store, ids))


def remaining(
    store: Store, material: Container, at: datetime, facts: Facts | None = None
) -> Remaining:
    """Activity and volume left in a container at ``at``: decayed, less what was withdrawn.

    Withdrawals (kit preparations from an eluate, patient doses from a vial) take activity in
    proportion to their volume, as from a homogeneous solution. ``facts``: read beforehand for
    many materials (:func:`facts_of`); else read now.
    """
    decayed = Activity.of(material.nuclide, material.activity_bq, material.reference_time)
    activity_bq = decayed.activity_at(at)
    if material.volume_m3 is None or material.volume_m3 <= 0:
        return Remaining(activity_bq, None, at)
    known = facts or facts_of(store, [material])
    left_m3 = max(material.volume_m3 - known.withdrawn_m3[material.id], 0.0)
    return Remaining(activity_bq * left_m3 / material.volume_m3, left_m3, at)


def latest_qc(store: Store, material: Material) -> dict[str, QcResult]:
    """The newest result of each QC test of a material (a correction replaces its original)."""
    return dict(facts_of(store, [material]).qc[material.id])


def blocking_reasons(
    store: Store, material: Container, at: datetime, facts: Facts | None = None
) -> list[str]:
    """Why the material may not be used at ``at`` (empty: it may); each reason keeps its
    translatable parts (see :func:`reason`). ``facts``: as for :func:`remaining`."""
    known = facts or facts_of(store, [material])
    reasons: list[str] = []
    if material.id in known.closed:
        reasons.append(reason(N_("closed (used up, disposed of or returned)")))
    if material.id in known.quarantined:
        reasons.append(
            reason(N_("in quarantine: the radiation safety officer must release it before use"))
        )
    if material.expires_at is not None and at >= material.expires_at:
        reasons.append(reason(N_("expired at {at}"), at=Moment(material.expires_at)))
    results = known.qc[material.id]
    for test in REQUIRED_QC.get(material.kind, ()):
        if test not in results:
            reasons.append(reason(N_("{test} QC missing"), test=Word(test)))
        elif not results[test].passes:
            reasons.append(qc_results.failed(results[test]))
    breakthrough = results.get("mo99_breakthrough")
    if breakthrough is not None and breakthrough.passes:
        # The Mo-99/Tc-99m ratio grows after elution: is it still within the limit at ``at``?
        reasons.extend(qc_results.breakthrough_over_by(breakthrough, at))
    return reasons


@cache
def _open_query(kinds: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    """The open containers of the site bound as ``site_id``, of ``kinds`` (empty: all)."""
    query = select(
        Material.id,
        Material.kind,
        Material.nuclide,
        Material.product,
        Material.lot,
        Material.kit_code,
        Material.activity_bq,
        Material.reference_time,
        Material.volume_m3,
        Material.expires_at,
    ).where(
        Material.site_id == bindparam("site_id"),
        Material.id.not_in(select(MaterialClosure.material_id)),
    )
    if kinds:
        query = query.where(Material.kind.in_(kinds))
    return query.order_by(Material.id)


def open_materials(store: Store, site: Site, kinds: Collection[str] = ()) -> list[OpenContainer]:
    """Containers at a site that are not closed, oldest first; only those of ``kinds`` when
    given (``("eluate", "preparation", "vial")``: what doses are drawn from)."""
    rows = store.session.execute(_open_query(tuple(sorted(kinds))), {"site_id": site.id})
    return [OpenContainer(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class QcView:
    """The newest result of a QC test: value and limit in SI (Mo-99: Bq/Bq; aluminium: kg/m³;
    RCP: a fraction), the verdict, the method and when it was measured."""

    test: str
    value: float
    limit: float
    passes: bool
    method: str
    measured_at: datetime
    unit: str
    """The unit it is shown in (kBq/MBq, µg/mL, %; :data:`~.qc_results.QC_UNITS`)."""
    value_in_unit: float
    limit_in_unit: float
    limit_reached_at: datetime | None
    """Mo-99 breakthrough: when the eluate's growing Mo-99/Tc-99m ratio reaches the limit
    (None: other tests, or no Mo-99 measured)."""


@dataclass(frozen=True, slots=True)
class MaterialRef:
    """A material made from another (an eluate, a preparation): id, product, made at."""

    id: int
    product: str
    reference_time: datetime


@dataclass(frozen=True, slots=True)
class MaterialView:
    """A material as its page and the API show it at ``at``: the record, what is left, why it
    is blocked, its QC, what was made from it and the tests and kits it takes."""

    site: SiteView
    id: int
    kind: str
    nuclide: str
    product: str
    lot: str | None
    kit_code: str | None
    activity_bq: float
    reference_time: datetime
    volume_m3: float | None
    expires_at: datetime | None
    parent_id: int | None
    details: Mapping[str, Any]
    at: datetime
    left: Remaining
    blocked: tuple[str, ...]
    qc: Mapping[str, QcView]
    children: tuple[MaterialRef, ...]
    qc_tests: tuple[str, ...]
    """The QC tests this kind of material takes (empty: none)."""
    predicted_bq: float | None
    """An eluate's Tc-99m predicted for a complete elution (None for other kinds)."""
    yield_fraction: float | None
    """An eluate's measured activity over the prediction."""
    unchecked: tuple[str, ...]
    """Limits of a kit the catalogue has no sourced value for (not checked)."""
    kits: tuple[Kit, ...]
    """The kits an eluate may label."""
    warnings: tuple[str, ...] = ()
    """What to check, not a stop (an elution yield outside the site's band, a lot number
    already in stock); each keeps its translatable parts."""
    quarantine: QuarantineState | None = None
    """Why the material is in quarantine (None: it is not)."""


def _qc_view(row: QcResult) -> QcView:
    unit = qc_results.QC_UNITS[row.test]
    return QcView(
        row.test,
        row.value,
        row.limit,
        row.passes,
        row.method,
        row.measured_at,
        unit.symbol,
        unit.of(row.value),
        unit.of(row.limit),
        qc_results.limit_reached_at(row),
    )


def _children(store: Store, material: Material) -> tuple[MaterialRef, ...]:
    rows = store.session.scalars(
        select(Material).where(Material.parent_id == material.id).order_by(Material.id)
    )
    return tuple(MaterialRef(row.id, row.product, row.reference_time) for row in rows)


def material_view(store: Store, site: Site, material: Material, at: datetime) -> MaterialView:
    """The view of a stored material at ``at`` (inside the caller's transaction)."""
    details: dict[str, Any] = dict(material.details or {})
    predicted = details.get("predicted_bq")
    facts = facts_of(store, [material])
    return MaterialView(
        site=view_of_site(site),
        id=material.id,
        kind=material.kind,
        nuclide=material.nuclide,
        product=material.product,
        lot=material.lot,
        kit_code=material.kit_code,
        activity_bq=material.activity_bq,
        reference_time=material.reference_time,
        volume_m3=material.volume_m3,
        expires_at=material.expires_at,
        parent_id=material.parent_id,
        details=details,
        at=at,
        left=remaining(store, material, at, facts),
        blocked=tuple(blocking_reasons(store, material, at, facts)),
        qc={test: _qc_view(row) for test, row in facts.qc[material.id].items()},
        children=_children(store, material),
        qc_tests=REQUIRED_QC.get(material.kind, ()),
        predicted_bq=float(predicted) if predicted else None,
        yield_fraction=float(details["yield"]) if predicted and "yield" in details else None,
        unchecked=tuple(details.get("unchecked") or ()),
        kits=all_kits() if material.kind == "eluate" else (),
        warnings=(*yield_warnings(details), *lot_warnings(store, site, material)),
        quarantine=quarantine_states(store, [material.id]).get(material.id),
    )


def read_material(
    database: Database, identity: Identity, material_id: int, at: datetime | None = None
) -> MaterialView:
    """A material at ``at`` (default: now by the clock), for a person who may read the hot lab
    at its site.

    Raises
    ------
    NotFoundError
        There is no such material.
    AccessDeniedError
        The person may not read the hot lab at its site.
    """
    with transaction(database, read_only=True) as store:
        site, material = row_at_site(
            store, identity, Material, material_id, Permission.HOTLAB_READ
        )
        return material_view(store, site, material, at or store.now())
