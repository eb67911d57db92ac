"""The patient's release leaflet as a one-page A4 PDF, in the patient's language.

The texts come already translated (the web interface translates them with its catalogues;
``interop`` has none): the patient, the introduction, one line per rule, and the department's
name, postal address and telephone. The few fixed words (`WORDS`, ru/kk/en) live here. The
font is DejaVu Sans, shipped in ``nucmed/data/fonts/`` (Cyrillic and the Kazakh letters).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm as _PT_PER_MM
from reportlab.pdfgen.canvas import Canvas

from nucmed.interop.label import _fonts
from nucmed.interop.pdf_text import wrapped

__all__ = ["WORDS", "Leaflet", "render_leaflet_pdf"]

WORDS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "title": "Памятка пациенту после радионуклидной терапии", "patient": "Пациент",
        "date": "Дата", "address": "Адрес", "phone": "Телефон",
    },
    "kk": {
        "title": "Радионуклидтік емнен кейінгі пациентке арналған жадынама",
        "patient": "Пациент", "date": "Күні", "address": "Мекенжайы", "phone": "Телефоны",
    },
    "en": {
        "title": "Patient leaflet after radionuclide therapy", "patient": "Patient",
        "date": "Date", "address": "Address", "phone": "Telephone",
    },
}  # fmt: skip
"""The fixed words of the leaflet per language."""

_MARGIN = 20 * _PT_PER_MM
_BODY = 11.0
"""Body text size, pt: easy to read for a patient at home."""


@dataclass(frozen=True, slots=True)
class Leaflet:
    """What the leaflet says, already in the patient's language."""

    language: str
    patient: str
    intro: str
    lines: tuple[str, ...]
    site_name: str
    site_address: str
    site_phone: str
    issued_on: date


class _Writer:
    """Writes wrapped paragraphs down the page from the top margin."""

    def __init__(self, canvas: Canvas, top: float, width: float) -> None:
        self.canvas, self.y, self.width = canvas, top, width

    def paragraph(self, text: str, font: str, size: float = _BODY, bullet: str = "") -> None:
        indent = 5 * _PT_PER_MM if bullet else 0.0
        for number, line in enumerate(wrapped(self.canvas, text, self.width - indent, font, size)):
            self.canvas.setFont(font, size)
            if bullet and number == 0:
                self.canvas.drawString(_MARGIN, self.y, bullet)
            self.canvas.drawString(_MARGIN + indent, self.y, line)
            self.y -= size * 1.35
        self.y -= size * 0.5


def render_leaflet_pdf(leaflet: Leaflet) -> bytes:
    """The leaflet as a one-page A4 PDF.

    Parameters
    ----------
    leaflet
        What it says, in its language (``ru``, ``kk`` or ``en``; other codes give English
        fixed words).

    Returns
    -------
    bytes
        The PDF document.
    """
    words = WORDS.get(leaflet.language, WORDS["en"])
    regular, bold = _fonts()
    buffer = io.BytesIO()
    page_w, page_h = A4
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(words["title"])
    canvas.setAuthor(leaflet.site_name)
    writer = _Writer(canvas, page_h - _MARGIN, page_w - 2 * _MARGIN)
    writer.paragraph(words["title"], bold, 15)
    writer.paragraph(f"{words['patient']}: {leaflet.patient}", regular)
    writer.paragraph(f"{words['date']}: {leaflet.issued_on:%d.%m.%Y}", regular)
    writer.paragraph(leaflet.intro, regular)
    for line in leaflet.lines:
        writer.paragraph(line, regular, bullet="•")
    writer.paragraph(leaflet.site_name, bold)
    if leaflet.site_address:
        writer.paragraph(f"{words['address']}: {leaflet.site_address}", regular)
    if leaflet.site_phone:
        writer.paragraph(f"{words['phone']}: {leaflet.site_phone}", regular)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
