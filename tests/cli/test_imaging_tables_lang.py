"""``nucmed dosimetry voxel`` and ``nucmed imaging info`` under ``--lang`` (issue 12): the
table's heading, labels, method and fit in the language asked for; the JSON object is the same
in every language (``"fit": "mono"``). Only units, nuclides, file names and citations stay in
Latin letters."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from nucmed.cli.main import main
from nucmed.imaging.volume import Volume
from nucmed.interop.nifti import write_activity_map, write_labels

AFFINE = np.diag([4e-3, 4e-3, 4e-3, 1.0])
HEADINGS = {"ru": "Воксельная дозиметрия", "kk": "Воксельдік дозиметрия"}
FIT = {"ru": "моноэкспоненциальная", "kk": "моноэкспоненциалды"}
LATIN_WORD = re.compile(r"\b[a-z]{3,}\b")
"""A lower-case Latin word (units such as "Gy" and nuclides such as "Lu-177" are not)."""
QUOTED_ROWS = ("файл результата", "нәтиже файлы")
"""The output file's name is quoted as it is."""


@pytest.fixture(autouse=True)
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose the language; the machine's locale must not."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def study(tmp_path: Path) -> list[str]:
    """Two uniform maps of Lu-177 (4 h and 24 h) and a one-VOI mask; the voxel arguments."""
    args = ["dosimetry", "voxel", "--nuclide", "Lu-177", "--method", "led"]
    for hours in (4, 24):
        path = tmp_path / f"t{hours}.nii.gz"
        value = 1e11 * math.exp(-1e-5 * hours * 3600.0)  # Bq/m³
        write_activity_map(Volume(np.full((6, 6, 6), value, np.float32), AFFINE), path)
        args += ["--map", f"{hours} h={path}"]
    mask = np.zeros((6, 6, 6), np.float32)
    mask[2:4, 2:4, 2:4] = 1
    write_labels(Volume(mask, AFFINE), tmp_path / "mask.nii.gz")
    return [*args, "--mask", str(tmp_path / "mask.nii.gz"), "--out", str(tmp_path / "d.nii.gz")]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_voxel_table_reads_in_the_language(
    capsys: pytest.CaptureFixture[str], study: list[str], language: str
) -> None:
    lines = _run(capsys, ["--lang", language, *study]).splitlines()
    assert lines[0] == HEADINGS[language]
    assert any(FIT[language] in line for line in lines)
    for line in lines[1:]:
        if line.strip().startswith(QUOTED_ROWS):
            continue
        assert not LATIN_WORD.search(line), line


def test_the_json_is_the_same_in_every_language(
    capsys: pytest.CaptureFixture[str], study: list[str]
) -> None:
    english = json.loads(_run(capsys, [*study, "--json"]))
    russian = json.loads(_run(capsys, ["--lang", "ru", *study, "--json"]))
    assert russian == english
    assert (english["method"], english["fit"]) == ("led", "mono")


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        pytest.param("ru", "Изображение", "модальность", id="ru"),
        pytest.param("kk", "Кескін", "модальділік", id="kk"),
    ],
)
def test_the_image_table_reads_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, language: str, heading: str, label: str
) -> None:
    path = tmp_path / "map.nii.gz"
    write_activity_map(Volume(np.ones((4, 4, 4), np.float32), AFFINE), path)
    lines = _run(capsys, ["--lang", language, "imaging", "info", str(path)]).splitlines()
    assert lines[0] == f"{heading} {path}"
    assert lines[1].split()[0] == label
    assert all(not LATIN_WORD.search(line) for line in lines[1:]), lines
