"""The patients of a site: find them by name or hospital number, register one, and read a
patient's record (administrations with their doses, therapy courses).

Registering goes through :func:`nucmed.services.patient_identity.register_patient`: a hospital
number already known at the site, with the same name, gives that patient back (not a second
one); with another name, birth date or sex it is refused unless the entry says it corrects
the identity, and why. A patient's record lists those corrections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from nucmed.services.auth import Identity, actor
from nucmed.services.patient_identity import PatientInput, register_patient
from nucmed.services.permissions import Permission, may, row_at_site, site_for
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.therapy.courses import AGENTS
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.models import PatientCorrection
from nucmed.store.therapy import TherapyCourse

__all__ = [
    "SHOWN_AT_MOST",
    "AdministrationRow",
    "CorrectionRow",
    "CourseRow",
    "PatientList",
    "PatientRecord",
    "PatientRow",
    "PatientView",
    "find_patients",
    "patient_record",
    "patient_view",
    "register",
]

SHOWN_AT_MOST = 50
"""The most patients a search shows: narrow it to see others."""


@dataclass(frozen=True, slots=True)
class PatientView:
    """A patient's identifying data (sex as HL7 v2 PID-8: F, M, O; None when unknown)."""

    id: int
    local_id: str
    full_name: str
    birth_date: date | None
    sex: str | None


def patient_view(patient: Patient) -> PatientView:
    """The view of a stored patient."""
    return PatientView(
        patient.id, patient.local_id, patient.full_name, patient.birth_date, patient.sex
    )


@dataclass(frozen=True, slots=True)
class PatientRow:
    """A patient found, with the number of their therapy courses (0: none)."""

    id: int
    local_id: str
    full_name: str
    birth_date: date | None
    courses: int


@dataclass(frozen=True, slots=True)
class PatientList:
    """The patients of a site matching a search, and whether the reader may register one."""

    site: SiteView
    patients: tuple[PatientRow, ...]
    query: str
    at_most: int
    may_register: bool

    @property
    def cut_short(self) -> bool:
        """Whether more patients may match than are shown (the list is :attr:`at_most` long)."""
        return len(self.patients) >= self.at_most


def find_patients(database: Database, identity: Identity, code: str, query: str) -> PatientList:
    """The site's patients whose name or hospital number contains ``query`` (any case), by
    name, :data:`SHOWN_AT_MOST` at most.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not read patients there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.PATIENT_READ)
        statement = select(Patient).where(Patient.site_id == site.id)
        if query.strip():
            pattern = f"%{query.strip().lower()}%"
            statement = statement.where(
                or_(
                    func.lower(Patient.full_name).like(pattern),
                    func.lower(Patient.local_id).like(pattern),
                )
            )
        found = store.session.scalars(
            statement.order_by(Patient.full_name).limit(SHOWN_AT_MOST)
        ).all()
        courses = store.session.execute(
            select(TherapyCourse.patient_id, func.count())
            .where(TherapyCourse.patient_id.in_([p.id for p in found]))
            .group_by(TherapyCourse.patient_id)
        ).all()
        counted = {int(row[0]): int(row[1]) for row in courses}
        rows = tuple(
            PatientRow(p.id, p.local_id, p.full_name, p.birth_date, counted.get(p.id, 0))
            for p in found
        )
        may_register = may(store, identity, site, Permission.PATIENT_REGISTER)
        return PatientList(view_of_site(site), rows, query, SHOWN_AT_MOST, may_register)


def register(
    database: Database, identity: Identity, code: str, given: PatientInput
) -> PatientView:
    """Register a patient at the site, or find the one with that hospital number (audited;
    write-locked, as a dose request that registers one).

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site; the person may not register patients there.
    PatientIdentityError
        The number is on file with another name, birth date or sex, and the entry does not
        say that it corrects them (the message shows both identities).
    NucmedInputError
        No hospital number or name, a sex that is not F, M, O or U, or a correction without a
        reason.
    """
    with transaction(database, write_lock=True) as store:
        site = site_for(store, identity, code, Permission.PATIENT_REGISTER)
        return patient_view(register_patient(store, actor(store, identity), site, given))


@dataclass(frozen=True, slots=True)
class AdministrationRow:
    """An administration on the patient's record, with its dose estimate."""

    id: int
    administered_at: datetime
    procedure: str
    radiopharmaceutical: str
    net_activity_bq: float
    route: str
    effective_dose_sv: float | None
    deviation_reason: str | None
    extravasation: bool


@dataclass(frozen=True, slots=True)
class CourseRow:
    """A therapy course on the patient's record."""

    id: int
    started_at: datetime
    agent: str
    indication: str
    planned_cycles: int


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """A correction of the patient's identity: before and after, when and why."""

    corrected_at: datetime
    previous_name: str
    full_name: str
    previous_birth_date: date | None
    birth_date: date | None
    previous_sex: str | None
    sex: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """A patient's record: administrations, therapy courses, the corrections of the identity,
    and whether the reader may open a course (with the agents to choose from)."""

    patient: PatientView
    site: SiteView
    administrations: tuple[AdministrationRow, ...]
    courses: tuple[CourseRow, ...]
    agents: tuple[str, ...]
    may_treat: bool
    corrections: tuple[CorrectionRow, ...] = ()


def _corrections(store: Store, patient: Patient) -> tuple[CorrectionRow, ...]:
    rows = store.session.scalars(
        select(PatientCorrection)
        .where(PatientCorrection.patient_id == patient.id)
        .order_by(PatientCorrection.corrected_at, PatientCorrection.id)
    ).all()
    return tuple(
        CorrectionRow(
            c.corrected_at,
            c.previous_name,
            c.full_name,
            c.previous_birth_date,
            c.birth_date,
            c.previous_sex,
            c.sex,
            c.reason,
        )
        for c in rows
    )


def _administrations(rows: list[Administration]) -> tuple[AdministrationRow, ...]:
    return tuple(
        AdministrationRow(
            a.id,
            a.administered_at,
            a.procedure,
            a.radiopharmaceutical,
            a.net_activity_bq,
            a.route,
            a.effective_dose_sv,
            a.deviation_reason,
            a.extravasation,
        )
        for a in rows
    )


def patient_record(database: Database, identity: Identity, patient_id: int) -> PatientRecord:
    """The patient's administrations (in time order), therapy courses and identity
    corrections.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such patient; the person may not read patients at the patient's site.
    """
    with transaction(database, read_only=True) as store:
        site, patient = row_at_site(store, identity, Patient, patient_id, Permission.PATIENT_READ)
        given = store.session.scalars(
            select(Administration)
            .where(Administration.patient_id == patient.id)
            .order_by(Administration.administered_at)
        ).all()
        courses = store.session.scalars(
            select(TherapyCourse)
            .where(TherapyCourse.patient_id == patient.id)
            .order_by(TherapyCourse.started_at)
        ).all()
        return PatientRecord(
            patient_view(patient),
            view_of_site(site),
            _administrations(list(given)),
            tuple(
                CourseRow(c.id, c.started_at, c.agent, c.indication, c.planned_cycles)
                for c in courses
            ),
            AGENTS,
            may(store, identity, site, Permission.THERAPY_WRITE),
            _corrections(store, patient),
        )
