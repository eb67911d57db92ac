"""Exchange with scanners, injectors and the hospital system: administrations as DICOM RRDSR
and FHIR, RRDSRs read into administrations (never twice: the event UID), HL7 v2 ADT for
patient demographics and ORM for orders.

The use cases :func:`export_record`, :func:`export_fhir`, :func:`receive_rrdsr` and
:func:`receive_hl7` open their own unit of work and check :attr:`Permission.EXCHANGE`. An
import also needs the permission of what it does, checked where it does it (for whoever
imports, a person or a device account): recording an administration from an RRDSR
:attr:`Permission.ADMINISTER`, registering a patient from HL7 :attr:`Permission.PATIENT_REGISTER`
and asking for an ordered dose :attr:`Permission.DOSE_REQUEST`, at the site.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from nucmed.dosimetry.diagnostic import get_radiopharmaceutical, procedures
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.interop import fhir, hl7v2
from nucmed.interop.rrdsr import (
    NM_PROCEDURE,
    AdministrationRecord,
    Coded,
    code_name,
    lookup_code,
)
from nucmed.interop.rrdsr_reading import read_rrdsr
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.clinic.administrations import ROUTES
from nucmed.services.event_times import IMPORTED, check_event_time, record_late_entry
from nucmed.services.hotlab import doses
from nucmed.services.permissions import (
    AccessDeniedError,
    Permission,
    row_at_site,
    site_for,
    user_may,
)
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, DoseRequest, Patient
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "Hl7Received",
    "RrdsrReceived",
    "administration_record",
    "dicom_person_name",
    "export_fhir",
    "export_record",
    "fhir_bundle",
    "import_hl7",
    "import_rrdsr",
    "receive_hl7",
    "receive_rrdsr",
]


def _coded(kind: Any, text: str) -> Coded:
    try:
        return lookup_code(kind, text)
    except NucmedInputError:
        return Coded(code=text[:16] or "unknown", scheme="99NUCMED", meaning=text)


def dicom_person_name(full_name: str) -> str:
    """A name as DICOM writes it (PS3.5 6.2, PN): ``Family^Given Middle``; the first word is
    taken as the family name, as names are written in Kazakhstan and Kyrgyzstan."""
    if "^" in full_name:
        return full_name
    family, _, given = full_name.strip().partition(" ")
    return f"{family}^{given}"


def administration_record(store: Store, row: Administration) -> AdministrationRecord:
    """The administration as an interop record (for the DICOM RRDSR and FHIR)."""
    patient = store.session.get(Patient, row.patient_id)
    site = store.sites.by_id(row.site_id)
    assert patient is not None and site is not None
    route = None if row.route == "other" else _coded("route", row.route)
    return AdministrationRecord(
        event_uid=row.event_uid,
        radiopharmaceutical=_coded("radiopharmaceutical", row.radiopharmaceutical),
        radionuclide=_coded("radionuclide", row.nuclide),
        administered_activity_bq=row.net_activity_bq,
        start_datetime=row.administered_at.astimezone(ZoneInfo(site.time_zone)),  # the SR: local
        route=route,
        patient_id=patient.local_id,
        patient_name=dicom_person_name(patient.full_name),
        patient_sex=patient.sex if patient.sex in ("F", "M", "O") else None,  # type: ignore[arg-type]
        patient_birth_date=patient.birth_date,
        patient_weight_kg=row.patient_weight_kg,
        patient_height_m=row.patient_height_m,
        effective_dose_sv=row.effective_dose_sv,
        institution=site.name,
        procedure=Coded(NM_PROCEDURE.code, NM_PROCEDURE.scheme, row.procedure),
    )


def fhir_bundle(store: Store, row: Administration) -> dict[str, Any]:
    """A FHIR R4 collection Bundle: the dose summary Observation and the
    MedicationAdministration of one administration."""
    rec = administration_record(store, row)
    resources = [fhir.observation_dose_summary(rec), fhir.medication_administration(rec)]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": resource} for resource in resources],
    }


def _patient_for(store: Store, actor: User, site: Site, rec: AdministrationRecord) -> Patient:
    return doses.register_patient(
        store,
        actor,
        site,
        doses.PatientInput(
            rec.patient_id or f"RRDSR-{rec.event_uid[-12:]}",
            rec.patient_name or "Unknown",
            rec.patient_birth_date,
            rec.patient_sex,
        ),
    )


def _route(coded: Coded | None) -> str:
    if coded is None:
        return "other"
    word = code_name("route", coded).lower().replace(" route", "").strip()
    return word if word in ROUTES else "other"


def _nuclide(coded: Coded) -> str:
    """Our name of a radionuclide code (``^99m^Technetium`` -> ``Tc-99m``)."""
    name = code_name("radionuclide", coded)
    try:
        return get_nuclide(name).name
    except NucmedInputError:
        return name[:16]


def _allowed(store: Store, actor: User, site: Site, permission: Permission) -> None:
    """Refuse unless ``actor`` holds ``permission`` at ``site``."""
    if not user_may(store, actor.id, site, permission):
        raise AccessDeniedError(N_("your role at this site does not allow this"))


def import_rrdsr(
    store: Store, actor: User, site: Site, rec: AdministrationRecord, draw_id: int | None = None
) -> tuple[Administration, bool]:
    """Record an administration read from an RRDSR; an event UID already on file is returned
    as it is (``False``: nothing new), so the same SR can arrive twice without a duplicate.
    ``draw_id``: the syringe drawn here that it was (matched by the caller), or None.

    An old administration is taken as a late entry with the reason "imported" (audited as
    such); one in the future by the site's clock is refused.

    Raises
    ------
    AccessDeniedError
        A new administration, and ``actor`` may not record administrations at ``site``.
    EventTimeError
        The administration's start lies in the future.
    """
    found = store.session.scalars(
        select(Administration).where(Administration.event_uid == rec.event_uid)
    ).first()
    if found is not None:
        return found, False
    _allowed(store, actor, site, Permission.ADMINISTER)
    late = check_event_time(store, site, rec.start_datetime, IMPORTED)  # never in the future
    patient = _patient_for(store, actor, site, rec)
    procedure = (
        rec.radiopharmaceutical.meaning if rec.procedure == NM_PROCEDURE else rec.procedure.meaning
    )
    row = Administration(
        site_id=site.id,
        patient_id=patient.id,
        draw_id=draw_id,
        event_uid=rec.event_uid,
        procedure=procedure,
        radiopharmaceutical=rec.radiopharmaceutical.meaning,
        nuclide=_nuclide(rec.radionuclide),
        administered_at=rec.start_datetime,
        route=_route(rec.route),
        injection_site=None,
        net_activity_bq=rec.administered_activity_bq,
        residual_bq=None,
        prescribed_bq=None,
        deviation=None,
        deviation_reason=None,
        extravasation=False,
        pregnancy="unknown",
        breastfeeding=None,
        patient_weight_kg=rec.patient_weight_kg,
        patient_height_m=rec.patient_height_m,
        patient_age_years=None,
        effective_dose_sv=rec.effective_dose_sv,
        origin="rrdsr",
        administered_by_id=None,
        recorded_at=store.now(),
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "administration.import",
            "patient",
            patient.id,
            site_id=site.id,
            details={
                "event_uid": rec.event_uid,
                "activity_mbq": rec.administered_activity_bq / BQ_PER_MBQ,
            },
        ),
    )
    record_late_entry(store, actor, late, "administration", row.id)
    return row, True


def _usual_activity_bq(order: hl7v2.Order) -> tuple[str, str, float]:
    """(procedure, radiopharmaceutical, activity in Bq) for an ordered code: the upper end of
    the catalogue's usual adult activity (the physician adjusts the request on the board)."""
    wanted = {order.procedure_code.lower(), order.procedure_text.lower()}
    for procedure in procedures():
        names = {procedure.code.lower(), procedure.name.lower()}
        usual = procedure.adult_max_bq or procedure.adult_min_bq
        if names & wanted and usual is not None:
            return procedure.name, procedure.radiopharmaceutical, usual
    raise refusal(
        N_(
            "ordered procedure {code} {text} is not in the catalogue with a usual adult "
            "activity: ask for the dose on the day board"
        ),
        code=order.procedure_code,
        text=repr(order.procedure_text),
    )


