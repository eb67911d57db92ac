"""``nucmed shielding``: TG-108's uptake-room example as JSON, several sources, refusals."""

from __future__ import annotations

import json

import pytest

from nucmed.cli import main as cli_main

EXAMPLE_1 = "nuclide=F-18; activity=555 MBq; per-week=40; stay=1 h; distance=4 m"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(["shielding", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_tg108_uptake_room_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--source", EXAMPLE_1, "--json")
    assert status == 0, err
    data = json.loads(out)
    # PUBLISHED (TG-108 example 1): B = 0.189, 1.2 cm of lead (printed to 0.1 cm).
    assert data["required_transmission"] == pytest.approx(0.189, rel=0.005)
    assert data["thickness_m"] == pytest.approx(0.012, abs=0.0005)
    assert data["goal_sv_per_week"] == pytest.approx(20e-6)
    assert data["sources"][0]["body_transmission"] == 0.64


def test_imaging_room_with_delay_and_voiding(capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "nuclide=F-18; activity=555 MBq; per-week=40; stay=30 min; distance=3 m; "
        "delay=1 h; voided=15 %"
    )
    status, out, err = run(capsys, "--source", source, "--material", "concrete", "--json")
    assert status == 0, err
    data = json.loads(out)
    # PUBLISHED (TG-108 example 2): 59.7 µSv/week, 11 cm of concrete.
    assert data["unshielded_sv_per_week"] == pytest.approx(59.7e-6, rel=0.005)
    assert data["thickness_m"] == pytest.approx(0.11, abs=0.005)


def test_two_sources_a_controlled_area_and_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    vial = "nuclide=Tc-99m; activity=10 GBq; per-week=5; stay=10 min; distance=0.5 m; vial"
    status, out, err = run(
        capsys, "--source", EXAMPLE_1, "--source", vial, "--area", "controlled",
        "--occupancy", "0.5",
    )  # fmt: skip
    assert status == 0, err
    assert "Shielding design (AAPM TG-108)" in out
    assert "required transmission" in out
    assert out.count("source: unshielded dose") == 2


def test_goal_overrides_the_area(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--source", EXAMPLE_1, "--goal", "0.1 mSv", "--json")
    assert status == 0
    assert json.loads(out)["goal_sv_per_week"] == pytest.approx(100e-6)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--source", "nuclide=F-18; activity=555 MBq"], "a source needs per-week, stay"),
        (["--source", EXAMPLE_1 + "; colour=red"], "unknown key 'colour'"),
        (["--source", EXAMPLE_1.replace("4 m", "4")], "--source 1:"),
        (["--source", EXAMPLE_1, "--material", "tungsten"], "one of lead, concrete, iron"),
        (["--source", EXAMPLE_1, "--area", "office"], "controlled, uncontrolled"),
        (
            ["--source", EXAMPLE_1.replace("F-18", "Tc-99m"), "--material", "iron"],
            "no iron transmission data for Tc-99m",
        ),
    ],
)
def test_refusals_say_why(capsys: pytest.CaptureFixture[str], argv: list[str], said: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert said in err
    assert "Traceback" not in err
