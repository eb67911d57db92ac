"""``nucmed transport --pdf FILE``: write the transport document and the package label.

The parties are given as ``"Name, City, Country"`` (``--consignor``, ``--consignee``); the
document is written in the command line's language (``--lang``) with the time of writing in
``--tz`` (an IANA name, default UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nucmed.cli import lang
from nucmed.errors import N_, refusal
from nucmed.interop.transport_documents import (
    DeclaredContent,
    Language,
    Party,
    ShippingDocument,
    render_transport_pdf,
)
from nucmed.safety.transport import Classification, Content, Packing
from nucmed.services.clock import SystemClock

__all__ = ["PdfRequest", "party", "write_pdf"]


def party(option: str, text: str) -> Party:
    """``"Name, City, Country"`` (an address may come between name and city: the last two
    parts are the city and the country)."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) < 3 or not all(parts):  # noqa: PLR2004 - name, city, country
        raise refusal(
            N_("{option} '{text}': write 'Name, City, Country', e.g. 'City Hospital, Bishkek, "
               "Kyrgyzstan'"),
            option=option, text=text,
        )  # fmt: skip
    return Party(parts[0], parts[-2], parts[-1], ", ".join(parts[1:-2]))


@dataclass(frozen=True, slots=True)
class PdfRequest:
    """What ``--pdf`` needs beyond the classification: the file, parties, zone, certificate."""

    path: Path
    consignor: str | None
    consignee: str | None
    time_zone: str
    design_certificate: str


def write_pdf(request: PdfRequest, declared: Sequence[tuple[Content, str]], packing: Packing,
              result: Classification) -> None:  # fmt: skip
    """Write the PDF of the classified package to ``request.path``."""
    if request.consignor is None or request.consignee is None:
        raise refusal(N_("--pdf needs --consignor and --consignee ('Name, City, Country')"))
    try:
        zone = ZoneInfo(request.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            N_("--tz: unknown time zone '{zone}'; use an IANA name such as Asia/Almaty"),
            zone=request.time_zone,
        ) from None
    language = lang.current()
    document = ShippingDocument(
        party("--consignor", request.consignor),
        party("--consignee", request.consignee),
        tuple(DeclaredContent(c.nuclide, c.activity_bq, text) for c, text in declared),
        packing,
        result,
        SystemClock().now().astimezone(zone),
        request.time_zone,
        cast(Language, language if language in get_args(Language) else "en"),
        request.design_certificate,
    )
    try:
        request.path.write_bytes(render_transport_pdf(document))
    except OSError as error:
        raise refusal(
            N_("--pdf: cannot write {path}: {reason}"), path=str(request.path),
            reason=error.strerror or "",
        ) from None  # fmt: skip
