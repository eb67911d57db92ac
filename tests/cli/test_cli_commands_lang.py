"""``--lang`` for the transport, dose, therapy and supply commands (issue 12, item 7): for each,
one table (its heading and a label) and one message in Russian, Kazakh and English; the JSON
keys stay the same; ``supply dispatch`` shows its times in local time with the zone."""

from __future__ import annotations

import json

import pytest

from nucmed.cli.main import main

TABLES = {
    "transport": (
        [
            "transport", "--content", "Tc-99m:40 GBq", "--surface-dose-rate", "0.4 mSv/h",
            "--dose-rate-1m", "8 µSv/h",
        ],
        {
            "ru": ("Транспортная классификация (IAEA SSR-6, 2018)", "тип упаковки"),
            "kk": ("Тасымалдау жіктемесі (IAEA SSR-6, 2018)", "қаптама түрі"),
            "en": ("Transport classification (IAEA SSR-6, 2018)", "package type"),
        },
    ),
    "dose": (
        ["dose", "effective", "Tc-99m MDP", "740 MBq"],
        {
            "ru": ("Эффективная доза: Tc-99m medronate (MDP)", "критический орган"),
            "kk": ("Тиімді доза: Tc-99m medronate (MDP)", "сындарлы ағза"),
            "en": ("Effective dose of Tc-99m medronate (MDP)", "critical organ"),
        },
    ),
    "therapy": (
        ["therapy", "dtc", "low"],
        {
            "ru": ("I-131 при раке щитовидной железы, риск: низкий", "противопоказано"),
            "kk": ("Қалқанша безінің обырында I-131, қауіп: төмен", "қарсы көрсетілген"),
            "en": ("I-131 for thyroid cancer, low risk", "contraindicated"),
        },
    ),
    "supply": (
        [
            "supply", "dispatch", "Tc-99m", "--activity", "10 GBq",
            "--calibration", "2026-12-03T08:00+05:00", "--depart", "2026-12-02T20:00+05:00",
        ],
        {
            "ru": ("Отпуск Tc-99m", "активность к отпуску"),
            "kk": ("Tc-99m жөнелту", "жөнелтілетін белсенділік"),
            "en": ("Dispatch of Tc-99m", "activity to dispatch"),
        },
    ),
}  # fmt: skip
MESSAGES = {
    "transport": (
        [
            "transport", "--content", "Tc99m", "--surface-dose-rate", "0.4 mSv/h",
            "--dose-rate-1m", "8 µSv/h",
        ],
        {
            "ru": "«Tc99m» — не НУКЛИД:АКТИВНОСТЬ",
            "kk": "«Tc99m» НУКЛИД:БЕЛСЕНДІЛІК түрінде емес",
            "en": "'Tc99m' is not NUCLIDE:ACTIVITY",
        },
    ),
    "dose": (
        ["dose", "effective", "Tc-99m MDP", "740 MBq", "--age", "old"],
        {
            "ru": "--age: «old» — не возраст в годах",
            "kk": "--age: «old» — жылмен берілген жас емес",
            "en": "--age: 'old' is not an age in years",
        },
    ),
    "therapy": (
        ["release", "I-131"],
        {
            "ru": "укажите либо --activity, либо --dose-rate-1m",
            "kk": "не --activity, не --dose-rate-1m көрсетіңіз",
            "en": "give either --activity or --dose-rate-1m",
        },
    ),
    "supply": (
        [
            "supply", "whatif", "--scenario", "src/nucmed/data/supply_demo_week.json",
            "--delay", "NQZ-ROAD-MON",
        ],
        {
            "ru": "--delay: «NQZ-ROAD-MON» — не ОТПРАВЛЕНИЕ:МИНУТЫ",
            "kk": "--delay: «NQZ-ROAD-MON» ЖӨНЕЛТУ:МИНУТ түрінде емес",
            "en": "--delay: 'NQZ-ROAD-MON' is not DEPARTURE_ID:MINUTES",
        },
    ),
}  # fmt: skip
LANGUAGES = ("ru", "kk", "en")


@pytest.fixture(autouse=True)
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose the language; the machine's locale must not."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsys.readouterr()
    return status or 0, captured.out, captured.err


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("command", sorted(TABLES))
def test_the_table_reads_in_the_language(
    capsys: pytest.CaptureFixture[str], command: str, language: str
) -> None:
    argv, expected = TABLES[command]
    heading, label = expected[language]
    status, out, _ = _run(capsys, ["--lang", language, *argv])
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == heading
    assert any(line.strip().startswith(label + "  ") for line in lines[1:]), out


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("command", sorted(MESSAGES))
def test_the_message_reads_in_the_language(
    capsys: pytest.CaptureFixture[str], command: str, language: str
) -> None:
    argv, expected = MESSAGES[command]
    status, out, err = _run(capsys, [*argv, "--lang", language])
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected[language] in err, err


@pytest.mark.parametrize("command", sorted(TABLES))
def test_json_keys_are_the_same_in_every_language(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    argv, _ = TABLES[command]
    keys = set()
    for language in LANGUAGES:
        status, out, _ = _run(capsys, ["--lang", language, *argv, "--json"])
        assert status == 0
        keys.add(frozenset(json.loads(out)))
    assert len(keys) == 1


class TestDispatchTimes:
    """``supply dispatch`` shows its times in local time with the zone (the JSON keeps its
    numbers; the times are what was typed)."""

    ARGV = TABLES["supply"][0]

    def _times(self, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
        status, out, _ = _run(capsys, [*self.ARGV, *extra])
        assert status == 0
        rows = [line.strip().split("  ", 1) for line in out.splitlines()[1:]]
        return {label: value.strip() for label, value in rows}

    def test_in_the_offset_typed(self, capsys: pytest.CaptureFixture[str]) -> None:
        rows = self._times(capsys)
        assert rows["calibration"] == "2026-12-03 08:00 +05:00"
        assert rows["departure"] == "2026-12-02 20:00 +05:00"

    def test_in_the_zone_asked_for(self, capsys: pytest.CaptureFixture[str]) -> None:
        rows = self._times(capsys, "--tz", "Asia/Bishkek")  # UTC+6 all year since 2005
        assert rows["calibration"] == "2026-12-03 09:00 +06:00 (Asia/Bishkek)"
        assert rows["departure"] == "2026-12-02 21:00 +06:00 (Asia/Bishkek)"

    def test_an_unknown_zone_is_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = _run(capsys, [*self.ARGV, "--tz", "Mars/Olympus", "--lang", "ru"])
        assert status == 2
        assert "--tz: неизвестный часовой пояс «Mars/Olympus»" in err
