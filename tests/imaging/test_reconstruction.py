"""OSEM through PyTomography (the ``recon`` extra): counts kept, objects where they were put.

The tests that reconstruct skip when PyTomography is not installed; the refusal test and the
input checks run without it.
"""

from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt
import pytest

from nucmed.imaging.reconstruction import (
    CollimatorBlur,
    ReconstructionInputError,
    reconstruct_osem,
)

PIXEL_M = 4e-3
SIDE = 16  # columns = object side; rows = slices
ANGLES_DICOM_DEG = np.arange(32) * 360.0 / 32
RADIUS_M = 0.2
CENTRE_VOXEL = (5.0, 9.0, 7.0)  # off the axis in x and y, off the middle in z


def _sphere(radius_voxels: float = 3.0) -> npt.NDArray[np.float32]:
    """A uniform sphere of 100 counts per voxel around :data:`CENTRE_VOXEL`."""
    grid = np.meshgrid(*[np.arange(SIDE)] * 3, indexing="ij")
    squared = sum((g - c) ** 2 for g, c in zip(grid, CENTRE_VOXEL, strict=True))
    return np.where(squared <= radius_voxels**2, 100.0, 0.0).astype(np.float32)


def _forward_project(phantom: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Frames (angle, row, column) of ``phantom`` by PyTomography's own system matrix."""
    torch = pytest.importorskip("torch")
    spect_meta = pytest.importorskip("pytomography.metadata.SPECT")
    projectors = pytest.importorskip("pytomography.projectors.SPECT")
    pixel_cm = PIXEL_M * 100
    object_meta = spect_meta.SPECTObjectMeta([pixel_cm] * 3, phantom.shape)
    angles = (ANGLES_DICOM_DEG + 180.0) % 360.0
    proj_meta = spect_meta.SPECTProjMeta((SIDE, SIDE), [pixel_cm] * 2, angles)
    matrix = projectors.SPECTSystemMatrix([], [], object_meta, proj_meta)
    projected = matrix.forward(torch.from_numpy(phantom)).cpu().numpy()
    # PyTomography's (angle, r, z) back to the camera's (angle, row from the head, column).
    return np.ascontiguousarray(np.transpose(projected, (0, 2, 1))[:, ::-1, :])


def _centre_of_mass(values: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    grid = np.meshgrid(*[np.arange(n) for n in values.shape], indexing="ij")
    return np.array([float((values * g).sum() / values.sum()) for g in grid])


def test_osem_keeps_the_counts_and_the_position_of_a_sphere() -> None:
    """Without attenuation every frame sees the whole object, so Σg = N_angles·Σf; MLEM keeps
    Σ(Hf) = Σg after each update (Shepp & Vardi 1982), so the reconstructed total equals the
    phantom's up to the imbalance between OSEM subsets: 1 % covers it (seen: 0.1 %). A sphere
    reconstructed from noiseless data is symmetric about its centre: within half a voxel."""
    phantom = _sphere()
    frames = _forward_project(phantom)
    volume = reconstruct_osem(frames, ANGLES_DICOM_DEG, PIXEL_M, RADIUS_M, iterations=4, subsets=8)
    assert volume.values.shape == phantom.shape
    assert volume.spacing_m == pytest.approx((PIXEL_M,) * 3)
    assert volume.values.sum() == pytest.approx(phantom.sum(), rel=0.01)
    assert np.abs(_centre_of_mass(volume.values) - CENTRE_VOXEL).max() < 0.5
    # The axis of rotation is at x = y = 0; the lowest slice at the given z (here 0).
    middle = volume.affine_m @ np.array([(SIDE - 1) / 2, (SIDE - 1) / 2, 0.0, 1.0])
    assert middle[:3] == pytest.approx((0.0, 0.0, 0.0), abs=1e-12)


def test_the_head_end_of_the_frames_gives_the_top_slices() -> None:
    """Counts in the first rows of every frame (the head end) end up in the highest slices."""
    pytest.importorskip("pytomography")
    frames = np.zeros((len(ANGLES_DICOM_DEG), SIDE, SIDE), np.float32)
    frames[:, :3, SIDE // 2 - 1 : SIDE // 2 + 1] = 50.0
    volume = reconstruct_osem(frames, ANGLES_DICOM_DEG, PIXEL_M, RADIUS_M, iterations=2, subsets=4)
    per_slice = volume.values.sum(axis=(0, 1))
    assert per_slice[-3:].sum() == pytest.approx(per_slice.sum(), rel=1e-3)


def test_a_modelled_collimator_blur_still_keeps_the_counts() -> None:
    """The Gaussian blur is normalised, so the total is kept with it too."""
    phantom = _sphere()
    frames = _forward_project(phantom)
    blur = CollimatorBlur(slope=0.02, intercept_m=1e-3)
    volume = reconstruct_osem(
        frames, ANGLES_DICOM_DEG, PIXEL_M, RADIUS_M, iterations=2, subsets=8, collimator=blur
    )
    assert volume.values.sum() == pytest.approx(phantom.sum(), rel=0.02)


def test_without_the_extra_the_refusal_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``None`` in sys.modules makes the import fail as if PyTomography were not installed."""
    for name in [m for m in sys.modules if m.split(".")[0] == "pytomography"] + ["pytomography"]:
        monkeypatch.setitem(sys.modules, name, None)
    frames = np.ones((4, SIDE, SIDE), np.float32)
    with pytest.raises(ReconstructionInputError, match=r"nucmed\[recon\]"):
        reconstruct_osem(frames, [0, 90, 180, 270], PIXEL_M, RADIUS_M, iterations=1, subsets=2)


@pytest.mark.parametrize(
    ("frames", "angles", "pixel_m", "subsets", "match"),
    [
        (np.ones((4, SIDE)), [0, 90, 180, 270], PIXEL_M, 2, "3-D array"),
        (-np.ones((4, SIDE, SIDE)), [0, 90, 180, 270], PIXEL_M, 2, "≥ 0"),
        (np.ones((4, SIDE, SIDE)), [0, 90, 180], PIXEL_M, 2, "one finite detector angle"),
        (np.ones((4, SIDE, SIDE)), [0, 90, 90, 270], PIXEL_M, 2, "same detector angle"),
        (np.ones((4, SIDE, SIDE)), [0, 90, 180, 270], 0.0, 2, "pixel size must be > 0"),
        (np.ones((4, SIDE, SIDE)), [0, 90, 180, 270], PIXEL_M, 5, "5 subsets"),
        (np.ones((4, SIDE, SIDE)), [0, 90, 180, 270], PIXEL_M, 0, "whole number"),
    ],
)
def test_unusable_input_is_refused_before_any_import(
    frames: npt.NDArray[np.float64],
    angles: list[float],
    pixel_m: float,
    subsets: int,
    match: str,
) -> None:
    with pytest.raises(ReconstructionInputError, match=match):
        reconstruct_osem(frames, angles, pixel_m, RADIUS_M, iterations=1, subsets=subsets)
