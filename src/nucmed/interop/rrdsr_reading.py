"""Reading a Radiopharmaceutical Radiation Dose SR (RRDSR) of any vendor into an
:class:`~nucmed.interop.rrdsr.AdministrationRecord`.

`read_rrdsr` reads an SR from a scanner, an injector or another hot-lab system (nucmed's own,
:func:`nucmed.interop.rrdsr.write_rrdsr`, among them). It accepts SNOMED CT codes (SCT) and the
retired SNOMED-RT style codes (SRT, also sent as SNM3 or 99SDM) [1]_, turns the codes of
``nucmed/data/dicom_codes.csv`` into their current code and PS3.16 meaning, keeps unknown codes
as sent, and takes optional items where it finds them: height and weight from TID 10024 [2]_ or
the Patient Study module, an Effective Dose (113839, DCM) anywhere in the administration
(Siemens sends it in a private container). A date-time without an offset takes the SR's
Timezone Offset From UTC [3]_, else the `default_tz` given (the record then names it in
`AdministrationRecord.timezone_assumed`). Values read keep 12 significant digits, so that MBq
and mSv give back the becquerels and sieverts written. Every text, date and amount is checked
against :mod:`nucmed.bounds`; a refusal names the item (DICOM concept names and keywords are
codes, kept as they are in every language).

References
----------
.. [1] DICOM PS3.16 (2025b), section 8.3 "Retired Codes and Expected Behavior", and Annex O.
.. [2] DICOM PS3.16 (2025b), TID 10022 "Radiopharmaceutical Administration Event Data" and
   TID 10024 "Imaging Agent Administration Patient Characteristics".
.. [3] DICOM PS3.3 (2025b), C.12.1.1.8 "Timezone Offset From UTC"; PS3.5 6.2, VR DT.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Final, TypedDict, TypeVar, cast, get_args

import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.valuerep import DA, DT

from nucmed import bounds, units
from nucmed.errors import N_, Message, NucmedInputError, Word
from nucmed.interop.rrdsr import (
    _LEGACY_SNOMED,
    DIAGNOSTIC_INTENT,
    NM_PROCEDURE,
    RRDSR_SOP_CLASS_UID,
    AdministrationRecord,
    Coded,
    CodeKind,
    RrdsrError,
    Sex,
    _quoted,
    _refused,
    normalise_code,
)

__all__ = ["NoUtcOffsetError", "read_rrdsr"]

T = TypeVar("T")
_DIGITS: Final = 12
_ID_LENGTH: Final = 64  # the store's columns: a patient's hospital number, an event UID
_NAME_LENGTH: Final = 200  # a patient's name, an institution


class NoUtcOffsetError(RrdsrError):
    """The SR's date-times have no UTC offset and no time zone was given to read them in."""


_NO_OFFSET: Final = N_(
    "the SR's date-time {text} has no UTC offset; give the time zone it was written in "
    "(e.g. --tz Asia/Almaty)"
)
_CODE_ITEMS: Final[dict[CodeKind, str]] = {
    "radiopharmaceutical": "Radiopharmaceutical agent (349358000, SCT)",
    "radionuclide": "Radionuclide (89457008, SCT)",
}
"""The concept name of the item that holds each code (said when it is missing)."""


Names = frozenset[tuple[str, str]]
# Concept names, each with the retired SNOMED-RT style codes that devices still send [1]_.
_AGENT: Final = frozenset({("SCT", "349358000"), ("SRT", "F-61FDB"), ("SRT", "C-B02C9")})
_RADIONUCLIDE: Final = frozenset({("SCT", "89457008"), ("SRT", "C-10072")})
_ROUTE: Final = frozenset({("SCT", "410675002"), ("SRT", "G-C340")})
_PROCEDURE: Final = frozenset({("SCT", "363589002"), ("SRT", "G-C2D0")})
_INTENT: Final = frozenset({("SCT", "363703001"), ("SRT", "G-C0E8")})


