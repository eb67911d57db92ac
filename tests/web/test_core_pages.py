"""Signing in and out, CSRF, the API token, site settings and the audit trail on the web."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.config import Settings
from nucmed.services.clock import FixedClock
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.vocabulary import Role, SiteKind
from nucmed.web.app import create_app
from tests.web.conftest import PASSWORD, csrf_of, sign_in

EN = {"Accept-Language": "en"}
OTHER = SiteSpec("T-BIS", "Other department", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")


class TestSignIn:
    def test_wrong_password_keeps_the_username(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = TestClient(app)
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        page = client.post(
            "/login",
            data={
                "username": people[Role.PHYSICIAN],
                "password": "not the password",
                "csrf_token": token,
            },
            headers=EN,
        )
        assert page.status_code == 401
        assert "Wrong username or password." in page.text
        assert f'value="{people[Role.PHYSICIAN]}"' in page.text

    def test_login_without_csrf_token_is_refused(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        page = TestClient(app).post(
            "/login",
            data={
                "username": people[Role.PHYSICIAN],
                "password": PASSWORD,
                "csrf_token": "forged",
            },
        )
        assert page.status_code == 403

    def test_session_cookie_is_http_only_and_secure_off_loopback(
        self,
        database: Database,
        database_url: str,
        tmp_path: Path,
        people: dict[Role, str],
    ) -> None:
        settings = Settings(data_dir=tmp_path, database_url=database_url, cookie_secure="auto")
        application = create_app(settings, database.clock)
        application.state.database = database
        client = TestClient(application, base_url="https://nm.example.kz")
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/login",
            data={"username": people[Role.RSO], "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        application.state.installation.engine.dispose()
        cookie = response.headers["set-cookie"]
        assert "nucmed_session=" in cookie
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie

    def test_next_only_goes_to_this_site(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/login",
            data={
                "username": people[Role.RSO],
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example",
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"

    def test_sign_out_ends_the_session(self, client: TestClient) -> None:
        token = csrf_of(client)
        assert (
            client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
            == 303
        )
        assert client.get("/me", follow_redirects=False).status_code == 303

    def test_form_post_without_csrf_is_refused(self, client: TestClient) -> None:
        response = client.post("/me", data={"language": "en", "activity_unit": "MBq"})
        assert response.status_code == 403

    def test_api_token(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        refused = client.post("/api/auth/token", json={"username": "x", "password": "y" * 10})
        assert refused.status_code == 401
        granted = client.post(
            "/api/auth/token", json={"username": people[Role.SUPERVISOR], "password": PASSWORD}
        )
        token = granted.json()["access_token"]
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me["roles"] == [{"role": "supervisor", "site": "T-ALA"}]
        assert client.get("/api/me").status_code == 401


class TestSiteSettings:
    def test_dashboard_of_the_only_site(self, client: TestClient) -> None:
        home = client.get("/", headers=EN)
        assert home.url.path == "/sites/T-ALA"
        assert "Test department" in home.text
        assert "(Asia/Almaty)" in home.text

    def test_physicist_changes_a_setting_with_reason_and_the_trail_shows_it(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = sign_in(TestClient(app), people[Role.PHYSICIST])
        token = csrf_of(client, "/sites/T-ALA/settings")
        page = client.post(
            "/sites/T-ALA/settings",
            headers=EN,
            data={
                "key": "eluate_expiry_h",
                "value": "8",
                "source": "Department SOP 12",
                "reason": "our SOP is stricter",
                "csrf_token": token,
            },
        )
        assert page.status_code == 200
        assert "The previous value stays in the history." in page.text
        site_id = page.text.split('href="/audit/site_setting/')[1].split(":")[0]
        trail = client.get(f"/audit/site_setting/{site_id}:eluate_expiry_h", headers=EN)
        assert "our SOP is stricter" in trail.text
        assert people[Role.PHYSICIST] in trail.text

    def test_change_without_reason_shows_the_error_and_keeps_the_input(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = sign_in(TestClient(app), people[Role.RSO])
        token = csrf_of(client, "/sites/T-ALA/settings")
        page = client.post(
            "/sites/T-ALA/settings",
            headers=EN,
            data={
                "key": "eluate_expiry_h",
                "value": "8,5",
                "source": "SOP",
                "reason": "",
                "csrf_token": token,
            },
        )
        assert page.status_code == 422
        assert 'value="8,5"' in page.text
        assert "a reason is required" in page.text
        api = client.get("/api/sites/T-ALA/settings").json()
        assert api["eluate_expiry_h"]["value"] == 12

    def test_technologist_sees_settings_but_no_change_form(self, client: TestClient) -> None:
        page = client.get("/sites/T-ALA/settings", headers=EN)
        assert page.status_code == 200
        assert "Change a setting" not in page.text


class TestUsers:
    def test_admin_creates_a_person(self, admin_client: TestClient) -> None:
        token = csrf_of(admin_client, "/admin/users")
        page = admin_client.post(
            "/admin/users",
            headers=EN,
            data={
                "username": "new.person",
                "full_name": "New Person",
                "password": PASSWORD,
                "role": "resident",
                "site": "T-ALA",
                "csrf_token": token,
            },
        )
        assert page.status_code == 200
        assert "Account created: new.person" in page.text

    def test_bad_username_shown_and_input_kept(self, admin_client: TestClient) -> None:
        token = csrf_of(admin_client, "/admin/users")
        page = admin_client.post(
            "/admin/users",
            headers=EN,
            data={
                "username": "bad name!",
                "full_name": "Bad",
                "password": PASSWORD,
                "role": "resident",
                "site": "T-ALA",
                "csrf_token": token,
            },
        )
        assert page.status_code == 422
        assert 'value="bad name!"' in page.text
        assert "a username is letters" in page.text


class TestPassword:
    def test_change_password_then_sign_in_with_it(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = sign_in(TestClient(app), people[Role.RESIDENT])
        token = csrf_of(client)
        wrong = client.post(
            "/me/password",
            headers=EN,
            data={"current": "not it at all", "new": "a new long password", "csrf_token": token},
        )
        assert wrong.status_code == 422
        page = client.post(
            "/me/password",
            headers=EN,
            data={"current": PASSWORD, "new": "a new long password", "csrf_token": token},
        )
        assert page.status_code == 200
        assert "Password changed." in page.text
        sign_in(TestClient(app), people[Role.RESIDENT], "a new long password")


def _bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    token = client.post(
        "/api/auth/token", json={"username": username, "password": password}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


SETTING = "/api/sites/T-ALA/settings/eluate_expiry_h"


class TestApi:
    def test_change_a_setting_as_the_page_does(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = TestClient(app)
        auth = _bearer(client, people[Role.RSO])
        body = {"value": 8, "source": "SOP 12", "reason": "stricter"}
        changed = client.put(SETTING, headers=auth, json=body)
        assert changed.status_code == 200, changed.text
        history = client.get(f"{SETTING}/history", headers=auth).json()
        assert [h["value"] for h in history] == [8, 12]
        assert changed.json()["value"] == 8
        assert changed.json()["supersedes_id"] == history[1]["id"]
        no_reason = client.put(SETTING, headers=auth, json={**body, "reason": " "})
        assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
        unknown = client.put("/api/sites/T-ALA/settings/no_such_key", headers=auth, json=body)
        assert unknown.status_code == 422

    def test_a_technologist_may_not_change_settings(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        client = TestClient(app)
        auth = _bearer(client, people[Role.RADIOPHARMACIST])
        body = {"value": 8, "source": "SOP 12", "reason": "stricter"}
        assert client.put(SETTING, headers=auth, json=body).status_code == 403

    def test_create_a_user(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        auth = _bearer(client, people[Role.ADMIN])
        body = {
            "username": "a.new",
            "full_name": "A New",
            "password": PASSWORD,
            "role": "rso",
            "site": "T-ALA",
        }
        created = client.post("/api/users", headers=auth, json=body)
        assert created.status_code == 201 and created.json() == {"username": "a.new"}
        listed = {u["username"]: u for u in client.get("/api/users", headers=auth).json()}
        assert listed["a.new"]["roles"] == [{"role": "rso", "site": "T-ALA"}]
        again = client.post("/api/users", headers=auth, json=body)
        assert again.status_code == 422 and "is taken" in again.text
        unknown = client.post("/api/users", headers=auth, json={**body, "site": "X-1"})
        assert unknown.status_code == 422

    def test_correct_an_audit_entry(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        rso = _bearer(client, people[Role.RSO])
        body = {"value": 8, "source": "SOP 12", "reason": "stricter"}
        client.put(SETTING, headers=rso, json=body)
        (entry,) = client.get(
            "/api/audit/site_setting/" + self._setting_entity(client, rso), headers=rso
        ).json()
        path = f"/api/audit/entries/{entry['id']}/corrections"
        fix = {"reason": "the source is SOP 13", "details": {"source": "SOP 13"}}
        corrected = client.post(path, headers=rso, json=fix)
        assert corrected.status_code == 201, corrected.text
        assert corrected.json()["corrects_id"] == entry["id"]
        assert corrected.json()["actor"] == people[Role.RSO]
        no_reason = client.post(path, headers=rso, json={**fix, "reason": ""})
        assert no_reason.status_code == 422
        missing = client.post("/api/audit/entries/999999/corrections", headers=rso, json=fix)
        assert missing.status_code == 404
        physicist = _bearer(client, people[Role.PHYSICIST])
        assert client.post(path, headers=physicist, json=fix).status_code == 403

    @staticmethod
    def _setting_entity(client: TestClient, auth: dict[str, str]) -> str:
        page = client.get("/sites/T-ALA/settings", headers=auth).text
        site_id = page.split('href="/audit/site_setting/')[1].split(":")[0]
        return f"{site_id}:eluate_expiry_h"

    def test_my_preferences(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        auth = _bearer(client, people[Role.RESIDENT])
        saved = client.put(
            "/api/me/preferences", headers=auth, json={"language": "kk", "activity_unit": "mCi"}
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["language"] == "kk" and saved.json()["activity_unit"] == "mCi"
        assert client.get("/api/me", headers=auth).json()["activity_unit"] == "mCi"
        refused = client.put(
            "/api/me/preferences", headers=auth, json={"language": "fr", "activity_unit": "MBq"}
        )
        assert refused.status_code == 422

    def test_my_password(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        auth = _bearer(client, people[Role.RESIDENT])
        new = "a new long password"
        wrong = client.post(
            "/api/me/password", headers=auth, json={"current": "not it at all", "new": new}
        )
        assert wrong.status_code == 422
        changed = client.post(
            "/api/me/password", headers=auth, json={"current": PASSWORD, "new": new}
        )
        assert changed.status_code == 204
        assert _bearer(client, people[Role.RESIDENT], new)


class TestSites:
    def test_a_site_where_one_has_no_role_is_not_shown(
        self, app: FastAPI, people: dict[Role, str], database: Database
    ) -> None:
        with transaction(database) as store:
            create_site(store, None, OTHER)
        client = sign_in(TestClient(app), people[Role.RESIDENT])
        assert client.get("/sites/T-BIS").status_code == 404
        assert client.get("/api/sites/T-BIS/settings").status_code == 404
        assert [s["code"] for s in client.get("/api/sites").json()] == ["T-ALA"]
        admin = sign_in(TestClient(app), people[Role.ADMIN])
        assert {s["code"] for s in admin.get("/api/sites").json()} == {"T-ALA", "T-BIS"}
        assert admin.get("/sites/T-BIS").status_code == 200

    def test_the_dashboard_shows_the_clock_of_the_installation(
        self, client: TestClient, clock: FixedClock
    ) -> None:
        page = client.get("/sites/T-ALA", headers=EN).text
        local = clock.now().astimezone(ZoneInfo("Asia/Almaty"))
        assert page.split("<time>")[1].startswith(f"{local:%d.%m.%Y %H:%M}</time>")
