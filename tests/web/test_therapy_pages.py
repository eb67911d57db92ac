"""A Lu-177 DOTATATE course through the web: open it, record cycles up to the kidney limit,
the refusal and the physician's reasoned override, a cycle's dose from serial measurements,
and the patient's release with instructions in Russian, Kazakh and English."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.dosimetry.svalues import organ_self_s_value
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import doses
from nucmed.services.therapy.release import ReleaseInput, release_instructions
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Administration
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

EN = {"Accept-Language": "en"}
ALMATY = ZoneInfo("Asia/Almaty")
HOUR = 3600.0


LATE = "given at the partner hospital, entered on the patient's return"


@pytest.fixture(autouse=True)
def _clock_after_the_last_image(clock: FixedClock) -> None:
    """The cycles below are given on 23.11.2026 at 10:00 in Almaty and imaged up to 96 h
    later: the measurements are entered after the last image (the clock stands there), and
    a cycle typed days after it was given is a late entry with its reason."""
    clock.set(datetime(2026, 11, 27, 11, 0, tzinfo=ALMATY))


@pytest.fixture
def app_client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def patient_id(factory: SessionFactory, people: dict[Role, str]) -> int:
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username(people[Role.RADIOPHARMACIST])
        assert site is not None and tech is not None
        given = doses.PatientInput("T-77", "Therapy Patient", date(1965, 3, 4), "M")
        return doses.register_patient(store, tech, site, given).id


def _post(client: TestClient, url: str, data: dict[str, str]) -> tuple[int, str]:
    token = csrf_of(client)
    response = client.post(
        url, data={**data, "csrf_token": token}, headers=EN, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", response.text)


def _open_course(client: TestClient, patient_id: int) -> str:
    status, where = _post(
        client,
        f"/patients/{patient_id}/therapy-courses",
        {"indication": "Metastatic NET", "agent": "lu177-dotatate", "planned_cycles": "4"},
    )
    assert status == 303, where
    assert re.fullmatch(r"/therapy-courses/\d+", where)
    return where


def _hot_lab_administration(factory: SessionFactory, patient_id: int) -> int:
    """A Lu-177 administration recorded for the patient (as an RRDSR import would)."""
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        row = Administration(
            site_id=site.id,
            patient_id=patient_id,
            event_uid="2.25.1234567",
            procedure="Lu-177 DOTATATE therapy",
            radiopharmaceutical="Lu-177 DOTATATE",
            nuclide="Lu-177",
            administered_at=datetime(2026, 11, 23, 5, 0, tzinfo=UTC),
            route="intravenous",
            net_activity_bq=7.3e9,
            extravasation=False,
            pregnancy="not_applicable",
            origin="manual",
            recorded_at=datetime(2026, 11, 23, 5, 5, tzinfo=UTC),
        )
        store.session.add(row)
        store.session.flush()
        return row.id


def _physician(app_client: TestClient, people: dict[Role, str]) -> TestClient:
    return sign_in(app_client, people[Role.PHYSICIAN])


def test_a_course_refuses_the_cycle_past_the_kidney_limit_until_a_reason(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    page = doctor.get(f"/patients/{patient_id}", headers=EN)
    assert "Open a therapy course" in page.text
    course = _open_course(doctor, patient_id)
    for cycle in ("1", "2", "3"):
        status, _ = _post(
            doctor,
            f"{course}/organ-doses",
            {"cycle": cycle, "doses": "kidneys: 6.5 Gy; red_marrow: 0.1 Gy", "method": "MIRD"},
        )
        assert status == 303
    page = doctor.get(course, headers=EN)
    assert "19.5 Gy" in page.text and "23 Gy" in page.text

    status, text = _post(
        doctor, f"{course}/organ-doses", {"cycle": "4", "doses": "kidneys: 6.5 Gy"}
    )
    assert status == 422
    assert "kidneys: 26.0 Gy would pass the limit of 23 Gy" in text
    assert 'value="kidneys: 6.5 Gy"' in text  # the input is kept
    assert "19.5 Gy" in doctor.get(course, headers=EN).text  # nothing stored
    refused_ru = doctor.post(
        f"{course}/organ-doses",
        data={"cycle": "4", "doses": "kidneys: 6.5 Gy", "csrf_token": csrf_of(doctor)},
        headers={"Accept-Language": "ru"},
    )
    assert "почки: 26.0 Гр превысит предел 23 Гр" in refused_ru.text

    reason = "Tumour response; BED below 40 Gy per Bodei 2008"
    data = {"cycle": "4", "doses": "kidneys: 6.5 Gy", "reason": reason}
    assert _post(doctor, f"{course}/organ-doses", data)[0] == 303
    page = doctor.get(course, headers=EN)
    assert "26 Gy" in page.text and reason in page.text


def test_a_physicist_cannot_pass_a_limit_and_bad_input_says_what_is_allowed(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    physicist = sign_in(app_client, people[Role.PHYSICIST])
    status, text = _post(
        physicist,
        f"/patients/{patient_id}/therapy-courses",
        {"indication": "NET", "agent": "lu177-dotatate", "planned_cycles": "many"},
    )
    assert status == 422 and "planned cycles: give a whole number" in text
    course = _open_course(physicist, patient_id)
    status, text = _post(physicist, f"{course}/organ-doses", {"cycle": "1", "doses": "kidneys 5"})
    assert status == 422 and "write each organ as" in text
    data = {"cycle": "1", "doses": "kidneys: 24 Gy", "reason": "I insist"}
    status, text = _post(physicist, f"{course}/organ-doses", data)
    assert status == 422 and "only a physician may go on" in text


def test_a_cycle_dose_from_serial_measurements_shows_its_curve(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    """Analytic: A(t) = A0 exp(-ln2 t / T) measured 4, 24 and 96 h after the administration;
    the fit recovers TIA = A0 T / ln 2 (from the administration, not from the first image),
    and the dose is TIA times the reference kidney S-value."""
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    given = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
    typed = {"number": "1", "administered_at": "2026-11-23 10:00", "nuclide": "Lu-177"}
    typed["late_entry_reason"] = LATE
    status, _ = _post(doctor, f"{course}/administrations", {**typed, "activity": "7.4 GBq"})
    assert status == 303
    status, text = _post(doctor, f"{course}/administrations", {**typed, "activity": "7.4 GBq"})
    assert status == 422 and "cycle 1 is already recorded" in text
    a0_bq, half_life_h = 0.3e9, 50.0
    lines = [
        f"{(given + timedelta(hours=h)).strftime('%Y-%m-%d %H:%M')}; "
        f"{a0_bq * math.exp(-math.log(2) * h / half_life_h) / 1e6:.6f} MBq"
        for h in (4.0, 24.0, 96.0)
    ]
    data = {
        "cycle": "1",
        "region": "kidneys",
        "instrument": "SPECT/CT",
        "points": "\n".join(lines),
    }
    status, where = _post(doctor, f"{course}/measurements", data)
    assert status == 303, where
    page = doctor.get(where, headers=EN)
    assert page.status_code == 200, page.text[-2000:]
    assert "<svg" in page.text
    tia_bq_s = a0_bq * half_life_h * HOUR / math.log(2)
    expected_gy = tia_bq_s * organ_self_s_value("Lu-177", "kidneys").s_gy_per_bq_s
    shown = re.search(r'id="mird-dose">([\d.]+) Gy', page.text)
    assert shown is not None
    assert float(shown.group(1)) == pytest.approx(expected_gy, rel=5e-3)  # 3 digits shown
    assert 'name="doses" type="text"\n         value="kidneys: ' in page.text
    trapezoids = doctor.get(where.replace("model=mono", "model=trapezoid"), headers=EN)
    assert trapezoids.status_code == 200
    caption = trapezoids.text.split('id="tac"')[1].split("</figure>")[0]
    assert "Curve: trapezoid" in caption
    mono_caption = page.text.split('id="tac"')[1].split("</figure>")[0]
    assert "Curve: mono" in mono_caption
    bad_mass = doctor.get(where.replace("mass=&", "mass=heavy&"), headers=EN)
    assert bad_mass.status_code == 422 and "administration first" not in bad_mass.text
    assert 'id="measurement-mass" name="mass" type="text"\n         value="heavy"' in bad_mass.text
    # Too few points: nothing is stored, the input is kept.
    data["points"] = "\n".join(lines[:2])
    status, text = _post(doctor, f"{course}/measurements", data)
    assert status == 422 and "3 or more lines" in text
    assert "kidneys</a>: 3" in doctor.get(course, headers=EN).text


def test_a_cycle_from_the_hot_lab_administration(
    app_client: TestClient, factory: SessionFactory, people: dict[Role, str], patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    administration_id = _hot_lab_administration(factory, patient_id)
    page = doctor.get(course, headers=EN)
    assert f'<option value="{administration_id}">' in page.text
    data = {"number": "1", "administration_id": str(administration_id)}
    assert _post(doctor, f"{course}/administrations", data)[0] == 303
    page = doctor.get(course, headers=EN)
    assert "from the hot lab" in page.text
    assert f'<option value="{administration_id}">' not in page.text  # linked once only


@pytest.mark.parametrize(
    "case", [("en", "Children: do not hold"), ("ru", "Дети:"), ("kk", "Балалар:")]
)
def test_release_gives_the_patient_instructions_in_their_language(
    app_client: TestClient,
    factory: SessionFactory,
    people: dict[Role, str],
    patient_id: int,
    case: tuple[str, str],
) -> None:
    language, children = case
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    query = {"nuclide": "I-131", "activity": "1.1 GBq", "language": language}
    page = doctor.get(f"{course}/release", params=query, headers=EN)
    assert page.status_code == 200, page.text[-2000:]
    assert "The patient may be released." in page.text
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        result = release_instructions(store, site, ReleaseInput("I-131", 1.1e9))
        days = result.restriction_days["children"]
    assert days > 0
    sheet = page.text.split('id="instructions"')[1]
    assert f'lang="{language}"' in page.text
    assert children in sheet and f" {days} " in sheet
    assert "1965-03-04 · T-77" in sheet  # two identifiers with the name (issue 11)


def test_the_instructions_default_to_the_readers_language(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    form = doctor.get(course, headers={"Accept-Language": "kk"}).text
    assert '<option value="kk" selected>Қазақша</option>' in form
    query = {"nuclide": "I-131", "activity": "1.1 GBq"}
    page = doctor.get(f"{course}/release", params=query, headers={"Accept-Language": "kk"})
    sheet = page.text.split('id="instructions"')[1]
    assert sheet.startswith(' lang="kk"') and "Балалар:" in sheet


def test_release_input_errors_and_who_may_see_a_course(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    page = doctor.get(f"{course}/release", params={"nuclide": "I-131", "activity": "lots"})
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text
    page = doctor.get(
        f"{course}/release", params={"nuclide": "Xx-999", "activity": "1 GBq"}, headers=EN
    )
    assert page.status_code == 422
    doctor.post("/logout", data={"csrf_token": csrf_of(doctor)})
    officer = sign_in(doctor, people[Role.RSO])
    page = officer.get(course, headers=EN)
    assert page.status_code == 200 and "Record a cycle" not in page.text
    officer.post("/logout", data={"csrf_token": csrf_of(officer)})
    technologist = sign_in(officer, people[Role.RADIOPHARMACIST])
    assert technologist.get(course).status_code == 403


def test_release_of_an_i131_thyroid_cancer_patient_by_eq_u2(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    query = {"nuclide": "I-131", "activity": "5.55 GBq", "i131_condition": "thyroid_cancer"}
    page = doctor.get(f"{course}/release", params={**query, "language": "en"}, headers=EN)
    assert page.status_code == 200, page.text[-2000:]
    assert "The patient may be released." in page.text
    assert "Eq. U-2 dose 3.4 mSv" in page.text
    assert '<option value="thyroid_cancer" selected>' in page.text


@pytest.fixture
def unsexed_patient_id(factory: SessionFactory, people: dict[Role, str]) -> int:
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username(people[Role.RADIOPHARMACIST])
        assert site is not None and tech is not None
        given = doses.PatientInput("T-78", "Patient Without Sex", None, None)
        return doses.register_patient(store, tech, site, given).id


def test_an_organ_dose_asks_for_the_sex_when_it_is_not_recorded(
    app_client: TestClient, people: dict[Role, str], unsexed_patient_id: int
) -> None:
    doctor = _physician(app_client, people)
    course = _open_course(doctor, unsexed_patient_id)
    typed = {"number": "1", "administered_at": "2026-11-23 10:00", "nuclide": "Lu-177"}
    typed["late_entry_reason"] = LATE
    assert _post(doctor, f"{course}/administrations", {**typed, "activity": "7.4 GBq"})[0] == 303
    given = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
    points = "\n".join(
        f"{(given + timedelta(hours=h)).strftime('%Y-%m-%d %H:%M')}; {300 * 0.5 ** (h / 50)} MBq"
        for h in (4.0, 24.0, 96.0)
    )
    data = {"cycle": "1", "region": "kidneys", "instrument": "SPECT", "points": points}
    status, text = _post(doctor, f"{course}/measurements", data)
    assert status == 422 and "depends on the patient&#39;s sex" in text
    assert "kidneys</a>: 3" not in doctor.get(course, headers=EN).text  # nothing stored
    status, where = _post(doctor, f"{course}/measurements", {**data, "sex": "F"})
    assert status == 303 and "sex=F" in where
    page = doctor.get(where, headers=EN)
    assert page.status_code == 200 and "<svg" in page.text


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_a_course_through_the_api(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    auth = _bearer(app_client, people[Role.PHYSICIAN])
    plan = {"indication": "NET", "agent": "lu177-dotatate", "planned_cycles": 4}
    created = app_client.post(
        f"/api/patients/{patient_id}/therapy-courses", json=plan, headers=auth
    )
    assert created.status_code == 201, created.text
    course = f"/api/therapy-courses/{created.json()['id']}"
    bad = app_client.post(
        f"/api/patients/{patient_id}/therapy-courses", json={**plan, "agent": "x"}, headers=auth
    )
    assert bad.status_code == 422 and "the agent is one of" in bad.text
    given = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    cycle = {
        "number": 1,
        "administered_at": given.isoformat(),
        "nuclide": "Lu-177",
        "late_entry_reason": LATE,
    }
    recorded = app_client.post(
        f"{course}/administrations", json={**cycle, "activity_bq": 7.4e9}, headers=auth
    )
    assert recorded.status_code == 201 and recorded.json()["number"] == 1
    again = app_client.post(
        f"{course}/administrations", json={**cycle, "activity_bq": 7.4e9}, headers=auth
    )
    assert again.status_code == 422 and "already recorded" in again.text

    hours = (4.0, 24.0, 96.0)
    measured = {
        "cycle": 1,
        "region": "kidneys",
        "measured_at": [(given + timedelta(hours=h)).isoformat() for h in hours],
        "activities_bq": [3e8 * 0.5 ** (h / 50) for h in hours],
        "method": "SPECT/CT",
    }
    found = app_client.post(f"{course}/measurements", json=measured, headers=auth)
    assert found.status_code == 201, found.text
    tia = 3e8 * 50 * HOUR / math.log(2)
    s_value = organ_self_s_value("Lu-177", "kidneys").s_gy_per_bq_s
    assert found.json()["absorbed_dose_gy"] == pytest.approx(tia * s_value, rel=1e-4)
    too_few = {**measured, "measured_at": measured["measured_at"][:2], "activities_bq": [1e8, 5e7]}
    assert app_client.post(f"{course}/measurements", json=too_few, headers=auth).status_code == 422
    fitted = app_client.get(
        f"{course}/region-dose", params={"cycle": 1, "region": "kidneys"}, headers=auth
    )
    assert fitted.json()["absorbed_dose_gy"] == found.json()["absorbed_dose_gy"]
    no_cycle = app_client.get(
        f"{course}/region-dose", params={"cycle": 2, "region": "kidneys"}, headers=auth
    )
    assert no_cycle.status_code == 422 and "record cycle 2" in no_cycle.text

    doses_ = {"cycle": 1, "doses_gy": {"kidneys": 24.0}, "method": "MIRD"}
    refused = app_client.post(f"{course}/organ-doses", json=doses_, headers=auth)
    assert refused.status_code == 422 and "would pass the limit" in refused.text
    doses_["doses_gy"] = {"kidneys": 6.0}
    kept = app_client.post(f"{course}/organ-doses", json=doses_, headers=auth)
    assert kept.status_code == 201 and kept.json()["checks"][0]["after_gy"] == 6.0

    read = app_client.get(course, headers=auth).json()
    kidneys = read["limits"][0]
    assert kidneys["organ"] == "kidneys" and kidneys["so_far_gy"] == 6.0
    assert kidneys["over_limit"] is False
    assert read["cycles"][0]["regions"] == [{"region": "kidneys", "count": 3}]
    rso = _bearer(app_client, people[Role.RSO])
    assert app_client.get(course, headers=rso).status_code == 200
    assert app_client.post(f"{course}/organ-doses", json=doses_, headers=rso).status_code == 403
    assert app_client.get("/api/therapy-courses/9999", headers=auth).status_code == 404


def test_release_through_the_api(
    app_client: TestClient, people: dict[Role, str], patient_id: int
) -> None:
    auth = _bearer(app_client, people[Role.PHYSICIAN])
    plan = {"indication": "DTC", "agent": "i131-dtc", "planned_cycles": 1}
    course_id = app_client.post(
        f"/api/patients/{patient_id}/therapy-courses", json=plan, headers=auth
    ).json()["id"]
    url = f"/api/therapy-courses/{course_id}/release-assessment"
    body = {"nuclide": "I-131", "activity_bq": 5.55e9, "i131_condition": "thyroid_cancer"}
    answer = app_client.post(url, json=body, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["assessment"]["releasable"] is True
    assert answer.json()["restriction_days"]["children"] > 0
    by_table = app_client.post(url, json={"nuclide": "I-131", "activity_bq": 1.1e9}, headers=auth)
    assert by_table.status_code == 200, by_table.text  # the basis holds an Amount (was a 500)
    assert by_table.json()["assessment"]["basis"].startswith("Table U.1 activity 1200 MBq")
    refused = app_client.post(url, json={**body, "nuclide": "Lu-177"}, headers=auth)
    assert refused.status_code == 422 and "for I-131 only" in refused.text
    technologist = _bearer(app_client, people[Role.RADIOPHARMACIST])
    assert app_client.post(url, json=body, headers=technologist).status_code == 403


@pytest.mark.parametrize(
    ("language", "said"),
    [
        pytest.param("ru", ("Кривая: моноэкспоненциальная", "MIRD, аппроксимация: моно"), id="ru"),
        pytest.param("kk", ("Қисық: моноэкспоненциалды", "MIRD, жуықтау: моно"), id="kk"),
    ],
)
def test_the_fitted_curve_is_named_in_the_readers_language(
    app_client: TestClient,
    people: dict[Role, str],
    patient_id: int,
    language: str,
    said: tuple[str, str],
) -> None:
    """The stored model ("mono-exponential") stays in the API; the page and the organ-dose
    form filled in with the dose name it in the reader's language (issue 12)."""
    curve, method = said
    doctor = _physician(app_client, people)
    course = _open_course(doctor, patient_id)
    typed = {"number": "1", "administered_at": "2026-11-23 10:00", "nuclide": "Lu-177",
             "activity": "7.4 GBq", "late_entry_reason": LATE}  # fmt: skip
    assert _post(doctor, f"{course}/administrations", typed)[0] == 303
    points = "2026-11-23 14:00; 280 MBq\n2026-11-24 10:00; 210 MBq\n2026-11-27 10:00; 80 MBq"
    data = {"cycle": "1", "region": "kidneys", "instrument": "SPECT/CT", "points": points}
    status, where = _post(doctor, f"{course}/measurements", data)
    assert status == 303, where
    page = doctor.get(where, headers={"Accept-Language": language}).text
    caption = page.split('id="tac"')[1].split("</figure>")[0]
    assert curve in caption, caption
    assert "mono-exponential" not in page and "(table, " not in caption
    assert f'name="method" type="text"\n         value="{method}' in page
