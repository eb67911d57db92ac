"""Exchange: an administration goes out as a DICOM RRDSR and FHIR and comes back in once;
HL7 v2 ADT registers the patient; ORM asks for the ordered dose."""

from __future__ import annotations

from datetime import date

import pytest

from nucmed.errors import NucmedInputError
from nucmed.interop.rrdsr import write_rrdsr
from nucmed.interop.rrdsr_reading import read_rrdsr
from nucmed.services.clinic.administrations import administer
from nucmed.services.clinic.exchange import (
    administration_record,
    fhir_bundle,
    import_hl7,
    import_rrdsr,
)
from nucmed.services.patient_identity import PatientIdentityError
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Store, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import DoseRequest, Patient
from nucmed.store.models import Site, User
from nucmed.vocabulary import Role, SiteKind
from tests.services.test_clinic_administrations import _actors, _drawn, _given

pytestmark = pytest.mark.usefixtures("t0_evening")
"""Events at fixed times around T0: the clocks stand at the evening of that day."""

OTHER = SiteSpec("X-AST", "Other site", SiteKind.DEPARTMENT, "Astana", "KZ", "Asia/Almaty")


def test_rrdsr_round_trip_and_no_duplicate(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", None)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        given = administer(store, tech, site, _given(draw_id))
        record = administration_record(store, given)
        dataset = write_rrdsr(record)
        back = read_rrdsr(dataset)
        assert back.event_uid == given.event_uid
        assert back.administered_activity_bq == pytest.approx(given.net_activity_bq, rel=1e-6)
        assert back.start_datetime == given.administered_at
        other = create_site(store, None, OTHER)
        first, created = import_rrdsr(store, tech, other, back)
        again, created_again = import_rrdsr(store, tech, other, back)
        assert not created and not created_again  # the event UID is on file already
        assert first.id == again.id == given.id


def test_foreign_rrdsr_imports_once(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "F", date(1990, 5, 1))
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        given = administer(
            store, tech, site, _given(draw_id, pregnancy="not_pregnant", breastfeeding=False)
        )
        record = administration_record(store, given)
    foreign = read_rrdsr(
        write_rrdsr(
            record.__class__(
                **{
                    **{f: getattr(record, f) for f in record.__dataclass_fields__},
                    "event_uid": "2.25.1234567890",
                    "patient_id": "EXT-9",
                }
            )
        )
    )
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        row, created = import_rrdsr(store, tech, site, foreign)
        assert created and row.origin == "rrdsr" and row.draw_id is None
        assert import_rrdsr(store, tech, site, foreign)[1] is False


def test_fhir_bundle(factory: SessionFactory) -> None:
    site_id, tech_id, draw_id = _drawn(factory, "M", None)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        bundle = fhir_bundle(store, administer(store, tech, site, _given(draw_id)))
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["Observation", "MedicationAdministration"]


ADT = (
    "MSH|^~\\&|HIS|CITY|NUCMED|NM|20261122083000+0500||ADT^A04^ADT_A01|M1|P|2.5\r"
    "PID|1||H-501^^^CITY^MR||Seitkali^Dana||19850312|F\r"
)
ORM = (
    "MSH|^~\\&|RIS|CITY|NUCMED|NM|20261122080000+0500||ORM^O01|M2|P|2.5\r"
    "PID|1||H-502^^^CITY^MR||Omarov^Ruslan||19610415|M\r"
    "ORC|NW|PL-1\r"
    "OBR|1|PL-1||bone^Bone scintigraphy (MDP)^L||20261123090000+0500\r"
)


def _clerk(store: Store, site: Site) -> User:
    return create_user(
        store, None, NewUser("clerk.x", "Clerk", "correct horse battery"), [(Role.PHYSICIAN, site)]
    )


def test_hl7_adt_and_orm(factory: SessionFactory) -> None:
    with transaction(factory) as store:
        site = create_site(store, None, OTHER)
        clerk = _clerk(store, site)
        admitted = import_hl7(store, clerk, site, ADT)
        patient = store.session.get(Patient, admitted["patient_id"])
        assert patient is not None and patient.sex == "F" and patient.full_name
        ordered = import_hl7(store, clerk, site, ORM)
        (request_id,) = ordered["dose_requests"]
        request = store.session.get(DoseRequest, request_id)
        assert request is not None and request.radiopharmaceutical == "tc99m-mdp"
        assert request.prescribed_bq == 740e6


def test_unknown_order_is_refused(factory: SessionFactory) -> None:
    unknown = ORM.replace("bone^Bone scintigraphy (MDP)", "XYZ^Something else")
    with (
        pytest.raises(NucmedInputError, match="not in the catalogue"),
        transaction(factory) as store,
    ):
        site = create_site(store, None, OTHER)
        import_hl7(store, _clerk(store, site), site, unknown)


def test_a_vendor_sr_with_legacy_srt_codes_becomes_an_administration(
    factory: SessionFactory,
) -> None:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from tests.interop.test_rrdsr import legacy_srt_sr  # noqa: PLC0415

    vendor = read_rrdsr(legacy_srt_sr(), default_tz=ZoneInfo("Asia/Almaty"))
    with transaction(factory) as store:
        site = create_site(store, None, OTHER)
        clerk = _clerk(store, site)
        row, created = import_rrdsr(store, clerk, site, vendor)
        assert created and row.nuclide == "Tc-99m" and row.route == "intravenous"
        assert import_rrdsr(store, clerk, site, vendor) == (row, False)


def test_foreign_rrdsr_for_a_known_number_with_another_name_is_refused(
    factory: SessionFactory,
) -> None:
    """Issue 11: an RRDSR names the patient as every other path does (hospital number P-1 is
    on file as "Patient")."""
    site_id, tech_id, draw_id = _drawn(factory, "M", None)
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        record = administration_record(store, administer(store, tech, site, _given(draw_id)))
    fields = {f: getattr(record, f) for f in record.__dataclass_fields__}
    foreign = read_rrdsr(
        write_rrdsr(
            record.__class__(**{**fields, "event_uid": "2.25.42", "patient_name": "Other^Person"})
        )
    )
    with transaction(factory) as store:
        site, tech = _actors(store, site_id, tech_id)
        with pytest.raises(PatientIdentityError, match="Other\\^Person"):
            import_rrdsr(store, tech, site, foreign)
