"""Field and parameter types of the JSON API, each checked against :mod:`nucmed.bounds`.

Use them for body fields (``activity_bq: ActivityBq``) and for path and query parameters
(``material_id: RecordId``, ``year: Year | None = None``, ``at: Moment | None = None``): a value
outside its range is answered 422 by FastAPI with the range in the message, before any service
runs. Floats refuse NaN and infinities (JSON ``NaN``/``Infinity``), ids lie within 1 to
2^31 − 1 (:data:`nucmed.bounds.ID_MAX`), moments carry an offset and lie within 1900–2100,
text fits its column without NUL or lone surrogates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, AllowInfNan, AwareDatetime, ConfigDict, WithJsonSchema

from nucmed import bounds
from nucmed.errors import N_

__all__ = [
    "AbsorbedDoseGy",
    "ActivityBq",
    "ActivityOrZeroBq",
    "Code",
    "Count",
    "Date",
    "DoseRateSvPerS",
    "DurationS",
    "EffectiveDoseSv",
    "Fraction",
    "LengthM",
    "LongText",
    "MassKg",
    "Moment",
    "Name",
    "Number",
    "RecordId",
    "ShortText",
    "Text32",
    "Text100",
    "Tolerance",
    "VolumeM3",
    "VolumeOrZeroM3",
    "Year",
    "Yield",
    "examples",
]


def _fits(max_length: int) -> Callable[[str], str]:
    """A validator: the text within ``max_length`` characters, without NUL or lone surrogates."""

    def check(text: str) -> str:
        return bounds.check_text(N_("text"), text, max_length)

    return check


def _id_check(value: int) -> int:
    return bounds.check_id(N_("record"), value)


def _count_check(value: int) -> int:
    return bounds.check_id(N_("count"), value)


def _moment_check(value: AwareDatetime) -> AwareDatetime:
    return bounds.check_moment(N_("time"), value)


def _date_check(value: date) -> date:
    return bounds.check_date(N_("date"), value)


def _duration_check(value: float) -> float:
    bounds.DURATION.check(abs(value))
    return value


_FINITE = AllowInfNan(False)

Number = Annotated[float, _FINITE]
"""Any finite number (not NaN, not infinite); the service checks its own range."""
ActivityBq = Annotated[float, _FINITE, AfterValidator(bounds.ACTIVITY.check)]
"""An activity in Bq: above 0 and at most 1 PBq."""
ActivityOrZeroBq = Annotated[float, _FINITE, AfterValidator(bounds.ACTIVITY.or_zero().check)]
"""An activity in Bq that may be 0 (left in a syringe): 0 to 1 PBq."""
VolumeM3 = Annotated[float, _FINITE, AfterValidator(bounds.VOLUME.check)]
"""A volume in m³: above 0 and at most 10 L (1e-2 m³)."""
VolumeOrZeroM3 = Annotated[float, _FINITE, AfterValidator(bounds.VOLUME.or_zero().check)]
"""A volume in m³ that may be 0: 0 to 10 L."""
DoseRateSvPerS = Annotated[float, _FINITE, AfterValidator(bounds.DOSE_RATE.check)]
"""A dose rate in Sv/s: 0 to 10 Sv/h."""
MassKg = Annotated[float, _FINITE, AfterValidator(bounds.MASS.check)]
"""A mass in kg: 0 to 1000 kg."""
LengthM = Annotated[float, _FINITE, AfterValidator(bounds.LENGTH.check)]
"""A length in m: 0 to 10 km."""
DurationS = Annotated[float, _FINITE, AfterValidator(_duration_check)]
"""A duration in s, of at most 1e10 s either way."""
AbsorbedDoseGy = Annotated[float, _FINITE, AfterValidator(bounds.ABSORBED_DOSE.check)]
"""An absorbed dose in Gy: 0 to 10 000 Gy."""
EffectiveDoseSv = Annotated[float, _FINITE, AfterValidator(bounds.EFFECTIVE_DOSE.check)]
"""An equivalent or effective dose in Sv: 0 to 100 Sv."""
Fraction = Annotated[float, _FINITE, AfterValidator(bounds.FRACTION.check)]
"""A fraction from 0 to 1 (100 %): uptake, RCP, purity."""
Yield = Annotated[float, _FINITE, AfterValidator(bounds.YIELD.check)]
"""An elution yield from 0 to 2 (200 %)."""
Tolerance = Annotated[float, _FINITE, AfterValidator(bounds.TOLERANCE.check)]
"""A relative tolerance: above 0 and at most 1 (100 %)."""

RecordId = Annotated[
    int,
    AfterValidator(_id_check),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": bounds.ID_MAX}),
]
"""A record id: 1 to 2^31 − 1 (the store's INTEGER keys)."""
Count = Annotated[
    int,
    AfterValidator(_count_check),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": bounds.ID_MAX}),
]
"""A count or an ordinal (a cycle's number, cycles planned): 1 to 2^31 − 1."""
Year = Annotated[
    int,
    AfterValidator(bounds.check_year),
    WithJsonSchema(
        {"type": "integer", "minimum": bounds.FIRST_DAY.year, "maximum": bounds.LAST_DAY.year}
    ),
]
"""A calendar year from 1900 to 2100."""
Moment = Annotated[AwareDatetime, AfterValidator(_moment_check)]
"""A date-time with its UTC offset, within 1900-01-01 and 2100-12-31."""
Date = Annotated[date, AfterValidator(_date_check)]
"""A date within 1900-01-01 and 2100-12-31 (a birth date)."""

Code = Annotated[str, AfterValidator(_fits(16))]
"""A short code or a nuclide's name: at most 16 characters."""
Text32 = Annotated[str, AfterValidator(_fits(32))]
"""Text of a column of 32 characters (a nuclide, a kind)."""
ShortText = Annotated[str, AfterValidator(_fits(64))]
"""Text of a column of 64 characters (a hospital number, a lot, a serial number)."""
Text100 = Annotated[str, AfterValidator(_fits(100))]
"""Text of a column of 100 characters (a calibrator's name, model and serial number)."""
Name = Annotated[str, AfterValidator(_fits(200))]
"""A name or a product: at most 200 characters."""
LongText = Annotated[str, AfterValidator(_fits(4000))]
"""A reason, a note or a licence condition: at most 4000 characters."""


def examples(*shown: dict[str, Any]) -> ConfigDict:
    """A body model's configuration that shows ``shown`` as its examples in OpenAPI
    (``model_config = examples({...})``)."""
    return ConfigDict(json_schema_extra={"examples": list(shown)})
