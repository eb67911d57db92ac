"""Tc-99m cold kits: the catalogue of labelling limits and the checks made at labelling.

A preparation must not exceed the kit's maximum Tc-99m activity or volume; the eluate must not
be older than the kit allows, and for some kits the generator must have been eluted within a
set time before (that limits the Tc-99 carrier, which competes with Tc-99m for the stannous
reductant and the ligand [1]_). The preparation expires a set time after labelling, and its
radiochemical purity (RCP) must reach the kit's limit before it is dispensed.

The limits are data: ``nucmed/data/tc99m_kits.csv`` gives, per kit, the product the numbers
come from and a citation and status for every number. A limit that could not be read in a
source is left out; :func:`unchecked_limits` names it and the checks here skip it, so the
preparer must check it on the label. SI inside: Bq, m³, s, fractions.

References
----------
.. [1] P.W. Moore, "Technetium-99 levels in pertechnetate solutions from (n,γ) and (n,f)
   molybdenum-99 generators", AAEC/E565, Lucas Heights (1983).
.. [2] United States Pharmacopeia, monographs "Technetium Tc 99m ... Injection", test
   "Radiochemical purity": the impurities found by each chromatographic system are summed and
   subtracted from 100 %.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from nucmed.checks import aware, fraction, non_negative
from nucmed.data import Status, read_rows
from nucmed.errors import N_, Message, NucmedInputError, Word, refusal
from nucmed.units import BQ_PER_MBQ, FRACTION_PER_PERCENT, M3_PER_ML, SECONDS_PER_HOUR

__all__ = [
    "Kit",
    "KitInputError",
    "LimitSource",
    "MissingLimitError",
    "UnknownKitError",
    "Violation",
    "all_kits",
    "check_labelling",
    "get_kit",
    "preparation_expiry",
    "rcp_from_impurities",
    "rcp_passes",
    "unchecked_limits",
]

_FILE = "tc99m_kits.csv"
# CSV column -> (Kit attribute, SI value of one unit of the column)
_LIMITS: dict[str, tuple[str, float]] = {
    "max_activity_mbq": ("max_activity_bq", BQ_PER_MBQ),
    "max_volume_ml": ("max_volume_m3", M3_PER_ML),
    "max_eluate_age_h": ("max_eluate_age_s", SECONDS_PER_HOUR),
    "max_generator_ingrowth_h": ("max_generator_ingrowth_s", SECONDS_PER_HOUR),
    "shelf_life_h": ("shelf_life_s", SECONDS_PER_HOUR),
    "rcp_min_percent": ("rcp_min_fraction", FRACTION_PER_PERCENT),
}
# A kit limit is used only if read in the label or monograph, or at least in a secondary source.
_STATUSES = frozenset({Status.CONFIRMED, Status.SECONDARY})
# Sums of fractions are compared with this slack, far below any measurement resolution.
_EPS = 1e-12
# Relative slack on maxima: a value given in other units (5 mL = 5e-6 m³) may differ from the
# converted limit in the last bit; 1e-9 is far below any measurement resolution.
_REL = 1e-9


class KitInputError(NucmedInputError):
    """A kit quantity outside its allowed range (negative volume, naive time, ...)."""


class UnknownKitError(KitInputError):
    """A kit code or name that is not in the catalogue; the message lists near matches."""


class MissingLimitError(KitInputError):
    """The catalogue holds no sourced value for the limit asked for; check the label."""


@dataclass(frozen=True, slots=True)
class LimitSource:
    """Where one catalogue number comes from.

    Parameters
    ----------
    limit
        The :class:`Kit` attribute it sets, e.g. ``"shelf_life_s"``.
    citation
        Publication, label or monograph, with section.
    status
        ``confirmed`` (read in the label or monograph, or a faithful copy) or ``secondary``
        (read only in a secondary source).
    """

    limit: str
    citation: str
    status: Status


@dataclass(frozen=True, slots=True)
class Kit:
    """A Tc-99m cold kit and its labelling limits, SI units, ``None`` where not set.

    Parameters
    ----------
    code, name, product
        Short code (``"mdp"``), common name, and the labelled product the numbers come from.
    brand
        The product's trade name (``"Cardiolite"``), shown untranslated beside the name.
    max_activity_bq, max_volume_m3
        Largest Tc-99m activity (Bq) and volume (m³) that may be put in the vial.
    max_eluate_age_s
        Largest time from elution to labelling, s.
    max_generator_ingrowth_s
        Largest time between the previous elution of the generator and the elution used, s.
    shelf_life_s
        Time from labelling to expiry, s.
    rcp_min_fraction
        Lowest acceptable radiochemical purity, a fraction.
    rcp_method
        Short description of the RCP method.
    sources
        One :class:`LimitSource` per limit that is set.
    note, aliases
        What is not checked and why; other names the kit is known by.
    """

    code: str
    name: str
    product: str
    brand: str
    max_activity_bq: float | None
    max_volume_m3: float | None
    max_eluate_age_s: float | None
    max_generator_ingrowth_s: float | None
    shelf_life_s: float | None
    rcp_min_fraction: float | None
    rcp_method: str
    sources: tuple[LimitSource, ...]
    note: str = ""
    aliases: tuple[str, ...] = ()

    def source_of(self, limit: str) -> LimitSource | None:
        """Return the source of the limit named by its attribute, or ``None`` if unset."""
        return next((s for s in self.sources if s.limit == limit), None)


@dataclass(frozen=True, slots=True)
class Violation:
    """A labelling limit that a preparation breaks.

    Parameters
    ----------
    code
        Machine-readable kind: ``activity_over_max``, ``volume_over_max``,
        ``eluate_too_old``, ``generator_ingrowth_too_long`` or ``generator_ingrowth_unknown``.
    message
        One sentence with the numbers and their units (a :class:`~nucmed.errors.Message`,
        which keeps its translatable parts).
    source
        Citation of the limit (with its status).
    """

    code: str
    message: str
    source: str


# --------------------------------------------------------------------------- catalogue
def _entries(field: str, separator: str, assign: str) -> dict[str, str]:
    pairs = (item.split(assign, 1) for item in field.split(separator) if item.strip())
    return {key.strip(): value.strip() for key, value in pairs}


def _limit(
    row: dict[str, str], column: str, cited: dict[str, str]
) -> tuple[float | None, LimitSource | None]:
    attribute, unit = _LIMITS[column]
    text, status = row[column].strip(), row[_status_column(column)].strip()
    if not text:
        if column in cited or status:
            raise RuntimeError(f"{_FILE}: {row['code']} cites {column} but gives no value")
        return None, None
    if column not in cited or status not in _STATUSES:
        raise RuntimeError(f"{_FILE}: {row['code']} {column} lacks a source or a valid status")
    return float(text) * unit, LimitSource(attribute, cited[column], Status(status))


def _status_column(column: str) -> str:
    """``shelf_life_h`` -> ``shelf_life_status``: the column of a limit's status."""
    return f"{column.rsplit('_', 1)[0]}_status"


