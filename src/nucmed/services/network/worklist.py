"""The modality worklist: the day's dose requests of a site as scheduled procedure steps, so
that the camera console needs no retyping (DICOM PS3.4 K.6, Modality Worklist) [1]_.

References
----------
.. [1] DICOM PS3.4 (2025b), Annex K.6 "Modality Worklist Information Model"; PS3.3 C.4.10
   "Scheduled Procedure Step Module".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.errors import N_, refusal
from nucmed.interop.rrdsr import person_name
from nucmed.services.network.devices import Device
from nucmed.services.permissions import AccessDeniedError, Permission, user_may
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import DoseRequest, Patient

__all__ = ["WorklistItem", "WorklistQuery", "worklist"]

_MOST_DAYS = 31  # one query spans at most a month of scheduled steps


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    """What a console asks for; None matches anything. Days are the site's local days."""

    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
    station_ae_title: str | None = None
    patient_id: str | None = None
    accession_number: str | None = None


@dataclass(frozen=True, slots=True)
class WorklistItem:
    """One scheduled procedure step: a dose request and its patient (names in PN form)."""

    request_id: int
    patient_id: str
    patient_name: str
    patient_birth_date: datetime.date | None
    patient_sex: str | None
    accession_number: str
    procedure: str
    radiopharmaceutical: str
    nuclide: str
    planned_at: datetime.datetime
    station_ae_title: str


def _bounds(query: WorklistQuery, zone: ZoneInfo, today: datetime.date) -> tuple[
    datetime.datetime, datetime.datetime
]:  # fmt: skip
    first = query.first_day or query.last_day or today
    last = query.last_day or query.first_day or today
    if last < first or (last - first).days >= _MOST_DAYS:
        raise refusal(N_("ask for 1 to {most} days of the worklist, first day first"),
                      most=_MOST_DAYS)  # fmt: skip
    start = datetime.datetime.combine(first, datetime.time(), zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), zone)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def _matches(query: WorklistQuery, item: WorklistItem) -> bool:
    wanted = (
        (query.station_ae_title, item.station_ae_title),
        (query.patient_id, item.patient_id),
        (query.accession_number, item.accession_number),
    )
    return all(want is None or want == have for want, have in wanted)


def _item(request: DoseRequest, patient: Patient, zone: ZoneInfo) -> WorklistItem:
    return WorklistItem(
        request_id=request.id, patient_id=patient.local_id,
        patient_name=person_name(patient.full_name), patient_birth_date=patient.birth_date,
        patient_sex=patient.sex, accession_number=request.accession_number or "",
        procedure=request.procedure, radiopharmaceutical=request.radiopharmaceutical,
        nuclide=request.nuclide, planned_at=request.planned_at.astimezone(zone),
        station_ae_title=request.station_ae_title or "",
    )  # fmt: skip


def worklist(database: Database, device: Device, query: WorklistQuery) -> tuple[WorklistItem, ...]:
    """The site's dose requests planned on the days asked for (today if none), earliest first.

    Raises
    ------
    AccessDeniedError
        The device may not exchange records at its site.
    NucmedInputError
        The days asked for run backwards or span more than a month.
    """
    with transaction(database, read_only=True) as store:
        site = store.sites.by_code(device.site_code)
        assert site is not None  # the device's own site
        if not user_may(store, device.user_id, site, Permission.EXCHANGE):
            raise AccessDeniedError(N_("your role at this site does not allow this"))
        zone = ZoneInfo(site.time_zone)
        start, end = _bounds(query, zone, store.now().astimezone(zone).date())
        rows = store.session.execute(
            select(DoseRequest, Patient)
            .join(Patient, Patient.id == DoseRequest.patient_id)
            .where(DoseRequest.site_id == site.id, DoseRequest.planned_at >= start,
                   DoseRequest.planned_at < end)
            .order_by(DoseRequest.planned_at, DoseRequest.id)
        ).all()  # fmt: skip
        items = (_item(request, patient, zone) for request, patient in rows)
        return tuple(item for item in items if _matches(query, item))
