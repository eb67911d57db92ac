"""Administration records: what a patient received, from the dose drawn in the hot lab.

The net administered activity is the syringe's measured activity less the residual measured
after the injection, both decay-corrected to the moment of administration. A net activity
outside the site's tolerance of the prescription needs a reason. A woman who could be
pregnant is asked, every time, whether she is pregnant or breast-feeding (ICRP Publication 84);
giving a radiopharmaceutical to a pregnant patient needs a physician's reasoned decision.

:func:`record_administration`, :func:`draw_site` and :func:`patient_administrations` are the use
cases (their own unit of work and permission check); :func:`administer` is the step inside a
caller's transaction.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select

from nucmed.dosimetry.diagnostic import effective_dose
from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.physics.decay import Activity
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, check_not_future, record_late_entry
from nucmed.services.hotlab.discards import is_discarded
from nucmed.services.permissions import NotFoundError, Permission, row_at_site, user_may
from nucmed.services.settings import site_settings
from nucmed.services.sites import SiteView, view_of_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Administration, DoseRequest, Draw, Patient
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "ROUTES",
    "AdministrationInput",
    "AdministrationRefusedError",
    "AdministrationView",
    "Pregnancy",
    "administer",
    "administration_view",
    "age_years",
    "could_be_pregnant",
    "draw_site",
    "new_event_uid",
    "patient_administrations",
    "record_administration",
]

Pregnancy = Literal["not_applicable", "not_pregnant", "pregnant", "unknown"]
ROUTES = (
    "intravenous",
    "oral",
    "inhalation",
    "subcutaneous",
    "intradermal",
    "intra-arterial",
    "intraperitoneal",
    "other",
)
_DAYS_PER_YEAR = 365.25


class AdministrationRefusedError(NucmedInputError):
    """An administration that a rule forbids as given; the message says which rule."""


def _refused(template: str, **values: object) -> AdministrationRefusedError:
    return AdministrationRefusedError(parts=((template, values),))


def new_event_uid() -> str:
    """A new DICOM UID for an administration event (UUID-derived, PS3.5 section B.2)."""
    return f"2.25.{uuid.uuid4().int}"


def age_years(birth_date: date | None, at: datetime) -> float | None:
    """Age in years at a moment (None if the birth date is unknown)."""
    if birth_date is None:
        return None
    return (at.date() - birth_date).days / _DAYS_PER_YEAR


def could_be_pregnant(store: Store, site: Site, patient: Patient, at: datetime) -> bool:
    """A woman up to the site's age for the pregnancy question.

    Raises
    ------
    AdministrationRefusedError
        The patient's sex, or a woman's birth date, is not recorded: the question is never
        taken as "not applicable" for want of them.
    """
    if patient.sex is None:
        raise _refused(
            N_(
                "the patient's sex is not recorded: it decides whether she is asked about "
                "pregnancy and breast-feeding; enter it with the patient's number and name"
            )
        )
    if patient.sex != "F":
        return False
    age = age_years(patient.birth_date, at)
    if age is None:
        raise _refused(
            N_(
                "the patient's birth date is not recorded: it decides whether she is asked "
                "about pregnancy and breast-feeding; enter it with the patient's number and name"
            )
        )
    return age <= site_settings(store, site).pregnancy_question_until_age_y


@dataclass(frozen=True, slots=True)
class AdministrationInput:
    """What is recorded at the injection (activities in Bq, times aware, weight in kg)."""

    draw_id: int
    administered_at: datetime
    route: str
    residual_bq: float
    residual_measured_at: datetime
    pregnancy: Pregnancy
    breastfeeding: bool | None = None
    injection_site: str | None = None
    extravasation: bool = False
    weight_kg: float | None = None
    height_m: float | None = None
    reason: str | None = None
    late_entry_reason: str | None = None
    """Why the administration is entered more than the site's late-entry limit after it."""


def _net_activity(draw: Draw, nuclide: str, given: AdministrationInput) -> tuple[float, float]:
    syringe = Activity.of(nuclide, draw.measured_bq, draw.drawn_at)
    residual = Activity.of(nuclide, given.residual_bq, given.residual_measured_at)
    residual_bq = residual.activity_at(given.administered_at)
    return syringe.activity_at(given.administered_at) - residual_bq, residual_bq