def import_hl7(
    store: Store,
    actor: User,
    site: Site,
    text: str,
    sex_codes: Mapping[str, hl7v2.Sex | None] | None = None,
) -> dict[str, Any]:
    """ADT^A01/A04/A08: register or find the patient (an A08 update corrects the name, birth
    date or sex on file: see :mod:`nucmed.services.patient_identity`). ORM^O01: also ask for
    each ordered dose at its requested time with the procedure's usual adult activity, and the
    order's accession number (OBR-18) for the worklist. Times without offset are in the site's
    zone; ``sex_codes`` are the site's local PID-8 codes (an unknown code: unknown sex and a
    warning in ``warnings``).

    Raises
    ------
    AccessDeniedError
        ``actor`` may not register patients at ``site``, or the message orders doses and they
        may not ask for doses there.
    """
    _allowed(store, actor, site, Permission.PATIENT_REGISTER)
    message = hl7v2.read_message(text, default_tz=ZoneInfo(site.time_zone), sex_codes=sex_codes)
    orders = tuple(getattr(message, "orders", ()))
    if orders:
        _allowed(store, actor, site, Permission.DOSE_REQUEST)
    person = message.patient
    update = getattr(message, "event", None) == "A08"  # the hospital's correction
    patient = doses.register_patient(
        store,
        actor,
        site,
        doses.PatientInput(
            person.patient_id,
            person.patient_name,
            person.birth_date,
            person.sex,
            corrected=update,
            reason=f"HL7 ADT^A08 update, message {message.control_id}" if update else None,
        ),
    )
    requests: list[int] = []
    warnings = list(person.warnings)
    for order in orders:
        name, agent, activity_bq = _usual_activity_bq(order)
        if order.requested_at is None:
            raise refusal(N_("order {order}: no requested time"), order=order.placer_order_number)
        made: DoseRequest = doses.request_dose(
            store,
            actor,
            site,
            doses.RequestInput(
                patient.id,
                name,
                agent,
                _agent_nuclide(agent),
                activity_bq,
                order.requested_at,
                accession_number=_accession(order, warnings),
            ),
        )
        requests.append(made.id)
    return {"patient_id": patient.id, "dose_requests": requests, "warnings": warnings}


