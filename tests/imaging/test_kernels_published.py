"""published: the Y-90 and I-131 kernels against the Lanconelli et al. (2012) voxel S-values.

The rows are in ``nucmed/data/voxel_svalues_lanconelli2012.csv`` (status secondary: copied from
a redistribution of the database, the paper was not read). The table is Monte Carlo with
electrons and photons in soft tissue; our kernel is electrons only (Loevinger's point function,
ICRP-107 beta branches), for a density of 1.04 g/cm³.

Tolerance 10 %: the issue's criterion, and the accuracy claimed for Loevinger's function near
the source (10-20 % against transport calculations, Berger 1971, MIRD Pamphlet 7). Measured
deviations when these tests were written: Y-90 -2 % to -5 % (3 mm and 4.42 mm, (1,1,1) at
4.42 mm +6.6 %); I-131 central voxel +0.3 %/+0.7 %.

I-131 emits a 364 keV gamma, which the electron-only kernel leaves out. Its electrons stop
within about 3 mm, so beyond the first neighbour the table is photons only: at (0,0,2) the
table gives 2.15e-4 mGy/(MBq.s) (4.42 mm), our kernel 1e-10. For the face neighbour at 4.42 mm
the photons are about 12 % of the table value, so that row is compared after subtracting an
estimate of the photon part, 4·S(0,0,2) (inverse square from 2 to 1 voxel, attenuation over
4 mm below 1 %); the edge neighbours (0,1,1) are mostly photons and are only checked one-sided
(the electron kernel stays below the table).
"""

from __future__ import annotations

import pytest

from nucmed.data import read_rows
from nucmed.imaging.kernels import dose_voxel_kernel

SOFT_TISSUE_KG_PER_M3 = 1040.0
GY_PER_BQ_S_PER_MGY_PER_MBQ_S = 1e-9
TOLERANCE = 0.10
Offset = tuple[int, int, int]


def _table() -> dict[tuple[str, float, Offset], float]:
    return {
        (row["nuclide"], float(row["voxel_mm"]), (int(row["i"]), int(row["j"]), int(row["k"]))):
        float(row["s_mgy_per_mbq_s"]) * GY_PER_BQ_S_PER_MGY_PER_MBQ_S
        for row in read_rows("voxel_svalues_lanconelli2012.csv")
    }  # fmt: skip


TABLE = _table()


def _ours(nuclide: str, voxel_mm: float, offset: Offset) -> float:
    kernel = dose_voxel_kernel(nuclide, (voxel_mm * 1e-3,) * 3, SOFT_TISSUE_KG_PER_M3)
    centre = kernel.s_gy_per_bq_s.shape[0] // 2
    return float(kernel.s_gy_per_bq_s[tuple(centre + n for n in offset)])


def _rows(nuclide: str, *offsets: Offset) -> list[tuple[float, Offset]]:
    return [(size, off) for (name, size, off) in TABLE if name == nuclide and off in offsets]


@pytest.mark.parametrize(
    ("voxel_mm", "offset"), _rows("Y-90", (0, 0, 0), (0, 0, 1), (0, 1, 1), (1, 1, 1))
)
def test_y90_central_and_neighbours(voxel_mm: float, offset: Offset) -> None:
    # Y-90 emits no gamma of note: the table is electrons (and bremsstrahlung) throughout.
    expected = TABLE[("Y-90", voxel_mm, offset)]
    assert _ours("Y-90", voxel_mm, offset) == pytest.approx(expected, rel=TOLERANCE)


@pytest.mark.parametrize(("voxel_mm", "offset"), _rows("I-131", (0, 0, 0)))
def test_i131_central_voxel(voxel_mm: float, offset: Offset) -> None:
    expected = TABLE[("I-131", voxel_mm, offset)]
    assert _ours("I-131", voxel_mm, offset) == pytest.approx(expected, rel=TOLERANCE)


@pytest.mark.parametrize("voxel_mm", [3.0, 4.42])
def test_i131_face_neighbour_without_the_photons(voxel_mm: float) -> None:
    photons = 4.0 * TABLE[("I-131", voxel_mm, (0, 0, 2))]
    expected = TABLE[("I-131", voxel_mm, (0, 0, 1))] - photons
    assert _ours("I-131", voxel_mm, (0, 0, 1)) == pytest.approx(expected, rel=TOLERANCE)


@pytest.mark.parametrize("voxel_mm", [3.0, 4.42])
def test_i131_photon_dominated_rows_stay_below_the_table(voxel_mm: float) -> None:
    for offset in ((0, 1, 1), (0, 0, 2)):
        assert _ours("I-131", voxel_mm, offset) < TABLE[("I-131", voxel_mm, offset)]


def test_the_table_holds_what_the_tests_use() -> None:
    assert len(TABLE) == 19
    assert TABLE[("Y-90", 4.42, (0, 0, 0))] == pytest.approx(6.89e-10)
