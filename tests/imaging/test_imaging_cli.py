"""``nucmed imaging info`` and ``nucmed dosimetry voxel``: JSON keys in SI, one-line errors.

Kinds of expected value: **analytic** (a uniform mono-exponential study gives C₀/λ·Δ_np/ρ).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nucmed.cli import main as cli_main
from nucmed.dosimetry.svalues import electron_energy_per_decay_j
from nucmed.imaging.volume import Volume
from nucmed.interop.imaging_dicom import read_series
from nucmed.interop.nifti import read_volume, write_activity_map, write_labels
from nucmed.physics.nuclides import get_nuclide
from tests.imaging.dicom_factory import write_nm_tomo, write_pet_series

AFFINE = np.diag([4e-3, 4e-3, 4e-3, 1.0])
HOUR = 3600.0
M3_PER_ML = 1e-6


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


class TestInfo:
    def test_pet_series(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        write_pet_series(tmp_path / "pet", np.ones((6, 5, 4)), total_dose_bq=185e6)
        data = run_json(capsys, "imaging", "info", str(tmp_path / "pet"))
        assert data["modality"] == "PT"
        assert data["administered_activity_bq"] == pytest.approx(185e6)
        assert data["injection_datetime"] == "2026-11-30T02:30:00+00:00"
        assert (data["frames"], data["rows"], data["columns"]) == (4, 5, 6)
        assert data["pixel_spacing_mm"] == pytest.approx([4.0, 3.0])
        assert (data["units"], data["radionuclide"]) == ("BQML", "Ga-68")

    def test_nm_total_dose_in_mbq_becomes_bq(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = write_nm_tomo(tmp_path / "nm.dcm", np.ones((4, 4, 3), np.uint16))
        data = run_json(capsys, "imaging", "info", str(path))
        assert data["administered_activity_bq"] == pytest.approx(7.4e9)
        assert data["injection_datetime_has_offset"] is False

    def test_table_and_missing_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, out, err = run(capsys, "imaging", "info", str(tmp_path / "none.dcm"))
        assert (status, out) == (2, "")
        assert err.count("\n") == 1 and "no such file" in err


def _study(folder: Path, c0: float, rate: float) -> list[str]:
    folder.mkdir(exist_ok=True)
    args = []
    for hours in (4, 24, 72, 168):
        value = c0 / M3_PER_ML * math.exp(-rate * hours * HOUR)  # Bq/mL -> Bq/m³
        path = folder / f"t{hours}.nii.gz"
        write_activity_map(Volume(np.full((12, 12, 12), value, np.float32), AFFINE), path)
        args += ["--map", f"{hours} h={path}"]
    mask = np.zeros((12, 12, 12), np.float32)
    mask[4:8, 4:8, 4:8] = 1
    write_labels(Volume(mask, AFFINE), folder / "mask.nii.gz")
    return args


class TestVoxelDosimetryAnalytic:
    @pytest.mark.parametrize("method", ["led", "dvk"])
    def test_uniform_mono_exponential(
        self, method: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rate = 2 * get_nuclide("Lu-177").decay_constant_per_s
        maps = _study(tmp_path, 2e5, rate)  # Bq/mL
        out = tmp_path / "dose.nii.gz"
        data = run_json(
            capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *maps, "--mask",
            str(tmp_path / "mask.nii.gz"), "--method", method, "--out", str(out),
        )  # fmt: skip
        expected = 2e5 * 1e6 / rate * electron_energy_per_decay_j("Lu-177") / 1040.0
        # the VOI lies 4 voxels (16 mm) inside the uniform map: electron equilibrium for
        # Lu-177 (range < 2 mm); float32 maps and fits
        assert data["vois"][0]["mean_dose_gy"] == pytest.approx(expected, rel=1e-3)
        assert data["mean_dose_gy"] == pytest.approx(expected, rel=1e-3)
        assert read_volume(out).values[6, 6, 6] == pytest.approx(expected, rel=1e-3)
        assert (data["output"], data["fit"], data["method"]) == (str(out), "mono", method)

    def test_rt_dose_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        maps = _study(tmp_path, 2e5, 2e-6)
        out = tmp_path / "dose.dcm"
        data = run_json(
            capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *maps, "--fit", "bi",
            "--out", str(out),
        )  # fmt: skip
        back = read_series(out)
        assert back.volume is not None
        assert float(back.volume.values.max()) == pytest.approx(data["max_dose_gy"], rel=1e-6)


class TestVoxelRefusals:
    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            pytest.param(["--map", "24h"], "write TIME=FILE", id="map-format"),
            pytest.param(["--map", "soon=x.nii"], "--map", id="map-time"),
            pytest.param(["--method", "monte-carlo"], "allowed: led, dvk", id="method"),
            pytest.param(["--fit", "gamma"], "allowed: mono, bi, trapezoid", id="fit"),
        ],
    )
    def test_one_line_exit_2(
        self, extra: list[str], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:  # fmt: skip
        maps = _study(tmp_path, 1e5, 2e-6)
        status, out, err = run(
            capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *maps, *extra, "--out",
            str(tmp_path / "d.nii"),
        )  # fmt: skip
        assert (status, out) == (2, "")
        assert err.count("\n") == 1 and message in err

    def test_out_suffix_and_grid_mismatch(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        maps = _study(tmp_path, 1e5, 2e-6)
        status, _, err = run(capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *maps,
                             "--out", str(tmp_path / "d.png"))  # fmt: skip
        assert status == 2 and ".nii, .nii.gz or .dcm" in err
        other = tmp_path / "small.nii.gz"
        write_activity_map(Volume(np.ones((5, 5, 5), np.float32), AFFINE), other)
        status, _, err = run(
            capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *maps, "--map",
            f"200 h={other}", "--out", str(tmp_path / "d.nii"),
        )  # fmt: skip
        assert status == 2 and "resample the images to one grid" in err
