"""DICOM images in (NM, PET, CT, RT Dose) and absorbed-dose maps out (RT Dose), with pydicom.

:func:`read_series` reads one file (a multi-frame NM or RT Dose object, or one slice) or one
folder holding a single series, and returns its header facts in SI units and, where the
images form a volume, a :class:`~nucmed.imaging.volume.Volume`:

- NM (PS3.3 C.8.4): multi-frame; reconstructed tomography (Image Type value 3 ``RECON TOMO``
  or ``RECON GATED TOMO``) is a volume placed by the Detector Information Sequence's Image
  Position/Orientation and Spacing Between Slices (else Slice Thickness); planar, whole-body
  and dynamic images are described but not made into a volume. Values are counts (or what
  Units says), scaled by Rescale Slope/Intercept when present.
- PET (PS3.3 C.8.9): one slice per file, each with its own Rescale Slope; Units ``BQML`` gives
  Bq/mL, converted to Bq/m³ here. Decay Correction (0054,1102) says to which time.
- CT: one slice per file, Hounsfield units.
- RT Dose (PS3.3 C.8.8.3): multi-frame, Dose Grid Scaling, Grid Frame Offset Vector; Gy.

Radionuclide Total Dose (0018,1074) is in MBq in NM objects and in Bq in PET objects [1]_;
both become Bq here. A date-time without an offset takes Timezone Offset From UTC (0008,0201)
when present; without either, the time is kept as written and the series says so. Corrections
applied are listed from Corrected Image (0028,0051): DECY (decay), ATTN (attenuation), SCAT
(scatter) [2]_.

:func:`write_rt_dose` writes a dose map as an RT Dose object (uint32 pixels with Dose Grid
Scaling, Dose Units GY, Dose Type PHYSICAL), in the frame of reference of the series it was
computed from.

References
----------
.. [1] DICOM PS3.3 (2025b), C.8.4.10 "NM Isotope Module" (Radionuclide Total Dose in MBq) and
   C.8.9.2 "PET Isotope Module" (in Bq).
.. [2] DICOM PS3.3 (2025b), C.8.4.6 "NM Image Module"; C.8.9.4 "PET Image Module", Corrected
   Image (0028,0051) and Decay Correction (0054,1102).
.. [3] DICOM PS3.3 (2025b), C.7.6.2.1.1 "Image Position and Image Orientation".
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID, ExplicitVRLittleEndian, RTDoseStorage, generate_uid
from pydicom.valuerep import DS, DT

from nucmed import __version__, units
from nucmed.errors import N_, NucmedInputError
from nucmed.imaging.volume import Volume
from nucmed.interop.rrdsr import Coded, code_name

__all__ = [
    "DicomImageError",
    "ImageSeries",
    "read_series",
    "write_rt_dose",
]

_TOMO = frozenset({"RECON TOMO", "RECON GATED TOMO"})
_VALUE_UNITS = {"BQML": "Bq/m3", "GY": "Gy", "HU": "HU", "CNTS": "counts"}
_SLICE_TOLERANCE = 0.01  # relative spread of slice spacing accepted in a folder of slices
_MAX_FILES = 5000
_ORTHOGONAL = 1e-3  # tolerance on the direction cosines (rounded in headers)


class DicomImageError(NucmedInputError):
    """A DICOM file or folder that cannot be read as one image series; says which and why."""


@dataclass(frozen=True, slots=True, eq=False)
class ImageSeries:
    """Header facts of one image series, in SI units, and its volume when it forms one.

    Parameters
    ----------
    path
        The file or folder read.
    modality
        ``NM``, ``PT``, ``CT``, ``RTDOSE`` (or what the file says).
    sop_class_uid, sop_class
        The SOP Class UID and its name.
    radiopharmaceutical, radionuclide
        As the file names them (nuclides in nucmed's spelling when known); None if absent.
    administered_activity_bq
        Radionuclide Total Dose converted to Bq (from MBq for NM, Bq for PET); None if absent.
    injection_datetime
        Radiopharmaceutical start, aware (UTC); None when absent or without an offset.
    injection_local_time
        The start as written, when the file gives no offset (else None).
    frames, rows, columns
        Number of frames (slices), rows and columns.
    pixel_spacing_m
        (row spacing, column spacing), in m; None if absent.
    units
        The file's unit of the pixel values (``BQML``, ``CNTS``, ``GY``, ...); None if absent.
    corrections
        Corrected Image values (``DECY``, ``ATTN``, ``SCAT``, ...).
    decay_correction
        PET Decay Correction (``START``, ``ADMIN``, ``NONE``); None for other modalities.
    image_type
        Image Type values.
    volume
        The 3-D image, values in ``value_unit``; None for planar or dynamic NM.
    value_unit
        ``Bq/m3``, ``Gy``, ``HU``, ``counts`` or the file's unit.
    """

    path: Path
    modality: str
    sop_class_uid: str
    sop_class: str
    radiopharmaceutical: str | None
    radionuclide: str | None
    administered_activity_bq: float | None
    injection_datetime: datetime.datetime | None
    injection_local_time: str | None
    frames: int
    rows: int
    columns: int
    pixel_spacing_m: tuple[float, float] | None
    units: str | None
    corrections: tuple[str, ...]
    decay_correction: str | None
    image_type: tuple[str, ...]
    volume: Volume | None
    value_unit: str


def _refused(template: str, **values: object) -> DicomImageError:
    """An error made of one template marked with ``N_`` and its values (DICOM attribute names
    are kept as they are in every language)."""
    return DicomImageError(parts=((template, values),))


def _fault(template: str, path: Path | str, **values: object) -> DicomImageError:
    """An error about the file or folder at `path`, its template starting with ``{path}``."""
    return _refused(template, path=str(path), **values)


def _load(path: Path, *, pixels: bool = True) -> Dataset:
    try:
        return pydicom.dcmread(path, stop_before_pixels=not pixels)
    except FileNotFoundError as error:
        raise _fault(N_("{path}: no such file"), path) from error
    except (InvalidDicomError, OSError, EOFError) as error:
        raise _fault(
            N_("{path}: not a readable DICOM file ({reason})"), path, reason=str(error)
        ) from error


def _datasets(path: Path) -> list[Dataset]:
    if path.is_file():
        return [_load(path)]
    if not path.is_dir():
        raise _fault(N_("{path}: no such file or folder"), path)
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name != "DICOMDIR")
    if len(files) > _MAX_FILES:
        raise _fault(
            N_("{path}: more than {most} files; give the folder of one series"),
            path,
            most=_MAX_FILES,
        )
    found: list[Dataset] = []
    for file in files:
        try:
            found.append(pydicom.dcmread(file))
        except (InvalidDicomError, OSError, EOFError):
            continue  # other files beside the images (reports, thumbnails) are skipped
    if not found:
        raise _fault(N_("{path}: no DICOM image in this folder"), path)
    series = {str(ds.get("SeriesInstanceUID", "")) for ds in found}
    if len(series) > 1:
        raise _fault(
            N_("{path}: {count} series in this folder; give the folder of one series"),
            path,
            count=len(series),
        )
    return found


def _radiopharmaceutical(ds: Dataset) -> Dataset | None:
    sequence = ds.get("RadiopharmaceuticalInformationSequence")
    return sequence[0] if sequence else None


def _radionuclide(item: Dataset | None) -> str | None:
    if item is None:
        return None
    codes = item.get("RadionuclideCodeSequence")
    if codes:
        code = codes[0]
        return code_name(
            "radionuclide",
            Coded(str(code.get("CodeValue", "")), str(code.get("CodingSchemeDesignator", "")),
                  str(code.get("CodeMeaning", ""))),
        )  # fmt: skip
    text = item.get("Radionuclide") or item.get("RadiopharmaceuticalCodeSequence")
    return str(text) if isinstance(text, str) and text else None


def _activity_bq(ds: Dataset, item: Dataset | None) -> float | None:
    if item is None or item.get("RadionuclideTotalDose") in (None, ""):
        return None
    value = float(item.RadionuclideTotalDose)
    if not (value >= 0 and np.isfinite(value)):
        raise _fault(
            N_("{path}: Radionuclide Total Dose {value} is not >= 0"),
            ds.filename or ".",
            value=repr(value),
        )
    return value * units.BQ_PER_MBQ if ds.Modality == "NM" else value


def _offset(ds: Dataset) -> datetime.timezone | None:
    text = str(ds.get("TimezoneOffsetFromUTC", "") or "")
    if len(text) != len("+hhmm") or text[0] not in "+-":
        return None
    minutes = int(text[1:3]) * 60 + int(text[3:5])
    return datetime.timezone(datetime.timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _injection(ds: Dataset, item: Dataset | None) -> tuple[datetime.datetime | None, str | None]:
    if item is None:
        return None, None
    text = str(item.get("RadiopharmaceuticalStartDateTime", "") or "")
    if not text and item.get("RadiopharmaceuticalStartTime"):
        date = ds.get("SeriesDate") or ds.get("StudyDate") or ""
        text = f"{date}{item.RadiopharmaceuticalStartTime}" if date else ""
    if not text:
        return None, None
    try:
        moment = DT(text)
    except ValueError as error:
        raise _fault(
            N_("{path}: injection time '{text}' is not a DICOM DT"), ds.filename or ".", text=text
        ) from error
    when = datetime.datetime.fromisoformat(moment.isoformat())
    zone = when.tzinfo or _offset(ds)
    if zone is None:
        return None, when.isoformat()
    return when.replace(tzinfo=zone).astimezone(datetime.UTC), None


def _floats(ds: Dataset, keyword: str, count: int, path: Path) -> npt.NDArray[np.float64]:
    value = ds.get(keyword)
    try:
        array = np.asarray([float(v) for v in value], dtype=np.float64) if value else None
    except (TypeError, ValueError):
        array = None
    if array is None or array.size != count or not np.all(np.isfinite(array)):
        raise _fault(
            N_("{path}: {keyword} is missing or not {count} numbers; the volume cannot be placed"),
            path,
            keyword=keyword,
            count=count,
        )
    return array


def _affine(
    position_mm: npt.NDArray[np.float64], orientation: npt.NDArray[np.float64],
    spacing_mm: npt.NDArray[np.float64], slice_mm: float, path: Path,
) -> npt.NDArray[np.float64]:  # fmt: skip
    row_dir, col_dir = orientation[:3], orientation[3:]
    if abs(float(row_dir @ col_dir)) > _ORTHOGONAL or not np.allclose(
        [np.linalg.norm(row_dir), np.linalg.norm(col_dir)], 1.0, atol=_ORTHOGONAL
    ):
        raise _fault(
            N_("{path}: Image Orientation (Patient) is not two orthogonal unit vectors"), path
        )
    if not (np.all(spacing_mm > 0) and slice_mm != 0):
        raise _fault(N_("{path}: Pixel Spacing and the slice spacing must be > 0"), path)
    affine = np.eye(4)
    affine[:3, 0] = row_dir * spacing_mm[1]  # along i (columns): the column spacing
    affine[:3, 1] = col_dir * spacing_mm[0]  # along j (rows): the row spacing
    affine[:3, 2] = np.cross(row_dir, col_dir) * slice_mm
    affine[:3, 3] = position_mm
    affine[:3, :] *= units.M_PER_MM
    return affine


def _scaled(ds: Dataset, pixels: npt.NDArray[np.generic]) -> npt.NDArray[np.float32]:
    slope = float(ds.get("RescaleSlope", 1.0) or 1.0)
    intercept = float(ds.get("RescaleIntercept", 0.0) or 0.0)
    if ds.Modality == "RTDOSE":
        slope, intercept = float(ds.get("DoseGridScaling", 1.0)), 0.0
    return (pixels.astype(np.float32) * np.float32(slope) + np.float32(intercept)).astype(
        np.float32
    )


def _pixel_array(ds: Dataset, path: Path) -> npt.NDArray[np.generic]:
    try:
        return np.asarray(ds.pixel_array)
    except (AttributeError, ValueError, RuntimeError) as error:
        raise _fault(
            N_("{path}: the pixel data cannot be read ({reason})"), path, reason=str(error)
        ) from error


def _multiframe_volume(ds: Dataset, path: Path) -> Volume | None:
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if ds.Modality == "NM":
        kind = tuple(ds.get("ImageType", ()))
        if len(kind) < 3 or kind[2] not in _TOMO:  # noqa: PLR2004 (value 3 of Image Type)
            return None
        detector = (ds.get("DetectorInformationSequence") or [Dataset()])[0]
        position = _floats(detector, "ImagePositionPatient", 3, path)
        orientation = _floats(detector, "ImageOrientationPatient", 6, path)
        step = float(ds.get("SpacingBetweenSlices") or ds.get("SliceThickness") or 0.0)
    else:
        position = _floats(ds, "ImagePositionPatient", 3, path)
        orientation = _floats(ds, "ImageOrientationPatient", 6, path)
        offsets = _floats(ds, "GridFrameOffsetVector", frames, path)
        steps = np.diff(offsets)
        step = float(steps[0]) if steps.size else 1.0
        if steps.size and not np.allclose(steps, step, rtol=_SLICE_TOLERANCE):
            raise _fault(N_("{path}: Grid Frame Offset Vector is not evenly spaced"), path)
    pixels = _pixel_array(ds, path).reshape(frames, int(ds.Rows), int(ds.Columns))
    affine = _affine(position, orientation, _floats(ds, "PixelSpacing", 2, path), step, path)
    return Volume(np.ascontiguousarray(_scaled(ds, pixels).transpose(2, 1, 0)), affine)


def _slices_volume(datasets: Sequence[Dataset], path: Path) -> Volume:
    first = datasets[0]
    orientation = _floats(first, "ImageOrientationPatient", 6, path)
    normal = np.cross(orientation[:3], orientation[3:])
    placed = sorted(
        datasets, key=lambda ds: float(_floats(ds, "ImagePositionPatient", 3, path) @ normal)
    )
    depths = np.array([_floats(ds, "ImagePositionPatient", 3, path) @ normal for ds in placed])
    steps = np.diff(depths)
    step = float(steps.mean()) if steps.size else float(first.get("SliceThickness") or 1.0)
    if steps.size and (step <= 0 or not np.allclose(steps, step, rtol=_SLICE_TOLERANCE)):
        raise _fault(
            N_("{path}: the slices are not evenly spaced (missing or duplicate slices?)"), path
        )
    shape = (int(first.Rows), int(first.Columns))
    if any((int(ds.Rows), int(ds.Columns)) != shape for ds in placed):
        raise _fault(N_("{path}: the slices differ in size (rows, columns)"), path)
    stack = np.stack([_scaled(ds, _pixel_array(ds, path)) for ds in placed])
    position = _floats(placed[0], "ImagePositionPatient", 3, path)
    affine = _affine(position, orientation, _floats(first, "PixelSpacing", 2, path), step, path)
    return Volume(np.ascontiguousarray(stack.transpose(2, 1, 0)), affine)


def _value_unit(ds: Dataset) -> str:
    if ds.Modality == "RTDOSE":
        return "Gy" if str(ds.get("DoseUnits", "")).upper() == "GY" else str(ds.get("DoseUnits"))
    if ds.Modality == "CT":
        return "HU"
    written = str(ds.get("Units", "") or ("CNTS" if ds.Modality == "NM" else ""))
    return _VALUE_UNITS.get(written.upper(), written or "unknown")


def _text(ds: Dataset | None, keyword: str) -> str | None:
    value = ds.get(keyword) if ds is not None else None
    return str(value) if value not in (None, "") else None


def _spacing_m(ds: Dataset) -> tuple[float, float] | None:
    spacing = ds.get("PixelSpacing")
    if not spacing:
        return None
    return float(spacing[0]) * units.M_PER_MM, float(spacing[1]) * units.M_PER_MM


def read_series(path: Path) -> ImageSeries:
    """Read one DICOM image series (a file, or a folder holding one series).

    Parameters
    ----------
    path
        A multi-frame file (NM, RT Dose), one slice, or a folder of one series' slices.

    Returns
    -------
    ImageSeries
        Header facts in SI units and the volume (Bq/m³ for PET in BQML, Gy, HU or counts).

    Raises
    ------
    DicomImageError
        For a missing or unreadable file, a folder with no or several series, or a header
        that cannot place the volume (the message names the attribute).
    """
    datasets = _datasets(Path(path))
    first = datasets[0]
    if "Modality" not in first or "SOPClassUID" not in first:
        raise _fault(N_("{path}: Modality or SOP Class UID is missing: not an image object"), path)
    item = _radiopharmaceutical(first)
    injection, local = _injection(first, item)
    frames = int(first.get("NumberOfFrames", 1) or 1)
    if len(datasets) > 1 or (frames == 1 and "ImagePositionPatient" in first):
        volume: Volume | None = _slices_volume(datasets, Path(path))
        frames = len(datasets)
    else:
        volume = _multiframe_volume(first, Path(path))
    if volume is not None and _value_unit(first) == "Bq/m3":
        volume = Volume(volume.values / np.float32(units.M3_PER_ML), volume.affine_m)
    uid = str(first.SOPClassUID)
    return ImageSeries(
        path=Path(path), modality=str(first.Modality), sop_class_uid=uid,
        sop_class=UID(uid).name,
        radiopharmaceutical=_text(item, "Radiopharmaceutical"),
        radionuclide=_radionuclide(item), administered_activity_bq=_activity_bq(first, item),
        injection_datetime=injection, injection_local_time=local, frames=frames,
        rows=int(first.get("Rows", 0)), columns=int(first.get("Columns", 0)),
        pixel_spacing_m=_spacing_m(first), units=_text(first, "Units"),
        corrections=tuple(str(v) for v in first.get("CorrectedImage", ()) or ()),
        decay_correction=_text(first, "DecayCorrection"),
        image_type=tuple(str(v) for v in first.get("ImageType", ()) or ()),
        volume=volume, value_unit=_value_unit(first),
    )  # fmt: skip


_COPIED = (
    "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID",
    "StudyDate", "StudyTime", "StudyID", "AccessionNumber", "ReferringPhysicianName",
    "FrameOfReferenceUID", "PositionReferenceIndicator",
)  # fmt: skip
_UINT32_MAX = 2**32 - 1


def _geometry(dose: Volume) -> tuple[list[float], list[float], list[float], list[float]]:
    """Image Position (mm), Orientation, Pixel Spacing (mm) and frame offsets (mm)."""
    affine = dose.affine_m / units.M_PER_MM
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    row_dir, col_dir = affine[:3, 0] / spacing[0], affine[:3, 1] / spacing[1]
    if abs(float(row_dir @ col_dir)) > _ORTHOGONAL:
        raise _refused(N_("an RT Dose grid needs orthogonal rows and columns"))
    normal = np.cross(row_dir, col_dir)
    step = float(affine[:3, 2] @ normal)
    if not np.allclose(affine[:3, 2], normal * step, atol=_ORTHOGONAL * spacing[2]):
        raise _refused(N_("an RT Dose grid needs slices perpendicular to its rows and columns"))
    offsets = [step * k for k in range(dose.values.shape[2])]
    return (
        [float(v) for v in affine[:3, 3]], [float(v) for v in (*row_dir, *col_dir)],
        [float(spacing[1]), float(spacing[0])], offsets,
    )  # fmt: skip


def write_rt_dose(dose_gy: Volume, path: Path, *, source: Path | None = None) -> Path:
    """Write an absorbed-dose map (Gy) as a DICOM RT Dose object; return the path.

    Parameters
    ----------
    dose_gy
        The dose map, in Gy, on the grid it was computed on.
    path
        The file to write.
    source
        A file or folder of the series the dose was computed from: its patient, study and
        frame of reference are copied, so that viewers overlay the dose on it.

    Raises
    ------
    DicomImageError
        For a negative or non-finite dose, an oblique grid, or a file that cannot be written.
    """
    values = np.asarray(dose_gy.values, dtype=np.float64)
    if not np.all(np.isfinite(values)) or float(values.min()) < 0:
        raise _refused(N_("a dose map must hold finite values >= 0 Gy"))
    position, orientation, spacing, offsets = _geometry(dose_gy)
    ds = Dataset()
    if source is not None:
        like = (
            _datasets(Path(source))[0]
            if Path(source).is_dir()
            else _load(Path(source), pixels=False)
        )
        for keyword in _COPIED:
            if keyword in like:
                setattr(ds, keyword, like.get(keyword))
    ds.SOPClassUID, ds.SOPInstanceUID = RTDoseStorage, generate_uid()
    ds.Modality, ds.Manufacturer = "RTDOSE", "nucmed"
    ds.SoftwareVersions = __version__
    ds.SeriesInstanceUID = generate_uid()
    for keyword in ("StudyInstanceUID", "FrameOfReferenceUID"):
        if keyword not in ds:
            setattr(ds, keyword, generate_uid())
    ds.PatientName = ds.get("PatientName", "")
    ds.PatientID = ds.get("PatientID", "")
    ds.ImagePositionPatient = [DS(v, auto_format=True) for v in position]
    ds.ImageOrientationPatient = [DS(v, auto_format=True) for v in orientation]
    ds.PixelSpacing = [DS(v, auto_format=True) for v in spacing]
    ds.SliceThickness = DS(
        abs(offsets[1] - offsets[0]) if len(offsets) > 1 else spacing[0], auto_format=True
    )
    ds.GridFrameOffsetVector = [DS(v, auto_format=True) for v in offsets]
    ds.FrameIncrementPointer = pydicom.tag.Tag("GridFrameOffsetVector")
    ds.DoseUnits, ds.DoseType, ds.DoseSummationType = "GY", "PHYSICAL", "RECORD"
    peak = float(values.max())
    scaling = float(str(DS(peak / _UINT32_MAX if peak > 0 else 1.0, auto_format=True)))
    ds.DoseGridScaling = DS(scaling, auto_format=True)
    pixels = np.clip(np.rint(values / scaling), 0, _UINT32_MAX).astype(np.uint32)
    frames = np.ascontiguousarray(pixels.transpose(2, 1, 0))
    ds.NumberOfFrames, ds.Rows, ds.Columns = frames.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 32
    ds.HighBit, ds.PixelRepresentation = 31, 0
    ds.PixelData = frames.tobytes()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    try:
        ds.save_as(path, enforce_file_format=True)
    except OSError as error:
        raise _fault(
            N_("{path}: cannot write ({reason})"), path, reason=error.strerror or str(error)
        ) from error
    return Path(path)
