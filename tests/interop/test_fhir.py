"""FHIR R4 resources of an administration: structure, codes, UCUM units, values.

Kinds of expected value: **analytic** (what each element must hold follows from the record:
370 MBq from 3.7e8 Bq) and **published** (the HL7 Radiation Dose Summary IG 1.0.0: profile URL,
LOINC 73569-6, component codes, and its example Observation/RadiationDoseSummary-122 of 154 MBq
ioflupane I-123). Each resource is also validated with fhir.resources (FHIR R4B models, whose
Observation and MedicationAdministration are those of R4).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation

from nucmed.interop.fhir import (
    CODE_SYSTEMS,
    DOSE_SUMMARY_PROFILE,
    UCUM,
    medication_administration,
    observation_dose_summary,
)
from nucmed.interop.rrdsr import AdministrationRecord, Coded, lookup_code

T0 = datetime(2026, 11, 22, 4, 30, tzinfo=UTC)
SCT, DCM = "http://snomed.info/sct", "http://dicom.nema.org/resources/ontology/DCM"


def make_record(**changes: Any) -> AdministrationRecord:
    fields: dict[str, Any] = {
        "event_uid": "2.25.1001",
        "radiopharmaceutical": lookup_code("radiopharmaceutical", "FDG"),
        "radionuclide": lookup_code("radionuclide", "F-18"),
        "administered_activity_bq": 3.7e8,
        "start_datetime": T0,
        "route": lookup_code("route", "IV"),
        "patient_id": "KZ-000123",
        "patient_name": "Ахметова^Айгуль",
        "study_instance_uid": "2.25.2002",
        "accession_number": "ACC-77",
        "effective_dose_sv": 7.03e-3,
    }
    fields.update(changes)
    return AdministrationRecord(**fields)


def components(observation: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (c["code"]["coding"][0]["system"], c["code"]["coding"][0]["code"]): c
        for c in observation["component"]
    }


class TestDoseSummaryPublished:
    """The Observation of the Radiation Dose Summary profile (HL7 IG 1.0.0)."""

    def test_profile_code_status(self) -> None:
        observation = observation_dose_summary(make_record())
        assert observation["resourceType"] == "Observation"
        assert observation["meta"]["profile"] == [
            "http://hl7.org/fhir/uv/radiation-dose-summary/StructureDefinition/radiation-dose-summary"
        ]
        assert DOSE_SUMMARY_PROFILE == observation["meta"]["profile"][0]
        assert observation["code"]["coding"][0] | {"display": ""} == {
            "system": "http://loinc.org", "code": "73569-6", "display": "",
        }  # fmt: skip
        assert observation["status"] == "final"
        assert observation["effectiveDateTime"] == "2026-11-22T04:30:00+00:00"
        assert "value" not in observation and isinstance(observation["valueString"], str)

    def test_component_codes(self) -> None:
        found = set(components(observation_dose_summary(make_record())))
        assert found == {
            (DCM, "121058"), (DCM, "113507"), (SCT, "349358000"), (SCT, "89457008"),
            (SCT, "410675002"), (DCM, "113839"),
        }  # fmt: skip

    def test_ig_example_122(self) -> None:
        """IG example Observation/RadiationDoseSummary-122: 154 MBq ioflupane (I-123)."""
        record = make_record(
            radiopharmaceutical=lookup_code("radiopharmaceutical", "ioflupane"),
            radionuclide=lookup_code("radionuclide", "I-123"),
            administered_activity_bq=154e6, effective_dose_sv=None,
            start_datetime=datetime(2019, 1, 23, 12, 0, 30, tzinfo=UTC),
        )  # fmt: skip
        found = components(observation_dose_summary(record))
        assert found[(DCM, "121058")]["valueCodeableConcept"]["coding"][0]["code"] == "113502"
        assert found[(DCM, "113507")]["valueQuantity"]["value"] == 154
        assert found[(DCM, "113507")]["valueQuantity"]["unit"] == "MBq"
        agent = found[(SCT, "349358000")]["valueCodeableConcept"]["coding"][0]
        assert (agent["system"], agent["code"]) == (SCT, "429296007")
        assert (DCM, "113839") not in found


class TestDoseSummaryAnalytic:
    def test_quantities_in_ucum(self) -> None:
        found = components(observation_dose_summary(make_record()))
        assert found[(DCM, "113507")]["valueQuantity"] == {
            "value": 370.0, "unit": "MBq", "system": UCUM, "code": "MBq",
        }  # fmt: skip
        assert found[(DCM, "113839")]["valueQuantity"] == {
            "value": 7.03, "unit": "mSv", "system": "http://unitsofmeasure.org", "code": "mSv",
        }  # fmt: skip

    def test_codes_and_names(self) -> None:
        found = components(observation_dose_summary(make_record()))
        nuclide = found[(SCT, "89457008")]["valueCodeableConcept"]
        assert nuclide == {
            "coding": [{"system": SCT, "code": "77004003", "display": "^18^Fluorine"}],
            "text": "F-18",
        }
        route = found[(SCT, "410675002")]["valueCodeableConcept"]
        assert route["coding"][0]["code"] == "47625008" and route["text"] == "intravenous"

    def test_identifiers_study_and_order(self) -> None:
        observation = observation_dose_summary(
            make_record(), sr_instance_uid="2.25.3003", performer_reference="Practitioner/33",
            patient_reference="Patient/56", resource_id="dose-1",
        )  # fmt: skip
        assert observation["id"] == "dose-1"
        values = [(i["type"]["coding"][0]["code"], i["value"]) for i in observation["identifier"]]
        assert values == [("irradiation-event-uid", "urn:oid:2.25.1001"),
                          ("sop-instance-uid", "urn:oid:2.25.3003")]  # fmt: skip
        study = observation["partOf"][0]
        assert observation["focus"] == [study]
        assert study["type"] == "ImagingStudy"
        assert study["identifier"]["system"] == "urn:dicom:uid"
        assert study["identifier"]["value"] == "urn:oid:2.25.2002"
        accession = observation["basedOn"][0]["identifier"]
        assert (accession["type"]["coding"][0]["code"], accession["value"]) == ("ACSN", "ACC-77")
        assert observation["subject"] == {"reference": "Patient/56", "display": "Ахметова Айгуль"}
        assert observation["performer"] == [{"reference": "Practitioner/33"}]

    def test_logical_patient_and_no_study(self) -> None:
        observation = observation_dose_summary(
            make_record(study_instance_uid=None, accession_number=None)
        )
        assert observation["subject"]["identifier"] == {"value": "KZ-000123"}
        assert not {"partOf", "focus", "basedOn", "performer"} & set(observation)

    def test_summary_text(self) -> None:
        text = observation_dose_summary(make_record())["valueString"]
        assert text == (
            "Administered activity = 370 MBq F-18 fludeoxyglucose (FDG); effective dose = 7.03 mSv"
        )

    def test_unknown_scheme_is_text_only(self) -> None:
        record = make_record(radiopharmaceutical=Coded("X1", "99LOCAL", "Ga-68 FAPI-46"),
                             radionuclide=lookup_code("radionuclide", "Ga-68"))  # fmt: skip
        agent = components(observation_dose_summary(record))[(SCT, "349358000")]
        assert agent["valueCodeableConcept"] == {"text": "Ga-68 FAPI-46"}

    @pytest.mark.parametrize(
        "changes",
        [pytest.param({}, id="full"),
         pytest.param({"study_instance_uid": None, "route": None, "effective_dose_sv": None,
                       "patient_name": "", "patient_id": ""}, id="sparse")],
    )  # fmt: skip
    def test_valid_fhir(self, changes: dict[str, Any]) -> None:
        observation = observation_dose_summary(make_record(**changes), sr_instance_uid="2.25.9")
        Observation.model_validate(json.loads(json.dumps(observation)))


class TestMedicationAdministration:
    def test_structure(self) -> None:
        resource = medication_administration(make_record(), performer_reference="Practitioner/7")
        assert resource["resourceType"] == "MedicationAdministration"
        assert resource["status"] == "completed"
        assert resource["identifier"] == [{"system": "urn:dicom:uid",
                                           "value": "urn:oid:2.25.1001"}]  # fmt: skip
        medication = resource["medicationCodeableConcept"]
        assert medication["coding"] == [
            {"system": SCT, "code": "35321007", "display": "Fluorodeoxyglucose F^18^"}
        ]
        assert medication["text"] == "F-18 fludeoxyglucose (FDG)"
        assert resource["effectiveDateTime"] == "2026-11-22T04:30:00+00:00"
        assert resource["performer"] == [{"actor": {"reference": "Practitioner/7"}}]

    def test_dose_in_mbq_ucum_and_route(self) -> None:
        dosage = medication_administration(make_record(administered_activity_bq=7.4e8))["dosage"]
        assert dosage["dose"] == {"value": 740.0, "unit": "MBq", "system": UCUM, "code": "MBq"}
        assert dosage["route"]["coding"][0] == {
            "system": SCT, "code": "47625008", "display": "Intravenous route",
        }  # fmt: skip

    def test_period_when_the_end_is_known(self) -> None:
        resource = medication_administration(make_record(end_datetime=T0 + timedelta(minutes=1)))
        assert resource["effectivePeriod"] == {
            "start": "2026-11-22T04:30:00+00:00", "end": "2026-11-22T04:31:00+00:00",
        }  # fmt: skip
        assert "effectiveDateTime" not in resource

    @pytest.mark.parametrize(
        "changes",
        [pytest.param({}, id="instant"),
         pytest.param({"end_datetime": T0 + timedelta(seconds=20), "route": None}, id="period")],
    )  # fmt: skip
    def test_valid_fhir(self, changes: dict[str, Any]) -> None:
        resource = medication_administration(make_record(**changes), resource_id="ma-1")
        MedicationAdministration.model_validate(json.loads(json.dumps(resource)))


def test_code_systems_published() -> None:
    """FHIR URIs of the DICOM designators (FHIR R4 terminology; HL7 THO for NCIt, UMLS)."""
    assert CODE_SYSTEMS["SCT"] == "http://snomed.info/sct"
    assert CODE_SYSTEMS["DCM"] == "http://dicom.nema.org/resources/ontology/DCM"
    assert CODE_SYSTEMS["LN"] == "http://loinc.org"
    assert CODE_SYSTEMS["NCIt"] == "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
