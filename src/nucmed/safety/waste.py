"""Radioactive waste held for decay: when a sealed container may be released.

Two rules, chosen per site (:data:`WasteRule`):

- ``"half_lives"``: hold for a number of half-lives (10 by default) of the longest-lived nuclide
  in the container. This is practice and some national or licence rules (North Carolina
  10A NCAC 15 .0362(a)(1): "a minimum of 10 half-lives"; University of Iowa and GVSU radiation
  safety manuals), not today's US federal rule: since the 2002 revision, 10 CFR 35.92 allows
  decay-in-storage for half-lives of at most 120 days and requires only that a survey at the
  container surface (most sensitive scale, no shielding) cannot distinguish it from background.
- ``"clearance"``: hold until the sum rule Σᵢ Cᵢ(t) / CLᵢ ≤ 1 holds, Cᵢ the activity
  concentration of nuclide i (Bq/kg) and CLᵢ its clearance level from IAEA GSR Part 3
  Schedule I Table I.2 (``data/clearance_levels.csv``) or a site value.

Either way the container is released only after a survey (:func:`release_check`). Activities are
:class:`nucmed.physics.decay.Activity`; decay is that module's. SI inside: Bq, kg, s, Sv/s.
Only the listed nuclides are followed: progeny ingrowth is not added (a "+" parent's level in
Table I.2 already covers its short-lived progeny).

References
----------
.. [1] IAEA, Radiation Protection and Safety of Radiation Sources: International Basic Safety
   Standards, General Safety Requirements Part 3 (2014), Schedule I, Table I.2.
.. [2] Council Directive 2013/59/Euratom, Annex VII, Table A Part 1 (same values, kBq/kg).
.. [3] US NRC, 10 CFR 35.92 "Decay-in-storage": T½ ≤ 120 days read in Minnesota Rule
   4731.4429 (same wording) and the GVSU radiation-safety page; the survey wording ("cannot be
   distinguished from the background radiation level", most sensitive scale, no shielding) in
   GVSU and a 1998 RadSafe quotation of 35.92(a)(2); records in 10 CFR 35.2092 (eCFR).
.. [4] North Carolina 10A NCAC 15 .0362 (minimum 10 half-lives; survey meter able to detect
   1 µSv/h); University of Iowa EHS 13.2; GVSU "Decay in storage" (10 half-lives of the
   longest-lived radionuclide "as a general rule").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Literal, get_args

from nucmed.checks import aware, positive
from nucmed.data import Status, read_rows
from nucmed.errors import N_, NucmedInputError
from nucmed.physics.decay import Activity, decay_factor, time_to_activity
from nucmed.physics.nuclides import get_nuclide, normalise_name
from nucmed.units import KG_PER_G, SECONDS_PER_DAY

__all__ = [
    "DEFAULT_HALF_LIVES",
    "NRC_DIS_MAX_HALF_LIFE_S",
    "WASTE_RULES",
    "ClearanceLevel",
    "NoClearanceLevelError",
    "WasteInputError",
    "WastePolicy",
    "WasteRule",
    "clearance_level",
    "clearance_nuclides",
    "release_check",
    "release_time",
    "release_time_by_clearance",
    "release_time_by_half_lives",
    "sum_of_fractions",
]

WasteRule = Literal["half_lives", "clearance"]
"""The release rule a site uses: a number of half-lives, or the clearance sum rule."""

WASTE_RULES: tuple[str, ...] = get_args(WasteRule)

DEFAULT_HALF_LIVES = 10.0
"""Half-lives to hold by default: common practice and NC 10A NCAC 15 .0362, not 10 CFR 35.92."""

NRC_DIS_MAX_HALF_LIFE_S = 120 * SECONDS_PER_DAY
"""Longest half-life allowed for decay-in-storage under 10 CFR 35.92(a): 120 days, in s."""

_DATA_FILE = "clearance_levels.csv"
_BISECTION_STEPS = 200
_HALF_LIVES = N_("number of half-lives")
_MASS = N_("waste mass")
_NO_CONTENTS = N_("the container has no contents; give at least one activity")


class WasteInputError(NucmedInputError):
    """A mass, time, count of half-lives, rule or dose rate that cannot be used."""


class NoClearanceLevelError(WasteInputError):
    """A nuclide with no clearance level in the table and none given by the site."""


def _refused(template: str, **values: object) -> WasteInputError:
    """A waste input error of one template marked with N_ and its values."""
    return WasteInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class ClearanceLevel:
    """A clearance level with its provenance.

    Parameters
    ----------
    nuclide
        Canonical nuclide name.
    bq_per_kg
        Activity concentration below which material may be cleared, in Bq/kg.
    source
        Table, row and the transcriptions read.
    status
        How it was checked: ``secondary`` (read in transcriptions of the primary table).
    note
        What the value covers (e.g. progeny included).

    Examples
    --------
    >>> level = clearance_level("tc99m")
    >>> level.nuclide, level.bq_per_kg, str(level.status)
    ('Tc-99m', 100000.0, 'secondary')
    """

    nuclide: str
    bq_per_kg: float
    source: str
    status: Status
    note: str


@dataclass(frozen=True, slots=True)
class _Row:
    level_bq_per_g: float | None
    source: str
    status: Status
    note: str


@cache
def _table() -> dict[str, _Row]:
    """Read the clearance levels once per process."""
    return {
        row["nuclide"]: _Row(
            float(row["clearance_bq_per_g"]) if row["clearance_bq_per_g"] else None,
            row["source"],
            Status(row["status"]),
            row["note"],
        )
        for row in read_rows(_DATA_FILE)
    }


def clearance_nuclides() -> tuple[str, ...]:
    """Return the nuclides that have a clearance level in the shipped table, in file order.

    Examples
    --------
    >>> "I-131" in clearance_nuclides(), "Ga-68" in clearance_nuclides()
    (True, False)
    """
    return tuple(name for name, row in _table().items() if row.level_bq_per_g is not None)


def clearance_level(nuclide: str) -> ClearanceLevel:
    """Return the clearance level of a nuclide from IAEA GSR Part 3 Table I.2.

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide.

    Returns
    -------
    ClearanceLevel
        The level in Bq/kg, with source and status.

    Raises
    ------
    NoClearanceLevelError
        If the table has no level for it; the message lists the nuclides that have one.

    Examples
    --------
    >>> clearance_level("I-131").bq_per_kg
    10000.0
    """
    name = normalise_name(nuclide)
    row = _table().get(name)
    if row is None or row.level_bq_per_g is None:
        values = {"nuclide": name, "file": _DATA_FILE, "allowed": ", ".join(clearance_nuclides())}
        template = N_(
            "no clearance level for {nuclide} in {file}; give a site value in Bq/kg, "
            "or use one of: {allowed}"
        )
        if row is not None:
            template = N_(
                "no clearance level for {nuclide} in {file} ({note}); give a site value in "
                "Bq/kg, or use one of: {allowed}"
            )
            values["note"] = row.note
        raise NoClearanceLevelError(parts=((template, values),))
    return ClearanceLevel(name, row.level_bq_per_g / KG_PER_G, row.source, row.status, row.note)


def _later(moment: datetime, seconds: float) -> datetime:
    """``moment`` plus ``seconds``, rounded up to the microsecond, within the calendar."""
    try:
        return moment + timedelta(microseconds=math.ceil(seconds * 1e6))
    except OverflowError:
        raise _refused(
            N_(
                "the release time is {days} days away, beyond the calendar (year 9999); this "
                "waste does not decay away in storage"
            ),
            days=f"{seconds / SECONDS_PER_DAY:.3g}",
        ) from None


def release_time_by_half_lives(
    nuclide: str,
    sealed_at: datetime,
    half_lives: float = DEFAULT_HALF_LIVES,
    *,
    max_half_life_s: float | None = None,
) -> datetime:
    """Return when a container has been held for a number of half-lives.

    After n half-lives the activity is 2⁻ⁿ of the activity at sealing (2⁻¹⁰ ≈ 0.1 % for 10).

    Parameters
    ----------
    nuclide
        The longest-lived nuclide in the container (any spelling).
    sealed_at
        Timezone-aware time the container was sealed.
    half_lives
        Number of half-lives to hold (default 10), above 0.
    max_half_life_s
        Longest half-life the site's rule allows for decay-in-storage, in s (e.g.
        :data:`NRC_DIS_MAX_HALF_LIFE_S`); None for no limit.

    Returns
    -------
    datetime
        The earliest release time by this rule (a survey must still show background).

    Raises
    ------
    WasteInputError
        If the time is naive, the count is not above 0, the nuclide is stable, or its
        half-life exceeds ``max_half_life_s``.

    Examples
    --------
    >>> from datetime import UTC
    >>> release_time_by_half_lives("Tc-99m", datetime(2026, 3, 2, 8, tzinfo=UTC)).isoformat()
    '2026-03-04T20:09:00+00:00'
    """
    sealed = aware(N_("sealing time"), sealed_at, error=WasteInputError, keep_zone=True)
    count = positive(_HALF_LIVES, half_lives, "T½", error=WasteInputError)
    data = get_nuclide(nuclide)
    if data.is_stable:
        raise _refused(N_("{nuclide} is stable; it cannot be held for decay"), nuclide=data.name)
    if max_half_life_s is not None and data.half_life_s > max_half_life_s:
        raise _refused(
            N_("{nuclide} (T½ {half_life} d) exceeds the decay-in-storage limit of {limit} d"),
            nuclide=data.name,
            half_life=f"{data.half_life_s / SECONDS_PER_DAY:.4g}",
            limit=f"{max_half_life_s / SECONDS_PER_DAY:.4g}",
        )
    return _later(sealed, count * data.half_life_s)


def _site_level(nuclide: str, value: float) -> float:
    """A site's clearance level (Bq/kg) of ``nuclide``, checked; a refusal names the nuclide."""
    try:
        return positive(N_("clearance level"), value, "Bq/kg", error=WasteInputError)
    except WasteInputError as error:
        named = (N_("nuclide {nuclide}"), {"nuclide": nuclide})
        raise WasteInputError(parts=(named, *error.parts)) from None


