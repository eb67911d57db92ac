"""Generator elutions and the QC of materials (eluate and preparation tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from nucmed.errors import N_, Word, refusal
from nucmed.physics import generator
from nucmed.physics.decay import Activity
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.hotlab.materials import REQUIRED_QC, MaterialView, material_view
from nucmed.services.hotlab.quarantine import quarantined_ids
from nucmed.services.hotlab.yields import check_yield
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.settings import site_settings
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material, QcResult
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "ElutionInput",
    "QcInput",
    "elute",
    "elute_generator",
    "enter_qc",
    "previous_elution_time",
    "record_qc",
]


@dataclass(frozen=True, slots=True)
class ElutionInput:
    """An elution: when, the measured Tc-99m activity (Bq) and the eluate volume (m³)."""

    eluted_at: datetime
    measured_bq: float
    volume_m3: float
    late_entry_reason: str | None = None
    """Why the elution is entered more than the site's late-entry limit after it happened."""


def _eluates(store: Store, generator_material: Material) -> list[Material]:
    return list(
        store.session.scalars(
            select(Material)
            .where(Material.parent_id == generator_material.id, Material.kind == "eluate")
            .order_by(Material.reference_time)
        )
    )


def previous_elution_time(store: Store, eluate: Material) -> datetime | None:
    """When the generator was eluted before this eluate (None: first elution)."""
    if eluate.parent_id is None:
        return None
    parent = store.session.get(Material, eluate.parent_id)
    if parent is None:
        return None
    earlier = [
        e.reference_time
        for e in _eluates(store, parent)
        if e.reference_time < eluate.reference_time
    ]
    return max(earlier) if earlier else None


def _predicted_bq(store: Store, source: Material, at: datetime) -> float:
    """Tc-99m in the column at ``at`` from the generator's elution history (100 % yield)."""
    history = [(e.reference_time, 1.0) for e in _eluates(store, source)] + [(at, 1.0)]
    elutions = generator.elution_history(source.activity_bq, source.reference_time, history)
    return elutions[-1].column_tc99m_before_bq


def elute(
    store: Store, actor: User, site: Site, source: Material, elution: ElutionInput
) -> Material:
    """Record an elution of a Mo-99/Tc-99m generator as a new eluate (audited).

    The predicted yield comes from the generator's history (previous elutions taken as
    complete); the eluate expires after the site's eluate expiry and may not be used
    before its Mo-99 breakthrough and aluminium results pass. A yield above 200 % is refused;
    one outside the site's band is stored and audited with a warning
    (:mod:`~nucmed.services.hotlab.yields`).
    """
    if source.kind != "generator" or source.nuclide != "Mo-99":
        raise refusal(N_("only a Mo-99/Tc-99m generator can be eluted"))
    if quarantined_ids(store, [source.id]):
        raise refusal(
            N_("generator #{id} is in quarantine: the radiation safety officer must release it"),
            id=source.id,
        )
    late = check_event_time(store, site, elution.eluted_at, elution.late_entry_reason)
    if elution.measured_bq <= 0 or elution.volume_m3 <= 0:
        raise refusal(N_("the eluate needs a positive activity and volume"))
    earlier = _eluates(store, source)
    if earlier and elution.eluted_at <= earlier[-1].reference_time:
        raise refusal(N_("an elution must come after the previous one"))
    predicted = _predicted_bq(store, source, elution.eluted_at)
    elution_yield = check_yield(store, site, elution.measured_bq, predicted)
    expiry_s = site_settings(store, site).eluate_expiry_s
    eluate = Material(
        site_id=site.id,
        kind="eluate",
        nuclide="Tc-99m",
        product=N_("Sodium pertechnetate (99mTc)"),  # shown translated on the pages
        lot=source.lot,
        supplier=None,
        activity_bq=elution.measured_bq,
        reference_time=elution.eluted_at,
        volume_m3=elution.volume_m3,
        expires_at=elution.eluted_at + timedelta(seconds=expiry_s),
        parent_id=source.id,
        kit_code=None,
        details={
            "predicted_bq": predicted,
            **elution_yield,
            "previous_elution": earlier[-1].reference_time.isoformat() if earlier else None,
        },
        created_at=store.now(),
        created_by_id=actor.id,
    )
    store.session.add(eluate)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "material.elute",
            "material",
            eluate.id,
            site_id=site.id,
            details={
                "generator": source.id,
                "measured_mbq": elution.measured_bq / BQ_PER_MBQ,
                "predicted_mbq": predicted / BQ_PER_MBQ,
                **elution_yield,
            },
        ),
    )
    record_late_entry(store, actor, late, "material", eluate.id)
    return eluate


