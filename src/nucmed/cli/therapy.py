"""Therapy prescriptions and patient release on the command line: ``therapy ...``, ``release``.

Each command prints a table, or one JSON object with ``--json`` whose keys end in their SI unit
and which always states the formula's source. A contraindication is a result
(``contraindicated: true`` with ``reasons``), not an error; bad input exits with status 2.
"""

from __future__ import annotations

from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr, tr_message
from nucmed.cli.options import plain_number, read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.data.citations import citation
from nucmed.dosimetry import sirt, therapy
from nucmed.dosimetry.release_decision import ReleaseQuery, decide_release
from nucmed.errors import N_, refusal

__all__ = ["register"]


WeightOption = Annotated[str, typer.Option("--weight", help="Body weight, e.g. '70 kg'.")]
ShuntOption = Annotated[
    str, typer.Option("--lung-shunt", help="Lung shunt fraction from Tc-99m MAA, e.g. '8 %'.")
]
PreviousLungOption = Annotated[
    str, typer.Option("--previous-lung-dose", help="Lung dose of earlier SIRT, e.g. '12 Gy'.")
]


_RISKS = {
    "low": N_("low"),
    "intermediate": N_("intermediate"),
    "high": N_("high"),
    "distant": N_("distant metastases"),
}
"""The ATA risk groups of ``therapy dtc``, as the title names them."""


def _gy(value: float) -> str:
    return f"{value:.4g} Gy"


def _status_rows(
    contraindicated: bool, reasons: tuple[str, ...], source: str
) -> list[tuple[str, str]]:
    """Whether it is contraindicated and why (the reasons as the dosimetry gives them), and
    the source as it is cited."""
    rows = [(N_("contraindicated"), tr(N_("YES")) if contraindicated else tr(N_("no")))]
    rows += [(N_("reason"), tr(reason)) for reason in reasons]
    rows.append((N_("source"), citation(source)))
    return rows


def _emit_prescription(
    title: str,
    result: therapy.Prescription,
    as_json: bool,
    values: dict[str, object] | None = None,
) -> None:
    shown = units.format_activity(result.activity_bq)
    if result.activity_max_bq is not None:
        high = units.format_activity(result.activity_max_bq)
        shown = tr(N_("{low} to {high}")).format(low=shown, high=high)
    rows = [(N_("activity"), shown)]
    if result.administrations > 1 and result.interval_s is not None:
        every = units.format_duration(result.interval_s)
        text = tr(N_("{count}, every {interval}"))
        rows.append(
            (N_("administrations"), text.format(count=result.administrations, interval=every))
        )
    rows += _status_rows(result.contraindicated, result.reasons, result.source)
    data: dict[str, object] = {
        "activity_bq": result.activity_bq,
        "activity_max_bq": result.activity_max_bq,
        "administrations": result.administrations,
        "interval_s": result.interval_s,
        "contraindicated": result.contraindicated,
        "reasons": list(result.reasons),
        "source": result.source,
        "status": result.status,
    }
    emit(title, rows, data, as_json=as_json, values=values)


