"""Every chart of the pages, drawn on the server as inline SVG (no script, no plotting library).

- :func:`tac_svg`: a time-activity curve of a therapy cycle (fit and measured points);
- :func:`constancy_chart`: a dose calibrator's constancy results against the tolerance band
  (AAPM TG-181 asks for them to be followed on a chart);
- :func:`drl_chart`: the median administered activity per procedure against its diagnostic
  reference level (ICRP Publication 135).

Each takes values in SI from a service view and returns positions (or an SVG string) for the
template; templates only draw what they receive. Output is deterministic for given input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from xml.sax.saxutils import escape

import numpy as np
import numpy.typing as npt

from nucmed import units
from nucmed.dosimetry.mird import FloatArray, TacFit

__all__ = [
    "ChartPoint",
    "ConstancyResult",
    "DrlBar",
    "DrlChart",
    "DrlRow",
    "TrendChart",
    "constancy_chart",
    "drl_chart",
    "tac_svg",
]
_CURVE_SAMPLES = 121
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 56.0, 10.0, 26.0, 36.0


def _polyline(x: FloatArray, y: FloatArray) -> str:
    return " ".join(f"{u:.1f},{v:.1f}" for u, v in zip(x, y, strict=True))


def tac_svg(
    fit: TacFit,
    points: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    *,
    title: str | None = None,
    axes: tuple[str, str] = ("time (h)", "activity (MBq)"),
    width_px: int = 360,
    height_px: int = 220,
) -> str:
    """Draw the curve and the measured points as a small inline SVG for a report.

    Parameters
    ----------
    fit
        The time-activity curve (from :mod:`nucmed.dosimetry.mird`).
    points
        Times (s from administration) and activities (Bq) to mark; default the fit's own
        measurements.
    title
        Caption above the plot; default the model and the time-integrated activity in MBq·h.
    axes
        Names of the x (time in h) and y (activity in MBq) axes, in the reader's language.
    width_px, height_px
        Size of the drawing, in pixels.

    Returns
    -------
    str
        One ``<svg>`` element: time in h on x, activity in MBq on y, the curve as a polyline,
        each point as a circle.

    Examples
    --------
    >>> from nucmed.dosimetry.mird import fit_mono_exponential
    >>> fit = fit_mono_exponential([3600.0, 86400.0, 172800.0], [80e6, 50e6, 30e6])
    >>> svg = tac_svg(fit)
    >>> svg.startswith("<svg"), svg.count("<circle")
    (True, 3)
    """
    pt, pa = (fit.times_s, fit.activities_bq) if points is None else points
    p_t = np.asarray(pt, dtype=np.float64)
    p_a = np.asarray(pa, dtype=np.float64)
    t_end = 1.25 * float(max(p_t.max(), fit.times_s.max()))
    grid = np.linspace(0.0, t_end, _CURVE_SAMPLES)
    values = fit.curve(grid)
    a_top = 1.1 * float(max(np.nanmax(values), p_a.max(), 1e-30))
    left, right = _MARGIN_LEFT, width_px - _MARGIN_RIGHT
    top, bottom = _MARGIN_TOP, height_px - _MARGIN_BOTTOM

    def x(seconds: FloatArray) -> FloatArray:
        return left + (right - left) * seconds / t_end

    def y(bq: FloatArray) -> FloatArray:
        return bottom - (bottom - top) * bq / a_top

    finite = np.isfinite(values)
    dots = "".join(
        f'<circle cx="{u:.1f}" cy="{v:.1f}" r="3"/>' for u, v in zip(x(p_t), y(p_a), strict=True)
    )
    hours, mbq = t_end / units.SECONDS_PER_HOUR, a_top / units.BQ_PER_MBQ
    tia = fit.tia_bq_s / (units.BQ_PER_MBQ * units.SECONDS_PER_HOUR)
    caption = escape(title if title is not None else f"{fit.model}: TIA {tia:.4g} MBq·h")
    middle_y = (top + bottom) / 2
    x_name, y_name = (escape(name) for name in axes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {width_px} {height_px}" role="img" aria-label="{caption}" '
        'font-family="sans-serif" font-size="10">'
        f'<text x="{left}" y="14">{caption}</text>'
        f'<path d="M{left},{top}V{bottom}H{right}" fill="none" stroke="black"/>'
        f'<text x="{left}" y="{bottom + 12}" text-anchor="middle">0</text>'
        f'<text x="{right}" y="{bottom + 12}" text-anchor="end">{hours:.3g}</text>'
        f'<text x="{(left + right) / 2}" y="{bottom + 28}" text-anchor="middle">{x_name}</text>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{mbq:.3g}</text>'
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end">0</text>'
        f'<text x="12" y="{middle_y}" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle_y})">{y_name}</text>'
        f'<polyline points="{_polyline(x(grid[finite]), y(values[finite]))}" fill="none" '
        'stroke="#1f5fa8" stroke-width="1.5"/>'
        f'<g fill="#c0392b">{dots}</g></svg>'
    )


# --------------------------------------------------------------------------- constancy trend
class ConstancyResult(Protocol):
    """A calibrator constancy result as a service view gives it."""

    @property
    def performed_at(self) -> datetime:
        """When the check was made."""
        ...

    @property
    def deviation(self) -> float:
        """Relative deviation of the reading from the decay-corrected source (0.02 = 2 %)."""
        ...

    @property
    def tolerance(self) -> float:
        """The tolerance it was judged against (fraction)."""
        ...

    @property
    def passes(self) -> bool:
        """Whether it was within the tolerance."""
        ...


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """A constancy result on the chart: position (SVG units), time, deviation (%), verdict."""

    x: float
    y: float
    at: datetime
    deviation_percent: float
    passes: bool


@dataclass(frozen=True, slots=True)
class TrendChart:
    """Where the template draws the constancy trend: plot box, band lines, points."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    limit_percent: float
    tolerance_percent: float
    upper_y: float
    zero_y: float
    lower_y: float
    points: tuple[ChartPoint, ...]

    @property
    def path(self) -> str:
        """The SVG polyline through the points, oldest first."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def constancy_chart(
    rows: Sequence[ConstancyResult], width: int = 640, height: int = 220
) -> TrendChart | None:
    """Place constancy results on a chart: x the time, y the deviation (%), ±tolerance band.

    The y axis is symmetric about 0 and shows at least 1.5 × the tolerance; None without rows.
    """
    if not rows:
        return None
    left, right, top, bottom = 56, width - 12, 12, height - 28
    tolerance = rows[-1].tolerance / units.FRACTION_PER_PERCENT
    deviations = [r.deviation / units.FRACTION_PER_PERCENT for r in rows]
    limit = max(1.5 * tolerance, 1.1 * max(abs(d) for d in deviations), 1.0)
    start, end = rows[0].performed_at, rows[-1].performed_at
    span = (end - start).total_seconds()

    def y_of(percent: float) -> float:
        return top + (limit - percent) / (2.0 * limit) * (bottom - top)

    def x_of(moment: datetime) -> float:
        if span <= 0:
            return (left + right) / 2.0
        pad = 10.0  # keep the first and last points off the frame
        return left + pad + (moment - start).total_seconds() / span * (right - left - 2 * pad)

    points = tuple(
        ChartPoint(x_of(r.performed_at), y_of(d), r.performed_at, d, r.passes)
        for r, d in zip(rows, deviations, strict=True)
    )
    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        limit_percent=limit,
        tolerance_percent=tolerance,
        upper_y=y_of(tolerance),
        zero_y=y_of(0.0),
        lower_y=y_of(-tolerance),
        points=points,
    )


# --------------------------------------------------------------------------- DRL audit
class DrlRow(Protocol):
    """A procedure's row of the DRL audit as the service gives it."""

    @property
    def procedure(self) -> str:
        """The procedure's name."""
        ...

    @property
    def median_bq(self) -> float:
        """Median administered activity (Bq)."""
        ...

    @property
    def p75_bq(self) -> float:
        """75th percentile of the administered activity (Bq)."""
        ...

    @property
    def drl_bq(self) -> float | None:
        """The site's DRL for the procedure (Bq), if set."""
        ...

    @property
    def above_drl(self) -> bool | None:
        """Whether the median is above the DRL (None without a DRL)."""
        ...