@dataclass(frozen=True, slots=True)
class QcInput:
    """A QC measurement. ``value``: Mo-99 in Bq for ``mo99_breakthrough`` (measured at
    ``measured_at``; the eluate's Tc-99m is decay-corrected to that moment), kg/m³ for
    ``aluminium`` (1 µg/mL = 1e-3 kg/m³), a fraction 0..1 for ``rcp``."""

    test: str
    value: float
    method: str
    measured_at: datetime
    late_entry_reason: str | None = None
    """Why the result is entered more than the site's late-entry limit after the test."""


def _limit(store: Store, site: Site, material: Material, test: str) -> float:
    if test == "mo99_breakthrough":
        return site_settings(store, site).mo99_breakthrough_limit
    if test == "aluminium":
        return site_settings(store, site).eluate_aluminium_limit_kg_per_m3
    limit = (material.details or {}).get("rcp_min_fraction")
    if limit is None:
        raise refusal(N_("this preparation has no RCP limit recorded"))
    return float(limit)


def _evaluate(material: Material, qc: QcInput, limit: float) -> tuple[float, bool]:
    """The stored value (Mo-99: Bq Mo-99 per Bq Tc-99m at the measurement) and its verdict."""
    if qc.test == "mo99_breakthrough":
        eluate = Activity.of(material.nuclide, material.activity_bq, material.reference_time)
        ratio = qc.value / eluate.activity_at(qc.measured_at)
        return ratio, ratio <= limit
    if qc.test == "aluminium":
        return qc.value, qc.value <= limit
    return qc.value, qc.value >= limit


def record_qc(store: Store, actor: User, site: Site, material: Material, qc: QcInput) -> QcResult:
    """Record a QC result against the site's (or kit's) limit (audited)."""
    allowed = REQUIRED_QC.get(material.kind, ())
    if qc.test not in allowed:
        raise refusal(
            N_("{kind} takes the QC tests {tests}"),
            kind=Word(material.kind),
            tests=", ".join(allowed) or Word(N_("none")),
        )
    if not math.isfinite(qc.value) or qc.value < 0:
        raise refusal(N_("a QC value must be a finite number of 0 or more"))
    if qc.test == "rcp" and qc.value > 1:
        raise refusal(N_("radiochemical purity is a fraction from 0 to 1 (e.g. 0.95)"))
    late = check_event_time(store, site, qc.measured_at, qc.late_entry_reason)
    limit = _limit(store, site, material, qc.test)
    value, passes = _evaluate(material, qc, limit)
    result = QcResult(
        material_id=material.id,
        test=qc.test,
        method=qc.method.strip() or "-",
        value=value,
        limit=limit,
        passes=passes,
        measured_at=qc.measured_at,
        measured_by_id=actor.id,
        corrects_id=None,
    )
    store.session.add(result)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "qc.record",
            "material",
            material.id,
            site_id=site.id,
            details={"test": qc.test, "value": value, "limit": limit, "passes": passes},
        ),
    )
    record_late_entry(store, actor, late, "qc_result", result.id)
    return result


def elute_generator(
    database: Database, identity: Identity, generator_id: int, elution: ElutionInput
) -> MaterialView:
    """Elute a generator (hot-lab work at its site; audited): the new eluate at its elution.

    Write-locked, the generator's row locked: two elutions at once queue, and the second is
    checked against the first (an elution must come after the previous one).

    Raises
    ------
    NucmedInputError
        Not a generator, no positive activity or volume, not after the previous elution, or
        a yield above 200 %.
    NotFoundError, AccessDeniedError
        No such material, or the person may not work in the hot lab at its site.
    """
    with transaction(database, write_lock=True) as store:
        site, source = row_at_site(
            store, identity, Material, generator_id, Permission.HOTLAB_WORK, lock=True
        )
        eluate = elute(store, actor(store, identity), site, source, elution)
        return material_view(store, site, eluate, elution.eluted_at)


def enter_qc(
    database: Database, identity: Identity, material_id: int, qc: QcInput
) -> MaterialView:
    """Record a QC result of a material (hot-lab work at its site; audited): the material at
    the measurement.

    Raises
    ------
    NucmedInputError
        A test the material does not take, or a value out of its range.
    NotFoundError, AccessDeniedError
        No such material, or the person may not work in the hot lab at its site.
    """
    with transaction(database) as store:
        site, material = row_at_site(
            store, identity, Material, material_id, Permission.HOTLAB_WORK
        )
        record_qc(store, actor(store, identity), site, material, qc)
        return material_view(store, site, material, qc.measured_at)
