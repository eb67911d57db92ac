"""Radiopharmaceutical Radiation Dose SR (RRDSR): one administration, its codes, written.

`write_rrdsr` turns an `AdministrationRecord` into a DICOM Radiopharmaceutical Radiation Dose SR
(SOP class 1.2.840.10008.5.1.4.1.1.88.68) built from highdicom's SR content items: the root
TID 10021 "Radiopharmaceutical Radiation Dose" [1]_ with Associated Procedure and Has Intent,
one TID 10022 "Radiopharmaceutical Administration Event Data" [2]_ and, when the record has a
sex, height or weight, TID 10024 "Imaging Agent Administration Patient Characteristics" [3]_.
Activity is written in MBq, as TID 10022 row 11 requires; inside nucmed it is in Bq.

Such an SR is read by :func:`nucmed.interop.rrdsr_reading.read_rrdsr`. The codes of
``nucmed/data/dicom_codes.csv`` are known by their current code (SNOMED CT where PS3.16 has one)
and by the retired SNOMED-RT style codes (SRT, also sent as SNM3 or 99SDM) [4]_.

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
from dataclasses import dataclass
from typing import Final, Literal, cast, get_args

import highdicom as hd
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, RadiopharmaceuticalRadiationDoseSRStorage

from nucmed import __version__, bounds, units
from nucmed.data import read_rows
from nucmed.errors import N_, Amount, Moment, NucmedInputError, UnknownNuclideError
from nucmed.physics.nuclides import get_nuclide

__all__ = [
    "DIAGNOSTIC_INTENT", "NM_PROCEDURE", "RRDSR_SOP_CLASS_UID", "AdministrationRecord",
    "CodeKind", "Coded", "RrdsrError", "code_name", "lookup_code", "normalise_code",
    "person_name", "write_rrdsr",
]  # fmt: skip

CodeKind = Literal["radionuclide", "radiopharmaceutical", "route"]
Sex = Literal["M", "F", "O"]
RRDSR_SOP_CLASS_UID: Final = str(RadiopharmaceuticalRadiationDoseSRStorage)
_LEGACY_SNOMED: Final = frozenset({"SRT", "SNM3", "99SDM"})  # read as SRT [4]_
_UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")


class RrdsrError(NucmedInputError):
    """An RRDSR or administration record that nucmed cannot accept; says what is allowed."""


def _refused(template: str, **values: object) -> RrdsrError:
    """An RRDSR error made of one template marked with ``N_`` and its values (DICOM codes,
    keywords and concept names are kept as they are in every language)."""
    return RrdsrError(parts=((template, values),))


def _quoted(text: str) -> str:
    """Text for quoting in a one-line message: control characters escaped, as ``repr`` does."""
    return repr(text)[1:-1]


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
            raise _refused(
                N_("a code needs a code value and a coding scheme, got {code}"), code=str(self)
            )
        if len(self.meaning) > 64:  # noqa: PLR2004 - Code Meaning (0008,0104) is an LO
            raise _refused(
                N_("code meaning '{meaning}' is longer than 64 characters"),
                meaning=_quoted(self.meaning),
            )


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


_UNKNOWN: Final[dict[CodeKind, str]] = {
    "radionuclide": N_("unknown radionuclide '{text}'; use one of {names}"),
    "radiopharmaceutical": N_("unknown radiopharmaceutical '{text}'; use one of {names}"),
    "route": N_("unknown route '{text}'; use one of {names}"),
}


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
    raise _refused(_UNKNOWN[kind], text=_quoted(text), names=", ".join(r.name for r in rows))


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
        for name, unit in (("administered_activity_bq", "Bq"), ("patient_weight_kg", "kg"),
                           ("patient_height_m", None)):  # fmt: skip
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise _refused(
                    N_("{name} must be a positive finite number, got {value}"),
                    name=name,
                    value=bounds.number(value) if unit is None else Amount(value, unit),
                )
        dose = self.effective_dose_sv
        if dose is not None and not (math.isfinite(dose) and dose >= 0):
            raise _refused(
                N_("effective_dose_sv must be a finite number >= 0, got {value}"),
                value=bounds.number(dose),
            )
        for name in ("start_datetime", "end_datetime"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise _refused(
                    N_("{name} needs a UTC offset, e.g. 2026-11-22T09:30+05:00"), name=name
                )
        if self.end_datetime is not None and self.end_datetime < self.start_datetime:
            raise _refused(
                N_("end_datetime {end} is before start_datetime {start}"),
                end=Moment(self.end_datetime),
                start=Moment(self.start_datetime),
            )
        if self.patient_sex is not None and self.patient_sex not in get_args(Sex):
            raise _refused(N_("patient_sex '{sex}': use M, F or O"), sex=_quoted(self.patient_sex))
        agent = _row("radiopharmaceutical", self.radiopharmaceutical)
        nuclide = _row("radionuclide", self.radionuclide)
        if agent is not None and nuclide is not None and agent.nuclide != nuclide.nuclide:
            raise _refused(
                N_("{agent} is labelled with {nuclide}, not {given}"),
                agent=agent.name,
                nuclide=agent.nuclide,
                given=nuclide.name,
            )


def _check_uid(name: str, uid: str | None) -> None:
    if uid is not None and not (len(uid) <= 64 and _UID.fullmatch(uid)):  # noqa: PLR2004
        raise _refused(
            N_("{name} '{uid}' is not a DICOM UID: digits and dots, at most 64"),
            name=name,
            uid=_quoted(uid),
        )


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
        raise _refused(
            N_(
                "radionuclide {code} has no known half-life (TID 10022 row 4); use a code of "
                "dicom_codes.csv"
            ),
            code=str(record.radionuclide),
        ) from None


def _event(record: AdministrationRecord, zone: datetime.tzinfo) -> hd.sr.ContentItem:
    """TID 10022 [2]_: the administration, its rows in the template's order."""
    if record.route is None:
        raise _refused(N_("the record has no route of administration (TID 10022 row 20)"))
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
    >>> from nucmed.interop.rrdsr_reading import read_rrdsr
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
