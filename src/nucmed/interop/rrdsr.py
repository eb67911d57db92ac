"""Radiopharmaceutical Radiation Dose SR (RRDSR): one administration, written and read.

`write_rrdsr` turns an `AdministrationRecord` into a DICOM Radiopharmaceutical Radiation Dose SR
(SOP class 1.2.840.10008.5.1.4.1.1.88.68) built from highdicom's SR content items: the root
TID 10021 "Radiopharmaceutical Radiation Dose" [1]_ with Associated Procedure and Has Intent,
one TID 10022 "Radiopharmaceutical Administration Event Data" [2]_ and, when the record has a
sex, height or weight, TID 10024 "Imaging Agent Administration Patient Characteristics" [3]_.
Activity is written in MBq, as TID 10022 row 11 requires; inside nucmed it is in Bq.

`read_rrdsr` reads such an SR from a scanner, an injector or another hot-lab system. It accepts
SNOMED CT codes (SCT) and the retired SNOMED-RT style codes (SRT, also sent as SNM3 or 99SDM)
[4]_, turns the codes of ``nucmed/data/dicom_codes.csv`` into their current code and PS3.16
meaning, keeps unknown codes as sent, and takes optional items where it finds them: height and
weight from TID 10024 or the Patient Study module, an Effective Dose (113839, DCM) anywhere in
the administration (Siemens sends it in a private container). A date-time without an offset
takes the SR's Timezone Offset From UTC, else the `default_tz` given (the record then names it
in `AdministrationRecord.timezone_assumed`). Values read keep 12 significant digits, so that
MBq and mSv give back the becquerels and sieverts written.

Date-times are written as the consoles write them: in the local time of the site (the zone of
the record's start, or the `tz` given) with their offset, and the header's Timezone Offset From
UTC (0008,0201) [6]_; person names in DICOM's component form (``Family^Given``) [7]_. DCMTK's
``dsrdump`` (3.6.7) refuses a date-time with a ``+00xx`` offset although the standard allows it,
so an SR of a site at UTC is valid DICOM that this one tool does not read.

The Radiopharmaceutical Administration Event UID names the administration in every system that
reports it: the same administration read from the injector and from the scanner has the same
`AdministrationRecord.event_uid`, which is how a store avoids duplicates.

Effective dose is not a row of TID 10022; the template being extensible, nucmed writes it there
as a NUM (113839, DCM, "Effective Dose") in mSv after the template's own rows.

References
----------
.. [1] DICOM PS3.16 (2025b), TID 10021 "Radiopharmaceutical Radiation Dose".
.. [2] DICOM PS3.16 (2025b), TID 10022 "Radiopharmaceutical Administration Event Data";
   CID 25 and 4021 (agent), CID 18 and 4020 (radionuclide), CID 11 (route).
.. [3] DICOM PS3.16 (2025b), TID 10024 "Imaging Agent Administration Patient Characteristics".
.. [4] DICOM PS3.16 (2025b), section 8.3 "Retired Codes and Expected Behavior", and Annex O.
.. [5] DICOM PS3.3 (2025b), A.35.14 "Radiopharmaceutical Radiation Dose SR IOD".
.. [6] DICOM PS3.3 (2025b), C.12.1.1.8 "Timezone Offset From UTC"; PS3.5 6.2, VR DT.
.. [7] DICOM PS3.5 (2025b), 6.2.1 "Person Name (PN) Value Representation".
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final, Literal, TypedDict, TypeVar, cast, get_args

import highdicom as hd
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import ExplicitVRLittleEndian, RadiopharmaceuticalRadiationDoseSRStorage
from pydicom.valuerep import DA, DT

from nucmed import __version__, bounds, units
from nucmed.data import read_rows
from nucmed.errors import NucmedInputError, UnknownNuclideError
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "DIAGNOSTIC_INTENT", "NM_PROCEDURE", "RRDSR_SOP_CLASS_UID", "AdministrationRecord",
    "CodeKind", "Coded", "NoUtcOffsetError", "RrdsrError", "code_name", "lookup_code",
    "normalise_code", "person_name", "read_rrdsr", "write_rrdsr",
]  # fmt: skip

CodeKind = Literal["radionuclide", "radiopharmaceutical", "route"]
Sex = Literal["M", "F", "O"]
T = TypeVar("T")
RRDSR_SOP_CLASS_UID: Final = str(RadiopharmaceuticalRadiationDoseSRStorage)
_LEGACY_SNOMED: Final = frozenset({"SRT", "SNM3", "99SDM"})  # read as SRT [4]_
_DIGITS: Final = 12
_ID_LENGTH: Final = 64  # the store's columns: a patient's hospital number, an event UID
_NAME_LENGTH: Final = 200  # a patient's name, an institution
_UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")


class RrdsrError(NucmedInputError):
    """An RRDSR or administration record that nucmed cannot accept; says what is allowed."""


class NoUtcOffsetError(RrdsrError):
    """The SR's date-times have no UTC offset and no time zone was given to read them in."""


