"""Read quantities people type: ``740 MBq``, ``70 kg``, ``2,5 мкЗв/ч``, ``90 %``, ``0.15 kBq/MBq``.

Each ``parse_*`` function takes the text of one command-line option or form field and returns
the SI value, or raises a one-line :class:`UnitError` that says what is wrong, what to write
and which units are allowed. Durations and date-times are read by
:mod:`nucmed.units.parse_time`.
"""

from __future__ import annotations

from nucmed import bounds
from nucmed.errors import N_
from nucmed.units._reader import (
    ABSORBED,
    ACTIVITY,
    DOSE_RATE,
    EFFECTIVE,
    FRACTION,
    LENGTH,
    MASS,
    RATIO,
    VOLUME,
    UnitError,
    read,
    read_non_negative,
    read_within,
    shown,
)

__all__ = [
    "UnitError", "parse_absorbed_dose", "parse_activity", "parse_dose_rate",
    "parse_effective_dose", "parse_fraction", "parse_length", "parse_mass", "parse_ratio",
    "parse_volume",
]  # fmt: skip


def parse_activity(text: str) -> float:
    """Read an activity such as ``740 MBq``, ``20 mCi``, ``500 uCi`` or ``1,5 ГБк``.

    Parameters
    ----------
    text
        A number (decimal point or comma) and a unit of `ACTIVITY_UNITS`.

    Returns
    -------
    float
        Activity in becquerels (Bq), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_activity("20 mCi") == parse_activity("740MBq") == 7.4e8
    True
    """
    return read_within(text, ACTIVITY, bounds.ACTIVITY.or_zero())


def parse_mass(text: str) -> float:
    """Read a mass such as ``70 kg``, ``250 mg`` or ``5 мкг``.

    Parameters
    ----------
    text
        A number and a unit of `MASS_UNITS`.

    Returns
    -------
    float
        Mass in kilograms (kg), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_mass("250 mg")
    0.00025
    """
    return read_within(text, MASS, bounds.MASS)


def parse_length(text: str) -> float:
    """Read a length such as ``30 cm``, ``2 m`` or ``5 мм`` (``m`` is always the metre).

    Parameters
    ----------
    text
        A number and a unit of `LENGTH_UNITS`.

    Returns
    -------
    float
        Length in metres (m), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_length("30 cm")
    0.3
    """
    return read_within(text, LENGTH, bounds.LENGTH)


def parse_volume(text: str) -> float:
    """Read a volume such as ``5 mL``, ``1.5 L``, ``10 cc`` or ``2 мл``.

    Parameters
    ----------
    text
        A number and a unit of `VOLUME_UNITS`.

    Returns
    -------
    float
        Volume in cubic metres (m³), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_volume("5 mL")
    5e-06
    """
    return read_within(text, VOLUME, bounds.VOLUME.or_zero())


def parse_absorbed_dose(text: str) -> float:
    """Read an absorbed dose such as ``2 Gy``, ``150 cGy`` or ``20 мГр``.

    Parameters
    ----------
    text
        A number and a unit of `ABSORBED_DOSE_UNITS` (sieverts are refused).

    Returns
    -------
    float
        Absorbed dose in grays (Gy), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_absorbed_dose("150 cGy")
    1.5
    """
    return read_within(text, ABSORBED, bounds.ABSORBED_DOSE)


def parse_effective_dose(text: str) -> float:
    """Read an equivalent or effective dose such as ``1 mSv``, ``100 mrem`` or ``20 мкЗв``.

    Parameters
    ----------
    text
        A number and a unit of `EFFECTIVE_DOSE_UNITS` (1 rem = 0.01 Sv exactly [2]_; grays
        are refused).

    Returns
    -------
    float
        Dose in sieverts (Sv), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_effective_dose("100 mrem") == parse_effective_dose("1 mSv") == 0.001
    True
    """
    return read_within(text, EFFECTIVE, bounds.EFFECTIVE_DOSE)


def parse_dose_rate(text: str) -> float:
    """Read a dose rate such as ``2.5 µSv/h``, ``0.1 mSv/h`` or ``3 мкЗв/ч``.

    Parameters
    ----------
    text
        A number and a unit of `DOSE_RATE_UNITS`; gray-based rates (µGy/h) are refused.

    Returns
    -------
    float
        Dose rate in sieverts per second (Sv/s), 0 or more.

    Raises
    ------
    UnitError
        On empty text, a missing or wrong unit, or a negative or non-finite value.

    Examples
    --------
    >>> parse_dose_rate("3600 µSv/h") == parse_dose_rate("1 µSv/s") == 1e-6
    True
    """
    return read_within(text, DOSE_RATE, bounds.DOSE_RATE)


def parse_fraction(text: str) -> float:
    """Read a fraction such as ``0.9``, ``90 %`` or ``90%``.

    Parameters
    ----------
    text
        A number from 0 to 1, or a percentage from 0 % to 100 %.

    Returns
    -------
    float
        The fraction (dimensionless), from 0 to 1.

    Raises
    ------
    UnitError
        If the text cannot be read or the fraction is outside 0 to 1.

    Examples
    --------
    >>> parse_fraction("90 %"), parse_fraction("0,9")
    (0.9, 0.9)
    """
    value = read(text, FRACTION)
    if not bounds.FRACTION.holds(value):
        raise FRACTION.error(
            N_("fraction '{text}' is outside 0 to 1 (0 % to 100 %)"), text=shown(text)
        )
    return value


def parse_ratio(text: str) -> float:
    """Read a ratio of two activities such as ``0.15 kBq/MBq``, ``0.15 µCi/mCi`` or ``0.1 %``.

    Used for limits such as the Mo-99 breakthrough limit of an eluate (Mo-99 activity per
    Tc-99m activity).

    Parameters
    ----------
    text
        A number and any activity unit of `ACTIVITY_UNITS` over another (``kBq/MBq``,
        ``uCi/mCi``, ``Bq/GBq``, ``кБк/МБк``), a percentage (``0.1 %``), or a plain number
        (a ratio has no unit).

    Returns
    -------
    float
        The ratio (dimensionless), 0 or more; it may exceed 1.

    Raises
    ------
    UnitError
        On empty text, a unit that is not an activity over an activity or ``%``, or a
        negative or non-finite value.

    Examples
    --------
    >>> parse_ratio("0.15 kBq/MBq") == parse_ratio("0.15 uCi/mCi") == parse_ratio("0.00015")
    True
    >>> parse_ratio("0.1 %")
    0.001
    """
    return read_non_negative(text, RATIO)
