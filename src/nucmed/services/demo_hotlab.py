"""A morning in the demo hot lab (Almaty): a generator eluted, QC passed, MDP labelled, a
checked dose calibrator, three patients waiting for their bone scans, a waste container; and a
Lu-177 DOTATATE course with two cycles recorded.

Times are relative to the moment of loading (``now``, from the installation's clock), so that
the day board shows work to do whatever the hour: everything recorded happens at or before
``now`` and the three patients are booked after it, within the site's local day (the board
shows that day). The generator's receipt, the elution, its QC and the labelling keep their
spacing before ``now`` (no rule asks them to fall on the same local day; the eluate and the kit
stay usable for 10 h after loading); the calibrator's constancy check, which must be of the
same local day as the draws, is at ``now`` less one minute or at the day's start if that is
later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nucmed.services.hotlab import calibrators, doses, waste
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.therapy.courses import CourseInput, CycleDoses, create_course, record_cycle
from nucmed.services.therapy.cycles import (
    CycleAdministration,
    Measurements,
    measured_dose,
    record_administration,
    record_measurements,
)
from nucmed.services.uow import Store
from nucmed.store.hotlab import Material
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_GBQ, BQ_PER_MBQ, M3_PER_ML, SECONDS_PER_HOUR, SV_PER_USV

__all__ = ["load_hotlab_morning", "load_therapy_course"]

_PATIENTS = (
    doses.PatientInput("A-0001", "Демо-пациент: Абенова А.", date(1991, 4, 12), "F"),
    doses.PatientInput("A-0002", "Демо-пациент: Беков Б.", date(1956, 9, 30), "M"),
    doses.PatientInput("A-0003", "Демо-пациент: Чернова С.", date(1949, 2, 14), "F"),
)
"""The waiting patients, with the birth date and sex the pregnancy question needs (invented)."""


_PLANNED = tuple(timedelta(minutes=m) for m in (60, 90, 120))
"""When the waiting patients are booked, after loading, when the local day leaves room."""
_ROOM = timedelta(minutes=150)
"""Time left before the site's local midnight that keeps the spacing of :data:`_PLANNED` (the
last patient 30 min before midnight); with less, the spacing shrinks in proportion."""


_LOADED = "демо: история отделения, внесённая разом"
"""The late-entry reason of the demo's records of events more than a day back."""


def _ago(now: datetime, hours: float) -> datetime:
    return now - timedelta(hours=hours)


def _local_day(site: Site, now: datetime) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the site's local day that holds ``now``."""
    zone = ZoneInfo(site.time_zone)
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _planned_times(site: Site, now: datetime) -> tuple[datetime, ...]:
    """The waiting patients' times: 60, 90 and 120 min after ``now``, drawn closer together
    when the site's local day ends sooner, so that all are on today's board."""
    scale = min(1.0, (_local_day(site, now)[1] - now) / _ROOM)
    return tuple(now + offset * scale for offset in _PLANNED)


def _generator(store: Store, site: Site, tech: User, now: datetime) -> Material:
    survey = Survey(
        _ago(now, 25),
        12 * SV_PER_USV / SECONDS_PER_HOUR,
        0.4 * SV_PER_USV / SECONDS_PER_HOUR,
        0.0,
        late_entry_reason=_LOADED,
    )
    delivery = Delivery(
        "generator",
        "Mo-99",
        "Генератор Tc-99m 20 GBq (демо)",
        20 * BQ_PER_GBQ,
        _ago(now, 26),
        lot="INP-G-0001",
        supplier="Производитель изотопов, Алматы (демо)",
        expires_at=now + timedelta(days=13),
        package=Declaration("II-YELLOW", 0.1),  # 12 µSv/h at the surface, 0.4 µSv/h at 1 m
    )
    material, _ = receive(store, tech, site, delivery, survey)
    return material


