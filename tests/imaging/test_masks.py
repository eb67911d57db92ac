"""VOIs from DICOM SEG (written by highdicom here) and RTSTRUCT (built with pydicom here).

Kinds of expected value: **analytic** — the voxel counts follow from the geometry: the PET
grid of ``dicom_factory`` has columns 3 mm apart along x, rows 4 mm along y, slices 5 mm
along z from (-100, -80, 50) mm, so a contour's extent in mm says which voxel centres are
inside.
"""

from __future__ import annotations

from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

from nucmed.imaging.masks import Contour, MaskInputError, polygon_mask, rasterise_contours
from nucmed.imaging.volume import Volume
from nucmed.interop.imaging_dicom import read_series
from nucmed.interop.imaging_masks import MaskError, read_mask
from tests.imaging.dicom_factory import ORIGIN_MM, SLICE_MM, SPACING_MM, write_pet_series
from tests.imaging.test_imaging_cli import run, run_json

SHAPE = (8, 7, 6)  # columns, rows, slices
COLUMN_MM, ROW_MM = SPACING_MM[1], SPACING_MM[0]
RTSTRUCT_UID = UID("1.2.840.10008.5.1.4.1.1.481.3")


def _pet(folder: Path, value: float = 1.0) -> list[Path]:
    return write_pet_series(folder, np.full(SHAPE, value))


def _grid(folder: Path) -> Volume:
    volume = read_series(folder).volume
    assert volume is not None
    return volume


def _sources(paths: list[Path]) -> list[Dataset]:
    """The PET slices as highdicom wants its source images (the patient module filled)."""
    sources: list[Dataset] = sorted(
        (pydicom.dcmread(p) for p in paths), key=lambda d: float(d.ImagePositionPatient[2])
    )
    for ds in sources:
        ds.PatientBirthDate, ds.PatientSex, ds.StudyTime, ds.StudyID = "", "", "083000", "1"
        ds.AccessionNumber, ds.ReferringPhysicianName, ds.SliceThickness = "", "", SLICE_MM
    return sources


def _segment(number: int, label: str) -> hd.seg.SegmentDescription:
    return hd.seg.SegmentDescription(
        segment_number=number, segment_label=label,
        segmented_property_category=hd.sr.CodedConcept("91723000", "SCT", "Anatomical Structure"),
        segmented_property_type=hd.sr.CodedConcept("64033007", "SCT", "Kidney"),
        algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL,
    )  # fmt: skip


def _write_seg(paths: list[Path], frames_rows_columns: np.ndarray, out: Path) -> Path:
    seg = hd.seg.Segmentation(
        source_images=_sources(paths), pixel_array=frames_rows_columns,
        segmentation_type="BINARY", segment_descriptions=[_segment(1, "left kidney"),
                                                          _segment(2, "tumour")],
        series_instance_uid=generate_uid(), series_number=2, sop_instance_uid=generate_uid(),
        instance_number=1, manufacturer="nucmed tests", manufacturer_model_name="test",
        software_versions="0", device_serial_number="1",
    )  # fmt: skip
    seg.save_as(out)
    return out


def _seg_labels() -> np.ndarray:
    """(frames, rows, columns) labels: kidney 3x3x4 = 36 voxels, tumour 2x2x1 = 4."""
    labels = np.zeros((SHAPE[2], SHAPE[1], SHAPE[0]), np.uint8)
    labels[1:4, 2:5, 3:7] = 1
    labels[5, 0:2, 0:2] = 2
    return labels


class TestSegAnalytic:
    def test_same_grid_keeps_every_voxel(self, tmp_path: Path) -> None:
        paths = _pet(tmp_path / "pet")
        seg = _write_seg(paths, _seg_labels(), tmp_path / "seg.dcm")
        mask = read_mask(seg, _grid(tmp_path / "pet"))
        assert mask.names == {1: "left kidney", 2: "tumour"}
        np.testing.assert_array_equal(mask.labels, _seg_labels().transpose(2, 1, 0))
        assert (int((mask.labels == 1).sum()), int((mask.labels == 2).sum())) == (36, 4)

    def test_coarser_grid_samples_the_nearest_voxel(self, tmp_path: Path) -> None:
        paths = _pet(tmp_path / "pet")
        seg = _write_seg(paths, _seg_labels(), tmp_path / "seg.dcm")
        fine = _grid(tmp_path / "pet")
        affine = fine.affine_m.copy()
        affine[:3, :2] *= 2.0  # 6 mm x 8 mm in-plane, same origin and slices
        mask = read_mask(seg, Volume(np.zeros((4, 4, 6), np.float32), affine))
        # coarse (I, J) sits on fine (2I, 2J): kidney columns 3-6 -> I = 2, 3; rows 2-4 ->
        # J = 1, 2; slices 1-3: 2 x 2 x 3 = 12; tumour columns/rows 0-1 -> I = J = 0: 1
        assert (int((mask.labels == 1).sum()), int((mask.labels == 2).sum())) == (12, 1)


def _square(x_mm: tuple[float, float], y_mm: tuple[float, float], z_mm: float) -> list[float]:
    (x0, x1), (y0, y1) = x_mm, y_mm
    return [x0, y0, z_mm, x1, y0, z_mm, x1, y1, z_mm, x0, y1, z_mm]


def _x(i: float) -> float:
    return ORIGIN_MM[0] + COLUMN_MM * i


def _y(j: float) -> float:
    return ORIGIN_MM[1] + ROW_MM * j


def _z(k: int) -> float:
    return ORIGIN_MM[2] + SLICE_MM * k


