"""FHIR R4 resources of an administration: a Radiation Dose Summary and a MedicationAdministration.

Both are plain dicts, ready for ``json.dumps``: nucmed only writes these two resources, and a
FHIR model library (fhir.resources) would add pydantic models at import for no gain here; the
tests validate the output with it.

`observation_dose_summary` follows the Observation profile of the HL7 "Radiation Dose Summary
for Diagnostic Procedures on FHIR" implementation guide (1.0.0, STU 1) [1]_: code LOINC 73569-6,
the administration's start as ``effectiveDateTime``, a ``valueString`` summary, and the
components of its value set for nuclear medicine [2]_: Procedure reported (DCM 121058) =
Radiopharmaceutical Administration (DCM 113502), Administered activity (DCM 113507) in MBq,
Radiopharmaceutical agent (SCT 349358000), Radionuclide (SCT 89457008), Route of
administration (SCT 410675002); and, where the record has one, Effective Dose (DCM 113839) in
mSv (the value set is extensible). The profile requires the imaging study (``partOf`` and
``focus``) and the authorizing practitioner (``performer``): they are written when the record
has a Study Instance UID and a performer reference is given, and left out otherwise.

`medication_administration` is a FHIR R4 MedicationAdministration [3]_: the radiopharmaceutical
as ``medicationCodeableConcept``, the event UID as identifier, ``effectiveDateTime`` or
``effectivePeriod``, and ``dosage`` with route and dose in MBq (UCUM ``MBq``) [4]_.

Codes keep their DICOM coding scheme: SCT is ``http://snomed.info/sct``, DCM is
``http://dicom.nema.org/resources/ontology/DCM``, LN is LOINC, NCIt and UMLS their HL7
terminology URIs [5]_; a code of another scheme is written as text only.

References
----------
.. [1] HL7 International, Radiation Dose Summary for Diagnostic Procedures on FHIR 1.0.0,
   profile RadiationDoseSummary,
   http://hl7.org/fhir/uv/radiation-dose-summary/StructureDefinition/radiation-dose-summary
.. [2] Same guide, value set component-radiation-dose-summary-vs and example
   Observation/RadiationDoseSummary-122 (154 MBq ioflupane I-123),
   https://build.fhir.org/ig/HL7/fhir-radiation-dose-summary-ig/Observation-122.html
.. [3] HL7 FHIR R4 (4.0.1), MedicationAdministration,
   https://hl7.org/fhir/R4/medicationadministration.html
.. [4] Regenstrief Institute, The Unified Code for Units of Measure (UCUM),
   http://unitsofmeasure.org: ``MBq``, ``mSv``.
.. [5] HL7 Terminology (THO): NCI Thesaurus http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl,
   UMLS http://terminology.hl7.org/CodeSystem/umls.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from nucmed import units
from nucmed.interop.rrdsr import AdministrationRecord, Coded, CodeKind, code_name

__all__ = [
    "CODE_SYSTEMS", "DOSE_SUMMARY_PROFILE", "UCUM", "medication_administration",
    "observation_dose_summary",
]  # fmt: skip

DOSE_SUMMARY_PROFILE: Final = (
    "http://hl7.org/fhir/uv/radiation-dose-summary/StructureDefinition/radiation-dose-summary"
)
UCUM: Final = "http://unitsofmeasure.org"
DCM: Final = "http://dicom.nema.org/resources/ontology/DCM"
SNOMED: Final = "http://snomed.info/sct"
CODE_SYSTEMS: Final = {
    "SCT": SNOMED, "DCM": DCM, "LN": "http://loinc.org",
    "NCIt": "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl",
    "UMLS": "http://terminology.hl7.org/CodeSystem/umls",
}  # fmt: skip
"""FHIR code system URI of each DICOM coding scheme designator nucmed writes."""
_ID_TYPES: Final = "http://hl7.org/fhir/uv/radiation-dose-summary/CodeSystem/dicom-identifier-type"
_V2_0203: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
_DIGITS: Final = 12

Json = dict[str, Any]


def _concept(kind: CodeKind | None, coded: Coded) -> Json:
    """A CodeableConcept: the code where its scheme has a FHIR URI, and its name as text."""
    concept: Json = {}
    system = CODE_SYSTEMS.get(coded.scheme)
    if system is not None:
        concept["coding"] = [{"system": system, "code": coded.code, "display": coded.meaning}]
    concept["text"] = code_name(kind, coded) if kind is not None else coded.meaning
    return concept


def _quantity(value: float, unit: str) -> Json:
    return {"value": float(f"{value:.{_DIGITS}g}"), "unit": unit, "system": UCUM, "code": unit}


def _mbq(record: AdministrationRecord) -> Json:
    return _quantity(record.administered_activity_bq / units.BQ_PER_MBQ, "MBq")


def _instant(moment: datetime.datetime) -> str:
    """FHIR dateTime: ISO 8601 with seconds and the UTC offset."""
    return moment.astimezone(datetime.UTC).isoformat()


def _urn(uid: str) -> str:
    return f"urn:oid:{uid}"


def _dicom_id(kind: str, display: str, uid: str) -> Json:
    return {
        "type": {"coding": [{"system": _ID_TYPES, "code": kind, "display": display}]},
        "system": "urn:dicom:uid", "value": _urn(uid),
    }  # fmt: skip


def _subject(record: AdministrationRecord, patient_reference: str | None) -> Json:
    """A literal reference if given, else a logical one by the patient ID."""
    subject: Json = {"reference": patient_reference} if patient_reference else {"type": "Patient"}
    if not patient_reference and record.patient_id:
        subject["identifier"] = {"value": record.patient_id}
    if record.patient_name:
        subject["display"] = " ".join(part for part in record.patient_name.split("^") if part)
    return subject


def _component(code: Json, **value: Json) -> Json:
    return {"code": code, **value}


def _summary(record: AdministrationRecord) -> str:
    agent = code_name("radiopharmaceutical", record.radiopharmaceutical)
    text = f"Administered activity = {_mbq(record)['value']:g} MBq {agent}"
    if record.effective_dose_sv is not None:
        text += f"; effective dose = {record.effective_dose_sv / units.SV_PER_MSV:.3g} mSv"
    return text


def observation_dose_summary(
    record: AdministrationRecord,
    *,
    patient_reference: str | None = None,
    performer_reference: str | None = None,
    sr_instance_uid: str | None = None,
    resource_id: str | None = None,
) -> Json:
    """The administration as a FHIR R4 Observation of the Radiation Dose Summary profile [1]_.

    Parameters
    ----------
    record
        The administration.
    patient_reference
        Literal reference to the Patient, e.g. ``"Patient/56"``; if None, a logical reference
        by the record's patient ID.
    performer_reference
        Reference to the Practitioner who authorized the irradiation (the profile's
        ``performer``, 1..1), e.g. ``"Practitioner/33"``; left out if None.
    sr_instance_uid
        SOP Instance UID of the RRDSR the summary comes from, if any.
    resource_id
        The resource's ``id``, if it has one.

    Returns
    -------
    dict
        The Observation as JSON-ready data; quantities with UCUM units.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from nucmed.interop.rrdsr import lookup_code
    >>> record = AdministrationRecord(
    ...     "2.25.7", lookup_code("radiopharmaceutical", "ioflupane"),
    ...     lookup_code("radionuclide", "I-123"), 1.54e8,
    ...     datetime(2019, 1, 23, 12, 0, 30, tzinfo=UTC), lookup_code("route", "IV"),
    ...     patient_id="PAT3421")
    >>> observation = observation_dose_summary(record)
    >>> observation["valueString"]
    'Administered activity = 154 MBq I-123 ioflupane (DaTSCAN)'
    >>> observation["component"][1]["valueQuantity"]
    {'value': 154.0, 'unit': 'MBq', 'system': 'http://unitsofmeasure.org', 'code': 'MBq'}
    """
    identifiers = [_dicom_id("irradiation-event-uid", "Irradiation Event UID", record.event_uid)]
    if sr_instance_uid is not None:
        identifiers.append(_dicom_id("sop-instance-uid", "SOP Instance UID", sr_instance_uid))
    observation: Json = {"resourceType": "Observation"}
    if resource_id is not None:
        observation["id"] = resource_id
    observation |= {"meta": {"profile": [DOSE_SUMMARY_PROFILE]}, "identifier": identifiers}
    if record.accession_number:
        accession = {"type": {"coding": [{"system": _V2_0203, "code": "ACSN"}]},
                     "value": record.accession_number}  # fmt: skip
        observation["basedOn"] = [{"type": "ServiceRequest", "identifier": accession}]
    if record.study_instance_uid:
        study = {"type": "ImagingStudy", "identifier": _dicom_id(
            "study-instance-uid", "Study Instance UID", record.study_instance_uid)}  # fmt: skip
        observation |= {"partOf": [study], "focus": [study]}
    observation |= {
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "73569-6", "display":
                 "Radiation exposure and protection information [Description] Document "
                 "Diagnostic imaging"}]},
        "subject": _subject(record, patient_reference),
        "effectiveDateTime": _instant(record.start_datetime),
    }  # fmt: skip
    if performer_reference is not None:
        observation["performer"] = [{"reference": performer_reference}]
    observation["valueString"] = _summary(record)
    observation["component"] = _components(record)
    return observation


def _components(record: AdministrationRecord) -> list[Json]:
    """The nuclear-medicine components of the dose summary [2]_."""
    administration = Coded("113502", "DCM", "Radiopharmaceutical Administration")
    components = [
        _component(_concept(None, Coded("121058", "DCM", "Procedure reported")),
                   valueCodeableConcept=_concept(None, administration)),
        _component(_concept(None, Coded("113507", "DCM", "Administered activity")),
                   valueQuantity=_mbq(record)),
        _component(_concept(None, Coded("349358000", "SCT", "Radiopharmaceutical agent")),
                   valueCodeableConcept=_concept("radiopharmaceutical",
                                                 record.radiopharmaceutical)),
        _component(_concept(None, Coded("89457008", "SCT", "Radionuclide")),
                   valueCodeableConcept=_concept("radionuclide", record.radionuclide)),
    ]  # fmt: skip
    if record.route is not None:
        components.append(_component(
            _concept(None, Coded("410675002", "SCT", "Route of administration")),
            valueCodeableConcept=_concept("route", record.route)))  # fmt: skip
    if record.effective_dose_sv is not None:
        dose = _quantity(record.effective_dose_sv / units.SV_PER_MSV, "mSv")
        components.append(_component(_concept(None, Coded("113839", "DCM", "Effective Dose")),
                                     valueQuantity=dose))  # fmt: skip
    return components


def medication_administration(
    record: AdministrationRecord,
    *,
    patient_reference: str | None = None,
    performer_reference: str | None = None,
    resource_id: str | None = None,
) -> Json:
    """The administration as a FHIR R4 MedicationAdministration [3]_.

    Parameters
    ----------
    record
        The administration.
    patient_reference
        Literal reference to the Patient, e.g. ``"Patient/56"``; if None, a logical reference
        by the record's patient ID.
    performer_reference
        Reference to who administered it (``performer.actor``), e.g. ``"Practitioner/33"``.
    resource_id
        The resource's ``id``, if it has one.

    Returns
    -------
    dict
        The MedicationAdministration as JSON-ready data; the dose in MBq (UCUM).

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from nucmed.interop.rrdsr import lookup_code
    >>> record = AdministrationRecord(
    ...     "2.25.8", lookup_code("radiopharmaceutical", "FDG"),
    ...     lookup_code("radionuclide", "F-18"), 3.7e8,
    ...     datetime(2026, 11, 22, 4, 30, tzinfo=UTC), lookup_code("route", "IV"),
    ...     patient_id="P123")
    >>> resource = medication_administration(record)
    >>> resource["dosage"]["dose"], resource["effectiveDateTime"]
    ({'value': 370.0, 'unit': 'MBq', 'system': 'http://unitsofmeasure.org', 'code': 'MBq'}, \
'2026-11-22T04:30:00+00:00')
    """
    resource: Json = {"resourceType": "MedicationAdministration"}
    if resource_id is not None:
        resource["id"] = resource_id
    resource |= {
        "identifier": [{"system": "urn:dicom:uid", "value": _urn(record.event_uid)}],
        "status": "completed",
        "medicationCodeableConcept": _concept("radiopharmaceutical", record.radiopharmaceutical),
        "subject": _subject(record, patient_reference),
    }
    if record.end_datetime is None:
        resource["effectiveDateTime"] = _instant(record.start_datetime)
    else:
        resource["effectivePeriod"] = {
            "start": _instant(record.start_datetime), "end": _instant(record.end_datetime),
        }  # fmt: skip
    if performer_reference is not None:
        resource["performer"] = [{"actor": {"reference": performer_reference}}]
    dosage: Json = {"text": f"{_mbq(record)['value']:g} MBq"}
    if record.route is not None:
        dosage["route"] = _concept("route", record.route)
    dosage["dose"] = _mbq(record)
    resource["dosage"] = dosage
    return resource
