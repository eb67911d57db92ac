"""SPECT reconstruction from raw projections: OSEM through PyTomography (the ``recon`` extra).

Ordered-subset expectation maximisation [1]_ splits the projection angles into subsets and
applies the MLEM update [2]_ f ← f·Hₛᵀ(g/Hₛf)/Hₛᵀ1 once per subset, so one pass over the data
(an iteration) moves the estimate about as far as that many MLEM iterations. The system
matrix H is PyTomography's parallel-hole SPECT model [3]_: the object is rotated to each
detector angle and summed along the rays, optionally blurred by a depth-dependent Gaussian
collimator response. Attenuation and scatter are not modelled here: the result is in counts
per voxel, to be turned into Bq/m³ with :func:`nucmed.imaging.quantify.counts_to_concentration`
once a calibration for the same reconstruction exists.

PyTomography and PyTorch are an optional dependency (``pip install nucmed[recon]``); they are
imported inside :func:`reconstruct_osem` only, so the rest of nucmed never needs them.

Axes, as PyTomography's own DICOM reader sets them (``pytomography.io.SPECT.dicom``): the
projections come in as a camera stores the frames (angle, row, column; row 0 at the head end),
the detector angles as DICOM NM records them; the volume comes out indexed (column, row,
slice) = (x, y, z) in LPS, centred on the axis of rotation, with the slice index growing
towards the head.

References
----------
.. [1] H. M. Hudson and R. S. Larkin, "Accelerated image reconstruction using ordered subsets
   of projection data", IEEE Trans. Med. Imaging 13(4), 601-609 (1994).
.. [2] L. A. Shepp and Y. Vardi, "Maximum likelihood reconstruction for emission tomography",
   IEEE Trans. Med. Imaging 1(2), 113-122 (1982).
.. [3] L. Polson, R. Fedrigo, C. Li, M. Sabouri, O. Dzikunu, S. Ahamed, N. Karakatsanis,
   S. Kurkowska, P. Sheikhzadeh, P. Esquinas, A. Rahmim, C. Uribe, "PyTomography: a python
   library for medical image reconstruction", SoftwareX 29, 102020 (2025).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nucmed.errors import N_, NucmedInputError, Word
from nucmed.imaging.volume import Volume

__all__ = ["CollimatorBlur", "ReconstructionInputError", "reconstruct_osem"]

_CM_PER_M = 100.0
# PyTomography's DICOM reader turns the DICOM detector angle into its own by adding 180°.
_DICOM_TO_PYTOMOGRAPHY_DEG = 180.0
_FULL_TURN_DEG = 360.0
_PROJECTION_DIMENSIONS = 3


class ReconstructionInputError(NucmedInputError):
    """Projections or settings OSEM cannot use, or the ``recon`` extra missing."""


def _refuse(template: str, **values: object) -> ReconstructionInputError:
    """A :class:`ReconstructionInputError` made of one translatable template."""
    return ReconstructionInputError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class CollimatorBlur:
    """Depth-dependent Gaussian collimator response: σ(d) = slope·d + intercept.

    Parameters
    ----------
    slope
        Growth of σ with the distance d from the collimator face (m per m), e.g. from the
        collimator's geometric resolution FWHM(d)/2.355 fitted at two distances.
    intercept_m
        σ at the collimator face, in m (intrinsic resolution included).
    """

    slope: float
    intercept_m: float


def _pytomography() -> dict[str, Any]:
    """PyTomography's classes, imported here; a refusal naming the extra when it is missing."""
    try:
        # PyTomography prints a line to stdout when it finds no GPU: keep it off ``--json``.
        with contextlib.redirect_stdout(io.StringIO()):
            # Optional dependency (the recon extra): imported only when reconstructing.
            import torch  # noqa: PLC0415
            from pytomography.algorithms import OSEM  # noqa: PLC0415
            from pytomography.likelihoods import PoissonLogLikelihood  # noqa: PLC0415
            from pytomography.metadata.SPECT import (  # noqa: PLC0415
                SPECTObjectMeta,
                SPECTProjMeta,
                SPECTPSFMeta,
            )
            from pytomography.projectors.SPECT import SPECTSystemMatrix  # noqa: PLC0415
            from pytomography.transforms.SPECT import SPECTPSFTransform  # noqa: PLC0415
    except ImportError as exc:
        raise _refuse(
            N_(
                "reconstruction needs the optional PyTomography package: "
                "install it with pip install 'nucmed[recon]'"
            )
        ) from exc
    return {
        "OSEM": OSEM,
        "PoissonLogLikelihood": PoissonLogLikelihood,
        "SPECTObjectMeta": SPECTObjectMeta,
        "SPECTProjMeta": SPECTProjMeta,
        "SPECTPSFMeta": SPECTPSFMeta,
        "SPECTSystemMatrix": SPECTSystemMatrix,
        "SPECTPSFTransform": SPECTPSFTransform,
        "torch": torch,
    }


