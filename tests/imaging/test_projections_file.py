"""Raw SPECT projections read from DICOM NM TOMO and ``.npz``; ``nucmed imaging reconstruct``.

Kinds of expected value: **analytic** (angles from Start Angle, Angular Step and direction as
DICOM PS3.3 C.8.4.10-11 define them; mm to m).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import NuclearMedicineImageStorage, generate_uid
from pydicom.valuerep import DS

from nucmed.cli import main as cli_main
from nucmed.interop.nifti import read_volume
from nucmed.interop.projections import ProjectionsFileError, read_projections
from tests.imaging.dicom_factory import save

SIDE = 8


def _tomo(
    path: Path,
    *,
    detectors: int = 1,
    views: int = 4,
    direction: str = "CC",
    spacing_mm: tuple[float, float] = (4.0, 4.0),
    image_type: str = "TOMO",
) -> Path:
    """An NM acquisition of ``detectors × views`` frames, frame f holding the value f + 1."""
    frames = detectors * views
    ds = Dataset()
    ds.SOPClassUID, ds.Modality, ds.SOPInstanceUID = (
        NuclearMedicineImageStorage,
        "NM",
        generate_uid(),
    )
    ds.ImageType = ["ORIGINAL", "PRIMARY", image_type, "EMISSION"]
    ds.Rows = ds.Columns = SIDE
    ds.NumberOfFrames = frames
    ds.PixelSpacing = [DS(v) for v in spacing_mm]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.DetectorVector = [d + 1 for d in range(detectors) for _ in range(views)]
    ds.AngularViewVector = [v + 1 for _ in range(detectors) for v in range(views)]
    details = []
    for d in range(detectors):
        item = Dataset()
        item.StartAngle = DS(10.0 + 180.0 * d)
        item.RadialPosition = [DS(200.0 + 10.0 * v) for v in range(views)]
        details.append(item)
    ds.DetectorInformationSequence = Sequence(details)
    rotation = Dataset()
    rotation.StartAngle, rotation.AngularStep = DS(10.0), DS(90.0 / views * 2)
    rotation.RotationDirection, rotation.NumberOfFramesInRotation = direction, views
    ds.RotationInformationSequence = Sequence([rotation])
    ds.EnergyWindowInformationSequence = Sequence([Dataset()])
    pixels = np.repeat(np.arange(1, frames + 1, dtype=np.uint16), SIDE * SIDE)
    ds.PixelData = pixels.tobytes()
    return save(ds, path)


def test_a_dual_head_acquisition_gives_each_frame_its_angle_and_radius(tmp_path: Path) -> None:
    raw = read_projections(_tomo(tmp_path / "p.dcm", detectors=2, views=4))
    assert raw.counts.shape == (8, SIDE, SIDE)
    assert raw.counts[:, 0, 0].tolist() == list(range(1, 9))
    # Head 1 from 10°, head 2 from 190°, 45° steps counter-clockwise.
    assert raw.angles_deg.tolist() == [10, 55, 100, 145, 190, 235, 280, 325]
    assert raw.radius_m.tolist() == pytest.approx([0.2, 0.21, 0.22, 0.23] * 2)
    assert raw.pixel_size_m == pytest.approx(4e-3)


def test_a_clockwise_rotation_steps_the_angles_down(tmp_path: Path) -> None:
    raw = read_projections(_tomo(tmp_path / "p.dcm", direction="CW"))
    assert raw.angles_deg.tolist() == [10, 325, 280, 235]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"image_type": "STATIC"}, "TOMO"),
        ({"spacing_mm": (4.0, 3.0)}, "square"),
    ],
)
def test_files_that_are_not_usable_projections_are_refused(
    tmp_path: Path, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(ProjectionsFileError, match=match):
        read_projections(_tomo(tmp_path / "p.dcm", **kwargs))  # type: ignore[arg-type]


def test_an_npz_file_needs_its_four_arrays(tmp_path: Path) -> None:
    path = tmp_path / "p.npz"
    np.savez(path, counts=np.ones((4, SIDE, SIDE)), angles_deg=[0, 90, 180, 270])
    with pytest.raises(ProjectionsFileError, match="pixel_size_m, radius_m"):
        read_projections(path)
    (tmp_path / "bad.npz").write_text("not a zip")
    with pytest.raises(ProjectionsFileError, match="not a readable"):
        read_projections(tmp_path / "bad.npz")


def test_the_command_reconstructs_an_npz_file_into_nifti(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A uniform set of frames (every angle sees the same) keeps its counts per frame."""
    pytest.importorskip("pytomography")
    angles = np.arange(16) * 22.5
    counts = np.zeros((16, SIDE, SIDE), np.float32)
    counts[:, 3:5, 3:5] = 10.0
    np.savez(tmp_path / "p.npz", counts=counts, angles_deg=angles, pixel_size_m=4e-3, radius_m=0.2)
    out = tmp_path / "recon.nii.gz"
    argv = ["imaging", "reconstruct", str(tmp_path / "p.npz"), "--out", str(out)]
    status = cli_main.main([*argv, "--iterations", "2", "--subsets", "4", "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    result = json.loads(captured.out)
    assert result["projections"] == 16
    assert result["voxel_size_mm"] == pytest.approx(4.0)
    assert result["total_counts"] == pytest.approx(counts[0].sum(), rel=0.01)
    assert read_volume(out).values.shape == (SIDE, SIDE, SIDE)


def test_the_command_refuses_an_output_that_is_not_nifti(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli_main.main(
        ["imaging", "reconstruct", str(tmp_path / "p.npz"), "--out", str(tmp_path / "r.dcm")]
    )
    assert status != 0
    assert ".nii or .nii.gz" in capsys.readouterr().err
