"""The site's DICOM node: Verification (C-ECHO), Storage (C-STORE) of RRDSR, NM, PET and CT
objects, and the Modality Worklist (C-FIND), with pynetdicom [1]_.

Associations are accepted only from the calling AE titles configured at the site (others are
rejected at association, PS3.8 7.1.1.9, "calling AE title not recognized"); each request is
handed to a service of :mod:`nucmed.services.network` as the site's DICOM device account. The
log names the peer, the service, the status and the kind of a refusal, never a patient (nor the
text of a refusal, which may name one).

References
----------
.. [1] DICOM PS3.4 (2025b), Annex A (Verification), B (Storage), K.6 (Modality Worklist);
   PS3.7 C.4.1 (C-STORE status), C.4.2 (C-FIND status).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pydicom.dataset import Dataset
from pydicom.valuerep import DA
from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, _config, evt
from pynetdicom.events import Event, EventHandlerType
from pynetdicom.transport import ThreadedAssociationServer

from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.services.network import (
    ACCEPTED_SOP_CLASSES,
    Device,
    WorklistItem,
    WorklistQuery,
    receive_object,
    worklist,
)
from nucmed.services.permissions import AccessDeniedError
from nucmed.services.uow import Database

__all__ = ["DicomNode", "receive_large_objects_into_files", "start"]

log = logging.getLogger("nucmed.listeners.dicom")

SUCCESS: Final = 0x0000
PENDING: Final = 0xFF00
REFUSED_NOT_AUTHORIZED: Final = 0x0124  # PS3.7 C.4.1.1.4 "Refused: Not Authorized"
CANNOT_UNDERSTAND: Final = 0xC000  # PS3.7 C.4.1: Error, cannot understand
UNABLE_TO_PROCESS: Final = 0xC001  # PS3.7 C.4.2.1.4: Failed, unable to process
TIMEOUT_S: Final = 30  # a peer silent this long in an association is dropped
VERIFICATION: Final = "1.2.840.10008.1.1"  # PS3.4 A.4
WORKLIST_FIND: Final = "1.2.840.10008.5.1.4.31"  # PS3.4 K.6.1.1 (Modality Worklist FIND)


@dataclass(frozen=True, slots=True)
class DicomNode:
    """What a listener serves: the installation's database, the site's device account, the
    object store's folder and its own AE title."""

    database: Database
    device: Device
    folder: Path
    ae_title: str


def _kind(error: Exception) -> str:
    """What went wrong, for the log: the error's kind, not its text (which may name a
    patient); the peer's status code says the rest."""
    return type(error).__name__


def _calling(event: Event) -> str:
    return str(event.assoc.requestor.ae_title).strip()


def _on_echo(event: Event) -> int:
    log.info("C-ECHO from %s", _calling(event))
    return SUCCESS


def _received(event: Event) -> bytes | Path:
    """The object as received: its file where pynetdicom wrote it in chunks (see
    :func:`receive_large_objects_into_files`), else its bytes."""
    try:
        path = event.dataset_path
    except AttributeError:  # not a chunked C-STORE
        path = None
    return path if isinstance(path, Path) else event.encoded_dataset()


def receive_large_objects_into_files() -> None:
    """Have pynetdicom write each received object to a temporary file, in chunks, instead of
    memory (for the listener's process: a camera may send an object of gigabytes)."""
    _config.STORE_RECV_CHUNKED_DATASET = True


def _on_store(event: Event, node: DicomNode) -> int:
    calling = _calling(event)
    try:
        got = receive_object(node.database, node.device, calling, _received(event), node.folder)
    except AccessDeniedError as refused:
        log.warning("C-STORE from %s refused (%s)", calling, _kind(refused))
        return REFUSED_NOT_AUTHORIZED
    except NucmedInputError as error:
        log.warning("C-STORE from %s not understood (%s)", calling, _kind(error))
        return CANNOT_UNDERSTAND
    except Exception:  # a bug or a busy database: the peer is told, the listener goes on
        log.exception("C-STORE from %s failed", calling)
        return UNABLE_TO_PROCESS
    log.info(
        "C-STORE from %s: object %s%s, administration %s, reconciliation %s",
        calling, got.stored_object_id, "" if got.created else " (on file)",
        got.administration_id, got.reconciliation_item_id,
    )  # fmt: skip
    return SUCCESS


def _day(text: str) -> datetime.date | None:
    if not text:
        return None
    moment = DA(text)
    return datetime.date(moment.year, moment.month, moment.day)


