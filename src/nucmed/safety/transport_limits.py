"""Limits of IAEA SSR-6 (2018) a package of radioactive material is checked against at receipt.

A package travels with a label category (I-WHITE, II-YELLOW, III-YELLOW, or none for an
excepted package), a transport index (TI) and, for some, under exclusive use. At receipt the
surface and 1 m dose rates and a wipe of the outer surface are measured; :func:`check_package`
compares them with the limits the declaration allows and says whether the package must be
quarantined (held, not used, until the radiation safety officer releases it).

Each measured quantity gives at most one finding: the strictest limit it exceeds (a surface of
3 mSv/h on a II-YELLOW package is over the category's 0.5 mSv/h, and that is the finding). The
declared TI is checked against its category and against the limit without exclusive use.

SI inside: dose rates in Sv/s, contamination in Bq/m². The TI is dimensionless: the largest
dose rate at 1 m from the package's surface in mSv/h, times 100 (para. 523).

References
----------
.. [1] IAEA, Regulations for the Safe Transport of Radioactive Material, 2018 Edition,
   Specific Safety Requirements No. SSR-6 (Rev. 1), Vienna 2018: para. 508 (non-fixed
   contamination), para. 516 (excepted packages), para. 523 (transport index), para. 526
   (TI above 10 only under exclusive use), para. 527 and 528 (surface dose rate without and
   under exclusive use), para. 529 and its table of package categories.
.. [2] The same values in the UN Model Regulations, 5.1.5.3.4 (categories) and 4.1.9.1.2
   (non-fixed contamination), and in the Saudi NRRC transport regulation (arts. 105-106),
   read as secondary sources; SSR-6 itself was not re-read (status ``secondary``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from nucmed.data import Status
from nucmed.errors import N_, Word, refusal
from nucmed.physics.nuclides import Nuclide, get_nuclide
from nucmed.units import M_PER_CM, SECONDS_PER_DAY, SECONDS_PER_HOUR, SV_PER_MSV, SV_PER_USV

__all__ = [
    "CATEGORIES",
    "EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S",
    "NON_EXCLUSIVE_SURFACE_MAX_SV_PER_S",
    "NON_EXCLUSIVE_TI_MAX",
    "NON_FIXED_ALPHA_BQ_PER_M2",
    "NON_FIXED_BETA_GAMMA_BQ_PER_M2",
    "STATUS",
    "TI_PER_MSV_PER_H",
    "ActionLevels",
    "Category",
    "Declaration",
    "Finding",
    "PackageCheck",
    "Survey",
    "category_limits",
    "check_package",
    "emits_alpha",
    "non_fixed_limit_bq_per_m2",
    "transport_index",
]

Category = Literal["excepted", "I-WHITE", "II-YELLOW", "III-YELLOW"]
"""A package's label category (``excepted``: an excepted package, which has no label)."""

CATEGORIES: tuple[str, ...] = get_args(Category)

STATUS = Status.SECONDARY
"""How the numbers of this module were checked (see the module's references)."""

_SV_PER_S_PER_MSV_PER_H = SV_PER_MSV / SECONDS_PER_HOUR
_SV_PER_S_PER_USV_PER_H = SV_PER_USV / SECONDS_PER_HOUR

TI_PER_MSV_PER_H = 100.0
"""The TI is the largest dose rate at 1 m in mSv/h multiplied by 100 (SSR-6 para. 523(a))."""
_TI_TAKEN_AS_ZERO = 0.05
"""A TI of 0.05 or less may be taken as zero (SSR-6 para. 523(c))."""
NON_EXCLUSIVE_TI_MAX = 10.0
"""The largest TI of a package not under exclusive use (SSR-6 para. 526)."""
NON_EXCLUSIVE_SURFACE_MAX_SV_PER_S = 2.0 * _SV_PER_S_PER_MSV_PER_H
"""2 mSv/h: the largest surface dose rate of a package not under exclusive use (para. 527)."""
EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S = 10.0 * _SV_PER_S_PER_MSV_PER_H
"""10 mSv/h: the largest surface dose rate of a package under exclusive use (para. 528)."""
NON_FIXED_BETA_GAMMA_BQ_PER_M2 = 4.0 / M_PER_CM**2
"""4 Bq/cm²: non-fixed contamination of beta and gamma emitters and low-toxicity alpha
emitters on the external surfaces of a package (SSR-6 para. 508)."""
NON_FIXED_ALPHA_BQ_PER_M2 = 0.4 / M_PER_CM**2
"""0.4 Bq/cm²: non-fixed contamination of all other alpha emitters (SSR-6 para. 508)."""
_LOW_TOXICITY_HALF_LIFE_S = 10 * SECONDS_PER_DAY
"""Alpha emitters with a half-life below 10 days are low-toxicity (SSR-6 para. 226(d))."""
_LOW_TOXICITY_NAMED = frozenset({"U-235", "U-238", "Th-232"})
"""Low-toxicity alpha emitters by name (SSR-6 para. 226; natural and depleted uranium and
natural thorium are not single nuclides; Th-228 and Th-230 only in ores, so not named)."""

