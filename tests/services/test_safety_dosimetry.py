"""Staff dosimetry (issue 14, item 1): readings imported from CSV, alerts to the RSO when a
reading passes the site's investigation level or takes a total across a dose limit, corrections
by re-sent readings, reviews that close alerts, and who may do it.

The limits are the site's defaults (ICRP 103 Table 6: 20 mSv/y averaged over 5 years, 50 mSv in
any year; extremities 500 mSv/y). Periods lie in the year before the clock's, so they are in the
past whatever day the suite runs.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.safety import dosimetry
from nucmed.services.safety.dosimetry import LevelInput
from nucmed.services.uow import Database, transaction
from nucmed.store.safety import DoseAlert, DoseAlertReview
from tests.services.hotlab_fixtures import SITE
from tests.services.safety_fixtures import People, tech_and_rso

MSV = 1e-3
HEADER = "serial,period_start,period_end,dose_msv\n"


@pytest.fixture
def people(database: Database) -> People:
    return tech_and_rso(database, "rso.d")


@pytest.fixture
def last_year(database: Database) -> int:
    return database.clock.now().year - 1


@pytest.fixture
def worker(database: Database, people: People) -> int:
    rso = people("rso")
    worker_id = dosimetry.register_worker(database, rso, SITE.code, "T-017", "Aigerim Sadykova")
    dosimetry.issue_dosimeter(database, rso, worker_id, "WB-1", "whole_body")
    dosimetry.issue_dosimeter(database, rso, worker_id, "R-1", "ring")
    return worker_id


def _month(year: int, month: int, serial: str, dose_msv: str) -> str:
    return f"{serial},{year}-{month:02d}-01,{year}-{month:02d}-28,{dose_msv}\n"


def _alerts(database: Database) -> list[DoseAlert]:
    with transaction(database, read_only=True) as store:
        return list(store.session.scalars(select(DoseAlert).order_by(DoseAlert.id)))


@pytest.mark.usefixtures("worker")
def test_investigation_level_alerts_the_rso(database: Database, people: People,
                                            last_year: int) -> None:  # fmt: skip
    rso = people("rso")
    dosimetry.set_investigation_level(
        database, rso, SITE.code, LevelInput("effective", 1 * MSV, "1 mSv per month, local rule")
    )
    text = HEADER + _month(last_year, 1, "WB-1", "0.4") + _month(last_year, 2, "WB-1", "1.2")
    imported = dosimetry.import_readings(database, rso, SITE.code, text, "dosimetry 2")
    assert (imported.readings, imported.corrections) == (2, 0)
    assert [a.kind for a in imported.alerts] == ["investigation_level"]
    (alert,) = _alerts(database)
    assert (alert.quantity, alert.year) == ("effective", last_year)
    assert alert.value_sv == pytest.approx(1.2 * MSV)
    assert alert.limit_sv == pytest.approx(1 * MSV)


@pytest.mark.usefixtures("worker")
def test_single_year_limit_alerts_once(database: Database, people: People,
                                       last_year: int) -> None:  # fmt: skip
    """ICRP 103 Table 6: 50 mSv in any year; the reading that crosses it alerts, not the next."""
    rso = people("rso")
    text = (
        HEADER + _month(last_year, 1, "WB-1", "30") + _month(last_year, 2, "WB-1", "21")
        + _month(last_year, 3, "WB-1", "1")
    )  # fmt: skip
    imported = dosimetry.import_readings(database, rso, SITE.code, text, "b")
    assert [(a.kind, round(a.value_sv / MSV, 6)) for a in imported.alerts] == [
        ("single_year_limit", 51.0)
    ]


@pytest.mark.usefixtures("worker")
def test_ring_goes_to_the_extremity_limit(database: Database, people: People,
                                          last_year: int) -> None:  # fmt: skip
    rso = people("rso")
    text = HEADER + _month(last_year, 1, "R-1", "480") + _month(last_year, 2, "R-1", "25")
    (alert,) = dosimetry.import_readings(database, rso, SITE.code, text, "b").alerts
    assert (alert.kind, alert.quantity, alert.limit_sv) == ("annual_limit", "extremity", 0.5)


def test_resent_reading_corrects_the_earlier_one(database: Database, people: People,
                                                 last_year: int, worker: int) -> None:  # fmt: skip
    rso = people("rso")
    dosimetry.import_readings(
        database, rso, SITE.code, HEADER + _month(last_year, 1, "WB-1", "49"), "a"
    )
    again = dosimetry.import_readings(
        database, rso, SITE.code, HEADER + _month(last_year, 1, "WB-1", "0.5")
        + _month(last_year, 2, "WB-1", "2"), "a2",
    )  # fmt: skip
    assert again.corrections == 1
    assert again.alerts == ()  # 0.5 + 2 mSv, not 49 + 0.5 + 2
    with transaction(database, read_only=True) as store:
        current = dosimetry.current_readings(store, [worker])
    assert sorted(round(r.dose_sv / MSV, 6) for r in current) == [0.5, 2.0]


@pytest.mark.usefixtures("worker")
def test_review_closes_an_alert(database: Database, people: People, last_year: int) -> None:
    rso = people("rso")
    dosimetry.import_readings(
        database, rso, SITE.code, HEADER + _month(last_year, 1, "WB-1", "51"), "a"
    )
    (alert,) = _alerts(database)
    with pytest.raises(NucmedInputError):
        dosimetry.review_alert(database, rso, alert.id, "  ")
    dosimetry.review_alert(
        database, rso, alert.id, "Badge left near the generator; dose not personal"
    )
    with transaction(database, read_only=True) as store:
        assert store.session.scalars(select(DoseAlertReview)).one().alert_id == alert.id
    with pytest.raises(NucmedInputError, match="already reviewed"):
        dosimetry.review_alert(database, rso, alert.id, "again")


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("serial,dose\nWB-1,1\n", "first line"),
        (HEADER + "WB-9,2020-01-01,2020-01-31,1\n", "line 2: no dosimeter WB-9"),
        (HEADER + "WB-1,2020-02-01,2020-01-31,1\n", "line 2: the period"),
        (HEADER + "WB-1,2020-01-01,31.01.2020,1\n", "line 2: period_end"),
        (HEADER + "WB-1,2020-01-01,2020-01-31,-1\n", "line 2"),
        (HEADER, "no readings"),
        (HEADER + "WB-1,2020-01-01,2020-01-31,1,2\n", "line 2: write the 4 columns"),
    ],
)
def test_bad_reports_store_nothing(
    database: Database, people: People, text: str, why: str
) -> None:
    with pytest.raises(NucmedInputError, match=why):
        dosimetry.import_readings(database, people("rso"), SITE.code, text, "bad")
    assert _alerts(database) == []


@pytest.mark.usefixtures("worker")
def test_only_the_rso_works_on_doses(database: Database, people: People) -> None:
    tech = people("tech")
    with pytest.raises(AccessDeniedError):
        dosimetry.register_worker(database, tech, SITE.code, "T-2", "Someone")
    with pytest.raises(AccessDeniedError):
        dosimetry.import_readings(database, tech, SITE.code, HEADER, "x")
