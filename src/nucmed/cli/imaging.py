"""Images and voxel dosimetry on the command line: ``imaging info``, ``dosimetry voxel``.

``nucmed imaging info FILE_OR_FOLDER`` prints the header facts of a DICOM series (or a NIfTI
image) with SI units in its JSON keys; ``nucmed dosimetry voxel`` reads activity maps in Bq/mL
(NIfTI, or a PET series in BQML), fits the kinetics of every voxel, computes the absorbed dose
by local deposition or kernel convolution (:mod:`nucmed.imaging.pipeline`), writes the dose
map (NIfTI, or DICOM RT Dose for a ``.dcm`` name) and prints the mean, maximum and VOI doses.
Count maps (reconstructed SPECT in counts) are turned into Bq/mL with a camera sensitivity:
typed (``--sensitivity "9.6 cps/MBq"``) or the one recorded for a camera (``--camera NAME``,
read through :func:`nucmed.services.imaging.installation_sensitivity`), and the acquisition
duration (``--duration``) (:func:`nucmed.imaging.quantify.counts_to_concentration`).
``--register`` brings each later map onto the first one's grid by rigid registration
(:mod:`nucmed.imaging.registration`) before the fit; a DICOM SEG or RTSTRUCT ``--mask`` is
placed on that grid (:mod:`nucmed.interop.imaging_masks`).
``nucmed imaging info`` is in :mod:`nucmed.cli.imaging_info`, ``nucmed imaging reconstruct`` in
:mod:`nucmed.cli.reconstruct`. Tables are in the run's language (``--lang``); JSON keys and
values (``"fit": "mono"``) are the same in every language.
numpy, pydicom and nibabel are imported inside the commands, so ``nucmed --help`` stays fast.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nucmed import units
from nucmed.cli.imaging_info import info, is_nifti
from nucmed.cli.lang import tr
from nucmed.cli.options import OptionError, read_option
from nucmed.cli.output import JsonOption, emit
from nucmed.cli.reconstruct import reconstruct
from nucmed.config import load_settings
from nucmed.data.citations import citation
from nucmed.errors import N_, NucmedInputError, refusal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from nucmed.imaging.pipeline import VoxelDosimetry
    from nucmed.imaging.volume import Volume

__all__ = ["register"]

_METHODS = {"led": N_("local energy deposition"), "dvk": N_("dose-voxel kernel")}
_FITS = {
    "mono": N_("mono-exponential"), "bi": N_("bi-exponential uptake"),
    "trapezoid": N_("trapezoid with physical tail"),
}  # fmt: skip
"""How ``dosimetry voxel`` names its methods and fits (``--method``, ``--fit``) in its table."""
_STATUSES = {
    "confirmed": N_("confirmed"), "secondary": N_("secondary"), "derived": N_("derived"),
    "recalled": N_("recalled"), "unverified": N_("unverified"),
}  # fmt: skip
"""The statuses of the data (:class:`nucmed.data.Status`), shown translated."""


def _parse_map(text: str) -> tuple[float, Path]:
    time_text, sep, file_text = text.partition("=")
    if not sep or not file_text:
        raise refusal(
            N_("--map '{text}': write TIME=FILE, e.g. --map '24 h=day1.nii.gz'"), text=text
        )
    return read_option("--map", units.parse_duration, time_text), Path(file_text)


@dataclass(frozen=True, slots=True)
class _Counts:
    """How count maps become activity maps: sensitivity (cps/Bq), acquisition duration (s)."""

    sensitivity_cps_per_bq: float
    duration_s: float
    decay_constant_per_s: float


_SENSITIVITY = re.compile(
    r"\s*([0-9]+(?:[.,][0-9]*)?(?:[eE][-+]?[0-9]+)?)\s*cps\s*/\s*(k?M?Bq)\s*"
)
_PER_BQ = {"Bq": 1.0, "kBq": 1e3, "MBq": 1e6}


def _typed_sensitivity(text: str) -> float:
    """'9.6 cps/MBq' -> 9.6e-6 cps/Bq."""
    match = _SENSITIVITY.fullmatch(text)
    if match is None or match.group(2) not in _PER_BQ:
        raise refusal(
            N_("--sensitivity '{text}': write e.g. '9.6 cps/MBq' (cps/Bq, cps/kBq or cps/MBq)"),
            text=text,
        )
    value = float(match.group(1).replace(",", ".")) / _PER_BQ[match.group(2)]
    if not value > 0:
        raise refusal(N_("--sensitivity '{text}': the sensitivity must be > 0"), text=text)
    return value


def _stored_sensitivity(camera: str, nuclide: str, site: str | None) -> float:
    """The camera's sensitivity recorded in the installation's database, in cps/Bq."""
    from nucmed.services import database  # noqa: PLC0415 - start-up time
    from nucmed.services.imaging import installation_sensitivity  # noqa: PLC0415
    from nucmed.services.permissions import NotFoundError  # noqa: PLC0415

    installation = database.open_database(load_settings().database_url)
    try:
        if not (database.answers(installation) and database.revision(installation).up_to_date):
            raise refusal(
                N_(
                    "--camera: the database does not answer or is not migrated; give "
                    "--sensitivity instead (e.g. --sensitivity '9.6 cps/MBq')"
                )
            )
        view = installation_sensitivity(installation.database, camera, nuclide, site)
    except NotFoundError as missing:
        raise OptionError("--camera", NucmedInputError(parts=missing.parts)) from None
    else:
        return view.sensitivity_cps_per_bq
    finally:
        database.close(installation)


def _counts(
    nuclide: str, camera: str | None, site: str | None, sensitivity: str | None,
    duration: str | None,
) -> _Counts | None:  # fmt: skip
    """None for maps already in Bq/mL; else the conversion the options describe."""
    from nucmed.physics.nuclides import get_nuclide  # noqa: PLC0415 - start-up time

    if camera is None and sensitivity is None:
        if site is not None or duration is not None:
            raise refusal(N_("--site and --duration go with --camera or --sensitivity"))
        return None
    if camera is not None and sensitivity is not None:
        raise refusal(N_("give --camera (the recorded sensitivity) or --sensitivity, not both"))
    if duration is None:
        raise refusal(
            N_(
                "count maps need --duration, the acquisition time of each map "
                "(e.g. --duration '20 min')"
            )
        )
    duration_s = read_option("--duration", units.parse_duration, duration)
    if camera is not None:
        value = _stored_sensitivity(camera, nuclide, site)
    else:
        if site is not None:
            raise refusal(N_("--site goes with --camera"))
        value = _typed_sensitivity(sensitivity or "")
    return _Counts(value, duration_s, get_nuclide(nuclide).decay_constant_per_s)


def _count_map(path: Path, counts: _Counts) -> Volume:
    """A count map (NIfTI, or an NM/SPECT series in counts) turned into Bq/m³."""
    from nucmed.imaging.quantify import counts_to_concentration  # noqa: PLC0415
    from nucmed.imaging.volume import Volume  # noqa: PLC0415

    if is_nifti(path):
        from nucmed.interop.nifti import read_volume  # noqa: PLC0415 - start-up time

        volume = read_volume(path)
    else:
        from nucmed.interop.imaging_dicom import read_series  # noqa: PLC0415 - start-up time

        series = read_series(path)
        if series.volume is None or series.value_unit != "counts":
            raise refusal(
                N_(
                    "{path}: with a sensitivity, a reconstructed volume in counts is needed; "
                    "this one holds {unit}"
                ),
                path=str(path),
                unit=series.value_unit,
            )
        volume = series.volume
    concentration = counts_to_concentration(
        volume.values, counts.duration_s, counts.sensitivity_cps_per_bq,
        volume.voxel_volume_m3, counts.decay_constant_per_s,
    )  # fmt: skip
    return Volume(concentration, volume.affine_m)


def _read_map(path: Path, counts: _Counts | None = None) -> Volume:
    """An activity map in Bq/m³ from NIfTI (Bq/mL) or a DICOM series in BQML (or counts)."""
    if counts is not None:
        return _count_map(path, counts)
    if is_nifti(path):
        from nucmed.interop.nifti import read_activity_map  # noqa: PLC0415 - start-up time

        return read_activity_map(path)
    from nucmed.interop.imaging_dicom import read_series  # noqa: PLC0415 - start-up time

    series = read_series(path)
    if series.volume is None or series.value_unit != "Bq/m3":
        raise refusal(
            N_(
                "{path}: a map in Bq/mL is needed (NIfTI, or a PET/SPECT series in BQML); this "
                "one holds {unit}: calibrate it to Bq/mL first"
            ),
            path=str(path),
            unit=series.value_unit,
        )
    return series.volume


def _registered(fixed: Volume, moving: Volume) -> Volume:
    """``moving`` registered (rigid) onto ``fixed`` and resampled on its grid."""
    from nucmed.imaging.registration import register_rigid, resample_onto  # noqa: PLC0415
    from nucmed.imaging.volume import Volume  # noqa: PLC0415 - start-up time

    return Volume(resample_onto(moving, fixed, register_rigid(fixed, moving)), fixed.affine_m)


def _compute(
    nuclide: str, maps: list[str], mask: Path | None, method: str, fit: str,
    counts: _Counts | None = None, register: bool = False,
) -> tuple[VoxelDosimetry, Volume, dict[int, str]]:  # fmt: skip
    import numpy as np  # noqa: PLC0415 - start-up time

    from nucmed.imaging.pipeline import STAGES, VoxelStudy, voxel_dosimetry  # noqa: PLC0415
    from nucmed.imaging.volume import check_same_grid  # noqa: PLC0415
    from nucmed.interop.nifti import read_labels  # noqa: PLC0415

    names: dict[int, str] = {}
    parsed = sorted((_parse_map(text) for text in maps), key=lambda item: item[0])
    if not parsed:
        raise refusal(N_("give at least one --map TIME=FILE"))
    volumes = [_read_map(path, counts) for _, path in parsed]
    if register:
        volumes = [volumes[0], *(_registered(volumes[0], v) for v in volumes[1:])]
    for (_, path), volume in zip(parsed[1:], volumes[1:], strict=True):
        check_same_grid(volumes[0], volume, str(path))
    labels: npt.NDArray[np.generic] | None = None
    if mask is not None and is_nifti(mask):
        label_volume = read_labels(mask)
        check_same_grid(volumes[0], label_volume, str(mask))
        labels = label_volume.values
    elif mask is not None:  # a DICOM SEG or RTSTRUCT, placed on the maps' grid
        from nucmed.interop.imaging_masks import read_mask  # noqa: PLC0415 - start-up time

        voi_mask = read_mask(mask, volumes[0])
        labels, names = voi_mask.labels, voi_mask.names
    study = VoxelStudy(
        nuclide, [t for t, _ in parsed], np.stack([v.values for v in volumes]),
        volumes[0].spacing_m, labels,
    )  # fmt: skip
    if not sys.stderr.isatty():
        return voxel_dosimetry(study, method=method, fit=fit), volumes[0], names
    label = tr(N_("voxel dosimetry"))
    with typer.progressbar(length=len(STAGES), label=label, file=sys.stderr) as bar:
        result = voxel_dosimetry(study, method=method, fit=fit, progress=lambda _: bar.update(1))
    return result, volumes[0], names


def voxel(
    nuclide: Annotated[str, typer.Option("--nuclide", help="Lu-177, Y-90 or I-131.")],
    maps: Annotated[
        list[str], typer.Option("--map", help="TIME=FILE: time after administration and map.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Dose map: .nii/.nii.gz or .dcm.")],
    mask: Annotated[
        Path | None, typer.Option("--mask", help="VOIs: NIfTI labels, DICOM SEG or RTSTRUCT.")
    ] = None,
    method: Annotated[str, typer.Option("--method", help="led or dvk.")] = "dvk",
    fit: Annotated[str, typer.Option("--fit", help="mono, bi or trapezoid.")] = "mono",
    camera: Annotated[str | None, typer.Option(
        "--camera", help="Count maps: use this camera's recorded sensitivity.")] = None,
    site: Annotated[str | None, typer.Option(
        "--site", help="With --camera: the site whose calibration to use.")] = None,
    sensitivity: Annotated[str | None, typer.Option(
        "--sensitivity", help="Count maps: camera sensitivity, e.g. '9.6 cps/MBq'.")] = None,
    register: Annotated[bool, typer.Option(
        "--register", help="Register each map onto the first (rigid) before the fit.")] = False,
    duration: Annotated[str | None, typer.Option(
        "--duration", help="Count maps: acquisition duration, e.g. '20 min'.")] = None,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Absorbed-dose map from activity maps at several times (voxel dosimetry)."""
    from nucmed.imaging.volume import Volume  # noqa: PLC0415 - start-up time

    if not (is_nifti(out) or out.name.lower().endswith(".dcm")):
        raise refusal(N_("--out {out}: name the dose map .nii, .nii.gz or .dcm"), out=str(out))
    counts = _counts(nuclide, camera, site, sensitivity, duration)
    result, grid, names = _compute(nuclide, maps, mask, method, fit, counts, register)
    dose = Volume(result.dose_gy, grid.affine_m)
    if out.name.lower().endswith(".dcm"):
        from nucmed.interop.imaging_dicom import write_rt_dose  # noqa: PLC0415

        first = next(Path(text.partition("=")[2]) for text in maps)
        write_rt_dose(dose, out, source=None if is_nifti(first) else first)
    else:
        from nucmed.interop.nifti import write_dose_map  # noqa: PLC0415

        write_dose_map(dose, out)
    _emit_result(result, out, as_json, counts, names)


