"""Diagnostic reference level audit: the median administered activity per procedure and
period against the site's DRL (and, for children, the median activity per kilogram).

ICRP Publication 135 (2017), *Diagnostic reference levels in medical imaging*, paras. 180-186:
the DRL quantity in nuclear medicine is the administered activity (or activity per body
weight), compared through the median of a facility's patients for each procedure.

:func:`read_audit` is the use case (its own unit of work, :attr:`Permission.DRL_AUDIT`); the
DRLs come from the site's settings in Bq (:func:`~nucmed.services.settings.site_settings`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select

from nucmed.bounds import FIRST_DAY, LAST_DAY, check_year
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, site_for
from nucmed.services.setting_ranges import procedure_code
from nucmed.services.settings import site_settings
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration
from nucmed.store.models import Site
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "ADULT_AGE_Y",
    "AuditRow",
    "AuditView",
    "audit_csv",
    "audit_xlsx",
    "drl_audit",
    "drl_key",
    "read_audit",
]

ADULT_AGE_Y = 18.0
"""Patients of this age or older count as adults; younger ones also get an activity per kg
(ICRP 135 para. 186 recommends weight-based DRLs for children)."""


def _code(procedure: str) -> str:
    """A procedure's code in the DRL settings (``Bone scan`` -> ``bone_scan``)."""
    return procedure_code(procedure)


def drl_key(procedure: str) -> str:
    """The site setting that holds a procedure's DRL, in MBq."""
    return f"drl_{_code(procedure)}_mbq"


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One procedure over the period: counts, medians and the DRL (None: no DRL set)."""

    procedure: str
    count: int
    median_bq: float
    p75_bq: float
    drl_bq: float | None
    children: int
    children_median_bq_per_kg: float | None
    setting_key: str = ""
    """The site setting that holds this procedure's DRL (:func:`drl_key`)."""

    @property
    def above_drl(self) -> bool | None:
        """True when the median exceeds the DRL (None without a DRL)."""
        return None if self.drl_bq is None else self.median_bq > self.drl_bq


def drl_audit(store: Store, site: Site, start: datetime, end: datetime) -> list[AuditRow]:
    """Audit the administrations of ``start`` ≤ time < ``end`` at the site, per procedure."""
    rows = store.session.execute(
        select(
            Administration.procedure,
            Administration.net_activity_bq,
            Administration.patient_age_years,
            Administration.patient_weight_kg,
        ).where(
            Administration.site_id == site.id,
            Administration.administered_at >= start,
            Administration.administered_at < end,
        )
    )
    activities: dict[str, list[float]] = defaultdict(list)
    per_kg: dict[str, list[float]] = defaultdict(list)
    for procedure, activity_bq, age, weight in rows:
        activities[procedure].append(activity_bq)
        if age is not None and age < ADULT_AGE_Y and weight:
            per_kg[procedure].append(activity_bq / weight)
    drls = site_settings(store, site).drl_bq
    audit = []
    for procedure in sorted(activities):
        values = np.asarray(activities[procedure])
        children = per_kg.get(procedure, [])
        audit.append(
            AuditRow(
                procedure=procedure,
                count=len(values),
                median_bq=float(np.median(values)),
                p75_bq=float(np.percentile(values, 75)),
                drl_bq=drls.get(_code(procedure)),
                children=len(children),
                children_median_bq_per_kg=float(np.median(children)) if children else None,
                setting_key=drl_key(procedure),
            )
        )
    return audit


_HEADER = (
    "procedure",
    "count",
    "median_mbq",
    "p75_mbq",
    "drl_mbq",
    "above_drl",
    "children",
    "children_median_mbq_per_kg",
)


def _cells(row: AuditRow) -> tuple[object, ...]:
    def mbq(value: float | None) -> float | None:
        return None if value is None else round(value / BQ_PER_MBQ, 3)

    return (
        row.procedure,
        row.count,
        mbq(row.median_bq),
        mbq(row.p75_bq),
        mbq(row.drl_bq),
        row.above_drl,
        row.children,
        mbq(row.children_median_bq_per_kg),
    )


def audit_csv(rows: Sequence[AuditRow]) -> str:
    """The audit as CSV (activities in MBq, as the DRLs are published)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADER)
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


def audit_xlsx(rows: Sequence[AuditRow], title: str) -> bytes:
    """The audit as an Excel workbook (openpyxl), one sheet."""
    from openpyxl import Workbook  # noqa: PLC0415 - loaded only when exporting

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "DRL audit"
    sheet.append([title])
    sheet.append(list(_HEADER))
    for row in rows:
        sheet.append(list(_cells(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class AuditView:
    """The DRL audit of one calendar year (the site's local year) at a site, and the years
    that hold its data (``first_year``: its first administration or its creation, whichever
    is earlier; ``last_year``: the site's current year)."""

    site: SiteView
    year: int
    rows: tuple[AuditRow, ...]
    first_year: int
    last_year: int

    @property
    def previous_year(self) -> int | None:
        """The year before, for the page's navigation; None at the first year of data."""
        return min(self.year - 1, self.last_year) if self.year > self.first_year else None

    @property
    def next_year(self) -> int | None:
        """The year after, for the page's navigation; None at the site's current year."""
        return max(self.year + 1, self.first_year) if self.year < self.last_year else None


def _years(store: Store, site: Site, zone: ZoneInfo) -> tuple[int, int]:
    """The first and the last year of the site's data, in its local time (see AuditView)."""
    first = store.session.scalars(
        select(Administration.administered_at)
        .where(Administration.site_id == site.id)
        .order_by(Administration.administered_at)
        .limit(1)
    ).first()
    created = site.created_at.astimezone(zone).year
    last = store.now().astimezone(zone).year
    earliest = min(created, first.astimezone(zone).year) if first is not None else created
    return max(min(earliest, last), FIRST_DAY.year), min(last, LAST_DAY.year)


def read_audit(
    database: Database, identity: Identity, code: str, year: int | None = None
) -> AuditView:
    """The audit of the administrations of ``year`` (default: the site's current local year)
    at site ``code``, per procedure.

    Raises
    ------
    NucmedInputError
        The year lies outside 1900 to 2100 (:func:`nucmed.bounds.check_year`).
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not read the DRL audit there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.DRL_AUDIT)
        zone = ZoneInfo(site.time_zone)
        chosen = check_year(store.now().astimezone(zone).year if year is None else year)
        start, end = datetime(chosen, 1, 1, tzinfo=zone), datetime(chosen + 1, 1, 1, tzinfo=zone)
        rows = tuple(drl_audit(store, site, start, end))
        return AuditView(view_of_site(site), chosen, rows, *_years(store, site, zone))
