"""Axes brought into patient order (LPS: left, posterior, head) for display. Kinds of expected
value: **analytic** — a volume written with permuted and flipped axes (values and affine
changed together, so each voxel stays where it is in the patient) comes back to the same
array and affine as the one written in patient order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nucmed.imaging.orientation import axis_order, patient_ordered
from nucmed.imaging.volume import Volume
from tests.imaging.dose_map_factory import rewritten

SPACING_M = (2e-3, 3e-3, 4e-3)
ORIGIN_M = (-0.1, 0.05, 0.2)


def _reference() -> Volume:
    values = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)
    affine = np.diag([*SPACING_M, 1.0])
    affine[:3, 3] = ORIGIN_M
    return Volume(values, affine)


def _centre_m(volume: Volume, ijk: tuple[int, int, int]) -> np.ndarray:
    return (volume.affine_m @ np.array([*ijk, 1.0]))[:3]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
@pytest.mark.parametrize("flips", [(False, False, False), (True, False, True), (True, True, True)])
def test_any_axis_order_comes_back_to_patient_order(
    order: tuple[int, ...], flips: tuple[bool, ...]
) -> None:
    reference = _reference()
    stored = rewritten(reference, order, flips)
    shown = patient_ordered(stored)
    assert np.array_equal(shown.values, reference.values)
    assert shown.affine_m == pytest.approx(reference.affine_m, abs=1e-12)


def test_every_voxel_keeps_its_place_in_the_patient() -> None:
    stored = rewritten(_reference(), (2, 0, 1), (False, True, True))
    shown = patient_ordered(stored)
    for ijk in [(0, 0, 0), (3, 4, 5), (1, 2, 3)]:
        value = shown.values[ijk]
        (where,) = np.argwhere(stored.values == value)
        assert _centre_m(shown, ijk) == pytest.approx(_centre_m(stored, tuple(where)))


def test_an_oblique_grid_goes_to_the_nearest_order() -> None:
    angle = np.radians(30.0)  # rotated 30° about z: i still nearest x, j nearest y
    rotation = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0],
                         [0, 0, 1]])  # fmt: skip
    affine = np.eye(4)
    affine[:3, :3] = rotation[:, [1, 0, 2]] * 2e-3  # stored j first, then i
    assert axis_order(affine) == ((1, 0, 2), (False, False, False))