def _emit_result(
    result: VoxelDosimetry, out: Path, as_json: bool, counts: _Counts | None,
    names: dict[int, str],
) -> None:  # fmt: skip
    vois = [
        {"label": v.label, "name": names.get(v.label), "voxels": v.voxels,
         "mean_dose_gy": v.mean_gy,
         "min_dose_gy": v.min_gy, "max_dose_gy": v.max_gy}
        for v in result.vois
    ]  # fmt: skip
    data: dict[str, object] = {
        "nuclide": result.nuclide, "method": result.method, "fit": result.fit,
        "mean_dose_gy": result.mean_dose_gy, "max_dose_gy": result.max_dose_gy, "vois": vois,
        "flagged_voxels": result.flagged_voxels, "output": str(out),
        "source": result.source, "status": str(result.status),
    }  # fmt: skip
    method = tr(N_("{method}, {fit} fit")).format(
        method=tr(_METHODS.get(result.method, result.method)),
        fit=tr(_FITS.get(result.fit, result.fit)),
    )
    voi, voi_dose = tr(N_("VOI {label}")), tr(N_("mean {mean}, max {max}"))
    rows = [
        (N_("nuclide"), result.nuclide), (N_("method"), method),
        (N_("mean dose"), f"{result.mean_dose_gy:.4g} Gy"),
        (N_("max dose"), f"{result.max_dose_gy:.4g} Gy"),
        *((f"{voi.format(label=v['label'])} {v['name'] or ''}".rstrip(),
           voi_dose.format(mean=f"{v['mean_dose_gy']:.4g} Gy", max=f"{v['max_dose_gy']:.4g} Gy"))
          for v in vois),
        (N_("flagged voxels"), str(result.flagged_voxels)), (N_("output"), str(out)),
        (N_("source"), citation(tr(result.source))),
        (N_("status"), tr(_STATUSES.get(result.status, result.status))),
    ]  # fmt: skip
    if counts is not None:
        data["sensitivity_cps_per_bq"] = counts.sensitivity_cps_per_bq
        data["acquisition_duration_s"] = counts.duration_s
        rows.append((N_("sensitivity"), f"{counts.sensitivity_cps_per_bq * 1e6:.4g} cps/MBq"))
    emit(N_("Voxel dosimetry"), rows, data, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``imaging`` and ``dosimetry`` command groups to the application."""
    imaging = typer.Typer(help="Images: DICOM NM/SPECT/PET/CT and NIfTI.", no_args_is_help=True,
                          rich_markup_mode=None)  # fmt: skip
    imaging.command("info")(info)
    imaging.command("reconstruct")(reconstruct)
    app.add_typer(imaging, name="imaging")
    dosimetry = typer.Typer(help="Patient dosimetry from images.", no_args_is_help=True,
                            rich_markup_mode=None)  # fmt: skip
    dosimetry.command("voxel")(voxel)
    app.add_typer(dosimetry, name="dosimetry")
