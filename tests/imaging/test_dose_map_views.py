"""Stored dose maps (issue 18): cumulative DVHs of the VOIs, the activity map as a second
slice view, and slices in the radiological orientation whatever the file's axis order.

Kinds of expected value: **analytic** — the generated map holds uniform cubes (the kidney VOI
is 2 Gy everywhere, the tumour 10 Gy), so each VOI's cumulative DVH is a step at its dose; the
activity map is the same grid in Bq/mL, drawn on a grey scale (value / maximum · 255); a map
written with permuted and flipped axes (values and affine changed together) is the same image
of the patient, so its slices are the same pictures.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nucmed.errors import NucmedInputError
from nucmed.imaging.volume import Volume
from nucmed.interop.dose_map_files import Plane
from nucmed.interop.nifti import write_activity_map, write_dose_map, write_labels
from nucmed.services.imaging_maps import (
    DoseMapUpload,
    Layer,
    SliceWanted,
    dose_map,
    dose_map_slice,
    upload_dose_map,
)
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.vocabulary import Role, SiteKind
from tests.imaging.dose_map_factory import (
    SHAPE,
    activity_bytes,
    dose_bytes,
    dose_volume,
    mask_bytes,
    mask_volume,
    rewritten,
)
from tests.training.fixtures import identity_of

SITE = SiteSpec("DV-BIS", "Dose views", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")


@pytest.fixture
def physicist(database: Database) -> int:
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        made = create_user(store, None, NewUser("phys.v", "Phys V", "correct horse battery"),
                           [(Role.PHYSICIST, site)])  # fmt: skip
        return made.id


def _upload(database: Database, person: int, data: Path, given: DoseMapUpload) -> int:
    return upload_dose_map(database, identity_of(database, person), SITE.code, data, given).id


def _png(database: Database, person: int, data: Path, wanted: SliceWanted) -> Image.Image:
    png = dose_map_slice(database, identity_of(database, person), SITE.code, data, wanted)
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_each_voi_has_a_step_dvh_at_its_dose(
    database: Database, physicist: int, tmp_path: Path
) -> None:
    given = DoseMapUpload("P-1", "c1", dose_bytes(tmp_path), mask_bytes(tmp_path))
    map_id = _upload(database, physicist, tmp_path, given)
    detail = dose_map(database, identity_of(database, physicist), SITE.code, tmp_path, map_id)
    levels = np.array(detail.dvh_levels_gy)
    assert (levels[0], levels[-1]) == (0.0, 10.0)  # up to the highest VOI dose
    kidney, tumour = detail.vois
    for voi, dose_gy in ((kidney, 2.0), (tumour, 10.0)):
        fraction = np.array(voi.dvh_fraction)
        assert np.all(fraction[levels <= dose_gy] == 1.0)
        assert np.all(fraction[levels > dose_gy] == 0.0)


def test_the_activity_map_is_a_second_grey_slice_view(
    database: Database, physicist: int, tmp_path: Path
) -> None:
    given = DoseMapUpload("P-1", "c1", dose_bytes(tmp_path), mask_bytes(tmp_path),
                          activity_bytes(tmp_path))  # fmt: skip
    map_id = _upload(database, physicist, tmp_path, given)
    detail = dose_map(database, identity_of(database, physicist), SITE.code, tmp_path, map_id)
    assert detail.map.has_activity
    assert detail.map.max_activity_bq_per_m3 == pytest.approx(5e10, rel=1e-6)  # 50 kBq/mL
    image = _png(database, physicist, tmp_path,
                 SliceWanted(map_id, Plane.TRANSVERSE, 0, Layer.ACTIVITY))  # fmt: skip
    assert image.getpixel((5, 5)) == (26, 26, 26)  # 5 of 50 kBq/mL: round(0.1 · 255) = 26
    assert image.getpixel((image.width - 2, 0)) == (255, 255, 255)


def test_activity_refusals(database: Database, physicist: int, tmp_path: Path) -> None:
    plain = _upload(database, physicist, tmp_path,
                    DoseMapUpload("P-1", "c1", dose_bytes(tmp_path)))  # fmt: skip
    with pytest.raises(NucmedInputError, match="no activity map was uploaded"):
        _png(database, physicist, tmp_path,
             SliceWanted(plain, Plane.TRANSVERSE, 0, Layer.ACTIVITY))  # fmt: skip
    small = Volume(np.ones((20, 16, 11), np.float32), np.diag([4e-3, 4e-3, 5e-3, 1.0]))
    shifted = Volume(np.ones(SHAPE, np.float32), np.diag([4e-3, 4e-3, 5e-3, 1.0]))
    shifted.affine_m[2, 3] = 0.05
    cases = (
        (write_activity_map(small, tmp_path / "a.nii").read_bytes(), "shape 20 × 16 × 11"),
        (write_activity_map(shifted, tmp_path / "b.nii").read_bytes(), "lies elsewhere"),
        (b"junk", "not a readable 3-D NIfTI image of activity"),
    )
    for content, message in cases:
        given = DoseMapUpload("P-1", "c2", dose_bytes(tmp_path), None, content)
        with pytest.raises(NucmedInputError, match=message):
            _upload(database, physicist, tmp_path, given)


def _files(folder: Path, order: tuple[int, int, int], flips: tuple[bool, ...]) -> DoseMapUpload:
    folder.mkdir()
    dose, mask = dose_volume(), mask_volume()
    return DoseMapUpload(
        "P-1", f"{order} {flips}",
        write_dose_map(rewritten(dose, order, flips), folder / "d.nii.gz").read_bytes(),
        write_labels(rewritten(mask, order, flips), folder / "m.nii.gz").read_bytes(),
        write_activity_map(rewritten(dose, order, flips), folder / "a.nii.gz").read_bytes(),
    )  # fmt: skip


def test_a_map_written_with_other_axes_shows_the_same_pictures(
    database: Database, physicist: int, tmp_path: Path
) -> None:
    plain = _upload(database, physicist, tmp_path,
                    _files(tmp_path / "plain", (0, 1, 2), (False, False, False)))  # fmt: skip
    other = _upload(database, physicist, tmp_path,
                    _files(tmp_path / "other", (2, 0, 1), (True, False, True)))  # fmt: skip
    person = identity_of(database, physicist)
    first, second = (dose_map(database, person, SITE.code, tmp_path, n) for n in (plain, other))
    assert second.map.shape == (SHAPE[2], SHAPE[0], SHAPE[1])  # stored k, i, j
    assert (second.grid, second.hottest) == (first.grid, first.hottest) == (SHAPE, (10, 8, 5))
    assert second.vois == first.vois
    for plane, index in ((Plane.TRANSVERSE, 5), (Plane.CORONAL, 4), (Plane.SAGITTAL, 3)):
        for layer in Layer:
            pictures = [
                dose_map_slice(database, person, SITE.code, tmp_path,
                               SliceWanted(n, plane, index, layer))
                for n in (plain, other)
            ]  # fmt: skip
            assert pictures[0] == pictures[1], (plane, layer)