def load_hotlab_morning(store: Store, site: Site, tech: User, now: datetime) -> None:
    """Fill the demo department's hot lab as it is at ``now`` (UTC), in the caller's
    transaction: work recorded before ``now``, three patients booked after it, today."""
    generator = _generator(store, site, tech, now)
    eluted_at = _ago(now, 2)
    eluate = elute(
        store, tech, site, generator, ElutionInput(eluted_at, 15 * BQ_PER_GBQ, 10 * M3_PER_ML)
    )
    record_qc(
        store,
        tech,
        site,
        eluate,
        QcInput("mo99_breakthrough", 1.5e3, "свинцовый экран (Mo-99)", eluted_at),
    )
    record_qc(
        store, tech, site, eluate, QcInput("aluminium", 2e-3, "цветная капельная проба", eluted_at)
    )
    labelled_at = _ago(now, 1.5)
    mdp = prepare(store, tech, site, eluate, PreparationInput("mdp", 5 * M3_PER_ML, labelled_at))
    record_qc(
        store, tech, site, mdp, QcInput("rcp", 0.97, "ITLC-SG / физраствор и МЭК", _ago(now, 1.25))
    )
    device = calibrators.add_calibrator(
        store,
        tech,
        site,
        calibrators.CalibratorInput(
            "Калибратор 1 (демо)",
            "Capintec CRC-25R",
            "DEMO-001",
            "Cs-137",
            7.4 * BQ_PER_MBQ,
            _ago(now, 24 * 365),
        ),
    )
    # Today's check, the same local day as now (just after midnight: at midnight).
    checked_at = max(now - timedelta(minutes=1), _local_day(site, now)[0])
    expected = calibrators.expected_check_bq(device, checked_at)
    calibrators.record_constancy(
        store, tech, device, calibrators.ConstancyInput(expected * 1.01, checked_at)
    )
    for person, planned_at in zip(_PATIENTS, _planned_times(site, now), strict=True):
        patient = doses.register_patient(store, tech, site, person)
        doses.request_dose(
            store,
            tech,
            site,
            doses.RequestInput(
                patient.id,
                "Bone scintigraphy (MDP)",  # the study catalogue's name, shown translated
                "mdp",
                "Tc-99m",
                740 * BQ_PER_MBQ,
                planned_at,
                "intravenous",
            ),
        )
    box = waste.create_container(store, tech, site, "W-DEMO-1", mass_kg=2.0)
    waste.add_item(
        store, tech, box, waste.WasteItemInput("Tc-99m", 120 * BQ_PER_MBQ, _ago(now, 30))
    )


_DEMO_CYCLES = (
    (1, {"kidneys": 4.2, "red_marrow": 0.35}),
    (2, {"red_marrow": 0.40}),
)
"""Organ doses of the demo course: invented for the demonstration, not reference values; the
second cycle's kidney dose is computed from the measurements below."""
_DEMO_KIDNEYS_HOURS_BQ = ((4.0, 2.12e8), (24.0, 1.61e8), (96.0, 0.61e8))
"""Kidney activities of the demo's second cycle (invented, about a 50 h effective half-life)."""


def load_therapy_course(store: Store, site: Site, physician: User, now: datetime) -> None:
    """A demo Lu-177 DOTATATE course of four cycles, eight weeks apart, two given, with the
    kidneys measured after the second, in the caller's transaction."""
    patient = doses.register_patient(
        store,
        physician,
        site,
        doses.PatientInput("A-0100", "Демо-пациент: Досанов Д.", date(1968, 7, 21), "M"),
    )
    started = now - timedelta(weeks=9)
    given = CourseInput(
        patient.id, "Метастатическая нейроэндокринная опухоль (демо)", "lu177-dotatate", 4, started
    )
    course = create_course(store, physician, site, given)
    for number, entered in _DEMO_CYCLES:
        administered = started + timedelta(weeks=8 * (number - 1))
        typed = CycleAdministration(
            number, None, administered, "Lu-177", 7.4 * BQ_PER_GBQ, late_entry_reason=_LOADED
        )
        cycle = record_administration(store, physician, site, course, typed)
        organ_doses = dict(entered)
        if number == len(_DEMO_CYCLES):
            moments = [administered + timedelta(hours=h) for h, _ in _DEMO_KIDNEYS_HOURS_BQ]
            activities = [a for _, a in _DEMO_KIDNEYS_HOURS_BQ]
            measured = Measurements(
                "kidneys", moments, activities, "ОФЭКТ/КТ (демо)", late_entry_reason=_LOADED
            )
            record_measurements(store, physician, site, cycle, measured)
            organ_doses["kidneys"] = measured_dose(store, cycle, "kidneys").absorbed_dose_gy
        record_cycle(
            store,
            physician,
            site,
            course,
            CycleDoses(number, organ_doses, "MIRD, ОФЭКТ/КТ через 4/24/96 ч (демо)"),
        )
