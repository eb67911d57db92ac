"""HL7 v2 messages in: patient demographics (ADT^A01, A04, A08) and orders (ORM^O01).

A small reader of the HL7 v2 encoding [1]_, no library: segments end with a carriage return
(a line feed is accepted too); MSH-1 is the field separator and MSH-2 the encoding characters
(component, repetition, escape, subcomponent; a fifth, truncation, is ignored), so any choice
of delimiters is read. Escape sequences in text are decoded: ``\\F\\ \\S\\ \\T\\ \\R\\ \\E\\`` give
the delimiters, ``\\Xhh..\\`` the bytes of the message's character set, ``\\.br\\`` a line break;
highlighting and character-set switches are dropped. A message given as bytes is decoded with
its MSH-18 character set (ASCII, ISO 8859-1, -5 for Cyrillic, UTF-8; UTF-8 if none is named).

What is read, as frozen dataclasses:

- `Patient` from PID [2]_ and PV1: the patient ID (PID-3: the repetition of identifier type
  ``MR`` if there is one, else the first), name (PID-5, first repetition, as DICOM writes it:
  ``Family^Given^Middle``), sex (PID-8, HL7 table 0001) and date of birth (PID-7); patient
  class, location and visit number from PV1-2, PV1-3 and PV1-19.
- `PatientEvent` for ADT^A01 (admit), A04 (register) and A08 (update) [3]_.
- `OrderMessage` for ORM^O01 [4]_: the patient and one `Order` per ORC/OBR pair, with order
  control (ORC-1), placer and filler order numbers (ORC-2, ORC-3, else OBR-2, OBR-3), the
  procedure (OBR-4 code, text and coding system), the requested time (OBR-6, else the start of
  ORC-7) and the accession number (OBR-18, as IHE Radiology uses it).

A time without a UTC offset takes the offset of MSH-7, else the `default_tz` given; else it is
refused. Anything malformed raises `Hl7Error` with what is wrong.

Real senders use local codes for sex (PID-8): the public sample messages of an Australian state
health department send ``1`` and ``2`` [5]_. A site's `sex_codes` map is applied first; a code
neither it nor table 0001 knows is read as unknown sex, with a warning in `Patient.warnings`
(never a refused admission). `acknowledgement` writes the ACK a sender expects [6]_: AA, or AE /
AR with the reason in ERR, and warnings as ERR segments of severity W.

References
----------
.. [1] HL7 Version 2.5 (2003), Chapter 2 "Control": 2.5 message construction rules, 2.7 use
   of escape sequences in text fields, MSH segment; Chapter 2A "Data Types": CX, XPN, CWE,
   TS/DTM.
.. [2] HL7 Version 2.5, Chapter 3 "Patient Administration": PID and PV1 segments; user table
   0001 "Administrative Sex" (F, M, O, U, A, N).
.. [3] HL7 Version 2.5, Chapter 3: events A01, A04 and A08 (message structure ADT_A01).
.. [4] HL7 Version 2.5, Chapter 4 "Order Entry": ORM^O01 "General order message", ORC and
   OBR segments.
.. [5] AIHW METeOR 635126 "Person—sex, code X": 1 Male, 2 Female, 3 Another term,
   9 Not stated/inadequately described.
.. [6] HL7 Version 2.5, Chapter 2: 2.9.2 "Acknowledgment messages", MSA and ERR segments;
   table 0008 (acknowledgment code), 0357 (message error condition code), 0516 (severity).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from nucmed import bounds
from nucmed.errors import N_, NucmedInputError

__all__ = [
    "Hl7Error", "Message", "Order", "OrderMessage", "Patient", "PatientEvent", "Segment",
    "acknowledgement", "parse_message", "read_message",
]  # fmt: skip

Sex = Literal["M", "F", "O"]
_CHARSETS: Final = {
    "": "utf-8", "ASCII": "ascii", "8859/1": "latin-1", "8859/5": "iso8859_5",
    "UNICODE UTF-8": "utf-8", "UNICODE": "utf-8",
}  # fmt: skip
T = TypeVar("T")
_SHORT: Final = 64  # the store's columns: a hospital number, an order number
_LONG: Final = 200  # a patient's name, a procedure's text
_SEX: Final[dict[str, Sex | None]] = {"M": "M", "F": "F", "O": "O", "A": "O", "U": None, "N": None}
_TS = re.compile(
    r"(?P<date>\d{4}(?:\d{2}(?:\d{2})?)?)(?P<time>\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,4})?)?)?)?"
    r"(?P<offset>[+-]\d{4})?"
)


class Hl7Error(NucmedInputError):
    """An HL7 v2 message that nucmed cannot read; the message says what is wrong."""


def _refused(template: str, **values: object) -> Hl7Error:
    """An HL7 error made of one template marked with ``N_`` and its values (segment and field
    names such as ``PID-3`` are codes, kept as they are in every language)."""
    return Hl7Error(parts=((template, values),))


def _quoted(text: str) -> str:
    """Text for quoting in a one-line message: control characters escaped, as ``repr`` does."""
    return repr(text)[1:-1]


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its ID and fields; each field a tuple of repetitions of components of
    subcomponents, all decoded text. ``field(3)`` is PID-3 (for MSH, MSH-3)."""

    id: str
    fields: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]

    def field(self, number: int, repetition: int = 0) -> tuple[tuple[str, ...], ...]:
        """Components (each a tuple of subcomponents) of a repetition; empty if absent."""
        if number >= len(self.fields) or repetition >= len(self.fields[number]):
            return ()
        return self.fields[number][repetition]

    def repetitions(self, number: int) -> int:
        """How many repetitions the field has (0 if empty)."""
        return len(self.fields[number]) if number < len(self.fields) else 0

    def text(self, number: int, component: int = 1, repetition: int = 0) -> str:
        """The first subcomponent of a component (1-based, as HL7 numbers them), or ``""``."""
        components = self.field(number, repetition)
        return components[component - 1][0] if component <= len(components) else ""


