"""NIfTI in and out: Bq/mL at the edge, RAS mm in the file, LPS m inside."""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import (
    NiftiError,
    read_activity_map,
    read_labels,
    write_activity_map,
    write_dose_map,
    write_labels,
)

AFFINE_LPS_M = np.array(
    [[2e-3, 0, 0, -0.1], [0, 3e-3, 0, 0.05], [0, 0, 4e-3, 0.2], [0, 0, 0, 1.0]]
)


def test_activity_map_round_trip(tmp_path: Path) -> None:
    bq_per_m3 = np.random.default_rng(1).uniform(0, 1e11, (4, 5, 6)).astype(np.float32)
    path = write_activity_map(Volume(bq_per_m3, AFFINE_LPS_M), tmp_path / "a.nii.gz")
    back = read_activity_map(path)
    np.testing.assert_allclose(back.values, bq_per_m3, rtol=1e-6)
    np.testing.assert_allclose(back.affine_m, AFFINE_LPS_M, atol=1e-9)
    stored = nib.load(str(path))
    assert isinstance(stored, nib.Nifti1Image)
    # in the file: Bq/mL and RAS millimetres (x and y change sign)
    np.testing.assert_allclose(np.asarray(stored.dataobj), bq_per_m3 * 1e-6, rtol=1e-6)
    assert stored.affine[0, 3] == pytest.approx(100.0)
    assert stored.affine[1, 1] == pytest.approx(-3.0)


def test_labels_and_dose(tmp_path: Path) -> None:
    labels = np.zeros((3, 3, 3), np.float32)
    labels[1, 1, 1] = 2
    back = read_labels(write_labels(Volume(labels, AFFINE_LPS_M), tmp_path / "m.nii"))
    np.testing.assert_array_equal(back.values, labels)
    dose = Volume(np.full((3, 3, 3), 12.5, np.float32), AFFINE_LPS_M)
    assert float(read_activity_map(write_dose_map(dose, tmp_path / "d.nii")).values[0, 0, 0]) == (
        pytest.approx(12.5e6)
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "no such file", id="missing"),
        pytest.param(b"not an image", "not a readable NIfTI image", id="garbage"),
    ],
)
def test_bad_files_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "x.nii"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NiftiError, match=message):
        read_activity_map(path)


def test_fractional_mask_refused(tmp_path: Path) -> None:
    path = write_dose_map(Volume(np.full((2, 2, 2), 0.5), AFFINE_LPS_M), tmp_path / "m.nii")
    with pytest.raises(NiftiError, match="integers 0"):
        read_labels(path)
