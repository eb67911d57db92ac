"""Query and retrieve a patient's NM, PET and dose-report studies from a PACS (study root,
C-FIND and C-GET) [1]_, for imaging and dosimetry.

The retrieved objects are kept as the DICOM node keeps its own: under the SHA-256 of their
bytes (:func:`nucmed.services.network.object_path`), so that the same object retrieved twice
is stored once.

References
----------
.. [1] DICOM PS3.4 (2025b), Annex C "Query/Retrieve Service Class": C.6.2 Study Root
   Information Model, C.4.3 C-GET; PS3.7 D.3.3.4 (SCP/SCU role selection).
"""

from __future__ import annotations

import datetime
import hashlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pydicom.dataset import Dataset
from pydicom.valuerep import DA
from pynetdicom import AE, build_role, evt
from pynetdicom.association import Association
from pynetdicom.events import Event

from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.services.network.objects import ACCEPTED_SOP_CLASSES, object_path

__all__ = ["Pacs", "PacsError", "StudyFound", "find_studies", "retrieve_study"]

FIND: Final = "1.2.840.10008.5.1.4.1.2.2.1"  # Study Root Query/Retrieve - FIND (PS3.4 C.6.2)
GET: Final = "1.2.840.10008.5.1.4.1.2.2.3"  # Study Root Query/Retrieve - GET
PENDING: Final = frozenset({0xFF00, 0xFF01})
SUCCESS: Final = 0x0000
TIMEOUT_S: Final = 60
DEFAULT_MODALITIES: Final = ("NM", "PT", "SR")


class PacsError(NucmedInputError):
    """The PACS could not be reached or refused; says which and how."""


@dataclass(frozen=True, slots=True)
class Pacs:
    """A PACS: its address and AE title, and the AE title nucmed calls it with."""

    host: str
    port: int
    ae_title: str
    calling_ae_title: str = "NUCMED"


@dataclass(frozen=True, slots=True)
class StudyFound:
    """A study the PACS holds for the patient (C-FIND study level)."""

    study_instance_uid: str
    patient_id: str
    study_date: datetime.date | None
    modalities: tuple[str, ...]
    accession_number: str
    description: str


def _reachable(pacs: Pacs) -> None:
    """Refuse a PACS whose port does not answer (checked first: pynetdicom 3.0 leaves the
    socket of a refused connection open)."""
    try:
        socket.create_connection((pacs.host, pacs.port), timeout=TIMEOUT_S).close()
    except OSError as error:
        raise PacsError(
            parts=(
                (
                    N_(
                        "the PACS {ae_title} at {host}:{port} did not accept an association "
                        "({reason}); check its address and port"
                    ),
                    {
                        "ae_title": pacs.ae_title,
                        "host": pacs.host,
                        "port": pacs.port,
                        "reason": error.strerror or type(error).__name__,
                    },
                ),
            )
        ) from None


def _associate(pacs: Pacs, ae: AE, **options: object) -> Association:
    _reachable(pacs)
    assoc = ae.associate(pacs.host, pacs.port, ae_title=pacs.ae_title, **options)  # type: ignore[arg-type]
    if not assoc.is_established:
        raise PacsError(
            parts=(
                (
                    N_(
                        "the PACS {ae_title} at {host}:{port} did not accept an association "
                        "from {calling}; check its address, AE title and known peers"
                    ),
                    {
                        "ae_title": pacs.ae_title,
                        "host": pacs.host,
                        "port": pacs.port,
                        "calling": pacs.calling_ae_title,
                    },
                ),
            )
        )
    return assoc


def _study(identifier: Dataset) -> StudyFound:
    date_text = str(identifier.get("StudyDate") or "")
    day = DA(date_text) if date_text else None
    modalities = identifier.get("ModalitiesInStudy") or []
    return StudyFound(
        study_instance_uid=str(identifier.StudyInstanceUID),
        patient_id=str(identifier.get("PatientID") or ""),
        study_date=None if day is None else datetime.date(day.year, day.month, day.day),
        modalities=tuple(str(m) for m in ([modalities] if isinstance(modalities, str)
                                          else modalities)),
        accession_number=str(identifier.get("AccessionNumber") or ""),
        description=str(identifier.get("StudyDescription") or ""),
    )  # fmt: skip


