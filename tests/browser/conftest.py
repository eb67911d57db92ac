"""Browser fixtures: a real nucmed server with the demo network, and Debian's chromium.

The tests skip, saying why, only where no chromium is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("NUCMED_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

NO_BROWSER = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no chromium at {CHROMIUM}: install Debian's chromium (.ci/run does) to run them",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _nucmed(*args: str, env: dict[str, str]) -> str:
    command = [str(Path(sys.executable).with_name("nucmed")), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real nucmed server on a free loopback port, with the demo network loaded."""
    env = {**os.environ, "NUCMED_DATA_DIR": str(tmp_path_factory.mktemp("browser-data"))}
    env.pop("NUCMED_DATABASE_URL", None)
    _nucmed("db", "upgrade", env=env)
    loaded = json.loads(_nucmed("demo", "load", "--json", env=env))
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("nucmed")), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1) as answer:
                if answer.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail("the nucmed server did not answer /health within 30 s")
    yield {"base": base, "admin": loaded["admin_password"], "demo": loaded["demo_password"],
           "data_dir": env["NUCMED_DATA_DIR"]}  # fmt: skip
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def submit(page: Page, form: str) -> None:
    """Click the form's submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def open_demo_course(page: Page, base: str, password: str) -> None:
    """Sign in as the demo physician and open the demo patient's therapy course (found by a
    search for the patient's Cyrillic name)."""
    sign_in_as(page, base, "doctor.ala", password)
    page.click("a[href='/sites/NM-ALA/patients']")
    page.fill("#patients-q", "Досанов")
    submit(page, "form.search")
    page.click("text=Досанов Д.")
    page.click("#courses a")


def sign_in_as(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the login page; the person lands on their site."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/sites/*")
