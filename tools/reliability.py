"""``make reliability``: a real server under load, killed mid-burst, then fuzzed; one table.

For each backend (a fresh SQLite file; a fresh PostgreSQL database on 127.0.0.1:5432, served
by ``--workers 2``): migrate, load the demo, start ``nucmed serve`` on a free loopback port,
stock the demo hot lab, and run the clients of :mod:`reliability_load` for ``--seconds``. Half
way, the server is killed with SIGKILL and started again while the clients keep going. Then
every write the server acknowledged is looked up (by the ids it returned), the doubled ones
counted (two live draws for one request, two patients for one hospital number), and
schemathesis is run against ``/openapi.json`` for ``--fuzz-seconds``, its 5xx counted from its
HAR report. The table gives each figure with the issue's targets (0 server errors, 0 lost, 0
doubled, p99 < 1 s) and PASS or FAIL. The exit status is 0 only if every target is met.

Run short: ``.venv/bin/python tools/reliability.py --backend sqlite --clients 10 --seconds 20``.
Only the standard library and httpx (the ``httpx2`` distribution); schemathesis is the
``reliability`` dependency group (``pip install --group reliability``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
from reliability_load import Findings, Lab, Tally, Target, prepare_lab, run_clients, verify

BIN = Path(sys.executable).parent
P99_TARGET_S = 1.0
STARTUP_S = 90.0
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass
class Server:
    """``nucmed serve`` in a process group of its own (killed as a whole)."""

    command: list[str]
    env: dict[str, str]
    log: Path
    base_url: str
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base_url}/health", timeout=2).status_code == httpx.codes.OK:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {STARTUP_S} s; see {self.log}")

    def _signal(self, number: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, number)

    def kill(self) -> None:
        """SIGKILL to the server and its workers, as a power cut would."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Result:
    """One backend's figures."""

    backend: str
    clients: int
    workers: int
    tally: Tally
    findings: Findings
    kills: int = 0
    survived: int = 0
    fuzz_cases: int | None = None
    fuzz_5xx: int | None = None
    seconds: float = 0.0
    """How long the clients ran (the server's time down after the kill included)."""
    notes: list[str] = field(default_factory=list)

    def percentile(self, fraction: float) -> float:
        values = sorted(self.tally.latencies)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(fraction * len(values)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _fresh_database(backend: str, folder: Path, server: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'nucmed.sqlite3'}"
        return
    name = f"nucmed_reliability_{os.getpid()}_{secrets.token_hex(3)}"
    address = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["createdb", *address, name], check=True)
    try:
        yield f"{server}/{name}"
    finally:
        subprocess.run(["dropdb", *address, "--force", name], check=False)