def person_name(name: str) -> str:
    """A name in DICOM's component form (PS3.5 6.2.1 [7]_): ``Family^Given Middle``.

    A name already in component form is kept; otherwise the first word is taken as the family
    name, as names are written in Kazakhstan and Kyrgyzstan; a name of one word gets a trailing
    caret (a family name alone, as PS3.5 6.2.1.2 asks).

    Examples
    --------
    >>> person_name("Ivanova Aigerim Serikovna"), person_name("Smith^John"), person_name("Cher")
    ('Ivanova^Aigerim Serikovna', 'Smith^John', 'Cher^')
    """
    text = " ".join(name.split())
    if "^" in name or not text:
        return name.strip()
    family, _, given = text.partition(" ")
    return f"{family}^{given}"


@dataclass(frozen=True, slots=True)
class Coded:
    """A coded concept: code value, coding scheme designator (``SCT``, ``DCM``) and meaning."""

    code: str
    scheme: str
    meaning: str

    def __post_init__(self) -> None:
        if not (self.code.strip() and self.scheme.strip()):
            raise RrdsrError(f"a code needs a code value and a coding scheme, got {self}")
        if len(self.meaning) > 64:  # noqa: PLR2004 - Code Meaning (0008,0104) is an LO
            raise RrdsrError(f"code meaning {self.meaning!r} is longer than 64 characters")


NM_PROCEDURE: Final = Coded("371572003", "SCT", "Nuclear medicine procedure")
"""Associated Procedure when the record names none (SNOMED CT, in PS3.16 CID 6028)."""
DIAGNOSTIC_INTENT: Final = Coded("261004008", "SCT", "Diagnostic Intent")
"""Has Intent when the record names none (PS3.16 CID 3629)."""


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    name: str
    spellings: frozenset[str]
    nuclide: str
    coded: Coded
    srt: str


@functools.cache
def _rows() -> tuple[_Row, ...]:
    """``dicom_codes.csv``, read once per process."""
    rows = []
    for r in read_rows("dicom_codes.csv"):
        spellings = {r["name"], *r["aliases"].split("|"), r["meaning"], r["code"], r["srt"]}
        coded = Coded(r["code"], r["scheme"], r["meaning"])
        spelt = frozenset(s.casefold() for s in spellings if s)
        rows.append(_Row(r["kind"], r["name"], spelt, r["nuclide"], coded, r["srt"]))
    return tuple(rows)


def _row(kind: str, coded: Coded) -> _Row | None:
    """The table row of a code, by its current code or by its retired SNOMED-RT style code."""
    legacy = coded.scheme.upper() in _LEGACY_SNOMED
    for row in _rows():
        current = (row.coded.scheme.upper(), row.coded.code) == (coded.scheme.upper(), coded.code)
        if row.kind == kind and (row.srt == coded.code if legacy else current):
            return row
    return None


def lookup_code(kind: CodeKind, text: str) -> Coded:
    """The DICOM code of a radionuclide, radiopharmaceutical or route named in text.

    Parameters
    ----------
    kind
        ``"radionuclide"``, ``"radiopharmaceutical"`` or ``"route"``.
    text
        A name, alias, code meaning or code value (current or SRT) from ``dicom_codes.csv``,
        in any case: ``"Tc-99m"``, ``"MDP"``, ``"Intravenous route"``, ``"G-D101"``.

    Returns
    -------
    Coded
        The current code (SNOMED CT where PS3.16 has one) with its PS3.16 meaning.

    Raises
    ------
    RrdsrError
        If the text names nothing of that kind; the message lists the names.

    Examples
    --------
    >>> lookup_code("route", "IV")
    Coded(code='47625008', scheme='SCT', meaning='Intravenous route')
    >>> lookup_code("radiopharmaceutical", "MDP").meaning
    'Technetium Tc^99m^ medronate'
    """
    rows = [row for row in _rows() if row.kind == kind]
    for row in rows:
        if text.strip().casefold() in row.spellings:
            return row.coded
    raise RrdsrError(f"unknown {kind} {text!r}; use one of {', '.join(r.name for r in rows)}")


