"""The allowed range and unit of every site setting, and the check a change must pass.

Each default setting declares its unit and range beside its value in
``nucmed/data/site_setting_defaults.csv`` (columns ``unit``, ``minimum``, ``maximum`` and
``range_source``, which says why). A diagnostic reference level (``drl_<procedure>_mbq``) has
no default, since each site sets its own (ICRP Publication 135); its range follows one rule:
above 0 and at most :data:`DRL_FACTOR` times the highest published DRL or usual adult activity
of that procedure in the procedure catalogue (``procedures.csv``), or of the whole catalogue
for a procedure the catalogue does not know or gives no number for.

A change outside its range is refused (:class:`SettingRangeError`, 422 on the API, beside the
field on pages) with the range and the unit. A value stored before its range existed is read as
stored; :meth:`SettingRange.holds` lets the settings page flag it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

from nucmed.bounds import number
from nucmed.data import read_rows
from nucmed.dosimetry.diagnostic import Procedure, procedures
from nucmed.errors import N_, MessagePart, NucmedInputError, Word
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "DRL_FACTOR",
    "SETTING_UNITS",
    "SettingRange",
    "SettingRangeError",
    "drl_range",
    "is_drl_key",
    "procedure_code",
    "setting_range",
]

DRL_FACTOR = 10.0
"""A DRL is set near the 75th percentile of the usual activities (ICRP Publication 135, para.
180); one more than ten times the highest published DRL or usual adult activity of its
procedure is a typing error (an extra digit, GBq typed as MBq)."""

FLAG_UNIT = "0/1"
"""The unit word of a yes/no setting: only 0 (no) and 1 (yes) are allowed."""

SETTING_UNITS = (
    N_("mSv/y"),
    N_("mSv"),
    N_("kBq/MBq"),
    N_("µg/mL"),
    N_("h"),
    N_("%"),
    N_("µSv/h"),
    N_("Bq/cm²"),
    N_("half-lives"),
    N_("0/1"),
    N_("y"),
    N_("Gy"),
    N_("min"),
    N_("MBq"),
)
"""The unit words of the settings, as pages show them (translated: мЗв/год, мкг/мл)."""


class SettingRangeError(NucmedInputError):
    """A setting's new value lies outside its allowed range."""


@dataclass(frozen=True, slots=True)
class SettingRange:
    """The values a setting may take, in the unit that ends its key.

    Parameters
    ----------
    key
        The setting (``dispensing_tolerance_percent``).
    unit
        The unit word of the value (``%``), translated where it is shown.
    low, high
        The limits; both allowed, except ``low`` when ``low_open``.
    low_open
        Only values above ``low`` pass (a limit above 0).
    reason
        Why the range is what it is (its source).
    """

    key: str
    unit: str
    low: float
    high: float
    low_open: bool
    reason: str

    @property
    def is_flag(self) -> bool:
        """True for a yes/no setting (0 or 1)."""
        return self.unit == FLAG_UNIT

    def holds(self, value: float) -> bool:
        """True when ``value`` is a finite number within the range (0 or 1 for a flag).

        Examples
        --------
        >>> tolerance = setting_range("dispensing_tolerance_percent")
        >>> tolerance is not None and (tolerance.holds(10), tolerance.holds(250))
        (True, False)
        """
        if not math.isfinite(value):
            return False
        if self.is_flag:
            return value in (0.0, 1.0)
        above = value > self.low if self.low_open else value >= self.low
        return above and value <= self.high

    def check(self, value: float) -> float:
        """``value``, if it lies within the range.

        Raises
        ------
        SettingRangeError
            If it does not; the message names the setting, the range and the unit.

        Examples
        --------
        >>> tolerance = setting_range("dispensing_tolerance_percent")
        >>> try:
        ...     tolerance.check(250) if tolerance else None
        ... except SettingRangeError as error:
        ...     print(error)
        dispensing_tolerance_percent must be from 1 to 25 %; got 250 %
        """
        if self.holds(value):
            return float(value)
        raise SettingRangeError(parts=(self._refusal(value),))

    def _refusal(self, value: float) -> MessagePart:
        values: dict[str, object] = {
            "setting": Word(self.key),
            "low": number(self.low),
            "high": number(self.high),
            "unit": Word(self.unit),
            "value": number(value),
        }
        if self.is_flag:
            return N_("{setting} must be 0 (no) or 1 (yes); got {value}"), values
        if self.key.startswith(_DRL_PREFIX):
            values["setting"] = self.key.removeprefix(_DRL_PREFIX).removesuffix(_DRL_SUFFIX)
            template = N_(
                "the DRL of {setting} must be above {low} and at most {high} {unit}; "
                "got {value} {unit}"
            )
            return template, values
        if self.low_open:
            return (
                N_("{setting} must be above {low} and at most {high} {unit}; got {value} {unit}"),
                values,
            )
        return N_("{setting} must be from {low} to {high} {unit}; got {value} {unit}"), values