@dataclass(frozen=True, slots=True)
class Message:
    """A parsed HL7 v2 message: its segments in order."""

    segments: tuple[Segment, ...]

    @property
    def msh(self) -> Segment:
        """The message header."""
        return self.segments[0]

    @property
    def type(self) -> tuple[str, str]:
        """Message code and trigger event from MSH-9, e.g. ``("ADT", "A04")``."""
        return self.msh.text(9, 1).upper(), self.msh.text(9, 2).upper()

    def all(self, segment_id: str) -> tuple[Segment, ...]:
        """The segments with an ID, in order."""
        return tuple(segment for segment in self.segments if segment.id == segment_id)


@dataclass(frozen=True, slots=True)
class Patient:
    """Patient demographics from PID (and PV1). Times as read; sex as in DICOM."""

    patient_id: str
    id_authority: str | None
    patient_name: str
    sex: Sex | None
    birth_date: datetime.date | None
    patient_class: str | None = None
    location: str | None = None
    visit_number: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PatientEvent:
    """ADT^A01, A04 or A08: who the message is about."""

    event: str
    control_id: str
    patient: Patient


@dataclass(frozen=True, slots=True)
class Order:
    """One ORC/OBR pair of an ORM^O01."""

    control: str
    placer_order_number: str | None
    filler_order_number: str | None
    procedure_code: str
    procedure_text: str
    procedure_coding_system: str | None
    requested_at: datetime.datetime | None
    accession_number: str | None


@dataclass(frozen=True, slots=True)
class OrderMessage:
    """ORM^O01: the patient and the orders."""

    control_id: str
    patient: Patient
    orders: tuple[Order, ...]


def _charset(header: str) -> str:
    """The Python codec of the character set that MSH-18 names (UTF-8 if none)."""
    fields = header.split(header[3:4]) if len(header) > 3 else []  # noqa: PLR2004
    name = fields[17].split(header[4:5])[0].strip().upper() if len(fields) > 17 else ""  # noqa: PLR2004
    codec = _CHARSETS.get(name)
    if codec is None:
        raise _refused(
            N_("character set '{name}' in MSH-18; use one of {allowed}"),
            name=_quoted(name),
            allowed=", ".join(_CHARSETS),
        )
    return codec


