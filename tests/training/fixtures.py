"""Helpers of the training tests: a department with a resident, a supervisor and a
technologist, the resident enrolled in 7R01108, and a real administration at the site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from nucmed.services.auth import Identity, issue_token, resolve_token
from nucmed.services.clinic.administrations import new_event_uid
from nucmed.services.patient_identity import PatientInput, register_patient
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.training.enrolment import Enrolment, enrol
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import Administration
from nucmed.vocabulary import Role, SiteKind

SITE = SiteSpec(
    "TR-ALA", "Training department", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty"
)
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Department:
    """The ids of the test department's people and what the tests link to."""

    code: str
    resident_id: int
    supervisor_id: int
    tech_id: int
    today: date


def identity_of(database: Database, user_id: int) -> Identity:
    """The person as an interface passes them to a use case (through an API token)."""
    with transaction(database) as store:
        user = store.users.by_id(user_id)
        assert user is not None
        secret = issue_token(store, user, "api", 1.0)
    with transaction(database) as store:
        identity = resolve_token(store, secret, "api")
    assert identity is not None
    return identity


def department(database: Database, elective: str | None = "thyroid-therapy") -> Department:
    """A department with a resident enrolled 400 days ago, a supervisor and a technologist."""
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        made = {
            role: create_user(store, None, NewUser(name, name.title(), PASSWORD), [(role, site)])
            for name, role in (
                ("resident.a", Role.RESIDENT),
                ("super.b", Role.SUPERVISOR),
                ("tech.c", Role.RADIOPHARMACIST),
            )
        }
        today = store.now().astimezone(ZoneInfo(SITE.time_zone)).date()
        enrol(
            store,
            made[Role.SUPERVISOR],
            site,
            Enrolment(
                made[Role.RESIDENT].id,
                made[Role.SUPERVISOR].id,
                "7R01108",
                elective,
                today - timedelta(days=400),
            ),
        )
        return Department(
            site.code,
            made[Role.RESIDENT].id,
            made[Role.SUPERVISOR].id,
            made[Role.RADIOPHARMACIST].id,
            today,
        )


def administration(database: Database, dept: Department) -> int:
    """A bone scan given at the site an hour ago (a real row of ``administrations``)."""
    with transaction(database) as store:
        site = store.sites.by_code(dept.code)
        tech = store.users.by_id(dept.tech_id)
        assert site is not None and tech is not None
        patient = register_patient(store, tech, site, PatientInput("TR-1", "Patient", None, "F"))
        now = store.now()
        row = Administration(
            site_id=site.id,
            patient_id=patient.id,
            event_uid=new_event_uid(),
            procedure="Bone scan",
            radiopharmaceutical="Tc-99m MDP",
            nuclide="Tc-99m",
            administered_at=now - timedelta(hours=1),
            route="intravenous",
            net_activity_bq=740e6,
            extravasation=False,
            pregnancy="not_applicable",
            origin="manual",
            administered_by_id=tech.id,
            recorded_at=now,
        )
        store.session.add(row)
        store.session.flush()
        return row.id