def _dcm(*codes: str) -> Names:
    return frozenset(("DCM", code) for code in codes)


_REPORT, _EVENT, _PATIENT = _dcm("113500"), _dcm("113502"), _dcm("121118")
_EVENT_UID, _START, _STOP = _dcm("113503"), _dcm("123003"), _dcm("123004")
_ACTIVITY, _EFFECTIVE_DOSE, _SEX = _dcm("113507"), _dcm("113839"), _dcm("121032")
_HEIGHT, _WEIGHT = frozenset({("LN", "8302-2")}), frozenset({("LN", "29463-7")})


def _name(item: Dataset) -> tuple[str, str]:
    """(scheme, code) of an item's concept name; SNM3 and 99SDM read as SRT."""
    name = (item.get("ConceptNameCodeSequence") or [Dataset()])[0]
    scheme = str(name.get("CodingSchemeDesignator", "")).upper()
    return ("SRT" if scheme in _LEGACY_SNOMED else scheme), str(name.get("CodeValue", ""))


def _walk(item: Dataset) -> Iterator[Dataset]:
    """Every content item below `item`, depth first."""
    for child in item.get("ContentSequence") or []:
        yield child
        yield from _walk(child)


def _first(item: Dataset | None, names: Names, *, deep: bool = False) -> Dataset | None:
    """The first child (or, if `deep`, descendant) of `item` with one of the concept names."""
    if item is None:
        return None
    items = _walk(item) if deep else iter(item.get("ContentSequence") or [])
    return next((child for child in items if _name(child) in names), None)


def _coded(item: Dataset | None) -> Coded | None:
    if item is None or not item.get("ConceptCodeSequence"):
        return None
    code = item.ConceptCodeSequence[0]
    value = code.get("CodeValue") or code.get("LongCodeValue") or code.get("URNCodeValue")
    scheme, meaning = code.get("CodingSchemeDesignator", ""), code.get("CodeMeaning", "")
    return Coded(str(value or ""), str(scheme), str(meaning)[:64])


def _si(
    item: Dataset | None, default_unit: str, parse: Callable[[str], float], what: str
) -> float | None:
    """A NUM item's value in SI through a `nucmed.units` parser; the template's unit if none."""
    if item is None or not item.get("MeasuredValueSequence"):
        return None
    measured = item.MeasuredValueSequence[0]
    value = measured.get("FloatingPointValue")
    number = repr(float(value)) if value is not None else str(measured.get("NumericValue", ""))
    unit = (measured.get("MeasurementUnitsCodeSequence") or [Dataset()])[0].get("CodeValue")
    try:
        value_si = parse(f"{number} {unit or default_unit}")
    except NucmedInputError as error:
        raise _refused(
            N_("{what} in the SR: {reason}"), what=what, reason=Message.of(error)
        ) from None
    return float(f"{value_si:.{_DIGITS}g}")


def _bounded(check: Callable[..., T], *args: object) -> T:
    """``check(*args)`` from :mod:`nucmed.bounds`, its refusal as an :class:`RrdsrError`."""
    try:
        return check(*args)
    except NucmedInputError as error:
        raise RrdsrError(parts=error.parts) from None


def _text(value: object, what: str, most: int) -> str:
    """A DICOM string value as text within its column (no NUL, no lone surrogate)."""
    return _bounded(bounds.check_text, what, str(value or ""), most)


def _required(value: T | None, what: str) -> T:
    if value is None or value == "":
        raise _refused(N_("the SR's Radiopharmaceutical Administration has no {what}"), what=what)
    return value


class _Patient(TypedDict):
    patient_id: str
    patient_name: str
    patient_sex: Sex | None
    patient_birth_date: datetime.date | None
    institution: str | None
    study_instance_uid: str | None
    accession_number: str | None


