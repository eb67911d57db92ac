"""``nucmed imaging info``: the header facts of a DICOM series (or a NIfTI image), with SI units
in the JSON keys and a table in the run's language (``--lang``). pydicom and nibabel are
imported inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nucmed import units
from nucmed.cli.lang import tr
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import N_

if TYPE_CHECKING:
    from nucmed.interop.imaging_dicom import ImageSeries

__all__ = ["info", "is_nifti"]

_NIFTI_SUFFIXES = (".nii", ".nii.gz")
_INFO_LABELS = {
    "modality": N_("modality"), "sop_class": N_("SOP class"),
    "sop_class_uid": N_("SOP class UID"), "radiopharmaceutical": N_("radiopharmaceutical"),
    "radionuclide": N_("radionuclide"), "administered_activity_bq": N_("administered activity"),
    "injection_datetime": N_("injection time"),
    "injection_datetime_has_offset": N_("injection time has a UTC offset"),
    "frames": N_("frames"), "rows": N_("rows"), "columns": N_("columns"),
    "pixel_spacing_mm": N_("pixel spacing"), "units": N_("units of the values"),
    "corrections": N_("corrections"), "decay_correction": N_("decay correction"),
    "image_type": N_("image type"), "volume": N_("reconstructed volume"),
}  # fmt: skip
"""Labels of ``imaging info``'s table, by JSON key."""


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
    if is_nifti(path):
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
    rows_out = [(_INFO_LABELS.get(key, key), _shown(key, value)) for key, value in data.items()]
    emit(N_("Image {path}"), rows_out, data, as_json=as_json, values={"path": path})


def _shown(key: str, value: object) -> str:
    """A value of ``imaging info``'s table, with its unit, in the run's language."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr(N_("yes")) if value else tr(N_("no"))
    if key == "administered_activity_bq" and isinstance(value, float):
        return units.format_activity(value)
    if key == "pixel_spacing_mm" and isinstance(value, list):
        return " × ".join(f"{side:.4g}" for side in value) + " mm"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def is_nifti(path: Path) -> bool:
    """Whether ``path`` names a NIfTI file (``.nii`` or ``.nii.gz``)."""
    return path.name.lower().endswith(_NIFTI_SUFFIXES)
