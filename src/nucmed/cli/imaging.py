"""Images and voxel dosimetry on the command line: ``imaging info``, ``dosimetry voxel``.

``nucmed imaging info FILE_OR_FOLDER`` prints the header facts of a DICOM series (or a NIfTI
image) with SI units in its JSON keys; ``nucmed dosimetry voxel`` reads activity maps in Bq/mL
(NIfTI, or a PET series in BQML), fits the kinetics of every voxel, computes the absorbed dose
by local deposition or kernel convolution (:mod:`nucmed.imaging.pipeline`), writes the dose
map (NIfTI, or DICOM RT Dose for a ``.dcm`` name) and prints the mean, maximum and VOI doses.
numpy, pydicom and nibabel are imported inside the commands, so ``nucmed --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nucmed import units
from nucmed.cli.options import read_option
from nucmed.cli.output import emit
from nucmed.errors import NucmedInputError

if TYPE_CHECKING:
    from nucmed.imaging.pipeline import VoxelDosimetry
    from nucmed.imaging.volume import Volume
    from nucmed.interop.imaging_dicom import ImageSeries

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
_NIFTI_SUFFIXES = (".nii", ".nii.gz")


def _is_nifti(path: Path) -> bool:
    return path.name.lower().endswith(_NIFTI_SUFFIXES)


def _series_data(series: ImageSeries) -> dict[str, object]:
    spacing = series.pixel_spacing_m
    return {
        "modality": series.modality,
        "sop_class": series.sop_class,
        "sop_class_uid": series.sop_class_uid,
        "radiopharmaceutical": series.radiopharmaceutical,
        "radionuclide": series.radionuclide,
        "administered_activity_bq": series.administered_activity_bq,
        "injection_datetime": series.injection_datetime.isoformat()
        if series.injection_datetime
        else series.injection_local_time,
        "injection_datetime_has_offset": series.injection_datetime is not None,
        "frames": series.frames,
        "rows": series.rows,
        "columns": series.columns,
        "pixel_spacing_mm": [v / units.M_PER_MM for v in spacing] if spacing else None,
        "units": series.units,
        "corrections": list(series.corrections),
        "decay_correction": series.decay_correction,
        "image_type": list(series.image_type),
        "volume": series.volume is not None,
    }


def info(
    path: Annotated[Path, typer.Argument(help="A DICOM file, a folder of one series, or NIfTI.")],
    as_json: JsonOption = False,
) -> None:
    """Describe an image: modality, radionuclide, activity, injection time, grid, units."""
    if _is_nifti(path):
        from nucmed.interop.nifti import read_volume  # noqa: PLC0415 - start-up time

        volume = read_volume(path)
        columns, rows, frames = volume.values.shape
        data: dict[str, object] = {
            "modality": "NIfTI", "frames": frames, "rows": rows, "columns": columns,
            "pixel_spacing_mm": [v / units.M_PER_MM for v in volume.spacing_m[1::-1]],
            "units": None,
        }  # fmt: skip
    else:
        from nucmed.interop.imaging_dicom import read_series  # noqa: PLC0415 - start-up time

        data = _series_data(read_series(path))
    rows_out = [(key, "—" if value is None else str(value)) for key, value in data.items()]
    emit(f"Image {path}", rows_out, data, as_json=as_json)


def _parse_map(text: str) -> tuple[float, Path]:
    time_text, sep, file_text = text.partition("=")
    if not sep or not file_text:
        raise NucmedInputError(f"--map {text!r}: write TIME=FILE, e.g. --map '24 h=day1.nii.gz'")
    return read_option("--map", units.parse_duration, time_text), Path(file_text)


def _read_map(path: Path) -> Volume:
    """An activity map in Bq/m³ from NIfTI (Bq/mL) or a DICOM series in BQML."""
    if _is_nifti(path):
        from nucmed.interop.nifti import read_activity_map  # noqa: PLC0415 - start-up time

        return read_activity_map(path)
    from nucmed.interop.imaging_dicom import read_series  # noqa: PLC0415 - start-up time

    series = read_series(path)
    if series.volume is None or series.value_unit != "Bq/m3":
        raise NucmedInputError(
            f"{path}: a map in Bq/mL is needed (NIfTI, or a PET/SPECT series in BQML); this "
            f"one holds {series.value_unit}: calibrate it to Bq/mL first"
        )
    return series.volume


def _compute(
    nuclide: str, maps: list[str], mask: Path | None, method: str, fit: str
) -> tuple[VoxelDosimetry, Volume]:
    import numpy as np  # noqa: PLC0415 - start-up time

    from nucmed.imaging.pipeline import STAGES, VoxelStudy, voxel_dosimetry  # noqa: PLC0415
    from nucmed.imaging.volume import check_same_grid  # noqa: PLC0415
    from nucmed.interop.nifti import read_labels  # noqa: PLC0415

    parsed = sorted((_parse_map(text) for text in maps), key=lambda item: item[0])
    if not parsed:
        raise NucmedInputError("give at least one --map TIME=FILE")
    volumes = [_read_map(path) for _, path in parsed]
    for (_, path), volume in zip(parsed[1:], volumes[1:], strict=True):
        check_same_grid(volumes[0], volume, str(path))
    labels = None
    if mask is not None:
        label_volume = read_labels(mask)
        check_same_grid(volumes[0], label_volume, str(mask))
        labels = label_volume.values
    study = VoxelStudy(
        nuclide, [t for t, _ in parsed], np.stack([v.values for v in volumes]),
        volumes[0].spacing_m, labels,
    )  # fmt: skip
    if not sys.stderr.isatty():
        return voxel_dosimetry(study, method=method, fit=fit), volumes[0]
    with typer.progressbar(length=len(STAGES), label="voxel dosimetry", file=sys.stderr) as bar:
        result = voxel_dosimetry(study, method=method, fit=fit, progress=lambda _: bar.update(1))
    return result, volumes[0]


def voxel(
    nuclide: Annotated[str, typer.Option("--nuclide", help="Lu-177, Y-90 or I-131.")],
    maps: Annotated[
        list[str], typer.Option("--map", help="TIME=FILE: time after administration and map.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Dose map: .nii/.nii.gz or .dcm.")],
    mask: Annotated[Path | None, typer.Option("--mask", help="NIfTI label map (VOIs).")] = None,
    method: Annotated[str, typer.Option("--method", help="led or dvk.")] = "dvk",
    fit: Annotated[str, typer.Option("--fit", help="mono, bi or trapezoid.")] = "mono",
    as_json: JsonOption = False,
) -> None:
    """Absorbed-dose map from activity maps at several times (voxel dosimetry)."""
    from nucmed.imaging.volume import Volume  # noqa: PLC0415 - start-up time

    if not (_is_nifti(out) or out.name.lower().endswith(".dcm")):
        raise NucmedInputError(f"--out {out}: name the dose map .nii, .nii.gz or .dcm")
    result, grid = _compute(nuclide, maps, mask, method, fit)
    dose = Volume(result.dose_gy, grid.affine_m)
    if out.name.lower().endswith(".dcm"):
        from nucmed.interop.imaging_dicom import write_rt_dose  # noqa: PLC0415

        first = next(Path(text.partition("=")[2]) for text in maps)
        write_rt_dose(dose, out, source=None if _is_nifti(first) else first)
    else:
        from nucmed.interop.nifti import write_dose_map  # noqa: PLC0415

        write_dose_map(dose, out)
    _emit_result(result, out, as_json)


def _emit_result(result: VoxelDosimetry, out: Path, as_json: bool) -> None:
    vois = [
        {"label": v.label, "voxels": v.voxels, "mean_dose_gy": v.mean_gy,
         "min_dose_gy": v.min_gy, "max_dose_gy": v.max_gy}
        for v in result.vois
    ]  # fmt: skip
    data: dict[str, object] = {
        "nuclide": result.nuclide, "method": result.method, "fit": result.fit,
        "mean_dose_gy": result.mean_dose_gy, "max_dose_gy": result.max_dose_gy, "vois": vois,
        "flagged_voxels": result.flagged_voxels, "output": str(out),
        "source": result.source, "status": str(result.status),
    }  # fmt: skip
    rows = [
        ("nuclide", result.nuclide), ("method", f"{result.method}, fit {result.fit}"),
        ("mean dose", f"{result.mean_dose_gy:.4g} Gy"),
        ("max dose", f"{result.max_dose_gy:.4g} Gy"),
        *((f"VOI {v['label']}", f"mean {v['mean_dose_gy']:.4g} Gy, max {v['max_dose_gy']:.4g} Gy")
          for v in vois),
        ("flagged voxels", str(result.flagged_voxels)), ("output", str(out)),
        ("source", result.source), ("status", str(result.status)),
    ]  # fmt: skip
    emit("Voxel dosimetry", rows, data, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``imaging`` and ``dosimetry`` command groups to the application."""
    imaging = typer.Typer(help="Images: DICOM NM/SPECT/PET/CT and NIfTI.", no_args_is_help=True,
                          rich_markup_mode=None)  # fmt: skip
    imaging.command("info")(info)
    app.add_typer(imaging, name="imaging")
    dosimetry = typer.Typer(help="Patient dosimetry from images.", no_args_is_help=True,
                            rich_markup_mode=None)  # fmt: skip
    dosimetry.command("voxel")(voxel)
    app.add_typer(dosimetry, name="dosimetry")
