"""Benchmark: voxel dosimetry of a 4-time-point Lu-177 study, against floors measured here.

Issue 18 targets, on the project's 2-core machine: mono-exponential fit + kernel convolution
within 2x the floor measured in the same run, the bi-exponential fit within 2x its floor, and
peak memory under 3 GB. The study is N³ voxels of 4.42 mm (default N = 256) with the body (a
sphere with a hot "kidney") filling a quarter of the field.

Floors (the least work any vectorised implementation must do, timed with bare numpy):

- convolution: one zero-padded N³ float32 real-FFT convolution over the whole field, with the
  kernel's transform cached, padded to ``scipy.fft.next_fast_len`` and computed by
  ``scipy.fft`` on one thread: the FFT library the implementation uses. (Until 2026-12 the
  floor used ``numpy.fft``, about 2.5-4x slower here on float32; that figure is printed too,
  for reference only. The implementation beats the whole-field floor by transforming only
  the box that holds the activity.);
- elementwise pass: one a·b + c over the N³ field (float32);
- mono fit: the log of the 4 body maps and one (2 x 4) @ (4 x n) product;
- mono + DVK: the mono floor + the convolution floor + 2 elementwise passes (TIA, dose);
- bi fit: evaluating the model and its Jacobian at every body voxel once per grid pair and
  Gauss-Newton step that nucmed's fit makes (a lower bound for a fit of that many steps).

Sizes: the mono study at 256³ and the bi study at 128³ (``--size``, ``--bi-size``), so that
the whole run stays well under a minute; the bi floor scales with the body voxels.
Run: ``make bench`` (or ``python tools/bench_voxel.py --size 128`` for a quicker look).
Not part of the unit suite.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import TextIO

import numpy as np
import scipy.fft

from nucmed.imaging import biexponential
from nucmed.imaging.dose import KernelConvolver
from nucmed.imaging.kernels import dose_voxel_kernel
from nucmed.imaging.pipeline import VoxelStudy, voxel_dosimetry
from nucmed.physics.nuclides import get_nuclide

VOXEL_M = 4.42e-3
TIMES_S = np.array([4.0, 24.0, 72.0, 168.0]) * 3600.0
TARGET_RATIO = 2.0
MEMORY_LIMIT_GB = 3.0


def _best(task: Callable[[], object], repeats: int = 2) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def _study(size: int) -> np.ndarray:
    """Four maps (Bq/m³): a body sphere of a quarter of the field, a hot region inside it."""
    axis = np.arange(size, dtype=np.float32) - size / 2
    r2 = axis[:, None, None] ** 2 + axis[None, :, None] ** 2 + axis[None, None, :] ** 2
    body = r2 <= (size * (3 / (16 * math.pi)) ** (1 / 3)) ** 2  # a quarter of the volume
    hot = r2 <= (size / 10) ** 2
    lam = get_nuclide("Lu-177").decay_constant_per_s
    maps = np.zeros((TIMES_S.size, size, size, size), np.float32)
    for index, t in enumerate(TIMES_S):
        background = 2e9 * (math.exp(-2 * lam * t) - math.exp(-30 * lam * t))
        kidney = 2e10 * (math.exp(-3 * lam * t) - math.exp(-50 * lam * t))
        maps[index][body] = background
        maps[index][hot] = kidney
    return maps


def _floors(size: int, maps: np.ndarray) -> dict[str, float]:
    kernel = dose_voxel_kernel("Lu-177", (VOXEL_M,) * 3)
    convolver = KernelConvolver(kernel)
    field = np.ones((size, size, size), np.float32)
    convolver.dose_gy(field, (VOXEL_M,) * 3)  # cache the kernel transform
    sides = zip(field.shape, kernel.s_gy_per_bq_s.shape, strict=True)
    shape = tuple(scipy.fft.next_fast_len(n + k - 1, real=True) for n, k in sides)
    kernel_ft = scipy.fft.rfftn(kernel.s_gy_per_bq_s.astype(np.float32), shape, axes=(0, 1, 2))
    numpy_ft = np.fft.rfftn(kernel.s_gy_per_bq_s.astype(np.float32), shape, axes=(0, 1, 2))

    def convolution() -> object:
        return scipy.fft.irfftn(scipy.fft.rfftn(field, shape, axes=(0, 1, 2)) * kernel_ft, shape,
                                axes=(0, 1, 2))  # fmt: skip

    def numpy_convolution() -> object:
        return np.fft.irfftn(np.fft.rfftn(field, shape, axes=(0, 1, 2)) * numpy_ft, shape,
                             axes=(0, 1, 2))  # fmt: skip

    body = maps[:, maps[0] > 0]
    design = np.linalg.pinv(np.stack([np.ones(4), -TIMES_S], axis=1))

    def mono() -> object:
        return design @ np.log(body)

    pairs = (biexponential.GRID_RATES * (biexponential.GRID_RATES - 1)) // 2
    steps = biexponential.GAUSS_NEWTON_STEPS
    sample = body[:, : min(body.shape[1], 200_000)].astype(np.float64)
    rates = np.full(sample.shape[1], 1e-5)

    def model_and_jacobian() -> object:
        e1, e2 = np.exp(-np.outer(TIMES_S, rates)), np.exp(-np.outer(TIMES_S, 2 * rates))
        return e1 - e2, TIMES_S[:, None] * e1, TIMES_S[:, None] * e2

    per_voxel = _best(model_and_jacobian) / sample.shape[1]
    floors = {
        "convolution": _best(convolution),
        "convolution (numpy.fft, reference)": _best(numpy_convolution, 1),
        "elementwise": _best(lambda: field * field + field),
        "mono": _best(mono),
    }
    floors["mono+dvk"] = floors["mono"] + floors["convolution"] + 2 * floors["elementwise"]
    # the grid evaluates one exponential pair per rate pair; Gauss-Newton one model + Jacobian
    floors["bi"] = per_voxel * body.shape[1] * (steps + pairs / 3)
    return floors


def _pipeline(maps: np.ndarray, fit: str) -> tuple[float, float]:
    """Best time of two runs, then the peak memory of a third run traced."""
    study = VoxelStudy("Lu-177", TIMES_S, maps, (VOXEL_M,) * 3)
    elapsed = _best(lambda: voxel_dosimetry(study, method="dvk", fit=fit))
    tracemalloc.start()
    voxel_dosimetry(study, method="dvk", fit=fit)
    peak = tracemalloc.get_traced_memory()[1] / 1e9
    tracemalloc.stop()
    return elapsed, peak


def _report(fit: str, size: int, floor: float, out: TextIO, repeats: int) -> bool:
    """Time the pipeline on an N³ study; write a row; return whether it met the targets."""
    maps = _study(size)
    study = VoxelStudy("Lu-177", TIMES_S, maps, (VOXEL_M,) * 3)
    elapsed = _best(lambda: voxel_dosimetry(study, method="dvk", fit=fit), repeats)
    tracemalloc.start()
    voxel_dosimetry(study, method="dvk", fit=fit)
    peak = tracemalloc.get_traced_memory()[1] / 1e9
    tracemalloc.stop()
    ratio = elapsed / floor
    label = f"{fit} fit + DVK, {size}^3 (peak {peak:.2f} GB)"
    out.write(f"{label:<40} {elapsed:>8.3f} {floor:>8.3f} {ratio:>6.2f} {TARGET_RATIO:>7.1f}\n")
    return ratio <= TARGET_RATIO and peak <= MEMORY_LIMIT_GB


def main() -> int:
    """Print the floors and the pipeline times; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=256, help="mono study: voxels per axis")
    parser.add_argument("--bi-size", type=int, default=128, help="bi study: voxels per axis")
    args = parser.parse_args()
    out = sys.stdout
    out.write(
        f"voxel dosimetry, Lu-177, voxels of {VOXEL_M * 1e3:.2f} mm, 4 time points, body a "
        f"quarter of the field; targets: time <= {TARGET_RATIO:.0f} x floor, peak memory "
        f"<= {MEMORY_LIMIT_GB:.0f} GB\n"
    )
    out.write(f"{'figure':<40} {'s':>8} {'floor s':>8} {'ratio':>6} {'target':>7}\n")
    met = True
    for fit, size in (("mono", args.size), ("bi", args.bi_size)):
        floors = _floors(size, _study(size))
        for name in ("convolution", "convolution (numpy.fft, reference)", "elementwise", fit):
            out.write(f"{f'floor: {name}, {size}^3':<40} {floors[name]:>8.3f}\n")
        floor = floors["mono+dvk" if fit == "mono" else "bi"]
        met &= _report(fit, size, floor, out, repeats=2 if fit == "mono" else 1)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
