"""Eluate QC in units, the yield warning and the duplicate-lot warning on the material page, in
Russian and Kazakh (issue 11, item 8). The generator is received through the service, the
elution and QC through the page's forms; every time is minutes before the test clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from nucmed.physics import generator
from nucmed.services.clock import FixedClock
from nucmed.services.hotlab.receiving import Delivery, Survey, receive
from nucmed.services.uow import Database, transaction
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ
from nucmed.vocabulary import Role
from tests.services.hotlab_fixtures import WHITE
from tests.web.conftest import csrf_of, sign_in

HOUR = 3600.0
ZONE = ZoneInfo("Asia/Almaty")  # the test site T-ALA

WORDS = {
    "ru": {
        "units": ("кБк/МБк", "(предел 0,15 кБк/МБк)", "мкг/мл", "(предел 10 мкг/мл)"),
        "limit_time": "Mo-99 достигнет предела:",
        "low": "выход элюирования 66.8 % ниже порога предупреждения отделения 80 %",
        "lot": "серия TL-2611 уже есть в запасах",
        "refused": "принимается выход от 0 до 200 %",
    },
    "kk": {
        "units": ("кБк/МБк", "(шегі 0,15 кБк/МБк)", "мкг/мл", "(шегі 10 мкг/мл)"),
        "limit_time": "Mo-99 шегіне жету уақыты:",
        "low": "элюция шығымы 66.8 % бөлімшенің ескерту деңгейінен (80 %) төмен",
        "lot": "TL-2611 сериясы қорларда бар",
        "refused": "0-ден 200 % дейінгі шығым қабылданады",
    },
}


def _typed(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def _generator(database: Database, now: datetime, calibrated: datetime, lot: str) -> int:
    """A 20 GBq generator received by the radiopharmacist at T-ALA; its id."""
    with transaction(database) as store:
        site = store.session.scalars(select(Site).where(Site.code == "T-ALA")).one()
        tech = store.session.scalars(select(User).where(User.username == "radiopharmacist.t"))
        delivery = Delivery(
            "generator",
            "Mo-99",
            "Tc-99m generator 20 GBq",
            20e9,
            calibrated,
            lot=lot,
            expires_at=now + timedelta(days=14),
            package=WHITE,
        )
        survey = Survey(now - timedelta(minutes=20), 1e-9, 1e-10, 0.0)
        material, _ = receive(store, tech.one(), site, delivery, survey)
        return material.id


def _post(client: TestClient, path: str, language: str, **data: str) -> str:
    token = csrf_of(client)
    answer = client.post(
        path,
        data={**data, "csrf_token": token},
        headers={"Accept-Language": language},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


@pytest.fixture
def tech(app: FastAPI, people: dict[Role, str]) -> TestClient:
    return sign_in(TestClient(app), people[Role.RADIOPHARMACIST])


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_eluate_page_shows_qc_in_units_and_the_yield_warning(
    tech: TestClient, database: Database, clock: FixedClock, language: str
) -> None:
    eluted = (clock.now() - timedelta(minutes=10)).replace(second=0, microsecond=0)
    generator_id = _generator(database, clock.now(), eluted - timedelta(hours=12), "G-1")
    predicted_mbq = generator.tc99m_activity_bq(20e9, 12 * HOUR) / BQ_PER_MBQ
    eluate = _post(
        tech,
        f"/materials/{generator_id}/elute",
        language,
        eluted_at=_typed(eluted),
        activity=f"{0.668 * predicted_mbq:.1f} MBq",
        volume="10 mL",
    )
    for test, value in (("mo99_breakthrough", "1 kBq"), ("aluminium", "2")):
        form = {"test": test, "value": value, "method": "", "measured_at": _typed(eluted)}
        _post(tech, f"{eluate}/qc", language, **form)
    page = tech.get(eluate, headers={"Accept-Language": language})
    words = WORDS[language]
    for unit_text in words["units"]:
        assert unit_text in page.text
    assert words["limit_time"] in page.text
    assert words["low"] in page.text
    assert 'id="warnings"' in page.text
    assert "kBq/MBq" not in page.text  # the unit is written in the reader's script
    # 1 kBq in about 8 GBq is 0.000123 kBq/MBq: shown to 3 significant digits, never "0".
    mo99_cell = page.text.split('data-key="qc-mo99_breakthrough">')[1]
    assert mo99_cell.startswith("0,000123 кБк/МБк")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_yield_over_200_percent_is_refused_in_the_readers_language(
    tech: TestClient, database: Database, clock: FixedClock, language: str
) -> None:
    eluted = (clock.now() - timedelta(minutes=10)).replace(second=0, microsecond=0)
    generator_id = _generator(database, clock.now(), eluted - timedelta(hours=12), "G-1")
    answer = tech.post(
        f"/materials/{generator_id}/elute",
        data={
            "eluted_at": _typed(eluted),
            "activity": "25 GBq",  # about 2.6 times a complete elution
            "volume": "10 mL",
            "csrf_token": csrf_of(tech),
        },
        headers={"Accept-Language": language},
    )
    assert answer.status_code == 422
    assert WORDS[language]["refused"] in answer.text
    assert 'value="25 GBq"' in answer.text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_second_generator_with_a_lot_in_stock_is_warned(
    tech: TestClient, database: Database, clock: FixedClock, language: str
) -> None:
    now = clock.now()
    _generator(database, now, now - timedelta(days=7), "TL-2611")
    second = _generator(database, now, now - timedelta(hours=12), "TL-2611")
    page = tech.get(f"/materials/{second}", headers={"Accept-Language": language})
    assert page.status_code == 200
    assert WORDS[language]["lot"] in page.text


def test_stock_shows_a_failed_result_with_its_unit_in_kazakh(
    tech: TestClient, database: Database, clock: FixedClock
) -> None:
    eluted = (clock.now() - timedelta(minutes=10)).replace(second=0, microsecond=0)
    generator_id = _generator(database, clock.now(), eluted - timedelta(hours=12), "G-1")
    eluate = _post(
        tech,
        f"/materials/{generator_id}/elute",
        "kk",
        eluted_at=_typed(eluted),
        activity="11 GBq",
        volume="10 mL",
    )
    form = {"test": "aluminium", "value": "12", "method": "", "measured_at": _typed(eluted)}
    _post(tech, f"{eluate}/qc", "kk", **form)
    stock = tech.get("/sites/T-ALA/stock", headers={"Accept-Language": "kk"})
    assert "сапа бақылауынан өтпеді: 12 мкг/мл (шегі 10 мкг/мл)" in stock.text
