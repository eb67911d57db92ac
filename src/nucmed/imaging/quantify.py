"""Quantitative SPECT: camera sensitivity from a phantom, counts to activity, VOI activity.

A camera's sensitivity S (counts per second per becquerel, cps/Bq) for one nuclide and energy
window is measured on a phantom of known activity [1]_. The phantom activity decays during the
acquisition, so the counts recorded over an acquisition of duration Δt that starts t₀ after
the activity's reference time are N = S·A_ref·e^(−λt₀)·(1 − e^(−λΔt))/λ, which gives
:func:`sensitivity_cps_per_bq`. The same relation, inverted per voxel, turns a reconstructed
count map into the activity concentration at the start of the acquisition
(:func:`counts_to_concentration`). :func:`voi_activities_bq` sums a concentration map over
each VOI of a label map, giving the time-activity curves per VOI that :mod:`.kinetics` and
:mod:`nucmed.dosimetry.mird` integrate.

References
----------
.. [1] M. Ljungberg et al., "MIRD Pamphlet No. 26: joint EANM/MIRD guidelines for quantitative
   177Lu SPECT applied for dosimetry of radiopharmaceutical therapy", J. Nucl. Med. 57,
   151-162 (2016), section "Camera calibration" (sensitivity from a phantom, decay during the
   acquisition).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from nucmed.errors import N_, NucmedInputError

__all__ = [
    "QuantifyInputError",
    "counts_to_concentration",
    "sensitivity_cps_per_bq",
    "voi_activities_bq",
]


class QuantifyInputError(NucmedInputError):
    """Counts, durations or activities a calibration cannot use."""


def _refused(template: str, **values: object) -> QuantifyInputError:
    """A calibration input error of one template marked with ``N_`` and its values."""
    return QuantifyInputError(parts=((template, values),))


def _decay_during(rate_per_s: float, duration_s: float) -> float:
    """∫₀^Δt e^(−λt) dt = (1 − e^(−λΔt))/λ, in s (Δt when λΔt is tiny)."""
    if not (math.isfinite(duration_s) and duration_s > 0):
        raise _refused(
            N_("the acquisition duration must be > 0 s, got {duration} s"),
            duration=f"{duration_s:.4g}",
        )
    if not (math.isfinite(rate_per_s) and rate_per_s > 0):
        raise _refused(
            N_("the decay constant must be > 0 per s, got {rate} per s"), rate=f"{rate_per_s:.4g}"
        )
    return -math.expm1(-rate_per_s * duration_s) / rate_per_s


def sensitivity_cps_per_bq(
    counts: float,
    duration_s: float,
    activity_bq: float,
    elapsed_s: float,
    decay_rate_per_s: float,
) -> float:
    """Camera sensitivity from a phantom acquisition, in counts per second per Bq.

    Parameters
    ----------
    counts
        Counts recorded from the phantom (background subtracted).
    duration_s
        Acquisition duration Δt, in s.
    activity_bq
        Phantom activity at its reference time, in Bq (from the dose calibrator).
    elapsed_s
        Time from the activity's reference time to the start of the acquisition, in s (≥ 0).
    decay_rate_per_s
        Physical decay constant λ of the nuclide, in 1/s.

    Returns
    -------
    float
        S = N·λ / (A_ref·e^(−λt₀)·(1 − e^(−λΔt))), in cps/Bq.

    Raises
    ------
    QuantifyInputError
        For counts or activity not > 0, a negative elapsed time or a duration not > 0.

    Examples
    --------
    >>> round(sensitivity_cps_per_bq(9.0e6, 1800.0, 500e6, 0.0, 1e-12) * 1e6, 3)  # cps/MBq
    10.0
    """
    if not (math.isfinite(counts) and counts > 0):
        raise _refused(N_("the phantom counts must be > 0, got {counts}"), counts=f"{counts:.4g}")
    if not (math.isfinite(activity_bq) and activity_bq > 0):
        raise _refused(
            N_("the phantom activity must be > 0 Bq, got {activity} Bq"),
            activity=f"{activity_bq:.4g}",
        )
    if not (math.isfinite(elapsed_s) and elapsed_s >= 0):
        raise _refused(N_("the acquisition must start at or after the reference time"))
    integral = _decay_during(decay_rate_per_s, duration_s)
    return counts / (activity_bq * math.exp(-decay_rate_per_s * elapsed_s) * integral)


def counts_to_concentration(
    counts: npt.ArrayLike,
    duration_s: float,
    sensitivity: float,
    voxel_volume_m3: float,
    decay_rate_per_s: float,
) -> npt.NDArray[np.float32]:
    """Activity concentration at the start of the acquisition from a count map, in Bq/m³.

    Parameters
    ----------
    counts
        Reconstructed counts per voxel.
    duration_s
        Acquisition duration, in s.
    sensitivity
        Camera sensitivity for the nuclide and window, in cps/Bq.
    voxel_volume_m3
        Volume of one voxel, in m³.
    decay_rate_per_s
        Physical decay constant of the nuclide, in 1/s.

    Returns
    -------
    numpy.ndarray
        C = N·λ / (S·V·(1 − e^(−λΔt))), in Bq/m³ (float32).

    Raises
    ------
    QuantifyInputError
        For a sensitivity, voxel volume or duration not > 0.

    Examples
    --------
    >>> c = counts_to_concentration([10.0], 1000.0, 1e-5, 1e-6, 1e-12)  # 10 cps/MBq, 1 ml
    >>> round(float(c[0]) * 1e-6)  # Bq/mL
    1000
    """
    if not (math.isfinite(sensitivity) and sensitivity > 0):
        raise _refused(
            N_("the sensitivity must be > 0 cps/Bq, got {sensitivity} cps/Bq"),
            sensitivity=f"{sensitivity:.4g}",
        )
    if not (math.isfinite(voxel_volume_m3) and voxel_volume_m3 > 0):
        raise _refused(
            N_("the voxel volume must be > 0 m³, got {volume} m³"),
            volume=f"{voxel_volume_m3:.4g}",
        )
    integral = _decay_during(decay_rate_per_s, duration_s)
    scale = np.float32(1.0 / (sensitivity * voxel_volume_m3 * integral))
    return np.asarray(np.asarray(counts, dtype=np.float32) * scale, dtype=np.float32)


def voi_activities_bq(
    maps_bq_per_m3: npt.ArrayLike, labels: npt.ArrayLike, voxel_volume_m3: float
) -> dict[int, npt.NDArray[np.float64]]:
    """Total activity of each VOI (label > 0) in each map, in Bq.

    Parameters
    ----------
    maps_bq_per_m3
        Concentration maps, shape (T, X, Y, Z) or (X, Y, Z), in Bq/m³.
    labels
        Label map (X, Y, Z): 0 outside, 1, 2, ... per VOI.
    voxel_volume_m3
        Volume of one voxel, in m³.

    Returns
    -------
    dict
        Label -> activities in Bq, shape (T,) (or () for one map).

    Raises
    ------
    QuantifyInputError
        For a label map whose shape differs from the maps'.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[[1, 1], [2, 0]]])
    >>> out = voi_activities_bq(np.full((1, 2, 2), 1e6), labels, 1e-6)
    >>> {k: float(v) for k, v in out.items()}
    {1: 2.0, 2: 1.0}
    """
    maps = np.asarray(maps_bq_per_m3, dtype=np.float64)
    label_map = np.asarray(labels)
    if maps.shape[-label_map.ndim :] != label_map.shape:
        raise _refused(
            N_("label map {labels} does not match maps {maps}"),
            labels=" × ".join(str(side) for side in label_map.shape),
            maps=" × ".join(str(side) for side in maps.shape),
        )
    flat = maps.reshape(*maps.shape[: maps.ndim - label_map.ndim], -1)
    keys = label_map.reshape(-1)
    return {
        int(n): np.sum(flat[..., keys == n], axis=-1) * voxel_volume_m3
        for n in np.unique(keys)
        if n > 0
    }
