"""Therapy courses: organ totals against limits, the physician's reasoned override, the MIRD
dose of a cycle, and the release instructions."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from nucmed.dosimetry.restrictions import contact_groups
from nucmed.dosimetry.svalues import organ_self_s_value, sphere_s_value
from nucmed.errors import NucmedInputError
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.therapy.courses import (
    CourseInput,
    CycleDoses,
    CycleRefusedError,
    create_course,
    organ_totals,
    record_cycle,
)
from nucmed.services.therapy.cycles import (
    CycleAdministration,
    Measurements,
    measured_dose,
    record_administration,
    record_measurements,
)
from nucmed.services.therapy.release import ReleaseInput, release_instructions
from nucmed.services.uow import Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.models import Site, User
from nucmed.store.therapy import TherapyCourse, TherapyCycle
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import T0, site_and_tech

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

DAY = 86400.0


def _course(store: Store, agent: str = "lu177-dotatate") -> tuple[Site, User, User, TherapyCourse]:
    site, tech = site_and_tech(store)
    doctor = create_user(
        store, None, NewUser("doc.t", "Doctor", "correct horse battery"), [(Role.PHYSICIAN, site)]
    )
    patient = doses.register_patient(
        store, tech, site, doses.PatientInput("T-1", "Therapy patient", date(1960, 1, 1), "M")
    )
    course = create_course(
        store, doctor, site, CourseInput(patient.id, "Metastatic NET", agent, 4, T0)
    )
    return site, tech, doctor, course


def test_the_cycle_that_would_pass_the_kidney_limit_is_refused(
    factory: SessionFactory,
) -> None:
    with transaction(factory) as store:
        site, _, doctor, course = _course(store)
        for cycle in (1, 2, 3):
            record_cycle(
                store,
                doctor,
                site,
                course,
                CycleDoses(cycle, {"kidneys": 6.5}, "MIRD, SPECT at 4/24/96 h"),
            )
        assert organ_totals(store, course) == {"kidneys": pytest.approx(19.5)}
        with pytest.raises(CycleRefusedError, match=r"kidneys: 26.0 Gy would pass the limit"):
            record_cycle(store, doctor, site, course, CycleDoses(4, {"kidneys": 6.5}, "MIRD"))
        assert organ_totals(store, course)["kidneys"] == pytest.approx(19.5)


def test_only_a_physician_with_a_reason_may_pass_it(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, tech, doctor, course = _course(store)
        record_cycle(store, doctor, site, course, CycleDoses(1, {"kidneys": 20.0}, "MIRD"))
        with pytest.raises(CycleRefusedError):
            record_cycle(
                store,
                tech,
                site,
                course,
                CycleDoses(2, {"kidneys": 5.0}, "MIRD", override_reason="tumour response"),
            )
        checks = record_cycle(
            store,
            doctor,
            site,
            course,
            CycleDoses(
                2,
                {"kidneys": 5.0},
                "MIRD",
                override_reason="BED 27 Gy within 28 Gy; tumour response",
            ),
        )
        assert not checks[0].passes
        trail = store.audit.trail("therapy_course", str(course.id))
        assert trail[-1].action == "therapy.cycle_override"
        assert trail[-1].reason == "BED 27 Gy within 28 Gy; tumour response"


def test_sirt_lung_limit_per_treatment(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, _, doctor, course = _course(store, agent="sirt")
        with pytest.raises(CycleRefusedError, match=r"lungs: 31\.0 Gy"):
            record_cycle(store, doctor, site, course, CycleDoses(1, {"lungs": 31.0}, "partition"))


def test_a_cycle_dose_from_stored_measurements_counts_from_the_administration(
    factory: SessionFactory, clock: FixedClock
) -> None:
    """Analytic: 1 GBq in the kidneys with a 60 h effective half-life, measured at 4, 24, 48
    and 96 h, has TIA = A0 T_eff / ln 2 from the administration; dose = TIA x S."""
    with transaction(factory) as store:
        site, _, doctor, course = _course(store)
        cycle = record_administration(
            store,
            doctor,
            site,
            course,
            CycleAdministration(1, administered_at=T0, nuclide="177Lu", activity_bq=7.4e9),
        )
        hours = np.array([4.0, 24.0, 48.0, 96.0])
        moments = [T0 + timedelta(hours=float(h)) for h in hours]
        activities = list(1e9 * np.exp(-math.log(2) * hours / 60))
        given = Measurements("Kidneys", moments, activities, "SPECT/CT")
        clock.set(moments[-1] + timedelta(hours=1))  # entered after the last measurement
        rows = record_measurements(store, doctor, site, cycle, given)
        assert {row.region for row in rows} == {"kidneys"}
        found = measured_dose(store, cycle, "kidneys")
    tia = 1e9 * 60 * 3600 / math.log(2)
    assert found.fit.tia_bq_s == pytest.approx(tia, rel=1e-6)
    s_value = organ_self_s_value("Lu-177", "kidneys").s_gy_per_bq_s
    assert found.absorbed_dose_gy == pytest.approx(tia * s_value, rel=1e-6)


def test_measurements_before_the_administration_or_a_second_cycle_1_are_refused(
    factory: SessionFactory,
) -> None:
    with transaction(factory) as store:
        site, _, doctor, course = _course(store)
        given = CycleAdministration(1, administered_at=T0, nuclide="Lu-177", activity_bq=7.4e9)
        cycle = record_administration(store, doctor, site, course, given)
        with pytest.raises(NucmedInputError, match="already recorded"):
            record_administration(store, doctor, site, course, given)
        with pytest.raises(NucmedInputError, match="1 to 4 in this course"):
            record_administration(store, doctor, site, course, replace(given, number=5))
        early = Measurements("kidneys", [T0 - timedelta(hours=1)], [1e9], "probe")
        with pytest.raises(NucmedInputError, match="after the cycle's administration"):
            record_measurements(store, doctor, site, cycle, early)
        with pytest.raises(NucmedInputError, match="the hot lab's administration, or"):
            record_administration(store, doctor, site, course, CycleAdministration(2))


@pytest.mark.parametrize("table", ["therapy_cycles", "therapy_measurements"])
def test_cycles_and_measurements_are_append_only(
    factory: SessionFactory, clock: FixedClock, table: str
) -> None:
    with transaction(factory) as store:
        site, _, doctor, course = _course(store)
        given = CycleAdministration(1, administered_at=T0, nuclide="Lu-177", activity_bq=7.4e9)
        cycle = record_administration(store, doctor, site, course, given)
        moments = [T0 + timedelta(hours=h) for h in (4, 24, 96)]
        clock.set(moments[-1] + timedelta(hours=1))  # entered after the last measurement
        record_measurements(
            store, doctor, site, cycle, Measurements("kidneys", moments, [3e8, 2e8, 1e8], "x")
        )
    with pytest.raises(DBAPIError, match="append-only"), factory.begin() as session:
        session.execute(text(f"DELETE FROM {table}"))


def test_release_instructions_give_days_per_group(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, _ = site_and_tech(store)
        result = release_instructions(store, site, ReleaseInput("I-131", 1.1e9, 5 * DAY))
    assert result.assessment.releasable
    dose_sv = result.assessment.dose_to_others_sv  # Eq. U-1, 1 m, occupancy 0.25
    expected_children = math.ceil(5 * math.log(dose_sv / 1e-3) / math.log(2))
    assert result.restriction_days["children"] == expected_children
    assert result.restriction_days["partner"] == 0  # within 5 mSv from the start
    assert {g.group for g in contact_groups()} == set(result.restriction_days)


def test_i131_release_by_eq_u2_and_its_refusals(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site, _ = site_and_tech(store)
        cancer = release_instructions(
            store, site, ReleaseInput("131I", 5.55e9, i131_condition="thyroid_cancer")
        )
        assert cancer.assessment.releasable
        assert cancer.assessment.source.startswith("NUREG-1556 Vol. 9 Rev. 3, Appendix U: Eq. U-2")
        # Days follow the thyroidal effective half-life of 7.3 d (the longer one).
        expected = math.ceil(
            7.3 * math.log(cancer.assessment.dose_to_others_sv / 1e-3) / math.log(2)
        )
        assert cancer.restriction_days["children"] == expected
        with pytest.raises(NucmedInputError, match="for I-131 only"):
            release_instructions(
                store, site, ReleaseInput("Lu-177", 7.4e9, i131_condition="hyperthyroid")
            )
        with pytest.raises(NucmedInputError, match="either the I-131 condition"):
            release_instructions(
                store, site, ReleaseInput("I-131", 1e9, 5 * DAY, i131_condition="hyperthyroid")
            )


def _measured_cycle(
    store: Store, clock: FixedClock, region: str, hours: list[float], activities: list[float]
) -> TherapyCycle:
    site, _, doctor, course = _course(store)
    given = CycleAdministration(1, administered_at=T0, nuclide="Lu-177", activity_bq=7.4e9)
    cycle = record_administration(store, doctor, site, course, given)
    moments = [T0 + timedelta(hours=h) for h in hours]
    clock.set(moments[-1] + timedelta(hours=1))  # entered after the last measurement
    record_measurements(store, doctor, site, cycle, Measurements(region, moments, activities, "x"))
    return cycle


def test_a_tumour_takes_the_sphere_s_value_of_its_mass(
    factory: SessionFactory, clock: FixedClock
) -> None:
    """Analytic TIA (mono-exponential from the administration) times the 20 g sphere S."""
    hours = [4.0, 24.0, 72.0, 168.0]
    activities = [2e8 * math.exp(-math.log(2) * h / 80) for h in hours]
    with transaction(factory) as store:
        cycle = _measured_cycle(store, clock, "liver_lesion_1", hours, activities)
        with pytest.raises(NucmedInputError, match="give its mass to treat it as a tumour"):
            measured_dose(store, cycle, "liver_lesion_1")
        found = measured_dose(store, cycle, "liver_lesion_1", ("mono", 0.020))
    tia = 2e8 * 80 * 3600 / math.log(2)
    sphere = sphere_s_value("Lu-177", 0.020).s_gy_per_bq_s
    assert found.absorbed_dose_gy == pytest.approx(tia * sphere, rel=1e-6)


def test_bi_exponential_clearance_recovers_two_components(
    factory: SessionFactory, clock: FixedClock
) -> None:
    """Analytic: A(t) = 1 GBq e^(-ln2 t/10 h) + 0.5 GBq e^(-ln2 t/80 h), sampled at 6 times;
    TIA = A1 T1/ln 2 + A2 T2/ln 2; the mono-exponential fit of the same points differs."""
    hours = [1.0, 4.0, 24.0, 48.0, 96.0, 168.0]
    activities = [
        1e9 * math.exp(-math.log(2) * h / 10) + 5e8 * math.exp(-math.log(2) * h / 80)
        for h in hours
    ]
    with transaction(factory) as store:
        cycle = _measured_cycle(store, clock, "kidneys", hours, activities)
        both = measured_dose(store, cycle, "kidneys", ("bi_clearance", None))
        mono = measured_dose(store, cycle, "kidneys", ("mono", None))
        with pytest.raises(NucmedInputError, match="the curve is one of"):
            measured_dose(store, cycle, "kidneys", ("spline", None))
    tia = (1e9 * 10 + 5e8 * 80) * 3600 / math.log(2)
    assert both.fit.tia_bq_s == pytest.approx(tia, rel=1e-4)
    assert abs(mono.fit.tia_bq_s / tia - 1) > 0.01
