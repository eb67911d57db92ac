"""The physics and release tables under ``--lang`` (issue 12, item 7): headings, labels and
words in the language asked for; only units, nuclides and citations stay in Latin letters."""

from __future__ import annotations

import re

import pytest

from nucmed.cli.main import main

COMMANDS = {
    "generator": ["generator", "--mo99", "20 GBq", "--since-elution", "24h"],
    "breakthrough": ["breakthrough", "--mo99", "1 MBq", "--tc99m", "10 GBq", "--elapsed", "6h"],
    "doserate": ["doserate", "Tc-99m", "740 MBq", "--distance", "1 m", "--lead", "3 mm"],
    "release": ["release", "I-131", "--activity", "1.1 GBq"],
}
HEADINGS = {
    "ru": {
        "generator": "Генератор Mo-99/Tc-99m",
        "breakthrough": "Проскок Mo-99",
        "doserate": "Мощность дозы от Tc-99m",
        "release": "Выписка пациента после введения I-131",
    },
    "kk": {
        "generator": "Mo-99/Tc-99m генераторы",
        "breakthrough": "Mo-99 өтуі",
        "doserate": "Tc-99m көзінен доза қуаты",
        "release": "I-131 енгізілген пациентті шығару",
    },
}
LATIN_WORD = re.compile(r"\b[a-z]{3,}\b")
"""A lower-case Latin word (units such as "mm", "h" and symbols such as "Tc" are shorter or
capitalised)."""
CITATION_ROWS = ("константа", "тұрақты", "источник", "дереккөз")
"""Rows that quote a source as it is written (citations stay as citations)."""


def _table(capsys: pytest.CaptureFixture[str], language: str, argv: list[str]) -> str:
    try:
        status = main(["--lang", language, *argv])
    except SystemExit as stop:
        status = int(stop.code or 0)
    assert status in (0, None)
    return capsys.readouterr().out


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_table_reads_in_the_language(
    capsys: pytest.CaptureFixture[str], language: str, command: str
) -> None:
    out = _table(capsys, language, COMMANDS[command])
    assert out.splitlines()[0] == HEADINGS[language][command]
    for line in out.splitlines()[1:]:
        label = line.strip().split("  ")[0]
        if label in CITATION_ROWS:
            continue
        assert not LATIN_WORD.search(line), line
