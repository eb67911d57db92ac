"""Waste pages: open a container, fill it, seal it, survey it at its release date."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.clock import FixedClock
from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

EN = {"Accept-Language": "en"}
PAGE = "/sites/T-ALA/waste"
API = "/api/sites/T-ALA/waste"


ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture(autouse=True)
def _clock_on_the_day(clock: FixedClock) -> None:
    """The forms type fixed times on 20.11.2026 up to 13:00 in Almaty (08:00 UTC): the clock
    stands after them; a test that surveys later moves it to the survey (an event time may
    not lie ahead of the clock)."""
    clock.set(datetime(2026, 11, 20, 13, 30, tzinfo=ALMATY))


@pytest.fixture
def web(app: FastAPI) -> FastAPI:
    """The application (it includes these pages)."""
    return app


def _client(app: FastAPI, people: dict[Role, str], role: Role) -> tuple[TestClient, str]:
    client = sign_in(TestClient(app), people[role])
    return client, csrf_of(client, PAGE)


def _post(client: TestClient, path: str, token: str, data: dict[str, str]) -> Any:
    return client.post(
        path, data={**data, "csrf_token": token}, headers=EN, follow_redirects=False
    )


def _container(client: TestClient, token: str, label: str = "W-1", mass: str = "") -> str:
    """Open a container; the path prefix of its forms."""
    opened = _post(client, PAGE, token, {"label": label, "mass": mass})
    assert opened.status_code == 303, opened.text
    found = [c for c in client.get(API).json()["containers"] if c["label"] == label]
    return f"{PAGE}/{found[0]['id']}"


def _filled_and_sealed(client: TestClient, token: str) -> str:
    base = _container(client, token)
    for nuclide, activity in (("Tc-99m", "50 MBq"), ("I-123", "5 MBq")):
        item = {"nuclide": nuclide, "activity": activity, "reference_time": "2026-11-20 08:00"}
        assert _post(client, f"{base}/items", token, item).status_code == 303
    assert (
        _post(client, f"{base}/seal", token, {"sealed_at": "2026-11-20 09:00"}).status_code == 303
    )
    return base


def test_page_renders_with_the_rule(web: FastAPI, people: dict[Role, str]) -> None:
    client, _ = _client(web, people, Role.RADIOPHARMACIST)
    page = client.get(PAGE, headers=EN)
    assert page.status_code == 200
    assert "10 half-lives of the longest-lived nuclide" in page.text
    assert "No waste container at this site." in page.text
    assert client.get(API).json()["release_rule"]["rule"] == "half_lives"


def test_fill_seal_survey_and_dispose(
    web: FastAPI, people: dict[Role, str], clock: FixedClock
) -> None:
    client, token = _client(web, people, Role.RADIOPHARMACIST)
    base = _filled_and_sealed(client, token)
    (box,) = client.get(API).json()["containers"]
    # Ten half-lives of the longest-lived content (I-123, 13.27 h) after sealing at 04:00 UTC.
    assert box["sealed_at"] == "2026-11-20T04:00:00+00:00"
    assert box["release_at"].startswith("2026-11-25T16:4")
    assert [i["nuclide"] for i in box["items"]] == ["Tc-99m", "I-123"]
    page = client.get(PAGE, headers=EN).text
    assert "May be released from" in page and "I-123" in page and "sealed" in page
    clock.set(datetime(2026, 11, 21, 10, 0, tzinfo=ALMATY))  # each survey entered as made
    client, token = _client(web, people, Role.RADIOPHARMACIST)  # signed in again that day
    early = _post(
        client,
        f"{base}/survey",
        token,
        {"dose_rate": "0.1 µSv/h", "background": "0.1 µSv/h", "measured_at": "2026-11-21 10:00"},
    )
    assert early.status_code == 422 and "may be released from" in early.text
    assert 'value="2026-11-21 10:00"' in early.text
    clock.set(datetime(2026, 11, 26, 10, 0, tzinfo=ALMATY))
    client, token = _client(web, people, Role.RADIOPHARMACIST)
    for surface in ("0.3 µSv/h", "0.1 µSv/h"):
        survey = {
            "dose_rate": surface,
            "background": "0.1 µSv/h",
            "measured_at": "2026-11-26 10:00",
        }
        assert _post(client, f"{base}/survey", token, survey).status_code == 303
    (box,) = client.get(API).json()["containers"]
    assert [s["passes"] for s in box["surveys"]] == [False, True]
    assert box["disposed"] is True
    assert box["surveys"][0]["dose_rate_sv_per_s"] == pytest.approx(0.3e-6 / 3600)
    page = client.get(PAGE, headers=EN).text
    assert "above background: keep holding" in page and "disposed of" in page
    assert f'action="{base}/survey"' not in page


class Bad(NamedTuple):
    """A bad form: where it goes, what was typed, the form and field in error, message, kept."""

    path: str
    data: dict[str, str]
    form_id: str
    field: str
    message: str
    kept: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            Bad(
                "",
                {"label": " ", "mass": "12"},
                "new",
                "label",
                "give the container a label",
                'value="12"',
            ),
            id="new-no-label",
        ),
        pytest.param(
            Bad("", {"label": "W-9", "mass": "12"}, "new", "mass", "has no unit", 'value="W-9"'),
            id="new-mass-without-unit",
        ),
        pytest.param(
            Bad(
                "/items",
                {"nuclide": "Xx-1", "activity": "50 MBq", "reference_time": "2026-11-20 08:00"},
                "add",
                "nuclide",
                "Xx-1",
                'value="Xx-1"',
            ),
            id="item-unknown-nuclide",
        ),
        pytest.param(
            Bad(
                "/items",
                {"nuclide": "Tc-99m", "activity": "50", "reference_time": "2026-11-20 08:00"},
                "add",
                "activity",
                "has no unit",
                'value="50"',
            ),
            id="item-activity-without-unit",
        ),
        pytest.param(
            Bad(
                "/seal",
                {"sealed_at": "tomorrow"},
                "seal",
                "sealed_at",
                "is not a date and time",
                'value="tomorrow"',
            ),
            id="seal-bad-time",
        ),
    ],
)
def test_bad_input_shows_the_error_beside_the_field(
    web: FastAPI, people: dict[Role, str], case: Bad
) -> None:
    path, data, form_id, field, message, kept = case
    client, token = _client(web, people, Role.RADIOPHARMACIST)
    base = _container(client, token, label="W-0")
    container_id = base.rsplit("/", 1)[1]
    target = f"{base}{path}" if path else PAGE
    page = _post(client, target, token, data)
    assert page.status_code == 422
    note_id = f'id="{form_id}-{container_id}-{field}-note"' if path else f'id="new-{field}-note"'
    before, after = page.text.split(note_id)
    assert 'class="error"' in before[-40:]
    assert message in after.split("</p>")[0]
    assert kept in page.text


def test_survey_with_a_gray_unit_is_refused(web: FastAPI, people: dict[Role, str]) -> None:
    client, token = _client(web, people, Role.RSO)
    base = _filled_and_sealed(client, token)
    survey = {
        "dose_rate": "0.1 µGy/h",
        "background": "0.1 µSv/h",
        "measured_at": "2026-11-26 10:00",
    }
    page = _post(client, f"{base}/survey", token, survey)
    assert page.status_code == 422
    assert 'value="0.1 µGy/h"' in page.text
    assert client.get(API).json()["containers"][0]["surveys"] == []


def test_service_refusals_at_the_form_top(web: FastAPI, people: dict[Role, str]) -> None:
    client, token = _client(web, people, Role.RADIOPHARMACIST)
    empty = _container(client, token, label="W-E")
    page = _post(client, f"{empty}/seal", token, {"sealed_at": ""})
    assert page.status_code == 422 and "container W-E is empty" in page.text
    sealed = _filled_and_sealed(client, token)
    more = {"nuclide": "F-18", "activity": "1 MBq", "reference_time": "2026-11-20 10:00"}
    page = _post(client, f"{sealed}/items", token, more)
    assert page.status_code == 422 and "container W-1 is sealed" in page.text


def test_clearance_rule_without_mass_says_why(web: FastAPI, people: dict[Role, str]) -> None:
    admin, token = _client(web, people, Role.ADMIN)
    changed = admin.put(
        "/api/sites/T-ALA/settings/waste_release_by_clearance",
        json={"value": 1, "source": "site policy", "reason": "test"},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code in (200, 201), changed.text
    _filled_and_sealed(admin, token)
    page = admin.get(PAGE, headers=EN)
    assert page.status_code == 200
    assert "the clearance rule needs the mass of the waste" in page.text
    assert admin.get(API).json()["containers"][0]["problem"] is not None


def test_unknown_container_is_404(web: FastAPI, people: dict[Role, str]) -> None:
    client, token = _client(web, people, Role.RADIOPHARMACIST)
    assert _post(client, f"{PAGE}/999/seal", token, {"sealed_at": ""}).status_code == 404


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.PHYSICIST], ids=["resident", "physicist"])
def test_readers_view_but_cannot_change(web: FastAPI, people: dict[Role, str], role: Role) -> None:
    worker, token = _client(web, people, Role.RADIOPHARMACIST)
    base = _container(worker, token)
    reader, reader_token = _client(web, people, role)
    page = reader.get(PAGE, headers=EN)
    assert page.status_code == 200 and "W-1" in page.text
    assert 'action="/sites/T-ALA/waste' not in page.text
    assert reader.get(API).status_code == 200
    assert _post(reader, PAGE, reader_token, {"label": "W-2", "mass": ""}).status_code == 403
    assert _post(reader, f"{base}/seal", reader_token, {"sealed_at": ""}).status_code == 403


# --------------------------------------------------------------------------- the JSON API

CONTAINERS = f"{API}/containers"
SEALED_AT = "2026-11-20T09:00:00+05:00"


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post(
        "/api/auth/token", json={"username": username, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture
def api(web: FastAPI, people: dict[Role, str]) -> tuple[TestClient, dict[str, str]]:
    """A radiopharmacist's API client and bearer header."""
    client = TestClient(web)
    return client, _bearer(client, people[Role.RADIOPHARMACIST])


