"""Radioactive waste held for decay: containers, contents, sealing, release survey, disposal."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed.errors import N_, Message, Moment, NucmedInputError, refusal
from nucmed.physics.decay import Activity
from nucmed.physics.nuclides import get_nuclide
from nucmed.safety import waste as rules
from nucmed.services.audit import Event, record
from nucmed.services.event_times import check_event_time, check_not_future, record_late_entry
from nucmed.services.settings import site_settings
from nucmed.services.uow import Store
from nucmed.store.hotlab import WasteContainer, WasteItem, WasteSeal, WasteSurvey
from nucmed.store.models import Site, User

__all__ = [
    "ContainerStatus",
    "ReleaseRule",
    "SurveyInput",
    "WasteItemInput",
    "add_item",
    "container_status",
    "containers",
    "create_container",
    "release_rule",
    "seal",
    "survey",
]


def create_container(
    store: Store, actor: User, site: Site, label: str, mass_kg: float | None = None
) -> WasteContainer:
    """Open a waste container (audited)."""
    if not label.strip():
        raise refusal(N_("give the container a label"))
    if mass_kg is not None and (not math.isfinite(mass_kg) or mass_kg <= 0):
        raise refusal(N_("the mass must be positive"))
    row = WasteContainer(
        site_id=site.id,
        label=label.strip(),
        mass_kg=mass_kg,
        created_at=store.now(),
        created_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "waste.create",
            "waste_container",
            row.id,
            site_id=site.id,
            details={"label": row.label},
        ),
    )
    return row


def _seal_of(store: Store, container: WasteContainer) -> WasteSeal | None:
    return store.session.scalars(
        select(WasteSeal).where(WasteSeal.container_id == container.id)
    ).one_or_none()


def _items(store: Store, container: WasteContainer) -> list[WasteItem]:
    return list(
        store.session.scalars(
            select(WasteItem).where(WasteItem.container_id == container.id).order_by(WasteItem.id)
        )
    )


@dataclass(frozen=True, slots=True)
class WasteItemInput:
    """What goes in: a nuclide and its activity (Bq) at a time; the material it came from."""

    nuclide: str
    activity_bq: float
    reference_time: datetime
    material_id: int | None = None


def add_item(
    store: Store, actor: User, container: WasteContainer, given: WasteItemInput
) -> WasteItem:
    """Put waste in an open container (audited); a sealed container takes nothing more."""
    if _seal_of(store, container) is not None:
        raise refusal(N_("container {label} is sealed"), label=container.label)
    if not math.isfinite(given.activity_bq) or given.activity_bq < 0:
        raise refusal(N_("the activity must be a number of 0 or more"))
    check_not_future(store, store.session.get_one(Site, container.site_id), given.reference_time)
    item = WasteItem(
        container_id=container.id,
        nuclide=get_nuclide(given.nuclide).name,
        activity_bq=given.activity_bq,
        reference_time=given.reference_time,
        material_id=given.material_id,
        added_at=store.now(),
        added_by_id=actor.id,
    )
    store.session.add(item)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "waste.add",
            "waste_container",
            container.id,
            site_id=container.site_id,
            details={"nuclide": item.nuclide, "activity_bq": item.activity_bq},
        ),
    )
    return item


def seal(
    store: Store,
    actor: User,
    container: WasteContainer,
    at: datetime,
    late_entry_reason: str | None = None,
) -> WasteSeal:
    """Close a container at ``at``: its decay clock starts (audited; a late entry needs its
    reason, see :mod:`nucmed.services.event_times`)."""
    if _seal_of(store, container) is not None:
        raise refusal(N_("container {label} is sealed already"), label=container.label)
    if not _items(store, container):
        raise refusal(N_("container {label} is empty"), label=container.label)
    site = store.session.get_one(Site, container.site_id)
    late = check_event_time(store, site, at, late_entry_reason)
    row = WasteSeal(container_id=container.id, sealed_at=at, sealed_by_id=actor.id)
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event("waste.seal", "waste_container", container.id, site_id=container.site_id),
    )
    record_late_entry(store, actor, late, "waste_container", container.id)
    return row


@dataclass(frozen=True, slots=True)
class ContainerStatus:
    """A container: contents, when it was sealed, when it may be released, what happened."""

    container: WasteContainer
    items: tuple[WasteItem, ...]
    sealed_at: datetime | None
    release_at: datetime | None
    release_basis: str
    surveys: tuple[WasteSurvey, ...]
    problem: str | None = None
    """Why the release date is unknown although the container is sealed (e.g. no mass); it
    keeps its translatable parts."""

    @property
    def disposed(self) -> bool:
        """True once a passed survey released it."""
        return any(s.disposed for s in self.surveys)


@dataclass(frozen=True, slots=True)
class ReleaseRule:
    """A site's rule for releasing decayed waste, from its settings.

    Parameters
    ----------
    rule
        ``"half_lives"`` (hold for a number of half-lives of the longest-lived content) or
        ``"clearance"`` (until below the clearance levels of IAEA GSR Part 3, Schedule I).
    half_lives
        The number of half-lives of the ``"half_lives"`` rule.
    margin_sv_per_s
        How far above background the release survey may read, in Sv/s.
    """

    rule: rules.WasteRule
    half_lives: float
    margin_sv_per_s: float


def release_rule(store: Store, site: Site) -> ReleaseRule:
    """The site's release rule now (its settings, in SI)."""
    settings = site_settings(store, site)
    return ReleaseRule(
        rule="clearance" if settings.waste_release_by_clearance else "half_lives",
        half_lives=settings.waste_release_half_lives,
        margin_sv_per_s=settings.waste_release_margin_sv_per_s,
    )