def _nucmed(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "nucmed"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _token(base_url: str, username: str, password: str) -> str:
    body = {"username": username, "password": password}
    answer = httpx.post(f"{base_url}/api/auth/token", json=body, timeout=30)
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def _fuzz(base_url: str, token: str, seconds: int, folder: Path) -> tuple[int, int, list[str]]:
    """Schemathesis for ``seconds``: (cases tried, answered 5xx, a few 5xx operations)."""
    har = folder / "schemathesis.har"
    command = [
        str(BIN / "st"), "run", f"{base_url}/openapi.json", "--max-time", str(seconds),
        "--checks", "not_a_server_error", "-H", f"Authorization: Bearer {token}",
        "--report", "har", "--report-har-path", str(har), "--no-color",
        "--generation-database", "none", "--workers", "2", "--request-timeout", "30",
    ]  # fmt: skip
    with (folder / "schemathesis.log").open("w") as log:
        subprocess.run(
            command, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 300, check=False
        )
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    failing = [e for e in entries if e["response"]["status"] >= httpx.codes.INTERNAL_SERVER_ERROR]
    where = sorted({f"{e['request']['method']} {e['request']['url']}"[:120] for e in failing})
    return len(entries), len(failing), where[:5]


def _kill_and_restart(server: Server, at: float, result: Result) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    result.tally.down.set()
    server.kill()
    result.kills += 1
    server.start()
    result.tally.down.clear()
    result.survived += 1


def run_backend(backend: str, options: argparse.Namespace) -> Result:
    """Serve a fresh database of ``backend``, load it, kill it, check it, fuzz it."""
    workers = options.workers
    with tempfile.TemporaryDirectory(prefix="nucmed-reliability-") as name:
        folder = Path(name)
        with _fresh_database(backend, folder, options.postgres) as url:
            env = {**os.environ, "NUCMED_DATABASE_URL": url, "NUCMED_DATA_DIR": str(folder)}
            _nucmed(env, "db", "upgrade")
            demo = json.loads(_nucmed(env, "demo", "load", "--json"))
            port = _free_port()
            command = [str(BIN / "nucmed"), "serve", "--host", "127.0.0.1", "--port", str(port)]
            if workers > 1:
                command += ["--workers", str(workers)]
            server = Server(command, env, folder / "server.log", f"http://127.0.0.1:{port}")
            server.start()
            try:
                result = Result(backend, options.clients, workers, Tally(), Findings())
                result.seconds = options.seconds
                return _exercise(server, demo, result, options, folder)
            finally:
                server.stop()


def _exercise(
    server: Server,
    demo: dict[str, object],
    result: Result,
    options: argparse.Namespace,
    folder: Path,
) -> Result:
    base = server.base_url
    token = _token(base, "tech.ala", str(demo["demo_password"]))
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        lab: Lab = prepare_lab(client)
        tally = result.tally
        start = time.monotonic()
        killer = threading.Thread(
            target=_kill_and_restart, args=(server, start + options.seconds / 2, result)
        )
        killer.start()
        run_clients(Target(base, token), lab, options.clients, start + options.seconds, tally)
        killer.join()
        result.findings = verify(client, tally, lab)
    if options.fuzz_seconds > 0 and (BIN / "st").exists():
        admin = _token(base, "admin", str(demo["admin_password"]))
        result.fuzz_cases, result.fuzz_5xx, where = _fuzz(
            base, admin, options.fuzz_seconds, folder
        )
        result.notes += [f"schemathesis 5xx: {w}" for w in where]
    elif options.fuzz_seconds > 0:
        result.notes.append("schemathesis not installed: pip install --group reliability")
    result.notes += [f"{n} x {what}" for what, n in sorted(tally.errors_seen.items())][:8]
    result.notes += result.findings.notes[:5]
    result.notes += _server_faults(server.log)
    return result


def _server_faults(log: Path) -> list[str]:
    """What the server's log says went wrong: workers replaced by the supervisor, errors."""
    text = log.read_text(errors="replace") if log.exists() else ""
    faults = {
        "worker processes replaced (supervisor)": text.count("] died"),
        "unhandled errors in the log": text.count("Exception in ASGI application"),
    }
    return [f"server log: {n} {what}" for what, n in faults.items() if n]


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _rows(result: Result) -> list[tuple[str, str, str]]:
    """(figure, value, target with PASS/FAIL or "") for one backend."""
    tally, found = result.tally, result.findings
    p50, p99 = result.percentile(0.50), result.percentile(0.99)
    fuzz = "-" if result.fuzz_cases is None else str(result.fuzz_cases)
    fuzz_5xx = "-" if result.fuzz_5xx is None else str(result.fuzz_5xx)
    errors = tally.server_errors + tally.resets + (result.fuzz_5xx or 0)
    doubled = found.doubled + tally.races_doubled + found.overdrawn
    return [
        ("clients (server workers)", f"{result.clients} ({result.workers})", ""),
        ("requests answered", str(len(tally.latencies)), ""),
        ("throughput (answered per second)", f"{len(tally.latencies) / result.seconds:.1f}", ""),
        ("requests refused (4xx)", str(tally.refused), ""),
        ("connection errors while killed", str(tally.connection_errors - tally.resets), ""),
        ("connections dropped while up", str(tally.resets), ""),
        ("writes acknowledged", str(tally.writes), ""),
        ("writes found", str(found.found), ""),
        ("writes duplicated", str(found.doubled), ""),
        ("server errors (5xx), load", str(tally.server_errors), ""),
        ("p50 latency", f"{p50 * 1000:.0f} ms", ""),
        ("p99 latency", f"{p99 * 1000:.0f} ms", f"< 1 s {_mark(p99 < P99_TARGET_S)}"),
        ("races tried / doubled", f"{tally.races_tried} / {tally.races_doubled}", ""),
        ("vials overdrawn", str(found.overdrawn), ""),
        ("faults survived (kill -9)", f"{result.survived} of {result.kills}", ""),
        ("bad inputs tried (schemathesis)", fuzz, ""),
        ("bad inputs answered 5xx", fuzz_5xx, ""),
        ("server errors (5xx, drops), all", str(errors), f"0 {_mark(errors == 0)}"),
        ("records lost", str(found.lost), f"0 {_mark(found.lost == 0)}"),
        ("doubled (writes, races, overdraws)", str(doubled), f"0 {_mark(doubled == 0)}"),
    ]


def passed(result: Result) -> bool:
    """Whether every target is met."""
    return all(not target or target.endswith("PASS") for _, _, target in _rows(result))


def write_table(results: list[Result]) -> None:
    """Print the one table: a column per backend, each target with PASS or FAIL."""
    out = sys.stdout
    tables = [_rows(r) for r in results]
    head = f"{'':<36}" + "".join(f"{r.backend:>16} {'target':<12}" for r in results)
    out.write(head.rstrip() + "\n")
    for index, (label, _, _) in enumerate(tables[0]):
        cells = "".join(f"{t[index][1]:>16} {t[index][2]:<12}" for t in tables)
        out.write(f"{label:<36}{cells}".rstrip() + "\n")
    verdicts = ", ".join(f"{r.backend} {_mark(passed(r))}" for r in results)
    out.write(f"{'targets met':<36}{verdicts}\n")
    for result in results:
        for note in result.notes:
            out.write(f"  {result.backend}: {note}\n")
    for result in results:
        out.write(f"\n{result.backend}: latency by route (answered, p50, p99)\n")
        routes = result.tally.by_route.items()
        for route, latencies in sorted(routes, key=lambda item: -sum(item[1])):
            ordered = sorted(latencies)
            p50, p99 = (ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in (0.5, 0.99))
            figures = f"{len(ordered):>7}{p50 * 1000:>8.0f} ms{p99 * 1000:>8.0f} ms"
            out.write(f"  {route:<46}{figures}\n")


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--fuzz-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL server URL")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the backends asked for, print the table; 0 if every target is met."""
    options = _options(argv)
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    results = [run_backend(backend, options) for backend in backends]
    write_table(results)
    return 0 if all(passed(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
