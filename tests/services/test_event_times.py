"""Event times: never ahead of the site's clock, and long past only with a reason (audited).

Every service that records when something happened is walked through the same three cases:
a time ahead of the clock is refused with the typed time and the site's time, both in Almaty
local time; a time past the late-entry limit is refused without a reason; with one it is
taken and the record is audited as a late entry. Calibration and expiry times are exempt.

The clocks stand at T0 + 3 h (10:00 in Almaty on the fixed day of the hot-lab helpers); the
lab is set up with the default late-entry limit (24 h), which the tests then shorten to 1 h
so that a time 2 h back is late without leaving the lab's day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from nucmed.physics.decay import Activity
from nucmed.services.clinic.administrations import AdministrationInput, administer
from nucmed.services.clock import FixedClock
from nucmed.services.event_times import (
    LATE_ENTRY_ACTION,
    EventTimeError,
    LateEntryReasonError,
    check_event_time,
    local_text,
)
from nucmed.services.hotlab import calibrators, doses, waste
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.hotlab.receiving import Delivery, Survey, receive
from nucmed.services.sites import SettingChange, change_setting
from nucmed.services.therapy.cycles import CycleAdministration, Measurements, record_measurements
from nucmed.services.therapy.cycles import record_administration as record_cycle
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseCalibrator, Material, WasteContainer
from nucmed.store.models import AuditEntry, Site, User
from nucmed.store.therapy import TherapyCourse, TherapyCycle
from tests.services.hotlab_fixtures import QUIET, T0, WHITE
from tests.services.test_hotlab_doses import _calibrator, _mdp, identity_of
from tests.services.test_therapy_courses import _course

pytestmark = pytest.mark.usefixtures("t0_evening")

NOW = T0 + timedelta(hours=3)
FUTURE = NOW + timedelta(minutes=10)  # beyond the default 5 min ahead
LATE = NOW - timedelta(hours=2)  # past the 1 h the tests set
REASON = "paper log of the morning, typed in after the power cut"
ML = 1e-6
PLANNED = T0 + timedelta(hours=4)  # the waiting patient's dose: 500 MBq at 11:00


@dataclass(frozen=True, slots=True)
class Lab:
    """Ids of the records the entries need (each entry reads them in its own transaction)."""

    site: int
    tech: int
    doctor: int
    eluate: int
    generator: int
    mdp: int
    calibrator: int
    request: int
    draw: int
    box: int
    sealed_box: int
    course: int
    cycle: int


def _drawn(factory: SessionFactory, site: Site, tech: User, ids: tuple[int, int]) -> int:
    """A dose drawn at T0 + 45 min for a male patient (no pregnancy question)."""
    with transaction(factory) as store:
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("P-9", "Drawn patient", date(1970, 1, 1), "M")
        )
        planned = T0 + timedelta(hours=1)
        request = doses.request_dose(
            store,
            tech,
            site,
            doses.RequestInput(patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, planned),
        )
        request_id = request.id
    drawn_at = T0 + timedelta(minutes=45)
    given = doses.DrawInput(request_id, *ids, drawn_at, 740e6 * 2 ** (0.25 / 6.015))
    identity = identity_of(factory, tech.id)
    return doses.draw_dose(Database(factory), identity, given).id


@pytest.fixture
def lab(factory: SessionFactory, clock: FixedClock) -> Lab:
    """A day's hot lab up to T0 + 2 h, entered with the default limit; then the limit is 1 h."""
    clock.set(NOW)
    with transaction(factory) as store:
        site, tech, doctor, course = _course(store)
        mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
        eluate = store.session.get_one(Material, mdp.parent_id)
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("P-2", "Waiting patient", None, "M")
        )
        planned = PLANNED
        request = doses.request_dose(
            store,
            tech,
            site,
            doses.RequestInput(patient.id, "Bone", "mdp", "Tc-99m", 5e8, planned),
        )
        box = waste.create_container(store, tech, site, "W-9")
        waste.add_item(store, tech, box, waste.WasteItemInput("O-15", 1e6, T0))
        sealed = waste.create_container(store, tech, site, "W-10")
        waste.add_item(store, tech, sealed, waste.WasteItemInput("O-15", 1e6, T0))
        waste.seal(store, tech, sealed, T0)  # O-15: ten half-lives are 20 min
        typed = CycleAdministration(1, None, T0, "Lu-177", 7.4e9)
        cycle = record_cycle(store, doctor, site, course, typed)
        ids = (site.id, tech.id, doctor.id, eluate.id, eluate.parent_id or 0, mdp.id, device.id)
        rest = (request.id, box.id, sealed.id, course.id, cycle.id)
    draw = _drawn(factory, site, tech, (mdp.id, device.id))
    with transaction(factory) as store:
        change = SettingChange("late_entry_after_h", 1.0, "test", "a short limit for the test")
        change_setting(store, tech, store.session.get_one(Site, ids[0]), change)
    return Lab(*ids, rest[0], draw, *rest[1:])


Entry = Callable[[SessionFactory, Lab, datetime, str | None], None]


