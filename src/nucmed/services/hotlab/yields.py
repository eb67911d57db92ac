"""The yield of a generator elution: accepted within a plausible range, warned outside the
site's band.

The yield is the measured Tc-99m activity over the activity a complete elution would give, as
predicted from the generator's history (:func:`nucmed.physics.generator.elution_history`, the
previous elutions taken as complete). Generator leaflets expect most of the theoretical
activity (e.g. Ultra-TechneKow: about 80-100 %); a yield well below points to a faulty elution
(vacuum vial, needle, saline) and one above 100 % to a wrong calibrator reading, time or
generator. Neither is a hard stop: the eluate's activity is what was measured, and the site's
band (``elution_yield_warn_below_percent``, ``elution_yield_warn_above_percent``, defaults 80
and 105 %) decides when the person is warned; the warning is stored with the eluate and in the
audit trail. A yield above :data:`YIELD_MAX` is refused as a typing error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nucmed.errors import N_, Message, refusal
from nucmed.services.settings import site_settings
from nucmed.services.uow import Store
from nucmed.store.models import Site
from nucmed.units import FRACTION_PER_PERCENT

__all__ = ["YIELD_MAX", "check_yield", "yield_warnings"]

YIELD_MAX = 2.0
"""The largest yield accepted (200 %). nucmed's plausibility bound (issue 11): more than twice
the predicted activity cannot come from the column even when the previous elution left half
of its Tc-99m behind; it is a mistyped activity (GBq for MBq), time or generator."""

_BELOW = N_(
    "elution yield {value} is below the site's warning level of {level}: check the elution "
    "(vacuum vial, needle, saline), the calibrator reading and the elution time"
)
_ABOVE = N_(
    "elution yield {value} is above the site's warning level of {level}: check the "
    "calibrator reading, the elution time and that this is the right generator"
)


def _percent(fraction: float) -> str:
    return f"{fraction / FRACTION_PER_PERCENT:.3g} %"


def check_yield(
    store: Store, site: Site, measured_bq: float, predicted_bq: float
) -> dict[str, Any]:
    """The yield of an elution, with a warning when outside the site's band.

    Parameters
    ----------
    store, site
        The unit of work and the site whose warning band applies.
    measured_bq
        Tc-99m measured in the eluate at the elution, Bq (> 0).
    predicted_bq
        Tc-99m a complete elution would give at that time, Bq (> 0).

    Returns
    -------
    dict
        ``yield`` (dimensionless fraction) and, outside the band, ``yield_warning``: the side
        (``below`` or ``above``) and the site's level (fraction) it crossed. Stored in the
        eluate's details and its audit record.

    Raises
    ------
    NucmedInputError
        The yield is above :data:`YIELD_MAX` (the message gives the yield and the range).
    """
    value = measured_bq / predicted_bq
    if value > YIELD_MAX:
        raise refusal(
            N_(
                "the measured activity is {value} of the activity a complete elution gives "
                "now; a yield from 0 to {most} is accepted: check the activity (GBq or MBq), "
                "the elution time and the generator"
            ),
            value=_percent(value),
            most=_percent(YIELD_MAX),
        )
    band = site_settings(store, site)
    details: dict[str, Any] = {"yield": value}
    if value < band.elution_yield_warn_below:
        details["yield_warning"] = {"side": "below", "level": band.elution_yield_warn_below}
    elif value > band.elution_yield_warn_above:
        details["yield_warning"] = {"side": "above", "level": band.elution_yield_warn_above}
    return details


def yield_warnings(details: Mapping[str, Any]) -> list[str]:
    """The stored yield warning of an eluate as a translatable message (empty: none).

    Parameters
    ----------
    details
        The eluate's details, as :func:`check_yield` filled them.

    Returns
    -------
    list of str
        Each a :class:`~nucmed.errors.Message` keeping its translatable parts.
    """
    warning = details.get("yield_warning")
    if not warning or "yield" not in details:
        return []
    template = _BELOW if warning["side"] == "below" else _ABOVE
    values = {"value": _percent(float(details["yield"])), "level": _percent(warning["level"])}
    return [Message.of(refusal(template, **values))]
