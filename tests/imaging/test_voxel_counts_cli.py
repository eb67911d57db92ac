"""``nucmed dosimetry voxel`` on count maps: a typed sensitivity or the camera's recorded one.

Kinds of expected value: **analytic** (count maps made from a known Bq/mL study by the MIRD 26
relation N = C·S·V·(1 − e^(−λΔt))/λ give back the dose of the Bq/mL study).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from sqlalchemy.orm import sessionmaker

from nucmed.dosimetry.svalues import electron_energy_per_decay_j
from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import write_activity_map
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import transaction
from nucmed.store.db import make_engine
from nucmed.store.imaging import CameraCalibration
from nucmed.store.migrate import upgrade
from nucmed.vocabulary import SiteKind
from tests.imaging.dicom_factory import write_nm_tomo
from tests.imaging.test_imaging_cli import run, run_json

AFFINE = np.diag([4e-3, 4e-3, 4e-3, 1.0])
VOXEL_M3 = 64e-9
HOUR = 3600.0
DURATION_S = 1200.0
SENSITIVITY_CPS_PER_BQ = 9.6e-6
LAMBDA = get_nuclide("Lu-177").decay_constant_per_s
AT = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _maps(folder: Path, *, counts: bool) -> list[str]:
    """Four uniform maps, C(t) = 2e5 Bq/mL·e^(−2λt): in Bq/mL, or as the camera counts them."""
    folder.mkdir(exist_ok=True)
    args = []
    for hours in (4, 24, 72, 168):
        bq_per_m3 = 2e5 * 1e6 * math.exp(-2 * LAMBDA * hours * HOUR)
        path = folder / f"t{hours}.nii.gz"
        if counts:  # counts per voxel, written as they are
            per_bq = SENSITIVITY_CPS_PER_BQ * -math.expm1(-LAMBDA * DURATION_S) / LAMBDA
            values = np.full((10, 10, 10), bq_per_m3 * VOXEL_M3 * per_bq, np.float32)
            image = nib.Nifti1Image(values, np.diag([4.0, 4.0, 4.0, 1.0]))  # type: ignore[no-untyped-call]
            nib.save(image, str(path))
        else:
            write_activity_map(Volume(np.full((10, 10, 10), bq_per_m3, np.float32), AFFINE), path)
        args += ["--map", f"{hours} h={path}"]
    return args


def _mean_dose(capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str) -> float:
    data = run_json(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", "--method", "led",
        "--out", str(tmp_path / "dose.nii.gz"), *extra,
    )  # fmt: skip
    return float(data["mean_dose_gy"])


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite installation with a Bishkek camera calibrated for Lu-177, twice at
    one site (the second record corrects the first) and once at another site."""
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(sessionmaker(engine)) as store:
        sites = [
            create_site(store, None, SiteSpec(code, code, SiteKind.DEPARTMENT, "Bishkek", "KG",
                                              "Asia/Bishkek"))
            for code in ("NM-BIS", "NM-OSH")
        ]  # fmt: skip

        def row(site_id: int, sensitivity: float, corrects: int | None) -> CameraCalibration:
            made = CameraCalibration(
                site_id=site_id, camera="Discovery 670", nuclide="Lu-177",
                energy_window="208 keV 20 %", phantom_activity_bq=4e8,
                activity_reference_at=AT, acquired_at=AT, acquisition_duration_s=1800.0,
                counts=1e6, sensitivity_cps_per_bq=sensitivity, recorded_at=AT,
                recorded_by_id=None, corrects_id=corrects, reason="typo" if corrects else None,
            )  # fmt: skip
            store.session.add(made)
            store.session.flush()
            return made

        wrong = row(sites[0].id, 5e-6, None)
        row(sites[0].id, SENSITIVITY_CPS_PER_BQ, wrong.id)
        row(sites[1].id, 7e-6, None)
    engine.dispose()
    monkeypatch.setenv("NUCMED_DATABASE_URL", url)
    return url


def test_typed_sensitivity_gives_the_bq_per_ml_dose(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    expected = _mean_dose(capsys, tmp_path, *_maps(tmp_path / "bq", counts=False))
    counted = _mean_dose(
        capsys, tmp_path, *_maps(tmp_path / "n", counts=True), "--sensitivity", "9.6 cps/MBq",
        "--duration", "20 min",
    )  # fmt: skip
    assert counted == pytest.approx(expected, rel=1e-5)  # float32 maps


def test_camera_uses_the_recorded_sensitivity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, installation: str
) -> None:
    expected = _mean_dose(capsys, tmp_path, *_maps(tmp_path / "bq", counts=False))
    maps = _maps(tmp_path / "n", counts=True)
    data = run_json(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", "--method", "led", *maps,
        "--camera", "Discovery 670", "--site", "NM-BIS", "--duration", "20 min",
        "--out", str(tmp_path / "dose.nii.gz"),
    )  # fmt: skip
    # the correction (9.6 cps/MBq) is used, not the record it supersedes (5 cps/MBq)
    assert data["sensitivity_cps_per_bq"] == pytest.approx(SENSITIVITY_CPS_PER_BQ)
    assert data["mean_dose_gy"] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(["--camera", "Discovery 670", "--duration", "20 min"],
                     "calibrated at several sites (NM-BIS, NM-OSH): give --site", id="2-sites"),
        pytest.param(["--camera", "Symbia", "--site", "NM-BIS", "--duration", "20 min"],
                     "no calibration of camera Symbia for Lu-177", id="unknown-camera"),
        pytest.param(["--camera", "Discovery 670", "--site", "NM-BIS"], "--duration",
                     id="no-duration"),
        pytest.param(["--camera", "X", "--sensitivity", "9 cps/MBq", "--duration", "1 h"],
                     "not both", id="both"),
        pytest.param(["--sensitivity", "9 cps/min", "--duration", "1 h"], "cps/MBq",
                     id="bad-unit"),
    ],
)  # fmt: skip
def test_refusals_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, installation: str, extra: list[str],
    message: str,
) -> None:  # fmt: skip
    status, out, err = run(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", *_maps(tmp_path, counts=True),
        *extra, "--out", str(tmp_path / "d.nii"),
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err


def test_nm_tomo_in_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A reconstructed NM file in counts (3 x 4 x 5 mm voxels) with a typed sensitivity:
    LED dose = C₀/λ_eff·Δ/ρ for counts N = C·S·V·(1 − e^(−λΔt))/λ (analytic)."""
    voxel_m3 = 3e-3 * 4e-3 * 5e-3
    per_bq = SENSITIVITY_CPS_PER_BQ * -math.expm1(-LAMBDA * DURATION_S) / LAMBDA
    maps, rate = [], 2 * LAMBDA
    for hours in (24, 72):
        counts = 2e13 * math.exp(-rate * hours * HOUR) * voxel_m3 * per_bq  # 2e7 Bq/mL at 0
        path = write_nm_tomo(
            tmp_path / f"nm{hours}.dcm", np.full((6, 6, 6), round(counts), np.uint16)
        )
        maps += ["--map", f"{hours} h={path}"]
    data = run_json(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", "--method", "led", *maps,
        "--sensitivity", "9.6 cps/MBq", "--duration", "20 min",
        "--out", str(tmp_path / "dose.nii.gz"),
    )  # fmt: skip
    expected = 2e13 / rate * electron_energy_per_decay_j("Lu-177") / 1040.0
    assert data["mean_dose_gy"] == pytest.approx(
        expected, rel=2e-3
    )  # counts rounded to integers (thousands)
