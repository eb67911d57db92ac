"""Classify a package of radioactive material for transport under IAEA SSR-6 (2018).

For a package's contents (one or more nuclides and their activities, special form or not,
solid, liquid or gas) and its measured dose rates, :func:`classify_package` gives the package
type (excepted, Type A, or Type B(U) above the A1/A2 limit), the mixture's A1 or A2 and the
fraction of it the contents use, the transport index (TI), the label category, whether the
consignment needs exclusive use, and the UN number with its proper shipping name. A package
that may not be transported at all raises :class:`~nucmed.errors.NucmedInputError` saying why.

The limits a received package is checked against (categories, TI, surface dose rates, non-fixed
contamination) live in :mod:`nucmed.safety.transport_limits` and are reused here.

SI inside: activities in Bq, dose rates in Sv/s, concentrations in Bq/kg.

References
----------
.. [1] IAEA, Regulations for the Safe Transport of Radioactive Material, 2018 Edition, SSR-6
   (Rev. 1), Vienna 2018: Table 1 (UN numbers and proper shipping names), Table 2 and 3 (A1, A2
   and exemption values: :mod:`nucmed.safety.transport_values`), para. 405 (mixtures), Table 4
   and para. 422 (excepted packages), para. 429-430 (Type A limits), para. 516 (excepted
   surface dose rate), para. 523 (TI), para. 526-528 (exclusive use), para. 529 and Table 7
   (categories).
.. [2] The same UN numbers and names in the UN Model Regulations, 3.2 Dangerous Goods List, and
   the Table 4 fractions in 49 CFR 173.425 Table 4, read as secondary sources.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from nucmed.data import Status, weakest
from nucmed.errors import N_, refusal
from nucmed.safety.transport_limits import (
    EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S,
    NON_EXCLUSIVE_SURFACE_MAX_SV_PER_S,
    NON_EXCLUSIVE_TI_MAX,
    category_limits,
    transport_index,
)
from nucmed.safety.transport_limits import STATUS as LIMITS_STATUS
from nucmed.safety.transport_values import NuclideValues, nuclide_values
from nucmed.units import SECONDS_PER_HOUR, SV_PER_MSV

__all__ = [
    "FORMS",
    "PACKAGE_TYPES",
    "Classification",
    "Content",
    "Form",
    "NuclideValues",
    "PackageType",
    "Packing",
    "classify_package",
    "excepted_fraction",
    "mixture_value_bq",
    "nuclide_values",
]

PackageType = Literal["Excepted", "Type A", "Type B(U)"]
PACKAGE_TYPES: tuple[str, ...] = get_args(PackageType)
Form = Literal["solid", "liquid", "gas"]
FORMS: tuple[str, ...] = get_args(Form)

_LABELLED = ("I-WHITE", "II-YELLOW", "III-YELLOW")

_EXCEPTED_MATERIAL: dict[tuple[str, bool], float] = {
    ("solid", False): 1e-3,
    ("liquid", False): 1e-4,
    ("gas", False): 1e-3,
}
"""Package limit of an excepted package of materials, as a fraction of A2 (SSR-6 Table 4);
special-form material (any state): 1e-3 of A1."""
_EXCEPTED_INSTRUMENT: dict[tuple[str, bool], float] = {
    ("solid", False): 1.0,
    ("liquid", False): 1e-1,
    ("gas", False): 1e-2,
}
"""Package limit of an excepted package of instruments or articles, as a fraction of A2
(SSR-6 Table 4); special form: 1 A1. The per-item limits of the same table (1e-2, 1e-3, 1e-3
of A2; 1e-2 of A1) are the manufacturer's, not checked here."""
_SPECIAL_FORM_EXCEPTED = {False: 1e-3, True: 1.0}
"""Special form, by instrument (True) or material (False), as a fraction of A1 (Table 4)."""

_UN: dict[tuple[str, bool, bool], tuple[str, str]] = {
    ("Excepted", False, False): (
        "UN 2910",
        "RADIOACTIVE MATERIAL, EXCEPTED PACKAGE - LIMITED QUANTITY OF MATERIAL",
    ),
    ("Excepted", True, False): (
        "UN 2911",
        "RADIOACTIVE MATERIAL, EXCEPTED PACKAGE - INSTRUMENTS or ARTICLES",
    ),
    ("Type A", False, False): (
        "UN 2915",
        "RADIOACTIVE MATERIAL, TYPE A PACKAGE, non-special form, non fissile or fissile-excepted",
    ),
    ("Type A", False, True): (
        "UN 3332",
        "RADIOACTIVE MATERIAL, TYPE A PACKAGE, SPECIAL FORM, non fissile or fissile-excepted",
    ),
    ("Type B(U)", False, False): (
        "UN 2916",
        "RADIOACTIVE MATERIAL, TYPE B(U) PACKAGE, non fissile or fissile-excepted",
    ),
}
"""UN number and proper shipping name by (package type, instrument, special form) (SSR-6
Table 1); an excepted package does not depend on special form, Type B(U) covers both forms."""


