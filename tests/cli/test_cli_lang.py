"""``nucmed --lang ru|kk|en``: messages and table headings in the chosen language, before or
after the command; without it the POSIX locale variables; JSON keys never change."""

from __future__ import annotations

import json

import pytest

from nucmed.cli.lang import choose, take_language
from nucmed.cli.main import main
from nucmed.errors import NucmedInputError

DECAY = ("decay", "Tc-99m", "740 MBq", "--elapsed", "6h")
NEITHER = ("decay", "Tc-99m", "740 MBq")
TABLES = {
    "ru": ("Распад Tc-99m (ICRP-107)", "период полураспада", "коэффициент распада"),
    "kk": ("Tc-99m ыдырауы (ICRP-107)", "жартылай ыдырау кезеңі", "ыдырау коэффициенті"),
    "en": ("Decay of Tc-99m (ICRP-107)", "half-life", "decay factor"),
}
MESSAGES = {
    "ru": "nucmed: ошибка: укажите либо --elapsed ДЛИТЕЛЬНОСТЬ",
    "kk": "nucmed: қате: не --elapsed ҰЗАҚТЫҚ",
    "en": "nucmed: error: give either --elapsed DURATION",
}


@pytest.fixture(autouse=True)
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose the language; the machine's locale must not."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_table_in_each_language(capsys: pytest.CaptureFixture[str], language: str) -> None:
    status, out, _ = _run(capsys, "--lang", language, *DECAY)
    assert status == 0
    for heading in TABLES[language]:
        assert heading in out


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_message_in_each_language_after_the_command(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    status, out, err = _run(capsys, *NEITHER, "--lang", language)
    assert (status, out) == (2, "")
    assert err.startswith(MESSAGES[language])


def test_json_keys_never_change(capsys: pytest.CaptureFixture[str]) -> None:
    answers = [_run(capsys, *DECAY, f"--lang={language}", "--json") for language in TABLES]
    keys = [sorted(json.loads(out)) for _, out, _ in answers]
    assert keys[0] == keys[1] == keys[2]
    assert "activity_bq" in keys[0]


def test_the_locale_decides_without_the_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "kk_KZ.UTF-8")
    assert TABLES["kk"][0] in _run(capsys, *DECAY)[1]
    monkeypatch.setenv("LC_MESSAGES", "ru_RU.UTF-8")
    assert TABLES["ru"][0] in _run(capsys, *DECAY)[1]
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert TABLES["en"][0] in _run(capsys, *DECAY)[1]
    assert TABLES["ru"][0] in _run(capsys, *DECAY, "--lang", "ru")[1]  # the option wins


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({}, "en", id="nothing-set"),
        pytest.param({"LANG": "de_DE.UTF-8"}, "en", id="another-language"),
        pytest.param({"LANG": "ru_KZ.UTF-8"}, "ru", id="russian-in-kazakhstan"),
        pytest.param({"LC_ALL": "", "LANG": "kk_KZ"}, "kk", id="empty-is-unset"),
        pytest.param({"LC_ALL": "kk_KZ.UTF-8@latin", "LANG": "ru"}, "kk", id="lc-all-first"),
    ],
)
def test_posix_order(environ: dict[str, str], expected: str) -> None:
    assert choose(environ) == expected


def test_the_option_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, *DECAY, "--lang", "de")
    assert status == 2 and "ru, kk or en" in err
    with pytest.raises(NucmedInputError):
        take_language(["decay", "--lang"], {})
    assert take_language(["x", "--", "--lang", "ru"], {}) == ("en", ["x", "--", "--lang", "ru"])
