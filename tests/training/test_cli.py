"""``nucmed training curriculum``: the JSON keys of the issue, the table, an unknown code."""

from __future__ import annotations

import json

import pytest

from nucmed.cli import main as cli_main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_curriculum_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "training", "curriculum", "7R01108", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert {"code", "title", "total_credits", "disciplines", "electives"} <= set(data)
    assert "learning_outcomes" in data and len(data["learning_outcomes"]) == 10
    assert data["code"] == "7R01108" and data["total_credits"] == 140
    for discipline in (*data["disciplines"], *data["electives"]):
        assert {"name", "credits", "component", "years", "outcomes"} <= set(discipline)
        assert discipline["component"] in ("compulsory", "elective", "attestation")
    assert sum(d["credits"] for d in data["disciplines"]) == 140
    assert len(data["electives"]) == 5


def test_curriculum_in_kazakh(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "training", "curriculum", "7R01108", "--language", "kk")
    assert status == 0
    assert "Ядролық медицина" in out and "Радионуклидтік терапия" in out and "ОН10" in out


def test_unknown_code_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "training", "curriculum", "9Z99999")
    assert status == 2 and not out
    assert err.count("\n") == 1 and "no programme 9Z99999" in err and "7R01108" in err
