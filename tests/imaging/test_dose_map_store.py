"""Stored dose maps (issue 18): upload with a mask, list, VOI statistics, slices as PNG,
refusals, permissions, append-only records and the file's SHA-256.

Kinds of expected value: **analytic** (the generated map holds uniform cubes, so each VOI's
mean, minimum and maximum are the cube's dose exactly and its volume is voxels × 4·4·5 mm³;
the colour of a pixel is the "hot" ramp at dose / maximum).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from nucmed.errors import NucmedInputError
from nucmed.interop.dose_map_files import Plane
from nucmed.services.imaging_maps import (
    DoseMapUpload,
    SliceWanted,
    dose_map,
    dose_map_slice,
    dose_maps,
    upload_dose_map,
)
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.models import AuditEntry
from nucmed.vocabulary import Role, SiteKind
from tests.imaging.dose_map_factory import SHAPE, activity_bytes, dose_bytes, mask_bytes
from tests.training.fixtures import identity_of

SITE = SiteSpec("DM-BIS", "Dose maps", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")
PASSWORD = "correct horse battery"
VOXEL_M3 = 4e-3 * 4e-3 * 5e-3


@pytest.fixture
def people(database: Database) -> dict[Role, int]:
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        return {
            role: create_user(
                store, None, NewUser(name, name.title(), PASSWORD), [(role, site)]
            ).id
            for name, role in (
                ("phys.a", Role.PHYSICIST), ("rso.b", Role.RSO), ("pharm.c", Role.RADIOPHARMACIST)
            )
        }  # fmt: skip


def _upload(database: Database, user: int, data: Path, mask: bytes | None) -> int:
    given = DoseMapUpload("P-0042", "Lu-177 cycle 1", dose_bytes(data), mask)
    return upload_dose_map(database, identity_of(database, user), SITE.code, data, given).id


def test_upload_list_and_voi_statistics(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    map_id = _upload(database, people[Role.PHYSICIST], tmp_path, mask_bytes(tmp_path))
    rso = identity_of(database, people[Role.RSO])
    listed = dose_maps(database, rso, SITE.code)
    assert not listed.may_upload
    (view,) = listed.maps
    assert (view.shape, view.max_dose_gy, view.has_mask) == (SHAPE, 10.0, True)
    assert view.voxel_m == pytest.approx((4e-3, 4e-3, 5e-3), rel=1e-9)
    assert (tmp_path / "dose-maps" / f"{view.sha256}.nii.gz").is_file()
    detail = dose_map(database, rso, SITE.code, tmp_path, map_id)
    kidney, tumour = detail.vois
    assert (kidney.label, kidney.mean_gy, kidney.min_gy, kidney.max_gy) == (1, 2.0, 2.0, 2.0)
    assert (tumour.label, tumour.mean_gy, tumour.max_gy) == (2, 10.0, 10.0)
    assert kidney.volume_m3 == pytest.approx(64 * VOXEL_M3, rel=1e-9)
    assert tumour.volume_m3 == pytest.approx(8 * VOXEL_M3, rel=1e-9)
    with transaction(database, read_only=True) as store:
        actions = store.session.scalars(select(AuditEntry.action)).all()
    assert "dose_map.upload" in actions


def test_slice_png_colours_and_bounds(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    map_id = _upload(database, people[Role.PHYSICIST], tmp_path, None)
    rso = identity_of(database, people[Role.RSO])
    png = dose_map_slice(
        database, rso, SITE.code, tmp_path, SliceWanted(map_id, Plane.TRANSVERSE, 0)
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.height == 320
    # 1 Gy of 10 Gy: red = 255 · 3 · 0.1 = 76.5 (3 · 0.1 is 0.30000000000000004 in binary: 77)
    assert image.getpixel((5, 5)) == (77, 0, 0)
    assert image.getpixel((image.width - 2, 0)) == (255, 255, 255)  # bar top: the maximum
    assert image.getpixel((image.width - 2, image.height - 1)) == (0, 0, 0)  # bar bottom: 0 Gy
    for plane in Plane:
        dose_map_slice(database, rso, SITE.code, tmp_path, SliceWanted(map_id, plane, 3))
    with pytest.raises(NucmedInputError, match="choose a slice from 1 to 12"):
        dose_map_slice(
            database, rso, SITE.code, tmp_path, SliceWanted(map_id, Plane.TRANSVERSE, 12)
        )


def test_wrong_uploads_are_refused(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    physicist = identity_of(database, people[Role.PHYSICIST])
    cases = (
        (DoseMapUpload("P-1", "x", b"not a nifti"), "not a readable 3-D NIfTI"),
        (DoseMapUpload("P-1", "x", activity_bytes(tmp_path)), "absorbed dose in Gy"),
        (DoseMapUpload("P-1", "x", b""), "choose the dose map file"),
        (DoseMapUpload("", "x", dose_bytes(tmp_path)), "local id or the therapy course"),
        (DoseMapUpload("P-1", "x", dose_bytes(tmp_path), mask_bytes(tmp_path, (20, 16, 11))),
         "shape 20 × 16 × 11 differs from the dose map's 20 × 16 × 12"),
        (DoseMapUpload("P-1", "x", dose_bytes(tmp_path), b"junk"), "not a NIfTI label map"),
    )  # fmt: skip
    for given, message in cases:
        with pytest.raises(NucmedInputError, match=message):
            upload_dose_map(database, physicist, SITE.code, tmp_path, given)
    assert dose_maps(database, physicist, SITE.code).maps == ()
    assert list((tmp_path / "dose-maps").iterdir()) == []  # no scratch or kept file left


def test_permissions_and_other_sites(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    pharmacist = identity_of(database, people[Role.RADIOPHARMACIST])
    with pytest.raises(AccessDeniedError):
        upload_dose_map(database, pharmacist, SITE.code, tmp_path,
                        DoseMapUpload("P-1", "x", dose_bytes(tmp_path)))  # fmt: skip
    with pytest.raises(AccessDeniedError):
        dose_maps(database, pharmacist, SITE.code)
    physicist = identity_of(database, people[Role.PHYSICIST])
    with pytest.raises(NotFoundError):
        dose_map(database, physicist, SITE.code, tmp_path, 999_999)


def test_changed_file_is_refused_and_rows_are_append_only(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    map_id = _upload(database, people[Role.PHYSICIST], tmp_path, None)
    physicist = identity_of(database, people[Role.PHYSICIST])
    (stored,) = (tmp_path / "dose-maps").glob("*.nii.gz")
    stored.write_bytes(stored.read_bytes() + b"\0")
    with pytest.raises(NucmedInputError, match="missing or has changed"):
        dose_map(database, physicist, SITE.code, tmp_path, map_id)
    with pytest.raises(DBAPIError), transaction(database) as store:
        store.session.execute(text("UPDATE dose_maps SET label = 'changed'"))


def test_voi_outline_is_one_pixel_at_display_size(
    database: Database, people: dict[Role, int], tmp_path: Path
) -> None:
    """Transverse slice k = 5: rows are j (16 voxels, 20 px each), columns i (20 voxels, 20 px
    each, 4 mm both ways); the kidney cube covers i 2..5, j 3..6: x 40..119, y 60..139."""
    map_id = _upload(database, people[Role.PHYSICIST], tmp_path, mask_bytes(tmp_path))
    rso = identity_of(database, people[Role.RSO])
    wanted = SliceWanted(map_id, Plane.TRANSVERSE, 5)
    image = Image.open(io.BytesIO(dose_map_slice(database, rso, SITE.code, tmp_path, wanted)))
    assert image.size == (400 + 6 + 16, 320)
    assert image.convert("RGB").getpixel((40, 100)) == (0, 255, 255)  # the outline
    assert image.convert("RGB").getpixel((41, 100)) == (153, 0, 0)  # 2 Gy: 255 · 3 · 0.2
    assert image.convert("RGB").getpixel((39, 100)) == (77, 0, 0)  # 1 Gy outside
