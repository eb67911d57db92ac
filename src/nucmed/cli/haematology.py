"""ELN genetic risk of AML on the command line: ``nucmed eln2022`` and ``nucmed eln2024``.

``nucmed eln2022 --karyotype ISCN [--mutation GENE[@VAF]] ... [--fusion NAME] ... [--json]``
prints the category (``favorable``, ``intermediate``, ``adverse``, ``not-applicable`` or
``review``), the deciding rule and the reasons; ``nucmed eln2024`` takes the same options (and
``--therapy``, ``--prior-hma``) and gives the classification for less-intensive therapy with its
applicability conditions among the reasons. A karyotype, mutation or fusion that cannot be read
exits with status 2 and one line naming the option (and, for a karyotype, the character).
"""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed.cli.options import OptionError
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import english
from nucmed.haematology.from_text import (
    CaseText,
    Guideline,
    HaematologyInputError,
    Therapy,
    classify,
)
from nucmed.haematology.rules import Classification

__all__ = ["register"]

KaryotypeOption = Annotated[
    str,
    typer.Option(
        "--karyotype", help="ISCN karyotype, e.g. '46,XY,t(8;21)(q22;q22.1)[20]' or '46,XX[20]'."
    ),
]
MutationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--mutation",
        help="A mutated gene, with its VAF as a fraction where a rule needs it: NPM1, "
        "TP53@0.12, FLT3-ITD, CEBPA-bZIP, KMT2A-PTD. Repeat for each.",
    ),
]
FusionOption = Annotated[
    list[str] | None,
    typer.Option("--fusion", help="A fusion found by RT-PCR or FISH, e.g. RUNX1::RUNX1T1."),
]
_OPTIONS = {"karyotype": "--karyotype", "mutations": "--mutation", "fusions": "--fusion"}


def _classify(guideline: Guideline, case: CaseText) -> Classification:
    try:
        return classify(guideline, case)
    except HaematologyInputError as error:
        raise OptionError(_OPTIONS[error.field], error) from None


def _print(result: Classification, as_json: bool) -> None:
    rows = [
        ("category", str(result.category)),
        ("rule", f"{result.rule.id}: {result.rule.text}"),
        ("source", f"{result.rule.source} ({result.rule.status})"),
    ]
    if result.review:
        rows.append(("candidates", ", ".join(result.candidates)))
    rows += [("reason", english((part,))) for part in result.reasons]
    emit(result.guideline, rows, result.as_json(), as_json=as_json)


def eln2022(
    karyotype: KaryotypeOption,
    mutation: MutationOption = None,
    fusion: FusionOption = None,
    as_json: JsonOption = False,
) -> None:
    """ELN 2022 genetic risk of AML (Döhner et al., Blood 2022, Table 6)."""
    case = CaseText(karyotype, tuple(mutation or ()), tuple(fusion or ()))
    _print(_classify(Guideline.ELN2022, case), as_json)


def eln2024(
    karyotype: KaryotypeOption,
    mutation: MutationOption = None,
    fusion: FusionOption = None,
    therapy: Annotated[
        Therapy,
        typer.Option(
            "--therapy",
            help="Planned therapy: venetoclax (with HMA or LDAC) or aza-ivo (azacitidine with "
            "ivosidenib; changes IDH1).",
        ),
    ] = Therapy.UNSPECIFIED,
    prior_hma: Annotated[
        bool,
        typer.Option("--prior-hma", help="Treated with a hypomethylating agent before."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """ELN 2024 genetic risk for less-intensive therapy (Döhner et al., Blood 2024, Table 1)."""
    case = CaseText(karyotype, tuple(mutation or ()), tuple(fusion or ()), therapy, prior_hma)
    _print(_classify(Guideline.ELN2024, case), as_json)


def register(app: typer.Typer) -> None:
    """Add the ``eln2022`` and ``eln2024`` commands."""
    app.command("eln2022")(eln2022)
    app.command("eln2024")(eln2024)