def _levels_bq_per_kg(
    contents: Sequence[Activity], overrides: Mapping[str, float] | None
) -> list[float]:
    site = {
        normalise_name(name): _site_level(name, value) for name, value in (overrides or {}).items()
    }
    return [
        site.get(a.nuclide.name) or clearance_level(a.nuclide.name).bq_per_kg for a in contents
    ]


def sum_of_fractions(
    contents: Sequence[Activity],
    mass_kg: float,
    when: datetime,
    clearance_bq_per_kg: Mapping[str, float] | None = None,
) -> float:
    """Return Σᵢ Cᵢ / CLᵢ for the contents of a container at a moment.

    Parameters
    ----------
    contents
        The activities in the container (each with its own reference time).
    mass_kg
        Mass of the waste, in kg.
    when
        Timezone-aware moment of evaluation.
    clearance_bq_per_kg
        Site clearance levels in Bq/kg by nuclide; the table supplies the others.

    Returns
    -------
    float
        The sum of fractions (dimensionless); the material may be cleared when it is ≤ 1.

    Raises
    ------
    WasteInputError
        If the mass is not above 0 or the time is naive.
    NoClearanceLevelError
        If a nuclide has no level in the table and none is given.

    Examples
    --------
    >>> from datetime import UTC
    >>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> bag = [Activity.of("Tc-99m", 1e6, t0), Activity.of("I-131", 1e5, t0)]
    >>> round(sum_of_fractions(bag, 2.0, t0), 6)
    10.0
    """
    mass = positive(_MASS, mass_kg, "kg", error=WasteInputError)
    moment = aware(N_("time"), when, error=WasteInputError)
    levels = _levels_bq_per_kg(contents, clearance_bq_per_kg)
    return sum(a.activity_at(moment) / (mass * cl) for a, cl in zip(contents, levels, strict=True))