def i131_graves(
    target_dose: Annotated[str, typer.Option(help="Target absorbed dose, e.g. '150 Gy'.")],
    uptake: Annotated[str, typer.Option(help="Maximum thyroid uptake, e.g. '45 %' or 0.45.")],
    effective_half_life: Annotated[
        str, typer.Option(help="Effective half-life in the thyroid, e.g. '5.5 d'.")
    ],
    thyroid_mass: Annotated[
        str | None, typer.Option(help="Thyroid (target) mass, e.g. '30 g'.")
    ] = None,
    thyroid_volume: Annotated[
        str | None, typer.Option(help="Thyroid (target) volume instead of mass, e.g. '30 ml'.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """I-131 activity for benign thyroid disease (Marinelli formula, EANM 2010)."""
    result = therapy.i131_benign_activity(
        read_option("--target-dose", units.parse_absorbed_dose, target_dose),
        read_option("--uptake", units.parse_fraction, uptake),
        read_option("--effective-half-life", units.parse_duration, effective_half_life),
        thyroid_mass_kg=None
        if thyroid_mass is None
        else read_option("--thyroid-mass", units.parse_mass, thyroid_mass),
        thyroid_volume_m3=None
        if thyroid_volume is None
        else read_option("--thyroid-volume", units.parse_volume, thyroid_volume),
    )
    _emit_prescription(N_("I-131 for benign thyroid disease"), result, as_json)


def _emit_sirt(title: str, result: sirt.SirtPrescription, as_json: bool) -> None:
    rows = [(N_("activity"), units.format_activity(result.activity_bq, "GBq"))]
    rows.append((N_("lung dose"), _gy(result.lung_dose_gy)))
    if result.bsa_m2 is not None:
        rows.append((N_("body surface area"), f"{result.bsa_m2:.3f} m² (Du Bois)"))
    rows += _status_rows(result.contraindicated, result.reasons, result.source)
    data: dict[str, object] = {
        "activity_bq": result.activity_bq,
        "lung_dose_gy": result.lung_dose_gy,
        "bsa_m2": result.bsa_m2,
        "reduction": result.reduction,
        "contraindicated": result.contraindicated,
        "reasons": list(result.reasons),
        "source": result.source,
    }
    emit(title, rows, data, as_json=as_json)


def sirt_resin(
    height: Annotated[str, typer.Option(help="Height, e.g. '175 cm'.")],
    weight: WeightOption,
    tumour_fraction: Annotated[
        str, typer.Option(help="Tumour volume / (tumour + liver volume), e.g. '25 %'.")
    ],
    lung_shunt: ShuntOption,
    previous_lung_dose: PreviousLungOption = "0 Gy",
    as_json: JsonOption = False,
) -> None:
    """Y-90 resin microspheres (SIR-Spheres) by the BSA method, with lung-shunt rules."""
    result = sirt.resin_bsa_activity(
        read_option("--height", units.parse_length, height),
        read_option("--weight", units.parse_mass, weight),
        read_option("--tumour-fraction", units.parse_fraction, tumour_fraction),
        read_option("--lung-shunt", units.parse_fraction, lung_shunt),
        previous_lung_dose_gy=read_option(
            "--previous-lung-dose", units.parse_absorbed_dose, previous_lung_dose
        ),
    )
    _emit_sirt(N_("Y-90 resin microspheres, BSA method"), result, as_json)


def sirt_partition(
    activity: Annotated[str, typer.Option(help="Activity delivered, e.g. '2 GBq'.")],
    lung_shunt: ShuntOption,
    tnr: Annotated[str, typer.Option("--tnr", help="Tumour-to-normal-liver ratio, e.g. 3.")],
    tumour_mass: Annotated[str, typer.Option(help="Tumour mass, e.g. '200 g'.")],
    normal_liver_mass: Annotated[str, typer.Option(help="Perfused normal liver, e.g. '1.3 kg'.")],
    as_json: JsonOption = False,
) -> None:
    """Tumour, normal-liver and lung doses of the Y-90 partition model."""
    result = sirt.partition_doses(
        read_option("--activity", units.parse_activity, activity),
        read_option("--lung-shunt", units.parse_fraction, lung_shunt),
        read_option("--tnr", plain_number, tnr),
        read_option("--tumour-mass", units.parse_mass, tumour_mass),
        read_option("--normal-liver-mass", units.parse_mass, normal_liver_mass),
    )
    rows = [
        (N_("tumour dose"), _gy(result.tumour_dose_gy)),
        (N_("normal liver dose"), _gy(result.normal_liver_dose_gy)),
        (N_("lung dose"), _gy(result.lung_dose_gy)),
        *_status_rows(result.contraindicated, result.reasons, result.source),
    ]
    data: dict[str, object] = {
        "tumour_dose_gy": result.tumour_dose_gy,
        "normal_liver_dose_gy": result.normal_liver_dose_gy,
        "lung_dose_gy": result.lung_dose_gy,
        "contraindicated": result.contraindicated,
        "reasons": list(result.reasons),
        "source": result.source,
    }
    emit(N_("Y-90 partition model"), rows, data, as_json=as_json)


def sirt_glass(
    target_dose: Annotated[str, typer.Option(help="Dose to the perfused liver, e.g. '120 Gy'.")],
    perfused_mass: Annotated[str, typer.Option(help="Perfused liver mass, e.g. '1.5 kg'.")],
    lung_shunt: ShuntOption = "0",
    residual: Annotated[
        str, typer.Option(help="Fraction left in vial and lines, e.g. '5 %'.")
    ] = "0",
    previous_lung_dose: PreviousLungOption = "0 Gy",
    as_json: JsonOption = False,
) -> None:
    """Y-90 glass microspheres (TheraSphere) by the MIRD single-compartment model."""
    result = sirt.glass_activity(
        read_option("--target-dose", units.parse_absorbed_dose, target_dose),
        read_option("--perfused-mass", units.parse_mass, perfused_mass),
        read_option("--lung-shunt", units.parse_fraction, lung_shunt),
        read_option("--residual", units.parse_fraction, residual),
        previous_lung_dose_gy=read_option(
            "--previous-lung-dose", units.parse_absorbed_dose, previous_lung_dose
        ),
    )
    _emit_sirt(N_("Y-90 glass microspheres, MIRD single compartment"), result, as_json)


def sm153(weight: WeightOption, as_json: JsonOption = False) -> None:
    """Sm-153 lexidronam (EDTMP): 37 MBq/kg (Quadramet label)."""
    result = therapy.sm153_activity(read_option("--weight", units.parse_mass, weight))
    _emit_prescription(N_("Sm-153 EDTMP"), result, as_json)


def sr89(
    weight: Annotated[
        str | None, typer.Option(help="Body weight for the 1.5-2.2 MBq/kg range.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sr-89 chloride: 148 MBq, or 1.5-2.2 MBq/kg (Metastron label)."""
    weight_kg = None if weight is None else read_option("--weight", units.parse_mass, weight)
    _emit_prescription(N_("Sr-89 chloride"), therapy.sr89_activity(weight_kg), as_json)


def ra223(
    weight: WeightOption,
    pre_2015_standard: Annotated[
        bool, typer.Option(help="Dose calibrator on the former NIST standard (50 kBq/kg).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Ra-223 dichloride: 55 kBq/kg every 4 weeks, 6 injections (Xofigo, NIST 2015)."""
    result = therapy.ra223_activity(
        read_option("--weight", units.parse_mass, weight), nist_2015=not pre_2015_standard
    )
    _emit_prescription(N_("Ra-223 dichloride"), result, as_json)


def lu177(
    regimen: Annotated[str, typer.Argument(help="psma617 (Pluvicto) or dotatate (Lutathera).")],
    as_json: JsonOption = False,
) -> None:
    """Standard Lu-177 regimens: PSMA-617 and DOTATATE."""
    result = therapy.lu177_regimen(regimen)
    _emit_prescription(N_("Lu-177 {regimen}"), result, as_json, {"regimen": regimen})


def dtc(
    risk: Annotated[str, typer.Argument(help="low, intermediate, high or distant.")],
    as_json: JsonOption = False,
) -> None:
    """I-131 activities for differentiated thyroid cancer by ATA risk."""
    result = therapy.dtc_activity(risk)
    title = N_("I-131 for thyroid cancer, {risk} risk")
    _emit_prescription(title, result, as_json, {"risk": tr(_RISKS.get(risk, risk))})


def zevalin(
    weight: WeightOption,
    platelets: Annotated[str, typer.Option(help="Platelet count in 10^9/L, e.g. 180.")],
    as_json: JsonOption = False,
) -> None:
    """Y-90 ibritumomab tiuxetan (Zevalin) from weight and platelet count."""
    result = therapy.zevalin_activity(
        read_option("--weight", units.parse_mass, weight),
        read_option("--platelets", plain_number, platelets),
    )
    _emit_prescription(N_("Y-90 ibritumomab tiuxetan (Zevalin)"), result, as_json)


def release(
    nuclide: Annotated[str, typer.Argument(help="Nuclide, e.g. I-131, Lu-177.")],
    activity: Annotated[
        str | None, typer.Option(help="Activity in the patient at release, e.g. '1.1 GBq'.")
    ] = None,
    dose_rate_1m: Annotated[
        str | None, typer.Option("--dose-rate-1m", help="Measured dose rate at 1 m, '20 µSv/h'.")
    ] = None,
    effective_half_life: Annotated[
        str | None, typer.Option(help="Effective half-life for a patient-specific calculation.")
    ] = None,
    i131: Annotated[
        str | None,
        typer.Option(
            "--i131",
            help="I-131 by Eq. U-2 with Appendix U kinetics: hyperthyroid or thyroid_cancer "
            "(--activity is then the activity administered).",
        ),
    ] = None,
    max_dose_rate_1m: Annotated[
        str | None,
        typer.Option(
            "--max-dose-rate-1m", help="Site rule: highest dose rate at 1 m, '20 µSv/h'."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Patient release: NUREG-1556 Vol. 9 Appendix U (Eq. U-1, Table U.1, Eq. U-2 for I-131)."""
    if (activity is None) == (dose_rate_1m is None):
        raise refusal(N_("give either --activity or --dose-rate-1m"))
    query = ReleaseQuery(
        nuclide,
        activity_bq=None
        if activity is None
        else read_option("--activity", units.parse_activity, activity),
        dose_rate_1m_sv_per_s=None
        if dose_rate_1m is None
        else read_option("--dose-rate-1m", units.parse_dose_rate, dose_rate_1m),
        effective_half_life_s=None
        if effective_half_life is None
        else read_option("--effective-half-life", units.parse_duration, effective_half_life),
        i131_condition=i131,
        max_dose_rate_1m_sv_per_s=None
        if max_dose_rate_1m is None
        else read_option("--max-dose-rate-1m", units.parse_dose_rate, max_dose_rate_1m),
    )
    result = decide_release(query)
    rows = [
        (N_("releasable"), tr(N_("yes")) if result.releasable else tr(N_("NO"))),
        (
            N_("dose to others"),
            tr(N_("{dose} mSv (limit 5 mSv)")).format(
                dose=f"{result.dose_to_others_sv / units.SV_PER_MSV:.3g}"
            ),
        ),
        (N_("dose rate at 1 m"), units.format_dose_rate(result.dose_rate_1m_sv_per_s)),
        (
            N_("instructions required"),
            tr(N_("yes")) if result.instructions_required else tr(N_("no")),
        ),
        *[(N_("reason"), tr_message(reason)) for reason in result.reasons],
        (N_("basis"), tr_message(result.basis)),
        (N_("source"), citation(result.source)),
    ]
    data: dict[str, object] = {
        "nuclide": result.nuclide,
        "releasable": result.releasable,
        "dose_to_others_sv": result.dose_to_others_sv,
        "dose_rate_1m_sv_per_h": result.dose_rate_1m_sv_per_s * units.SECONDS_PER_HOUR,
        "instructions_required": result.instructions_required,
        "half_life_s": result.half_life_s,
        "occupancy_factor": result.occupancy,
        "reasons": list(result.reasons),
        "basis": result.basis,
        "source": result.source,
    }
    title = N_("Release of a patient given {nuclide}")
    emit(title, rows, data, as_json=as_json, values={"nuclide": result.nuclide})


def register(app: typer.Typer) -> None:
    """Add the ``therapy`` commands and the ``release`` command to the application."""
    group = typer.Typer(
        help="Therapy prescriptions: I-131, bone agents, Lu-177, Y-90 SIRT, Zevalin.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    for name, command in (
        ("i131-graves", i131_graves), ("dtc", dtc), ("sm153", sm153), ("sr89", sr89),
        ("ra223", ra223), ("lu177", lu177), ("sirt-resin", sirt_resin),
        ("sirt-partition", sirt_partition), ("sirt-glass", sirt_glass), ("zevalin", zevalin),
    ):  # fmt: skip
        group.command(name)(command)
    app.add_typer(group, name="therapy")
    app.command("release")(release)
