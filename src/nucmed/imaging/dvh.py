"""Cumulative dose-volume histograms (DVH) of volumes of interest.

The cumulative DVH of a VOI gives, for each dose level D, the fraction of the VOI's volume
that receives at least D: V(D) = N(d_v ≥ D) / N, with d_v the dose of voxel v and N the VOI's
voxel count (voxels of one grid have equal volumes) [1]_ [2]_. It is 1 at D = 0 and falls to 1/N
(or more, for ties) at the VOI's maximum dose; above the maximum it is 0.

References
----------
.. [1] Y. K. Dewaraja et al., "MIRD Pamphlet No. 23: quantitative SPECT for patient-specific
   3-dimensional dosimetry in internal radionuclide therapy", J. Nucl. Med. 53, 1310-1325
   (2012) (dose-volume histograms of voxel dose maps).
.. [2] ICRU Report 83, "Prescribing, recording, and reporting photon-beam intensity-modulated
   radiation therapy (IMRT)", J. ICRU 10(1) (2010) (cumulative DVH, D_V and V_D).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["DVH_LEVELS", "cumulative_dvh", "dvh_levels"]

FloatArray = npt.NDArray[np.float64]

DVH_LEVELS = 200
"""Number of dose intervals between 0 Gy and the top dose of a DVH (201 levels)."""


def dvh_levels(top_gy: float, intervals: int = DVH_LEVELS) -> FloatArray:
    """Evenly spaced dose levels from 0 to ``top_gy`` (Gy), ``intervals + 1`` of them.

    Examples
    --------
    >>> dvh_levels(2.0, 4).tolist()
    [0.0, 0.5, 1.0, 1.5, 2.0]
    """
    return np.linspace(0.0, max(float(top_gy), 0.0), intervals + 1)


def cumulative_dvh(dose_gy: npt.ArrayLike, levels_gy: npt.ArrayLike) -> FloatArray:
    """The fraction of the voxels ``dose_gy`` (one VOI's, Gy) receiving at least each level.

    Parameters
    ----------
    dose_gy
        The doses of the VOI's voxels, in Gy (any shape; at least one voxel).
    levels_gy
        The dose levels, in Gy.

    Returns
    -------
    numpy.ndarray
        V(D) for each level: a fraction from 0 to 1, non-increasing in D.

    Raises
    ------
    ValueError
        For a VOI without voxels.

    Examples
    --------
    >>> cumulative_dvh([1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 4.0, 5.0]).tolist()
    [1.0, 0.75, 0.25, 0.0]
    """
    values = np.sort(np.asarray(dose_gy, dtype=np.float64).ravel())
    if values.size == 0:
        raise ValueError("a DVH needs at least one voxel")
    levels = np.asarray(levels_gy, dtype=np.float64)
    at_least = values.size - np.searchsorted(values, levels, side="left")
    return np.asarray(at_least / values.size, dtype=np.float64)