def _in_store(record: Callable[[Store, Lab, datetime, str | None], object]) -> Entry:
    def entry(factory: SessionFactory, lab: Lab, at: datetime, reason: str | None) -> None:
        with transaction(factory) as store:
            record(store, lab, at, reason)

    return entry


def _people(store: Store, lab: Lab) -> tuple[Site, User]:
    return store.session.get_one(Site, lab.site), store.session.get_one(User, lab.tech)


def _receipt(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    delivery = Delivery("vial", "I-131", "Capsule", 1e9, T0, package=WHITE)
    survey = Survey(at, *(QUIET.surface_dose_rate_sv_per_s, 1e-10, 0.0), late_entry_reason=reason)
    return receive(store, tech, site, delivery, survey)


def _elution(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    generator = store.session.get_one(Material, lab.generator)
    return elute(store, tech, site, generator, ElutionInput(at, 1.5e9, 5 * ML, reason))


def _qc(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    eluate = store.session.get_one(Material, lab.eluate)
    return record_qc(store, tech, site, eluate, QcInput("aluminium", 5e-3, "spot", at, reason))


def _kit(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    eluate = store.session.get_one(Material, lab.eluate)
    return prepare(store, tech, site, eluate, PreparationInput("mdp", 1 * ML, at, None, reason))


def _device(store: Store, lab: Lab) -> tuple[User, DoseCalibrator]:
    return store.session.get_one(User, lab.tech), store.session.get_one(
        DoseCalibrator, lab.calibrator
    )


def _constancy(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    tech, device = _device(store, lab)
    reading = calibrators.expected_check_bq(device, at)
    given = calibrators.ConstancyInput(reading, at, reason)
    return calibrators.record_constancy(store, tech, device, given)


def _accuracy(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    tech, device = _device(store, lab)
    source = Activity.of("Co-57", 185e6, T0 - timedelta(days=30))
    reading = source.activity_at(at)
    given = calibrators.AccuracyInput(source, [reading, reading], at, reason)
    return calibrators.record_accuracy(store, tech, device, given)


def _linearity(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    tech, device = _device(store, lab)
    source = Activity.of("Tc-99m", 25e9, at - timedelta(hours=72))
    hours = (72, 48, 24, 0)
    readings = [
        (at - timedelta(hours=h), source.activity_at(at - timedelta(hours=h))) for h in hours
    ]
    return calibrators.record_linearity(store, tech, device, readings, reason)


def _geometry(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    tech, device = _device(store, lab)
    given = calibrators.GeometryInput(100e6, [("syringe 3 mL", 104e6)], at, reason)
    return calibrators.record_geometry(store, tech, device, given)


def _draw(factory: SessionFactory, lab: Lab, at: datetime, reason: str | None) -> None:
    ahead_h = (PLANNED - at).total_seconds() / 3600
    measured = 5e8 * 2 ** (ahead_h / 6.015)  # the prescription, decay-corrected (Tc-99m)
    given = doses.DrawInput(lab.request, lab.mdp, lab.calibrator, at, measured, None, reason)
    doses.draw_dose(Database(factory), identity_of(factory, lab.tech), given)


def _administration(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    given = AdministrationInput(
        draw_id=lab.draw,
        administered_at=at,
        route="intravenous",
        residual_bq=0.0,
        residual_measured_at=at,
        pregnancy="not_applicable",
        reason="given as drawn",
        late_entry_reason=reason,
    )
    return administer(store, tech, site, given)


def _seal(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    box = store.session.get_one(WasteContainer, lab.box)
    return waste.seal(store, store.session.get_one(User, lab.tech), box, at, reason)


def _survey(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site, tech = _people(store, lab)
    box = store.session.get_one(WasteContainer, lab.sealed_box)
    given = waste.SurveyInput(at, 1e-10, 1e-10, reason)
    return waste.survey(store, tech, site, box, given)


def _therapy_cycle(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site = store.session.get_one(Site, lab.site)
    course = store.session.get_one(TherapyCourse, lab.course)
    typed = CycleAdministration(2, None, at, "Lu-177", 7.4e9, reason)
    return record_cycle(store, store.session.get_one(User, lab.doctor), site, course, typed)


def _therapy_measurements(store: Store, lab: Lab, at: datetime, reason: str | None) -> object:
    site = store.session.get_one(Site, lab.site)
    cycle = store.session.get_one(TherapyCycle, lab.cycle)
    moments = [T0 + timedelta(minutes=20), T0 + timedelta(minutes=40), at]
    given = Measurements("kidneys", moments, [3e8, 2.9e8, 2.8e8], "probe", reason)
    return record_measurements(store, store.session.get_one(User, lab.doctor), site, cycle, given)


ENTRIES = [
    pytest.param(_in_store(_receipt), id="receipt-measured-at"),
    pytest.param(_in_store(_elution), id="eluted-at"),
    pytest.param(_in_store(_qc), id="qc-measured-at"),
    pytest.param(_in_store(_kit), id="kit-labelled-at"),
    pytest.param(_in_store(_constancy), id="calibrator-constancy"),
    pytest.param(_in_store(_accuracy), id="calibrator-accuracy"),
    pytest.param(_in_store(_linearity), id="calibrator-linearity-last-reading"),
    pytest.param(_in_store(_geometry), id="calibrator-geometry"),
    pytest.param(_draw, id="drawn-at"),
    pytest.param(_in_store(_administration), id="administered-at"),
    pytest.param(_in_store(_seal), id="waste-sealed-at"),
    pytest.param(_in_store(_survey), id="waste-survey"),
    pytest.param(_in_store(_therapy_cycle), id="therapy-cycle-given-at"),
    pytest.param(_in_store(_therapy_measurements), id="therapy-measurements"),
]


def _late_entries(factory: SessionFactory) -> list[AuditEntry]:
    with transaction(factory, read_only=True) as store:
        return list(
            store.session.scalars(select(AuditEntry).where(AuditEntry.action == LATE_ENTRY_ACTION))
        )


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_time_ahead_of_the_clock_is_refused_with_both_times(
    factory: SessionFactory, lab: Lab, entry: Entry
) -> None:
    with pytest.raises(EventTimeError) as refused:
        entry(factory, lab, FUTURE, REASON)
    message = str(refused.value)
    assert "23.11.2026 10:10 (Asia/Almaty)" in message  # what was typed
    assert "it is 23.11.2026 10:00 (Asia/Almaty) at the site now" in message
    assert refused.value.parts  # translatable


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_late_entry_without_a_reason_is_refused(
    factory: SessionFactory, lab: Lab, entry: Entry
) -> None:
    with pytest.raises(LateEntryReasonError, match="a late entry needs a reason") as refused:
        entry(factory, lab, LATE, "  ")
    assert "23.11.2026 08:00 (Asia/Almaty) is more than 1 h before now" in str(refused.value)
    assert _late_entries(factory) == []


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_late_entry_with_its_reason_is_taken_and_audited(
    factory: SessionFactory, lab: Lab, entry: Entry
) -> None:
    entry(factory, lab, LATE, REASON)
    [audited] = _late_entries(factory)
    assert audited.reason == REASON and audited.site_id == lab.site
    assert audited.details["event_at"] == LATE.isoformat()
    assert audited.details["late_by_h"] == pytest.approx(2.0)


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_time_a_few_minutes_ahead_is_taken_as_clocks_apart(
    factory: SessionFactory, lab: Lab, entry: Entry
) -> None:
    entry(factory, lab, NOW + timedelta(minutes=4), None)
    assert _late_entries(factory) == []


def test_calibration_and_expiry_times_are_not_events(factory: SessionFactory, lab: Lab) -> None:
    """A supplier's calibration time tomorrow noon, an expiry in two weeks, a check source
    certified a year ago: none is refused, and none is a late entry."""
    with transaction(factory) as store:
        site, tech = _people(store, lab)
        delivery = Delivery(
            "vial",
            "Lu-177",
            "Lu-177 chloride",
            20e9,
            NOW + timedelta(days=1, hours=2),
            expires_at=NOW + timedelta(days=14),
            package=WHITE,
        )
        receive(store, tech, site, delivery, Survey(NOW, 1e-9, 1e-10, 0.0))
        source = calibrators.CalibratorInput(
            "C-2", "M", "S-2", "Cs-137", 7.4e6, NOW - timedelta(days=400)
        )
        calibrators.add_calibrator(store, tech, site, source)
        waste.add_item(  # an estimate of the activity at a time a week back is no late entry
            store,
            tech,
            store.session.get_one(WasteContainer, lab.box),
            waste.WasteItemInput("I-131", 1e6, NOW - timedelta(days=7)),
        )
    assert _late_entries(factory) == []


def test_a_waste_item_refers_to_no_time_ahead(factory: SessionFactory, lab: Lab) -> None:
    with pytest.raises(EventTimeError, match=r"10:10 \(Asia/Almaty\) is in the future"):
        with transaction(factory) as store:
            box = store.session.get_one(WasteContainer, lab.box)
            tech = store.session.get_one(User, lab.tech)
            waste.add_item(store, tech, box, waste.WasteItemInput("F-18", 1e6, FUTURE))


def test_local_text_is_the_site_wall_clock() -> None:
    """Analytic: Almaty is UTC+5 all year (no daylight saving since 2005)."""
    assert local_text(T0, "Asia/Almaty") == "23.11.2026 07:00 (Asia/Almaty)"
    assert local_text(T0, "Asia/Bishkek") == "23.11.2026 08:00 (Asia/Bishkek)"


def test_the_limits_are_the_site_settings(factory: SessionFactory, lab: Lab) -> None:
    """After the lab: 1 h back is the limit; exactly at it, the entry is not late."""
    with transaction(factory) as store:
        site = store.session.get_one(Site, lab.site)
        assert check_event_time(store, site, NOW - timedelta(hours=1)) is None
        assert check_event_time(store, site, NOW + timedelta(minutes=5)) is None
        late = check_event_time(store, site, LATE, f" {REASON} ")
    assert late is not None and late.reason == REASON and late.entered_at == NOW
