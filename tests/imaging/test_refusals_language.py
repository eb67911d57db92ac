"""Refusals of the imaging maths (issue 12, Deliver 1) carry a template and its values: one
refusal of each module reads in Russian, with no English word left, and its English line is
unchanged in meaning."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from nucmed.catalogue import in_language, translations
from nucmed.errors import Message, NucmedInputError
from nucmed.imaging.dose import voi_dose
from nucmed.imaging.kernels import dose_voxel_kernel
from nucmed.imaging.kinetics import fit_mono_exponential_map, time_integrated_activity
from nucmed.imaging.masks import polygon_mask
from nucmed.imaging.quantify import sensitivity_cps_per_bq
from nucmed.imaging.registration import register_rigid
from nucmed.imaging.volume import Volume, check_same_grid

AFFINE = np.diag([4e-3, 4e-3, 4e-3, 1.0])
LU177_RATE = 1.2e-6  # 1/s, about ln 2 / 6.65 d
ENGLISH = re.compile(
    r"\b(?:must|the|got|need|needs|differs|voxels?|maps?|fit|allowed|label|unknown)\b"
)


def _small_volume() -> None:
    fixed = Volume(np.ones((10, 10, 10), np.float32), AFFINE)
    register_rigid(fixed, Volume(np.ones((4, 10, 10), np.float32), AFFINE))


def _other_grid() -> None:
    first = Volume(np.ones((4, 4, 4), np.float32), AFFINE)
    check_same_grid(first, Volume(np.ones((4, 4, 5), np.float32), AFFINE), "day2.nii.gz")


CASES: list[tuple[str, Callable[[], object], str]] = [
    ("dose", lambda: voi_dose([1.0, 2.0], [1, 1], label=2), "нет ни одного вокселя с меткой 2"),
    ("kernels", lambda: dose_voxel_kernel("Lu-177", (5e-2, 5e-2, 5e-2)), "от 0,1 до 20 мм"),
    ("kinetics", lambda: fit_mono_exponential_map([1.0], [[1.0]], LU177_RATE), "не меньше 2"),
    ("kinetics model", lambda: time_integrated_activity("gamma", [1.0], [1.0], LU177_RATE),
     "неизвестная аппроксимация «gamma»"),
    ("masks", lambda: polygon_mask([[0.0, 0.0], [1.0, 1.0]], (4, 4)), "не меньше 3 точек"),
    ("quantify", lambda: sensitivity_cps_per_bq(0.0, 10.0, 1e6, 0.0, LU177_RATE),
     "отсчёты от фантома"),
    ("registration", _small_volume, "совмещаемая карта: нужно не меньше 8 вокселей"),
    ("volume", lambda: Volume(np.ones((4, 4)), AFFINE), "трёхмерным, получена форма 4 × 4"),
    ("same grid", _other_grid, "day2.nii.gz: форма 4 × 4 × 5 отличается от 4 × 4 × 4"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "expected"), [(c, e) for _, c, e in CASES],
                         ids=[name for name, _, _ in CASES])  # fmt: skip
def test_the_refusal_reads_in_russian(call: Callable[[], object], expected: str) -> None:
    with pytest.raises(NucmedInputError) as caught:
        call()
    assert caught.value.parts, "a translatable refusal"
    shown = in_language(translations("ru").gettext, Message.of(caught.value))
    assert expected in shown, shown
    assert not ENGLISH.search(shown), shown
