"""Administration records: net activity, deviation reason, the pregnancy question."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nucmed.services.clinic.administrations import (
    AdministrationInput,
    AdministrationRefusedError,
    administer,
    new_event_uid,
)
from nucmed.services.hotlab import doses
from nucmed.services.uow import Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Draw
from nucmed.store.models import Site, User
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import T0, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, draw_as

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

HOUR = 3600.0


def _drawn(factory: SessionFactory, sex: str | None, birth: date | None) -> tuple[int, int, int]:
    """A drawn 740 MBq (at T0 + 2 h) MDP dose for a patient; (site, tech, draw) ids."""
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("P-1", "Patient", birth, sex)
        )
        request = doses.request_dose(
            store,
            tech,
            site,
            doses.RequestInput(
                patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, T0 + timedelta(hours=2)
            ),
        )
        ids = (site.id, tech.id, request.id, mdp.id, device.id)
    drawn_at = T0 + timedelta(hours=1)
    draw = draw_as(
        factory,
        ids[1],
        doses.DrawInput(ids[2], ids[3], ids[4], drawn_at, 740e6 * 2 ** (1 / 6.015)),
    )
    return ids[0], ids[1], draw.id


def _given(draw_id: int, **changes: object) -> AdministrationInput:
    base: dict[str, object] = {
        "draw_id": draw_id,
        "administered_at": T0 + timedelta(hours=2),
        "route": "intravenous",
        "residual_bq": 10e6,
        "residual_measured_at": T0 + timedelta(hours=2, minutes=5),
        "pregnancy": "not_applicable",
    }
    base.update(changes)
    return AdministrationInput(**base)  # type: ignore[arg-type]


def _actors(store: Store, site_id: int, tech_id: int) -> tuple[Site, User]:
    site, tech = store.sites.by_id(site_id), store.users.by_id(tech_id)
    assert site is not None and tech is not None
    return site, tech


def test_net_activity_is_syringe_less_residual(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", date(1960, 1, 1))
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        row = administer(store, tech, site, _given(draw_id))
        draw = store.session.get(Draw, draw_id)
        assert draw is not None
    residual_at_injection = 10e6 * 2 ** (5 / 60 / 6.015)
    assert row.net_activity_bq == pytest.approx(740e6 - residual_at_injection, rel=1e-6)
    assert row.deviation == pytest.approx(-residual_at_injection / 740e6, rel=1e-4)
    assert row.pregnancy == "not_applicable"
    assert row.event_uid.startswith("2.25.")
    assert row.patient_age_years == pytest.approx(66.9, abs=0.1)
    # ICRP 80 (in ICRP 128) Tc-99m phosphonates, adult: 0.0057 mSv/MBq.
    assert row.effective_dose_sv == pytest.approx(row.net_activity_bq * 5.7e-12, rel=1e-9)


def test_big_residual_needs_a_reason(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", None)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        with pytest.raises(AdministrationRefusedError, match="give the reason"):
            administer(store, tech, site, _given(draw_id, residual_bq=200e6))
        row = administer(
            store,
            tech,
            site,
            _given(draw_id, residual_bq=200e6, reason="tissued, partial injection"),
        )
        assert row.deviation_reason == "tissued, partial injection"
        trail = store.audit.trail("patient", str(row.patient_id))
        assert trail[-1].reason == "tissued, partial injection"


def test_pregnancy_question_for_a_woman_of_childbearing_age(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "F", date(1990, 5, 1))
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        with pytest.raises(AdministrationRefusedError, match="ask the patient"):
            administer(store, tech, site, _given(draw_id))
        with pytest.raises(AdministrationRefusedError, match="only a physician"):
            administer(
                store,
                tech,
                site,
                _given(draw_id, pregnancy="pregnant", breastfeeding=False, reason="urgent"),
            )
        doctor = create_user(
            store,
            None,
            NewUser("doc.p", "Doctor", "correct horse battery"),
            [(Role.PHYSICIAN, site)],
        )
        row = administer(
            store,
            doctor,
            site,
            _given(
                draw_id,
                pregnancy="pregnant",
                breastfeeding=False,
                reason="suspected PE: benefit outweighs the fetal dose",
            ),
        )
        assert row.pregnancy == "pregnant" and row.deviation_reason is not None


@pytest.mark.parametrize(
    ("sex", "birth", "missing"),
    [
        pytest.param(None, None, "sex is not recorded", id="no-sex"),
        pytest.param(None, date(1990, 5, 1), "sex is not recorded", id="no-sex-with-birth-date"),
        pytest.param("F", None, "birth date is not recorded", id="woman-without-birth-date"),
    ],
)
def test_missing_sex_or_birth_date_refuses_instead_of_skipping_the_pregnancy_question(
    factory: SessionFactory, sex: str | None, birth: date | None, missing: str
) -> None:
    """Issue 11: the question was taken as "not applicable" when the sex was not recorded."""
    site_id, tech_id, draw_id = _drawn(factory, sex, birth)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        with pytest.raises(AdministrationRefusedError, match=missing):
            administer(store, tech, site, _given(draw_id))


def test_a_man_without_birth_date_is_not_asked(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", None)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        assert administer(store, tech, site, _given(draw_id)).pregnancy == "not_applicable"


def test_once_per_draw(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", date(1960, 1, 1))
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        administer(store, tech, site, _given(draw_id))
        with pytest.raises(AdministrationRefusedError, match="given already"):
            administer(store, tech, site, _given(draw_id))


def test_event_uids_are_dicom_uids() -> None:
    uid = new_event_uid()
    assert len(uid) <= 64 and all(part.isdigit() for part in uid.split("."))