_DRL_PREFIX, _DRL_SUFFIX = "drl_", "_mbq"


def _range_of(row: dict[str, str]) -> SettingRange:
    low = row["minimum"]
    return SettingRange(
        key=row["key"],
        unit=row["unit"],
        low=float(low.removeprefix(">")),
        high=float(row["maximum"]),
        low_open=low.startswith(">"),
        reason=row["range_source"],
    )


@cache
def _declared() -> dict[str, SettingRange]:
    """The range of every default setting, from the defaults file."""
    return {row["key"]: _range_of(row) for row in read_rows("site_setting_defaults.csv")}


def procedure_code(procedure: str) -> str:
    """A procedure's code in the DRL settings: lower case, runs of other characters as ``_``.

    Examples
    --------
    >>> procedure_code("Bone scan"), procedure_code("renal-mag3")
    ('bone_scan', 'renal_mag3')
    """
    return "".join(c if c.isalnum() else "_" for c in procedure.lower()).strip("_")


def _names(procedure: Procedure) -> set[str]:
    """The codes a DRL key may use for a catalogue procedure: its code, its name, and its name
    without the part in brackets (``Bone scintigraphy (MDP)`` -> ``bone_scintigraphy``)."""
    return {
        procedure_code(procedure.code),
        procedure_code(procedure.name),
        procedure_code(procedure.name.split("(")[0]),
    }


def _typical_mbq(procedure: Procedure) -> float:
    """The highest published DRL or usual adult activity of a procedure, MBq (0: none)."""
    known = [bq for bq in (procedure.drl_bq, procedure.adult_max_bq) if bq is not None]
    return max(known, default=0.0) / BQ_PER_MBQ


@lru_cache(maxsize=256)  # bounded: the code comes from a request's key
def _drl_ceiling_mbq(code: str) -> float:
    catalogue = procedures()
    matching = [
        _typical_mbq(p)
        for p in catalogue
        if any(code == name or code.startswith(name + "_") for name in _names(p))
    ]
    highest = max(matching, default=0.0) or max(_typical_mbq(p) for p in catalogue)
    return DRL_FACTOR * highest


def drl_range(key: str) -> SettingRange:
    """The range of a DRL setting ``drl_<procedure>_mbq``: above 0 and at most ten times the
    highest published DRL or usual adult activity of the procedure (``procedures.csv``).

    The procedure is the catalogue's whose code or name (with or without the part in brackets)
    is the key's procedure or its first words (``drl_bone_scintigraphy_mbq``: ``bone``,
    7400 MBq); for any other, the highest of the whole catalogue.

    Examples
    --------
    >>> drl_range("drl_bone_scintigraphy_mbq").high
    7400.0
    >>> drl_range("drl_fdg_pet_mbq").high
    3700.0
    """
    code = key.removeprefix(_DRL_PREFIX).removesuffix(_DRL_SUFFIX)
    reason = (
        f"above 0 and at most {DRL_FACTOR:g} times the highest published DRL or usual adult "
        "activity of the procedure (procedures.csv)"
    )
    return SettingRange(key, N_("MBq"), 0.0, _drl_ceiling_mbq(code), True, reason)


def is_drl_key(key: str) -> bool:
    """True for a DRL setting's key, ``drl_<procedure>_mbq``."""
    return (
        key.startswith(_DRL_PREFIX)
        and key.endswith(_DRL_SUFFIX)
        and len(key) > len(_DRL_PREFIX + _DRL_SUFFIX)
    )


def setting_range(key: str) -> SettingRange | None:
    """The range of a setting, or None for a key nucmed does not know."""
    if is_drl_key(key):
        return drl_range(key)
    return _declared().get(key)
