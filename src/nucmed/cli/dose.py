"""Diagnostic dose estimates and paediatric activities on the command line: ``dose ...``.

``nucmed dose effective RADIOPHARMACEUTICAL ACTIVITY [--age YEARS]`` prints the effective dose
and the critical-organ dose from the ICRP 128 coefficients; ``nucmed dose paediatric
RADIOPHARMACEUTICAL --weight MASS [--guideline eanm|na]`` prints the activity for a child. With
``--json`` each prints one JSON object whose keys end in their SI unit and which states the
source and status of its numbers; bad input exits with status 2.
"""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.options import plain_number, read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.data.citations import citation
from nucmed.dosimetry import diagnostic, paediatric
from nucmed.errors import N_

__all__ = ["register"]

_ORGANS = {
    "bone surfaces": N_("bone surfaces"),
    "gallbladder wall": N_("gallbladder wall"),
    "heart wall": N_("heart wall"),
    "kidneys": N_("kidneys"),
    "liver": N_("liver"),
    "lungs": N_("lungs"),
    "spleen": N_("spleen"),
    "thyroid": N_("thyroid"),
    "upper large intestine wall": N_("upper large intestine wall"),
    "urinary bladder wall": N_("urinary bladder wall"),
}
"""The critical organs of ``icrp128_coefficients.csv``, as the table names them."""
_WORDS = {
    "adult": N_("adult"),
    "1y": N_("1 year"),
    "5y": N_("5 years"),
    "10y": N_("10 years"),
    "15y": N_("15 years"),
    "rest": N_("rest"),
    "exercise": N_("exercise"),
    "blocked": N_("thyroid blocked"),
    "uptake-35": N_("thyroid uptake 35 %"),
    "confirmed": N_("confirmed"),
    "derived": N_("derived"),
    "recalled": N_("recalled"),
    "secondary": N_("secondary"),
}
"""Age models, conditions and statuses of the coefficients, as the table names them; the
source and the note stay as the data file quotes them."""


def _word(code: str | None) -> str:
    """A code of the data files in the run's language ("-" for none)."""
    return tr(_WORDS.get(code, code)) if code else "-"


NameArgument = Annotated[
    str,
    typer.Argument(
        help="Radiopharmaceutical, e.g. 'Tc-99m MDP', 'F-18 FDG', 'I-123 sodium iodide'."
    ),
]


def _years(text: str) -> float:
    """An age in years: a plain number (decimal point or comma)."""
    return plain_number(text, N_("an age in years"), "5 / 7.5")


def _msv(value_sv: float) -> str:
    return f"{value_sv / units.SV_PER_MSV:.3g} mSv"


def _mgy(value_gy: float) -> str:
    return f"{value_gy / units.GY_PER_MGY:.3g} mGy"


def _yes_no(value: bool) -> str:
    """ "yes" or "no" in the run's language."""
    return tr(N_("yes")) if value else tr(N_("no"))


