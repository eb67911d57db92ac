"""The day board on the web: discarding a drawn syringe (API and form) and a stored row the
board cannot compute (flagged, the page still answers)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.services.hotlab import calibrators, doses
from nucmed.services.hotlab.elution import ElutionInput, QcInput, elute, record_qc
from nucmed.services.hotlab.preparation import PreparationInput, prepare
from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

ML = 1e-6
EN = {"Accept-Language": "en"}
MINUTE = timedelta(minutes=1)
ALMATY = ZoneInfo("Asia/Almaty")


def _later(now: datetime, minutes: int) -> timedelta:
    """``minutes``, or half the time left in the site's local day: the board shows the
    requests of the day, and the suite must pass at 23:50 too."""
    local = now.astimezone(ALMATY)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=ALMATY)
    return min(minutes * MINUTE, (midnight - local) / 2)


def _ready(factory: SessionFactory, now: datetime) -> tuple[int, int, int]:
    """An MDP vial, a checked calibrator and a request for 740 MBq in an hour at T-ALA,
    entered at ``now`` (the app's clock)."""
    with transaction(Database(factory, FixedClock(now))) as store:
        site, tech = store.sites.by_code("T-ALA"), store.users.by_username("radiopharmacist.t")
        assert site is not None and tech is not None
        delivery = Delivery(
            "generator",
            "Mo-99",
            "Generator",
            20e9,
            now - 24 * 60 * MINUTE,
            expires_at=now + timedelta(days=10),
            package=Declaration("I-WHITE", 0.0),
        )
        survey = Survey(now - 23 * 60 * MINUTE, 1e-9, 1e-10, 0.0)
        generator, _ = receive(store, tech, site, delivery, survey)
        eluted = now - 60 * MINUTE
        eluate = elute(store, tech, site, generator, ElutionInput(eluted, 10e9, 10 * ML))
        record_qc(store, tech, site, eluate, QcInput("mo99_breakthrough", 1e5, "shield", eluted))
        record_qc(store, tech, site, eluate, QcInput("aluminium", 2e-3, "spot", eluted))
        labelled = now - 30 * MINUTE
        mdp = prepare(store, tech, site, eluate, PreparationInput("mdp", 5 * ML, labelled))
        record_qc(store, tech, site, mdp, QcInput("rcp", 0.97, "ITLC", labelled))
        device = calibrators.add_calibrator(
            store,
            tech,
            site,
            calibrators.CalibratorInput("C1", "M", "S", "Cs-137", 7.4e6, now - 5 * MINUTE),
        )
        checked = calibrators.ConstancyInput(7.4e6, now - 5 * MINUTE)
        calibrators.record_constancy(store, tech, device, checked)
        patient = doses.register_patient(store, tech, site, doses.PatientInput("P-1", "One"))
        order = doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, now + _later(now, 60)
        )
        request = doses.request_dose(store, tech, site, order)
        return mdp.id, device.id, request.id


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post(
        "/api/auth/token", json={"username": username, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _states(client: TestClient, headers: dict[str, str] | None = None) -> list[str]:
    board = client.get("/api/sites/T-ALA/hotlab/board", headers=headers or {}).json()
    return [line["state"] for line in board["lines"]]


def _draw_body(vial: int, device: int, now: datetime) -> dict[str, object]:
    """A draw of the ready request's dose now, measured as the decay to its time says."""
    return {
        "vial_id": vial,
        "calibrator_id": device,
        "drawn_at": now.isoformat(),
        "measured_bq": 740e6 * 2 ** (_later(now, 60) / timedelta(hours=6.015)),
    }


def drawn(app: FastAPI, radiopharmacist: str, ready: tuple[int, int, int], now: datetime) -> int:
    """The id of the ready request's draw, made through the API by the radiopharmacist."""
    vial, device, request_id = ready
    auth = _bearer(TestClient(app), radiopharmacist)
    path = f"/api/dose-requests/{request_id}/draws"
    made = TestClient(app).post(path, headers=auth, json=_draw_body(vial, device, now))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_discard_and_redraw_through_the_api(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    now = clock.now()
    vial, device, request_id = _ready(factory, now)
    client = TestClient(app)
    auth = _bearer(client, people[Role.RADIOPHARMACIST])
    body = _draw_body(vial, device, now)
    first = client.post(f"/api/dose-requests/{request_id}/draws", headers=auth, json=body)
    assert first.status_code == 201, first.text
    again = client.post(f"/api/dose-requests/{request_id}/draws", headers=auth, json=body)
    assert again.status_code == 422 and "drawn already" in again.text
    url = f"/api/draws/{first.json()['id']}/discard"
    blank = client.post(url, headers=auth, json={"reason": " "})
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["message"].startswith("say why")
    done = client.post(url, headers=auth, json={"reason": "dropped"})
    assert done.status_code == 201, done.text
    assert done.json()["request_id"] == request_id and done.json()["reason"] == "dropped"
    assert client.post(url, headers=auth, json={"reason": "twice"}).status_code == 422
    assert _states(client, auth) == ["ready"]
    redraw = client.post(f"/api/dose-requests/{request_id}/draws", headers=auth, json=body)
    assert redraw.status_code == 201, redraw.text
    assert _states(client, auth) == ["drawn"]
    physician = _bearer(client, people[Role.PHYSICIAN])
    refused = client.post(
        f"/api/draws/{redraw.json()['id']}/discard", headers=physician, json={"reason": "x"}
    )
    assert refused.status_code == 403
    assert (
        client.post("/api/draws/999999/discard", headers=auth, json={"reason": "x"}).status_code
        == 404
    )
    example = app.openapi()["components"]["schemas"]["DiscardBody"]
    assert example["examples"][0]["reason"]


def test_discard_from_the_board(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    now = clock.now()
    ready = _ready(factory, now)
    request_id = ready[2]
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    token = csrf_of(client, "/sites/T-ALA/hotlab")
    draw_id = drawn(app, people[Role.RADIOPHARMACIST], ready, now)
    page = client.get("/sites/T-ALA/hotlab", headers=EN)
    assert f'action="/draws/{draw_id}/discard?page=1#request-{request_id}"' in page.text
    # the administration form comes first on the line (the first form posting to /draws/)
    assert page.text.split('action="/draws/')[1].startswith(f"{draw_id}/administration")
    url = f"/draws/{draw_id}/discard"
    refused = client.post(url, headers=EN, data={"reason": "", "csrf_token": token})
    assert refused.status_code == 422 and "say why the syringe is discarded" in refused.text
    done = client.post(
        url,
        headers=EN,
        data={"reason": "contaminated", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/sites/T-ALA/hotlab")
    assert _states(client) == ["ready"]
    page = client.get("/sites/T-ALA/hotlab", headers=EN)
    assert "/discard" not in page.text


def test_a_row_the_board_cannot_compute_is_flagged(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    now = clock.now()
    _, _, request_id = _ready(factory, now)
    with transaction(factory) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        poisoned = DoseRequest(
            site_id=site.id,
            patient_id=store.session.get(DoseRequest, request_id).patient_id,  # type: ignore[union-attr]
            procedure="Bone scan",
            radiopharmaceutical="mdp",
            nuclide="Tc-99m",
            prescribed_bq=1e300,
            planned_at=now + _later(now, 90),
            requested_at=now,
        )
        store.session.add(poisoned)
        store.session.flush()
        poisoned_id = poisoned.id
    client = sign_in(TestClient(app), people[Role.PHYSICIAN])
    page = client.get("/sites/T-ALA/hotlab", headers=EN)
    assert page.status_code == 200
    assert "cannot be computed" in page.text
    board = client.get("/api/sites/T-ALA/hotlab/board").json()
    lines = {line["request_id"]: line for line in board["lines"]}
    assert lines[request_id]["state"] == "ready" and not lines[request_id]["flagged"]
    assert lines[poisoned_id]["flagged"] and lines[poisoned_id]["prescribed_bq"] is None


def test_a_refused_administration_says_why_beside_its_form(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    """A wrong weight and no time given: the board comes back 422 with both problems named
    in the line's own form, in Russian (the input kept, as before)."""
    now = clock.now()
    draw_id = drawn(app, people[Role.RADIOPHARMACIST], _ready(factory, now), now)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    token = csrf_of(client, "/sites/T-ALA/hotlab")
    form = {"weight": "семьдесят", "administered_at": "", "csrf_token": token}
    refused = client.post(
        f"/draws/{draw_id}/administration", headers={"Accept-Language": "ru"}, data=form
    )
    assert refused.status_code == 422
    line_form = refused.text.split(f'id="draw-{draw_id}"')[1].split("</form>")[0]
    assert 'value="семьдесят"' in line_form
    assert line_form.count('class="error" role="alert"') == 2
    assert "Масса тела:" in line_form and "Введено в:" in line_form