def _api_container(api: tuple[TestClient, dict[str, str]], label: str = "W-A") -> str:
    client, auth = api
    opened = client.post(CONTAINERS, headers=auth, json={"label": label, "mass_kg": 2.0})
    assert opened.status_code == 201, opened.text
    return f"{CONTAINERS}/{opened.json()['id']}"


def test_api_opens_a_container(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    base = _api_container(api)
    (box,) = client.get(API, headers=auth).json()["containers"]
    assert base.endswith(f"/{box['id']}")
    assert box["label"] == "W-A" and box["mass_kg"] == 2.0 and box["sealed_at"] is None
    refused = client.post(CONTAINERS, headers=auth, json={"label": " "})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["message"] == "give the container a label"


def test_api_puts_waste_in(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    base = _api_container(api)
    item = {"nuclide": "Tc-99m", "activity_bq": 5e7, "reference_time": "2026-11-20T08:00:00Z"}
    added = client.post(f"{base}/items", headers=auth, json=item)
    assert added.status_code == 201, added.text
    assert added.json()["items"][0]["activity_bq"] == 5e7
    naive = client.post(f"{base}/items", headers=auth, json={**item, "reference_time": "08:00"})
    assert naive.status_code == 422
    unknown = client.post(f"{base}/items", headers=auth, json={**item, "nuclide": "Xx-1"})
    assert unknown.status_code == 422 and "Xx-1" in unknown.text


def test_api_seals(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    base = _api_container(api)
    empty = client.post(f"{base}/seal", headers=auth, json={"sealed_at": SEALED_AT})
    assert empty.status_code == 422 and "is empty" in empty.text
    item = {"nuclide": "F-18", "activity_bq": 1e6, "reference_time": "2026-11-20T08:00:00Z"}
    client.post(f"{base}/items", headers=auth, json=item)
    sealed = client.post(f"{base}/seal", headers=auth, json={"sealed_at": SEALED_AT})
    assert sealed.status_code == 200, sealed.text
    assert sealed.json()["sealed_at"] == "2026-11-20T04:00:00+00:00"
    assert sealed.json()["release_at"] is not None
    assert client.post(f"{CONTAINERS}/999/seal", headers=auth, json={}).status_code == 404


def test_api_release_survey(
    api: tuple[TestClient, dict[str, str]], people: dict[Role, str], clock: FixedClock
) -> None:
    client, auth = api
    base = _api_container(api)
    item = {"nuclide": "F-18", "activity_bq": 1e6, "reference_time": "2026-11-20T08:00:00Z"}
    client.post(f"{base}/items", headers=auth, json=item)
    release_at = client.post(f"{base}/seal", headers=auth, json={"sealed_at": SEALED_AT}).json()[
        "release_at"
    ]
    rate = 0.1e-6 / 3600
    early = {
        "measured_at": SEALED_AT,
        "dose_rate_sv_per_s": rate,
        "background_sv_per_s": rate,
    }
    refused = client.post(f"{base}/surveys", headers=auth, json=early)
    assert refused.status_code == 422 and "may be released from" in refused.text
    clock.set(datetime.fromisoformat(release_at))  # surveyed at its release date
    auth = _bearer(client, people[Role.RADIOPHARMACIST])  # a new token that day
    passed = client.post(
        f"{base}/surveys", headers=auth, json={**early, "measured_at": release_at}
    )
    assert passed.status_code == 201, passed.text
    assert passed.json()["disposed"] is True and passed.json()["due"] is False


def test_api_refuses_a_reader(web: FastAPI, people: dict[Role, str]) -> None:
    client = TestClient(web)
    auth = _bearer(client, people[Role.PHYSICIST])
    assert client.post(CONTAINERS, headers=auth, json={"label": "W-R"}).status_code == 403


def test_a_sealed_container_past_its_date_is_due(
    api: tuple[TestClient, dict[str, str]], clock: FixedClock
) -> None:
    client, auth = api
    base = _api_container(api)
    two_days_ago = (clock.now() - timedelta(days=2)).isoformat()
    item = {"nuclide": "F-18", "activity_bq": 1e6, "reference_time": two_days_ago}
    client.post(f"{base}/items", headers=auth, json=item)
    sealed = {"sealed_at": two_days_ago, "late_entry_reason": "sealed at the weekend"}
    assert client.post(f"{base}/seal", headers=auth, json=sealed).status_code == 200
    (box,) = client.get(API, headers=auth).json()["containers"]
    assert box["releasable"] is True and box["due"] is True
    page = client.get(PAGE, headers={**auth, **EN}).text
    assert "release survey due" in page