_PARA_CATEGORY = N_("SSR-6 (2018) para. 529")
_PARA_EXCEPTED = N_("SSR-6 (2018) para. 516")
_PARA_TI = N_("SSR-6 (2018) para. 523")
_PARA_TI_MAX = N_("SSR-6 (2018) para. 526")
_PARA_SURFACE = N_("SSR-6 (2018) para. 527")
_PARA_EXCLUSIVE = N_("SSR-6 (2018) para. 528")
_PARA_WIPE = N_("SSR-6 (2018) para. 508")
_SITE = N_("site setting")


@dataclass(frozen=True, slots=True)
class _CategoryLimits:
    ti_max: float
    surface_max_sv_per_s: float
    source: str


_CATEGORY_LIMITS: dict[str, _CategoryLimits] = {
    N_("excepted"): _CategoryLimits(0.0, 5.0 * _SV_PER_S_PER_USV_PER_H, _PARA_EXCEPTED),
    N_("I-WHITE"): _CategoryLimits(0.0, 0.005 * _SV_PER_S_PER_MSV_PER_H, _PARA_CATEGORY),
    N_("II-YELLOW"): _CategoryLimits(1.0, 0.5 * _SV_PER_S_PER_MSV_PER_H, _PARA_CATEGORY),
    N_("III-YELLOW"): _CategoryLimits(10.0, 2.0 * _SV_PER_S_PER_MSV_PER_H, _PARA_CATEGORY),
}
"""Per category, the largest TI and surface dose rate (Sv/s) it allows without exclusive use:
I-WHITE TI 0 and 5 µSv/h, II-YELLOW TI 1 and 0.5 mSv/h, III-YELLOW TI 10 and 2 mSv/h
(para. 529); an excepted package 5 µSv/h at its surface and no TI (para. 516). Under
exclusive use, III-YELLOW admits a TI above 10 and up to 10 mSv/h (para. 528, 529)."""


def category_limits(category: str, exclusive_use: bool) -> tuple[float, float, str]:
    """The largest TI and surface dose rate (Sv/s) a category allows, and where it is written.

    Parameters
    ----------
    category
        One of :data:`CATEGORIES`.
    exclusive_use
        Whether the package travelled under exclusive use.

    Returns
    -------
    tuple
        The largest TI (``math.inf``: no limit), the largest surface dose rate in Sv/s, and
        the paragraph of SSR-6 (2018).

    Raises
    ------
    NucmedInputError
        An unknown category.

    Examples
    --------
    >>> ti, surface, source = category_limits("II-YELLOW", False)
    >>> ti, round(surface * 3600 * 1e3, 6), source
    (1.0, 0.5, 'SSR-6 (2018) para. 529')
    >>> category_limits("III-YELLOW", True)[0]
    inf
    """
    if category not in _CATEGORY_LIMITS:
        raise refusal(N_("the label category must be one of {allowed}"), allowed=_allowed())
    limits = _CATEGORY_LIMITS[category]
    if category == "III-YELLOW" and exclusive_use:
        return math.inf, EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S, _PARA_EXCLUSIVE
    return limits.ti_max, limits.surface_max_sv_per_s, limits.source


def _allowed() -> str:
    return ", ".join(CATEGORIES)


def transport_index(one_metre_dose_rate_sv_per_s: float) -> float:
    """The TI of a package from its largest dose rate at 1 m (SSR-6 para. 523).

    The dose rate in mSv/h times 100, rounded up to the first decimal place; 0.05 or less is
    taken as 0 (para. 523(c)).

    Examples
    --------
    >>> transport_index(1.5e-6 / 3600)  # 1.5 µSv/h = 0.0015 mSv/h: TI 0.15, rounded up to 0.2
    0.2
    >>> transport_index(0.4e-6 / 3600)  # 0.4 µSv/h: TI 0.04, taken as 0
    0.0
    """
    raw = one_metre_dose_rate_sv_per_s / _SV_PER_S_PER_MSV_PER_H * TI_PER_MSV_PER_H
    if raw <= _TI_TAKEN_AS_ZERO:
        return 0.0
    return math.ceil(round(raw * 10, 9)) / 10


def _emits_alpha(nuclide: Nuclide) -> bool:
    return any("α" in branch.mode for branch in nuclide.progeny)