def _write_rtstruct(out: Path, rois: dict[int, tuple[str, list[list[float]]]]) -> Path:
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID, ds.Modality = RTSTRUCT_UID, generate_uid(), "RTSTRUCT"
    ds.PatientName, ds.PatientID = "Test^Phantom", "PH-1"
    ds.StructureSetLabel = "VOIs"
    ds.StructureSetROISequence = Sequence()
    ds.ROIContourSequence = Sequence()
    for number, (name, contours) in rois.items():
        roi = Dataset()
        roi.ROINumber, roi.ROIName = number, name
        roi.ReferencedFrameOfReferenceUID = "1.2.826.0.1.3680043.8.498.2"
        ds.StructureSetROISequence.append(roi)
        item = Dataset()
        item.ReferencedROINumber = number
        item.ContourSequence = Sequence()
        for points in contours:
            contour = Dataset()
            contour.ContourGeometricType = "CLOSED_PLANAR"
            contour.NumberOfContourPoints = len(points) // 3
            contour.ContourData = points
            item.ContourSequence.append(contour)
        ds.ROIContourSequence.append(item)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = (
        RTSTRUCT_UID, ds.SOPInstanceUID,
    )  # fmt: skip
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(out, enforce_file_format=True)
    return out


class TestRtstructAnalytic:
    def test_squares_with_a_hole(self, tmp_path: Path) -> None:
        _pet(tmp_path / "pet")
        # kidney: x from column 2.5 to 6.5 (centres 3-6: 4), y from row 1.5 to 4.5 (rows 2-4:
        # 3), on slices 1-3: 36 voxels; a hole on slice 2 over columns 4-5, row 3: minus 2
        kidney = [_square((_x(2.5), _x(6.5)), (_y(1.5), _y(4.5)), _z(k)) for k in (1, 2, 3)]
        hole = _square((_x(3.5), _x(5.5)), (_y(2.5), _y(3.5)), _z(2))
        # tumour: one plane (slice 5), columns 0-1, rows 0-1: 4 voxels on that slice only
        tumour = _square((_x(-0.5), _x(1.5)), (_y(-0.5), _y(1.5)), _z(5))
        path = _write_rtstruct(tmp_path / "rs.dcm", {
            3: ("kidney L", [*kidney, hole]), 7: ("lesion 1", [tumour]),
        })  # fmt: skip
        mask = read_mask(path, _grid(tmp_path / "pet"))
        assert mask.names == {3: "kidney L", 7: "lesion 1"}
        assert (int((mask.labels == 3).sum()), int((mask.labels == 7).sum())) == (34, 4)
        assert mask.labels[4, 3, 2] == 0 and mask.labels[3, 3, 2] == 3  # the hole
        assert set(np.flatnonzero(mask.labels.any(axis=(0, 1)))) == {1, 2, 3, 5}

    def test_planes_reach_half_their_spacing(self) -> None:
        # contours every 2 slices (planes at k = 0, 2, 4): slices 1 and 3 lie half-way and
        # take the nearest plane; slice 5 is half a spacing beyond the last plane
        affine = np.diag([1e-3, 1e-3, 1e-3, 1.0])
        square = np.array([[0.5, 0.5], [2.5, 0.5], [2.5, 2.5], [0.5, 2.5]]) * 1e-3
        contours = [Contour(1, np.c_[square, np.full(4, k * 1e-3)]) for k in (0, 2, 4)]
        labels = rasterise_contours(contours, (4, 4, 8), affine)
        assert labels.sum(axis=(0, 1)).tolist() == [4, 4, 4, 4, 4, 4, 0, 0]

    def test_tilted_contour_is_refused(self, tmp_path: Path) -> None:
        _pet(tmp_path / "pet")
        tilted = [_x(1), _y(1), _z(1), _x(4), _y(1), _z(2), _x(4), _y(4), _z(2)]
        path = _write_rtstruct(tmp_path / "rs.dcm", {1: ("skew", [tilted])})
        with pytest.raises(MaskError, match="not in a plane parallel to the image slices"):
            read_mask(path, _grid(tmp_path / "pet"))


class TestRefusals:
    def test_an_image_is_not_a_mask(self, tmp_path: Path) -> None:
        paths = _pet(tmp_path / "pet")
        with pytest.raises(MaskError, match="a SEG or RTSTRUCT is needed for a mask, this is PT"):
            read_mask(paths[0], _grid(tmp_path / "pet"))

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(MaskError, match="no such file"):
            read_mask(tmp_path / "none.dcm", Volume(np.zeros((2, 2, 2)), np.eye(4)))

    def test_too_few_points(self) -> None:
        with pytest.raises(MaskInputError, match="at least 3 points"):
            polygon_mask([[0.0, 0.0], [1.0, 1.0]], (3, 3))


def test_voxel_dosimetry_with_a_seg_mask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI reads a SEG onto the maps' grid and reports each VOI by name."""
    first = _pet(tmp_path / "t1", 4e4)
    _pet(tmp_path / "t2", 2e4)
    seg = _write_seg(first, _seg_labels(), tmp_path / "seg.dcm")
    data = run_json(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", "--method", "led",
        "--map", f"24 h={tmp_path / 't1'}", "--map", f"48 h={tmp_path / 't2'}",
        "--mask", str(seg), "--out", str(tmp_path / "dose.nii.gz"),
    )  # fmt: skip
    vois = {v["name"]: v["voxels"] for v in data["vois"]}
    assert vois == {"left kidney": 36, "tumour": 4}
    status, out, err = run(
        capsys, "dosimetry", "voxel", "--nuclide", "Lu-177", "--map",
        f"24 h={tmp_path / 't1'}", "--mask", str(first[0]), "--out", str(tmp_path / "d.nii"),
    )  # fmt: skip
    assert (status, out) == (2, "") and "a SEG or RTSTRUCT is needed" in err
