"""``nucmed imaging reconstruct``: raw SPECT projections (NM TOMO DICOM or ``.npz``)
reconstructed by OSEM (:mod:`nucmed.imaging.reconstruction`, the optional ``nucmed[recon]``
extra), written as a NIfTI counts map. numpy and PyTomography are imported inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nucmed import units
from nucmed.cli.output import JsonOption, emit
from nucmed.errors import N_, refusal

__all__ = ["reconstruct"]

_NIFTI_SUFFIXES = (".nii", ".nii.gz")


def reconstruct(
    projections: Annotated[Path, typer.Argument(help="NM TOMO DICOM file, or .npz.")],
    out: Annotated[Path, typer.Option("--out", help="Counts map: .nii or .nii.gz.")],
    iterations: Annotated[int, typer.Option("--iterations", help="OSEM iterations.")] = 4,
    subsets: Annotated[int, typer.Option("--subsets", help="Subsets of angles.")] = 8,
    as_json: JsonOption = False,
) -> None:
    """Reconstruct raw SPECT projections by OSEM (needs the optional nucmed[recon])."""
    from nucmed.imaging.reconstruction import reconstruct_osem  # noqa: PLC0415 - start-up time
    from nucmed.interop.nifti import write_count_map  # noqa: PLC0415 - start-up time
    from nucmed.interop.projections import read_projections  # noqa: PLC0415 - start-up time

    if not out.name.lower().endswith(_NIFTI_SUFFIXES):
        raise refusal(N_("--out {out}: name the counts map .nii or .nii.gz"), out=str(out))
    raw = read_projections(projections)
    volume = reconstruct_osem(
        raw.counts, raw.angles_deg, raw.pixel_size_m, raw.radius_m,
        iterations=iterations, subsets=subsets,
    )  # fmt: skip
    write_count_map(volume, out)
    columns, rows, slices = volume.values.shape
    data: dict[str, object] = {
        "method": "OSEM", "iterations": iterations, "subsets": subsets,
        "projections": int(raw.counts.shape[0]), "columns": columns, "rows": rows,
        "slices": slices, "voxel_size_mm": volume.spacing_m[0] / units.M_PER_MM,
        "total_counts": float(volume.values.sum()), "output": str(out),
    }  # fmt: skip
    rows_out = [
        (N_("method"), "OSEM"), (N_("iterations"), str(iterations)), (N_("subsets"), str(subsets)),
        (N_("projections"), str(data["projections"])),
        (N_("grid"), f"{columns} × {rows} × {slices}"),
        (N_("voxel size"), f"{volume.spacing_m[0] / units.M_PER_MM:.4g} mm"),
        (N_("total counts"), f"{data['total_counts']:.6g}"), (N_("output"), str(out)),
    ]  # fmt: skip
    emit(N_("SPECT reconstruction"), rows_out, data, as_json=as_json)
