"""HL7 v2 messages from the hospital system over MLLP: each read and applied through the same
use case as the file import (:func:`nucmed.services.clinic.exchange.import_hl7`) as the site's
HL7 device account, and answered: AA, or AE (an error in the message) / AR (not a message this
node takes) with the reason, and the warnings (an unknown sex code) [1]_.

References
----------
.. [1] HL7 Version 2.5 (2003), Chapter 2, 2.9.2 "Acknowledgment messages", table 0008.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, cast

from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.interop import hl7v2
from nucmed.services.audit import Event, record
from nucmed.services.clinic.exchange import import_hl7
from nucmed.services.network.devices import Device
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.uow import Database, transaction

__all__ = ["Hl7Outcome", "sex_code_map", "take_hl7"]

_TAKEN: Final = frozenset({("ADT", "A01"), ("ADT", "A04"), ("ADT", "A08"), ("ORM", "O01")})
_SEXES: Final[dict[str, hl7v2.Sex | None]] = {"M": "M", "F": "F", "O": "O", "U": None, "": None}


@dataclass(frozen=True, slots=True)
class Hl7Outcome:
    """How a message is answered: the acknowledgment code, the reason of an AE or AR, the
    warnings of an AA, and what it made (the patient, the dose requests)."""

    code: hl7v2.AckCode
    error: str | None
    warnings: tuple[str, ...]
    message_type: str
    patient_id: int | None = None
    dose_requests: tuple[int, ...] = ()


def sex_code_map(pairs: Iterable[str]) -> dict[str, hl7v2.Sex | None]:
    """A site's PID-8 codes from ``CODE=SEX`` pairs (SEX: M, F, O, or U or nothing: unknown).

    Raises
    ------
    NucmedInputError
        A pair is not ``CODE=SEX`` with one of those sexes.

    Examples
    --------
    >>> sex_code_map(["1=M", "2=F", "9="])
    {'1': 'M', '2': 'F', '9': None}
    """
    codes: dict[str, hl7v2.Sex | None] = {}
    for pair in pairs:
        code, equals, sex = pair.partition("=")
        if not equals or not code.strip() or sex.strip().upper() not in _SEXES:
            raise refusal(N_("sex code {pair}: write CODE=SEX with SEX one of M, F, O, U"),
                          pair=pair)  # fmt: skip
        codes[code.strip().upper()] = _SEXES[sex.strip().upper()]
    return codes


def _kind(text: str) -> tuple[str, Hl7Outcome | None]:
    """The message type, or the AR outcome of a message this node does not take."""
    try:
        kind = hl7v2.parse_message(text).type
    except NucmedInputError as error:
        return "", Hl7Outcome("AR", str(error), (), "")
    name = "^".join(kind)
    if kind not in _TAKEN:
        reason = f"message type {name}: this node takes ADT^A01, A04, A08 and ORM^O01"
        return name, Hl7Outcome("AR", reason, (), name)
    return name, None


def take_hl7(
    database: Database, device: Device, text: str, sex_codes: Mapping[str, hl7v2.Sex | None]
) -> Hl7Outcome:
    """Apply one message as the site's HL7 device account; never raises for a bad message.

    Returns
    -------
    Hl7Outcome
        AA with warnings; AE with what is wrong in the message (nothing is recorded); AR for a
        message that is not HL7 v2, of a type not taken, or not allowed to the device.
    """
    name, rejected = _kind(text)
    if rejected is not None:
        return rejected
    try:
        with transaction(database) as store:
            site = store.sites.by_code(device.site_code)
            actor = store.users.by_id(device.user_id)
            assert site is not None and actor is not None  # the device's own site and account
            made = import_hl7(store, actor, site, text, sex_codes)
            details = {"message_type": name, "warnings": len(made["warnings"])}
            record(store, actor, Event("hl7.receive", "patient", made["patient_id"],
                                       site_id=site.id, details=details))  # fmt: skip
    except AccessDeniedError as refused:
        return Hl7Outcome("AR", str(refused), (), name)
    except NucmedInputError as error:
        return Hl7Outcome("AE", str(error), (), name)
    return Hl7Outcome("AA", None, tuple(cast(list[str], made["warnings"])), name,
                      made["patient_id"], tuple(made["dose_requests"]))  # fmt: skip