@dataclass(frozen=True, slots=True)
class DrlBar:
    """One procedure's bar: its top ``y``, the bar's ``width`` and the DRL mark's ``drl_x``
    (None without a DRL), in SVG units; ``above_drl`` colours it."""

    label: str
    y: float
    width: float
    drl_x: float | None
    above_drl: bool


@dataclass(frozen=True, slots=True)
class DrlChart:
    """The DRL chart's size and bars; bars start at ``left``."""

    width: int
    height: int
    left: int
    bars: tuple[DrlBar, ...]


_DRL_LEFT, _DRL_BAR_SPAN, _DRL_ROW, _DRL_TOP, _DRL_LABEL_CHARS = 220, 480, 28, 20, 28


def drl_chart(rows: Sequence[DrlRow]) -> DrlChart | None:
    """Bars of the median activity per procedure on one scale (the largest 75th percentile or
    DRL fills the width), with the DRL marked; None without rows."""
    if not rows:
        return None
    top = max([r.p75_bq for r in rows] + [r.drl_bq for r in rows if r.drl_bq])
    scale = _DRL_BAR_SPAN / top if top > 0 else 0.0
    bars = tuple(
        DrlBar(
            label=r.procedure[:_DRL_LABEL_CHARS],
            y=_DRL_TOP + _DRL_ROW * index,
            width=r.median_bq * scale,
            drl_x=_DRL_LEFT + r.drl_bq * scale if r.drl_bq else None,
            above_drl=bool(r.above_drl),
        )
        for index, r in enumerate(rows)
    )
    width = _DRL_LEFT + _DRL_BAR_SPAN + 20
    return DrlChart(width, 2 * _DRL_TOP + _DRL_ROW * len(rows), _DRL_LEFT, bars)
