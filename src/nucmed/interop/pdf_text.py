"""Text on a PDF page that every document of nucmed lays out the same way (leaflet,
certificate, transport document)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas


def wrapped(canvas: Canvas, text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` points (a word wider than
    that stands on its own line); no line for empty text."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and canvas.stringWidth(trial, font, size) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines
