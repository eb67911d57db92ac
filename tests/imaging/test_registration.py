"""Rigid registration of time points: a known shift (and turn) is recovered.

analytic: the moving map is the fixed map's activity pattern moved by a known rigid motion
(evaluated in closed form, not resampled), so the transform to find is known exactly.
Tolerance 0.5 mm and 0.5°: an eighth of the 4 mm voxel, the accuracy expected of an
intensity-based registration of smooth maps (linear interpolation, finite optimiser steps).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nucmed.dosimetry.svalues import electron_energy_per_decay_j
from nucmed.imaging.registration import RegistrationError, register_rigid, resample_onto
from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import write_activity_map, write_labels
from tests.imaging.test_imaging_cli import run_json

VOXEL_M = 4e-3
SHAPE = (40, 36, 32)
AFFINE = np.diag([VOXEL_M, VOXEL_M, VOXEL_M, 1.0])
AFFINE[:3, 3] = (-0.08, -0.07, 0.02)
# two "kidneys" and a "tumour": Gaussian blobs (centre m, width m, height Bq/m³)
BLOBS = (((-0.03, 0.0, 0.08), 0.012, 5e9), ((0.035, 0.005, 0.085), 0.011, 4e9),
         ((0.0, -0.03, 0.07), 0.008, 9e9))  # fmt: skip


BACKGROUND = 2e8  # Bq/m³: the body around the organs (no voxel without activity)


def _pattern(points_m: np.ndarray) -> np.ndarray:
    values = np.full(points_m.shape[0], BACKGROUND)
    for centre, width, height in BLOBS:
        distance2 = np.sum((points_m - np.array(centre)) ** 2, axis=1)
        values += height * np.exp(-distance2 / (2 * width**2))
    return values


def _centres() -> np.ndarray:
    grid = np.indices(SHAPE).reshape(3, -1).astype(float)
    return np.asarray((AFFINE @ np.vstack([grid, np.ones(grid.shape[1])]))[:3].T)


def _map(rotation_z_rad: float, shift_m: tuple[float, float, float]) -> Volume:
    """The pattern after the patient moved: a point p of the fixed scan is at R·(p−c)+c+t."""
    centre = np.array([0.0, 0.0, 0.08])
    c, s = math.cos(rotation_z_rad), math.sin(rotation_z_rad)
    rotation = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    # moving(q) = fixed(p) with q = R(p − c) + c + t, so p = Rᵀ(q − c − t) + c
    points = _centres()
    source = (points - centre - np.array(shift_m)) @ rotation + centre
    return Volume(_pattern(source).reshape(SHAPE).astype(np.float32), AFFINE)


def test_recovers_a_known_shift_and_turn() -> None:
    fixed = _map(0.0, (0.0, 0.0, 0.0))
    shift = (0.0062, -0.0045, 0.0031)  # m: 1.55, -1.1, 0.8 voxels
    moving = _map(math.radians(4.0), shift)
    found = register_rigid(fixed, moving)
    # the transform maps fixed points to moving ones: a point p goes to R(p − c') + c' + t'
    # for the centre c' the registration chose; check it on the blob centres
    centre_p = np.array([b[0] for b in BLOBS])
    c, s = math.cos(math.radians(4.0)), math.sin(math.radians(4.0))
    rotation = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    expected = (centre_p - [0.0, 0.0, 0.08]) @ rotation.T + [0.0, 0.0, 0.08] + np.array(shift)
    ax, ay, az = found.rotation_rad
    assert math.degrees(az) == pytest.approx(4.0, abs=0.5)
    assert (abs(math.degrees(ax)), abs(math.degrees(ay))) < (0.5, 0.5)
    cz, sz = math.cos(az), math.sin(az)
    r_found = np.array([[cz, -sz, 0.0], [sz, cz, 0.0], [0.0, 0.0, 1.0]])
    mapped = (centre_p - found.centre_m) @ r_found.T + found.centre_m + found.translation_m
    np.testing.assert_allclose(mapped, expected, atol=0.5e-3)
    assert found.correlation > 0.99


def test_resampled_map_lies_on_the_fixed_one() -> None:
    fixed = _map(0.0, (0.0, 0.0, 0.0))
    moving = _map(0.0, (0.008, 0.0, -0.004))  # 2 and -1 voxels
    found = register_rigid(fixed, moving)
    np.testing.assert_allclose(found.translation_m, (0.008, 0.0, -0.004), atol=0.5e-3)
    back = resample_onto(moving, fixed, found)
    inner = (slice(4, -4),) * 3  # away from the edges the moving field did not cover
    peak = float(fixed.values.max())
    assert float(np.max(np.abs(back[inner] - fixed.values[inner]))) < 0.03 * peak
    before = float(np.max(np.abs(moving.values[inner] - fixed.values[inner])))
    assert before > 0.3 * peak  # the shift was large against the blobs' widths


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param(np.zeros((10, 10, 10), np.float32), "no activity", id="empty"),
        pytest.param(np.ones((4, 10, 10), np.float32), "at least 8 voxels", id="small"),
    ],
)
def test_refusals(values: np.ndarray, message: str) -> None:
    fixed = _map(0.0, (0.0, 0.0, 0.0))
    with pytest.raises(RegistrationError, match=message):
        register_rigid(fixed, Volume(values, AFFINE))


def test_voxel_dosimetry_registers_the_later_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """analytic: the day-2 map is the day-1 pattern halved and moved 2 voxels; registered,
    every voxel halves in 24 h, so Ã = C₁·e^(λt₁)/λ with λ = ln 2/24 h (LED dose)."""
    day1 = _map(0.0, (0.0, 0.0, 0.0))
    moved = _map(0.0, (0.008, 0.0, -0.004))
    day2 = Volume(moved.values * np.float32(0.5), AFFINE)
    maps = []
    for hours, volume in ((24, day1), (48, day2)):
        write_activity_map(volume, tmp_path / f"d{hours}.nii.gz")
        maps += ["--map", f"{hours} h={tmp_path / f'd{hours}.nii.gz'}"]
    mask = np.zeros(SHAPE, np.float32)
    index = np.rint(np.linalg.solve(AFFINE, [*BLOBS[2][0], 1.0])[:3]).astype(int)
    mask[tuple(index)] = 1  # the tumour's centre voxel
    write_labels(Volume(mask, AFFINE), tmp_path / "mask.nii.gz")
    common = [
        "dosimetry",
        "voxel",
        "--nuclide",
        "Lu-177",
        "--method",
        "led",
        *maps,
        "--mask",
        str(tmp_path / "mask.nii.gz"),
        "--out",
        str(tmp_path / "dose.nii.gz"),
    ]
    rate = math.log(2) / (24 * 3600.0)
    c1 = float(day1.values[tuple(index)])
    expected = c1 * math.exp(rate * 24 * 3600.0) / rate
    expected *= electron_energy_per_decay_j("Lu-177") / 1040.0
    registered = run_json(capsys, *common, "--register")["vois"][0]["mean_dose_gy"]
    unregistered = run_json(capsys, *common)["vois"][0]["mean_dose_gy"]
    # 2 %: linear resampling at the peak of a 8 mm-wide blob
    assert registered == pytest.approx(expected, rel=0.02)
    # without registration the centre's clearance is wrong (the later peak lies elsewhere)
    assert abs(unregistered / expected - 1) > 3 * abs(registered / expected - 1)