@dataclass(frozen=True, slots=True)
class Content:
    """One nuclide of a package's contents and its activity (Bq) at the time of shipment."""

    nuclide: str
    activity_bq: float


def _check_contents(contents: Sequence[Content]) -> None:
    if not contents:
        raise refusal(N_("give at least one nuclide and its activity"))
    for content in contents:
        if not math.isfinite(content.activity_bq) or content.activity_bq <= 0:
            raise refusal(
                N_("the activity of {nuclide} must be more than 0 Bq"), nuclide=content.nuclide
            )


def mixture_value_bq(contents: Sequence[Content], *, special_form: bool) -> float:
    """The A1 (special form) or A2 (other forms) of a mixture (SSR-6 para. 405).

    ``X_m = 1 / sum_i(f(i) / X(i))``, with f(i) the fraction of the activity of nuclide i.

    Examples
    --------
    >>> tbq = 1e12
    >>> mix = [Content("Tc-99m", 1 * tbq), Content("I-131", 1 * tbq)]  # A2 4 and 0.7 TBq
    >>> round(mixture_value_bq(mix, special_form=False) / tbq, 4)  # 1 / (0.5/4 + 0.5/0.7)
    1.1915
    """
    _check_contents(contents)
    total = sum(content.activity_bq for content in contents)
    return 1.0 / sum(
        content.activity_bq / total / _value(content.nuclide, special_form) for content in contents
    )


def _value(nuclide: str, special_form: bool) -> float:
    values = nuclide_values(nuclide)
    return values.a1_bq if special_form else values.a2_bq


def excepted_fraction(form: str, *, special_form: bool, instrument: bool) -> float:
    """The package limit of an excepted package as a fraction of A1 or A2 (SSR-6 Table 4).

    Examples
    --------
    >>> excepted_fraction("liquid", special_form=False, instrument=False)
    0.0001
    >>> excepted_fraction("solid", special_form=False, instrument=False)
    0.001
    """
    if form not in FORMS:
        raise refusal(N_("the physical form must be one of {allowed}"), allowed=", ".join(FORMS))
    if special_form:
        return _SPECIAL_FORM_EXCEPTED[instrument]
    table = _EXCEPTED_INSTRUMENT if instrument else _EXCEPTED_MATERIAL
    return table[(form, False)]


@dataclass(frozen=True, slots=True)
class Classification:
    """A package classified for transport under SSR-6 (2018).

    ``a_mixture_bq`` is the mixture's A1 (special form) or A2 (``limit_basis``);
    ``limit_fraction`` the contents' sum of A(i)/X(i) against it (1 is the Type A limit);
    ``excepted_limit_bq`` the excepted-package limit of Table 4 for this form;
    ``transport_index`` and ``label`` are None for an excepted package, which has neither;
    ``exemption_fraction`` the sum of A(i)/(exempt consignment limit) (para. 405(b)).
    """

    package_type: str
    limit_basis: str
    a_mixture_bq: float
    limit_fraction: float
    excepted_limit_bq: float
    exemption_fraction: float
    transport_index: float | None
    label: str | None
    exclusive_use: bool
    un_number: str
    proper_shipping_name: str
    status: Status

    @property
    def needs_certified_design(self) -> bool:
        """A Type B(U) package needs a package design certified by a competent authority."""
        return self.package_type == "Type B(U)"

    def as_json(self) -> dict[str, object]:
        """The keys of ``nucmed transport --json`` (issue 14)."""
        return {
            "package_type": self.package_type,
            "a2_mixture_bq": self.a_mixture_bq,
            "limit_fraction": self.limit_fraction,
            "limit_basis": self.limit_basis,
            "transport_index": self.transport_index,
            "label": self.label,
            "exclusive_use": self.exclusive_use,
            "un_number": self.un_number,
            "proper_shipping_name": self.proper_shipping_name,
        }


def _over(value: float, limit: float) -> bool:
    """Above a limit, allowing for the rounding of unit conversions."""
    return value > limit * (1 + 1e-9)


def _check_dose_rates(surface: float, one_metre: float) -> None:
    for value in (surface, one_metre):
        if not math.isfinite(value) or value < 0:
            raise refusal(N_("a dose rate must be a finite number of 0 or more"))
    if _over(surface, EXCLUSIVE_USE_SURFACE_MAX_SV_PER_S):
        raise refusal(
            N_(
                "a surface dose rate above 10 mSv/h may not be transported, even under "
                "exclusive use (SSR-6 (2018) para. 527-528)"
            )
        )