def _query(identifier: Dataset) -> WorklistQuery:
    """The worklist query of a C-FIND identifier: a date or date range (PS3.4 C.2.2.2.5)."""
    step = (identifier.get("ScheduledProcedureStepSequence") or [Dataset()])[0]
    first, _, last = str(step.get("ScheduledProcedureStepStartDate") or "").partition("-")
    return WorklistQuery(
        first_day=_day(first), last_day=_day(last) if last else _day(first),
        station_ae_title=str(step.get("ScheduledStationAETitle") or "").strip() or None,
        patient_id=str(identifier.get("PatientID") or "").strip() or None,
        accession_number=str(identifier.get("AccessionNumber") or "").strip() or None,
    )  # fmt: skip


def _answer(item: WorklistItem, charset: str) -> Dataset:
    """A scheduled procedure step as the worklist's return keys (PS3.4 K.6.1.2.2)."""
    ds = Dataset()
    ds.SpecificCharacterSet = charset
    ds.PatientName, ds.PatientID = item.patient_name, item.patient_id
    born = item.patient_birth_date
    ds.PatientBirthDate = "" if born is None else f"{born:%Y%m%d}"
    ds.PatientSex = item.patient_sex or ""
    ds.AccessionNumber = item.accession_number
    ds.RequestedProcedureDescription = item.procedure[:64]
    ds.RequestedProcedureID = str(item.request_id)
    ds.StudyInstanceUID = f"2.25.{item.request_id}"
    step = Dataset()
    step.Modality = "NM"
    step.ScheduledStationAETitle = item.station_ae_title
    step.ScheduledProcedureStepStartDate = f"{item.planned_at:%Y%m%d}"
    step.ScheduledProcedureStepStartTime = f"{item.planned_at:%H%M%S}"
    step.ScheduledProcedureStepDescription = item.procedure[:64]
    step.ScheduledProcedureStepID = str(item.request_id)
    agent = Dataset()
    agent.Radiopharmaceutical = item.radiopharmaceutical[:64]
    agent.RadionuclideCodeSequence = []
    step.ScheduledProtocolCodeSequence = []
    ds.ScheduledProcedureStepSequence = [step]
    ds.RadiopharmaceuticalInformationSequence = [agent]
    return ds


def _on_find(event: Event, node: DicomNode) -> Iterator[tuple[int, Dataset | None]]:
    calling = _calling(event)
    try:
        items = worklist(node.database, node.device, _query(event.identifier))
    except (NucmedInputError, ValueError) as error:
        log.warning("C-FIND from %s not understood (%s)", calling, _kind(error))
        yield CANNOT_UNDERSTAND, None
        return
    except AccessDeniedError as refused:
        log.warning("C-FIND from %s refused (%s)", calling, _kind(refused))
        yield UNABLE_TO_PROCESS, None
        return
    log.info("C-FIND (worklist) from %s: %d scheduled steps", calling, len(items))
    for item in items:
        if event.is_cancelled:
            return
        yield PENDING, _answer(item, "ISO_IR 192")


def _on_open(event: Event) -> None:
    peer = event.assoc.requestor
    log.info("association from %s at %s:%s", _calling(event), peer.address, peer.port)


def _on_abort(event: Event) -> None:
    log.warning("association from %s aborted", _calling(event))


def start(node: DicomNode, host: str, port: int) -> ThreadedAssociationServer:
    """Start listening on ``host:port`` in background threads; ``server.shutdown()`` stops.

    Raises
    ------
    NucmedInputError
        The site has no calling AE title configured (the listener would accept no one).
    """
    if not node.device.calling_ae_titles:
        raise refusal(
            N_("site {code} has no calling AE title configured: add the cameras' AE titles first"),
            code=node.device.site_code,
        )
    ae = AE(ae_title=node.ae_title)
    ae.require_calling_aet = list(node.device.calling_ae_titles)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT_S
    ae.add_supported_context(VERIFICATION, ALL_TRANSFER_SYNTAXES)
    ae.add_supported_context(WORKLIST_FIND, ALL_TRANSFER_SYNTAXES)
    for sop_class in sorted(ACCEPTED_SOP_CLASSES):
        ae.add_supported_context(sop_class, ALL_TRANSFER_SYNTAXES)
    handlers: list[EventHandlerType] = [
        (evt.EVT_C_ECHO, _on_echo),
        (evt.EVT_C_STORE, _on_store, [node]),
        (evt.EVT_C_FIND, _on_find, [node]),
        (evt.EVT_ESTABLISHED, _on_open),
        (evt.EVT_ABORTED, _on_abort),
    ]
    log.info("DICOM node %s of site %s listening on %s:%d", node.ae_title,
             node.device.site_code, host, port)  # fmt: skip
    server = ae.start_server((host, port), block=False, evt_handlers=handlers)
    assert server is not None  # not blocking: the server runs in its threads
    return server