def normalise_code(kind: CodeKind, coded: Coded) -> Coded:
    """A known code as its current code and PS3.16 meaning; an unknown code unchanged.

    Examples
    --------
    >>> normalise_code("route", Coded("G-D101", "SRT", "Intravenous"))
    Coded(code='47625008', scheme='SCT', meaning='Intravenous route')
    """
    row = _row(kind, coded)
    return coded if row is None else row.coded


def code_name(kind: CodeKind, coded: Coded) -> str:
    """The name nucmed shows for a code (``Tc-99m``, ``intravenous``), else its meaning.

    Examples
    --------
    >>> code_name("radionuclide", Coded("C-163A8", "SRT", "Technetium-99m"))
    'Tc-99m'
    """
    row = _row(kind, coded)
    return coded.meaning if row is None else row.name


@dataclass(frozen=True, slots=True)
class AdministrationRecord:
    """One radiopharmaceutical administration, as an RRDSR reports it. SI units; checked.

    Parameters
    ----------
    event_uid
        Radiopharmaceutical Administration Event UID (a DICOM UID): the same administration
        has the same UID in every system that reports it.
    radiopharmaceutical, radionuclide, route
        Codes, e.g. ``lookup_code("radiopharmaceutical", "FDG")``. The route may be None in a
        record read from a system that omits it; such a record cannot be written.
    administered_activity_bq
        Activity administered, at `start_datetime`, in becquerels (Bq); positive.
    start_datetime, end_datetime
        Start and (optional) end of the administration; timezone-aware.
    patient_id, patient_name
        Patient ID and name as DICOM writes them (``Family^Given``); may be empty.
    patient_sex
        ``"M"``, ``"F"``, ``"O"`` (other) or None.
    patient_birth_date
        Date of birth, or None.
    patient_weight_kg, patient_height_m
        Body weight in kilograms (kg) and height in metres (m), or None.
    effective_dose_sv
        Effective dose of the administration in sieverts (Sv), or None.
    institution
        Name of the site that administered it, or None.
    study_instance_uid, accession_number
        The imaging study and its accession number, or None (writing makes a new study).
    procedure, intent
        Associated Procedure (PS3.16 CID 3108, extensible) and Has Intent (CID 3629).
    timezone_assumed
        Read only: the time zone (IANA name) the SR's date-times without offset were read in,
        or None when they carried their offset. Never written.

    Raises
    ------
    RrdsrError
        If a UID is malformed, an amount is not positive and finite, a time is naive, the
        end precedes the start, the sex is not M, F or O, or the radiopharmaceutical of a
        known code is labelled with another nuclide than the radionuclide.
    """

    event_uid: str
    radiopharmaceutical: Coded
    radionuclide: Coded
    administered_activity_bq: float
    start_datetime: datetime.datetime
    route: Coded | None
    patient_id: str = ""
    patient_name: str = ""
    patient_sex: Sex | None = None
    patient_birth_date: datetime.date | None = None
    patient_weight_kg: float | None = None
    patient_height_m: float | None = None
    end_datetime: datetime.datetime | None = None
    effective_dose_sv: float | None = None
    institution: str | None = None
    study_instance_uid: str | None = None
    accession_number: str | None = None
    procedure: Coded = NM_PROCEDURE
    intent: Coded = DIAGNOSTIC_INTENT
    timezone_assumed: str | None = None

    def __post_init__(self) -> None:
        _check_uid("event_uid", self.event_uid)
        _check_uid("study_instance_uid", self.study_instance_uid)
        for name in ("administered_activity_bq", "patient_weight_kg", "patient_height_m"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise RrdsrError(f"{name} must be a positive finite number, got {value}")
        dose = self.effective_dose_sv
        if dose is not None and not (math.isfinite(dose) and dose >= 0):
            raise RrdsrError(f"effective_dose_sv must be a finite number >= 0, got {dose}")
        for name in ("start_datetime", "end_datetime"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise RrdsrError(f"{name} needs a UTC offset, e.g. 2026-11-22T09:30+05:00")
        if self.end_datetime is not None and self.end_datetime < self.start_datetime:
            raise RrdsrError("end_datetime is before start_datetime")
        if self.patient_sex is not None and self.patient_sex not in get_args(Sex):
            raise RrdsrError(f"patient_sex {self.patient_sex!r}: use M, F or O")
        agent = _row("radiopharmaceutical", self.radiopharmaceutical)
        nuclide = _row("radionuclide", self.radionuclide)
        if agent is not None and nuclide is not None and agent.nuclide != nuclide.nuclide:
            raise RrdsrError(f"{agent.name} is labelled with {agent.nuclide}, not {nuclide.name}")


def _check_uid(name: str, uid: str | None) -> None:
    if uid is not None and not (len(uid) <= 64 and _UID.fullmatch(uid)):  # noqa: PLR2004
        raise RrdsrError(f"{name} {uid!r} is not a DICOM UID: digits and dots, at most 64")


# --- writing ---------------------------------------------------------------------------------


def _c(code: str, scheme: str, meaning: str | None = None) -> hd.sr.CodedConcept:
    return hd.sr.CodedConcept(code, scheme, code if meaning is None else meaning)


def _code(coded: Coded) -> hd.sr.CodedConcept:
    return hd.sr.CodedConcept(coded.code, coded.scheme, coded.meaning)


def _num(name: hd.sr.CodedConcept, value: float, unit: str, relation: str) -> hd.sr.ContentItem:
    return hd.sr.NumContentItem(name, value, _c(unit, "UCUM"), relationship_type=relation)


def _with(item: hd.sr.ContentItem, *children: hd.sr.ContentItem) -> hd.sr.ContentItem:
    item.ContentSequence = hd.sr.ContentSequence(list(children))
    return item


def _container(
    code: str, meaning: str, template: str, items: list[hd.sr.ContentItem], root: bool = False
) -> hd.sr.ContentItem:
    relation = None if root else "CONTAINS"
    container = hd.sr.ContainerContentItem(_c(code, "DCM", meaning), True, template, relation)
    return _with(container, *items)


def _half_life_s(record: AdministrationRecord) -> float:
    """ICRP-107 half-life of the radionuclide (TID 10022 row 4), known by either code."""
    for kind, coded in (("radionuclide", record.radionuclide),
                        ("radiopharmaceutical", record.radiopharmaceutical)):  # fmt: skip
        row = _row(kind, coded)
        if row is not None and row.nuclide:
            return get_nuclide(row.nuclide).half_life_s
    try:
        return get_nuclide(record.radionuclide.meaning).half_life_s
    except UnknownNuclideError:
        raise RrdsrError(
            f"radionuclide {record.radionuclide} has no known half-life (TID 10022 row 4); "
            "use a code of dicom_codes.csv"
        ) from None


def _event(record: AdministrationRecord, zone: datetime.tzinfo) -> hd.sr.ContentItem:
    """TID 10022 [2]_: the administration, its rows in the template's order."""
    if record.route is None:
        raise RrdsrError("the record has no route of administration (TID 10022 row 20)")
    agent = _with(
        hd.sr.CodeContentItem(_c("349358000", "SCT", "Radiopharmaceutical agent"),
                              _code(record.radiopharmaceutical), "CONTAINS"),
        hd.sr.CodeContentItem(_c("89457008", "SCT", "Radionuclide"), _code(record.radionuclide),
                              "HAS PROPERTIES"),
        _num(_c("304283002", "SCT", "Radionuclide Half Life"), _half_life_s(record), "s",
             "HAS PROPERTIES"),
    )  # fmt: skip
    uid = _c("113503", "DCM", "Radiopharmaceutical Administration Event UID")
    items = [agent, hd.sr.UIDRefContentItem(uid, record.event_uid, "CONTAINS")]
    for code, meaning, moment in (
        ("123003", "Radiopharmaceutical Start DateTime", record.start_datetime),
        ("123004", "Radiopharmaceutical Stop DateTime", record.end_datetime),
    ):
        if moment is not None:
            name = _c(code, "DCM", meaning)
            items.append(hd.sr.DateTimeContentItem(name, _local(moment, zone), "CONTAINS"))
    activity_mbq = record.administered_activity_bq / units.BQ_PER_MBQ
    items.append(_num(_c("113507", "DCM", "Administered activity"), activity_mbq, "MBq",
                      "CONTAINS"))  # fmt: skip
    route = _c("410675002", "SCT", "Route of administration")
    items.append(hd.sr.CodeContentItem(route, _code(record.route), "CONTAINS"))
    if record.effective_dose_sv is not None:
        dose_msv = record.effective_dose_sv * (1 / units.SV_PER_MSV)
        items.append(_num(_c("113839", "DCM", "Effective Dose"), dose_msv, "mSv", "CONTAINS"))
    return _container("113502", "Radiopharmaceutical Administration", "10022", items)


_SEX_CODES: Final = {"M": ("M", "Male"), "F": ("F", "Female"), "O": ("121102", "Other sex")}


def _patient(record: AdministrationRecord) -> list[hd.sr.ContentItem]:
    """TID 10024 [3]_ with sex, height and weight, if the record has any of them."""
    items: list[hd.sr.ContentItem] = []
    if record.patient_sex is not None:
        code, meaning = _SEX_CODES[record.patient_sex]
        value = _c(code, "DCM", meaning)
        items.append(hd.sr.CodeContentItem(_c("121032", "DCM", "Subject Sex"), value, "CONTAINS"))
    for value_si, code, meaning, unit in (
        (record.patient_height_m, "8302-2", "Patient Height", "m"),
        (record.patient_weight_kg, "29463-7", "Patient Weight", "kg"),
    ):
        if value_si is not None:
            items.append(_num(_c(code, "LN", meaning), value_si, unit, "CONTAINS"))
    return [_container("121118", "Patient Characteristics", "10024", items)] if items else []


def _local(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    return moment.astimezone(zone)


def _offset(moment: datetime.datetime) -> str:
    """Timezone Offset From UTC (0008,0201) of an aware moment: ``+0500``, ``-0330``."""
    minutes = round(cast(datetime.timedelta, moment.utcoffset()).total_seconds() / 60)
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _da(date: datetime.date | None) -> str | None:
    return None if date is None else f"{date:%Y%m%d}"


def write_rrdsr(  # noqa: PLR0913 - keyword-only header options
    record: AdministrationRecord,
    *,
    series_instance_uid: str | None = None,
    sop_instance_uid: str | None = None,
    created: datetime.datetime | None = None,
    device_serial_number: str = "0",
    tz: datetime.tzinfo | None = None,
) -> Dataset:
    """A Radiopharmaceutical Radiation Dose SR of one administration (TID 10021 [1]_).

    Parameters
    ----------
    record
        The administration; it needs a route, and a radionuclide whose half-life is known.
    series_instance_uid, sop_instance_uid
        UIDs of the SR's series and of the SR; newly generated ones if None.
    created
        When the SR is made (Content Date and Time); now if None.
    device_serial_number
        Device Serial Number of the Enhanced General Equipment module [5]_.
    tz
        Time zone the date-times are written in, with their offset (the site's, e.g.
        ``ZoneInfo("Asia/Almaty")``); the zone of the record's start if None.

    Returns
    -------
    pydicom.dataset.Dataset
        The SR in UTF-8 (ISO_IR 192) with its file meta; ``dataset.save_as(path)`` writes it.

    Raises
    ------
    RrdsrError
        If the record has no route or a radionuclide of unknown half-life, or a UID given is
        malformed.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> record = AdministrationRecord(
    ...     "2.25.1", lookup_code("radiopharmaceutical", "MDP"), lookup_code("radionuclide",
    ...     "Tc-99m"), 7.4e8, datetime(2026, 11, 22, 4, 30, tzinfo=UTC), lookup_code("route",
    ...     "IV"), patient_id="P123", study_instance_uid="2.25.2")
    >>> sr = write_rrdsr(record)
    >>> sr.SOPClassUID == RRDSR_SOP_CLASS_UID, read_rrdsr(sr) == record
    (True, True)
    """
    _check_uid("series_instance_uid", series_instance_uid)
    _check_uid("sop_instance_uid", sop_instance_uid)
    zone = tz or cast(datetime.tzinfo, record.start_datetime.tzinfo)
    made = _local(created or datetime.datetime.now(datetime.UTC), zone)
    start = _local(record.start_datetime, zone)
    procedure = _with(
        hd.sr.CodeContentItem(_c("363589002", "SCT", "Associated Procedure"),
                              _code(record.procedure), "HAS CONCEPT MOD"),
        hd.sr.CodeContentItem(_c("363703001", "SCT", "Has Intent"), _code(record.intent),
                              "HAS CONCEPT MOD"),
    )  # fmt: skip
    items = [procedure, _event(record, zone), *_patient(record)]
    root = _container("113500", "Radiopharmaceutical Radiation Dose Report", "10021", items, True)
    sr = hd.SOPClass(
        study_instance_uid=record.study_instance_uid or hd.UID(),
        series_instance_uid=series_instance_uid or hd.UID(), series_number=1,
        sop_instance_uid=sop_instance_uid or hd.UID(), sop_class_uid=RRDSR_SOP_CLASS_UID,
        instance_number=1, modality="SR", manufacturer="nucmed",
        transfer_syntax_uid=ExplicitVRLittleEndian, patient_id=record.patient_id,
        patient_name=person_name(record.patient_name), patient_sex=record.patient_sex or "",
        patient_birth_date=_da(record.patient_birth_date),
        accession_number=record.accession_number, study_date=start.date(),
        study_time=start.time(), manufacturer_model_name="nucmed",
        software_versions=__version__, device_serial_number=device_serial_number,
        institution_name=record.institution, content_date=made.date(),
        content_time=made.time(), specific_character_set="ISO_IR 192",
    )  # fmt: skip
    sr.TimezoneOffsetFromUTC = _offset(start)
    if record.patient_weight_kg is not None:
        sr.PatientWeight = record.patient_weight_kg
    if record.patient_height_m is not None:
        sr.PatientSize = record.patient_height_m
    sr.CompletionFlag, sr.VerificationFlag = "COMPLETE", "UNVERIFIED"
    sr.PerformedProcedureCodeSequence = []
    sr.ReferencedPerformedProcedureStepSequence = []
    for tag, element in root.items():
        sr[tag] = element
    return sr


# --- reading ---------------------------------------------------------------------------------

Names = frozenset[tuple[str, str]]
# Concept names, each with the retired SNOMED-RT style codes that devices still send [4]_.
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
        raise RrdsrError(f"{what} in the SR: {error}") from None
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
        raise RrdsrError(f"the SR's Radiopharmaceutical Administration has no {what}")
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
            raise RrdsrError(
                f"the SR has {len(events)} Radiopharmaceutical Administration (113502, DCM) "
                "containers; nucmed reads SRs with exactly one"
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
        start = _required(self.moment(_first(event, _START)), "Start DateTime")
        return AdministrationRecord(
            event_uid=_required(uid, "Event UID (113503, DCM)"),
            radiopharmaceutical=self.code("radiopharmaceutical", agent),
            radionuclide=self.code("radionuclide", nuclide),
            administered_activity_bq=_required(
                _si(_first(event, _ACTIVITY), "MBq", units.parse_activity, "activity"),
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
        return normalise_code(kind, _required(_coded(item), f"{kind} code"))

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
            raise RrdsrError(f"{text!r} in the SR is not a DICOM date-time") from None
        if moment.tzinfo is None:
            if self.default_tz is None:
                raise NoUtcOffsetError(
                    f"the SR's date-time {text} has no UTC offset; give the time zone it was "
                    "written in (e.g. --tz Asia/Almaty)"
                )
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
            raise RrdsrError(f"PatientBirthDate {birth!r} is not a DICOM date") from None
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
    shown = source if isinstance(source, str | Path) else getattr(source, "name", "the file")
    try:
        return pydicom.dcmread(source)
    except InvalidDicomError:
        raise RrdsrError(f"{shown} is not a DICOM file") from None
    except OSError as error:
        raise RrdsrError(f"cannot read {shown}: {error.strerror or error}") from None


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
        kind = pydicom.uid.UID(sop_class).name if sop_class else "no SOP Class UID"
        raise RrdsrError(
            f"not a Radiopharmaceutical Radiation Dose SR: {kind}; expected SOP class "
            f"{RRDSR_SOP_CLASS_UID} or a root (113500, DCM) container"
        )
    return _Reader(ds, default_tz).record()
