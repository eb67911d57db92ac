"""A worker's declared pregnancy (issue 14, item 1): the dose to the embryo or fetus from the
whole-body readings after the declaration, against 1 mSv for the rest of the pregnancy (ICRP
103 para. 186; IAEA GSR Part 3 para. 3.114); the RSO is alerted like for the other limits, on
both sides of the limit, and on the dashboard.

Kinds of expected value: **analytic** (sums of the readings counted). Periods lie in the year
before the clock's, so they are in the past whatever day the suite runs.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services.auth import Identity
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.safety import dashboard, dosimetry, pregnancy
from nucmed.services.uow import Database, transaction
from nucmed.store.safety import DoseAlert
from tests.services.hotlab_fixtures import SITE
from tests.services.safety_fixtures import People, tech_and_rso

MSV = 1e-3
HEADER = "serial,period_start,period_end,dose_msv\n"


@pytest.fixture
def people(database: Database) -> People:
    return tech_and_rso(database, "rso.p")


@pytest.fixture
def year(database: Database) -> int:
    return database.clock.now().year - 1


@pytest.fixture
def worker(database: Database, people: People) -> int:
    rso = people("rso")
    worker_id = dosimetry.register_worker(database, rso, SITE.code, "T-031", "Dana Nurlanovna")
    dosimetry.issue_dosimeter(database, rso, worker_id, "WB-7", "whole_body")
    return worker_id


def _month(year: int, month: int, dose_msv: str) -> str:
    return f"WB-7,{year}-{month:02d}-01,{year}-{month:02d}-28,{dose_msv}\n"


def _embryo_alerts(database: Database) -> list[DoseAlert]:
    with transaction(database, read_only=True) as store:
        query = select(DoseAlert).where(DoseAlert.kind == "embryo_limit").order_by(DoseAlert.id)
        return list(store.session.scalars(query))


def _import(database: Database, rso: Identity, text: str) -> dosimetry.Imported:
    return dosimetry.import_readings(database, rso, SITE.code, HEADER + text, "report")


@pytest.fixture(
    params=[pytest.param(("0.3", False), id="1.0-mSv-at-the-limit"),
            pytest.param(("0.31", True), id="1.01-mSv-above")],
)  # fmt: skip
def june(request: pytest.FixtureRequest) -> tuple[str, bool]:
    """June's reading (mSv) and whether it takes the embryo dose above 1 mSv."""
    value: tuple[str, bool] = request.param
    return value


def test_both_sides_of_1_msv(database: Database, people: People, worker: int, year: int,
                             june: tuple[str, bool]) -> None:  # fmt: skip
    june_msv, alerted = june
    rso = people("rso")
    pregnancy.declare_pregnancy(database, rso, worker, date(year, 3, 10), date(year, 11, 20))
    text = _month(year, 2, "5") + _month(year, 4, "0.3") + _month(year, 5, "0.4")
    _import(database, rso, text + _month(year, 6, june_msv))
    alerts = _embryo_alerts(database)
    assert bool(alerts) is alerted
    if alerted:
        (alert,) = alerts
        assert alert.value_sv == pytest.approx(1.01 * MSV, rel=1e-9)  # 0.3 + 0.4 + 0.31, not Feb
        assert alert.limit_sv == 1 * MSV
        assert alert.source == "ICRP 103 para. 186; IAEA GSR Part 3 para. 3.114"


def test_the_import_returns_the_alert_and_alerts_once(
    database: Database, people: People, worker: int, year: int
) -> None:
    rso = people("rso")
    pregnancy.declare_pregnancy(database, rso, worker, date(year, 3, 10), date(year, 11, 20))
    first = _import(database, rso, _month(year, 4, "0.6") + _month(year, 5, "0.6"))
    assert [a.kind for a in first.alerts] == ["embryo_limit"]
    later = _import(database, rso, _month(year, 6, "0.2"))
    assert [a.kind for a in later.alerts] == []
    assert len(_embryo_alerts(database)) == 1


def test_declared_after_the_dose_alerts_at_once(
    database: Database, people: People, worker: int, year: int
) -> None:
    rso = people("rso")
    _import(database, rso, _month(year, 4, "0.7") + _month(year, 5, "0.6"))
    assert _embryo_alerts(database) == []
    pregnancy.declare_pregnancy(database, rso, worker, date(year, 4, 2), date(year, 12, 1))
    (alert,) = _embryo_alerts(database)
    assert alert.value_sv == pytest.approx(1.3 * MSV, rel=1e-9)


def test_the_dashboard_shows_the_pregnancy_in_progress(
    database: Database, people: People, worker: int
) -> None:
    rso = people("rso")
    today = database.clock.now().date()
    declared, expected = today - timedelta(days=40), today + timedelta(days=200)
    pregnancy.declare_pregnancy(database, rso, worker, declared, expected)
    board = dashboard.read_dashboard(database, rso, SITE.code)
    (view,) = board.pregnancies
    assert (view.worker, view.declared_on, view.expected_on) == ("Dana Nurlanovna", declared,
                                                                 expected)  # fmt: skip
    assert (view.dose_sv, view.limit_sv, view.over) == (0.0, 1 * MSV, False)


def test_a_new_declaration_corrects_the_last(
    database: Database, people: People, worker: int, year: int
) -> None:
    rso = people("rso")
    pregnancy.declare_pregnancy(database, rso, worker, date(year, 3, 10), date(year, 11, 20))
    pregnancy.declare_pregnancy(database, rso, worker, date(year, 5, 1), date(year, 12, 1))
    _import(database, rso, _month(year, 4, "0.8") + _month(year, 5, "0.3"))
    assert _embryo_alerts(database) == []  # April ends before the corrected declaration


def test_refusals_and_permission(
    database: Database, people: People, worker: int, year: int
) -> None:
    rso = people("rso")
    with pytest.raises(NucmedInputError, match="must come after"):
        pregnancy.declare_pregnancy(database, rso, worker, date(year, 5, 1), date(year, 4, 1))
    future = database.clock.now().date() + timedelta(days=3)
    with pytest.raises(NucmedInputError, match="after today"):
        pregnancy.declare_pregnancy(database, rso, worker, future, future + timedelta(days=90))
    with pytest.raises(AccessDeniedError):
        pregnancy.declare_pregnancy(
            database, people("tech"), worker, date(year, 3, 1), date(year, 9, 1)
        )
