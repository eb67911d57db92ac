"""The transport document and package label of a package the site ships, as a PDF.

The radiation safety officer gives the contents and the measured dose rates; the package is
classified by :func:`nucmed.safety.transport.classify_package` and written by
:func:`nucmed.interop.transport_documents.render_transport_pdf` with the site as the consignor
(its name, postal address when set, city and country) and the consignee typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast, get_args

from babel import Locale

from nucmed.interop.transport_documents import (
    DeclaredContent,
    Language,
    Party,
    ShippingDocument,
    render_transport_pdf,
)
from nucmed.safety.transport import Content, Packing, classify_package
from nucmed.services.auth import Identity
from nucmed.services.permissions import Permission, site_for
from nucmed.services.site_names import site_city_in, site_name_in
from nucmed.services.uow import Database, transaction
from nucmed.store.models import Site

__all__ = ["PackageInput", "country_name", "transport_document_pdf"]


@dataclass(frozen=True, slots=True)
class PackageInput:
    """A package to ship: its contents (activities in Bq with the text declared), the largest
    dose rates at the surface and at 1 m (Sv/s), the packing, the consignee and, for a Type
    B(U) package, its design certificate."""

    contents: tuple[DeclaredContent, ...]
    surface_sv_per_s: float
    one_metre_sv_per_s: float
    packing: Packing
    consignee: Party
    design_certificate: str = ""


_OFFICIAL = {("ru", "KG"): "Кыргызстан"}
"""Where the country's official short name differs from CLDR's (Constitution of the Kyrgyz
Republic, 2021, art. 1: "Кыргызстан" in Russian; CLDR writes "Киргизия")."""


def country_name(country_code: str, language: str) -> str:
    """The country's name in ``language`` (CLDR through Babel); the code if Babel has none.

    Examples
    --------
    >>> country_name("KZ", "ru"), country_name("KG", "ru")
    ('Казахстан', 'Кыргызстан')
    """
    official = _OFFICIAL.get((language, country_code))
    return official or str(Locale.parse(language).territories.get(country_code, country_code))


def _consignor(site: Site, language: str) -> Party:
    return Party(
        site_name_in(site, language),
        site_city_in(site, language),
        country_name(site.country_code, language),
        site.address,
    )


def transport_document_pdf(database: Database, identity: Identity, code: str,
                           given: PackageInput, language: str) -> bytes:  # fmt: skip
    """The transport document and label of a package shipped from site ``code``.

    Parameters
    ----------
    database, identity, code
        The site; the person must be its radiation safety officer.
    given
        The package.
    language
        ``ru``, ``kk`` or ``en`` (any other: English).

    Returns
    -------
    bytes
        The PDF (two A4 pages).

    Raises
    ------
    NucmedInputError
        A package that may not be transported (the message says why), a Type B(U) package
        without its certificate, or no consignee.
    NotFoundError, AccessDeniedError
        No such site, or the person is not its radiation safety officer.
    """
    chosen = cast(Language, language if language in get_args(Language) else "en")
    contents = [Content(c.nuclide, c.activity_bq) for c in given.contents]
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, code, Permission.SAFETY_WORK)
        result = classify_package(
            contents, given.surface_sv_per_s, given.one_metre_sv_per_s, given.packing
        )
        document = ShippingDocument(
            _consignor(site, chosen), given.consignee, given.contents, given.packing, result,
            store.now(), site.time_zone, chosen, given.design_certificate,
        )  # fmt: skip
    return render_transport_pdf(document)