def _kit_from_row(row: dict[str, str]) -> Kit:
    cited = _entries(row["sources"], " | ", ": ")
    values: dict[str, float | None] = {}
    sources: list[LimitSource] = []
    for column, (attribute, _) in _LIMITS.items():
        value, source = _limit(row, column, cited)
        values[attribute] = value
        sources.extend([source] if source else [])
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return Kit(
        code=row["code"], name=row["name"], product=row["product"], brand=row["brand"], **values,
        rcp_method=row["rcp_method"], sources=tuple(sources), note=row["note"], aliases=aliases,
    )  # fmt: skip


@cache
def _catalogue() -> tuple[Kit, ...]:
    return tuple(_kit_from_row(row) for row in read_rows(_FILE))


def _key(text: str) -> str:
    """Lower case, without the Tc-99m prefix in any spelling, words joined by single spaces."""
    text = text.casefold()
    text = re.sub(
        r"\(?\b(?:99m\s*-?\s*tc|tc\s*-?\s*99m|technetium(?:\s*-?\s*99m)?)\b\)?", " ", text
    )
    return " ".join(re.findall(r"[a-z0-9]+", text))


@cache
def _index() -> dict[str, Kit]:
    index: dict[str, Kit] = {}
    for kit in _catalogue():
        for spelling in (kit.code, kit.name, *kit.aliases):
            index.setdefault(_key(spelling), kit)
    return index


def all_kits() -> tuple[Kit, ...]:
    """Return every kit of the catalogue, in catalogue order.

    Returns
    -------
    tuple of Kit
        The kits (read from ``tc99m_kits.csv`` on first use, then cached).

    Examples
    --------
    >>> [kit.code for kit in all_kits()][:3]
    ['mdp', 'hdp', 'maa']
    """
    return _catalogue()


