"""Radiopharmaceutical Radiation Dose SR: write -> read round trips, foreign SRs, refusals.

Kinds of expected value: **analytic** (a record written and read back is the same record; the
SR holds what the templates say, e.g. activity in MBq = Bq / 1e6) and **published** (codes of
DICOM PS3.16 and its Annex O as pydicom 3.0.2 tabulates them, the ICRP-107 half-life of F-18).
The "foreign" SRs are built here with highdicom the way other vendors write them: retired SRT
codes, date-times without offset, a private effective-dose container, no TID 10024.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import highdicom as hd
import pydicom
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset
from pydicom.sr._concepts_dict import concepts
from pydicom.sr._snomed_dict import mapping
from pydicom.uid import ComprehensiveSRStorage, CTImageStorage

from nucmed.errors import NucmedInputError
from nucmed.interop.rrdsr import (
    DIAGNOSTIC_INTENT,
    NM_PROCEDURE,
    RRDSR_SOP_CLASS_UID,
    AdministrationRecord,
    Coded,
    RrdsrError,
    code_name,
    lookup_code,
    normalise_code,
    person_name,
    write_rrdsr,
)
from nucmed.interop.rrdsr_reading import NoUtcOffsetError, read_rrdsr
from nucmed.physics.nuclides import get_nuclide
from tests.interop.dicom_tools import assert_valid_sr, needs_tools

T0 = datetime(2026, 11, 22, 4, 30, 12, 500000, tzinfo=UTC)  # 09:30:12.5 in Almaty (UTC+5)
ALMATY = ZoneInfo("Asia/Almaty")


def make_record(**changes: Any) -> AdministrationRecord:
    fields: dict[str, Any] = {
        "event_uid": "2.25.301234567890123456789",
        "radiopharmaceutical": lookup_code("radiopharmaceutical", "FDG"),
        "radionuclide": lookup_code("radionuclide", "F-18"),
        "administered_activity_bq": 3.7e8,
        "start_datetime": T0,
        "route": lookup_code("route", "intravenous"),
        "patient_id": "KZ-000123",
        "patient_name": "Ахметова^Айгуль^Сериковна",
        "patient_sex": "F",
        "patient_birth_date": date(1980, 2, 29),
        "patient_weight_kg": 72.5,
        "patient_height_m": 1.68,
        "end_datetime": T0 + timedelta(seconds=30),
        "effective_dose_sv": 7.03e-3,
        "institution": "Алматинский онкоцентр",
        "study_instance_uid": "2.25.11",
        "accession_number": "ACC-77",
        "procedure": Coded("241443006", "SCT", "PET study for localization of tumor"),
    }
    fields.update(changes)
    return AdministrationRecord(**fields)


def roundtrip(record: AdministrationRecord) -> AdministrationRecord:
    buffer = io.BytesIO()
    write_rrdsr(record).save_as(buffer, enforce_file_format=True)
    buffer.seek(0)
    return read_rrdsr(buffer)


def code(value: str, scheme: str, meaning: str) -> hd.sr.CodedConcept:
    return hd.sr.CodedConcept(value, scheme, meaning)


def content(item: hd.sr.ContentItem, *children: hd.sr.ContentItem) -> hd.sr.ContentItem:
    item.ContentSequence = hd.sr.ContentSequence(list(children))
    return item


def dicom_dataset(sop_class: str, root: hd.sr.ContentItem | None, **attributes: Any) -> Dataset:
    """A DICOM object as another system would save it: SOPClass + root content item."""
    ds = hd.SOPClass(
        study_instance_uid="1.2.840.99.1", series_instance_uid="1.2.840.99.2", series_number=3,
        sop_instance_uid="1.2.840.99.3", sop_class_uid=sop_class, instance_number=1,
        modality="SR", manufacturer="Vendor", patient_id="V-9", patient_name="Doe^Jane",
        patient_sex="F", patient_birth_date="19700101",
    )  # fmt: skip
    if root is not None:
        for tag, element in root.items():
            ds[tag] = element
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    buffer.seek(0)
    return pydicom.dcmread(buffer)


def legacy_srt_sr(start: str = "20261122093012", **attributes: Any) -> Dataset:
    """A Siemens-style RRDSR of Tc-99m MDP: SRT codes, no offset, private effective dose."""
    agent = content(
        hd.sr.CodeContentItem(code("F-61FDB", "SRT", "Radiopharmaceutical agent"),
                              code("C-B1218", "SRT", "Tc-99m Medronate"), "CONTAINS"),
        hd.sr.CodeContentItem(code("C-10072", "SRT", "Radionuclide"),
                              code("C-163A8", "SRT", "^99m^Technetium"), "HAS PROPERTIES"),
        hd.sr.NumContentItem(code("R-42806", "SRT", "Radionuclide Half Life"), 21624.12,
                             code("s", "UCUM", "seconds"), relationship_type="HAS PROPERTIES"),
    )  # fmt: skip
    route = content(
        hd.sr.CodeContentItem(code("G-C340", "SRT", "Route of administration"),
                              code("G-D101", "SRT", "Intravenous route"), "CONTAINS"),
        hd.sr.CodeContentItem(code("G-C581", "SRT", "Site of"),
                              code("T-49110", "SRT", "Antecubital vein"), "HAS PROPERTIES"),
    )  # fmt: skip
    private = content(
        hd.sr.ContainerContentItem(code("220001", "99SHS", "Effective Dose Information"),
                                   relationship_type="CONTAINS"),
        hd.sr.NumContentItem(code("113839", "DCM", "Effective Dose"), 4.4,
                             code("mSv", "UCUM", "mSv"), relationship_type="CONTAINS"),
    )  # fmt: skip
    event = content(
        hd.sr.ContainerContentItem(code("113502", "DCM", "Radiopharmaceutical Administration"),
                                   relationship_type="CONTAINS"),
        agent,
        hd.sr.UIDRefContentItem(code("113503", "DCM", "Radiopharmaceutical Administration "
                                     "Event UID"), "1.3.12.2.1107.5.8.99.1", "CONTAINS"),
        hd.sr.DateTimeContentItem(code("123003", "DCM", "Radiopharmaceutical Start DateTime"),
                                  start, "CONTAINS"),
        hd.sr.NumContentItem(code("113507", "DCM", "Administered activity"), 740,
                             code("MBq", "UCUM", "MBq"), relationship_type="CONTAINS"),
        route,
        hd.sr.PnameContentItem(code("113870", "DCM", "Person Name"), "Nurse^Anna", "CONTAINS"),
        private,
    )  # fmt: skip
    root = content(
        hd.sr.ContainerContentItem(code("113500", "DCM", "Radiopharmaceutical Radiation Dose "
                                        "Report"), template_id="10021"),
        content(
            hd.sr.CodeContentItem(code("G-C2D0", "SRT", "Associated Procedure"),
                                  code("P5-B3002", "SRT", "Bone scan"), "HAS CONCEPT MOD"),
            hd.sr.CodeContentItem(code("G-C0E8", "SRT", "Has Intent"),
                                  code("R-408C3", "SRT", "Diagnostic Intent"), "HAS CONCEPT MOD"),
        ),
        event,
        hd.sr.TextContentItem(code("121106", "DCM", "Comment"), "vendor note", "CONTAINS"),
    )  # fmt: skip
    attributes.setdefault("PatientWeight", 81)
    attributes.setdefault("PatientSize", 1.8)
    return dicom_dataset(RRDSR_SOP_CLASS_UID, root, **attributes)


def sct_sr(agent_value: hd.sr.CodedConcept, nuclide_value: hd.sr.CodedConcept) -> Dataset:
    """A current-style RRDSR (SCT codes) with an offset, TID 10024 in g and cm, no stop."""
    event = content(
        hd.sr.ContainerContentItem(code("113502", "DCM", "Radiopharmaceutical Administration"),
                                   relationship_type="CONTAINS"),
        content(
            hd.sr.CodeContentItem(code("349358000", "SCT", "Radiopharmaceutical agent"),
                                  agent_value, "CONTAINS"),
            hd.sr.CodeContentItem(code("89457008", "SCT", "Radionuclide"), nuclide_value,
                                  "HAS PROPERTIES"),
        ),
        hd.sr.UIDRefContentItem(code("113503", "DCM", "Radiopharmaceutical Administration "
                                     "Event UID"), "2.25.42", "CONTAINS"),
        hd.sr.DateTimeContentItem(code("123003", "DCM", "Radiopharmaceutical Start DateTime"),
                                  "20261122093000.25+0500", "CONTAINS"),
        hd.sr.NumContentItem(code("113507", "DCM", "Administered activity"), 150.5,
                             code("MBq", "UCUM", "MBq"), relationship_type="CONTAINS"),
        hd.sr.CodeContentItem(code("410675002", "SCT", "Route of administration"),
                              code("47625008", "SCT", "Intravenous route"), "CONTAINS"),
    )  # fmt: skip
    patient = content(
        hd.sr.ContainerContentItem(code("121118", "DCM", "Patient Characteristics"),
                                   relationship_type="CONTAINS"),
        hd.sr.NumContentItem(code("29463-7", "LN", "Patient Weight"), 64000.0,
                             code("g", "UCUM", "g"), relationship_type="CONTAINS"),
        hd.sr.NumContentItem(code("8302-2", "LN", "Patient Height"), 171.0,
                             code("cm", "UCUM", "cm"), relationship_type="CONTAINS"),
    )  # fmt: skip
    root = content(
        hd.sr.ContainerContentItem(code("113500", "DCM", "Radiopharmaceutical Radiation Dose "
                                        "Report")),
        content(
            hd.sr.CodeContentItem(code("363589002", "SCT", "Associated Procedure"),
                                  code("241443006", "SCT", "PET study for localization of tumor"),
                                  "HAS CONCEPT MOD"),
            hd.sr.CodeContentItem(code("363703001", "SCT", "Has Intent"),
                                  code("261004008", "SCT", "Diagnostic Intent"),
                                  "HAS CONCEPT MOD"),
        ),
        event,
        patient,
    )  # fmt: skip
    return dicom_dataset(RRDSR_SOP_CLASS_UID, root)


class TestRoundTripAnalytic:
    """An SR written by nucmed and read back is the record it was written from."""

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({}, id="full-fdg"),
            pytest.param(
                {"radiopharmaceutical": lookup_code("radiopharmaceutical", "i-131 sodium iodide"),
                 "radionuclide": lookup_code("radionuclide", "I-131"), "route":
                 lookup_code("route", "oral"), "administered_activity_bq": 3.7e9,
                 "intent": Coded("262202000", "SCT", "Therapeutic Intent"),
                 "procedure": NM_PROCEDURE, "effective_dose_sv": None},
                id="therapy-i131-oral",
            ),
            pytest.param(
                {"patient_name": "", "patient_sex": None, "patient_birth_date": None,
                 "patient_weight_kg": None, "patient_height_m": None, "end_datetime": None,
                 "effective_dose_sv": None, "institution": None, "accession_number": None},
                id="minimal",
            ),
            pytest.param({"patient_sex": "O", "start_datetime": T0.astimezone(ZoneInfo(
                "Asia/Almaty"))}, id="other-sex-local-time"),
        ],
    )  # fmt: skip
    def test_written_and_read_back_equals_the_record(self, changes: dict[str, Any]) -> None:
        record = make_record(**changes)
        assert roundtrip(record) == record

    def test_through_a_file(self, tmp_path: Path) -> None:
        record = make_record()
        path = tmp_path / "rrdsr.dcm"
        write_rrdsr(record).save_as(path, enforce_file_format=True)
        assert read_rrdsr(path) == record
        assert read_rrdsr(str(path)) == record

    def test_without_study_uid_a_new_study_is_made(self) -> None:
        record = make_record(study_instance_uid=None)
        back = roundtrip(record)
        assert back.study_instance_uid is not None
        assert dataclasses.replace(back, study_instance_uid=None) == record

    @given(activity_bq=st.integers(min_value=1_000, max_value=10**11),
           dose_usv=st.integers(min_value=0, max_value=10**6))  # fmt: skip
    @settings(max_examples=40, deadline=None)
    def test_whole_becquerels_and_microsieverts_roundtrip_exactly(
        self, activity_bq: int, dose_usv: int
    ) -> None:
        record = make_record(administered_activity_bq=float(activity_bq),
                             effective_dose_sv=dose_usv * 1e-6)  # fmt: skip
        back = roundtrip(record)
        assert back.administered_activity_bq == record.administered_activity_bq
        assert back.effective_dose_sv == pytest.approx(record.effective_dose_sv, rel=1e-12)


class TestWrittenContent:
    """What the written SR holds: PS3.3 A.35.14 and PS3.16 TID 10021, 10022, 10024."""

    @pytest.fixture(scope="class")
    @classmethod
    def sr(cls) -> Dataset:
        made = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
        return write_rrdsr(make_record(), sop_instance_uid="2.25.5", series_instance_uid="2.25.6",
                           created=made, tz=ALMATY)  # fmt: skip

    def test_header(self, sr: Dataset) -> None:
        assert sr.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.68"
        assert (sr.SOPInstanceUID, sr.SeriesInstanceUID, sr.StudyInstanceUID) == (
            "2.25.5",
            "2.25.6",
            "2.25.11",
        )
        assert (sr.Modality, sr.SpecificCharacterSet, sr.TimezoneOffsetFromUTC) == (
            "SR",
            "ISO_IR 192",
            "+0500",
        )
        # the site's local time: 05:00 UTC is 10:00 in Almaty (UTC+5, no daylight saving)
        assert (str(sr.ContentDate), str(sr.ContentTime)[:4]) == ("20261122", "1000")
        assert (str(sr.StudyDate), str(sr.StudyTime)[:6]) == ("20261122", "093012")
        assert (sr.CompletionFlag, sr.VerificationFlag) == ("COMPLETE", "UNVERIFIED")
        assert str(sr.PatientName) == "Ахметова^Айгуль^Сериковна"
        assert sr.InstitutionName == "Алматинский онкоцентр"
        assert sr.ManufacturerModelName and sr.SoftwareVersions and sr.DeviceSerialNumber

    def test_templates(self, sr: Dataset) -> None:
        assert sr.ContentTemplateSequence[0].TemplateIdentifier == "10021"
        assert sr.ConceptNameCodeSequence[0].CodeValue == "113500"
        names = [item.ConceptNameCodeSequence[0].CodeValue for item in sr.ContentSequence]
        assert names == ["363589002", "113502", "121118"]
        event, patient = sr.ContentSequence[1], sr.ContentSequence[2]
        assert event.ContentTemplateSequence[0].TemplateIdentifier == "10022"
        assert patient.ContentTemplateSequence[0].TemplateIdentifier == "10024"

    def test_event_rows_in_template_order(self, sr: Dataset) -> None:
        event = sr.ContentSequence[1]
        rows = [(i.ConceptNameCodeSequence[0].CodeValue, i.RelationshipType)
                for i in event.ContentSequence]  # fmt: skip
        assert rows == [("349358000", "CONTAINS"), ("113503", "CONTAINS"),
                        ("123003", "CONTAINS"), ("123004", "CONTAINS"), ("113507", "CONTAINS"),
                        ("410675002", "CONTAINS"), ("113839", "CONTAINS")]  # fmt: skip

    def test_activity_in_mbq_and_half_life_published(self, sr: Dataset) -> None:
        event = sr.ContentSequence[1]
        activity = event.ContentSequence[4].MeasuredValueSequence[0]
        assert activity.FloatingPointValue == 370.0  # 3.7e8 Bq / 1e6
        assert activity.MeasurementUnitsCodeSequence[0].CodeValue == "MBq"
        assert activity.MeasurementUnitsCodeSequence[0].CodingSchemeDesignator == "UCUM"
        half_life = event.ContentSequence[0].ContentSequence[1].MeasuredValueSequence[0]
        # ICRP-107: F-18 half-life 109.77 min = 6586.2 s (exact data-set value)
        assert half_life.FloatingPointValue == 6586.2
        assert half_life.FloatingPointValue == get_nuclide("F-18").half_life_s
        assert str(event.ContentSequence[2].DateTime) == "20261122093012.500000+0500"

    def test_without_a_zone_the_zone_of_the_start_is_used(self) -> None:
        bishkek = T0.astimezone(ZoneInfo("Asia/Bishkek"))  # UTC+6
        sr = write_rrdsr(make_record(start_datetime=bishkek))
        assert sr.TimezoneOffsetFromUTC == "+0600"
        assert str(sr.ContentSequence[1].ContentSequence[2].DateTime).endswith("+0600")

    def test_a_name_with_spaces_is_written_in_component_form(self) -> None:
        sr = write_rrdsr(make_record(patient_name="Ахметова Айгуль Сериковна"))
        assert str(sr.PatientName) == "Ахметова^Айгуль Сериковна"

    @pytest.mark.parametrize(
        ("name", "written"),
        [
            pytest.param("Ivanov Ivan", "Ivanov^Ivan", id="family-given"),
            pytest.param("  Smith^John ", "Smith^John", id="already-components"),
            pytest.param("Madonna", "Madonna^", id="one-word"),
            pytest.param("", "", id="empty"),
        ],
    )
    def test_person_name(self, name: str, written: str) -> None:
        assert person_name(name) == written


@needs_tools("dciodvfy", "dsrdump")
class TestStrictValidators:
    """Every SR these tests write passes dciodvfy without error and parses with dsrdump."""

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({}, id="full"),
            pytest.param(
                {"patient_sex": None, "patient_birth_date": None, "patient_weight_kg": None,
                 "patient_height_m": None, "end_datetime": None, "effective_dose_sv": None,
                 "institution": None, "accession_number": None, "patient_name": ""},
                id="minimal",
            ),
            pytest.param({"patient_sex": "O", "patient_name": "Ivanov Ivan"}, id="other-sex"),
            pytest.param({"start_datetime": T0.astimezone(ZoneInfo("America/St_Johns"))},
                         id="half-hour-negative-offset"),
        ],
    )  # fmt: skip
    def test_written_sr_is_valid(self, changes: dict[str, Any], tmp_path: Path) -> None:
        zone = None if "start_datetime" in changes else ALMATY  # else the start's own zone
        assert_valid_sr(write_rrdsr(make_record(**changes), tz=zone),
                        tmp_path)  # fmt: skip


class TestForeignSRs:
    """SRs from other systems, built with highdicom, read into records."""

    def test_legacy_srt_codes_with_sr_timezone_offset(self) -> None:
        record = read_rrdsr(legacy_srt_sr(TimezoneOffsetFromUTC="+0600"))
        assert record.radiopharmaceutical == lookup_code("radiopharmaceutical", "MDP")
        assert record.radionuclide == Coded("72454006", "SCT", "^99m^Technetium")
        assert record.route == Coded("47625008", "SCT", "Intravenous route")
        assert record.administered_activity_bq == 7.4e8
        assert record.start_datetime == datetime(2026, 11, 22, 3, 30, 12, tzinfo=UTC)
        assert record.event_uid == "1.3.12.2.1107.5.8.99.1"
        assert record.effective_dose_sv == 4.4e-3  # from the private 99SHS container
        assert (record.patient_weight_kg, record.patient_height_m) == (81.0, 1.8)
        assert (record.patient_id, record.patient_name, record.patient_sex) == (
            "V-9",
            "Doe^Jane",
            "F",
        )
        assert record.patient_birth_date == date(1970, 1, 1)
        assert record.procedure == Coded("P5-B3002", "SRT", "Bone scan")  # unknown: as sent
        assert record.intent == Coded("R-408C3", "SRT", "Diagnostic Intent")
        assert record.end_datetime is None

    def test_legacy_srt_without_offset_needs_a_time_zone(self) -> None:
        sr = legacy_srt_sr()
        with pytest.raises(NoUtcOffsetError, match="no UTC offset"):
            read_rrdsr(sr)
        record = read_rrdsr(sr, default_tz=ZoneInfo("Asia/Almaty"))
        assert record.start_datetime == datetime(2026, 11, 22, 4, 30, 12, tzinfo=UTC)
        assert record.timezone_assumed == "Asia/Almaty"

    def test_a_time_with_its_offset_assumes_no_zone(self) -> None:
        record = read_rrdsr(legacy_srt_sr(TimezoneOffsetFromUTC="+0600"), default_tz=UTC)
        assert record.timezone_assumed is None

    def test_snm3_designator_reads_as_srt(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500")
        route = sr.ContentSequence[1].ContentSequence[4]
        route.ConceptNameCodeSequence[0].CodingSchemeDesignator = "SNM3"
        route.ConceptCodeSequence[0].CodingSchemeDesignator = "99SDM"
        assert read_rrdsr(sr).route == lookup_code("route", "IV")

    def test_sct_codes_units_converted(self) -> None:
        fdg, f18 = lookup_code("radiopharmaceutical", "FDG"), lookup_code("radionuclide", "F-18")
        record = read_rrdsr(sct_sr(code(fdg.code, "SCT", "FDG"), code(f18.code, "SCT", "F18")))
        assert (record.radiopharmaceutical, record.radionuclide) == (fdg, f18)
        assert record.administered_activity_bq == 1.505e8
        assert record.start_datetime == datetime(2026, 11, 22, 4, 30, 0, 250000, tzinfo=UTC)
        assert record.patient_weight_kg == 64.0  # 64000 g
        assert record.patient_height_m == 1.71  # 171 cm
        assert record.effective_dose_sv is None
        assert record.procedure.code == "241443006"

    def test_unknown_codes_are_kept_as_sent(self) -> None:
        fapi = code("C-FAPI46", "99LOCAL", "Ga-68 FAPI-46")
        ga68 = code("35337001", "SCT", "^68^Gallium")
        record = read_rrdsr(sct_sr(fapi, ga68))
        assert record.radiopharmaceutical == Coded("C-FAPI46", "99LOCAL", "Ga-68 FAPI-46")
        assert code_name("radiopharmaceutical", record.radiopharmaceutical) == "Ga-68 FAPI-46"
        assert code_name("radionuclide", record.radionuclide) == "Ga-68"
        assert roundtrip(record) == record  # its half-life comes from the radionuclide code


class TestDuplicatesByEventUid:
    """The event UID is what identifies an administration across systems and files."""

    def test_same_administration_from_two_systems_has_one_event_uid(self) -> None:
        record = make_record()
        injector = write_rrdsr(record, device_serial_number="INJ-1")
        archive = write_rrdsr(record, device_serial_number="PACS")
        assert injector.SOPInstanceUID != archive.SOPInstanceUID
        records = [read_rrdsr(injector), read_rrdsr(archive), read_rrdsr(legacy_srt_sr(
            TimezoneOffsetFromUTC="+0500"))]  # fmt: skip
        unique = {r.event_uid: r for r in records}
        assert len(unique) == 2
        assert unique[record.event_uid] == record


class TestRefused:
    """What is not an RRDSR, or not a valid record, is refused with a clear message."""

    def test_text_file(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.txt"
        path.write_text("not DICOM at all", encoding="utf-8")
        with pytest.raises(RrdsrError, match="is not a DICOM file"):
            read_rrdsr(path)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(RrdsrError, match="cannot read"):
            read_rrdsr(tmp_path / "absent.dcm")

    def test_ct_image_is_not_an_rrdsr(self) -> None:
        with pytest.raises(RrdsrError, match="not a Radiopharmaceutical Radiation Dose SR: CT"):
            read_rrdsr(dicom_dataset(CTImageStorage, None))

    def test_other_sr_is_not_an_rrdsr(self) -> None:
        root = hd.sr.ContainerContentItem(code("126000", "DCM", "Imaging Measurement Report"))
        with pytest.raises(RrdsrError, match="Comprehensive SR"):
            read_rrdsr(dicom_dataset(ComprehensiveSRStorage, root))

    def test_comprehensive_sr_with_rrdsr_root_is_read(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500")
        sr.SOPClassUID = ComprehensiveSRStorage
        assert read_rrdsr(sr).event_uid == "1.3.12.2.1107.5.8.99.1"

    def test_missing_activity(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500")
        del sr.ContentSequence[1].ContentSequence[3]
        with pytest.raises(RrdsrError, match=r"no Administered activity \(113507, DCM\)"):
            read_rrdsr(sr)

    def test_activity_in_a_unit_not_an_activity(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500")
        unit = sr.ContentSequence[1].ContentSequence[3].MeasuredValueSequence[0]
        unit.MeasurementUnitsCodeSequence[0].CodeValue = "mGy"
        with pytest.raises(RrdsrError, match="activity in the SR"):
            read_rrdsr(sr)

    def test_two_events(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500")
        sr.ContentSequence.append(sr.ContentSequence[1])
        with pytest.raises(RrdsrError, match="has 2 Radiopharmaceutical Administration"):
            read_rrdsr(sr)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            pytest.param({"event_uid": "2.25.x"}, "not a DICOM UID", id="bad-uid"),
            pytest.param({"event_uid": "1." + "2" * 70}, "not a DICOM UID", id="long-uid"),
            pytest.param({"administered_activity_bq": -1.0}, "positive", id="negative"),
            pytest.param({"patient_weight_kg": float("nan")}, "positive", id="nan-weight"),
            pytest.param({"start_datetime": datetime(2026, 1, 1, 9)}, "UTC offset", id="naive"),
            pytest.param({"end_datetime": T0 - timedelta(minutes=1)}, "before", id="end-first"),
            pytest.param({"patient_sex": "X"}, "use M, F or O", id="sex"),
            pytest.param({"radionuclide": lookup_code("radionuclide", "Tc-99m")},
                         "labelled with F-18", id="fdg-with-tc99m"),
            pytest.param({"effective_dose_sv": -1e-3}, ">= 0", id="negative-dose"),
        ],
    )  # fmt: skip
    def test_invalid_records(self, changes: dict[str, Any], message: str) -> None:
        with pytest.raises(RrdsrError, match=message):
            make_record(**changes)

    def test_errors_are_input_errors(self) -> None:
        assert issubclass(RrdsrError, NucmedInputError)

    def test_no_route_cannot_be_written(self) -> None:
        with pytest.raises(RrdsrError, match="no route"):
            write_rrdsr(make_record(route=None))

    def test_unknown_radionuclide_cannot_be_written(self) -> None:
        record = make_record(radiopharmaceutical=Coded("X1", "99LOCAL", "Local tracer"),
                             radionuclide=Coded("X2", "99LOCAL", "Unobtainium"))  # fmt: skip
        with pytest.raises(RrdsrError, match="no known half-life"):
            write_rrdsr(record)


class TestCodes:
    """The code table: look-ups, and every row against PS3.16 as pydicom tabulates it."""

    @pytest.mark.parametrize(
        ("kind", "text", "expected"),
        [
            pytest.param("radionuclide", "tc-99m", "72454006", id="name-any-case"),
            pytest.param("radiopharmaceutical", "mdp", "96390006", id="alias"),
            pytest.param("radiopharmaceutical", "Fluorodeoxyglucose F^18^", "35321007",
                         id="meaning"),
            pytest.param("route", "G-D101", "47625008", id="srt-code"),
            pytest.param("route", "47625008", "47625008", id="sct-code"),
            pytest.param("radiopharmaceutical", "PSMA-11", "C118961", id="ncit"),
        ],
    )  # fmt: skip
    def test_lookup(self, kind: Any, text: str, expected: str) -> None:
        assert lookup_code(kind, text).code == expected

    def test_unknown_name_lists_the_names(self) -> None:
        with pytest.raises(RrdsrError, match="unknown route 'nasal'; use one of intravenous"):
            lookup_code("route", "nasal")

    def test_defaults_are_sct(self) -> None:
        assert NM_PROCEDURE.scheme == DIAGNOSTIC_INTENT.scheme == "SCT"

    @staticmethod
    def rows() -> list[dict[str, str]]:
        text = resources.files("nucmed.data").joinpath("dicom_codes.csv").read_text("utf-8")
        return list(csv.DictReader(line for line in text.splitlines() if line[:1] != "#"))

    def test_rows_published_in_ps3_16(self) -> None:
        """Each code, meaning and SRT code as pydicom 3.0.2 generates them from PS3.16."""
        for row in self.rows():
            tables = concepts[row["scheme"]].values()
            meanings = {table[row["code"]][0] for table in tables if row["code"] in table}
            assert row["meaning"] in meanings, row
            assert row["srt"] == (mapping["SCT"].get(row["code"], "")
                                  if row["scheme"] == "SCT" else ""), row  # fmt: skip
            assert row["source"].startswith("DICOM PS3.16 CID"), row
            if row["nuclide"]:
                get_nuclide(row["nuclide"])

    def test_every_srt_code_normalises_to_its_sct_code(self) -> None:
        for row in self.rows():
            if row["srt"]:
                legacy = Coded(row["srt"], "SRT", "as a device sends it")
                assert normalise_code(row["kind"], legacy).code == row["code"]  # type: ignore[arg-type]


class TestBounds:
    """Every quantity, id, date and string of an SR is checked against nucmed.bounds."""

    @pytest.mark.filterwarnings("ignore:The PN component length")  # pydicom: over 64 chars
    def test_a_long_name_is_refused_clearly(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500", PatientName="A" * 100_000)
        with pytest.raises(RrdsrError, match="PatientName may have at most 200 characters"):
            read_rrdsr(sr)

    def test_a_nul_in_an_id_is_refused(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500", PatientID="KZ\x00-1")
        with pytest.raises(RrdsrError, match="NUL"):
            read_rrdsr(sr)

    def test_a_birth_date_in_year_1_is_refused(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500", PatientBirthDate="00010101")
        with pytest.raises(RrdsrError, match="from 1900-01-01 to 2100-12-31"):
            read_rrdsr(sr)

    def test_a_start_in_year_1_is_refused(self) -> None:
        sr = legacy_srt_sr(start="00010101000000", TimezoneOffsetFromUTC="+0500")
        with pytest.raises(RrdsrError, match="from 1900-01-01 to 2100-12-31"):
            read_rrdsr(sr)

    def test_an_implausible_weight_is_refused(self) -> None:
        sr = legacy_srt_sr(TimezoneOffsetFromUTC="+0500", PatientWeight="1e300")
        with pytest.raises(RrdsrError, match="the mass must be from 0 to 1000 kg"):
            read_rrdsr(sr)