def _check_pregnancy(
    store: Store, actor: User, site: Site, patient: Patient, given: AdministrationInput
) -> str | None:
    """The reason recorded for a pregnant patient (None when the question does not apply)."""
    if not could_be_pregnant(store, site, patient, given.administered_at):
        return None
    if given.pregnancy not in ("not_pregnant", "pregnant") or given.breastfeeding is None:
        raise _refused(
            N_("ask the patient whether she is pregnant and whether she is breast-feeding")
        )
    if given.pregnancy == "not_pregnant":
        return None
    if not user_may(store, actor.id, site, Permission.PHYSICIAN_DECISION) or not given.reason:
        raise _refused(
            N_("the patient is pregnant: only a physician may go on, with a written reason")
        )
    return given.reason


def _check_inputs(given: AdministrationInput) -> None:
    if given.route not in ROUTES:
        raise _refused(N_("the route must be one of {allowed}"), allowed=", ".join(ROUTES))
    if not math.isfinite(given.residual_bq) or given.residual_bq < 0:
        raise _refused(N_("the residual activity must be 0 or more"))
    if given.residual_measured_at < given.administered_at:
        raise _refused(N_("the residual is measured after the injection"))
    for value, refused in (
        (given.weight_kg, N_("the weight must be positive")),
        (given.height_m, N_("the height must be positive")),
    ):
        if value is not None and (not math.isfinite(value) or value <= 0):
            raise _refused(refused)


def _deviation(
    store: Store, site: Site, request: DoseRequest, net_bq: float, at: datetime
) -> tuple[float, float, bool]:
    prescribed = Activity.of(request.nuclide, request.prescribed_bq, request.planned_at)
    prescribed_bq = prescribed.activity_at(at)
    deviation = (net_bq - prescribed_bq) / prescribed_bq
    tolerance = site_settings(store, site).dispensing_tolerance
    return prescribed_bq, deviation, abs(deviation) <= tolerance


def _effective_dose_sv(request: DoseRequest, net_bq: float, age: float | None) -> float | None:
    """The ICRP effective dose estimate, where the catalogue knows the radiopharmaceutical."""
    try:
        return effective_dose(request.radiopharmaceutical, net_bq, age).effective_dose_sv
    except NucmedInputError:  # not in the catalogue, or no coefficient for that age
        return None


def administer(
    store: Store, actor: User, site: Site, given: AdministrationInput
) -> Administration:
    """Record the administration of a drawn dose (audited; once per draw; a late entry needs
    its reason, see :mod:`nucmed.services.event_times`)."""
    _check_inputs(given)
    late = check_event_time(store, site, given.administered_at, given.late_entry_reason)
    check_not_future(store, site, given.residual_measured_at)
    draw = store.session.get(Draw, given.draw_id)
    request = store.session.get(DoseRequest, draw.request_id) if draw else None
    if draw is None or request is None or request.site_id != site.id:
        raise refusal(N_("no drawn dose {id} at {site}"), id=given.draw_id, site=site.code)
    store.session.refresh(request, with_for_update=True)  # as a discard of the draw does
    if is_discarded(store, draw.id):
        raise _refused(N_("this syringe has been discarded: draw the dose again"))
    if store.session.scalar(select(Administration.id).where(Administration.draw_id == draw.id)):
        raise _refused(N_("this dose has been given already"))
    patient = store.session.get(Patient, request.patient_id)
    assert patient is not None
    pregnancy_reason = _check_pregnancy(store, actor, site, patient, given)
    net_bq, residual_bq = _net_activity(draw, request.nuclide, given)
    prescribed_bq, deviation, within = _deviation(
        store, site, request, net_bq, given.administered_at
    )
    if not within and not given.reason:
        raise _refused(
            N_("the net activity differs by {deviation} from the prescription: give the reason"),
            deviation=f"{deviation:+.1%}",
        )
    reason = given.reason if (not within or pregnancy_reason) else None
    row = Administration(
        site_id=site.id,
        patient_id=patient.id,
        draw_id=draw.id,
        event_uid=new_event_uid(),
        procedure=request.procedure,
        radiopharmaceutical=request.radiopharmaceutical,
        nuclide=request.nuclide,
        administered_at=given.administered_at,
        route=given.route,
        injection_site=given.injection_site,
        net_activity_bq=net_bq,
        residual_bq=residual_bq,
        prescribed_bq=prescribed_bq,
        deviation=deviation,
        deviation_reason=reason,
        extravasation=given.extravasation,
        pregnancy=given.pregnancy
        if could_be_pregnant(store, site, patient, given.administered_at)
        else "not_applicable",
        breastfeeding=given.breastfeeding,
        patient_weight_kg=given.weight_kg,
        patient_height_m=given.height_m,
        patient_age_years=age_years(patient.birth_date, given.administered_at),
        effective_dose_sv=_effective_dose_sv(
            request, net_bq, age_years(patient.birth_date, given.administered_at)
        ),
        origin="hotlab",
        administered_by_id=actor.id,
        recorded_at=store.now(),
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "administration.record",
            "patient",
            patient.id,
            site_id=site.id,
            reason=reason,
            details={
                "administration": row.id,
                "net_mbq": net_bq / BQ_PER_MBQ,
                "deviation": deviation,
                "extravasation": given.extravasation,
            },
        ),
    )
    record_late_entry(store, actor, late, "administration", row.id)
    return row