def effective(
    radiopharmaceutical: NameArgument,
    activity: Annotated[str, typer.Argument(help="Administered activity, e.g. '740 MBq'.")],
    age: Annotated[
        str | None, typer.Option(help="Age in years, 0 to 100 (e.g. 5); adult if left out.")
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(help="Variant: rest, exercise (MIBI, tetrofosmin); blocked, uptake-35."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Effective dose and critical-organ dose of a diagnostic administration (ICRP 128)."""
    activity_bq = read_option("ACTIVITY", units.parse_activity, activity)
    age_years = None if age is None else read_option("--age", _years, age)
    result = diagnostic.effective_dose(
        radiopharmaceutical, activity_bq, age_years, condition=condition
    )
    coefficient = result.coefficient_sv_per_bq / (units.SV_PER_MSV / units.BQ_PER_MBQ)
    organ = tr(N_("not tabulated for this age"))
    if result.critical_organ is not None and result.critical_organ_dose_gy is not None:
        organ_name = tr(_ORGANS.get(result.critical_organ, result.critical_organ))
        organ = f"{organ_name}, {_mgy(result.critical_organ_dose_gy)}"
    rows = [
        (N_("effective dose"), _msv(result.effective_dose_sv)),
        (N_("coefficient"), f"{coefficient:.3g} mSv/MBq"),
        (N_("critical organ"), organ),
        (N_("age model"), _word(result.age_model)),
        (N_("condition"), _word(result.condition)),
        (N_("status"), _word(result.status)),
        (N_("source"), citation(result.source)),
    ]
    if result.note:
        rows.append((N_("note"), result.note))
    data: dict[str, object] = {
        "radiopharmaceutical": result.radiopharmaceutical,
        "activity_bq": activity_bq,
        "age_model": result.age_model,
        "condition": result.condition,
        "effective_dose_sv": result.effective_dose_sv,
        "coefficient_sv_per_bq": result.coefficient_sv_per_bq,
        "critical_organ": result.critical_organ,
        "critical_organ_dose_gy": result.critical_organ_dose_gy,
        "critical_organ_coefficient_gy_per_bq": result.organ_coefficient_gy_per_bq,
        "source": result.source,
        "status": result.status,
        "note": result.note,
    }
    name = diagnostic.get_radiopharmaceutical(result.radiopharmaceutical).name
    emit(N_("Effective dose of {name}"), rows, data, as_json=as_json, values={"name": name})


def paediatric_command(
    radiopharmaceutical: NameArgument,
    weight: Annotated[str, typer.Option("--weight", help="Body weight, e.g. '20 kg'.")],
    guideline: Annotated[
        str, typer.Option(help="eanm (EANM dosage card 2016) or na (North American guidelines).")
    ] = "eanm",
    indication: Annotated[
        str | None,
        typer.Option(help="Row of the guideline where it has several, e.g. thyroid."),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Activity unit to print, e.g. MBq or mCi.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Activity for a child by the EANM dosage card or the North American guidelines."""
    weight_kg = read_option("--weight", units.parse_mass, weight)
    chosen = read_option("--guideline", paediatric.guideline_from_text, guideline)
    result = paediatric.paediatric_activity(
        radiopharmaceutical, weight_kg, chosen, indication=indication
    )
    shown = units.format_activity(result.activity_bq, unit)
    if result.activity_max_bq is not None:
        shown = tr(N_("{low} to {high}")).format(
            low=shown, high=units.format_activity(result.activity_max_bq, unit)
        )
    rows = [
        (N_("activity"), shown),
        (N_("minimum applied"), _yes_no(result.minimum_applied)),
        (N_("maximum applied"), _yes_no(result.maximum_applied)),
        (N_("indication"), result.indication or "-"),
        (N_("status"), _word(result.status)),
        (N_("source"), citation(result.source)),
    ]
    if result.note:
        rows.append((N_("note"), result.note))
    data: dict[str, object] = {
        "radiopharmaceutical": result.radiopharmaceutical,
        "weight_kg": weight_kg,
        "guideline": result.guideline,
        "indication": result.indication,
        "activity_bq": result.activity_bq,
        "activity_max_bq": result.activity_max_bq,
        "minimum_applied": result.minimum_applied,
        "maximum_applied": result.maximum_applied,
        "source": result.source,
        "status": result.status,
        "note": result.note,
    }
    name = diagnostic.get_radiopharmaceutical(result.radiopharmaceutical).name
    emit(N_("Paediatric activity of {name}"), rows, data, as_json=as_json, values={"name": name})


def register(app: typer.Typer) -> None:
    """Add the ``dose`` commands (``effective``, ``paediatric``) to the application."""
    group = typer.Typer(
        help="Diagnostic dose estimates (ICRP 128) and paediatric activities (EANM, NA).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command("effective")(effective)
    group.command("paediatric")(paediatric_command)
    app.add_typer(group, name="dose")
