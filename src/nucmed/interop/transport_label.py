"""The category label of a Class 7 package (I-WHITE, II-YELLOW, III-YELLOW) as a drawing.

A square of 100 mm stood on its corner, as SSR-6 (2018) Figures 2 to 4 draw it: the trefoil in
the upper half; below it the word RADIOACTIVE followed by one, two or three red vertical bars
(the category); the contents (the nuclides) and the activity; on a yellow label a box with the
transport index; the class number 7 in the bottom corner. Category I is white all over;
categories II and III have a yellow upper half. The words are printed in the document's
language with the English word the regulations use beside it.

References
----------
.. [1] IAEA, Regulations for the Safe Transport of Radioactive Material, SSR-6 (Rev. 1), 2018:
   para. 538-540 (two labels on opposite sides; contents, activity and TI written on them) and
   Figures 2-4 (the label models, 100 mm sides). Read as recalled from the 2012 and 2018
   editions, not re-read for this drawing (status ``recalled``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors

from nucmed.interop.label import _fitted, _pt, _trefoil

__all__ = ["CATEGORY_BARS", "LABEL_SIDE_MM", "LabelText", "label_drawing"]

LABEL_SIDE_MM: Final = 100.0
"""The side of the label (SSR-6 Figures 2-4: at least 100 mm)."""
CATEGORY_BARS: Final = {"I-WHITE": 1, "II-YELLOW": 2, "III-YELLOW": 3}
"""The red vertical bars after the word RADIOACTIVE, by category."""
_RED: Final = colors.HexColor("#d0021b")


@dataclass(frozen=True, slots=True)
class LabelText:
    """The words on a label in the document's language (``headings``: ``radioactive``,
    ``contents``, ``activity``, ``ti``) and what is written on it."""

    headings: dict[str, str]
    contents: str
    activity: str
    ti: str


def label_drawing(category: str, text: LabelText, fonts: tuple[str, str]) -> Any:
    """The label of ``category`` as a reportlab Drawing whose box is the diamond's square.

    Parameters
    ----------
    category
        ``I-WHITE``, ``II-YELLOW`` or ``III-YELLOW``.
    text
        The words and the values written on the label.
    fonts
        The regular and bold font names (registered by :mod:`nucmed.interop.label`).

    Returns
    -------
    reportlab.graphics.shapes.Drawing
        The diamond, ``LABEL_SIDE_MM`` × √2 across.
    """
    bold = fonts[1]
    across = _pt(LABEL_SIDE_MM) * 2**0.5
    half = across / 2
    drawing = Drawing(across, across)
    yellow = category != "I-WHITE"
    drawing.add(Polygon([half, 0, across, half, half, across, 0, half], fillColor=colors.white,
                        strokeColor=colors.grey, strokeWidth=0.3))  # fmt: skip
    if yellow:
        drawing.add(Polygon([0, half, half, across, across, half],
                            fillColor=colors.yellow, strokeColor=None))  # fmt: skip
    inset = _pt(5)
    drawing.add(Polygon([half, inset, across - inset, half, half, across - inset, inset, half],
                        fillColor=None, strokeColor=colors.black, strokeWidth=1.2))  # fmt: skip
    _trefoil(drawing, half, half + _pt(33), _pt(16))
    _word_and_bars(drawing, category, text, half, bold)
    _values(drawing, text, half, fonts)
    if yellow:
        _ti_box(drawing, text, half, fonts)
    drawing.add(String(half, _pt(9), "7", fontName=bold, fontSize=20, textAnchor="middle"))
    return drawing


def _word_and_bars(drawing: Any, category: str, text: LabelText, half: float, bold: str) -> None:
    """RADIOACTIVE (local / English) and the category's red bars, just above the middle."""
    word = text.headings["radioactive"]
    size = _fitted(word, bold, 11, _pt(58))
    drawing.add(String(half - _pt(8), half + _pt(10), word, fontName=bold, fontSize=size,
                       textAnchor="middle"))  # fmt: skip
    drawing.add(String(half - _pt(8), half + _pt(4), "RADIOACTIVE", fontName=bold,
                       fontSize=min(size, 8), textAnchor="middle"))  # fmt: skip
    bars = CATEGORY_BARS[category]
    for index in range(bars):
        x = half + _pt(24) + index * _pt(3.2)
        drawing.add(_box((x, half + _pt(3), _pt(2), _pt(12)), _RED, None))


def _values(drawing: Any, text: LabelText, half: float, fonts: tuple[str, str]) -> None:
    """CONTENTS and ACTIVITY with their values, in the lower half."""
    regular, bold = fonts
    rows = (("contents", text.contents), ("activity", text.activity))
    for index, (key, value) in enumerate(rows):
        y = half - _pt(6) - index * _pt(10)
        line = f"{text.headings[key]}: {value}"
        size = _fitted(line, regular, 9, _pt(62))
        drawing.add(String(half, y, line, fontName=regular, fontSize=size, textAnchor="middle"))
        english = {"contents": "CONTENTS", "activity": "ACTIVITY"}[key]
        drawing.add(String(half, y - _pt(3.5), english, fontName=bold, fontSize=5.5,
                           textAnchor="middle"))  # fmt: skip


def _ti_box(drawing: Any, text: LabelText, half: float, fonts: tuple[str, str]) -> None:
    """The box with the transport index, below the activity (yellow labels only)."""
    regular, bold = fonts
    width, height = _pt(30), _pt(11)
    bottom = half - _pt(33)
    drawing.add(_box((half - width / 2, bottom, width, height), colors.white, colors.black))
    heading = text.headings["ti"]
    size = _fitted(heading, regular, 6, width - _pt(2))
    drawing.add(String(half, bottom + height - _pt(3), heading, fontName=regular, fontSize=size,
                       textAnchor="middle"))  # fmt: skip
    drawing.add(String(half, bottom + _pt(1.5), text.ti, fontName=bold, fontSize=12,
                       textAnchor="middle"))  # fmt: skip


def _box(box: tuple[float, float, float, float], fill: Any, stroke: Any) -> Any:
    """A rectangle (x, y, width, height in pt) as a polygon, filled and outlined."""
    x, y, width, height = box
    return Polygon([x, y, x + width, y, x + width, y + height, x, y + height],
                   fillColor=fill, strokeColor=stroke, strokeWidth=0.8)  # fmt: skip
