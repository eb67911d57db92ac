"""The transport document and package label of a dispatched shipment, as a PDF (issue 15,
item 4, with issue 14's document).

The producer is the consignor, the receiving department the consignee (each with its name,
postal address when set, city and country); the contents are the shipment's nuclide and the
activity dispatched; the classification is the one recorded at dispatch (package type,
transport index, label, UN number, exclusive use). The page is written by
:func:`nucmed.interop.transport_documents.render_transport_pdf`, the radiation safety officer's
renderer, so both documents look the same.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast, get_args

from nucmed.interop.transport_documents import (
    DeclaredContent,
    Language,
    Party,
    ShippingDocument,
    render_transport_pdf,
)
from nucmed.safety.transport import Classification, Content, Packing, classify_package
from nucmed.services.auth import Identity
from nucmed.services.permissions import AtSite, Permission, site_for
from nucmed.services.safety.transport_documents import country_name
from nucmed.services.site_names import site_city_in, site_name_in
from nucmed.services.supply.shipments import dispatched
from nucmed.services.uow import Database, transaction
from nucmed.store.models import Site
from nucmed.store.supply import Shipment
from nucmed.units import format_activity

__all__ = ["shipment_document_pdf"]

_PACKING = Packing()
"""How :func:`nucmed.services.supply.shipments.dispatch_shipment` classifies a package: a
liquid, not special form, exclusive use available (SSR-6's defaults for a radiopharmaceutical
in its shielded container)."""


def _party(site: Site, language: str) -> Party:
    return Party(
        site_name_in(site, language),
        site_city_in(site, language),
        country_name(site.country_code, language),
        site.address,
    )


def _recorded(content: Content, details: dict[str, Any]) -> Classification:
    """The classification recorded at dispatch: classified again from the recorded dose rates
    (for the values the record does not keep: excepted limit, exemption fraction, status),
    then every recorded value put back, so the document says what was decided then."""
    again = classify_package(
        [content],
        float(details["surface_dose_rate_sv_per_s"]),
        float(details["one_metre_dose_rate_sv_per_s"]),
        _PACKING,
    )
    return replace(
        again,
        package_type=str(details["package_type"]),
        limit_basis=str(details["limit_basis"]),
        a_mixture_bq=float(details["a2_mixture_bq"]),
        limit_fraction=float(details["limit_fraction"]),
        transport_index=details["transport_index"],
        label=details["label"],
        exclusive_use=bool(details["exclusive_use"]),
        un_number=str(details["un_number"]),
        proper_shipping_name=str(details["proper_shipping_name"]),
    )


def shipment_document_pdf(
    database: Database, identity: Identity, at: AtSite, language: str, *, producer: bool
) -> bytes:
    """The transport document and label of a dispatched shipment.

    Parameters
    ----------
    database, identity
        The person: the producer's order desk (``producer``) or the receiving department's
        radiopharmacist.
    at
        The site whose page asks (the producer or the receiving department) and the shipment.
    language
        ``ru``, ``kk`` or ``en`` (any other: English).
    producer
        True when ``at.code`` is the producer (:attr:`Permission.SUPPLY_DESK`), False when it
        is the receiving department (:attr:`Permission.SUPPLY_ORDER`).

    Returns
    -------
    bytes
        The PDF (two A4 pages), prepared at the dispatch, in the producer's local time.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site or shipment of the site, or the person may not see its shipments.
    NucmedInputError
        The shipment is not dispatched yet.
    """
    chosen = cast(Language, language if language in get_args(Language) else "en")
    permission = Permission.SUPPLY_DESK if producer else Permission.SUPPLY_ORDER
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, at.code, permission)
        view, event = dispatched(store, site, at.id, producer=producer)
        row = store.session.get(Shipment, view.id)
        assert row is not None  # found by dispatched()
        consignor, consignee = store.sites.by_id(row.producer_id), store.sites.by_id(row.site_id)
        assert consignor is not None and consignee is not None  # foreign keys
        content = Content(view.nuclide, view.dispatched_bq)
        document = ShippingDocument(
            _party(consignor, chosen), _party(consignee, chosen),
            (DeclaredContent(view.nuclide, view.dispatched_bq,
                             format_activity(view.dispatched_bq)),),
            _PACKING, _recorded(content, event.details), event.at, consignor.time_zone, chosen,
        )  # fmt: skip
    return render_transport_pdf(document)
