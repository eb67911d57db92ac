"""``nucmed transport --pdf FILE``: the transport document and package label written in the
command line's language (ru, kk), read back with pdftotext; refusals that say what is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nucmed.cli import main as cli_main

PACKAGE = (
    "transport", "--content", "Tc-99m:37 GBq", "--content", "I-131:2 GBq",
    "--surface-dose-rate", "0.3 mSv/h", "--dose-rate-1m", "8 µSv/h",
    "--consignor", "Центр ядерной медицины, Алматы, Казахстан",
    "--consignee", "Городская больница, ул. Токтогула 1, Бишкек, Кыргызстан",
    "--tz", "Asia/Almaty",
)  # fmt: skip


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True)  # fmt: skip
    return done.stdout


@pytest.mark.parametrize(
    ("language", "words"),
    [
        pytest.param("ru", ("Транспортный документ", "Грузополучатель", "упаковка типа A",
                            "Знаки на упаковке", "РАДИОАКТИВНО"), id="ru"),
        pytest.param("kk", ("Тасымалдау құжаты", "Жүк алушы", "A типті қаптама",
                            "Қаптамадағы белгілер", "РАДИОАКТИВТІ"), id="kk"),
    ],
)  # fmt: skip
def test_the_pdf_in_the_command_lines_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / f"transport-{language}.pdf"
    status = cli_main.main(["--lang", language, *PACKAGE, "--pdf", str(path)])
    assert status == 0, capsys.readouterr().err
    text = _text(path)
    for word in (*words, "UN 2915", "II-YELLOW", "Городская больница, ул. Токтогула 1, Бишкек",
                 "Tc-99m", "37 GBq", "37 000 000 000 Бк", "39 ГБк"):  # fmt: skip
        assert word in text, word


def test_pdf_without_the_parties_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.pdf"
    status = cli_main.main(["--lang", "kk", *PACKAGE[:9], "--pdf", str(path)])
    assert status == 2 and not path.exists()
    assert "--consignor" in capsys.readouterr().err


def test_a_type_b_package_needs_its_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.pdf"
    big = ["transport", "--content", "Mo-99:2 TBq", *PACKAGE[5:], "--pdf", str(path)]
    assert cli_main.main(["--lang", "ru", *big]) == 2
    assert "B(U)" in capsys.readouterr().err and not path.exists()
    assert cli_main.main([*big, "--design-certificate", "RU/1234/B(U)-96"]) == 0
    assert "RU/1234/B(U)-96" in _text(path)
