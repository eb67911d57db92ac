"""Therapy courses: organ totals against limits, the physician's reasoned override, the MIRD
dose of a cycle, and the release instructions."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.hotlab import doses
from nucmed.services.therapy.courses import (
    CourseInput,
    CycleDoses,
    CycleRefusedError,
    create_course,
    mird_cycle_dose,
    organ_totals,
    record_cycle,
)
from nucmed.services.therapy.release import ReleaseInput, contact_groups, release_instructions
from nucmed.services.uow import Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.enums import Role
from nucmed.store.hotlab import TherapyCourse
from nucmed.store.models import Site, User
from tests.services.hotlab_fixtures import T0, site_and_tech

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


def test_mird_cycle_dose_from_serial_measurements() -> None:
    # Analytic: 1 GBq with a 60 h effective half-life has TIA = A0 T_eff / ln 2.
    times = np.array([4.0, 24.0, 48.0, 96.0]) * 3600
    activities = 1e9 * np.exp(-math.log(2) * times / (60 * 3600))
    dose, fit = mird_cycle_dose(list(times), list(activities), "Lu-177", "kidneys")
    assert fit.tia_bq_s == pytest.approx(1e9 * 60 * 3600 / math.log(2), rel=1e-6)
    assert dose > 0


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