def emits_alpha(nuclide: str) -> bool:
    """Whether the nuclide itself decays by alpha emission (any branch, ICRP-107).

    Examples
    --------
    >>> emits_alpha("Ra-223"), emits_alpha("Tc-99m")
    (True, False)
    """
    return _emits_alpha(get_nuclide(nuclide))


def _chain(name: str) -> Iterable[Nuclide]:
    """The nuclide and every radioactive descendant of it (each once)."""
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = get_nuclide(waiting.pop())
        if current.name in seen or current.is_stable:
            continue
        seen.add(current.name)
        yield current
        waiting.extend(b.nuclide for b in current.progeny if b.nuclide != "SF")


def non_fixed_limit_bq_per_m2(nuclide: str) -> float:
    """The non-fixed contamination limit on a package's external surface (SSR-6 para. 508).

    0.4 Bq/cm² when the nuclide or a descendant is an alpha emitter that is not low-toxicity
    (half-life of 10 days or more, not a named low-toxicity nuclide; para. 226), else 4 Bq/cm².

    Returns
    -------
    float
        The limit in Bq/m².

    Examples
    --------
    >>> non_fixed_limit_bq_per_m2("I-131") * 1e-4, non_fixed_limit_bq_per_m2("Ra-223") * 1e-4
    (4.0, 0.4)
    """
    if get_nuclide(nuclide).name in _LOW_TOXICITY_NAMED:
        return NON_FIXED_BETA_GAMMA_BQ_PER_M2
    for member in _chain(nuclide):
        low_toxicity = member.half_life_s < _LOW_TOXICITY_HALF_LIFE_S
        if _emits_alpha(member) and not low_toxicity:
            return NON_FIXED_ALPHA_BQ_PER_M2
    return NON_FIXED_BETA_GAMMA_BQ_PER_M2


@dataclass(frozen=True, slots=True)
class Declaration:
    """What the package's labels and transport document declare: the category, the TI and
    whether it travelled under exclusive use."""

    category: str
    transport_index: float
    exclusive_use: bool = False


@dataclass(frozen=True, slots=True)
class Survey:
    """What was measured at receipt: the largest dose rates at the surface and at 1 m (Sv/s)
    and the non-fixed contamination of the outer surface from a wipe (Bq/m²)."""

    surface_dose_rate_sv_per_s: float
    one_metre_dose_rate_sv_per_s: float
    wipe_bq_per_m2: float


@dataclass(frozen=True, slots=True)
class ActionLevels:
    """A site's own action levels (SI); each applies only where it is below SSR-6's limit."""

    surface_dose_rate_sv_per_s: float
    one_metre_dose_rate_sv_per_s: float
    wipe_bq_per_m2: float


_SURFACE_CHECK = N_("surface dose rate")
_ONE_METRE_CHECK = N_("dose rate at 1 m")
_TI_CHECK = N_("transport index")
_WIPE_CHECK = N_("wipe test")


@dataclass(frozen=True, slots=True)
class Finding:
    """A limit exceeded: what (``check``: surface dose rate, dose rate at 1 m, transport index
    or wipe test, words to translate), the measured or declared ``value`` and the ``limit``
    in the SI ``unit`` (Sv/s, Bq/m², or 1 for a TI), which ``rule`` sets the limit (a word to
    translate) and where it is written (``source``)."""

    check: str
    value: float
    limit: float
    unit: str
    rule: str
    source: str


@dataclass(frozen=True, slots=True)
class PackageCheck:
    """The findings of a receipt survey and whether the package must be quarantined (any
    finding quarantines it)."""

    findings: tuple[Finding, ...]

    @property
    def quarantine(self) -> bool:
        """True when any limit is exceeded."""
        return bool(self.findings)


_Limit = tuple[float, str, str]
"""A limit in SI, the rule that sets it, where it is written."""


def _strictest(value: float, limits: Iterable[_Limit]) -> _Limit | None:
    """The lowest limit ``value`` exceeds (None: within all)."""
    exceeded = [limit for limit in limits if value > limit[0] * (1 + 1e-9)]
    return min(exceeded, key=lambda limit: limit[0]) if exceeded else None


def _finding(check: str, value: float, unit: str, limits: Iterable[_Limit]) -> list[Finding]:
    hit = _strictest(value, limits)
    return [] if hit is None else [Finding(check, value, hit[0], unit, hit[1], hit[2])]


def _check_declaration(declared: Declaration) -> None:
    if declared.category not in CATEGORIES:
        raise refusal(N_("the label category must be one of {allowed}"), allowed=_allowed())
    ti = declared.transport_index
    if not math.isfinite(ti) or ti < 0:
        raise refusal(N_("the transport index must be 0 or more; got {value}"), value=ti)


