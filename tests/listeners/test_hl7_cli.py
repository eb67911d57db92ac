"""``nucmed hl7 listen`` as an operator runs it: its own process with the site's sex codes,
stopped by SIGTERM, logging each message without a patient's name."""

from __future__ import annotations

import signal
import subprocess
import sys

from hl7.client import MLLPClient

from tests.listeners.conftest import free_port
from tests.listeners.test_dicom_cli import env, nucmed, wait_for

__all__ = ["env"]  # the fixture, shared with the DICOM node's command tests


def test_listen_answers_logs_without_names_and_stops_on_sigterm(env: dict[str, str]) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from nucmed.cli.main import run; run()", "hl7", "listen",
         "--host", "127.0.0.1", "--port", str(port), "--site", "NM-ALA", "--sex-code", "1=M",
         "--sex-code", "2=F"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(port, process)
        with MLLPClient("127.0.0.1", port) as client:
            raw = client.send_message(
                "MSH|^~\\&|HIS|CITY|NUCMED|NM|20261122083000+0500||ADT^A04|Z1|P|2.5\r"
                "PID|1||KZ-9^^^CITY^MR||Zhumabayeva^Saule||19900101|2\r"
            )
        assert b"MSA|AA|Z1" in raw
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "ADT^A04 from 127.0.0.1" in log and ": AA" in log
    assert "Zhumabayeva" not in log and "Saule" not in log


def test_listen_refuses_a_bad_sex_code(env: dict[str, str]) -> None:
    done = nucmed(env, "hl7", "listen", "--port", str(free_port()), "--sex-code", "1=X")
    assert done.returncode == 2 and "CODE=SEX" in done.stderr


def test_an_unknown_site_is_refused_in_the_readers_language(env: dict[str, str]) -> None:
    port = str(free_port())
    refused = nucmed(env, "--lang", "kk", "hl7", "listen", "--port", port, "--site", "NM-XX")
    assert refused.returncode == 2 and "NM-XX мекемесі жоқ" in refused.stderr
