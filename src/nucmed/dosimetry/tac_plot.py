"""Time-activity curves drawn as small inline SVG for dosimetry reports (no plotting library).

:func:`tac_svg` draws a :class:`nucmed.dosimetry.mird.TacFit`: the fitted (or trapezoid) curve
from administration to 1.25 times the last measurement, and the measured points. Time is shown
in hours and activity in MBq, converted with the constants of :mod:`nucmed.units`. The output
is deterministic for a given fit, so a report can embed it as it is and tests can compare it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np
import numpy.typing as npt

from nucmed import units
from nucmed.dosimetry.mird import FloatArray, TacFit

__all__ = ["tac_svg"]

_CURVE_SAMPLES = 121
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 56.0, 10.0, 26.0, 36.0


def _polyline(x: FloatArray, y: FloatArray) -> str:
    return " ".join(f"{u:.1f},{v:.1f}" for u, v in zip(x, y, strict=True))


def tac_svg(
    fit: TacFit,
    points: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    *,
    title: str | None = None,
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
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {width_px} {height_px}" role="img" aria-label="{caption}" '
        'font-family="sans-serif" font-size="10">'
        f'<text x="{left}" y="14">{caption}</text>'
        f'<path d="M{left},{top}V{bottom}H{right}" fill="none" stroke="black"/>'
        f'<text x="{left}" y="{bottom + 12}" text-anchor="middle">0</text>'
        f'<text x="{right}" y="{bottom + 12}" text-anchor="end">{hours:.3g}</text>'
        f'<text x="{(left + right) / 2}" y="{bottom + 28}" text-anchor="middle">time (h)</text>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{mbq:.3g}</text>'
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end">0</text>'
        f'<text x="12" y="{middle_y}" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle_y})">activity (MBq)</text>'
        f'<polyline points="{_polyline(x(grid[finite]), y(values[finite]))}" fill="none" '
        'stroke="#1f5fa8" stroke-width="1.5"/>'
        f'<g fill="#c0392b">{dots}</g></svg>'
    )
