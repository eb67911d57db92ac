"""Benchmark: cold start of the ``nucmed`` command line.

Target (foundation issue): ``nucmed --help`` and each calculator answer in under 0.6 s cold on
the project's 2-core machine. Each command runs in a fresh process several times; the script
prints the best and median wall times and their ratio to the target (below 1.00 meets it).
Run: ``make bench``.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.6
REPEATS = 7
COMMANDS = [
    ["--help"],
    ["decay", "Tc-99m", "740 MBq", "--elapsed", "6 h", "--json"],
    ["generator", "--mo99", "20 GBq", "--since-elution", "24 h", "--json"],
    ["breakthrough", "--mo99", "5 kBq", "--tc99m", "20 GBq", "--elapsed", "6 h", "--json"],
    ["doserate", "Tc-99m", "740 MBq", "--distance", "1 m", "--lead", "2 mm", "--json"],
]


def _nucmed() -> str:
    beside_python = Path(sys.executable).with_name("nucmed")
    found = str(beside_python) if beside_python.exists() else shutil.which("nucmed")
    if found is None:
        raise SystemExit("nucmed is not installed in this environment; run make bench")
    return found


def _time_once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    """Time each command; exit 1 if a median misses the target."""
    nucmed = _nucmed()
    out = sys.stdout
    out.write(f"nucmed start-up, {REPEATS} fresh processes each; target {TARGET_S:.2f} s\n")
    out.write(f"{'command':<42} {'best s':>7} {'median s':>9} {'ratio':>6}\n")
    missed = False
    for args in COMMANDS:
        times = [_time_once([nucmed, *args]) for _ in range(REPEATS)]
        median = statistics.median(times)
        ratio = median / TARGET_S
        missed |= ratio >= 1.0
        label = " ".join(args)[:42]
        out.write(f"{label:<42} {min(times):>7.3f} {median:>9.3f} {ratio:>6.2f}\n")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
