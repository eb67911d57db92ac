"""``nucmed dicom allow`` and ``nucmed dicom listen`` as an operator runs them: a process of
its own, stopped by SIGTERM, that logs each association without a patient's name."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pydicom
import pytest
from sqlalchemy.orm import sessionmaker

from nucmed.services.clock import FixedClock
from nucmed.services.sites import create_site
from nucmed.services.uow import transaction
from nucmed.store.db import make_engine
from nucmed.store.migrate import upgrade
from tests.interop.dicom_tools import needs_tools
from tests.listeners.conftest import SITE, free_port
from tests.listeners.test_dicom import dcmtk, sr_file

pytestmark = needs_tools("echoscu", "storescu")
START_S = 30  # the most the listener may take to open its port (imports, migrations checked)


def nucmed(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from nucmed.cli.main import run; run()",
                           *argv], env=env, capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An installation with NM-ALA and no camera accepted yet."""
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(sessionmaker(engine)) as store:
        create_site(store, None, SITE)
    engine.dispose()
    return {**os.environ, "NUCMED_DATABASE_URL": url, "NUCMED_DATA_DIR": str(tmp_path / "var")}


def wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail("the listener did not open its port")


@pytest.fixture
def listening(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    allowed = nucmed(env, "dicom", "allow", "SPECTCAM", "--site", "NM-ALA", "--json")
    assert allowed.returncode == 0, allowed.stderr
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from nucmed.cli.main import run; run()", "dicom", "listen",
         "--host", "127.0.0.1", "--port", str(port), "--site", "NM-ALA"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(port, process)
        yield port, process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_listen_answers_logs_without_names_and_stops_on_sigterm(
    listening: tuple[int, subprocess.Popen[str]], tmp_path: Path
) -> None:
    port, process = listening
    echo = dcmtk("echoscu", "-aet", "SPECTCAM", "-aec", "NUCMED", "127.0.0.1", str(port))
    assert echo.returncode == 0, echo.stderr
    # the listener runs on the computer's clock: the SR's injection 30 min before it
    computer = FixedClock(datetime.now(UTC))
    path = sr_file(tmp_path, computer)
    sent = dcmtk("storescu", "-R", "-aet", "SPECTCAM", "-aec", "NUCMED", "127.0.0.1", str(port),
                 str(path))  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    # received in chunks into a file (as a large object would be), kept by its content
    (kept,) = (tmp_path / "var" / "dicom").rglob("*.dcm")
    assert kept.stem == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert pydicom.dcmread(kept).SOPInstanceUID == pydicom.dcmread(path).SOPInstanceUID
    process.send_signal(signal.SIGTERM)
    _, log = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "C-ECHO from SPECTCAM" in log and "C-STORE from SPECTCAM" in log
    assert "Ivanova" not in log and "Aigerim" not in log


def test_listen_refuses_a_site_without_cameras(env: dict[str, str]) -> None:
    done = nucmed(env, "dicom", "listen", "--port", str(free_port()), "--site", "NM-ALA")
    assert done.returncode == 2 and "no calling AE title configured" in done.stderr


def test_allow_refuses_an_unknown_site_and_a_bad_title(env: dict[str, str]) -> None:
    unknown = nucmed(env, "dicom", "allow", "SPECTCAM", "--site", "NM-XX")
    assert unknown.returncode == 2 and "no site NM-XX" in unknown.stderr
    bad = nucmed(env, "dicom", "allow", "A\\B", "--site", "NM-ALA")
    assert bad.returncode == 2 and "no backslash" in bad.stderr


def test_an_unknown_site_is_refused_in_the_readers_language(env: dict[str, str]) -> None:
    refused = nucmed(env, "--lang", "ru", "dicom", "allow", "SPECTCAM", "--site", "NM-XX")
    assert refused.returncode == 2 and "нет учреждения NM-XX" in refused.stderr
