"""Workplace monitoring (issue 14, item 2): an area over its action level opens a follow-up that
stays on the RSO's dashboard until a decontamination record at or below the level closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.safety import dashboard, workplace
from nucmed.services.safety.workplace import AreaInput, SurveyInput
from nucmed.services.uow import Database
from tests.services.hotlab_fixtures import SITE
from tests.services.safety_fixtures import People, tech_and_rso

BQ_CM2 = 1e4
USV_H = 1e-6 / 3600


@pytest.fixture
def people(database: Database) -> People:
    return tech_and_rso(database, "rso.w")


@pytest.fixture
def bench(database: Database, people: People) -> int:
    """The hot-lab bench: 10 µSv/h and 4 Bq/cm² (removable) as its action levels."""
    given = AreaInput("Hot-lab bench", 10 * USV_H, 4 * BQ_CM2)
    return workplace.define_area(database, people("rso"), SITE.code, given)


def _wipe(database: Database, people: People, area: int, bq_cm2: float) -> bool:
    moment = database.clock.now() - timedelta(minutes=5)
    given = SurveyInput(area, "wipe", bq_cm2 * BQ_CM2, moment)
    return workplace.record_survey(database, people("rso"), given)


def _follow_ups(database: Database, people: People) -> tuple[workplace.FollowUp, ...]:
    return dashboard.read_dashboard(database, people("rso"), SITE.code).follow_ups


def test_over_the_level_stays_until_decontaminated(
    database: Database, people: People, bench: int
) -> None:
    assert not _wipe(database, people, bench, 4.0)  # at the level: within it
    assert _wipe(database, people, bench, 12.0)
    (follow_up,) = _follow_ups(database, people)
    assert (follow_up.area, follow_up.kind, follow_up.last_after) == (
        "Hot-lab bench",
        "wipe",
        None,
    )
    rso = people("rso")
    assert not workplace.record_decontamination(
        database, rso, follow_up.survey_id, "Wiped with decontaminant", 6 * BQ_CM2
    )
    (still,) = _follow_ups(database, people)
    assert still.last_after == pytest.approx(6 * BQ_CM2)
    assert workplace.record_decontamination(
        database, rso, follow_up.survey_id, "Second wipe; absorbent paper replaced", 1 * BQ_CM2
    )
    assert _follow_ups(database, people) == ()
    with pytest.raises(NucmedInputError, match="no open follow-up"):
        workplace.record_decontamination(database, rso, follow_up.survey_id, "again", 0.0)


def test_dose_rate_survey_and_refusals(database: Database, people: People, bench: int) -> None:
    rso = people("rso")
    now = database.clock.now()
    assert workplace.record_survey(database, rso, SurveyInput(bench, "dose_rate", 25 * USV_H, now))
    assert _follow_ups(database, people)[0].kind == "dose_rate"
    with pytest.raises(NucmedInputError, match="after now"):
        workplace.record_survey(
            database, rso, SurveyInput(bench, "wipe", 0.0, now + timedelta(hours=1))
        )
    with pytest.raises(NucmedInputError):
        workplace.record_survey(database, rso, SurveyInput(bench, "air", 0.0, now))
    with pytest.raises(NucmedInputError):
        workplace.record_survey(database, rso, SurveyInput(bench, "wipe", -1.0, now))
    with pytest.raises(AccessDeniedError):
        workplace.record_survey(database, people("tech"), SurveyInput(bench, "wipe", 0.0, now))
