"""The time an event happened, as people type it: not in the future, and late only with a reason.

Every service that records when something happened (a package measured, a generator eluted, a
QC test, a calibrator check, a dose drawn or given, a waste bag sealed, a therapy measurement)
passes the typed time through :func:`check_event_time` before it writes:

- a time more than the site's ``event_time_future_tolerance_min`` after the site's clock is
  refused (a mistyped day or hour would otherwise lock a generator until that time, or put a
  check on tomorrow's trend); the refusal shows what was typed and the site's time now, both in
  the site's local time;
- a time more than ``late_entry_after_h`` before the clock is a late entry: it needs a written
  reason, and the caller audits the record as a late entry with :func:`record_late_entry`.

Times that are not events (a supplier's calibration time, an expiry) are not passed through
it. A dose request's planned time is not an event either: it may have passed when the request
is typed (the patient is already waiting), and the day board lists such a request as overdue;
only a plan older than the late-entry limit is refused (:func:`check_planned_time`), since no
board would show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from nucmed.errors import N_, NucmedInputError
from nucmed.services.audit import Event, record
from nucmed.services.settings import site_settings
from nucmed.services.uow import Store
from nucmed.store.models import Site, User
from nucmed.units import SECONDS_PER_HOUR, SECONDS_PER_MINUTE

__all__ = [
    "IMPORTED",
    "LATE_ENTRY_ACTION",
    "EventTimeError",
    "LateEntry",
    "LateEntryReasonError",
    "check_event_time",
    "check_not_future",
    "check_planned_time",
    "local_text",
    "record_late_entry",
]

LATE_ENTRY_ACTION = "event.late_entry"
"""The audit action that marks a record entered late (its reason is the entry's reason)."""

IMPORTED = "imported"
"""The late-entry reason of a record read from another system (RRDSR, HL7): its event may lie
far in the past by nature."""


class EventTimeError(NucmedInputError):
    """An event time that cannot be taken: in the future by the site's clock."""


class LateEntryReasonError(EventTimeError):
    """An event time far in the past entered without the reason a late entry needs."""


@dataclass(frozen=True, slots=True)
class LateEntry:
    """An event entered late at a site: when it happened, when it was entered (UTC) and why
    so late."""

    site_id: int
    event_at: datetime
    entered_at: datetime
    reason: str


def local_text(moment: datetime, time_zone: str) -> str:
    """A moment as the site reads it: day.month.year hours:minutes and the zone's name.

    Examples
    --------
    >>> from datetime import UTC
    >>> local_text(datetime(2026, 12, 1, 9, 5, tzinfo=UTC), "Asia/Almaty")
    '01.12.2026 14:05 (Asia/Almaty)'
    """
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local:%d.%m.%Y %H:%M} ({time_zone})"


def _shown(site: Site, at: datetime, now: datetime) -> dict[str, object]:
    """The typed time and the site's clock, as a refusal shows them."""
    return {"typed": local_text(at, site.time_zone), "now": local_text(now, site.time_zone)}


def check_not_future(store: Store, site: Site, at: datetime) -> datetime:
    """Refuse a time more than the site's tolerance after its clock; the clock's "now".

    For times that may lie far back without being late entries (the moment a waste item's
    estimated activity refers to); event times go through :func:`check_event_time`.

    Raises
    ------
    EventTimeError
        The time lies more than ``event_time_future_tolerance_min`` after the site's clock.
    """
    now = store.now()
    ahead_s = site_settings(store, site).event_time_future_tolerance_s
    if at <= now + timedelta(seconds=ahead_s):
        return now
    template = N_(
        "the time {typed} is in the future: it is {now} at the site now; "
        "enter when it happened (at most {minutes} min ahead of the clock)"
    )
    minutes = f"{ahead_s / SECONDS_PER_MINUTE:g}"
    raise EventTimeError(parts=((template, {**_shown(site, at, now), "minutes": minutes}),))


def check_event_time(
    store: Store, site: Site, at: datetime, late_entry_reason: str | None = None
) -> LateEntry | None:
    """Check the time an event happened against the site's clock and settings.

    Parameters
    ----------
    store
        The caller's unit of work (its clock tells "now").
    site
        The site the event happened at (its settings and time zone).
    at
        The typed time of the event, timezone-aware.
    late_entry_reason
        Why the event is entered so late (needed only for a late entry; blanks are none).

    Returns
    -------
    LateEntry or None
        A late entry to audit with :func:`record_late_entry`; None when the time is recent.

    Raises
    ------
    EventTimeError
        The time lies more than the site's tolerance after its clock.
    LateEntryReasonError
        The time lies more than the site's late-entry limit before its clock and no reason
        was given.
    """
    now = check_not_future(store, site, at)
    settings = site_settings(store, site)
    if at >= now - timedelta(seconds=settings.late_entry_after_s):
        return None
    reason = (late_entry_reason or "").strip()
    if not reason:
        template = N_(
            "the time {typed} is more than {hours} h before now ({now} at the site): "
            "a late entry needs a reason; fill in the reason for late entry"
        )
        hours = f"{settings.late_entry_after_s / SECONDS_PER_HOUR:g}"
        raise LateEntryReasonError(parts=((template, {**_shown(site, at, now), "hours": hours}),))
    return LateEntry(site.id, at, now, reason)


def record_late_entry(
    store: Store, actor: User | None, late: LateEntry | None, entity: str, entity_id: str | int
) -> None:
    """Audit a record as entered late (nothing when ``late`` is None), in the caller's
    transaction.

    Parameters
    ----------
    store, actor
        The unit of work and who entered the record.
    late
        What :func:`check_event_time` returned for the record's event time.
    entity, entity_id
        The kind of record and its id (``"material"``, 12), as its own audit entry names them.
    """
    if late is None:
        return
    record(
        store,
        actor,
        Event(
            LATE_ENTRY_ACTION,
            entity,
            entity_id,
            site_id=late.site_id,
            reason=late.reason,
            details={
                "event_at": late.event_at.isoformat(),
                "entered_at": late.entered_at.isoformat(),
                "late_by_h": (late.entered_at - late.event_at).total_seconds() / SECONDS_PER_HOUR,
                "reason": late.reason,
            },
        ),
    )


def check_planned_time(store: Store, site: Site, at: datetime) -> None:
    """Refuse a planned administration time older than the site's late-entry limit.

    A plan that has just passed is taken (the day board shows it as overdue); one older than
    ``late_entry_after_h`` is no longer a request to prepare.

    Raises
    ------
    EventTimeError
        The planned time lies more than the site's late-entry limit before its clock.
    """
    now = store.now()
    after_s = site_settings(store, site).late_entry_after_s
    if at >= now - timedelta(seconds=after_s):
        return
    template = N_(
        "the planned time {typed} is more than {hours} h before now ({now} at the site): "
        "plan the dose for when it will be given"
    )
    hours = f"{after_s / SECONDS_PER_HOUR:g}"
    raise EventTimeError(parts=((template, {**_shown(site, at, now), "hours": hours}),))