def _decode(data: bytes) -> str:
    """Bytes to text in the MSH-18 character set (the header is read as Latin-1 first)."""
    codec = _charset(re.split(rb"\r|\n", data.lstrip(b"\x0b"), maxsplit=1)[0].decode("latin-1"))
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise _refused(
            N_("the message is not valid {codec}: {reason}"), codec=codec, reason=error.reason
        ) from None


class _Codec:
    """The delimiters of one message and the decoding of its escape sequences [1]_."""

    def __init__(self, msh: str) -> None:
        if not msh.startswith("MSH") or len(msh) < 8:  # noqa: PLR2004
            raise _refused(
                N_("an HL7 v2 message starts with an MSH segment such as MSH|^~\\&|...")
            )
        self.field = msh[3]
        encoding = msh[4:].split(self.field, 1)[0]
        chars = (self.field, *encoding[:4])
        if len(encoding) not in (4, 5) or len(set(chars)) != 5 or any(c.isalnum() for c in chars):  # noqa: PLR2004
            raise _refused(
                N_("MSH-2 '{encoding}': give four distinct delimiters, e.g. ^~\\&"),
                encoding=_quoted(encoding),
            )
        self.component, self.repetition = encoding[0], encoding[1]
        self.escape, self.subcomponent = encoding[2], encoding[3]
        self.charset = _charset(msh)

    def unescape(self, text: str) -> str:
        if self.escape not in text:
            return text
        names = {"F": self.field, "S": self.component, "T": self.subcomponent,
                 "R": self.repetition, "E": self.escape, ".br": "\n"}  # fmt: skip
        pattern = re.compile(re.escape(self.escape) + r"([^" + re.escape(self.escape) + r"]*)"
                             + re.escape(self.escape))  # fmt: skip

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in names:
                return names[name]
            if name.startswith("X") and re.fullmatch(r"X(?:[0-9A-Fa-f]{2})+", name):
                return bytes.fromhex(name[1:]).decode(self.charset, errors="replace")
            if name[:1] in {"H", "N", "C", "M", "Z"}:
                return ""  # highlighting, character-set switches, local escapes: dropped
            raise _refused(
                N_("unknown escape sequence '{sequence}'"), sequence=_quoted(match.group(0))
            )

        return pattern.sub(one, text)

    def split_field(self, text: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
        if text == "":
            return ()
        return tuple(
            tuple(tuple(self.unescape(sub) for sub in component.split(self.subcomponent))
                  for component in repetition.split(self.component))
            for repetition in text.split(self.repetition)
        )  # fmt: skip


def parse_message(text: str | bytes) -> Message:
    """Parse an HL7 v2 message into segments, fields, repetitions and components.

    Parameters
    ----------
    text
        The message: segments separated by carriage returns (or line feeds); bytes are
        decoded with the MSH-18 character set.

    Returns
    -------
    Message
        The segments, every text decoded of its escape sequences.

    Raises
    ------
    Hl7Error
        If the message does not start with a valid MSH, a segment ID is not three letters or
        digits, or an escape sequence is unknown.

    Examples
    --------
    >>> message = parse_message("MSH|^~\\\\&|RIS|H|NM|H|20261122083000||ADT^A04|1|P|2.5\\r"
    ...                         "PID|||123^^^H^MR||Smith\\\\S\\\\Jones^Ann")
    >>> message.type, message.all("PID")[0].text(5, 1)
    (('ADT', 'A04'), 'Smith^Jones')
    """
    if isinstance(text, bytes):
        text = _decode(text)
    lines = [line for line in re.split(r"\r\n|\r|\n", text.strip("\r\n \x0b\x1c")) if line]
    if not lines:
        raise _refused(N_("the message is empty"))
    codec = _Codec(lines[0])
    segments = []
    for line in lines:
        segment_id = line[:3]
        if not re.fullmatch(r"[A-Z][A-Z0-9]{2}", segment_id) or line[3:4] not in ("", codec.field):
            raise _refused(
                N_("'{start}'... is not a segment: it starts with a 3-letter ID"),
                start=_quoted(line[:20]),
            )
        raw = line.split(codec.field)
        if segment_id == "MSH":  # MSH-1 is the separator itself, MSH-2 the encoding characters
            fields = [(((codec.field,),),), (((raw[1],),),), *map(codec.split_field, raw[2:])]
            segments.append(Segment("MSH", ((), *fields)))
        else:
            segments.append(Segment(segment_id, ((), *map(codec.split_field, raw[1:]))))
    return Message(tuple(segments))


def _time(text: str, order: int, default: datetime.tzinfo | None) -> datetime.datetime | None:
    """The requested time of order number `order`, an HL7 TS/DTM
    (YYYYMMDDHHMM[SS[.S...]][+ZZZZ]), as an aware UTC datetime, or None."""
    if not text:
        return None
    match = _TS.fullmatch(text.strip())
    if match is None or match["time"] is None or len(match["time"]) < 4:  # noqa: PLR2004
        raise _refused(
            N_(
                "requested time of order {order} '{text}' is not an HL7 date-time "
                "YYYYMMDDHHMM[SS][+ZZZZ]"
            ),
            order=order,
            text=_quoted(text),
        )
    digits = (match["date"] + match["time"]).split(".")[0].ljust(14, "0")
    fraction = match["time"].split(".")[1] if "." in match["time"] else ""
    try:
        moment = datetime.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(
            microsecond=int(fraction.ljust(6, "0")) if fraction else 0)  # fmt: skip
    except ValueError:
        raise _refused(
            N_("requested time of order {order} '{text}' is not a valid date-time"),
            order=order,
            text=_quoted(text),
        ) from None
    zone = _zone(match["offset"]) or default
    if zone is None:
        raise _refused(
            N_(
                "requested time of order {order} '{text}' has no UTC offset (+ZZZZ), nor has "
                "MSH-7; give the sender's time zone"
            ),
            order=order,
            text=_quoted(text),
        )
    try:
        utc = moment.replace(tzinfo=zone).astimezone(datetime.UTC)
    except OverflowError:
        utc = datetime.datetime.min.replace(tzinfo=datetime.UTC)  # refused just below
    try:
        return bounds.check_moment(N_("requested time"), utc)
    except NucmedInputError as error:
        raise Hl7Error(parts=((N_("order {order}"), {"order": order}), *error.parts)) from None


def _bounded(check: Callable[..., T], *args: object) -> T:
    """``check(*args)`` from :mod:`nucmed.bounds`, its refusal as an :class:`Hl7Error`."""
    try:
        return check(*args)
    except NucmedInputError as error:
        raise Hl7Error(parts=error.parts) from None


def _text(text: str, what: str, most: int = _SHORT) -> str:
    """A field's text within its column (no NUL, no lone surrogate)."""
    return _bounded(bounds.check_text, what, text, most)


def _birth_date(text: str) -> datetime.date | None:
    """The date of birth, PID-7: the date of an HL7 DT/TS (YYYYMMDD...), or None."""
    if not text:
        return None
    try:
        day = datetime.datetime.strptime(text.strip()[:8], "%Y%m%d").date()
    except ValueError:
        raise _refused(
            N_("PID-7 date of birth '{text}' is not a date YYYYMMDD"), text=_quoted(text)
        ) from None
    return _bounded(bounds.check_date, "PID-7 date of birth", day)


def _sex(code: str, sex_codes: Mapping[str, Sex | None]) -> tuple[Sex | None, tuple[str, ...]]:
    """PID-8 through the site's map, then table 0001; an unknown code: unknown, with a warning."""
    if code in sex_codes:
        return sex_codes[code], ()
    if code in _SEX or not code:
        return _SEX.get(code), ()
    known = ", ".join([*sex_codes, *_SEX])
    return None, (f"PID-8 sex {code!r} is not a known code ({known}): stored as unknown",)


def _patient(message: Message, sex_codes: Mapping[str, Sex | None]) -> Patient:
    pids = message.all("PID")
    if not pids:
        raise _refused(N_("{kind} has no PID segment"), kind=_quoted("^".join(message.type)))
    pid = pids[0]
    ids = range(pid.repetitions(3))
    chosen = next((r for r in ids if pid.text(3, 5, r).upper() == "MR"), 0)
    patient_id = pid.text(3, 1, chosen)
    if not patient_id:
        raise _refused(N_("PID-3 (patient identifier list) is empty"))
    name = pid.field(5)
    parts = [name[0][0] if name else "", *(c[0] for c in name[1:3])]
    sex, warnings = _sex(pid.text(8).strip().upper(), sex_codes)
    pv1 = (message.all("PV1") or (None,))[0]
    return Patient(
        patient_id=_text(patient_id, "PID-3 patient identifier"),
        id_authority=_text(pid.text(3, 4, chosen), "PID-3 assigning authority") or None,
        patient_name=_text("^".join(parts).rstrip("^"), "PID-5 patient name", _LONG),
        sex=sex,
        birth_date=_birth_date(pid.text(7)),
        patient_class=(pv1.text(2) or None) if pv1 else None,
        location=_location(pv1),
        visit_number=(_text(pv1.text(19), "PV1-19 visit number") or None) if pv1 else None,
        warnings=warnings,
    )


def _location(pv1: Segment | None) -> str | None:
    """PV1-3, the patient's location (``ward^room^bed``), or None."""
    if pv1 is None:
        return None
    return _text("^".join(c[0] for c in pv1.field(3)).strip("^"), "PV1-3", _LONG) or None


def _orders(message: Message, default: datetime.tzinfo | None) -> tuple[Order, ...]:
    orders: list[Order] = []
    orc: Segment | None = None
    for segment in message.segments:
        if segment.id == "ORC":
            orc = segment
        elif segment.id == "OBR":
            orders.append(_order(orc, segment, len(orders) + 1, default))
    if not orders:
        raise _refused(N_("ORM^O01 has no OBR segment: nothing is ordered"))
    return tuple(orders)


def _order(orc: Segment | None, obr: Segment, n: int, default: datetime.tzinfo | None) -> Order:
    code = obr.text(4, 1)
    if not code and not obr.text(4, 2):
        raise _refused(
            N_("OBR-4 (universal service identifier) of order {order} is empty"), order=n
        )
    requested = obr.text(6) or (orc.text(7, 4) if orc else "")
    placer = (orc.text(2) if orc else "") or obr.text(2)
    filler = (orc.text(3) if orc else "") or obr.text(3)
    return Order(
        control=_text((orc.text(1) if orc else "") or "NW", "ORC-1 order control"),
        placer_order_number=_text(placer, "placer order number") or None,
        filler_order_number=_text(filler, "filler order number") or None,
        procedure_code=_text(code, "OBR-4 procedure code"),
        procedure_text=_text(obr.text(4, 2), "OBR-4 procedure text", _LONG),
        procedure_coding_system=_text(obr.text(4, 3), "OBR-4 coding system") or None,
        requested_at=_time(requested, n, default),
        accession_number=_text(obr.text(18), "OBR-18 accession number") or None,
    )


def read_message(
    text: str | bytes | Message,
    *,
    default_tz: datetime.tzinfo | None = None,
    sex_codes: Mapping[str, Sex | None] | None = None,
) -> PatientEvent | OrderMessage:
    """Read an ADT^A01/A04/A08 or ORM^O01 message.

    Parameters
    ----------
    text
        The message (text, bytes, or already parsed).
    default_tz
        Time zone of times without an offset when MSH-7 has none either, e.g.
        ``ZoneInfo("Asia/Almaty")``; if None, such times are refused.
    sex_codes
        The site's local PID-8 codes (upper case) and the sex each means (None: unknown),
        applied before HL7 table 0001, e.g. ``{"1": "M", "2": "F", "9": None}``.

    Returns
    -------
    PatientEvent or OrderMessage
        What the message says; times in UTC.

    Raises
    ------
    Hl7Error
        If the message is malformed, of another type, or lacks PID-3 or OBR-4 (an unknown sex
        code is not an error: see `Patient.warnings`).

    Examples
    --------
    >>> event = read_message("MSH|^~\\\\&|HIS|H|NM|H|20261122083000+0500||ADT^A08|7|P|2.5\\r"
    ...                      "PID|||A1^^^H^PI~555^^^H^MR||Ахметова^Айгуль||19800229|F")
    >>> event.event, event.patient.patient_id, event.patient.patient_name, event.patient.sex
    ('A08', '555', 'Ахметова^Айгуль', 'F')
    """
    message = text if isinstance(text, Message) else parse_message(text)
    kind, event = message.type
    control_id = message.msh.text(10)
    codes = {} if sex_codes is None else dict(sex_codes)
    if kind == "ADT" and event in {"A01", "A04", "A08"}:
        return PatientEvent(event, control_id, _patient(message, codes))
    if (kind, event) == ("ORM", "O01"):
        sent = _TS.fullmatch(message.msh.text(7).strip())
        zone = (_zone(sent["offset"]) if sent else None) or default_tz
        return OrderMessage(control_id, _patient(message, codes), _orders(message, zone))
    raise _refused(
        N_("message type {kind}: nucmed reads ADT^A01, A04, A08 and ORM^O01"),
        kind=_quoted(f"{kind}^{event}"),
    )


def _zone(offset: str | None) -> datetime.tzinfo | None:
    """The fixed zone of an HL7 offset ``+ZZZZ``, or None."""
    if not offset:
        return None
    minutes = int(offset[1:3]) * 60 + int(offset[3:])
    return datetime.timezone(datetime.timedelta(minutes=minutes if offset[0] == "+" else -minutes))


AckCode = Literal["AA", "AE", "AR"]
_ACK_ESCAPES: Final = (("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"),
                       ("~", "\\R\\"), ("\r", " "), ("\n", " "))  # fmt: skip


def _escaped(text: str) -> str:
    """Text for a field of the ACK (standard delimiters ``|^~\\&``), escaped [1]_."""
    for raw, escape in _ACK_ESCAPES:
        text = text.replace(raw, escape)
    return text


def _header_fields(received: str) -> list[str]:
    """The received MSH fields, read leniently (the message may be malformed): index = MSH-n."""
    first = re.split(r"\r|\n", received.lstrip("\x0b \r\n"), maxsplit=1)[0]
    if not first.startswith("MSH") or len(first) < 4:  # noqa: PLR2004
        return []
    return ["", first[3], *first[4:].split(first[3])]


def acknowledgement(  # noqa: PLR0913 - the ACK's parts, keyword-only
    received: str,
    *,
    code: AckCode,
    control_id: str,
    sent_at: datetime.datetime,
    error: str | None = None,
    warnings: tuple[str, ...] = (),
) -> str:
    """The ACK of a received message: MSH, MSA and an ERR per error or warning [6]_.

    Parameters
    ----------
    received
        The message as received (its MSH gives the sender, the control ID and the version;
        a message without a readable MSH is answered all the same).
    code
        ``AA`` accepted, ``AE`` error in the message, ``AR`` rejected (not for this system).
    control_id
        The ACK's own message control ID.
    sent_at
        When the ACK is sent (aware; written with its offset).
    error
        What is wrong (AE, AR): ERR-3 ``207`` (application internal error) or ``200``
        (unsupported message type, AR), severity E, ERR-8 the text.
    warnings
        Each an ERR segment of severity W (table 0516), e.g. an unknown sex code.

    Returns
    -------
    str
        The ACK, segments ended by carriage returns (MLLP framing is the listener's).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> ack = acknowledgement("MSH|^~\\\\&|HIS|H|NM|H|20261122||ADT^A04|77|P|2.5", code="AA",
    ...                       control_id="1", sent_at=datetime(2026, 11, 22, tzinfo=UTC))
    >>> ack.split("\\r")[1]
    'MSA|AA|77'
    """
    fields = _header_fields(received)

    def msh(n: int) -> str:
        return fields[n] if len(fields) > n else ""

    trigger = msh(9).split("^")[1] if "^" in msh(9) else ""
    header = ["MSH", "^~\\&", "NUCMED", msh(6) or "NUCMED", msh(3), msh(4),
              f"{sent_at:%Y%m%d%H%M%S%z}", "", f"ACK^{trigger}^ACK", _escaped(control_id),
              msh(11) or "P", msh(12) or "2.5"]  # fmt: skip
    segments = ["|".join(header), f"MSA|{code}|{_escaped(msh(10))}"]
    if error is not None:
        condition = "200^Unsupported message type^HL70357" if code == "AR" else (
            "207^Application internal error^HL70357")  # fmt: skip
        segments.append(f"ERR|||{condition}|E||||{_escaped(error)}")  # ERR-8: user message
    segments += [f"ERR|||0^Message accepted^HL70357|W||||{_escaped(w)}" for w in warnings]
    return "\r".join(segments) + "\r"