def _solve_sum_rule(terms: list[tuple[float, float]]) -> float:
    """Seconds after the reference moment at which Σ fᵢ · 2^(−t/T½ᵢ) = 1, (fᵢ, T½ᵢ) pairs.

    Bracket: no term exceeds 1 after max tᵢ (tᵢ: term i alone equals 1), and every term is at
    most 1/n after the latest time each would take to reach 1/n; the sum decreases strictly.
    """
    n = len(terms)
    low = max(time_to_activity(f, 1.0, half_life) for f, half_life in terms)
    high = max(time_to_activity(f, 1.0 / n, half_life) for f, half_life in terms)
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if sum(f * decay_factor(half_life, middle) for f, half_life in terms) > 1.0:
            low = middle
        else:
            high = middle
    return high


def release_time_by_clearance(
    contents: Sequence[Activity],
    mass_kg: float,
    clearance_bq_per_kg: Mapping[str, float] | None = None,
    *,
    not_before: datetime | None = None,
) -> datetime:
    """Return the earliest time at which the clearance sum rule Σᵢ Cᵢ(t) / CLᵢ ≤ 1 holds.

    Each Cᵢ(t) = Aᵢ(t) / m decays with its own half-life; the sum falls strictly, so the time
    is found by bisection in a bracket from the single-nuclide times (to under 1 µs). For one
    nuclide it is T½ · log₂(A / (m · CL)).

    Parameters
    ----------
    contents
        The activities in the container (each with its own reference time); at least one.
    mass_kg
        Mass of the waste, in kg.
    clearance_bq_per_kg
        Site clearance levels in Bq/kg by nuclide (any spelling); the table supplies the rest.
    not_before
        Timezone-aware earliest answer (e.g. the sealing time); default the latest reference
        time of the contents.

    Returns
    -------
    datetime
        The earliest moment, not before ``not_before``, at which the sum rule holds.

    Raises
    ------
    WasteInputError
        If there are no contents, the mass is not above 0, a time is naive, or stable nuclides
        alone keep the sum above 1.
    NoClearanceLevelError
        If a nuclide has no level in the table and none is given.

    Examples
    --------
    >>> from datetime import UTC
    >>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> when = release_time_by_clearance([Activity.of("I-131", 1.024e7, t0)], 1.0)
    >>> round((when - t0).total_seconds() / (8.0207 * 86400), 6)  # 10 half-lives of I-131
    10.0
    """
    if len(contents) == 0:
        raise _refused(_NO_CONTENTS)
    if not_before is None:
        start = max(a.reference_time for a in contents)
    else:
        start = aware(N_("not-before time"), not_before, error=WasteInputError, keep_zone=True)
    mass = positive(_MASS, mass_kg, "kg", error=WasteInputError)
    levels = _levels_bq_per_kg(contents, clearance_bq_per_kg)
    fractions = [
        (a.activity_at(start) / (mass * level), a.nuclide)
        for a, level in zip(contents, levels, strict=True)
    ]
    stable = sum(f for f, nuclide in fractions if nuclide.is_stable)
    if stable >= 1.0:
        raise _refused(
            N_(
                "stable nuclides alone give a sum of fractions of {total} (≥ 1); this waste "
                "never clears by decay"
            ),
            total=f"{stable:.3g}",
        )
    terms = [
        (f / (1.0 - stable), nuclide.half_life_s)
        for f, nuclide in fractions
        if f > 0 and not nuclide.is_stable
    ]
    if not terms or sum(f for f, _ in terms) <= 1.0:
        return start
    return _later(start, _solve_sum_rule(terms))


