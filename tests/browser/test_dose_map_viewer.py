"""Dose map viewer, in a real browser (issue 18): the physicist uploads in Russian, first a file
that is not NIfTI (refused, the form shown again), then an activity map on another
grid (refused), then a dose map with its mask and activity map, and sees the dose and activity
slices, the VOI doses and the DVH chart; in Kazakh the physicist changes the plane.
Screenshots are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from playwright.sync_api import Browser, Page, expect

from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import write_activity_map
from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit
from tests.imaging.dose_map_factory import activity_bytes, dose_bytes, mask_bytes

pytestmark = NO_BROWSER

REFERENCE = "P-BROWSER-1"


def _file(name: str, content: bytes) -> dict[str, object]:
    return {"name": name, "mimeType": "application/octet-stream", "buffer": content}


def _small_activity(folder: Path) -> bytes:
    """An activity map one slice shorter than the dose map."""
    volume = Volume(np.ones((20, 16, 11), np.float32), np.diag([4e-3, 4e-3, 5e-3, 1.0]))
    return write_activity_map(volume, folder / "small.nii").read_bytes()


def _upload_in_russian(page: Page, base: str, folder: Path) -> None:
    page.goto(f"{base}/sites/NM-ALA")
    page.click("a[href='/sites/NM-ALA/dose-maps']")
    expect(page.locator("h1")).to_contain_text("Карты доз")
    page.fill("#upload [name=patient_reference]", REFERENCE)
    page.fill("#upload [name=label]", "Lu-177, цикл 1")
    page.set_input_files("#dm-dose_file", files=[_file("dose.nii.gz", b"not an image")])  # type: ignore[list-item]
    submit(page, "#upload")
    expect(page.locator("#upload .error")).to_contain_text("не является читаемым")
    expect(page.locator("#upload [name=patient_reference]")).to_have_value(REFERENCE)
    shot(page, "dose-map-1-not-nifti-ru")
    page.set_input_files("#dm-dose_file", files=[_file("dose.nii.gz", dose_bytes(folder))])  # type: ignore[list-item]
    page.set_input_files("#dm-mask_file", files=[_file("mask.nii.gz", mask_bytes(folder))])  # type: ignore[list-item]
    page.set_input_files("#dm-activity_file", files=[_file("a.nii", _small_activity(folder))])  # type: ignore[list-item]
    submit(page, "#upload")
    expect(page.locator("#upload .error")).to_contain_text("размер карты активности")
    shot(page, "dose-map-1b-activity-grid-ru")
    page.set_input_files("#dm-dose_file", files=[_file("dose.nii.gz", dose_bytes(folder))])  # type: ignore[list-item]
    page.set_input_files("#dm-mask_file", files=[_file("mask.nii.gz", mask_bytes(folder))])  # type: ignore[list-item]
    page.set_input_files("#dm-activity_file", files=[_file("a.nii", activity_bytes(folder))])  # type: ignore[list-item]
    submit(page, "#upload")
    expect(page.locator("h1")).to_contain_text(REFERENCE)
    expect(page.locator("#voi-2")).to_contain_text("10 Гр")
    image = page.locator("#viewer img")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('#viewer img').naturalWidth") > 0
    assert page.evaluate("document.querySelector('#activity img').naturalWidth") > 0
    expect(page.locator("#dvh .dvh-line")).to_have_count(2)
    expect(page.locator("#dvh")).to_contain_text("Доза, Гр")
    shot(page, "dose-map-2-viewer-ru")


def test_physicist_uploads_and_views_a_dose_map(
    server: dict[str, str], browser: Browser, tmp_path: Path
) -> None:
    base = server["base"]
    russian = browser.new_context(locale="ru-RU")
    page = russian.new_page()
    sign_in_as(page, base, "physicist.ala", server["demo"])
    _upload_in_russian(page, base, tmp_path)
    russian.close()

    kazakh = browser.new_context(locale="kk-KZ")
    page = kazakh.new_page()
    sign_in_as(page, base, "physicist.ala", server["demo"])
    page.goto(f"{base}/sites/NM-ALA/dose-maps")
    expect(page.locator("h1")).to_contain_text("Доза карталары")
    page.click(f"#dose-maps a:has-text('{REFERENCE}')")
    page.select_option("#plane", "coronal")
    page.fill("#slice", "5")
    submit(page, "#slice-form")
    expect(page.locator("#viewer figcaption")).to_contain_text("корональды")
    expect(page.locator("#vois")).to_contain_text("мл")
    expect(page.locator("#dvh")).to_contain_text("Көлем, %")
    assert page.evaluate("document.querySelector('#viewer img').naturalWidth") > 0
    assert page.evaluate("document.querySelector('#activity img').naturalWidth") > 0
    shot(page, "dose-map-3-coronal-kk")
    kazakh.close()
