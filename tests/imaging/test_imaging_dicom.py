"""DICOM NM/PET reading, header faults, RT Dose writing; files made by the tests."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pydicom
import pytest

from nucmed.imaging.volume import Volume
from nucmed.interop.imaging_dicom import DicomImageError, read_series, write_rt_dose
from tests.imaging.dicom_factory import (
    ORIGIN_MM,
    SLICE_MM,
    SPACING_MM,
    write_nm_tomo,
    write_pet_series,
)

M3_PER_ML = 1e-6
M_PER_MM = 1e-3


def _phantom() -> np.ndarray:
    rng = np.random.default_rng(5)
    return rng.uniform(0.0, 5e4, size=(6, 5, 4))  # Bq/mL, (columns, rows, slices)


class TestPetRoundTrip:
    def test_series_written_reads_back_to_the_same_bq_per_ml(self, tmp_path: Path) -> None:
        original = _phantom()
        write_pet_series(tmp_path / "pet", original)
        series = read_series(tmp_path / "pet")
        assert series.volume is not None
        read_back = series.volume.values * M3_PER_ML
        # quantisation: uint16 pixels with one slope per slice (max/65535), half a step
        np.testing.assert_allclose(read_back, original, atol=original.max() / 65535)
        assert series.value_unit == "Bq/m3"

    def test_geometry_is_placed_in_lps_metres(self, tmp_path: Path) -> None:
        write_pet_series(tmp_path / "pet", _phantom())
        volume = read_series(tmp_path / "pet").volume
        assert volume is not None
        assert volume.spacing_m == pytest.approx(
            (SPACING_MM[1] * M_PER_MM, SPACING_MM[0] * M_PER_MM, SLICE_MM * M_PER_MM)
        )
        corner = volume.affine_m @ np.array([0, 0, 0, 1.0])
        assert corner[:3] == pytest.approx(np.array(ORIGIN_MM) * M_PER_MM)

    def test_header_facts(self, tmp_path: Path) -> None:
        write_pet_series(tmp_path / "pet", _phantom(), total_dose_bq=185e6)
        series = read_series(tmp_path / "pet")
        assert (series.modality, series.radionuclide, series.frames) == ("PT", "Ga-68", 4)
        assert series.administered_activity_bq == pytest.approx(185e6)  # PET: Bq as written
        assert series.injection_datetime == datetime.datetime(
            2026, 11, 30, 2, 30, tzinfo=datetime.UTC
        )
        assert series.corrections == ("DECY", "ATTN", "SCAT")
        assert (series.decay_correction, series.units) == ("START", "BQML")
        assert series.sop_class == "Positron Emission Tomography Image Storage"


class TestNuclearMedicine:
    def test_tomo_volume_and_total_dose_in_mbq(self, tmp_path: Path) -> None:
        counts = np.arange(6 * 5 * 4, dtype=np.uint16).reshape(6, 5, 4)
        series = read_series(write_nm_tomo(tmp_path / "nm.dcm", counts, total_dose_mbq=7400.0))
        assert series.administered_activity_bq == pytest.approx(7.4e9)  # NM: MBq -> Bq
        assert (series.radionuclide, series.value_unit) == ("Lu-177", "counts")
        assert series.injection_datetime is None
        assert series.injection_local_time == "2026-11-30T09:15:00"  # no offset in the file
        assert series.volume is not None
        np.testing.assert_array_equal(series.volume.values, counts.astype(np.float32))

    def test_planar_image_has_no_volume(self, tmp_path: Path) -> None:
        counts = np.ones((4, 4, 2), dtype=np.uint16)
        series = read_series(write_nm_tomo(tmp_path / "wb.dcm", counts, image_type="WHOLE BODY"))
        assert series.volume is None
        assert series.frames == 2


class TestHeaderFaults:
    def test_tomo_without_position(self, tmp_path: Path) -> None:
        path = write_nm_tomo(
            tmp_path / "nm.dcm", np.ones((3, 3, 2), np.uint16), with_orientation=False
        )
        with pytest.raises(DicomImageError, match="ImagePositionPatient is missing"):
            read_series(path)

    def test_missing_slice(self, tmp_path: Path) -> None:
        paths = write_pet_series(tmp_path / "pet", np.ones((3, 3, 4)))
        paths[1].unlink()
        with pytest.raises(DicomImageError, match="not evenly spaced"):
            read_series(tmp_path / "pet")

    def test_two_series_in_one_folder(self, tmp_path: Path) -> None:
        write_pet_series(tmp_path / "both", np.ones((3, 3, 2)))
        write_pet_series(tmp_path / "both" / "other", np.ones((3, 3, 2)))
        with pytest.raises(DicomImageError, match="2 series in this folder"):
            read_series(tmp_path / "both")

    def test_not_dicom(self, tmp_path: Path) -> None:
        (tmp_path / "note.txt").write_text("hello")
        with pytest.raises(DicomImageError, match="not a readable DICOM file"):
            read_series(tmp_path / "note.txt")
        with pytest.raises(DicomImageError, match="no DICOM image in this folder"):
            read_series(tmp_path)


class TestRtDose:
    def test_dose_written_reads_back_in_gy(self, tmp_path: Path) -> None:
        write_pet_series(tmp_path / "pet", _phantom())
        grid = read_series(tmp_path / "pet").volume
        assert grid is not None
        dose = Volume(
            np.linspace(0, 42.0, grid.values.size).reshape(grid.values.shape), grid.affine_m
        )
        path = write_rt_dose(dose, tmp_path / "dose.dcm", source=tmp_path / "pet")
        back = read_series(path)
        assert (back.modality, back.value_unit) == ("RTDOSE", "Gy")
        assert back.volume is not None
        np.testing.assert_allclose(back.volume.values, dose.values, atol=42.0 / 2**31)
        np.testing.assert_allclose(back.volume.affine_m, grid.affine_m, atol=1e-9)
        header = pydicom.dcmread(path)
        assert header.FrameOfReferenceUID == "1.2.826.0.1.3680043.8.498.2"
        assert header.PatientID == "PH-1"

    def test_negative_dose_refused(self, tmp_path: Path) -> None:
        volume = Volume(-np.ones((2, 2, 2)), np.diag([1e-3, 1e-3, 1e-3, 1.0]))
        with pytest.raises(DicomImageError, match=">= 0 Gy"):
            write_rt_dose(volume, tmp_path / "d.dcm")
