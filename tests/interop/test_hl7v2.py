"""HL7 v2 in: ADT^A01/A04/A08 demographics and ORM^O01 orders; escapes, repetitions, errors.

Kinds of expected value: **analytic** (what the sample messages hold, read by the HL7 v2.5
encoding rules of Chapter 2: delimiters from MSH-1 and MSH-2, escape sequences of 2.7).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from nucmed.errors import NucmedInputError
from nucmed.interop.hl7v2 import (
    Hl7Error,
    Message,
    OrderMessage,
    PatientEvent,
    acknowledgement,
    parse_message,
    read_message,
)


def hl7(*segments: str) -> str:
    return "\r".join(segments) + "\r"


MSH_ADT = (
    "MSH|^~\\&|HIS|CITYHOSP|NUCMED|NM|20261122083000+0500||ADT^{event}^ADT_A01|MSG{event}|P|2.5"
)
PID = (
    "PID|1||A-77^^^CITY^PI~555123^^^CITYHOSP^MR~KZ880229400123^^^KZ^NI||"
    "Ахметова^Айгуль^Сериковна^^^^L~Akhmetova^Aigul^^^^^A||19800229|F|||"
    "ул. Абая 1^^Алматы^^050000^KZ"
)
PV1 = "PV1|1|O|NM^R12^1^CITYHOSP||||1234^Серикова^Гульнар||||||||||||V-2026-0042"
ORM = hl7(
    "MSH|^~\\&|RIS|CITYHOSP|NUCMED|NM|20261122080000+0500||ORM^O01|ORD7|P|2.5",
    "PID|1||555123^^^CITYHOSP^MR||Smith^John||19610415|M",
    "PV1|1|I|W3^12^B",
    "ORC|NW|PL-1001|FL-9001||SC||^^^20261122093000+0500",
    "OBR|1|PL-1001|FL-9001|NM-BONE^Bone scan \\T\\ SPECT^L||20261122090000||||||||||||ACC-555",
    "ORC|NW|PL-1002",
    "OBR|2|||78815^PET/CT skull base to mid-thigh^C4||202611230800",
)


class TestAdtAnalytic:
    @pytest.mark.parametrize("event", ["A01", "A04", "A08"])
    def test_demographics(self, event: str) -> None:
        result = read_message(hl7(MSH_ADT.format(event=event), PID, PV1))
        assert isinstance(result, PatientEvent)
        assert (result.event, result.control_id) == (event, f"MSG{event}")
        patient = result.patient
        assert patient.patient_id == "555123"  # the MR repetition of PID-3, not the first
        assert patient.id_authority == "CITYHOSP"
        assert patient.patient_name == "Ахметова^Айгуль^Сериковна"  # first repetition of PID-5
        assert patient.sex == "F"
        assert patient.birth_date == date(1980, 2, 29)
        assert (patient.patient_class, patient.location, patient.visit_number) == (
            "O", "NM^R12^1^CITYHOSP", "V-2026-0042")  # fmt: skip

    def test_first_identifier_when_no_mr(self) -> None:
        result = read_message(hl7(MSH_ADT.format(event="A04"), "PID|1||X1^^^H^PI~X2^^^H^PT"))
        assert isinstance(result, PatientEvent)
        assert result.patient.patient_id == "X1"
        assert result.patient.patient_name == ""
        assert result.patient.sex is None and result.patient.birth_date is None
        assert result.patient.location is None

    @pytest.mark.parametrize(
        ("code", "sex"),
        [("M", "M"), ("F", "F"), ("O", "O"), ("A", "O"), ("U", None), ("N", None), ("", None)],
    )
    def test_sex_table_0001(self, code: str, sex: str | None) -> None:
        result = read_message(hl7(MSH_ADT.format(event="A08"), f"PID|1||1^^^H^MR|||||{code}"))
        assert isinstance(result, PatientEvent)
        assert result.patient.sex == sex
        assert result.patient.warnings == ()

    @pytest.mark.parametrize(
        ("code", "sex"),
        [("1", "M"), ("2", "F"), ("3", "O"), ("9", None), ("F", "F")],
    )
    def test_a_sites_local_codes_apply_first(self, code: str, sex: str | None) -> None:
        # AIHW METeOR 635126: 1 male, 2 female, 3 another term, 9 not stated
        local = {"1": "M", "2": "F", "3": "O", "9": None}
        text = hl7(MSH_ADT.format(event="A04"), f"PID|1||1^^^H^MR|||||{code}")
        result = read_message(text, sex_codes=local)  # type: ignore[arg-type]
        assert (result.patient.sex, result.patient.warnings) == (sex, ())

    def test_an_unknown_sex_code_is_unknown_with_a_warning(self) -> None:
        result = read_message(hl7(MSH_ADT.format(event="A01"), "PID|||1|||||X"))
        assert result.patient.sex is None
        assert result.patient.warnings == (
            "PID-8 sex 'X' is not a known code (M, F, O, A, U, N): stored as unknown",
        )


class TestEscapesAndRepetitions:
    """HL7 v2.5 section 2.7: escape sequences in text fields."""

    @pytest.mark.parametrize(
        ("raw", "text"),
        [
            pytest.param("O\\F\\Brien", "O|Brien", id="field"),
            pytest.param("Smith\\S\\Jones", "Smith^Jones", id="component"),
            pytest.param("Bone \\T\\ SPECT", "Bone & SPECT", id="subcomponent"),
            pytest.param("A\\R\\B", "A~B", id="repetition"),
            pytest.param("C:\\E\\temp", "C:\\temp", id="escape"),
            pytest.param("line 1\\.br\\line 2", "line 1\nline 2", id="line-break"),
            pytest.param("\\H\\bold\\N\\ text", "bold text", id="highlight-dropped"),
            pytest.param("\\XD0A0D0B5\\", "Ре", id="hex-utf8"),
        ],
    )  # fmt: skip
    def test_escape(self, raw: str, text: str) -> None:
        message = parse_message(
            hl7("MSH|^~\\&|A|B|C|D|20261122||ADT^A08|1|P|2.5", f"NTE|1||{raw}")
        )
        assert message.all("NTE")[0].text(3) == text

    def test_repetitions_components_subcomponents(self) -> None:
        segment = parse_message(hl7(MSH_ADT.format(event="A01"), PID)).all("PID")[0]
        assert segment.repetitions(3) == 3
        assert segment.text(3, 1, 2) == "KZ880229400123"
        assert segment.text(5, 1, 1) == "Akhmetova"
        assert segment.text(3, 9, 0) == "" and segment.text(99) == ""
        message = parse_message(hl7("MSH|^~\\&|A", "ZZZ|a&b^c~d"))
        assert message.all("ZZZ")[0].field(1, 0) == (("a", "b"), ("c",))
        assert message.all("ZZZ")[0].field(1, 1) == (("d",),)

    def test_other_delimiters(self) -> None:
        message = parse_message(hl7("MSH#!*$%#RIS#H#NM#H#20261122##ADT!A04#1#P#2.5",
                                    "PID#1##77!!!H!MR*78##Doe!Jo%hn$F$x"))  # fmt: skip
        assert message.type == ("ADT", "A04")
        pid = message.all("PID")[0]
        assert pid.text(3) == "77" and pid.text(3, 1, 1) == "78"
        assert pid.field(5) == (("Doe",), ("Jo", "hn#x"))

    def test_msh_fields_numbered_as_in_the_standard(self) -> None:
        msh = parse_message(hl7(MSH_ADT.format(event="A01"))).msh
        assert (msh.text(1), msh.text(3), msh.text(9, 2), msh.text(12)) == (
            "|",
            "HIS",
            "A01",
            "2.5",
        )

    def test_line_feeds_and_mllp_framing(self) -> None:
        text = "\x0b" + "\n".join([MSH_ADT.format(event="A04"), PID]) + "\x1c\r"
        result = read_message(text)
        assert isinstance(result, PatientEvent) and result.patient.patient_id == "555123"

    def test_bytes_in_iso_8859_5(self) -> None:
        msh = "MSH|^~\\&|HIS|H|NM|H|20261122||ADT^A08|9|P|2.5|||||KZ|8859/5"
        data = hl7(msh, "PID|1||1^^^H^MR||Иванов^Иван").encode("iso8859_5")
        result = read_message(data)
        assert isinstance(result, PatientEvent) and result.patient.patient_name == "Иванов^Иван"

    def test_bytes_default_utf8(self) -> None:
        result = read_message(hl7(MSH_ADT.format(event="A08"), PID).encode("utf-8"))
        assert isinstance(result, PatientEvent) and result.patient.patient_name.startswith("Ахм")


class TestOrmAnalytic:
    def test_orders(self) -> None:
        result = read_message(ORM)
        assert isinstance(result, OrderMessage)
        assert result.control_id == "ORD7" and result.patient.patient_id == "555123"
        first, second = result.orders
        assert (first.control, first.placer_order_number, first.filler_order_number) == (
            "NW", "PL-1001", "FL-9001")  # fmt: skip
        assert (first.procedure_code, first.procedure_text, first.procedure_coding_system) == (
            "NM-BONE", "Bone scan & SPECT", "L")  # fmt: skip
        # OBR-6 has no offset: it takes MSH-7's +0500
        assert first.requested_at == datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
        assert first.accession_number == "ACC-555"
        assert (second.placer_order_number, second.filler_order_number) == ("PL-1002", None)
        assert (second.procedure_code, second.procedure_coding_system) == ("78815", "C4")
        assert second.requested_at == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

    def test_requested_time_from_orc_7_with_offset(self) -> None:
        text = ORM.replace("||20261122090000|", "|||")
        result = read_message(text)
        assert isinstance(result, OrderMessage)
        assert result.orders[0].requested_at == datetime(2026, 11, 22, 4, 30, tzinfo=UTC)

    def test_no_offset_anywhere_needs_a_time_zone(self) -> None:
        text = ORM.replace("20261122080000+0500", "20261122080000")
        with pytest.raises(Hl7Error, match="no UTC offset"):
            read_message(text)
        result = read_message(text, default_tz=ZoneInfo("Asia/Almaty"))
        assert isinstance(result, OrderMessage)
        assert result.orders[0].requested_at == datetime(2026, 11, 22, 4, 0, tzinfo=UTC)

    def test_obr_without_orc(self) -> None:
        text = hl7("MSH|^~\\&|RIS|H|NM|H|20261122+0600||ORM^O01|1|P|2.5", "PID|||9^^^H^MR",
                   "OBR|1|P9|F9|X^Thyroid scan")  # fmt: skip
        result = read_message(text)
        assert isinstance(result, OrderMessage)
        order = result.orders[0]
        assert (order.control, order.placer_order_number, order.requested_at) == ("NW", "P9", None)


class TestMalformed:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param("", "empty", id="empty"),
            pytest.param(hl7("PID|||1"), "starts with an MSH", id="no-msh"),
            pytest.param(hl7("MSH|^~"), "starts with an MSH", id="short-msh"),
            pytest.param(hl7("MSH|^^\\&|A"), "four distinct delimiters", id="repeated-delimiter"),
            pytest.param(hl7("MSH|^~\\a|A"), "four distinct delimiters", id="letter-delimiter"),
            pytest.param(hl7("MSH|^~\\&|A", "pid|||1"), "is not a segment", id="lower-case-id"),
            pytest.param(hl7("MSH|^~\\&|A", "PIDX|1"), "is not a segment", id="long-id"),
            pytest.param(hl7("MSH|^~\\&|A", "NTE|\\Q\\"), "unknown escape", id="bad-escape"),
            pytest.param(hl7(MSH_ADT.format(event="A01")), "no PID", id="no-pid"),
            pytest.param(hl7(MSH_ADT.format(event="A01"), "PID|1||"), "PID-3", id="no-pid-3"),
            pytest.param(hl7(MSH_ADT.format(event="A01"), "PID|||1||||19801340"),
                         "not a date", id="bad-birth-date"),
            pytest.param(hl7(MSH_ADT.format(event="A02"), PID), "ADT^A02", id="other-event"),
            pytest.param(hl7("MSH|^~\\&|A||||20261122||ORU^R01|1|P|2.5", PID), "ORU^R01",
                         id="oru"),
            pytest.param(ORM.replace("ORC|NW|PL-1002\r", "").replace(
                "OBR|2|||78815^PET/CT skull base to mid-thigh^C4||202611230800\r", "").replace(
                "NM-BONE^Bone scan \\T\\ SPECT^L", ""), "OBR-4", id="no-procedure"),
            pytest.param(ORM.replace("||20261122090000|", "||2026-11-22|"), "HL7 date-time",
                         id="bad-requested-time"),
            pytest.param(hl7("MSH|^~\\&|A||||20261122+0500||ORM^O01|1|P|2.5", "PID|||1"),
                         "no OBR", id="no-order"),
        ],
    )  # fmt: skip
    def test_refused(self, text: str, message: str) -> None:
        with pytest.raises(Hl7Error, match=message.replace("^", "\\^")):
            read_message(text)

    def test_unknown_charset(self) -> None:
        data = hl7(
            "MSH|^~\\&|A|B|C|D|20261122||ADT^A08|1|P|2.5|||||KZ|KLINGON", "PID|||1"
        ).encode()
        with pytest.raises(Hl7Error, match="character set 'KLINGON'"):
            parse_message(data)

    def test_not_valid_in_its_charset(self) -> None:
        with pytest.raises(Hl7Error, match="not valid utf-8"):
            parse_message(hl7(MSH_ADT.format(event="A08"), "PID|||1").encode() + b"\xff\xfe")

    def test_errors_are_input_errors(self) -> None:
        assert issubclass(Hl7Error, NucmedInputError)


def test_parsed_message_is_accepted() -> None:
    message = parse_message(hl7(MSH_ADT.format(event="A04"), PID))
    assert isinstance(message, Message)
    assert isinstance(read_message(message), PatientEvent)


class TestBounds:
    """Every id, date and string of a message is checked against nucmed.bounds."""

    def test_a_50_mb_name_is_refused_clearly(self) -> None:
        long_pid = "PID|1||555123^^^CITYHOSP^MR||" + "A" * 50_000_000 + "^John||19610415|M"
        with pytest.raises(Hl7Error, match="patient name may have at most 200 characters"):
            read_message(hl7(MSH_ADT.format(event="A04"), long_pid))

    @pytest.mark.parametrize(
        "born", [pytest.param("00010101", id="year-1"), pytest.param("99991231", id="year-9999")]
    )
    def test_a_birth_date_outside_1900_to_2100_is_refused(self, born: str) -> None:
        pid = f"PID|1||555123^^^CITYHOSP^MR||Smith^John||{born}|M"
        with pytest.raises(Hl7Error, match="from 1900-01-01 to 2100-12-31"):
            read_message(hl7(MSH_ADT.format(event="A04"), pid))

    def test_a_requested_time_in_year_1_is_refused(self) -> None:
        message = ORM.replace("20261122090000||||", "00010101000000+0500||||")
        with pytest.raises(Hl7Error, match="from 1900-01-01 to 2100-12-31"):
            read_message(message)

    def test_a_nul_in_a_name_is_refused(self) -> None:
        pid = "PID|1||555123^^^CITYHOSP^MR||Sm\x00ith^John||19610415|M"
        with pytest.raises(Hl7Error, match="NUL"):
            read_message(hl7(MSH_ADT.format(event="A04"), pid))


class TestAcknowledgement:
    """HL7 v2.5 section 2.9.2: the ACK a sender expects, MSA and ERR (tables 0008, 0357, 0516)."""

    SENT = datetime(2026, 11, 22, 4, 30, tzinfo=ZoneInfo("Asia/Almaty"))

    def test_accepted(self) -> None:
        ack = acknowledgement(hl7(MSH_ADT.format(event="A04"), PID), code="AA",
                              control_id="N1", sent_at=self.SENT)  # fmt: skip
        msh, msa = ack.rstrip("\r").split("\r")
        assert msa == "MSA|AA|MSGA04"
        fields = msh.split("|")
        assert (fields[2], fields[4], fields[6], fields[8], fields[9]) == (
            "NUCMED", "HIS", "20261122043000+0500", "ACK^A04^ACK", "N1"
        )  # fmt: skip
        assert parse_message(ack).type == ("ACK", "A04")  # our own reader reads it back

    def test_error_and_warnings_escaped(self) -> None:
        ack = acknowledgement(hl7(MSH_ADT.format(event="A01")), code="AE", control_id="N2",
                              sent_at=self.SENT, error="PID-3 | empty",
                              warnings=("sex 'X' ^ unknown",))  # fmt: skip
        errs = [segment for segment in parse_message(ack).segments if segment.id == "ERR"]
        assert [(e.text(3, 1), e.text(4), e.text(8)) for e in errs] == [
            ("207", "E", "PID-3 | empty"), ("0", "W", "sex 'X' ^ unknown"),
        ]  # fmt: skip

    def test_a_message_without_header_is_rejected_all_the_same(self) -> None:
        ack = acknowledgement("garbage", code="AR", control_id="N3", sent_at=self.SENT,
                              error="an HL7 v2 message starts with an MSH segment")  # fmt: skip
        assert "\rMSA|AR|\r" in ack and "|200^Unsupported message type^HL70357|E|" in ack
