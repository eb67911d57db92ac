"""Diagnostic reference level audit: the median administered activity per procedure and
period against the site's DRL (and, for children, the median activity per kilogram).

ICRP Publication 135 (2017), *Diagnostic reference levels in medical imaging*, paras. 180-186:
the DRL quantity in nuclear medicine is the administered activity (or activity per body
weight), compared through the median of a facility's patients for each procedure.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from nucmed.services.sites import effective_settings
from nucmed.services.uow import Store
from nucmed.store.hotlab import Administration
from nucmed.store.models import Site
from nucmed.units import BQ_PER_MBQ

__all__ = ["ADULT_AGE_Y", "AuditRow", "audit_csv", "audit_xlsx", "drl_audit", "drl_key"]

ADULT_AGE_Y = 18.0
"""Patients of this age or older count as adults; younger ones also get an activity per kg
(ICRP 135 para. 186 recommends weight-based DRLs for children)."""


def drl_key(procedure: str) -> str:
    """The site setting that holds a procedure's DRL, in MBq."""
    code = "".join(c if c.isalnum() else "_" for c in procedure.lower()).strip("_")
    return f"drl_{code}_mbq"


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

    @property
    def above_drl(self) -> bool | None:
        """True when the median exceeds the DRL (None without a DRL)."""
        return None if self.drl_bq is None else self.median_bq > self.drl_bq


def _drls(store: Store, site: Site) -> dict[str, float]:
    return {
        key: float(row.value)
        for key, row in effective_settings(store, site).items()
        if key.startswith("drl_")
    }


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
    drls = _drls(store, site)
    audit = []
    for procedure in sorted(activities):
        values = np.asarray(activities[procedure])
        children = per_kg.get(procedure, [])
        drl_mbq = drls.get(drl_key(procedure))
        audit.append(
            AuditRow(
                procedure=procedure,
                count=len(values),
                median_bq=float(np.median(values)),
                p75_bq=float(np.percentile(values, 75)),
                drl_bq=None if drl_mbq is None else drl_mbq * BQ_PER_MBQ,
                children=len(children),
                children_median_bq_per_kg=float(np.median(children)) if children else None,
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


def audit_csv(rows: list[AuditRow]) -> str:
    """The audit as CSV (activities in MBq, as the DRLs are published)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADER)
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


def audit_xlsx(rows: list[AuditRow], title: str) -> bytes:
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
