"""Patient release and the written instructions: may the patient go home, and for how many
days to keep away from partners, children and pregnant women.

The decision is :func:`nucmed.dosimetry.release_decision.decide_release` (NUREG-1556 Vol. 9
Appendix U) under the site's own dose-rate rule (``release_dose_rate_1m_sv_per_s`` of the
site's settings, 0 = no national rule set); the days of restriction per group are
:func:`nucmed.dosimetry.restrictions.restriction_days`, counted from the site's date today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from nucmed.dosimetry.release import ReleaseAssessment
from nucmed.dosimetry.release_decision import ReleaseQuery, decide_release
from nucmed.dosimetry.restrictions import restriction_days_of
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.settings import site_settings
from nucmed.services.site_names import SiteName, local_name, stored_names
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import Site
from nucmed.store.therapy import TherapyCourse

__all__ = [
    "Instructions",
    "ReleaseInput",
    "Restriction",
    "assess_release",
    "release_instructions",
]


@dataclass(frozen=True, slots=True)
class ReleaseInput:
    """The patient's nuclide and activity (Bq), and optionally how it leaves the body.

    With ``i131_condition`` (``hyperthyroid`` or ``thyroid_cancer``) an I-131 patient is
    assessed by Eq. U-2 with Appendix U's kinetics for that condition, ``activity_bq`` being
    the activity administered; otherwise by Eq. U-1 with the activity in the patient now (and
    the effective half-life in s, if given).
    """

    nuclide: str
    activity_bq: float
    effective_half_life_s: float | None = None
    i131_condition: str | None = None


@dataclass(frozen=True, slots=True)
class Restriction:
    """A group's days of restriction (0: none) and the site's date they end on."""

    group: str
    days: int
    until: date


@dataclass(frozen=True, slots=True)
class Instructions:
    """The release assessment, the days of restriction per group (0: none needed), the site's
    date of the assessment (the days count from it) and the site's name (for the sheet)."""

    assessment: ReleaseAssessment
    site_rule_passes: bool | None
    restriction_days: dict[str, int]
    assessed_on: date
    site_name: str
    site_address: str = ""
    """The site's postal address, for the patient's questions ('' if not set)."""
    site_phone: str = ""
    """The site's telephone ('' if not set)."""
    site_names: tuple[tuple[str, SiteName], ...] = ()
    """The site's name in the readers' languages (``site_name`` for the others)."""

    def site_name_in(self, language: str) -> str:
        """The site's name in ``language`` (the leaflet's), else ``site_name``."""
        return local_name(self.site_name, "", self.site_names, language).name

    @property
    def restrictions(self) -> tuple[Restriction, ...]:
        """Each group's days and the date they end on."""
        return tuple(
            Restriction(group, days, self.assessed_on + timedelta(days=days))
            for group, days in self.restriction_days.items()
        )


def release_instructions(store: Store, site: Site, given: ReleaseInput) -> Instructions:
    """Assess the release of a patient under the site's rule, and the days of restriction."""
    threshold = site_settings(store, site).release_dose_rate_1m_sv_per_s
    rule = threshold if threshold > 0 else None
    query = ReleaseQuery(
        given.nuclide,
        activity_bq=given.activity_bq,
        effective_half_life_s=given.effective_half_life_s,
        i131_condition=given.i131_condition or None,
        max_dose_rate_1m_sv_per_s=rule,
    )
    assessment = decide_release(query)
    today = store.now().astimezone(ZoneInfo(site.time_zone)).date()
    return Instructions(
        assessment,
        None if rule is None else assessment.releasable,
        dict(restriction_days_of(assessment)),
        today,
        site.name,
        site.address or "",
        site.phone or "",
        stored_names(site),
    )


def assess_release(
    database: Database, identity: Identity, course_id: int, given: ReleaseInput
) -> Instructions:
    """May the patient of the course go home, and the days of restriction (a reader of the
    site's therapy courses; nothing is stored).

    Raises
    ------
    NotFoundError
        No such course.
    AccessDeniedError
        The person may not read therapy courses at its site.
    NucmedInputError
        A nuclide, activity, half-life or condition the assessment cannot use.
    """
    with transaction(database, read_only=True) as store:
        site, _ = row_at_site(store, identity, TherapyCourse, course_id, Permission.THERAPY_READ)
        return release_instructions(store, site, given)