def get_kit(code_or_name: str) -> Kit:
    """Return the kit of that code or name (case-insensitive; ``Tc-99m`` prefix optional).

    Parameters
    ----------
    code_or_name
        A code (``"mdp"``), a name or alias (``"Tc-99m MDP"``, ``"medronate"``, ``"Myoview"``).

    Returns
    -------
    Kit
        The kit.

    Raises
    ------
    UnknownKitError
        If no kit has that code, name or alias; the message lists near matches.

    Examples
    --------
    >>> get_kit("Tc-99m MDP").code, get_kit("tetrofosmin").product.split(",")[0]
    ('mdp', 'Myoview 230 micrograms')
    """
    index = _index()
    key = _key(str(code_or_name))
    if key in index:
        return index[key]
    near = difflib.get_close_matches(key, index.keys(), n=5, cutoff=0.6)
    codes = sorted({index[k].code for k in near})
    known = ", ".join(kit.code for kit in _catalogue())
    values = {"name": repr(code_or_name), "known": known}
    template = N_("no Tc-99m kit is called {name} (known: {known})")
    if codes:
        template = N_("no Tc-99m kit is called {name}; did you mean {near}? (known: {known})")
        values["near"] = ", ".join(codes)
    raise UnknownKitError(parts=((template, values),))


def unchecked_limits(kit: Kit) -> list[str]:
    """Return the limits that the catalogue does not set for a kit, so are not checked.

    Parameters
    ----------
    kit
        The kit.

    Returns
    -------
    list of str
        :class:`Kit` attribute names, in catalogue column order.

    Examples
    --------
    >>> unchecked_limits(get_kit("dmsa"))
    ['max_eluate_age_s', 'max_generator_ingrowth_s', 'rcp_min_fraction']
    """
    return [attribute for attribute, _ in _LIMITS.values() if getattr(kit, attribute) is None]


# --------------------------------------------------------------------------- checks
def _message(template: str, **values: object) -> Message:
    """A sentence in English that keeps its translatable parts (``template`` marked N_)."""
    return Message.of(refusal(template, **values))


def _cite(kit: Kit, limit: str) -> str:
    source = kit.source_of(limit)
    return f"{source.citation} [{source.status}]" if source else ""


def _over(
    kit: Kit, limit: str, value: float, what: tuple[str, str, float, str]
) -> Violation | None:
    code, label, per_unit, unit = what
    maximum = getattr(kit, limit)
    if maximum is None or value <= maximum * (1.0 + _REL):
        return None
    message = _message(
        N_("{what} {value} {unit} is over the maximum of {maximum} {unit} for {product}"),
        what=Word(label),
        value=f"{value / per_unit:.6g}",
        unit=Word(unit),
        maximum=f"{maximum / per_unit:.6g}",
        product=kit.product,
    )
    return Violation(code, message, _cite(kit, limit))


def _ingrowth(kit: Kit, ingrowth_s: float | None) -> Violation | None:
    limit = kit.max_generator_ingrowth_s
    if limit is None:
        return None
    hours = limit / SECONDS_PER_HOUR
    if ingrowth_s is None:
        message = _message(
            N_(
                "the time since the generator's previous elution is not given; {product} "
                "needs an eluate from a generator eluted within {hours} h before"
            ),
            product=kit.product,
            hours=f"{hours:.6g}",
        )
        return Violation(
            "generator_ingrowth_unknown", message, _cite(kit, "max_generator_ingrowth_s")
        )
    what = (
        "generator_ingrowth_too_long",
        N_("time since the previous elution"),
        SECONDS_PER_HOUR,
        N_("h"),
    )
    return _over(kit, "max_generator_ingrowth_s", ingrowth_s, what)


def check_labelling(
    kit: Kit,
    *,
    activity_bq: float,
    volume_m3: float,
    eluate_age_s: float,
    generator_ingrowth_s: float | None = None,
) -> list[Violation]:
    """Check a planned preparation against the kit's labelling limits.

    A value equal to its limit is allowed (to a relative 1e-9, for unit-conversion rounding).
    Limits the catalogue does not set are not checked (see :func:`unchecked_limits`). When
    the kit limits the generator ingrowth time and ``generator_ingrowth_s`` is not given, that
    is reported as ``generator_ingrowth_unknown``.

    Parameters
    ----------
    kit
        The kit.
    activity_bq
        Tc-99m activity put in the vial, Bq.
    volume_m3
        Total volume in the vial (eluate and diluent), m³.
    eluate_age_s
        Time from the elution to the labelling, s.
    generator_ingrowth_s
        Time from the generator's previous elution to the elution used, s; ``None`` if unknown.

    Returns
    -------
    list of Violation
        Empty when every checked limit is met.

    Raises
    ------
    KitInputError
        If a quantity is negative or not finite.

    Examples
    --------
    >>> [v.code for v in check_labelling(get_kit("dmsa"), activity_bq=9e9, volume_m3=5e-6,
    ...                                  eluate_age_s=3600.0)]
    ['activity_over_max']
    """
    activity = non_negative(N_("activity"), activity_bq, "Bq", error=KitInputError)
    volume = non_negative(N_("volume"), volume_m3, "m³", error=KitInputError)
    age = non_negative(N_("eluate age"), eluate_age_s, "s", error=KitInputError)
    ingrowth = (
        None
        if generator_ingrowth_s is None
        else non_negative(
            N_("generator ingrowth time"), generator_ingrowth_s, "s", error=KitInputError
        )
    )
    found = (
        _over(
            kit,
            "max_activity_bq",
            activity,
            ("activity_over_max", N_("activity"), BQ_PER_MBQ, N_("MBq")),
        ),
        _over(
            kit, "max_volume_m3", volume, ("volume_over_max", N_("volume"), M3_PER_ML, N_("mL"))
        ),
        _over(
            kit,
            "max_eluate_age_s",
            age,
            ("eluate_too_old", N_("eluate age"), SECONDS_PER_HOUR, N_("h")),
        ),
        _ingrowth(kit, ingrowth),
    )
    return [violation for violation in found if violation is not None]