class _Reader:
    """Reads one RRDSR dataset into an `AdministrationRecord`."""

    def __init__(self, ds: Dataset, default_tz: datetime.tzinfo | None) -> None:
        self.ds, self.default_tz = ds, default_tz
        self.assumed: str | None = None

    def record(self) -> AdministrationRecord:
        events = [item for item in _walk(self.ds) if _name(item) in _EVENT]
        if len(events) != 1:
            raise _refused(
                N_(
                    "the SR has {count} Radiopharmaceutical Administration (113502, DCM) "
                    "containers; nucmed reads SRs with exactly one"
                ),
                count=len(events),
            )
        event, patient = events[0], _first(self.ds, _PATIENT, deep=True)
        agent = _first(event, _AGENT)
        nuclide = _first(agent, _RADIONUCLIDE) or _first(event, _RADIONUCLIDE)
        uid_item = _first(event, _EVENT_UID)
        uid = None if uid_item is None else _text(uid_item.get("UID"), "Event UID", _ID_LENGTH)
        route, procedure = _coded(_first(event, _ROUTE)), _first(self.ds, _PROCEDURE)
        weight = _si(_first(patient, _WEIGHT), "kg", units.parse_mass, "Patient Weight")
        height = _si(_first(patient, _HEIGHT), "m", units.parse_length, "Patient Height")
        dose = _first(event, _EFFECTIVE_DOSE, deep=True)
        start = _required(
            self.moment(_first(event, _START)), "Radiopharmaceutical Start DateTime (123003, DCM)"
        )
        return AdministrationRecord(
            event_uid=_required(uid, "Event UID (113503, DCM)"),
            radiopharmaceutical=self.code("radiopharmaceutical", agent),
            radionuclide=self.code("radionuclide", nuclide),
            administered_activity_bq=_required(
                _si(
                    _first(event, _ACTIVITY), "MBq", units.parse_activity, "Administered activity"
                ),
                "Administered activity (113507, DCM)",
            ),
            start_datetime=start,
            end_datetime=self.moment(_first(event, _STOP)),
            route=None if route is None else normalise_code("route", route),
            effective_dose_sv=_si(dose, "mSv", units.parse_effective_dose, "Effective Dose"),
            patient_weight_kg=weight or self.positive("PatientWeight", bounds.MASS),
            patient_height_m=height or self.positive("PatientSize", bounds.LENGTH),
            procedure=_coded(procedure) or NM_PROCEDURE,
            intent=_coded(_first(procedure, _INTENT)) or DIAGNOSTIC_INTENT,
            timezone_assumed=self.assumed,
            **self.patient(patient),
        )

    @staticmethod
    def code(kind: CodeKind, item: Dataset | None) -> Coded:
        return normalise_code(kind, _required(_coded(item), _CODE_ITEMS[kind]))

    def positive(self, keyword: str, plausible: bounds.Range) -> float | None:
        """A positive number of the Patient Study module (kg, m) within its range, or None."""
        value = self.ds.get(keyword)
        if value in (None, "") or not float(value) > 0:
            return None
        return _bounded(plausible.check, float(value), f"{keyword} {value}")

    def moment(self, item: Dataset | None) -> datetime.datetime | None:
        if item is None or not item.get("DateTime"):
            return None
        text = str(item.DateTime)
        try:
            moment = DT(text)
            if moment.tzinfo is None and self.ds.get("TimezoneOffsetFromUTC"):
                moment = DT(text + str(self.ds.TimezoneOffsetFromUTC))
        except ValueError:
            raise _refused(
                N_("'{text}' in the SR is not a DICOM date-time"), text=_quoted(text)
            ) from None
        if moment.tzinfo is None:
            if self.default_tz is None:
                raise NoUtcOffsetError(parts=((_NO_OFFSET, {"text": _quoted(text)}),))
            moment = moment.replace(tzinfo=self.default_tz)
            self.assumed = str(self.default_tz)
        try:
            utc = datetime.datetime.fromisoformat(moment.isoformat()).astimezone(datetime.UTC)
        except OverflowError:
            utc = datetime.datetime.min.replace(tzinfo=datetime.UTC)  # refused just below
        return _bounded(bounds.check_moment, "date-time", utc)

    def patient(self, characteristics: Dataset | None) -> _Patient:
        ds = self.ds
        sex = str(ds.get("PatientSex") or "").upper()
        if sex not in get_args(Sex):
            coded = _coded(_first(characteristics, _SEX))
            sex = {"M": "M", "F": "F", "121102": "O"}.get(coded.code if coded else "", "")
        birth = ds.get("PatientBirthDate")
        try:
            born = DA(birth) if birth else None
        except ValueError:
            raise _refused(
                N_("PatientBirthDate '{birth}' is not a DICOM date"), birth=_quoted(str(birth))
            ) from None
        birth_date = born and datetime.date(born.year, born.month, born.day)
        return _Patient(
            patient_id=_text(ds.get("PatientID"), "PatientID", _ID_LENGTH),
            patient_name=_text(ds.get("PatientName"), "PatientName", _NAME_LENGTH),
            patient_sex=cast(Sex, sex) if sex else None,
            patient_birth_date=birth_date
            and _bounded(bounds.check_date, "birth date", birth_date),
            institution=_text(ds.get("InstitutionName"), "InstitutionName", _NAME_LENGTH) or None,
            study_instance_uid=_text(ds.get("StudyInstanceUID"), "StudyInstanceUID", 64) or None,
            accession_number=_text(ds.get("AccessionNumber"), "AccessionNumber", 64) or None,
        )


