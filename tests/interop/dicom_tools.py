"""Strict checks of the DICOM files nucmed writes, by tools no one here wrote.

``dciodvfy`` (dicom3tools) checks a file against its IOD and reports every fault as a line
starting ``Error``; ``dsrdump`` (DCMTK) parses an SR's content tree and exits non-zero when it
cannot. `.ci/run` installs both; a test skips (saying why) only where they are absent.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pydicom.dataset import Dataset

__all__ = ["assert_valid_sr", "needs_tools"]

_TIMEOUT_S = 60


def needs_tools(*names: str) -> pytest.MarkDecorator:
    """Skip, saying why, where one of the programs is not installed (CI installs them)."""
    missing = [name for name in names if shutil.which(name) is None]
    return pytest.mark.skipif(
        bool(missing), reason=f"not installed: {', '.join(missing)} (.ci/run installs them)"
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)


def assert_valid_sr(sr: Dataset | Path, folder: Path) -> None:
    """Fail unless the SR passes ``dciodvfy`` with no error and parses with ``dsrdump``."""
    if isinstance(sr, Dataset):
        path = folder / f"{sr.SOPInstanceUID}.dcm"
        sr.save_as(path, enforce_file_format=True)
    else:
        path = sr
    checked = _run("dciodvfy", str(path))
    errors = [line for line in checked.stderr.splitlines() if line.startswith("Error")]
    assert not errors, "\n".join(errors)
    dumped = _run("dsrdump", str(path))
    assert dumped.returncode == 0, dumped.stderr
