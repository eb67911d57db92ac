"""The site's HL7 v2 node: messages over MLLP (Minimal Lower Layer Protocol) [1]_, each
answered with its ACK.

A message is framed ``<VT> message <FS><CR>`` (0x0B, 0x1C 0x0D). One connection may carry any
number of messages, one after another. A peer that sends more than :data:`MAX_MESSAGE_BYTES`
without a frame's end is answered AR and disconnected; one silent for :data:`TIMEOUT_S` is
disconnected; bytes outside a frame are skipped. Nothing a peer sends stops the listener. The
log names the peer, the message type, its control ID and the answer, never a patient.

References
----------
.. [1] HL7 Version 2.5 (2003), Appendix C "Lower Layer Protocols", C.4 "Minimal Lower Layer
   Protocol".
"""

from __future__ import annotations

import itertools
import logging
import socket
import socketserver
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from nucmed.interop.hl7v2 import Sex, acknowledgement
from nucmed.services.network import Device, Hl7Outcome, take_hl7
from nucmed.services.uow import Database

__all__ = ["MAX_MESSAGE_BYTES", "TIMEOUT_S", "Hl7Node", "start"]

log = logging.getLogger("nucmed.listeners.hl7")

START: Final = b"\x0b"
END: Final = b"\x1c\x0d"
MAX_MESSAGE_BYTES: Final = 4 * 1024 * 1024  # an ADT or ORM is a few kB; a peer's junk is cut
TIMEOUT_S: Final = 30  # a peer silent this long is disconnected
_CHUNK: Final = 65536
_numbers = itertools.count(1)
_numbers_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Hl7Node:
    """What a listener serves: the database, the site's HL7 device account and its local
    PID-8 sex codes."""

    database: Database
    device: Device
    sex_codes: Mapping[str, Sex | None]


def _control_id() -> str:
    with _numbers_lock:
        return f"NUCMED{next(_numbers)}"


def _decode(frame: bytes) -> str:
    """The message's text: UTF-8, else Latin-1 (which reads any byte: the parser then checks
    the MSH-18 character set)."""
    try:
        return frame.decode("utf-8")
    except UnicodeDecodeError:
        return frame.decode("latin-1")


class _Connection(socketserver.BaseRequestHandler):
    """One peer's connection: read frames, answer each."""

    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(TIMEOUT_S)
        peer = "%s:%s" % self.client_address[:2]  # noqa: UP031 - an address pair
        log.info("connection from %s", peer)
        pending = b""
        try:
            while True:
                data = sock.recv(_CHUNK)
                if not data:
                    break
                pending = self._frames(sock, peer, pending + data)
                if len(pending) > MAX_MESSAGE_BYTES:
                    log.warning("from %s: more than %d bytes without a frame end", peer,
                                MAX_MESSAGE_BYTES)  # fmt: skip
                    self._answer(sock, "", Hl7Outcome("AR", "message too large", (), ""))
                    break
        except (TimeoutError, OSError) as error:
            log.warning("connection from %s dropped (%s)", peer, type(error).__name__)
        log.info("connection from %s closed", peer)

    def _frames(self, sock: socket.socket, peer: str, pending: bytes) -> bytes:
        """Answer every whole frame in ``pending``; return what is left of it."""
        while True:
            start = pending.find(START)
            if start < 0:
                return b""  # bytes outside a frame: skipped
            end = pending.find(END, start)
            if end < 0:
                return pending[start:]
            text = _decode(pending[start + 1 : end])
            pending = pending[end + len(END) :]
            self._one(sock, peer, text)

    def _one(self, sock: socket.socket, peer: str, text: str) -> None:
        node = self.server.node
        try:
            outcome = take_hl7(node.database, node.device, text, node.sex_codes)
        except Exception:  # a bug or a busy database: the peer is told, the listener goes on
            log.exception("message from %s failed", peer)
            outcome = Hl7Outcome("AE", "internal error: try again later", (), "")
        log.info("%s from %s: %s%s", outcome.message_type or "message", peer, outcome.code,
                 f", {len(outcome.warnings)} warnings" if outcome.warnings else "")  # fmt: skip
        self._answer(sock, text, outcome)

    def _answer(self, sock: socket.socket, text: str, outcome: Hl7Outcome) -> None:
        ack = acknowledgement(
            text, code=outcome.code, control_id=_control_id(),
            sent_at=self.server.node.database.clock.now(), error=outcome.error,
            warnings=outcome.warnings,
        )  # fmt: skip
        sock.sendall(START + ack.encode("utf-8") + END)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], node: Hl7Node) -> None:
        self.node = node
        super().__init__(address, _Connection)


def start(node: Hl7Node, host: str, port: int) -> socketserver.ThreadingTCPServer:
    """Start listening on ``host:port`` in a background thread; ``server.shutdown()`` stops."""
    server = _Server((host, port), node)
    threading.Thread(target=server.serve_forever, name="hl7-listener", daemon=True).start()
    log.info("HL7 node of site %s listening on %s:%d", node.device.site_code, host, port)
    return server
