"""A hot-lab morning through the web: generator, elution, QC, MDP, three doses, labels."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import calibrators
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

EN = {"Accept-Language": "en"}
ALMATY = ZoneInfo("Asia/Almaty")


def _lead(now: datetime, at_most: timedelta = timedelta(minutes=30)) -> timedelta:
    """How far ahead a test books a dose: ``at_most``, or half the time left in the site's
    local day (the board shows today's requests), so the suite passes at 23:50 too."""
    local = now.astimezone(ALMATY)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=ALMATY)
    return min(at_most, (midnight - local) / 2)


def _local(moment: datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M")


def _post(client: TestClient, url: str, data: dict[str, str], token: str) -> str:
    response = client.post(
        url, data={**data, "csrf_token": token}, headers=EN, follow_redirects=False
    )
    assert response.status_code == 303, response.text[-3000:]
    return str(response.headers["location"])


def _calibrator_checked_now(factory: SessionFactory, when: datetime) -> None:
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        tech = store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        device = calibrators.add_calibrator(
            store,
            tech,
            site,
            calibrators.CalibratorInput("CRC-25R", "Capintec", "S-1", "Cs-137", 7.4e6, when),
        )
        calibrators.record_constancy(store, tech, device, calibrators.ConstancyInput(7.4e6, when))


def test_a_morning_in_the_hot_lab(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    now = clock.now().replace(second=0, microsecond=0)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    token = csrf_of(client, "/sites/T-ALA/receive")
    generator = _post(
        client,
        "/sites/T-ALA/receive",
        {
            "kind": "generator",
            "nuclide": "Mo-99",
            "product": "Tc-99m generator",
            "lot": "G-1",
            "supplier": "INP",
            "activity": "20 GBq",
            "calibration_time": _local(now - timedelta(hours=24)),
            "volume": "",
            "measured_at": _local(now - timedelta(hours=2)),
            "surface": "10 µSv/h",
            "one_metre": "0.4 µSv/h",
            "wipe": "0",
            "measured_activity": "",
            "label_category": "II-YELLOW",
            "transport_index": "0.1",
        },
        token,
    )
    eluted_at = now - timedelta(hours=1)
    eluate = _post(
        client,
        f"{generator}/elute",
        {"eluted_at": _local(eluted_at), "activity": "12 GBq", "volume": "10 mL"},
        token,
    )
    for test, value in (("mo99_breakthrough", "1 kBq"), ("aluminium", "2")):
        _post(
            client,
            f"{eluate}/qc",
            {"test": test, "value": value, "method": "std", "measured_at": _local(eluted_at)},
            token,
        )
    mdp = _post(
        client,
        f"{eluate}/prepare",
        {
            "kit": "mdp",
            "volume": "5 mL",
            "labelled_at": _local(now - timedelta(minutes=30)),
            "shelf_life": "",
        },
        token,
    )
    _post(
        client,
        f"{mdp}/qc",
        {
            "test": "rcp",
            "value": "97 %",
            "method": "ITLC",
            "measured_at": _local(now - timedelta(minutes=20)),
        },
        token,
    )
    _calibrator_checked_now(factory, now - timedelta(minutes=10))
    for number in range(3):
        _post(
            client,
            "/sites/T-ALA/dose-requests",
            {
                "patient_id": f"P-{number}",
                "patient_name": f"Patient {number}",
                "patient_birth_date": "1960-01-01",
                "patient_sex": "M",
                "route": "intravenous",
                "procedure": "Bone scan",
                "radiopharmaceutical": "mdp",
                "nuclide": "Tc-99m",
                "activity": "740 MBq",
                "planned_at": _local(now + _lead(now)),
            },
            token,
        )
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    assert [line["state"] for line in board["lines"]] == ["ready"] * 3
    for line in board["lines"]:
        expected = 740e6 * 2 ** (_lead(now) / timedelta(hours=6.015))
        _post(
            client,
            f"/dose-requests/{line['request_id']}/draw",
            {
                "vial_id": str(line["vial_id"]),
                "calibrator_id": _device_id(client),
                "drawn_at": _local(now),
                "measured": f"{expected / 1e6:.0f} MBq",
            },
            token,
        )
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    assert [line["state"] for line in board["lines"]] == ["drawn"] * 3
    page = client.get("/sites/T-ALA/hotlab", headers=EN)
    label_url = page.text.split('class="label-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    label = client.get(label_url)
    assert label.status_code == 200
    assert label.headers["content-type"] == "application/pdf"
    assert label.content.startswith(b"%PDF")
    draw_form = page.text.split('action="/draws/')[1].split('"')[0]
    clock.set(now + _lead(now))  # given at its planned time, entered as it is given
    given = client.post(
        f"/draws/{draw_form}",
        headers=EN,
        follow_redirects=False,
        data={
            "administered_at": _local(now + _lead(now)),
            "route": "intravenous",
            "injection_site": "left antecubital",
            "residual": "3 MBq",
            "residual_measured_at": "",
            "pregnancy": "not_applicable",
            "breastfeeding": "",
            "weight": "72 kg",
            "height": "",
            "extravasation": "no",
            "reason": "",
            "csrf_token": token,
        },
    )
    assert given.status_code == 303, given.text[-2000:]
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    assert sorted(line["state"] for line in board["lines"]) == ["drawn", "drawn", "given"]
    _audit_and_exchange(app, people, page.text, now.astimezone(ALMATY).year)


def _audit_and_exchange(app: FastAPI, people: dict[Role, str], board_html: str, year: int) -> None:
    """A physicist sets a DRL, audits the year, exports and re-imports an RRDSR."""
    page_text = board_html
    auditor = sign_in(TestClient(app), people[Role.PHYSICIST])
    audit = auditor.get(f"/sites/T-ALA/drl?year={year}", headers=EN)
    assert audit.status_code == 200 and "Bone scan" in audit.text
    csv_text = auditor.get(f"/sites/T-ALA/drl.csv?year={year}").text
    assert csv_text.splitlines()[1].startswith("Bone scan,1,")
    xlsx = auditor.get(f"/sites/T-ALA/drl.xlsx?year={year}")
    assert xlsx.content[:2] == b"PK"
    token_physicist = csrf_of(auditor, "/sites/T-ALA/settings")
    saved = auditor.post(
        "/sites/T-ALA/settings",
        headers=EN,
        data={
            "key": "drl_bone_scan_mbq",
            "value": "600",
            "source": "national survey 2025",
            "reason": "first DRL for bone scans",
            "csrf_token": token_physicist,
        },
    )
    assert saved.status_code == 200, saved.text[-1500:]
    audited = auditor.get(f"/sites/T-ALA/drl?year={year}", headers=EN)
    assert "median above the DRL" in audited.text  # about 740 MBq given against 600
    patient_link = page_text.split('href="/patients/')[1].split('"')[0]
    record = auditor.get(f"/patients/{patient_link}", headers=EN)
    assert record.status_code == 200 and "Administrations" in record.text
    dicom_url = record.text.split('href="/administrations/')[1].split('"')[0]
    sr = auditor.get(f"/administrations/{dicom_url}")
    assert sr.status_code == 200 and sr.content[128:132] == b"DICM"
    again = auditor.post(
        "/sites/T-ALA/rrdsr".replace("/sites", "/api/sites"),
        content=sr.content,
        headers={"X-CSRF-Token": csrf_of(auditor, "/me")},
    )
    assert again.status_code == 200 and again.json()["created"] is False
    fhir = auditor.get(f"/administrations/{dicom_url.split('/')[0]}/fhir.json").json()
    assert fhir["resourceType"] == "Bundle"


def _device_id(client: TestClient) -> str:
    page = client.get("/sites/T-ALA/hotlab")
    return page.text.split('name="calibrator_id"><option value="')[1].split('"')[0]


def test_a_refused_draw_is_shown_on_the_board(
    app: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client = sign_in(TestClient(app), people[Role.PHYSICIAN])
    token = csrf_of(client, "/sites/T-ALA/hotlab")
    now = clock.now()
    _post(
        client,
        "/sites/T-ALA/dose-requests",
        {
            "patient_id": "P-9",
            "patient_name": "Patient 9",
            "procedure": "Lung perfusion",
            "radiopharmaceutical": "maa",
            "nuclide": "Tc-99m",
            "activity": "150 MBq",
            "planned_at": _local(now + _lead(now, timedelta(hours=1))),
        },
        token,
    )
    page = client.get("/sites/T-ALA/hotlab", headers=EN)
    assert "blocked" in page.text
    assert "no vial of maa on site" in page.text
    bad = client.post(
        "/sites/T-ALA/dose-requests",
        headers=EN,
        data={
            "patient_id": "P-9",
            "patient_name": "Patient 9",
            "procedure": "X",
            "radiopharmaceutical": "maa",
            "nuclide": "Tc-99m",
            "activity": "150",
            "planned_at": "tomorrow",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422
    assert "has no unit" in bad.text and 'value="150"' in bad.text
