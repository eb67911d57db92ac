"""Workplace monitoring: surveyed areas with their action levels, dose-rate and wipe surveys,
and the decontamination follow-up of a survey above its level (the radiation safety officer).

A survey above its area's action level opens a follow-up
(:mod:`nucmed.safety.workplace`); it stays on the dashboard until a decontamination record
with a value at or below the level closes it. Every record is a new row and an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed import bounds
from nucmed.errors import N_, refusal
from nucmed.safety import workplace as rules
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.permissions import Permission, row_at_site, site_for
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.safety import AreaSurvey, Decontamination, SurveyArea

__all__ = [
    "AreaInput",
    "FollowUp",
    "SurveyInput",
    "define_area",
    "open_follow_ups",
    "record_decontamination",
    "record_survey",
]

_TEXT_MAX = 4000


@dataclass(frozen=True, slots=True)
class AreaInput:
    """An area's name and action levels: dose rate (Sv/s) and wipe (Bq/m²)."""

    name: str
    dose_rate_action_sv_per_s: float
    wipe_action_bq_per_m2: float


def define_area(database: Database, identity: Identity, code: str, given: AreaInput) -> int:
    """Define a surveyed area of site ``code`` with its action levels (audited); its id."""
    name = bounds.check_text(N_("name"), given.name.strip(), 200)
    if not name:
        raise refusal(N_("give the area's name"))
    dose_rate = bounds.DOSE_RATE.check(given.dose_rate_action_sv_per_s)
    wipe = rules.check_value("wipe", given.wipe_action_bq_per_m2)
    with transaction(database) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        who = actor(store, identity)
        row = SurveyArea(
            site_id=site.id, name=name, dose_rate_action_sv_per_s=dose_rate,
            wipe_action_bq_per_m2=wipe, recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_area.define", "safety_area", row.id, site.id))
        return row.id


@dataclass(frozen=True, slots=True)
class SurveyInput:
    """A survey of an area: ``dose_rate`` (Sv/s) or ``wipe`` (Bq/m²), and when it was made."""

    area_id: int
    kind: str
    value: float
    measured_at: datetime


def record_survey(database: Database, identity: Identity, given: SurveyInput) -> bool:
    """Record a survey (audited); True when it is above the area's action level (a follow-up
    opens).

    Raises
    ------
    NucmedInputError
        An unknown kind, a negative value, or a time after now.
    """
    value = rules.check_value(given.kind, given.value)
    with transaction(database) as store:
        site, area = row_at_site(
            store, identity, SurveyArea, given.area_id, Permission.SAFETY_WORK
        )
        if given.measured_at > store.now():
            raise refusal(N_("the survey time may not be after now"))
        level = (
            area.dose_rate_action_sv_per_s
            if given.kind == "dose_rate"
            else area.wipe_action_bq_per_m2
        )
        over = rules.over_level(value, level)
        who = actor(store, identity)
        row = AreaSurvey(
            site_id=site.id, area_id=area.id, kind=given.kind, value=value, action_level=level,
            over=over, measured_at=given.measured_at, recorded_at=store.now(),
            recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_survey.record", "safety_survey", row.id, site.id,
                                 details={"over": over}))  # fmt: skip
        return over


def _values_after(store: Store, survey_ids: Sequence[int]) -> dict[int, list[float]]:
    rows = store.session.scalars(
        select(Decontamination)
        .where(Decontamination.survey_id.in_(survey_ids))
        .order_by(Decontamination.id)
    )
    found: dict[int, list[float]] = {}
    for row in rows:
        found.setdefault(row.survey_id, []).append(row.value_after)
    return found


def record_decontamination(database: Database, identity: Identity, survey_id: int, action: str,
                           value_after: float) -> bool:  # fmt: skip
    """Record what was done about a survey above its level and the value measured after it
    (audited); True when that closes the follow-up.

    Raises
    ------
    NucmedInputError
        No description, a negative value, a survey that was not above its level or whose
        follow-up is already closed.
    """
    text = bounds.check_text(N_("what was done"), action.strip(), _TEXT_MAX)
    if not text:
        raise refusal(N_("say what was done"))
    with transaction(database) as store:
        site, survey = row_at_site(store, identity, AreaSurvey, survey_id, Permission.SAFETY_WORK)
        value = rules.check_value(survey.kind, value_after)
        earlier = _values_after(store, [survey.id]).get(survey.id, [])
        if not survey.over or rules.follow_up_closed(survey.action_level, earlier):
            raise refusal(N_("this survey has no open follow-up"))
        closes = rules.follow_up_closed(survey.action_level, [*earlier, value])
        who = actor(store, identity)
        row = Decontamination(
            site_id=site.id, survey_id=survey.id, action=text, value_after=value, closes=closes,
            recorded_at=store.now(), recorded_by_id=who.id,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, who, Event("safety_decontamination.record", "safety_survey", survey.id,
                                 site.id, text, details={"closes": closes}))  # fmt: skip
        return closes


@dataclass(frozen=True, slots=True)
class FollowUp:
    """An open follow-up: the survey, its area, kind, value and level (SI), when it was made,
    and the last value measured after a decontamination (None: none yet)."""

    survey_id: int
    area: str
    kind: str
    value: float
    action_level: float
    measured_at: datetime
    last_after: float | None


def open_follow_ups(store: Store, site: Site) -> tuple[FollowUp, ...]:
    """The site's surveys above their action level whose follow-up is not closed, oldest first."""
    surveys = list(
        store.session.scalars(
            select(AreaSurvey)
            .where(AreaSurvey.site_id == site.id, AreaSurvey.over.is_(True))
            .order_by(AreaSurvey.measured_at, AreaSurvey.id)
        )
    )
    after = _values_after(store, [s.id for s in surveys])
    names = {
        a.id: a.name
        for a in store.session.scalars(select(SurveyArea).where(SurveyArea.site_id == site.id))
    }
    return tuple(
        FollowUp(
            s.id,
            names.get(s.area_id, ""),
            s.kind,
            s.value,
            s.action_level,
            s.measured_at,
            after[s.id][-1] if after.get(s.id) else None,
        )
        for s in surveys
        if not rules.follow_up_closed(s.action_level, after.get(s.id, []))
    )