@dataclass(frozen=True, slots=True)
class AdministrationView:
    """A recorded administration as the interfaces show it (activities in Bq, dose in Sv,
    weight in kg, height in m; ``deviation`` a fraction of the prescription)."""

    id: int
    patient_id: int
    site_code: str
    draw_id: int | None
    event_uid: str
    procedure: str
    radiopharmaceutical: str
    nuclide: str
    administered_at: datetime
    route: str
    injection_site: str | None
    net_activity_bq: float
    residual_bq: float | None
    prescribed_bq: float | None
    deviation: float | None
    deviation_reason: str | None
    extravasation: bool
    pregnancy: str
    breastfeeding: bool | None
    patient_weight_kg: float | None
    patient_height_m: float | None
    effective_dose_sv: float | None
    origin: str


def administration_view(row: Administration, site: Site) -> AdministrationView:
    """The view of a stored administration at its site."""
    return AdministrationView(
        id=row.id,
        patient_id=row.patient_id,
        site_code=site.code,
        draw_id=row.draw_id,
        event_uid=row.event_uid,
        procedure=row.procedure,
        radiopharmaceutical=row.radiopharmaceutical,
        nuclide=row.nuclide,
        administered_at=row.administered_at,
        route=row.route,
        injection_site=row.injection_site,
        net_activity_bq=row.net_activity_bq,
        residual_bq=row.residual_bq,
        prescribed_bq=row.prescribed_bq,
        deviation=row.deviation,
        deviation_reason=row.deviation_reason,
        extravasation=row.extravasation,
        pregnancy=row.pregnancy,
        breastfeeding=row.breastfeeding,
        patient_weight_kg=row.patient_weight_kg,
        patient_height_m=row.patient_height_m,
        effective_dose_sv=row.effective_dose_sv,
        origin=row.origin,
    )


def _draw_at_site(store: Store, identity: Identity, draw_id: int, permission: Permission) -> Site:
    draw = store.session.get(Draw, draw_id)
    if draw is None:
        raise NotFoundError(N_("no {what} {id}"), what="drawn dose", id=draw_id)
    site, _ = row_at_site(store, identity, DoseRequest, draw.request_id, permission)
    return site


def draw_site(database: Database, identity: Identity, draw_id: int) -> SiteView:
    """The site of a drawn dose, if the person may record administrations there (the page
    reads the times typed at the injection in its time zone).

    Raises
    ------
    NotFoundError
        No such draw.
    AccessDeniedError
        The person may not record administrations at the draw's site.
    """
    with transaction(database, read_only=True) as store:
        return view_of_site(_draw_at_site(store, identity, draw_id, Permission.ADMINISTER))


def record_administration(
    database: Database, identity: Identity, given: AdministrationInput
) -> AdministrationView:
    """Record that the drawn dose ``given.draw_id`` was given (its own unit of work; audited).

    Raises
    ------
    NotFoundError
        No such draw.
    AccessDeniedError
        The person may not record administrations at the draw's site.
    AdministrationRefusedError
        A rule forbids the record as given (the message says which).
    """
    with transaction(database) as store:
        site = _draw_at_site(store, identity, given.draw_id, Permission.ADMINISTER)
        row = administer(store, actor(store, identity), site, given)
        return administration_view(row, site)


def patient_administrations(
    database: Database, identity: Identity, patient_id: int
) -> tuple[AdministrationView, ...]:
    """A patient's administrations, oldest first.

    Raises
    ------
    NotFoundError
        No such patient.
    AccessDeniedError
        The person may not read patients' records at the patient's site.
    """
    with transaction(database, read_only=True) as store:
        site, patient = row_at_site(store, identity, Patient, patient_id, Permission.PATIENT_READ)
        rows = store.session.scalars(
            select(Administration)
            .where(Administration.patient_id == patient.id)
            .order_by(Administration.administered_at)
        ).all()
        return tuple(administration_view(row, site) for row in rows)
