"""The HL7 v2 node over MLLP, driven by python-hl7's ``MLLPClient`` (a client no one here
wrote), its answers read back with python-hl7's parser.

Expected values are **analytic**: an admission registers the patient, an update corrects the
name through the audited correction, an order becomes a dose request with its accession
number; a malformed message gets a NAK that says what is wrong; the node outlives bad peers.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import hl7
import pytest
from hl7.client import MLLPClient
from sqlalchemy import select

from nucmed.listeners.hl7 import Hl7Node, start
from nucmed.services.clock import FixedClock
from nucmed.services.network import open_device
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import DoseRequest, Patient
from nucmed.store.models import AuditEntry
from tests.listeners.conftest import ALMATY, free_port

SEX_CODES = {"1": "M", "2": "F", "3": "O", "9": None}  # AIHW METeOR 635126


@pytest.fixture
def hl7_port(network_db: Database) -> Iterator[int]:
    """The site's HL7 node on a free loopback port, with the AIHW sex codes."""
    device = open_device(network_db, "hl7", "NM-ALA")
    port = free_port()
    server = start(Hl7Node(network_db, device, SEX_CODES), "127.0.0.1", port)  # type: ignore[arg-type]
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def msh(kind: str, control: str = "C1") -> str:
    return f"MSH|^~\\&|HIS|CITY|NUCMED|NM|20261122083000+0500||{kind}|{control}|P|2.5"


def send(port: int, *segments: str) -> hl7.Message:
    with MLLPClient("127.0.0.1", port) as client:
        answer = client.send_message("\r".join(segments) + "\r")
    return hl7.parse(answer.strip(b"\x0b\x1c\r").decode("utf-8"))


def ack(answer: hl7.Message) -> tuple[str, str, list[tuple[str, str]]]:
    """(MSA-1, MSA-2, [(ERR-4 severity, ERR-8 text)])."""
    errors = answer.segments("ERR") if "ERR" in str(answer) else []
    return (str(answer.segment("MSA")[1]), str(answer.segment("MSA")[2]),
            [(str(err[4]), answer.unescape(str(err[8]))) for err in errors])  # fmt: skip


def patient(database: Database, number: str) -> Patient:
    with transaction(database, read_only=True) as store:
        return store.session.scalars(select(Patient).where(Patient.local_id == number)).one()


def test_an_admission_with_a_local_sex_code_registers_the_patient(
    hl7_port: int, network_db: Database
) -> None:
    answer = send(hl7_port, msh("ADT^A04^ADT_A01", "A1"),
                  "PID|1||KZ-2^^^CITY^MR||Seitkali^Dana||19850312|2")  # fmt: skip
    assert ack(answer) == ("AA", "A1", [])
    assert str(answer.segment("MSH")[9]) == "ACK^A04^ACK"
    made = patient(network_db, "KZ-2")
    assert (made.full_name, made.sex) == ("Seitkali^Dana", "F")  # as the file import stores it


def test_an_unknown_sex_code_is_stored_as_unknown_with_a_warning(
    hl7_port: int, network_db: Database
) -> None:
    answer = send(hl7_port, msh("ADT^A01"), "PID|1||KZ-3^^^CITY^MR||Omarov^Ruslan||19610415|7")
    code, _, errors = ack(answer)
    assert code == "AA" and [severity for severity, _ in errors] == ["W"]
    assert "PID-8 sex '7'" in errors[0][1] and "stored as unknown" in errors[0][1]
    assert patient(network_db, "KZ-3").sex is None


def test_an_update_corrects_the_name_through_the_audited_correction(
    hl7_port: int, network_db: Database
) -> None:
    answer = send(hl7_port, msh("ADT^A08^ADT_A01", "U1"),
                  "PID|1||KZ-1^^^CITY^MR||Ivanova-Petrova^Aigerim||19800517|2")  # fmt: skip
    assert ack(answer) == ("AA", "U1", [])
    assert patient(network_db, "KZ-1").full_name == "Ivanova-Petrova^Aigerim"
    with transaction(network_db, read_only=True) as store:
        actions = list(store.session.scalars(select(AuditEntry.action)))
    assert "hl7.receive" in actions and any("correct" in action for action in actions)


def test_an_order_becomes_a_dose_request_with_its_accession_number(
    hl7_port: int, network_db: Database, clock: FixedClock
) -> None:
    planned = (clock.now() + timedelta(hours=2)).astimezone(ALMATY)
    answer = send(hl7_port, msh("ORM^O01", "O1"),
                  "PID|1||KZ-1^^^CITY^MR||Ivanova^Aigerim||19800517|F", "ORC|NW|PL-9",
                  f"OBR|1|PL-9||bone^Bone scintigraphy (MDP)^L||{planned:%Y%m%d%H%M%S%z}"
                  "||||||||||||ACC-HL7-9")  # fmt: skip
    assert ack(answer) == ("AA", "O1", [])
    with transaction(network_db, read_only=True) as store:
        made = store.session.scalars(
            select(DoseRequest).where(DoseRequest.accession_number == "ACC-HL7-9")
        ).one()
    assert made.planned_at == planned and made.radiopharmaceutical == "tc99m-mdp"


@pytest.mark.parametrize(
    ("segments", "code", "says"),
    [
        pytest.param((msh("ADT^A01"),), "AE", "has no PID segment", id="no-pid"),
        pytest.param((msh("ADT^A04"), "PID|1||"), "AE", "PID-3", id="no-patient-id"),
        pytest.param((msh("ORM^O01"), "PID|1||KZ-1^^^CITY^MR||Ivanova^Aigerim", "ORC|NW|X",
                      "OBR|1|X||XYZ^Something else||20261123090000+0500"), "AE",
                     "not in the catalogue", id="unknown-procedure"),
        pytest.param((msh("ORU^R01"), "PID|1||KZ-1"), "AR", "ORU^R01", id="other-type"),
        pytest.param(("hello",), "AR", "starts with an MSH", id="not-hl7"),
    ],
)  # fmt: skip
def test_a_malformed_message_gets_a_nak_that_says_why(
    hl7_port: int, segments: tuple[str, ...], code: str, says: str
) -> None:
    got, _, errors = ack(send(hl7_port, *segments))
    assert got == code and [severity for severity, _ in errors] == ["E"]
    assert says in errors[0][1]


def test_the_node_survives_bad_peers_and_serves_many_messages_per_connection(
    hl7_port: int, network_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.create_connection(("127.0.0.1", hl7_port), timeout=5) as peer:
        peer.sendall(b"\x0bMSH|^~\\&|HALF")  # half a message, then gone
    with socket.create_connection(("127.0.0.1", hl7_port), timeout=10) as peer:
        try:
            peer.sendall(b"\x0b" + b"X" * (5 * 1024 * 1024))  # more than a message may be
            answer = peer.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            answer = b""  # the node answered and closed before the peer had sent it all
        assert not answer or b"MSA|AR|" in answer
    assert "without a frame end" in caplog.text  # refused, whichever side closed first
    with MLLPClient("127.0.0.1", hl7_port) as client:
        for n in range(3):
            raw = client.send_message(
                f"{msh('ADT^A04', f'M{n}')}\rPID|1||KZ-1{n}^^^CITY^MR||Name^Given||19700101|1\r"
            )
            assert f"MSA|AA|M{n}".encode() in raw  # fmt: skip
    assert patient(network_db, "KZ-12").sex == "M"
