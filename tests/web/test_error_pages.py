"""Error pages: page requests get HTML in the reader's language (the signed-in layout with its
navigation, one plain sentence, a link back); the API keeps its JSON."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}


@pytest.fixture
def failing(app: FastAPI) -> FastAPI:
    """The app with two routes that fail as only a conflict or a bug would."""

    @app.get("/test/conflict", include_in_schema=False)
    def conflict() -> None:
        raise HTTPException(status_code=409, detail="changed meanwhile")

    @app.get("/test/crash", include_in_schema=False)
    @app.get("/api/test/crash", include_in_schema=False)
    def crash() -> None:
        raise RuntimeError("a bug")

    return app


def _signed_in(app: FastAPI, username: str) -> TestClient:
    return sign_in(TestClient(app, raise_server_exceptions=False), username)


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _is_page(answer: object, status: int, language: str, words: tuple[str, ...]) -> str:
    text: str = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == status, text  # type: ignore[attr-defined]
    assert answer.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert f'<html lang="{language}">' in text
    assert f'data-status="{status}"' in text
    for word in words:
        assert word in text
    assert '{"detail"' not in text
    return text


class TestPagesInTheReadersLanguage:
    def test_403_for_a_role_that_may_not_shows_the_layout_and_a_way_back(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        resident = _signed_in(app, people[Role.RESIDENT])
        text = _is_page(
            resident.get("/admin/users", headers=RU),
            403,
            "ru",
            ("Недостаточно прав", "ваша роль не позволяет", 'href="/"', "Выйти"),
        )
        assert 'aria-label="Основное меню"' in text  # the navigation of the signed-in layout
        assert 'href="/admin/users"' not in text  # which does not offer what is refused

    def test_404_of_an_unknown_page_and_of_an_unknown_site_in_kazakh(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        physician = _signed_in(app, people[Role.PHYSICIAN])
        for path in ("/no-such-page", "/sites/NOWHERE"):
            _is_page(physician.get(path, headers=KK), 404, "kk", ("Табылмады",))

    def test_422_of_an_address_a_page_cannot_take(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        physician = _signed_in(app, people[Role.PHYSICIAN])
        came_from = {**RU, "Referer": "http://testserver/sites/T-ALA/patients"}
        text = _is_page(physician.get("/patients/abc", headers=came_from), 422, "ru", ())
        assert 'href="/sites/T-ALA/patients">Назад</a>' in text
        assert 'href="/">На главную</a>' in text

    def test_422_of_an_address_no_route_can_take(
        self, app: FastAPI, people: dict[Role, str]
    ) -> None:
        physician = _signed_in(app, people[Role.PHYSICIAN])
        answer = physician.get("/sites/%00", headers=KK)
        assert answer.status_code == 422
        assert answer.headers["content-type"].startswith("text/html")
        assert '<html lang="kk">' in answer.text and "Басты бетке оралу" in answer.text

    def test_409_and_500_pages(self, failing: FastAPI, people: dict[Role, str]) -> None:
        physician = _signed_in(failing, people[Role.PHYSICIAN])
        _is_page(physician.get("/test/conflict", headers=KK), 409, "kk", ())
        _is_page(physician.get("/test/crash", headers=RU), 500, "ru", ("администратор",))

    def test_401_for_a_form_posted_without_a_session(self, app: FastAPI) -> None:
        anonymous = TestClient(app)
        answer = anonymous.post("/sites/T-ALA/waste", data={"label": "W"}, headers=RU)
        text = _is_page(answer, 401, "ru", ("Войти",))
        assert 'href="/login?next=/sites/T-ALA/waste"' in text

    def test_a_plain_get_without_a_session_still_goes_to_sign_in(self, app: FastAPI) -> None:
        answer = TestClient(app).get("/calculators", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=/calculators")

    def test_an_expired_form_says_so(self, app: FastAPI, people: dict[Role, str]) -> None:
        physician = _signed_in(app, people[Role.PHYSICIAN])
        csrf_of(physician)
        answer = physician.post("/me", data={"csrf_token": "stale"}, headers=RU)
        _is_page(answer, 403, "ru", ("перезагрузите",))


class TestTheApiKeepsItsJson:
    def test_403_404_422_401(self, app: FastAPI, people: dict[Role, str]) -> None:
        client = TestClient(app)
        resident = _bearer(client, people[Role.RESIDENT])
        refused = client.get("/api/users", headers=resident)
        assert (refused.status_code, refused.json()) == (
            403,
            {"detail": "your role does not allow this"},
        )
        missing = client.get("/api/sites/NOWHERE/settings", headers=resident)
        assert missing.status_code == 404
        assert missing.json() == {"detail": "no site NOWHERE"}
        admin = _bearer(client, people[Role.ADMIN])
        invalid = client.get("/api/patients/abc", headers=admin)
        assert invalid.status_code == 422
        assert invalid.json()["detail"][0]["field"] == "path.patient_id"
        guarded = client.get("/api/sites/%00/settings", headers=admin)
        assert guarded.status_code == 422 and guarded.json()["detail"][0]["field"] == "path"
        anonymous = client.get("/api/users")
        assert (anonymous.status_code, anonymous.json()) == (401, {"detail": "sign in first"})

    def test_500_stays_plain(self, failing: FastAPI) -> None:
        answer = TestClient(failing, raise_server_exceptions=False).get("/api/test/crash")
        assert (answer.status_code, answer.text) == (500, "Internal Server Error")
