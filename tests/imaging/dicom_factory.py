"""Small synthetic DICOM series written by the tests (never downloaded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    ExplicitVRLittleEndian,
    NuclearMedicineImageStorage,
    PositronEmissionTomographyImageStorage,
    generate_uid,
)
from pydicom.valuerep import DS

SPACING_MM = (4.0, 3.0)  # (row spacing, column spacing)
SLICE_MM = 5.0
ORIGIN_MM = (-100.0, -80.0, 50.0)


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def _isotope(nuclide_code: Dataset, total_dose: float, start: str) -> Sequence:
    item = Dataset()
    item.Radiopharmaceutical = "test agent"
    item.RadionuclideCodeSequence = Sequence([nuclide_code])
    item.RadionuclideTotalDose = DS(total_dose, auto_format=True)
    item.RadiopharmaceuticalStartDateTime = start
    return Sequence([item])


def save(ds: Dataset, path: Path) -> Path:
    """Write ``ds`` as a DICOM file (Part 10, explicit VR little endian); the path."""
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(path, enforce_file_format=True)
    return path


def _common(ds: Dataset, series_uid: str, rows: int, columns: int) -> None:
    ds.PatientName, ds.PatientID = "Test^Phantom", "PH-1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.1", series_uid
    ds.FrameOfReferenceUID = "1.2.826.0.1.3680043.8.498.2"
    ds.SOPInstanceUID = generate_uid()
    ds.Rows, ds.Columns = rows, columns
    ds.PixelSpacing = [DS(v) for v in SPACING_MM]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.StudyDate, ds.SeriesDate = "20261130", "20261130"


def write_pet_series(
    folder: Path, bq_per_ml: npt.NDArray[np.float64], *, total_dose_bq: float = 185e6
) -> list[Path]:
    """Write a PET series of one file per slice, values ``bq_per_ml[i, j, k]`` in BQML."""
    folder.mkdir(parents=True, exist_ok=True)
    series_uid = generate_uid()
    columns, rows, slices = bq_per_ml.shape
    paths = []
    for k in range(slices):
        ds = Dataset()
        ds.SOPClassUID, ds.Modality = PositronEmissionTomographyImageStorage, "PT"
        _common(ds, series_uid, rows, columns)
        ds.TimezoneOffsetFromUTC = "+0600"
        ds.RadiopharmaceuticalInformationSequence = _isotope(
            _code("35337001", "SCT", "^68^Gallium"), total_dose_bq, "20261130083000"
        )
        ds.Units, ds.DecayCorrection = "BQML", "START"
        ds.CorrectedImage = ["DECY", "ATTN", "SCAT"]
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [ORIGIN_MM[0], ORIGIN_MM[1], ORIGIN_MM[2] + SLICE_MM * k]
        plane = bq_per_ml[:, :, k].T  # (rows, columns)
        slope = max(float(plane.max()), 1.0) / 65535.0
        ds.RescaleSlope, ds.RescaleIntercept = DS(slope, auto_format=True), 0
        stored = np.rint(plane / float(ds.RescaleSlope)).astype(np.uint16)
        ds.PixelData = stored.tobytes()
        paths.append(save(ds, folder / f"slice{slices - k:03d}.dcm"))  # written out of order
    return paths


def write_nm_tomo(
    path: Path, counts: npt.NDArray[np.uint16], *, total_dose_mbq: float = 7400.0,
    image_type: str = "RECON TOMO", with_orientation: bool = True,
) -> Path:  # fmt: skip
    """Write a multi-frame NM reconstructed tomography file, counts[i, j, k]."""
    columns, rows, frames = counts.shape
    ds = Dataset()
    ds.SOPClassUID, ds.Modality = NuclearMedicineImageStorage, "NM"
    _common(ds, generate_uid(), rows, columns)
    ds.NumberOfFrames = frames
    ds.ImageType = ["ORIGINAL", "PRIMARY", image_type, "EMISSION"]
    ds.SpacingBetweenSlices = DS(SLICE_MM)
    ds.RadiopharmaceuticalInformationSequence = _isotope(
        _code("447553000", "SCT", "^177^Lutetium"), total_dose_mbq, "20261130091500"
    )
    ds.CorrectedImage = ["ATTN", "SCAT"]
    detector = Dataset()
    if with_orientation:
        detector.ImagePositionPatient = list(ORIGIN_MM)
        detector.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.DetectorInformationSequence = Sequence([detector])
    ds.PixelData = np.ascontiguousarray(counts.transpose(2, 1, 0)).tobytes()
    return save(ds, path)