def release_check(
    survey_sv_per_s: float, background_sv_per_s: float, *, margin_sv_per_s: float
) -> bool:
    """Return True when a release survey cannot be distinguished from background.

    10 CFR 35.92 asks that the radioactivity at the container surface "cannot be distinguished
    from the background radiation level" (survey meter on its most sensitive scale, no
    shielding). No rule gives a number for "distinguished", so the site sets the margin
    (e.g. from its meter's detection limit; NC 10A NCAC 15 .0362 asks for a meter able to detect
    1 µSv/h): the survey passes when it is at most background + margin.

    Parameters
    ----------
    survey_sv_per_s
        Dose rate at the container surface, in Sv/s.
    background_sv_per_s
        Background dose rate at the same place, in Sv/s.
    margin_sv_per_s
        The site's margin above background, in Sv/s (0 or more).

    Returns
    -------
    bool
        True if survey ≤ background + margin.

    Raises
    ------
    WasteInputError
        If a dose rate or the margin is negative or not finite.

    Examples
    --------
    >>> per_h = 1 / 3600  # µSv/h -> µSv/s
    >>> release_check(0.14e-6 * per_h, 0.12e-6 * per_h, margin_sv_per_s=0.05e-6 * per_h)
    True
    """
    checks = (
        (survey_sv_per_s, N_("the survey dose rate must be 0 or more (Sv/s); got {value}")),
        (
            background_sv_per_s,
            N_("the background dose rate must be 0 or more (Sv/s); got {value}"),
        ),
        (margin_sv_per_s, N_("the margin dose rate must be 0 or more (Sv/s); got {value}")),
    )
    for value, refused in checks:
        if not math.isfinite(value) or value < 0:
            raise _refused(refused, value=f"{value}")
    return survey_sv_per_s <= background_sv_per_s + margin_sv_per_s