def _required(kit: Kit, limit: str, what: str) -> float:
    value: float | None = getattr(kit, limit)
    if value is None:
        template = N_(
            "the catalogue has no sourced {what} for {product}; read it on the label "
            "(not checked by nucmed: {unchecked})"
        )
        values = {
            "what": Word(what),
            "product": kit.product,
            "unchecked": ", ".join(unchecked_limits(kit)),
        }
        raise MissingLimitError(parts=((template, values),))
    return value


def preparation_expiry(kit: Kit, labelled_at: datetime) -> datetime:
    """Return when a labelled preparation expires: labelling time + the kit's shelf life.

    Parameters
    ----------
    kit
        The kit.
    labelled_at
        Time of labelling; timezone-aware.

    Returns
    -------
    datetime
        Expiry time, in UTC.

    Raises
    ------
    KitInputError
        If ``labelled_at`` has no time zone.
    MissingLimitError
        If the catalogue sets no shelf life for the kit.

    Examples
    --------
    >>> preparation_expiry(get_kit("mag3"), datetime(2026, 11, 23, 8, tzinfo=UTC)).isoformat()
    '2026-11-23T14:00:00+00:00'
    """
    start = aware(N_("labelling time"), labelled_at, error=KitInputError)
    shelf_life_s = _required(kit, "shelf_life_s", N_("shelf life"))
    return (start + timedelta(seconds=shelf_life_s)).astimezone(UTC)


def rcp_from_impurities(impurity_fractions: Iterable[float]) -> float:
    """Return the radiochemical purity from the impurity fraction found by each strip system.

    ``RCP = 1 − Σ impurities``, one impurity per chromatographic system (e.g. free
    pertechnetate at the solvent front in acetone, hydrolysed-reduced Tc at the origin in
    saline) [2]_.

    Parameters
    ----------
    impurity_fractions
        Fraction of the activity in each impurity, each from 0 to 1; at least one.

    Returns
    -------
    float
        Radiochemical purity, a fraction.

    Raises
    ------
    KitInputError
        If there is no impurity, one is outside [0, 1], or they add up to more than 1.

    Examples
    --------
    >>> round(rcp_from_impurities([0.03, 0.02]), 6)
    0.95
    """
    fractions = [
        fraction(Word(N_("impurity fraction")), f, error=KitInputError) for f in impurity_fractions
    ]
    if not fractions:
        template = N_("give the impurity fraction found by each strip system (at least one)")
        raise KitInputError(parts=((template, {}),))
    total = math.fsum(fractions)
    if total > 1.0 + _EPS:
        template = N_("impurity fractions add up to {total}; they cannot exceed 1")
        raise KitInputError(parts=((template, {"total": f"{total:.6g}"}),))
    return max(0.0, 1.0 - total)


def rcp_passes(kit: Kit, rcp_fraction: float) -> bool:
    """Return whether a radiochemical purity reaches the kit's limit (equal passes).

    Parameters
    ----------
    kit
        The kit.
    rcp_fraction
        Measured radiochemical purity, a fraction from 0 to 1.

    Returns
    -------
    bool
        True when ``rcp_fraction`` ≥ the kit's ``rcp_min_fraction`` (to within 1e-12).

    Raises
    ------
    KitInputError
        If the fraction is outside [0, 1].
    MissingLimitError
        If the catalogue sets no RCP limit for the kit.

    Examples
    --------
    >>> rcp_passes(get_kit("maa"), 0.93), rcp_passes(get_kit("maa"), 0.89)
    (True, False)
    """
    rcp = fraction(N_("radiochemical purity"), rcp_fraction, error=KitInputError)
    limit = _required(kit, "rcp_min_fraction", N_("radiochemical purity limit"))
    return rcp >= limit - _EPS
