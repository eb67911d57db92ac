"""A command-line refusal converted to a translatable template (issue 12, Deliver 1) reads in
the language asked for with ``--lang``."""

from __future__ import annotations

import pytest

from nucmed.cli.main import main

SAID = {
    "ru": "укажите одну защиту за раз: --lead, --tungsten или --concrete",
    "kk": "бір рет бір қорғанысты көрсетіңіз: --lead, --tungsten немесе --concrete",
    "en": "give one shield at a time: --lead, --tungsten or --concrete",
}
ARGV = ["doserate", "Tc-99m", "740 MBq", "--distance", "1 m", "--lead", "1 mm", "--tungsten",
        "1 mm"]  # fmt: skip


@pytest.fixture(autouse=True)
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose the language; the machine's locale must not."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_two_shields_are_refused_in_the_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    try:
        status = main(["--lang", language, *ARGV])
    except SystemExit as stop:
        status = int(stop.code or 0)
    err = capsys.readouterr().err
    assert status == 2
    assert SAID[language] in err, err