def _answers(responses: Iterator[tuple[Dataset, Dataset | None]], pacs: Pacs) -> Iterator[Dataset]:
    for status, identifier in responses:
        code = int(status.get("Status", -1)) if status else -1
        if code in PENDING and identifier is not None:
            yield identifier
        elif code != SUCCESS:
            raise PacsError(
                parts=(
                    (
                        N_("the PACS {ae_title} answered the query with status {status}"),
                        {"ae_title": pacs.ae_title, "status": f"0x{code & 0xFFFF:04X}"},
                    ),
                )
            )


def find_studies(
    pacs: Pacs, patient_id: str, modalities: tuple[str, ...] = DEFAULT_MODALITIES
) -> tuple[StudyFound, ...]:
    """The patient's studies holding one of the modalities (NM, PET, dose reports by default),
    oldest first.

    Raises
    ------
    NucmedInputError
        No patient ID.
    PacsError
        The PACS is unreachable, refuses the association, or fails the query.
    """
    if not patient_id.strip():
        raise refusal(N_("give the patient's ID to query the PACS"))
    query = Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.PatientID = patient_id.strip()
    query.ModalitiesInStudy = list(modalities)
    for keyword in ("StudyInstanceUID", "StudyDate", "AccessionNumber", "StudyDescription"):
        setattr(query, keyword, "")
    ae = AE(ae_title=pacs.calling_ae_title)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT_S
    ae.add_requested_context(FIND)
    assoc = _associate(pacs, ae)
    try:
        found = [_study(answer) for answer in _answers(assoc.send_c_find(query, FIND), pacs)]
    finally:
        assoc.release()
    wanted = set(modalities)
    chosen = [study for study in found if not study.modalities or wanted & set(study.modalities)]
    return tuple(sorted(chosen, key=lambda s: (s.study_date or datetime.date.min,
                                               s.study_instance_uid)))  # fmt: skip


def retrieve_study(pacs: Pacs, study_instance_uid: str, folder: Path) -> tuple[Path, ...]:
    """Retrieve a study's RRDSR, NM, PET and CT objects (C-GET) into ``folder``, each under
    the SHA-256 of its bytes.

    Returns
    -------
    tuple of Path
        The files of the objects received, in the order they came.

    Raises
    ------
    PacsError
        The PACS is unreachable, refuses the association, or fails the retrieval.
    """
    received: list[Path] = []

    def keep(event: Event) -> int:
        data = event.encoded_dataset()
        path = object_path(folder, hashlib.sha256(data).hexdigest())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        received.append(path)
        return SUCCESS

    ae = AE(ae_title=pacs.calling_ae_title)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT_S
    ae.add_requested_context(GET)
    for sop_class in sorted(ACCEPTED_SOP_CLASSES):
        ae.add_requested_context(sop_class)
    roles = [build_role(sop_class, scp_role=True) for sop_class in sorted(ACCEPTED_SOP_CLASSES)]
    query = Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.StudyInstanceUID = study_instance_uid
    assoc = _associate(pacs, ae, ext_neg=roles, evt_handlers=[(evt.EVT_C_STORE, keep)])
    try:
        for status, _ in assoc.send_c_get(query, GET):
            code = int(status.get("Status", -1)) if status else -1
            if code not in PENDING and code != SUCCESS:
                raise PacsError(
                    parts=(
                        (
                            N_("the PACS {ae_title} answered the retrieval with status {status}"),
                            {"ae_title": pacs.ae_title, "status": f"0x{code & 0xFFFF:04X}"},
                        ),
                    )
                )
    finally:
        assoc.release()
    return tuple(received)
