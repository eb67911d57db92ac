"""``nucmed transport``: classify a package of radioactive material under IAEA SSR-6 (2018)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.options import read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.cli.transport_pdf import PdfRequest, write_pdf
from nucmed.errors import N_, refusal
from nucmed.safety.transport import Classification, Content, Packing, classify_package

__all__ = ["register"]

_PACKAGE_TYPES = {
    "Excepted": N_("excepted package"),
    "Type A": N_("Type A package"),
    "Type B(U)": N_("Type B(U) package"),
}
"""The package types of SSR-6 as the table names them."""


def _content(text: str) -> Content:
    """``NUCLIDE:ACTIVITY``, e.g. ``Tc-99m:37 GBq``."""
    nuclide, separator, activity = text.partition(":")
    if not separator or not nuclide.strip():
        raise refusal(
            N_("'{text}' is not NUCLIDE:ACTIVITY; write e.g. 'Tc-99m:37 GBq' or 'I-131:5.5 GBq'"),
            text=text[:40],
        )
    return Content(nuclide.strip(), read_option("--content", units.parse_activity, activity))


def transport(
    content: Annotated[
        list[str],
        typer.Option(help="NUCLIDE:ACTIVITY, e.g. 'Mo-99:20 GBq'; repeat for a mixture."),
    ],
    surface_dose_rate: Annotated[
        str, typer.Option(help="Largest dose rate at the package surface, e.g. '0.3 mSv/h'.")
    ],
    dose_rate_1m: Annotated[
        str, typer.Option("--dose-rate-1m", help="Largest dose rate at 1 m, e.g. '8 µSv/h'.")
    ],
    special_form: Annotated[
        bool, typer.Option("--special-form", help="Special form material (A1 applies).")
    ] = False,
    solid: Annotated[bool, typer.Option("--solid", help="Solid contents (default liquid).")] = (
        False
    ),
    no_exclusive_use: Annotated[
        bool,
        typer.Option("--no-exclusive-use", help="The shipment cannot travel under exclusive use."),
    ] = False,
    as_json: JsonOption = False,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the transport document and label here.")
    ] = None,
    consignor: Annotated[
        str | None, typer.Option(help="For --pdf: 'Name, City, Country' of the consignor.")
    ] = None,
    consignee: Annotated[
        str | None, typer.Option(help="For --pdf: 'Name, City, Country' of the consignee.")
    ] = None,
    tz: Annotated[str, typer.Option("--tz", help="For --pdf: time zone of the date.")] = "UTC",
    design_certificate: Annotated[
        str, typer.Option(help="For --pdf: the Type B(U) package design certificate.")
    ] = "",
) -> None:
    """Package type, TI, label and UN number of a package (IAEA SSR-6, 2018)."""
    contents = [_content(text) for text in content]
    packing = Packing(
        special_form=special_form,
        form="solid" if solid else "liquid",
        exclusive_use_available=not no_exclusive_use,
    )
    result = classify_package(
        contents,
        read_option("--surface-dose-rate", units.parse_dose_rate, surface_dose_rate),
        read_option("--dose-rate-1m", units.parse_dose_rate, dose_rate_1m),
        packing,
    )
    if pdf is not None:
        texts = [text.partition(":")[2].strip() for text in content]
        declared = list(zip(contents, texts, strict=True))
        request = PdfRequest(pdf, consignor, consignee, tz, design_certificate)
        write_pdf(request, declared, packing, result)
    emit(N_("Transport classification (IAEA SSR-6, 2018)"), _rows(result), result.as_json(),
         as_json=as_json)  # fmt: skip


def _rows(result: Classification) -> list[tuple[str, str]]:
    """The table's rows in the run's language; the package type, label, UN number and proper
    shipping name as SSR-6 and the UN Model Regulations write them."""
    basis = result.limit_basis
    return [
        (N_("package type"), tr(_PACKAGE_TYPES.get(result.package_type, result.package_type))),
        (tr(N_("{basis} of the mixture")).format(basis=basis),
         units.format_activity(result.a_mixture_bq)),
        (tr(N_("fraction of {basis}")).format(basis=basis), f"{result.limit_fraction:.4g}"),
        (N_("excepted-package limit"), units.format_activity(result.excepted_limit_bq)),
        (N_("transport index"),
         "-" if result.transport_index is None else f"{result.transport_index:g}"),
        (N_("label"), result.label or tr(N_("none (excepted package)"))),
        (N_("exclusive use"), tr(N_("required") if result.exclusive_use else N_("not required"))),
        (N_("UN number"), result.un_number),
        (N_("proper shipping name"), result.proper_shipping_name),
        (N_("values"), tr(N_("{status} (see {file})")).format(
            status=tr(result.status), file="nucmed/data/ssr6_a1_a2.csv")),
    ]  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the transport command to the application."""
    app.command("transport")(transport)
