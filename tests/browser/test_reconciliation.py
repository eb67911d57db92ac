"""Two dose reports of one injection, in a real browser: the SPECT console sends them to the
department's DICOM node (DCMTK's storescu), the second with another activity; the physicist,
in Russian, finds the item from the site page, tries to close it without a reason, then with
one; the physician reads the closed item in Kazakh. Screenshots under ``test-artifacts/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from nucmed.interop.rrdsr import AdministrationRecord, lookup_code, write_rrdsr
from tests.browser.conftest import NO_BROWSER, shot, sign_in_as, submit
from tests.interop.dicom_tools import needs_tools
from tests.listeners.conftest import free_port
from tests.listeners.test_dicom_cli import wait_for

pytestmark = [NO_BROWSER, needs_tools("storescu")]


INJECTED = datetime.now(UTC) - timedelta(minutes=20)  # the server runs on the computer's clock


def _sr(folder: Path, activity_bq: float) -> Path:
    record = AdministrationRecord(
        "2.25.31337", lookup_code("radiopharmaceutical", "MDP"), lookup_code("radionuclide",
        "Tc-99m"), activity_bq, INJECTED,
        lookup_code("route", "IV"), patient_id="BR-1", patient_name="Testova^Aida",
    )  # fmt: skip
    sr = write_rrdsr(record, tz=ZoneInfo("Asia/Almaty"))
    path = folder / f"{sr.SOPInstanceUID}.dcm"
    sr.save_as(path, enforce_file_format=True)
    return path


@pytest.fixture
def two_reports(server: dict[str, str], tmp_path: Path) -> Iterator[None]:
    """The SPECT console's two reports of one injection, through nucmed's DICOM node."""
    env = {**os.environ, "NUCMED_DATA_DIR": server["data_dir"]}
    env.pop("NUCMED_DATABASE_URL", None)
    port = free_port()
    node = subprocess.Popen(
        [sys.executable, "-c", "from nucmed.cli.main import run; run()", "dicom", "listen",
         "--host", "127.0.0.1", "--port", str(port), "--site", "NM-ALA"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(port, node)
        for activity_bq in (7.0e8, 5.5e8):
            sent = subprocess.run(
                ["storescu", "-R", "-aet", "SPECTCAM", "-aec", "NUCMED", "127.0.0.1", str(port),
                 str(_sr(tmp_path, activity_bq))],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            assert sent.returncode == 0, sent.stderr
        yield
    finally:
        node.terminate()
        node.communicate(timeout=30)


@pytest.mark.usefixtures("two_reports")
def test_the_physicist_reconciles_a_second_report(
    server: dict[str, str], browser: Browser
) -> None:
    base = server["base"]
    russian = browser.new_context(locale="ru-RU")
    page = russian.new_page()
    sign_in_as(page, base, "physicist.ala", server["demo"])
    page.goto(f"{base}/sites/NM-ALA")
    page.click("a[href='/sites/NM-ALA/reconciliation']")
    item = page.locator("section.card.quarantined").first
    expect(item).to_contain_text("Второй отчёт отличается")
    expect(item).to_contain_text("700 МБк")
    expect(item).to_contain_text("550 МБк")
    shot(page, "reconciliation-1-list-ru")
    form = "section.card.quarantined form"
    submit(page, form)  # no reason: refused beside the field
    expect(page.locator(".error").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("нужна причина")
    shot(page, "reconciliation-2-without-reason-ru")
    page.fill(f"{form} [name=reason]", "Активность сверена с журналом калибратора: 700 МБк")
    submit(page, form)
    expect(page.locator("main")).to_contain_text("Закрыт: Активность сверена")
    shot(page, "reconciliation-3-closed-ru")
    russian.close()

    kazakh = browser.new_context(locale="kk-KZ")
    doctor = kazakh.new_page()
    sign_in_as(doctor, base, "doctor.ala", server["demo"])
    doctor.goto(f"{base}/sites/NM-ALA/reconciliation")
    expect(doctor.locator("h1")).to_contain_text("Салыстыруға арналған доза есептері")
    expect(doctor.locator("main")).to_contain_text("Екінші есеп өзгеше")
    shot(doctor, "reconciliation-4-closed-kk")
    kazakh.close()