def _policy(store: Store, site: Site) -> rules.WastePolicy:
    rule = release_rule(store, site)
    return rules.WastePolicy(rule=rule.rule, half_lives=rule.half_lives)


def container_status(store: Store, site: Site, container: WasteContainer) -> ContainerStatus:
    """The container with its release date under the site's rule (None until sealed)."""
    items = tuple(_items(store, container))
    sealed = _seal_of(store, container)
    policy = _policy(store, site)
    release_at, basis, problem = None, policy.rule, None
    if sealed is not None:
        contents = [Activity.of(i.nuclide, i.activity_bq, i.reference_time) for i in items]
        try:
            release_at = rules.release_time(
                policy, contents, sealed_at=sealed.sealed_at, mass_kg=container.mass_kg
            )
        except NucmedInputError as error:  # e.g. the clearance rule and no mass given
            problem = Message.of(error)
    surveys = tuple(
        store.session.scalars(
            select(WasteSurvey)
            .where(WasteSurvey.container_id == container.id)
            .order_by(WasteSurvey.id)
        )
    )
    return ContainerStatus(
        container, items, sealed.sealed_at if sealed else None, release_at, basis, surveys, problem
    )


def containers(store: Store, site: Site) -> list[ContainerStatus]:
    """Every container of the site, newest first."""
    rows = store.session.scalars(
        select(WasteContainer)
        .where(WasteContainer.site_id == site.id)
        .order_by(WasteContainer.id.desc())
    )
    return [container_status(store, site, row) for row in rows]


@dataclass(frozen=True, slots=True)
class SurveyInput:
    """A release survey: the dose rates (Sv/s) at the container and of the background."""

    measured_at: datetime
    dose_rate_sv_per_s: float
    background_sv_per_s: float
    late_entry_reason: str | None = None
    """Why the survey is entered more than the site's late-entry limit after it was made."""


def survey(
    store: Store, actor: User, site: Site, container: WasteContainer, given: SurveyInput
) -> WasteSurvey:
    """Record the release survey; if the container may be released and the survey passes,
    it is disposed of (audited). Refused before the release date."""
    status = container_status(store, site, container)
    if status.disposed:
        raise refusal(N_("container {label} was disposed of already"), label=container.label)
    late = check_event_time(store, site, given.measured_at, given.late_entry_reason)
    if status.release_at is None:
        raise refusal(
            N_("seal container {label} before its release survey"), label=container.label
        )
    if given.measured_at < status.release_at:
        raise refusal(
            N_("container {label} may be released from {at}"),
            label=container.label,
            at=Moment(status.release_at),
        )
    passes = rules.release_check(
        given.dose_rate_sv_per_s,
        given.background_sv_per_s,
        margin_sv_per_s=release_rule(store, site).margin_sv_per_s,
    )
    row = WasteSurvey(
        container_id=container.id,
        measured_at=given.measured_at,
        dose_rate_sv_per_s=given.dose_rate_sv_per_s,
        background_sv_per_s=given.background_sv_per_s,
        passes=passes,
        disposed=passes,
        surveyed_by_id=actor.id,
    )
    store.session.add(row)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "waste.dispose" if passes else "waste.survey_failed",
            "waste_container",
            container.id,
            site_id=site.id,
            details={"passes": passes},
        ),
    )
    record_late_entry(store, actor, late, "waste_container", container.id)
    return row
