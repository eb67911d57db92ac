"""The day board's line forms on the web (found on the ru/kk walk): a refused draw,
administration or discard comes back at its line (each form's action ends in the line's
``#request-N``, where the browser lands) with its problems and input in that line's form, and
the vial a line draws from is named in the reader's language."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from nucmed.services.clock import FixedClock
from nucmed.services.uow import transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Patient
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_board_discard import _ready, drawn

RU = {"Accept-Language": "ru"}
BOARD = "/sites/T-ALA/hotlab"
MDP = {"ru": "99mTc-медронат (MDP)", "kk": "99mTc-медронат (MDP)"}
"""The MDP kit's name in each language (the catalogues' label of the kit code ``mdp``)."""


def _form_after(page: str, action: str) -> str:
    """The HTML of the form posting to ``action`` (a path; the page's form adds its query)."""
    return page.split(f'action="{action}')[1].split("</form>", maxsplit=1)[0]


def _above_the_board(page: str) -> str:
    return page.split('id="board"', maxsplit=1)[0].split("</h1>")[1]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_vial_of_a_ready_line_is_named_in_the_readers_language(
    app: FastAPI,
    people: dict[Role, str],
    factory: SessionFactory,
    clock: FixedClock,
    language: str,
) -> None:
    _, _, request_id = _ready(factory, clock.now())
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    page = client.get(BOARD, headers={"Accept-Language": language}).text
    line = page.split(f'id="request-{request_id}"')[1].split("</tr>")[0]
    assert MDP[language] in line and "medronate" not in line


def test_a_refused_draw_comes_back_at_its_line_with_its_problems(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    now = clock.now()
    _, _, request_id = _ready(factory, now)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    board = client.get(BOARD, headers=RU).text
    action = f"/dose-requests/{request_id}/draw?page=1#request-{request_id}"
    assert f'action="{action}"' in board
    token = csrf_of(client, BOARD)
    wrong = {"drawn_at": "вчера", "measured": "много", "csrf_token": token}
    refused = client.post(action.split("#", maxsplit=1)[0], headers=RU, data=wrong)
    assert refused.status_code == 422
    assert f'id="request-{request_id}"' in refused.text
    form = _form_after(refused.text, f"/dose-requests/{request_id}/draw")
    assert 'value="много"' in form and 'value="вчера"' in form
    assert form.count('class="error" role="alert"') == 2
    assert "Время набора:" in form and "Измерено:" in form
    assert 'role="alert"' not in _above_the_board(refused.text)
    # a refusal of the whole draw (the activity far outside the tolerance) is said there too
    far = {"drawn_at": now.isoformat(), "measured": "5 GBq", "csrf_token": token}
    refused = client.post(action.split("#", maxsplit=1)[0], headers=RU, data=far)
    assert refused.status_code == 422
    form = _form_after(refused.text, f"/dose-requests/{request_id}/draw")
    assert form.count('class="error" role="alert"') == 1 and 'value="5 GBq"' in form
    assert 'role="alert"' not in _above_the_board(refused.text)


def test_the_drawn_line_s_forms_lead_back_to_the_line(
    app: FastAPI, people: dict[Role, str], factory: SessionFactory, clock: FixedClock
) -> None:
    """The administration and discard forms of a drawn line end in its ``#request-N``; a
    refused discard says why in its own form; a discard done leads to the line, and so does
    an administration done (its redirect keeps the form's fragment)."""
    now = clock.now()
    ready = _ready(factory, now)
    request_id = ready[2]
    draw_id = drawn(app, people[Role.RADIOPHARMACIST], ready, now)
    client = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    board = client.get(BOARD, headers=RU).text
    for what in ("administration", "discard"):
        assert f'action="/draws/{draw_id}/{what}?page=1#request-{request_id}"' in board
    token = csrf_of(client, BOARD)
    url = f"/draws/{draw_id}/discard?page=1"
    refused = client.post(url, headers=RU, data={"reason": " ", "csrf_token": token})
    assert refused.status_code == 422
    form = _form_after(refused.text, f"/draws/{draw_id}/discard")
    assert form.count('class="error" role="alert"') == 1
    assert 'role="alert"' not in _above_the_board(refused.text)
    with transaction(factory) as store:  # the sex decides whether pregnancy is asked
        store.session.execute(update(Patient).values(sex="M"))
    given = {"administered_at": now.isoformat(), "csrf_token": token}
    done = client.post(
        f"/draws/{draw_id}/administration?page=1", data=given, follow_redirects=False
    )
    assert done.status_code == 303, re.findall(r'role="alert">(.*?)</p>', done.text)
    assert done.headers["location"] == "/sites/T-ALA/hotlab?page=1"  # no fragment of its own
    line = client.get(BOARD, headers=RU).text.split(f'id="request-{request_id}"')[1]
    assert '<span class="ok">введено</span>' in line.split("</tr>")[0]
