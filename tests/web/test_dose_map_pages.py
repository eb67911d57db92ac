"""Dose map viewer pages (issue 18): the physicist uploads a dose map with a mask in Russian
(a file that is not NIfTI and a mask of the wrong shape first), reads the VOI doses in Kazakh,
opens slices of each plane as PNG; a radiopharmacist may neither look nor upload.

Kinds of expected value: **analytic** (uniform cubes: each VOI's mean dose is its cube's dose,
its volume is voxels × 4·4·5 mm³ = 64 × 0.08 mL = 5.12 mL for the kidney cube).
"""

from __future__ import annotations

import io
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from nucmed.vocabulary import Role
from tests.imaging.dose_map_factory import activity_bytes, dose_bytes, mask_bytes
from tests.web.conftest import csrf_of, sign_in
from tests.web.crawl import crawl

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
PAGE = "/sites/T-ALA/dose-maps"
FIXTURE_NAMES = {"Test physicist", "Test department"}
"""The test fixtures' person and site, named in English (the demo's are crawled elsewhere)."""


def _post(client: TestClient, token: str, files: dict[str, tuple[str, bytes]]) -> object:
    return client.post(
        PAGE, data={"patient_reference": "P-0042", "label": "Lu-177 цикл 1",
                    "csrf_token": token},
        files={name: (filename, content, "application/octet-stream")
               for name, (filename, content) in files.items()},
        headers=RU, follow_redirects=False,
    )  # fmt: skip


def test_physicist_uploads_and_views(
    app: FastAPI, people: dict[Role, str], tmp_path: Path
) -> None:
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    page = physicist.get(PAGE, headers=RU)
    assert page.status_code == 200
    assert "Карты доз" in page.text and 'id="upload"' in page.text
    token = csrf_of(physicist, PAGE)
    folder = tmp_path / "made"
    folder.mkdir()
    dose, wrong_mask = dose_bytes(folder), mask_bytes(folder, (20, 16, 11))
    refused = _post(physicist, token, {"dose_file": ("dose.nii.gz", b"plain text")})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "не является читаемым трёхмерным изображением NIfTI" in refused.text  # type: ignore[attr-defined]
    assert 'value="P-0042"' in refused.text  # type: ignore[attr-defined]
    refused = _post(physicist, token, {"dose_file": ("d.nii.gz", dose),
                                       "mask_file": ("m.nii.gz", wrong_mask)})  # fmt: skip
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "размер маски 20 × 16 × 11 отличается" in refused.text  # type: ignore[attr-defined]
    done = _post(physicist, token, {"dose_file": ("d.nii.gz", dose),
                                    "mask_file": ("m.nii.gz", mask_bytes(folder))})  # fmt: skip
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    viewer = done.headers["location"]  # type: ignore[attr-defined]
    shown = physicist.get(viewer, headers=KK).text
    assert "Доза картасы" in shown and "Қарастырылатын көлемдер" in shown
    assert "5,12 мл" in shown and "2 Гр" in shown and "10 Гр" in shown
    assert 'max="12" value="6"' in shown  # the slice of the maximum dose (k = 5) is shown first
    for plane in ("transverse", "coronal", "sagittal"):
        png = physicist.get(f"{viewer}/slice.png?plane={plane}&slice=3")
        assert png.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(png.content)).height == 320
    outside = physicist.get(f"{viewer}/slice.png?plane=transverse&slice=13", headers=RU)
    assert outside.status_code == 422
    odd = physicist.get(f"{viewer}?plane=oblique&slice=many", headers=RU)
    assert odd.status_code == 200 and "поперечная" in odd.text
    listed = physicist.get(PAGE, headers=RU).text
    assert "P-0042" in listed and "10 Гр" in listed
    for language in ("ru", "kk"):  # no English left on the list or the viewer (planes too)
        pages = [PAGE, viewer, f"{viewer}?plane=coronal", f"{viewer}?plane=sagittal"]
        found = crawl(physicist, language, pages, depth=0)
        assert [f for f in found if f.text not in FIXTURE_NAMES] == []


def test_radiopharmacist_may_not_look_or_upload(app: FastAPI, people: dict[Role, str]) -> None:
    pharmacist = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    assert pharmacist.get(PAGE, headers=RU).status_code == 403
    answer = pharmacist.post(PAGE, data={"csrf_token": csrf_of(pharmacist)},
                             follow_redirects=False)  # fmt: skip
    assert answer.status_code == 403
    rso = sign_in(TestClient(app), people[Role.RSO])
    page = rso.get(PAGE, headers=RU)
    assert page.status_code == 200 and 'id="upload"' not in page.text


def test_viewer_shows_the_dvh_and_the_activity_map(
    app: FastAPI, people: dict[Role, str], tmp_path: Path
) -> None:
    """The DVH chart: one line per VOI, axes "Доза, Гр" / "Объём, %" (ru) and "Доза, Гр" /
    "Көлем, %" (kk); the activity slice beside the dose slice; none without an activity map."""
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    token = csrf_of(physicist, PAGE)
    folder = tmp_path / "made"
    folder.mkdir()
    files = {"dose_file": ("d.nii.gz", dose_bytes(folder)),
             "mask_file": ("m.nii.gz", mask_bytes(folder)),
             "activity_file": ("a.nii", activity_bytes(folder))}  # fmt: skip
    done = _post(physicist, token, files)
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    viewer = done.headers["location"]  # type: ignore[attr-defined]
    shown = physicist.get(viewer, headers=RU).text
    assert 'id="dvh"' in shown and shown.count('class="dvh-line"') == 2
    assert "Доза, Гр" in shown and "Объём, %" in shown
    assert f"{viewer}/activity.png?plane=transverse" in shown and "кБк/мл" in shown
    kazakh = physicist.get(viewer, headers=KK).text
    assert "Доза, Гр" in kazakh and "Көлем, %" in kazakh
    png = physicist.get(f"{viewer}/activity.png?plane=coronal&slice=2")
    assert png.headers["content-type"] == "image/png"
    for language in ("ru", "kk"):
        found = crawl(physicist, language, [viewer, f"{viewer}?plane=sagittal"], depth=0)
        assert [f for f in found if f.text not in FIXTURE_NAMES] == []
    plain = _post(physicist, token, {"dose_file": ("d.nii.gz", dose_bytes(folder))})
    plain_viewer = plain.headers["location"]  # type: ignore[attr-defined]
    page = physicist.get(plain_viewer, headers=RU).text
    assert 'id="no-activity"' in page and "activity.png" not in page
    assert physicist.get(f"{plain_viewer}/activity.png", headers=RU).status_code == 422
