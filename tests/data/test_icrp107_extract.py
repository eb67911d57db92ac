"""The shipped ICRP-107 extract equals what radioactivedecay's data set gives today.

If radioactivedecay changes its data, this test fails: rerun ``tools/extract_icrp107.py`` and
review the difference before accepting it.
"""

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.mark.skipif(
    importlib.util.find_spec("radioactivedecay") is None,
    reason="radioactivedecay (dev dependency) is not installed",
)
def test_extract_matches_radioactivedecay() -> None:
    spec = importlib.util.spec_from_file_location("extract_icrp107", TOOLS / "extract_icrp107.py")
    assert spec is not None and spec.loader is not None
    extract_icrp107 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract_icrp107)
    shipped = resources.files("nucmed.data").joinpath("icrp107_nuclides.csv").read_text("utf-8")
    assert shipped == extract_icrp107.render()


def test_licence_ships_beside_the_data() -> None:
    licence = resources.files("nucmed.data").joinpath("LICENSE.ICRP-07").read_text("utf-8")
    assert "ICRP Publication 107" in licence
