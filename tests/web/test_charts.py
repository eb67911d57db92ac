"""Charts of the pages (nucmed.web.charts): SVG time-activity curves, the calibrator constancy
trend and the DRL bars. Expected values are analytic (positions follow from the scales)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from nucmed.dosimetry import mird
from nucmed.web.charts import constancy_chart, drl_chart, tac_svg

H = 3600.0
SVG = "{http://www.w3.org/2000/svg}"
UPTAKE_TIMES = np.array([1.0, 4.0, 24.0, 48.0, 96.0, 168.0]) * H
UPTAKE_TRUE = (2e9, math.log(2) / (50 * H), math.log(2) / (3 * H))


def _uptake(t: np.ndarray, a0: float, slow: float, fast: float) -> np.ndarray:
    return a0 * (np.exp(-slow * t) - np.exp(-fast * t))


class TestTimeActivityCurve:
    def test_svg_is_well_formed_and_marks_every_point(self) -> None:
        fit = mird.fit_bi_exponential(UPTAKE_TIMES, _uptake(UPTAKE_TIMES, *UPTAKE_TRUE))
        svg = tac_svg(fit, title="kidneys <left> & right")
        root = ET.fromstring(svg)
        assert len(root.findall(f".//{SVG}circle")) == UPTAKE_TIMES.size
        assert len(root.findall(f".//{SVG}polyline")[0].get("points", "").split()) == 121
        assert "kidneys <left> & right" in "".join(root.itertext())
        assert tac_svg(fit, title="kidneys <left> & right") == svg  # deterministic

    def test_svg_of_trapezoid_skips_undefined_start(self) -> None:
        fit = mird.trapezoid_with_tail(
            [24 * H, 48 * H, 96 * H], [3e8, 2e8, 1e8], "Lu-177", origin="none"
        )
        points = ET.fromstring(tac_svg(fit)).findall(f".//{SVG}polyline")
        assert 0 < len(points[0].get("points", "").split()) < 121


@dataclass(frozen=True)
class _Constancy:
    performed_at: datetime
    deviation: float
    tolerance: float
    passes: bool


class TestConstancyTrend:
    def test_no_results_no_chart(self) -> None:
        assert constancy_chart([]) is None

    def test_band_is_symmetric_and_points_run_left_to_right(self) -> None:
        start = datetime(2026, 11, 2, 3, tzinfo=UTC)
        rows = [
            _Constancy(start + timedelta(days=day), dev, 0.05, abs(dev) <= 0.05)
            for day, dev in ((0, 0.01), (1, -0.02), (2, 0.04))
        ]
        chart = constancy_chart(rows)
        assert chart is not None
        assert chart.tolerance_percent == pytest.approx(5.0)
        assert chart.limit_percent == pytest.approx(7.5)  # 1.5 x the tolerance
        assert chart.zero_y == pytest.approx((chart.upper_y + chart.lower_y) / 2)
        xs = [p.x for p in chart.points]
        assert xs == sorted(xs) and xs[0] == chart.left + 10 and xs[-1] == chart.right - 10
        assert [p.deviation_percent for p in chart.points] == pytest.approx([1.0, -2.0, 4.0])


@dataclass(frozen=True)
class _Drl:
    procedure: str
    median_bq: float
    p75_bq: float
    drl_bq: float | None
    above_drl: bool


class TestDrlBars:
    def test_no_rows_no_chart(self) -> None:
        assert drl_chart([]) is None

    def test_the_largest_value_fills_the_span_and_the_drl_is_marked(self) -> None:
        rows = [
            _Drl("Bone scintigraphy", 600e6, 700e6, 800e6, False),
            _Drl("Thyroid", 150e6, 200e6, None, False),
        ]
        chart = drl_chart(rows)
        assert chart is not None
        bone, thyroid = chart.bars
        assert bone.drl_x == pytest.approx(chart.left + 480)  # the DRL is the largest value
        assert bone.width == pytest.approx(480 * 600 / 800)
        assert thyroid.drl_x is None and thyroid.y - bone.y == 28
        assert (chart.width, chart.height) == (720, 40 + 28 * 2)