def _label(ti: float, surface: float) -> str:
    """The lowest category whose TI and surface limits both hold (para. 529, Table 7: when the
    TI and the surface dose rate point at different categories, the higher one); past
    III-YELLOW's limits still III-YELLOW, under exclusive use."""
    for category in _LABELLED:
        ti_max, surface_max, _ = category_limits(category, exclusive_use=False)
        if not _over(ti, ti_max) and not _over(surface, surface_max):
            return category
    return "III-YELLOW"


def _exclusive_use(ti: float, surface: float, available: bool) -> bool:
    """Whether the package needs exclusive use (TI above 10, para. 526; surface above
    2 mSv/h, para. 527-528); refused when the shipment cannot have it."""
    needed = _over(ti, NON_EXCLUSIVE_TI_MAX) or _over(surface, NON_EXCLUSIVE_SURFACE_MAX_SV_PER_S)
    if needed and not available:
        raise refusal(
            N_(
                "a package with a transport index of {ti} and a surface dose rate of "
                "{surface_msv_h:.3g} mSv/h needs exclusive use (TI above 10: SSR-6 (2018) "
                "para. 526; surface above 2 mSv/h: para. 527), which this shipment does not "
                "have"
            ),
            ti=ti,
            surface_msv_h=surface * SECONDS_PER_HOUR / SV_PER_MSV,
        )
    return needed


@dataclass(frozen=True, slots=True)
class Packing:
    """How the contents travel: ``special_form`` (A1 applies, else A2), the physical ``form``
    (``solid``, ``liquid`` or ``gas``: Table 4 depends on it), an ``instrument`` or article
    rather than material (Table 4), and whether the consignment can have exclusive use."""

    special_form: bool = False
    form: str = "liquid"
    instrument: bool = False
    exclusive_use_available: bool = True


def classify_package(
    contents: Sequence[Content],
    surface_dose_rate_sv_per_s: float,
    one_metre_dose_rate_sv_per_s: float,
    packing: Packing = Packing(),
) -> Classification:
    """Classify a package for transport (SSR-6 (2018); see the module's references).

    Parameters
    ----------
    contents
        The nuclides and their activities (Bq).
    surface_dose_rate_sv_per_s, one_metre_dose_rate_sv_per_s
        The largest dose rates at the package's surface and at 1 m from it (Sv/s).
    packing
        Special form or not, physical form, instrument or material, exclusive use possible.

    Returns
    -------
    Classification
        Excepted when the activity is within Table 4 and the surface within 5 µSv/h
        (para. 516); else Type A up to the mixture's A1 or A2 (limit fraction 1,
        para. 429-430); above it Type B(U).

    Raises
    ------
    NucmedInputError
        No contents or a non-positive activity; an unknown or fissile nuclide; a negative dose
        rate; a surface above 10 mSv/h; a package that needs exclusive use without it.

    Examples
    --------
    >>> usv_h = 1e-6 / 3600
    >>> c = classify_package([Content("Tc-99m", 37e9)], 300 * usv_h, 8 * usv_h)
    >>> c.package_type, c.transport_index, c.label, c.un_number
    ('Type A', 0.8, 'II-YELLOW', 'UN 2915')
    """
    _check_contents(contents)
    _check_dose_rates(surface_dose_rate_sv_per_s, one_metre_dose_rate_sv_per_s)
    special = packing.special_form
    a_mixture = mixture_value_bq(contents, special_form=special)
    values = [nuclide_values(content.nuclide) for content in contents]
    fraction = sum(c.activity_bq / _value(c.nuclide, special) for c in contents)
    exemption = sum(
        c.activity_bq / v.exempt_consignment_bq for c, v in zip(contents, values, strict=True)
    )
    excepted_bq = a_mixture * excepted_fraction(
        packing.form, special_form=special, instrument=packing.instrument
    )
    _, excepted_surface, _ = category_limits("excepted", exclusive_use=False)
    total = sum(content.activity_bq for content in contents)
    status = weakest(LIMITS_STATUS, *(v.status for v in values))
    basis = "A1" if special else "A2"
    if not _over(total, excepted_bq) and not _over(surface_dose_rate_sv_per_s, excepted_surface):
        number, name = _UN[("Excepted", packing.instrument, False)]
        return Classification(
            "Excepted", basis, a_mixture, fraction, excepted_bq, exemption,
            None, None, False, number, name, status,
        )  # fmt: skip
    package_type = "Type A" if not _over(fraction, 1.0) else "Type B(U)"
    ti = transport_index(one_metre_dose_rate_sv_per_s)
    exclusive = _exclusive_use(ti, surface_dose_rate_sv_per_s, packing.exclusive_use_available)
    number, name = _UN[(package_type, False, special and package_type == "Type A")]
    return Classification(
        package_type, basis, a_mixture, fraction, excepted_bq, exemption,
        ti, _label(ti, surface_dose_rate_sv_per_s), exclusive, number, name, status,
    )  # fmt: skip