def _checked_projections(projections_counts: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """The projections as float32 (angle, row, column), finite and ≥ 0."""
    counts = np.asarray(projections_counts, dtype=np.float32)
    if counts.ndim != _PROJECTION_DIMENSIONS or min(counts.shape) < 1:
        raise _refuse(
            N_("the projections must be a 3-D array (angle, row, column), got shape {shape}"),
            shape=str(counts.shape),
        )
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise _refuse(N_("the projection counts must be finite and ≥ 0"))
    return counts


def _checked_angles(
    angles_deg: Sequence[float] | npt.ArrayLike, frames: int
) -> npt.NDArray[np.float64]:
    """The detector angles in PyTomography's convention (degrees, 0 to 360)."""
    angles = np.asarray(angles_deg, dtype=np.float64).reshape(-1)
    if angles.size != frames or not np.all(np.isfinite(angles)):
        raise _refuse(
            N_(
                "give one finite detector angle per projection: "
                "{frames} projections, {angles} angles"
            ),
            frames=frames,
            angles=angles.size,
        )
    turned = (angles + _DICOM_TO_PYTOMOGRAPHY_DEG) % _FULL_TURN_DEG
    if np.unique(np.round(turned, 6)).size != turned.size:
        raise _refuse(N_("two projections have the same detector angle"))
    return turned


def _positive(value: float, what: str) -> float:
    """``value`` when it is finite and > 0 (``what`` names it in the refusal)."""
    if not (np.isfinite(value) and value > 0):
        raise _refuse(N_("{what} must be > 0, got {value}"), what=Word(what), value=value)
    return float(value)


def reconstruct_osem(  # noqa: PLR0913 — the acquisition geometry and the OSEM settings
    projections_counts: npt.ArrayLike,
    angles_deg: Sequence[float] | npt.ArrayLike,
    pixel_size_m: float,
    radius_m: float | npt.ArrayLike,
    *,
    iterations: int,
    subsets: int,
    collimator: CollimatorBlur | None = None,
    bottom_z_m: float = 0.0,
) -> Volume:
    """Reconstruct a SPECT volume from its projections by OSEM.

    Parameters
    ----------
    projections_counts
        Counts per pixel, shape (angles, rows, columns), frames as the camera stores them
        (row 0 at the head end of the field).
    angles_deg
        Detector angle of each frame as DICOM NM records it (Start Angle plus the angular
        step in the direction of rotation), in degrees.
    pixel_size_m
        Side of a square projection pixel, in m; it is the voxel side of the result.
    radius_m
        Distance from the axis of rotation to the collimator face, in m: one value for a
        circular orbit or one per frame. Used by the collimator blur only.
    iterations, subsets
        OSEM iterations (passes over all angles) and subsets of angles per iteration.
    collimator
        The collimator's depth-dependent blur to model; ``None`` models none.
    bottom_z_m
        Patient z (LPS, head +) of the lowest slice, in m.

    Returns
    -------
    Volume
        Counts per voxel, shape (columns, columns, rows), indexed (x, y, z) in LPS, with
        x = y = 0 on the axis of rotation.

    Raises
    ------
    ReconstructionInputError
        For projections that are not a 3-D array of finite counts ≥ 0, an angle list of
        another length or with a repeated angle, a size, radius or iteration count that is
        not > 0, more subsets than angles, or PyTomography not installed.
    """
    counts = _checked_projections(projections_counts)
    frames, rows, columns = counts.shape
    angles = _checked_angles(angles_deg, frames)
    pixel_cm = _positive(pixel_size_m, N_("the pixel size")) * _CM_PER_M
    radii_m = np.broadcast_to(np.asarray(radius_m, dtype=np.float64), (frames,))
    for radius in np.unique(radii_m):
        _positive(float(radius), N_("the orbit radius"))
    for value, what in (
        (iterations, N_("the number of iterations")),
        (subsets, N_("the number of subsets")),
    ):
        if int(value) != value or value < 1:
            raise _refuse(
                N_("{what} must be a whole number ≥ 1, got {value}"), what=Word(what), value=value
            )
    if subsets > frames:
        raise _refuse(
            N_("{subsets} subsets need at least as many projections; there are {frames}"),
            subsets=subsets,
            frames=frames,
        )

    lib = _pytomography()
    torch = lib["torch"]
    order = np.argsort(angles)
    # (angle, row, column) → PyTomography's (angle, r, z): r along the columns, z headward.
    ordered = np.ascontiguousarray(np.transpose(counts[order, ::-1, :], (0, 2, 1)))
    object_meta = lib["SPECTObjectMeta"]([pixel_cm] * 3, (columns, columns, rows))
    proj_meta = lib["SPECTProjMeta"](
        (columns, rows), [pixel_cm, pixel_cm], angles[order], radii_m[order] * _CM_PER_M
    )
    transforms = []
    if collimator is not None:
        psf_meta = lib["SPECTPSFMeta"]((collimator.slope, collimator.intercept_m * _CM_PER_M))
        transforms.append(lib["SPECTPSFTransform"](psf_meta))
    system_matrix = lib["SPECTSystemMatrix"](transforms, [], object_meta, proj_meta)
    likelihood = lib["PoissonLogLikelihood"](system_matrix, torch.from_numpy(ordered))
    with torch.no_grad():
        estimate = lib["OSEM"](likelihood)(n_iters=int(iterations), n_subsets=int(subsets))
    values = estimate.detach().cpu().numpy().astype(np.float32).reshape(columns, columns, rows)

    spacing_m = pixel_cm / _CM_PER_M
    affine_m = np.diag([spacing_m, spacing_m, spacing_m, 1.0])
    centre = (columns - 1) / 2 * spacing_m
    affine_m[:3, 3] = (-centre, -centre, float(bottom_z_m))
    return Volume(values, affine_m)
