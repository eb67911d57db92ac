"""Stock: every source on site with its current activity; totals against licence limits."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from nucmed import bounds
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.hotlab.materials import (
    Container,
    Facts,
    blocking_reasons,
    facts_of,
    open_materials,
    reason,
    remaining,
)
from nucmed.services.permissions import Permission, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import LicenceLimit
from nucmed.store.models import Site, User

__all__ = [
    "LicenceLimitInput",
    "LicenceLimitView",
    "NuclideTotal",
    "StockLine",
    "StockView",
    "read_stock",
    "set_licence_limit",
    "set_limit",
    "stock",
]


@dataclass(frozen=True, slots=True)
class StockLine:
    """One open material (id, kind, nuclide, product, lot) and what it holds now (Bq, m³),
    with why it may not be used (empty: it may). ``activity_bq`` is None when the stored
    record gives no plausible activity now (beyond 1 PBq, or decay that cannot be computed):
    the line is shown and flagged (in ``blocked``), and left out of its nuclide's total."""

    id: int
    kind: str
    nuclide: str
    product: str
    lot: str | None
    activity_bq: float | None
    volume_m3: float | None
    blocked: tuple[str, ...]
    quarantined: bool = False
    """In quarantine after its receipt survey (shown in red until the RSO releases it)."""


@dataclass(frozen=True, slots=True)
class NuclideTotal:
    """The activity of a nuclide on site against the licence limit (None: no limit set).

    ``uncounted`` is the number of its lines whose activity cannot be computed (left out of
    ``activity_bq``): when above 0, the total is not the whole stock.
    """

    nuclide: str
    activity_bq: float
    limit_bq: float | None
    limit_source: str | None
    uncounted: int = 0

    @property
    def over_limit(self) -> bool:
        """True when a limit is set and the total exceeds it."""
        return self.limit_bq is not None and self.activity_bq > self.limit_bq


def _limits(store: Store, site: Site) -> dict[str, LicenceLimit]:
    newest = (
        select(func.max(LicenceLimit.id))
        .where(LicenceLimit.site_id == site.id)
        .group_by(LicenceLimit.nuclide)
    )
    rows = store.session.scalars(select(LicenceLimit).where(LicenceLimit.id.in_(newest)))
    return {row.nuclide: row for row in rows}


def stock(store: Store, site: Site, at: datetime) -> tuple[list[StockLine], list[NuclideTotal]]:
    """Open materials at ``at`` with their decay-corrected content, and totals per nuclide.

    A generator counts with its Mo-99; the Tc-99m in its column is not counted separately
    (it is in equilibrium with the Mo-99 and leaves as eluates, which are counted).
    """
    materials = open_materials(store, site)
    facts = facts_of(store, materials)
    lines = [_line(store, material, at, facts) for material in materials]
    counted: dict[str, list[float]] = defaultdict(list)
    uncounted: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.activity_bq is None:
            uncounted[line.nuclide] += 1
        else:
            counted[line.nuclide].append(line.activity_bq)
    limits = _limits(store, site)
    nuclides = sorted(set(counted) | set(uncounted) | set(limits))
    summary = [
        NuclideTotal(
            n,
            math.fsum(counted.get(n, ())),  # each at most 1 PBq: the sum stays finite
            limits[n].limit_bq if n in limits else None,
            limits[n].source if n in limits else None,
            uncounted.get(n, 0),
        )
        for n in nuclides
    ]
    return lines, summary


def _line(store: Store, material: Container, at: datetime, facts: Facts) -> StockLine:
    """A material's stock line; flagged, without an activity, when its record gives none
    that is plausible now (one poisoned row never breaks the page)."""
    blocked = blocking_reasons(store, material, at, facts)
    try:
        left = remaining(store, material, at, facts)
        activity_bq: float | None = left.activity_bq
        volume_m3 = left.volume_m3
    except NucmedInputError:  # decay that cannot be computed
        activity_bq, volume_m3 = None, None
    if activity_bq is not None and not bounds.ACTIVITY.or_zero().holds(activity_bq):
        activity_bq = None
    if activity_bq is None:
        blocked.append(reason(N_("the activity of this record cannot be computed; correct it")))
    return StockLine(
        material.id,
        material.kind,
        material.nuclide,
        material.product,
        material.lot,
        activity_bq,
        volume_m3,
        tuple(blocked),
        material.id in facts.quarantined,
    )


@dataclass(frozen=True, slots=True)
class LicenceLimitInput:
    """A licence condition: the nuclide, the activity allowed on hand (Bq), the licence text."""

    nuclide: str
    limit_bq: float
    source: str


def set_licence_limit(
    store: Store, actor: User, site: Site, limit: LicenceLimitInput
) -> LicenceLimit:
    """Record the licence's limit for a nuclide (a new row; the old one stays; audited)."""
    nuclide, limit_bq, source = limit.nuclide, limit.limit_bq, limit.source
    name = get_nuclide(nuclide).name
    if not math.isfinite(limit_bq) or limit_bq <= 0:
        raise refusal(N_("a licence limit is a positive activity"))
    if not source.strip():
        raise refusal(N_("give the licence number and condition as the source"))
    row = LicenceLimit(
        site_id=site.id,
        nuclide=name,
        limit_bq=limit_bq,
        source=source.strip(),
        set_at=store.now(),
        set_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "licence_limit.set",
            "site",
            site.id,
            site_id=site.id,
            details={"nuclide": name, "limit_bq": limit_bq, "source": row.source},
        ),
    )
    return row


@dataclass(frozen=True, slots=True)
class StockView:
    """The stock page: the site, the moment, the open materials and the totals per nuclide."""

    site: SiteView
    at: datetime
    lines: tuple[StockLine, ...]
    totals: tuple[NuclideTotal, ...]


def read_stock(database: Database, identity: Identity, code: str) -> StockView:
    """Every open source at site ``code`` now (by the clock), and the totals against the
    licence limits, for a person who may read its hot lab.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not read its hot lab.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.HOTLAB_READ)
        at = store.now()
        lines, totals = stock(store, site, at)
        return StockView(view_of_site(site), at, tuple(lines), tuple(totals))


@dataclass(frozen=True, slots=True)
class LicenceLimitView:
    """A recorded licence limit: nuclide, activity allowed on hand (Bq), source, when set."""

    nuclide: str
    limit_bq: float
    source: str
    set_at: datetime


def set_limit(
    database: Database, identity: Identity, code: str, limit: LicenceLimitInput
) -> LicenceLimitView:
    """Record the licence's limit for a nuclide at site ``code`` (licence editors; audited).

    Raises
    ------
    NucmedInputError
        Unknown nuclide, a limit that is not a positive activity, or no source.
    NotFoundError, AccessDeniedError
        No such site, or the person may not set its licence limits.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.LICENCE_EDIT)
        row = set_licence_limit(store, actor(store, identity), site, limit)
        return LicenceLimitView(row.nuclide, row.limit_bq, row.source, row.set_at)