def _load(source: Dataset | str | Path | BinaryIO) -> Dataset:
    if isinstance(source, Dataset):
        return source
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    shown = Word(N_("the file")) if name is None else str(name)
    try:
        return pydicom.dcmread(source)
    except InvalidDicomError:
        raise _refused(N_("{path} is not a DICOM file"), path=shown) from None
    except OSError as error:
        raise _refused(
            N_("cannot read {path}: {reason}"), path=shown, reason=error.strerror or str(error)
        ) from None


def read_rrdsr(
    source: Dataset | str | Path | BinaryIO, *, default_tz: datetime.tzinfo | None = None
) -> AdministrationRecord:
    """The administration reported by a Radiopharmaceutical Radiation Dose SR, any vendor.

    Parameters
    ----------
    source
        The SR: a pydicom dataset, a file path or a binary file.
    default_tz
        Time zone of date-times without offset in an SR without Timezone Offset From UTC
        (0008,0201), e.g. ``ZoneInfo("Asia/Almaty")``; if None, such an SR is refused.

    Returns
    -------
    AdministrationRecord
        The record, times in UTC, known codes as their current code and PS3.16 meaning;
        ``timezone_assumed`` names `default_tz` when a date-time was read in it.

    Raises
    ------
    RrdsrError
        If the source is not a DICOM file or not an RRDSR, has not exactly one
        administration, lacks a mandatory item (agent, radionuclide, event UID, start,
        activity), or holds a value nucmed cannot read (a unit); :class:`NoUtcOffsetError`
        for a date-time without offset when no `default_tz` is given.

    Examples
    --------
    >>> read_rrdsr(Dataset())
    Traceback (most recent call last):
    ...
    nucmed.interop.rrdsr.RrdsrError: not a Radiopharmaceutical Radiation Dose SR: ...
    """
    ds = _load(source)
    sop_class = str(ds.get("SOPClassUID", ""))
    if sop_class != RRDSR_SOP_CLASS_UID and _name(ds) not in _REPORT:
        raise _refused(
            N_(
                "not a Radiopharmaceutical Radiation Dose SR: {kind}; expected SOP class "
                "{expected} or a root (113500, DCM) container"
            )
            if sop_class
            else N_(
                "not a Radiopharmaceutical Radiation Dose SR: no SOP Class UID; expected SOP "
                "class {expected} or a root (113500, DCM) container"
            ),
            kind=pydicom.uid.UID(sop_class).name,
            expected=RRDSR_SOP_CLASS_UID,
        )
    return _Reader(ds, default_tz).record()