def _check_survey(survey: Survey) -> None:
    for value in (
        survey.surface_dose_rate_sv_per_s,
        survey.one_metre_dose_rate_sv_per_s,
        survey.wipe_bq_per_m2,
    ):
        if not math.isfinite(value) or value < 0:
            raise refusal(N_("a survey result must be a finite number of 0 or more"))


def _declared_ti(declared: Declaration) -> list[Finding]:
    ti_max, _, source = category_limits(declared.category, declared.exclusive_use)
    limits: list[_Limit] = [(ti_max, N_("transport index of the category"), source)]
    if not declared.exclusive_use:
        limits.append((NON_EXCLUSIVE_TI_MAX, N_("without exclusive use"), _PARA_TI_MAX))
    return _finding(_TI_CHECK, declared.transport_index, "1", limits)


def _one_metre(declared: Declaration, measured: float, site: float | None) -> list[Finding]:
    """The 1 m dose rate against the declared TI: above TI/100 mSv/h (or above 0.05/100 mSv/h
    when the TI is 0, para. 523(c)) is a discrepancy with the declaration."""
    ti = max(declared.transport_index, _TI_TAKEN_AS_ZERO)
    limits: list[_Limit] = [
        (ti / TI_PER_MSV_PER_H * _SV_PER_S_PER_MSV_PER_H, N_("declared transport index"), _PARA_TI)
    ]
    if declared.category == "excepted":
        limits = []  # an excepted package has no TI; its surface limit is the check
    if site is not None:
        limits.append((site, N_("site action level"), _SITE))
    return _finding(_ONE_METRE_CHECK, measured, "Sv/s", limits)


def _surface(declared: Declaration, measured: float, site: float | None) -> list[Finding]:
    _, category_max, source = category_limits(declared.category, declared.exclusive_use)
    limits: list[_Limit] = [(category_max, Word(declared.category), source)]
    if declared.exclusive_use:
        limits.append(
            (EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S, N_("under exclusive use"), _PARA_EXCLUSIVE)
        )
    else:
        limits.append(
            (NON_EXCLUSIVE_SURFACE_MAX_SV_PER_S, N_("without exclusive use"), _PARA_SURFACE)
        )
    if site is not None:
        limits.append((site, N_("site action level"), _SITE))
    return _finding(_SURFACE_CHECK, measured, "Sv/s", limits)


def check_package(
    nuclide: str, declared: Declaration, survey: Survey, site: ActionLevels | None = None
) -> PackageCheck:
    """Check a received package against SSR-6 (2018) and the site's lower action levels.

    Parameters
    ----------
    nuclide
        The package's nuclide (for the contamination limit, para. 508).
    declared
        The category, TI and exclusive use on the labels and transport document.
    survey
        The dose rates (Sv/s) and wipe result (Bq/m²) measured at receipt.
    site
        The site's action levels, each used where it is lower than SSR-6's (None: none).

    Returns
    -------
    PackageCheck
        One finding per quantity over its strictest limit (surface, 1 m, declared TI, wipe);
        any finding quarantines the package.

    Raises
    ------
    NucmedInputError
        An unknown category or nuclide, a negative or infinite TI or survey result.

    Examples
    --------
    >>> usv_h = 1e-6 / 3600
    >>> quiet = Survey(3 * usv_h, 0.3 * usv_h, 0.0)
    >>> check_package("Tc-99m", Declaration("I-WHITE", 0.0), quiet).quarantine
    False
    >>> loud = Survey(2500 * usv_h, 150 * usv_h, 10e4)
    >>> [f.check for f in check_package("I-131", Declaration("II-YELLOW", 0.5), loud).findings]
    ['surface dose rate', 'dose rate at 1 m', 'wipe test']
    """
    _check_declaration(declared)
    _check_survey(survey)
    wipe_limits: list[_Limit] = [
        (non_fixed_limit_bq_per_m2(nuclide), N_("non-fixed contamination"), _PARA_WIPE)
    ]
    if site is not None:
        wipe_limits.append((site.wipe_bq_per_m2, N_("site action level"), _SITE))
    surface_level = None if site is None else site.surface_dose_rate_sv_per_s
    one_metre_level = None if site is None else site.one_metre_dose_rate_sv_per_s
    findings = [
        *_surface(declared, survey.surface_dose_rate_sv_per_s, surface_level),
        *_one_metre(declared, survey.one_metre_dose_rate_sv_per_s, one_metre_level),
        *_declared_ti(declared),
        *_finding(_WIPE_CHECK, survey.wipe_bq_per_m2, "Bq/m2", wipe_limits),
    ]
    return PackageCheck(tuple(findings))
