"""The cumulative DVH chart of a dose map's volumes of interest, drawn on the server as inline
SVG (as the charts of :mod:`nucmed.web.charts`): positions here, the drawing and its words
(translated) in the template.

x: dose from 0 Gy to the highest dose of the VOIs; y: volume from 0 to 100 %. One line per VOI,
coloured from a fixed palette in VOI order (the table and the legend use the same colours).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nucmed import units

__all__ = ["DvhChart", "DvhLine", "Tick", "colour_of", "dvh_chart"]

_PALETTE = ("#1f5fa8", "#c0392b", "#1e8449", "#8e44ad", "#d35400", "#117a8b", "#7d6608")
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 12, 12, 44
_DOSE_TICKS = 5
_VOLUME_TICKS = (0.0, 25.0, 50.0, 75.0, 100.0)


@dataclass(frozen=True, slots=True)
class DvhLine:
    """One VOI's curve: its label, colour and SVG polyline points."""

    label: int
    colour: str
    points: str


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis mark: its position (SVG units) and value (Gy on x, % on y)."""

    at: float
    value: float


@dataclass(frozen=True, slots=True)
class DvhChart:
    """Where the template draws the DVH: size, plot box, axis marks and lines."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    dose_ticks: tuple[Tick, ...]
    volume_ticks: tuple[Tick, ...]
    lines: tuple[DvhLine, ...]


def colour_of(index: int) -> str:
    """The colour of the ``index``-th VOI (from 0)."""
    return _PALETTE[index % len(_PALETTE)]


def dvh_chart(
    levels_gy: Sequence[float],
    curves: Sequence[tuple[int, Sequence[float]]],
    width: int = 560,
    height: int = 280,
) -> DvhChart | None:
    """Place the cumulative DVHs on a chart: ``curves`` are (VOI label, fraction of the volume
    at each of ``levels_gy``); None when there is no curve or no dose.

    Examples
    --------
    >>> chart = dvh_chart([0.0, 1.0, 2.0], [(1, [1.0, 1.0, 0.0])])
    >>> chart.lines[0].points
    '56.0,12.0 302.0,12.0 548.0,236.0'
    """
    if not curves or not levels_gy or levels_gy[-1] <= 0:
        return None
    left, right, top, bottom = _LEFT, width - _RIGHT, _TOP, height - _BOTTOM
    top_gy = float(levels_gy[-1])

    def x_of(gy: float) -> float:
        return left + (right - left) * gy / top_gy

    def y_of(percent: float) -> float:
        return bottom - (bottom - top) * percent / 100.0

    lines = tuple(
        DvhLine(label, colour_of(index), " ".join(
            f"{x_of(gy):.1f},{y_of(f / units.FRACTION_PER_PERCENT):.1f}"
            for gy, f in zip(levels_gy, fractions, strict=True)
        ))
        for index, (label, fractions) in enumerate(curves)
    )  # fmt: skip
    dose_ticks = tuple(
        Tick(x_of(top_gy * n / (_DOSE_TICKS - 1)), top_gy * n / (_DOSE_TICKS - 1))
        for n in range(_DOSE_TICKS)
    )
    volume_ticks = tuple(Tick(y_of(p), p) for p in _VOLUME_TICKS)
    return DvhChart(width, height, left, right, top, bottom, dose_ticks, volume_ticks, lines)
