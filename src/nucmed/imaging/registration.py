"""Rigid registration of SPECT time points onto the first one, before voxel-wise kinetics.

The patient lies a little differently on each day's scan; voxel-wise kinetics need every map
on the same anatomy. :func:`register_rigid` finds the rigid transform (3 rotations, 3
translations: SimpleITK's ``Euler3DTransform``) that best maps the fixed map's points to the
moving map, by maximising the normalised correlation of the two activity maps [1]_ (same
modality and tracer, the uptake pattern changes slowly between time points), with regular-step
gradient descent on two resolution levels (voxels shrunk 2, then 1; smoothed 1 voxel, then 0),
started from the alignment of the two maps' centres of activity. :func:`resample_onto` then
samples the moving map on the fixed grid (linear interpolation; 0 outside the moving field).

Limits: a rigid model does not follow organ motion or deformation (breathing, bladder
filling); the activity is not conserved exactly by linear resampling (a few per cent at sharp
edges), so the VOI activities should be checked after registration.

References
----------
.. [1] B. C. Lowekamp, D. T. Chen, L. Ibáñez and D. Blezek, "The design of SimpleITK",
   Front. Neuroinform. 7, 45 (2013); SimpleITK 2.x ``ImageRegistrationMethod`` (correlation
   metric, Euler 3-D transform, multi-resolution framework).
.. [2] Y. K. Dewaraja et al., "MIRD Pamphlet No. 23", J. Nucl. Med. 53, 1310-1325 (2012)
   (registration of the time points before voxel-level kinetics).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import SimpleITK as sitk

from nucmed.errors import N_, NucmedInputError, Word
from nucmed.imaging.volume import Volume

__all__ = ["RegistrationError", "RigidTransform", "register_rigid", "resample_onto"]

_MM_PER_M = 1e3
_ITERATIONS = 200
_LEARNING_RATE_MM = 2.0  # first step: 2 mm (or the equivalent rotation)
_MIN_STEP = 1e-4
_SHRINK = (2, 1)
_SMOOTH_VOXELS = (1.0, 0.0)
_MIN_VOXELS = 8  # per axis: fewer cannot be registered


class RegistrationError(NucmedInputError):
    """Maps that cannot be registered (too small, empty, or not converging)."""


def _refused(template: str, **values: object) -> RegistrationError:
    """A registration error of one template marked with ``N_`` and its values."""
    return RegistrationError(parts=((template, values),))


@dataclass(frozen=True, slots=True)
class RigidTransform:
    """A rigid transform from the fixed map's patient coordinates to the moving map's.

    Parameters
    ----------
    rotation_rad
        Rotations about x, y, z (LPS), in rad, applied about ``centre_m``.
    translation_m
        Translation (x, y, z), in m.
    centre_m
        Centre of rotation, in m (LPS).
    correlation
        Normalised correlation of the maps after registration (1 for a perfect match).
    """

    rotation_rad: tuple[float, float, float]
    translation_m: tuple[float, float, float]
    centre_m: tuple[float, float, float]
    correlation: float

    def _sitk(self) -> sitk.Euler3DTransform:
        transform = sitk.Euler3DTransform()
        transform.SetCenter([v * _MM_PER_M for v in self.centre_m])
        transform.SetRotation(*self.rotation_rad)
        transform.SetTranslation([v * _MM_PER_M for v in self.translation_m])
        return transform


def _image(volume: Volume) -> sitk.Image:
    """The volume as a SimpleITK image in mm (SimpleITK arrays are indexed z, y, x)."""
    values = np.ascontiguousarray(np.asarray(volume.values, dtype=np.float32).transpose(2, 1, 0))
    image = sitk.GetImageFromArray(values)
    spacing = np.linalg.norm(volume.affine_m[:3, :3], axis=0)
    image.SetSpacing([float(v) * _MM_PER_M for v in spacing])
    image.SetOrigin([float(v) * _MM_PER_M for v in volume.affine_m[:3, 3]])
    image.SetDirection([float(v) for v in (volume.affine_m[:3, :3] / spacing).reshape(-1)])
    return image


def _check(volume: Volume, what: str) -> None:
    """Refuse a map too small or empty to register (``what``: a word marked with ``N_``)."""
    if min(volume.values.shape) < _MIN_VOXELS:
        raise _refused(
            N_("{what}: at least {least} voxels per axis are needed"),
            what=Word(what),
            least=_MIN_VOXELS,
        )
    if not np.any(np.asarray(volume.values) > 0):
        raise _refused(N_("{what}: the map holds no activity"), what=Word(what))


def register_rigid(fixed: Volume, moving: Volume) -> RigidTransform:
    """Find the rigid transform that brings ``moving`` onto ``fixed``.

    Parameters
    ----------
    fixed
        The reference map (usually the first time point).
    moving
        A later map of the same patient (any grid in the same patient coordinates).

    Returns
    -------
    RigidTransform
        From the fixed map's coordinates to the moving map's, with the final correlation.

    Raises
    ------
    RegistrationError
        For maps under 8 voxels per axis, empty maps, or an optimiser failure.
    """
    _check(fixed, N_("the fixed map"))
    _check(moving, N_("the moving map"))
    fixed_image, moving_image = _image(fixed), _image(moving)
    start = sitk.CenteredTransformInitializer(
        fixed_image, moving_image, sitk.Euler3DTransform(),
        sitk.CenteredTransformInitializerFilter.MOMENTS,
    )  # fmt: skip
    method = sitk.ImageRegistrationMethod()
    method.SetMetricAsCorrelation()
    method.SetInterpolator(sitk.sitkLinear)
    method.SetOptimizerAsRegularStepGradientDescent(
        learningRate=_LEARNING_RATE_MM, minStep=_MIN_STEP, numberOfIterations=_ITERATIONS
    )
    method.SetOptimizerScalesFromPhysicalShift()
    method.SetShrinkFactorsPerLevel(list(_SHRINK))
    method.SetSmoothingSigmasPerLevel(list(_SMOOTH_VOXELS))
    method.SmoothingSigmasAreSpecifiedInPhysicalUnitsOff()
    method.SetInitialTransform(start, inPlace=False)
    try:
        found = method.Execute(fixed_image, moving_image)
    except RuntimeError as error:
        raise _refused(
            N_("the registration failed ({detail})"), detail=str(error)[:200]
        ) from error
    euler = sitk.Euler3DTransform(sitk.CompositeTransform(found).GetNthTransform(0))
    rotation = (euler.GetAngleX(), euler.GetAngleY(), euler.GetAngleZ())
    translation = tuple(v / _MM_PER_M for v in euler.GetTranslation())
    centre = tuple(v / _MM_PER_M for v in euler.GetCenter())
    return RigidTransform(
        (float(rotation[0]), float(rotation[1]), float(rotation[2])),
        (float(translation[0]), float(translation[1]), float(translation[2])),
        (float(centre[0]), float(centre[1]), float(centre[2])),
        -float(method.GetMetricValue()),
    )


def resample_onto(
    moving: Volume, fixed: Volume, transform: RigidTransform
) -> npt.NDArray[np.float32]:
    """Sample ``moving`` at the fixed grid's voxel centres mapped by ``transform``.

    Returns
    -------
    numpy.ndarray
        float32 values on the fixed grid, indexed like ``fixed.values`` (linear
        interpolation, 0 outside the moving field).
    """
    resampled = sitk.Resample(
        _image(moving), _image(fixed), transform._sitk(), sitk.sitkLinear, 0.0, sitk.sitkFloat32
    )
    return np.ascontiguousarray(sitk.GetArrayFromImage(resampled).transpose(2, 1, 0))
