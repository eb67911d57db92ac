"""Voxel dosimetry, pure: kinetics per voxel and VOI, dose-voxel kernels, dose maps and DVHs.

Arrays in, arrays out, SI inside (Bq/m³, Bq·s/m³, Gy, m, kg/m³); no file or network I/O (the
DICOM and NIfTI edges are :mod:`nucmed.interop.imaging_dicom` and :mod:`nucmed.interop.nifti`).

- :mod:`.volume`: a 3-D image and its position (LPS, m);
- :mod:`.quantify`: camera sensitivity from a phantom, counts to Bq/m³, VOI activities;
- :mod:`.kinetics`: mono-, bi-exponential and trapezoid time-integrated activity maps;
- :mod:`.kernels`: dose-voxel kernels from the ICRP-107 beta branches (Loevinger);
- :mod:`.dose`: local deposition, FFT convolution, VOI statistics;
- :mod:`.dvh`: cumulative dose-volume histograms;
- :mod:`.orientation`: array axes brought into patient order (LPS) for display;
- :mod:`.masks`: label maps resampled and RTSTRUCT contours rasterised onto the SPECT grid;
- :mod:`.registration`: rigid registration of time points (SimpleITK);
- :mod:`.pipeline`: the whole study, as the command line calls it;
- :mod:`.reconstruction`: OSEM from raw projections (PyTomography, the optional ``recon`` extra).

See ``docs/dosimetry/voxel.md``.
"""

from __future__ import annotations

__all__: list[str] = []