def _accession(order: hl7v2.Order, warnings: list[str]) -> str | None:
    """OBR-18 if it fits DICOM's Accession Number (SH, 16 characters), else a warning."""
    number = order.accession_number
    if number is not None and len(number) > 16:  # noqa: PLR2004 - PS3.5 6.2, VR SH
        warnings.append(f"accession number {number!r} is longer than 16 characters: not kept")
        return None
    return number


def _agent_nuclide(agent: str) -> str:
    return get_radiopharmaceutical(agent).nuclide


def export_record(
    database: Database, identity: Identity, administration_id: int
) -> AdministrationRecord:
    """An administration as an interop record, for its DICOM RRDSR.

    Raises
    ------
    NotFoundError
        No such administration.
    AccessDeniedError
        The person may not exchange dose records at its site.
    """
    with transaction(database) as store:
        _, row = row_at_site(
            store, identity, Administration, administration_id, Permission.EXCHANGE
        )
        return administration_record(store, row)


def export_fhir(database: Database, identity: Identity, administration_id: int) -> dict[str, Any]:
    """An administration as a FHIR R4 Bundle (see :func:`fhir_bundle`).

    Raises
    ------
    NotFoundError
        No such administration.
    AccessDeniedError
        The person may not exchange dose records at its site.
    """
    with transaction(database) as store:
        _, row = row_at_site(
            store, identity, Administration, administration_id, Permission.EXCHANGE
        )
        return fhir_bundle(store, row)


@dataclass(frozen=True, slots=True)
class RrdsrReceived:
    """The administration an RRDSR was read into; ``created`` False: it was on file."""

    administration_id: int
    created: bool


def receive_rrdsr(database: Database, identity: Identity, code: str, data: bytes) -> RrdsrReceived:
    """Read an RRDSR (the DICOM file's bytes) into an administration at site ``code``; times
    without an offset are in the site's time zone (see :func:`import_rrdsr`).

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not exchange dose records there, or may not record administrations
        there.
    NucmedInputError
        The file is not an RRDSR that can be read.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.EXCHANGE)
        person = actor(store, identity)
        _allowed(store, person, site, Permission.ADMINISTER)
        rec = read_rrdsr(io.BytesIO(data), default_tz=ZoneInfo(site.time_zone))
        row, created = import_rrdsr(store, person, site, rec)
        return RrdsrReceived(row.id, created)


@dataclass(frozen=True, slots=True)
class Hl7Received:
    """The patient an HL7 v2 message registered or found, the dose requests it made, and the
    warnings of the reading (an unknown sex code: stored as unknown)."""

    patient_id: int
    dose_requests: tuple[int, ...]
    warnings: tuple[str, ...] = ()


def receive_hl7(database: Database, identity: Identity, code: str, text: str) -> Hl7Received:
    """Read an HL7 v2 ADT or ORM message at site ``code`` (see :func:`import_hl7`).

    Raises
    ------
    NotFoundError
        No site has that code.
    AccessDeniedError
        The person may not exchange dose records there, may not register patients there, or
        (an order) may not ask for doses there.
    NucmedInputError
        The message cannot be read, or an order cannot be turned into a dose request.
    """
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.EXCHANGE)
        result = import_hl7(store, actor(store, identity), site, text)
        return Hl7Received(
            result["patient_id"], tuple(result["dose_requests"]), tuple(result["warnings"])
        )
