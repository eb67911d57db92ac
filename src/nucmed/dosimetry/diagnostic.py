"""Diagnostic dose estimates: the radiopharmaceutical and procedure catalogues, ICRP coefficients.

The effective dose of a diagnostic administration is the administered activity times the
effective dose coefficient of the radiopharmaceutical for the patient's age model; the dose to
the critical organ (the organ with the highest absorbed dose coefficient) likewise. The
coefficients are those of ICRP Publication 128 (which compiles ICRP 53, 80 and 106) for the
adult and the 15-, 10-, 5- and 1-year-old models; where a radiopharmaceutical is not in
ICRP 128 its row names the source used. Every row states how sure its numbers are (``status``:
a :class:`~nucmed.data.Status`); see ``docs/dosimetry/diagnostic.md``.

Data (read on first use, then cached), in ``nucmed/data/``:

- ``radiopharmaceuticals.csv``: codes, names, nuclides, aliases, Tc-99m kit codes;
- ``icrp128_coefficients.csv``: coefficients per model, condition and age, with sources;
- ``procedures.csv``: about 30 common studies with their usual adult activity and a national
  diagnostic reference level where one was read.

Names match case-insensitively, in any order of words, with the nuclide written ``Tc-99m``,
``99mTc``, ``[99mTc]Tc-`` or left out; an unknown name raises an error that lists near matches.

Age rule: an age is mapped to the ICRP model of its age band, 0 to < 2 y -> 1 y, 2 to < 7 y ->
5 y, 7 to < 12 y -> 10 y, 12 to < 17 y -> 15 y, 17 y and older -> adult. These are the age
groups ICRP uses for its age-dependent dose coefficients [2]_ (recalled: the bands were not
re-read in ICRP 128 itself). Below 1 year the 1-year model is used, which underestimates the
dose to a newborn.

References
----------
.. [1] ICRP, 2015. Radiation Dose to Patients from Radiopharmaceuticals: A Compendium of
   Current Information Related to Frequently Used Substances. ICRP Publication 128.
   Ann. ICRP 44(2S).
.. [2] ICRP, 1996. Age-dependent Doses to Members of the Public from Intake of Radionuclides:
   Part 5. ICRP Publication 72. Ann. ICRP 26(1) (age groups 1, 5, 10, 15 y and adult).
.. [3] F. H. Fahey, S. T. Treves, S. J. Adelstein, "Minimizing and communicating radiation risk
   in pediatric nuclear medicine", J. Nucl. Med. 52 (2011), Table 1.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cache

from nucmed.data import Status, read_rows, weakest
from nucmed.errors import N_, NucmedInputError
from nucmed.units import BQ_PER_MBQ, GY_PER_MGY, SV_PER_MSV

__all__ = [
    "AGE_MODELS",
    "DoseEstimate",
    "DoseInputError",
    "Procedure",
    "Radiopharmaceutical",
    "UnknownRadiopharmaceuticalError",
    "age_model",
    "all_radiopharmaceuticals",
    "effective_dose",
    "get_procedure",
    "get_radiopharmaceutical",
    "procedures",
]

AGE_MODELS = ("1y", "5y", "10y", "15y", "adult")
"""ICRP age models of the coefficient table, youngest first."""

_AGE_BANDS = ((2.0, "1y"), (7.0, "5y"), (12.0, "10y"), (17.0, "15y"))  # upper bound (excl.)
_MAX_AGE_Y = 100.0
_SV_PER_BQ_PER_MSV_PER_MBQ = SV_PER_MSV / BQ_PER_MBQ
_GY_PER_BQ_PER_MGY_PER_MBQ = GY_PER_MGY / BQ_PER_MBQ


class DoseInputError(NucmedInputError):
    """An activity, age, condition or radiopharmaceutical the dose calculators cannot use."""


class UnknownRadiopharmaceuticalError(DoseInputError):
    """A radiopharmaceutical name that is not in the catalogue, or that is ambiguous."""


def _refused(error: type[DoseInputError], template: str, **values: object) -> DoseInputError:
    """An error of the kind ``error`` made of one template marked with ``N_`` and its values."""
    return error(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class Radiopharmaceutical:
    """A radiopharmaceutical of the catalogue.

    Parameters
    ----------
    code
        Our identifier, e.g. ``tc99m-mdp``.
    name
        Name to print, e.g. ``Tc-99m medronate (MDP)``.
    nuclide
        The nuclide, as in the ICRP-107 extract (``Tc-99m``).
    aliases
        Other names it is known by.
    kit_code
        Code of the Tc-99m cold kit it is prepared from (``nucmed.radiopharmacy.kits``), or
        None.
    icrp_key
        Key of its rows in the coefficient table, or None when none is shipped.
    source
        Where the identity comes from.
    note
        Limits of the data (e.g. why no coefficient is shipped).
    """

    code: str
    name: str
    nuclide: str
    aliases: tuple[str, ...]
    kit_code: str | None
    icrp_key: str | None
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """A diagnostic study of the procedure catalogue.

    Parameters
    ----------
    code
        Our identifier, e.g. ``bone``.
    name
        Name to print.
    radiopharmaceutical
        Code of its radiopharmaceutical.
    condition
        Condition of the dose coefficients that fits the study, or None for the default.
    adult_min_bq, adult_max_bq
        Usual adult activity range, in Bq, as the cited source states it; None if not known.
    adult_source
        Citation of the adult activity (empty if none).
    adult_status
        ``confirmed`` or ``secondary``; None without an adult activity.
    drl_bq
        A national diagnostic reference level, in Bq, where one was read; None otherwise.
    drl_source
        Citation of the DRL (country, text, table, row).
    eanm_key, na_key
        Rows of the EANM dosage card and of the North American guidelines for children.
    source
        The study's defining guideline.
    note
        Limits of the data.
    """

    code: str
    name: str
    radiopharmaceutical: str
    condition: str | None
    adult_min_bq: float | None
    adult_max_bq: float | None
    adult_source: str
    adult_status: Status | None
    drl_bq: float | None
    drl_source: str
    eanm_key: str | None
    na_key: str | None
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class DoseEstimate:
    """Effective dose and critical-organ dose of one diagnostic administration.

    Parameters
    ----------
    effective_dose_sv
        Effective dose, in Sv.
    coefficient_sv_per_bq
        Effective dose coefficient used, in Sv/Bq.
    critical_organ
        Organ with the highest absorbed dose coefficient, or None where the source gives none
        for that age.
    critical_organ_dose_gy
        Absorbed dose to that organ, in Gy, or None.
    age_model
        ICRP age model used: ``adult``, ``15y``, ``10y``, ``5y`` or ``1y``.
    source
        Citation of the coefficients (publication, table, row).
    status
        The weaker status of the two coefficients used.
    radiopharmaceutical
        Code of the radiopharmaceutical.
    condition
        Model variant used (``rest``, ``exercise``, ``blocked``, ``uptake-35``), or None.
    organ_coefficient_gy_per_bq
        Absorbed dose coefficient of the critical organ, in Gy/Bq, or None.
    note
        Known disagreements between sources and other limits.

    Examples
    --------
    >>> e = effective_dose("F-18 FDG", 370e6)
    >>> round(e.effective_dose_sv * 1e3, 2), e.critical_organ, str(e.status)
    (7.03, 'urinary bladder wall', 'confirmed')
    """

    effective_dose_sv: float
    coefficient_sv_per_bq: float
    critical_organ: str | None
    critical_organ_dose_gy: float | None
    age_model: str
    source: str
    status: Status
    radiopharmaceutical: str = ""
    condition: str | None = None
    organ_coefficient_gy_per_bq: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Coefficient:
    key: str
    condition: str | None
    default: bool
    age_model: str
    e_sv_per_bq: float
    organ: str | None
    organ_gy_per_bq: float | None
    status: Status
    source: str
    note: str


def _status_or_none(text: str) -> Status | None:
    return Status(text) if text.strip() else None


def _or_none(text: str) -> str | None:
    return text.strip() or None


def _number(text: str, scale: float) -> float | None:
    return float(text) * scale if text.strip() else None


@cache
def _catalogue() -> tuple[Radiopharmaceutical, ...]:
    return tuple(
        Radiopharmaceutical(
            code=row["code"], name=row["name"], nuclide=row["nuclide"],
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            kit_code=_or_none(row["kit_code"]), icrp_key=_or_none(row["icrp_key"]),
            source=row["source"], note=row["note"],
        )
        for row in read_rows("radiopharmaceuticals.csv")
    )  # fmt: skip


def _coefficient_row(row: dict[str, str]) -> _Coefficient:
    organ_status = _or_none(row["organ_status"])
    statuses = (row["e_status"],) if organ_status is None else (row["e_status"], organ_status)
    return _Coefficient(
        key=row["key"], condition=_or_none(row["condition"]),
        default=row["default"] == "yes", age_model=row["age"],
        e_sv_per_bq=float(row["e_msv_per_mbq"]) * _SV_PER_BQ_PER_MSV_PER_MBQ,
        organ=_or_none(row["critical_organ"]),
        organ_gy_per_bq=_number(row["organ_mgy_per_mbq"], _GY_PER_BQ_PER_MGY_PER_MBQ),
        status=weakest(*statuses), source=row["source"], note=row["note"],
    )  # fmt: skip


@cache
def _coefficients() -> tuple[_Coefficient, ...]:
    return tuple(_coefficient_row(row) for row in read_rows("icrp128_coefficients.csv"))


@cache
def _procedures() -> tuple[Procedure, ...]:
    return tuple(
        Procedure(
            code=row["code"], name=row["name"], radiopharmaceutical=row["radiopharmaceutical"],
            condition=_or_none(row["condition"]),
            adult_min_bq=_number(row["adult_min_mbq"], BQ_PER_MBQ),
            adult_max_bq=_number(row["adult_max_mbq"], BQ_PER_MBQ),
            adult_source=row["adult_source"], adult_status=_status_or_none(row["adult_status"]),
            drl_bq=_number(row["drl_mbq"], BQ_PER_MBQ), drl_source=row["drl_source"],
            eanm_key=_or_none(row["eanm_key"]), na_key=_or_none(row["na_key"]),
            source=row["source"], note=row["note"],
        )
        for row in read_rows("procedures.csv")
    )  # fmt: skip


_BEFORE = re.compile(r"\b([a-z]{1,2})\s*-?\s*(\d{1,3})(m?)\b")  # Tc-99m, F-18, I 123
_AFTER = re.compile(r"\b(\d{1,3})(m?)-?([a-z]{1,2})\b")  # 99mTc, 18F-, 123I, 99m-Tc
_NUCLIDE = re.compile(r"([a-z]{1,2})\d{1,3}m?")


def _key(text: str) -> str:
    """Lower-case words in sorted order, nuclides as ``tc99m``; ``[99mTc]Tc-`` counts once."""
    text = re.sub(r"[\[\]()]", " ", text.casefold().replace("technetium", "tc"))
    text = _BEFORE.sub(lambda m: f" {m[1]}{m[2]}{m[3]} ", text)
    text = _AFTER.sub(lambda m: f" {m[3]}{m[1]}{m[2]} ", text)
    words = re.findall(r"[a-z0-9]+", text)
    elements = {match[1] for word in words if (match := _NUCLIDE.fullmatch(word))}
    return " ".join(sorted(word for word in words if word not in elements))


@cache
def _index() -> dict[str, frozenset[str]]:
    """Every spelling (with and without the nuclide) -> the codes it names."""
    index: dict[str, set[str]] = {}
    for rp in _catalogue():
        for spelling in (rp.code, rp.name, *rp.aliases):
            for text in (spelling, f"{rp.nuclide} {spelling}"):
                index.setdefault(_key(text), set()).add(rp.code)
    return {key: frozenset(codes) for key, codes in index.items()}


def all_radiopharmaceuticals() -> tuple[Radiopharmaceutical, ...]:
    """Return every radiopharmaceutical of the catalogue, in catalogue order.

    Returns
    -------
    tuple of Radiopharmaceutical
        Read from ``radiopharmaceuticals.csv`` on first use, then cached.

    Examples
    --------
    >>> [rp.code for rp in all_radiopharmaceuticals()][:2]
    ['tc99m-mdp', 'tc99m-hdp']
    """
    return _catalogue()


def get_radiopharmaceutical(name: str) -> Radiopharmaceutical:
    """Return the radiopharmaceutical of that code, name or alias (case-insensitive).

    Parameters
    ----------
    name
        A code (``tc99m-mag3``), a name or an alias with or without the nuclide
        (``Tc-99m MAG3``, ``99mTc-mertiatide``, ``MAG3``, ``I-123 sodium iodide``).

    Returns
    -------
    Radiopharmaceutical
        The catalogue entry.

    Raises
    ------
    UnknownRadiopharmaceuticalError
        If nothing has that name (the message lists near matches), or if the name fits two
        entries (e.g. ``sodium iodide`` without its nuclide).

    Examples
    --------
    >>> get_radiopharmaceutical("Tc-99m MAG3").code, get_radiopharmaceutical("FDG").nuclide
    ('tc99m-mag3', 'F-18')
    """
    index = _index()
    key = _key(str(name))
    codes = index.get(key)
    if codes is not None and len(codes) == 1:
        (code,) = codes
        return next(rp for rp in _catalogue() if rp.code == code)
    if codes:
        raise _refused(
            UnknownRadiopharmaceuticalError,
            N_("'{name}' is ambiguous: {codes}; name the nuclide too"),
            name=str(name),
            codes=", ".join(sorted(codes)),
        )
    near = difflib.get_close_matches(key, index.keys(), n=12, cutoff=0.6)
    found = list(dict.fromkeys(code for k in near for code in sorted(index[k])))[:4]
    if found:
        raise _refused(
            UnknownRadiopharmaceuticalError,
            N_("no radiopharmaceutical is called '{name}'; near matches: {codes}"),
            name=str(name),
            codes=", ".join(found),
        )
    raise _refused(
        UnknownRadiopharmaceuticalError,
        N_("no radiopharmaceutical is called '{name}'; known: {codes}"),
        name=str(name),
        codes=", ".join(rp.code for rp in _catalogue()),
    )


def age_model(age_years: float | None) -> str:
    """Return the ICRP age model for an age: the model of its ICRP age band.

    Parameters
    ----------
    age_years
        Age, in years (0 to 100); None for an adult.

    Returns
    -------
    str
        ``1y`` (below 2 y), ``5y`` (2 to below 7), ``10y`` (7 to below 12), ``15y`` (12 to
        below 17) or ``adult`` (17 and older).

    Raises
    ------
    DoseInputError
        For an age below 0, above 100 or not a finite number.

    References
    ----------
    .. [1] ICRP Publication 72 (1996), age groups of its dose coefficients (recalled).

    Examples
    --------
    >>> [age_model(a) for a in (0.5, 2, 6.9, 7, 12, 16.9, 17, None)]
    ['1y', '5y', '5y', '10y', '15y', '15y', 'adult', 'adult']
    """
    if age_years is None:
        return "adult"
    if not (math.isfinite(age_years) and 0.0 <= age_years <= _MAX_AGE_Y):
        raise _refused(
            DoseInputError,
            N_("age must be from 0 to 100 years, got {value}"),
            value=repr(age_years),
        )
    for upper, model in _AGE_BANDS:
        if age_years < upper:
            return model
    return "adult"


def _coefficient(rp: Radiopharmaceutical, condition: str | None, model: str) -> _Coefficient:
    if rp.icrp_key is None:
        raise _refused(
            DoseInputError,
            N_("no dose coefficients are shipped for {name}: {note}"),
            name=rp.name,
            note=rp.note,
        )
    rows = [row for row in _coefficients() if row.key == rp.icrp_key]
    conditions = sorted({row.condition for row in rows if row.condition is not None})
    if condition is None:
        chosen = next(row.condition for row in rows if row.default)
    else:
        chosen = condition.strip().lower()
        if chosen not in conditions:
            allowed = ", ".join(conditions) if conditions else "none (a single model)"
            raise _refused(
                DoseInputError,
                N_("unknown condition '{condition}' for {name}; allowed: {allowed}"),
                condition=condition,
                name=rp.name,
                allowed=allowed,
            )
    matching = [row for row in rows if row.condition == chosen]
    for row in matching:
        if row.age_model == model:
            return row
    ages = ", ".join(m for m in AGE_MODELS if any(row.age_model == m for row in matching))
    raise _refused(
        DoseInputError,
        N_("no {model} coefficient is shipped for {name}; age models available: {ages}"),
        model=model,
        name=rp.name,
        ages=ages,
    )


def effective_dose(
    radiopharmaceutical: str,
    activity_bq: float,
    age_years: float | None = None,
    *,
    condition: str | None = None,
) -> DoseEstimate:
    """Return the effective dose and critical-organ dose of a diagnostic administration.

    E = e(age) · A and D_organ = d_organ(age) · A, with the ICRP 128 coefficients e, d of the
    radiopharmaceutical for the age model of `age_model`.

    Parameters
    ----------
    radiopharmaceutical
        Name, alias or code (see `get_radiopharmaceutical`).
    activity_bq
        Administered activity, in Bq (> 0).
    age_years
        Age of the patient, in years (0 to 100); None for an adult.
    condition
        Model variant where the table has several: ``rest`` or ``exercise`` (sestamibi,
        tetrofosmin), ``blocked`` or ``uptake-35`` (iodide). None takes the default, the
        variant with the highest adult effective dose coefficient.

    Returns
    -------
    DoseEstimate
        Doses, coefficient, age model, source and status.

    Raises
    ------
    DoseInputError
        For an unknown radiopharmaceutical (near matches listed), an activity that is not a
        finite number > 0, an age outside 0 to 100 years, an unknown condition, or an age
        model or radiopharmaceutical without shipped coefficients.

    References
    ----------
    .. [1] ICRP Publication 128, Ann. ICRP 44(2S) (2015); rows of ``icrp128_coefficients.csv``.

    Examples
    --------
    >>> e = effective_dose("Tc-99m MDP", 740e6)
    >>> round(e.effective_dose_sv * 1e3, 2), e.critical_organ, e.age_model
    (4.22, 'bone surfaces', 'adult')
    >>> round(effective_dose("99mTc-MDP", 209.3e6, age_years=5).effective_dose_sv * 1e3, 2)
    2.93
    """
    rp = get_radiopharmaceutical(radiopharmaceutical)
    if not (math.isfinite(activity_bq) and activity_bq > 0.0):
        raise _refused(
            DoseInputError,
            N_("activity must be a finite number > 0 Bq, got {value}"),
            value=repr(activity_bq),
        )
    model = age_model(age_years)
    row = _coefficient(rp, condition, model)
    organ_dose = None if row.organ_gy_per_bq is None else row.organ_gy_per_bq * activity_bq
    return DoseEstimate(
        effective_dose_sv=row.e_sv_per_bq * activity_bq,
        coefficient_sv_per_bq=row.e_sv_per_bq,
        critical_organ=row.organ,
        critical_organ_dose_gy=organ_dose,
        age_model=model,
        source=row.source,
        status=row.status,
        radiopharmaceutical=rp.code,
        condition=row.condition,
        organ_coefficient_gy_per_bq=row.organ_gy_per_bq,
        note=row.note,
    )


def procedures() -> tuple[Procedure, ...]:
    """Return the procedure catalogue, in catalogue order.

    Returns
    -------
    tuple of Procedure
        About 30 common studies (``procedures.csv``), read on first use, then cached.

    Examples
    --------
    >>> bone = procedures()[0]
    >>> bone.code, bone.radiopharmaceutical, bone.drl_bq
    ('bone', 'tc99m-mdp', 700000000.0)
    """
    return _procedures()


def get_procedure(code: str) -> Procedure:
    """Return the procedure of that code (case-insensitive).

    Parameters
    ----------
    code
        A procedure code, e.g. ``renal-mag3``.

    Returns
    -------
    Procedure
        The catalogue entry.

    Raises
    ------
    DoseInputError
        For an unknown code; the message lists near matches.

    Examples
    --------
    >>> get_procedure("FDG-PET").radiopharmaceutical
    'f18-fdg'
    """
    wanted = code.strip().lower()
    for procedure in _procedures():
        if procedure.code == wanted:
            return procedure
    codes = [p.code for p in _procedures()]
    near = difflib.get_close_matches(wanted, codes, n=5, cutoff=0.5)
    if near:
        raise _refused(
            DoseInputError,
            N_("no procedure is called '{code}'; near matches: {near} (known: {known})"),
            code=code,
            near=", ".join(near),
            known=", ".join(codes),
        )
    raise _refused(
        DoseInputError,
        N_("no procedure is called '{code}' (known: {known})"),
        code=code,
        known=", ".join(codes),
    )
