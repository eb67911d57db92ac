"""A refusal from the user service (issue 12, Deliver 1) in the reader's language: the
template is translated and the typed value (the username) is kept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from tests.web.conftest import PASSWORD, csrf_of

SAID = {
    "ru": "имя пользователя «{username}» уже занято",
    "kk": "«{username}» пайдаланушы аты бос емес",
    "en": "the username &#39;{username}&#39; is taken",
}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_taken_username_is_refused_in_the_language(
    admin_client: TestClient, people: dict[Role, str], language: str
) -> None:
    taken = people[Role.PHYSICIAN]
    token = csrf_of(admin_client, "/admin/users")
    page = admin_client.post(
        "/admin/users",
        headers={"Accept-Language": language},
        data={
            "username": taken,
            "full_name": "Someone Else",
            "password": PASSWORD,
            "role": "resident",
            "site": "T-ALA",
            "csrf_token": token,
        },
    )
    assert page.status_code == 422
    assert SAID[language].format(username=taken) in page.text
    if language != "en":
        assert "is taken" not in page.text
