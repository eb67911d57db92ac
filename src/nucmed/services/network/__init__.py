"""The department's wires as use cases: the device accounts listeners act as, the objects
cameras send (stored by content, RRDSRs into administrations, reconciliation items), and the
modality worklist of the day's dose requests, the HL7 v2 messages of the hospital system, and
the query of a PACS."""

from nucmed.services.network.devices import (
    Device,
    DeviceKind,
    add_node,
    allow_calling_ae,
    check_calling,
    open_device,
    site_zone,
)
from nucmed.services.network.hl7 import Hl7Outcome, sex_code_map, take_hl7
from nucmed.services.network.objects import (
    ACCEPTED_SOP_CLASSES,
    ObjectReceived,
    object_path,
    receive_object,
)
from nucmed.services.network.pacs import (
    Pacs,
    PacsError,
    StudyFound,
    find_studies,
    retrieve_study,
)
from nucmed.services.network.reconciliation import (
    ReconciliationList,
    ReconciliationView,
    Resolved,
    read_reconciliation,
    resolve_item,
)
from nucmed.services.network.worklist import WorklistItem, WorklistQuery, worklist

__all__ = [
    "ACCEPTED_SOP_CLASSES",
    "Device",
    "DeviceKind",
    "Hl7Outcome",
    "ObjectReceived",
    "Pacs",
    "PacsError",
    "ReconciliationList",
    "ReconciliationView",
    "Resolved",
    "StudyFound",
    "WorklistItem",
    "WorklistQuery",
    "add_node",
    "allow_calling_ae",
    "check_calling",
    "find_studies",
    "object_path",
    "open_device",
    "read_reconciliation",
    "receive_object",
    "resolve_item",
    "retrieve_study",
    "sex_code_map",
    "site_zone",
    "take_hl7",
    "worklist",
]