@dataclass(frozen=True)
class WastePolicy:
    """A site's decay-in-storage rule.

    Parameters
    ----------
    rule
        ``"half_lives"`` or ``"clearance"``.
    half_lives
        Number of half-lives for the ``"half_lives"`` rule (default 10).
    max_half_life_s
        Longest half-life allowed in decay-in-storage, in s (None: no limit).
    clearance_bq_per_kg
        Site clearance levels in Bq/kg by nuclide, overriding or completing the table.

    Raises
    ------
    WasteInputError
        If the rule is unknown or the number of half-lives is not above 0.

    Examples
    --------
    >>> WastePolicy("clearance", clearance_bq_per_kg={"Ga-68": 1e4}).rule
    'clearance'
    """

    rule: WasteRule = "half_lives"
    half_lives: float = DEFAULT_HALF_LIVES
    max_half_life_s: float | None = None
    clearance_bq_per_kg: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rule not in WASTE_RULES:
            raise _refused(
                N_("unknown rule {rule}; allowed: {allowed}"),
                rule=repr(self.rule),
                allowed=", ".join(WASTE_RULES),
            )
        positive(_HALF_LIVES, self.half_lives, "T½", error=WasteInputError)


def release_time(
    policy: WastePolicy,
    contents: Sequence[Activity],
    *,
    sealed_at: datetime,
    mass_kg: float | None = None,
) -> datetime:
    """Return the earliest release time of a container under a site's rule.

    Parameters
    ----------
    policy
        The site's rule and its settings.
    contents
        The activities in the container; at least one.
    sealed_at
        Timezone-aware time the container was sealed.
    mass_kg
        Mass of the waste, in kg (needed for the clearance rule).

    Returns
    -------
    datetime
        For ``"half_lives"``: sealing time + n half-lives of the longest-lived nuclide; for
        ``"clearance"``: the first moment after sealing at which the sum rule holds.

    Raises
    ------
    WasteInputError
        If there are no contents, or the clearance rule has no mass (and as the rules raise).

    Examples
    --------
    >>> from datetime import UTC
    >>> t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
    >>> bag = [Activity.of("Tc-99m", 1e9, t0), Activity.of("I-131", 1e6, t0)]
    >>> (release_time(WastePolicy(), bag, sealed_at=t0) - t0).days
    80
    """
    if len(contents) == 0:
        raise _refused(_NO_CONTENTS)
    if policy.rule == "half_lives":
        longest = max((a.nuclide for a in contents), key=lambda n: n.half_life_s)
        return release_time_by_half_lives(
            longest.name, sealed_at, policy.half_lives, max_half_life_s=policy.max_half_life_s
        )
    if mass_kg is None:
        raise _refused(N_("the clearance rule needs the mass of the waste (kg)"))
    return release_time_by_clearance(
        contents, mass_kg, policy.clearance_bq_per_kg, not_before=sealed_at
    )
